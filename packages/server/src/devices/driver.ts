import type { DeviceCommand, DeviceKind } from '@latch/protocol';
import type { DeviceRow } from '../db/types.js';

/** A command with its parameters after clamping: what the hardware is asked to do. */
export interface AppliedCommand {
  command: DeviceCommand;
  durationSeconds?: number;
  intensityPct?: number;
  frequencyPct?: number | null;
  enabled?: boolean;
  minIntensityPct?: number;
  maxIntensityPct?: number;
  message?: string | null;
}

export interface DeviceCapabilities {
  /** The device can be reached now. */
  available: boolean;
  /** What it accepts now (empty while unavailable). */
  supportedCommands: DeviceCommand[];
  /** Why it is unavailable. */
  detail: string | null;
}

/**
 * One kind of device (DECISIONS §11). The platform keeps what a device is doing in the database
 * (`device_state`, shared by every process, ended by scheduler jobs); a driver makes the hardware
 * follow it and says what the hardware can do.
 */
export interface DeviceDriver {
  readonly kind: DeviceKind;
  /** `default`/`lockink` for virtual devices, `intiface` for Buttplug. */
  model(device: DeviceRow): string;
  /** What this model supports at all, without connecting (to tell "unsupported" from "unreachable"). */
  modelCommands(device: DeviceRow): readonly DeviceCommand[];
  /** What the device can do right now (may connect). */
  capabilities(device: DeviceRow): Promise<DeviceCapabilities>;
  /** Makes the hardware follow a command; throws when it cannot. */
  command(device: DeviceRow, cmd: AppliedCommand): Promise<void>;
  /** Stops everything; best effort (a stop must never be refused). */
  stopAll(device: DeviceRow): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
