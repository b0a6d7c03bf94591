import type { FastifyBaseLogger } from 'fastify';
import type { ButtplugClient, ButtplugClientDevice } from 'buttplug';
import type { DeviceCommand } from '@latch/protocol';
import type { DeviceRow } from '../db/types.js';
import { fromJson } from '../db/json.js';
import type { DeviceDriver } from './driver.js';

const COMMANDS: readonly DeviceCommand[] = ['vibration.start', 'vibration.stop', 'all.stop'];
const CONNECT_TIMEOUT_MS = 2000;
/** After a failed connection, report "unavailable" for this long before trying again. */
const RETRY_AFTER_MS = 10_000;

export interface ButtplugSettings {
  url: string;
  deviceIndex?: number;
}

export const buttplugSettings = (device: DeviceRow): ButtplugSettings => fromJson<ButtplugSettings>(device.settings, { url: '' });

interface Connection {
  client: ButtplugClient | null;
  pending: Promise<ButtplugClient> | null;
  failedAt: number;
  error: string | null;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Vibration through an Intiface (Buttplug) server the device settings name. One client per
 * server URL per process, connected on first use; a server that cannot be reached makes the
 * device unavailable (`device_not_available`), never an error of the platform.
 */
export function createButtplugDriver(logger: FastifyBaseLogger): DeviceDriver {
  const connections = new Map<string, Connection>();

  async function connect(url: string): Promise<ButtplugClient> {
    const { ButtplugClient, ButtplugNodeWebsocketClientConnector } = await import('buttplug');
    const client = new ButtplugClient('latch');
    client.on('disconnect', () => {
      const c = connections.get(url);
      if (c?.client === client) connections.delete(url);
    });
    await withTimeout(client.connect(new ButtplugNodeWebsocketClientConnector(url)), CONNECT_TIMEOUT_MS, `connecting to ${url}`);
    // Devices already paired with the server are listed at once; scanning finds new ones.
    client.startScanning().catch(() => undefined);
    return client;
  }

  async function connection(url: string): Promise<ButtplugClient> {
    let c = connections.get(url);
    if (c?.client?.connected) return c.client;
    if (c?.pending) return c.pending;
    if (c && c.error && performance.now() - c.failedAt < RETRY_AFTER_MS) throw new Error(c.error);
    c = { client: null, pending: null, failedAt: 0, error: null };
    connections.set(url, c);
    const entry = c;
    entry.pending = connect(url).then(
      (client) => {
        entry.client = client;
        entry.pending = null;
        return client;
      },
      (err: unknown) => {
        entry.pending = null;
        entry.failedAt = performance.now();
        entry.error = err instanceof Error ? err.message : String(err);
        logger.warn({ url, err: entry.error }, 'Intiface server unreachable');
        throw err;
      },
    );
    return entry.pending;
  }

  async function vibrators(device: DeviceRow): Promise<ButtplugClientDevice[]> {
    const { OutputType } = await import('buttplug');
    const s = buttplugSettings(device);
    const client = await connection(s.url);
    return [...client.devices.values()].filter((d) => (s.deviceIndex === undefined || d.index === s.deviceIndex) && d.hasOutput(OutputType.Vibrate));
  }

  return {
    kind: 'buttplug',
    model: () => 'intiface',
    modelCommands: () => COMMANDS,

    async capabilities(device) {
      const { url } = buttplugSettings(device);
      let targets: ButtplugClientDevice[];
      try {
        targets = await vibrators(device);
      } catch {
        return { available: false, supportedCommands: [], detail: `Cannot reach the Intiface server at ${url}` };
      }
      if (targets.length === 0) return { available: false, supportedCommands: [], detail: `The Intiface server at ${url} has no vibrating device connected` };
      return { available: true, supportedCommands: [...COMMANDS], detail: null };
    },

    async command(device, cmd) {
      const { DeviceOutput } = await import('buttplug');
      const targets = await vibrators(device);
      if (targets.length === 0) throw new Error('no vibrating device');
      if (cmd.command === 'vibration.start') {
        await Promise.all(targets.map((d) => d.runOutput(DeviceOutput.Vibrate.percent((cmd.intensityPct ?? 0) / 100))));
      } else if (cmd.command === 'vibration.stop' || cmd.command === 'all.stop') {
        await Promise.all(targets.map((d) => d.stop()));
      } else {
        throw new Error(`${cmd.command} is not supported by Buttplug devices`);
      }
    },

    async stopAll(device) {
      try {
        await Promise.all((await vibrators(device)).map((d) => d.stop()));
      } catch (err) {
        logger.warn({ deviceId: device.id, err: err instanceof Error ? err.message : String(err) }, 'could not stop a Buttplug device');
      }
    },

    async close() {
      const all = [...connections.values()];
      connections.clear();
      await Promise.all(all.map((c) => c.client?.disconnect().catch(() => undefined)));
    },
  };
}
