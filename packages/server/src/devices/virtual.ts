import type { DeviceCommand } from '@latch/protocol';
import type { DeviceRow } from '../db/types.js';
import { fromJson } from '../db/json.js';
import type { DeviceDriver } from './driver.js';

export const VIRTUAL_MODELS = ['default', 'lockink'] as const;
export type VirtualModel = (typeof VIRTUAL_MODELS)[number];

const BASIC: readonly DeviceCommand[] = ['shock.start', 'shock.stop', 'vibration.start', 'vibration.stop', 'all.stop'];
/** The Lockink AA-A1012 adds the random and berserk shock modes (spec 002). */
const LOCKINK: readonly DeviceCommand[] = [...BASIC, 'shock.random.set', 'shock.berserk.set'];

export function virtualModel(device: DeviceRow): VirtualModel {
  const m = fromJson<{ model?: string }>(device.settings, {}).model;
  return m === 'lockink' ? 'lockink' : 'default';
}

/**
 * A device with no hardware: what it does is exactly its state in the database, which the lock
 * page shows. Always available.
 */
export function createVirtualDriver(): DeviceDriver {
  return {
    kind: 'virtual',
    model: virtualModel,
    modelCommands: (d) => (virtualModel(d) === 'lockink' ? LOCKINK : BASIC),
    async capabilities(d) {
      return { available: true, supportedCommands: [...(virtualModel(d) === 'lockink' ? LOCKINK : BASIC)], detail: null };
    },
    async command() {},
    async stopAll() {},
    async close() {},
  };
}
