import type { FastifyBaseLogger } from 'fastify';
import {
  DEVICE_COMMANDS,
  DEVICE_LIMITS,
  isDeviceCommand,
  type AttachDeviceBody,
  type Device,
  type DeviceCommand,
  type DeviceCommandResponse,
  type DeviceControl,
  type DeviceKind,
  type DeviceLiveState,
} from '@latch/protocol';
import type { DeviceRow, DeviceStateRow, LockRow } from '../db/types.js';
import { fromJson, toJson } from '../db/json.js';
import { createButtplugDriver } from '../devices/buttplug.js';
import type { AppliedCommand, DeviceCapabilities, DeviceDriver } from '../devices/driver.js';
import { createVirtualDriver } from '../devices/virtual.js';
import { ApiError, notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { deleteDevice, findChannelState, findDevice, findDeviceById, findDevicesOfLocks, findDeviceStates, insertDevice, upsertChannelState } from '../storage/devices.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { writeHistory } from './history.js';
import type { Actor } from './lockEngine.js';
import type { JobContext } from './scheduler.js';

type Channel = DeviceStateRow['channel'];
const CHANNELS: Channel[] = ['shock', 'vibration', 'random', 'berserk'];
const TIMED: Channel[] = ['shock', 'vibration'];
const STOPS: readonly DeviceCommand[] = ['shock.stop', 'vibration.stop', 'all.stop'];
export const MAX_DEVICES_PER_LOCK = 5;
/** Random-mode intensities when the command leaves them out. */
const RANDOM_DEFAULT = { min: 10, max: 50 };

export const DEVICE_JOB = { channelEnd: 'device.channel_end' } as const;
const jobKey = (deviceId: string, channel: Channel) => `device:${deviceId}:${channel}`;

const NO_DEVICE_CONTROL: DeviceControl = { available: false, supportedCommands: [], active: { shocking: false, vibrating: false, random: false, berserk: false } };

// ---------------------------------------------------------------------------------------------
// Parameters: clamp, don't refuse (spec 002); types and unknown names are refused (400).

const PARAMS: Record<DeviceCommand, readonly string[]> = {
  'shock.start': ['durationSeconds', 'intensityPct', 'message'],
  'shock.stop': ['message'],
  'vibration.start': ['durationSeconds', 'intensityPct', 'frequencyPct', 'message'],
  'vibration.stop': ['message'],
  'all.stop': ['message'],
  'shock.random.set': ['enabled', 'minIntensityPct', 'maxIntensityPct', 'message'],
  'shock.berserk.set': ['enabled', 'message'],
};

export function parseDeviceParams(command: DeviceCommand, raw: Record<string, unknown> | undefined): { applied: AppliedCommand; clamped: string[] } {
  const p = raw ?? {};
  const unknown = Object.keys(p).filter((k) => !PARAMS[command].includes(k));
  if (unknown.length) throw new ApiError('invalid_params', `${command} does not take ${unknown.join(', ')}; it takes ${PARAMS[command].join(', ')}`, { unknown });
  const clamped: string[] = [];
  const num = (key: string, range: { min: number; max: number }, required: boolean): number | undefined => {
    const v = p[key];
    if (v === undefined || v === null) {
      if (required) throw new ApiError('invalid_params', `${command} needs params.${key} (a number, ${range.min}–${range.max})`, { param: key });
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ApiError('invalid_params', `params.${key} must be a number`, { param: key });
    const c = Math.min(range.max, Math.max(range.min, Math.round(v)));
    if (c !== v) clamped.push(key);
    return c;
  };
  const bool = (key: string): boolean => {
    const v = p[key];
    if (typeof v !== 'boolean') throw new ApiError('invalid_params', `${command} needs params.${key} (true or false)`, { param: key });
    return v;
  };
  const message = (() => {
    const v = p.message;
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw new ApiError('invalid_params', 'params.message must be a string', { param: 'message' });
    if (v.length > DEVICE_LIMITS.messageMaxLength) throw new ApiError('invalid_params', `params.message may be at most ${DEVICE_LIMITS.messageMaxLength} characters`, { param: 'message' });
    return v;
  })();

  const applied: AppliedCommand = { command, message };
  switch (command) {
    case 'shock.start':
      applied.durationSeconds = num('durationSeconds', DEVICE_LIMITS.durationSeconds, true);
      applied.intensityPct = num('intensityPct', DEVICE_LIMITS.intensityPct, true);
      break;
    case 'vibration.start':
      applied.durationSeconds = num('durationSeconds', DEVICE_LIMITS.durationSeconds, true);
      applied.intensityPct = num('intensityPct', DEVICE_LIMITS.intensityPct, true);
      applied.frequencyPct = num('frequencyPct', DEVICE_LIMITS.frequencyPct, false) ?? null;
      break;
    case 'shock.random.set': {
      applied.enabled = bool('enabled');
      const min = num('minIntensityPct', DEVICE_LIMITS.intensityPct, false);
      const max = num('maxIntensityPct', DEVICE_LIMITS.intensityPct, false);
      // A missing bound never contradicts the given one.
      applied.minIntensityPct = min ?? Math.min(RANDOM_DEFAULT.min, max ?? RANDOM_DEFAULT.min);
      applied.maxIntensityPct = max ?? Math.max(RANDOM_DEFAULT.max, min ?? RANDOM_DEFAULT.max);
      if (applied.minIntensityPct > applied.maxIntensityPct) {
        throw new ApiError('invalid_params', `minIntensityPct (${applied.minIntensityPct}) must not exceed maxIntensityPct (${applied.maxIntensityPct})`, { param: 'minIntensityPct' });
      }
      break;
    }
    case 'shock.berserk.set':
      applied.enabled = bool('enabled');
      break;
    default:
      break;
  }
  return { applied, clamped };
}

function historyTitle(a: AppliedCommand): string {
  switch (a.command) {
    case 'shock.start':
      return `Shock for ${a.durationSeconds} s at ${a.intensityPct}%`;
    case 'shock.stop':
      return 'Shock stopped';
    case 'vibration.start':
      return `Vibration for ${a.durationSeconds} s at ${a.intensityPct}%${a.frequencyPct ? `, frequency ${a.frequencyPct}%` : ''}`;
    case 'vibration.stop':
      return 'Vibration stopped';
    case 'all.stop':
      return 'All device activity stopped';
    case 'shock.random.set':
      return a.enabled ? `Random shocks on (${a.minIntensityPct}–${a.maxIntensityPct}%)` : 'Random shocks off';
    case 'shock.berserk.set':
      return a.enabled ? 'Berserk mode on' : 'Berserk mode off';
  }
}

/** The parameters worth echoing for a command (the response's `applied`). */
function appliedView(a: AppliedCommand): DeviceCommandResponse['applied'] {
  const { command: _c, ...rest } = a;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as DeviceCommandResponse['applied'];
}

// ---------------------------------------------------------------------------------------------

export function liveState(rows: DeviceStateRow[], now: number): DeviceLiveState {
  const ch = (c: Channel) => rows.find((r) => r.channel === c);
  // A timed channel is over at its end even before the job has run.
  const on = (r: DeviceStateRow | undefined) => !!r && r.active === 1 && (r.ends_at === null || Number(r.ends_at) > now);
  const shock = ch('shock');
  const vib = ch('vibration');
  const random = ch('random');
  const latest = [...rows].filter(on).sort((a, b) => Number(b.updated_at) - Number(a.updated_at))[0];
  return {
    shocking: on(shock),
    shockIntensityPct: on(shock) ? shock!.intensity : null,
    shockUntil: on(shock) ? isoOrNull(shock!.ends_at) : null,
    vibrating: on(vib),
    vibrationIntensityPct: on(vib) ? vib!.intensity : null,
    vibrationFrequencyPct: on(vib) ? vib!.frequency : null,
    vibrationUntil: on(vib) ? isoOrNull(vib!.ends_at) : null,
    random: on(random),
    randomMinIntensityPct: on(random) ? random!.min_intensity : null,
    randomMaxIntensityPct: on(random) ? random!.max_intensity : null,
    berserk: on(ch('berserk')),
    message: latest?.message ?? null,
  };
}

export function createDeviceService({
  db,
  clock,
  ids,
  logger,
  buttplugAllowedHosts,
  drivers: driverOverrides,
}: ServiceDeps & { logger: FastifyBaseLogger; buttplugAllowedHosts: string[]; drivers?: Partial<Record<DeviceKind, DeviceDriver>> }) {
  const drivers: Record<DeviceKind, DeviceDriver> = { virtual: createVirtualDriver(), buttplug: createButtplugDriver(logger), ...driverOverrides };
  const driverOf = (d: DeviceRow) => drivers[d.kind];

  async function describe(devices: DeviceRow[], known?: DeviceStateRow[]) {
    const states = known ?? (await findDeviceStates(db, devices.map((d) => d.id)));
    const caps = await Promise.all(devices.map((d) => driverOf(d).capabilities(d).catch((err: unknown): DeviceCapabilities => ({ available: false, supportedCommands: [], detail: err instanceof Error ? err.message : String(err) }))));
    const now = clock.now();
    return devices.map((device, i) => ({ device, caps: caps[i]!, state: liveState(states.filter((s) => s.device_id === device.id), now) }));
  }

  function view(d: { device: DeviceRow; caps: DeviceCapabilities; state: DeviceLiveState }): Device {
    const { device, caps, state } = d;
    return {
      id: device.id,
      lockId: device.lock_id,
      kind: device.kind,
      model: driverOf(device).model(device),
      name: device.name,
      settings: fromJson<Record<string, unknown>>(device.settings, {}),
      available: caps.available,
      detail: caps.detail,
      supportedCommands: caps.supportedCommands,
      state,
      createdAt: iso(device.created_at),
    };
  }

  function control(described: Awaited<ReturnType<typeof describe>>): DeviceControl {
    if (described.length === 0) return NO_DEVICE_CONTROL;
    const supported = new Set(described.flatMap((d) => (d.caps.available ? d.caps.supportedCommands : [])));
    return {
      available: described.some((d) => d.caps.available),
      supportedCommands: DEVICE_COMMANDS.filter((c) => supported.has(c)),
      active: {
        shocking: described.some((d) => d.state.shocking),
        vibrating: described.some((d) => d.state.vibrating),
        random: described.some((d) => d.state.random),
        berserk: described.some((d) => d.state.berserk),
      },
    };
  }

  function checkButtplugUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ApiError('invalid_params', 'url must be a ws:// or wss:// URL of an Intiface server', { param: 'url' });
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new ApiError('invalid_params', 'url must be a ws:// or wss:// URL of an Intiface server', { param: 'url' });
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    // The server connects to this URL: only hosts the operator allowed (SSRF).
    if (!buttplugAllowedHosts.includes('*') && !buttplugAllowedHosts.includes(host)) {
      throw new ApiError('invalid_params', `This server only connects to Intiface servers on ${buttplugAllowedHosts.join(', ')} (BUTTPLUG_ALLOWED_HOSTS)`, { param: 'url' });
    }
    return url.toString().replace(/\/$/, '');
  }

  /** Writes one command's effect on one device's channels, with the jobs that end timed ones. */
  async function applyState(tx: Executor, device: DeviceRow, a: AppliedCommand, now: number): Promise<void> {
    const base = (channel: Channel): DeviceStateRow => ({ device_id: device.id, channel, active: 0, intensity: null, frequency: null, min_intensity: null, max_intensity: null, message: a.message ?? null, started_at: null, ends_at: null, updated_at: now });
    const stop = async (channel: Channel) => {
      await upsertChannelState(tx, base(channel));
      if (TIMED.includes(channel)) await cancelJob(tx, jobKey(device.id, channel));
    };
    const startTimed = async (channel: Channel, extra: Partial<DeviceStateRow>) => {
      const endsAt = now + a.durationSeconds! * 1000;
      await upsertChannelState(tx, { ...base(channel), ...extra, active: 1, started_at: now, ends_at: endsAt });
      await scheduleJob(tx, { id: ids.objectId(), kind: DEVICE_JOB.channelEnd, key: jobKey(device.id, channel), runAt: endsAt, payload: { deviceId: device.id, channel, endsAt }, now });
    };
    switch (a.command) {
      case 'shock.start':
        return startTimed('shock', { intensity: a.intensityPct! });
      case 'vibration.start':
        return startTimed('vibration', { intensity: a.intensityPct!, frequency: a.frequencyPct ?? null });
      case 'shock.stop':
        return stop('shock');
      case 'vibration.stop':
        return stop('vibration');
      case 'all.stop':
        for (const c of CHANNELS) await stop(c);
        return;
      case 'shock.random.set':
        await upsertChannelState(tx, { ...base('random'), active: a.enabled ? 1 : 0, min_intensity: a.enabled ? a.minIntensityPct! : null, max_intensity: a.enabled ? a.maxIntensityPct! : null, started_at: a.enabled ? now : null });
        return;
      case 'shock.berserk.set':
        await upsertChannelState(tx, { ...base('berserk'), active: a.enabled ? 1 : 0, started_at: a.enabled ? now : null });
        return;
    }
  }

  return {
    drivers,

    /** `deviceControl` of `session.get` for each lock (no devices: unavailable, nothing active). */
    async controlOf(lockIds: string[], { devices, states }: { devices: DeviceRow[]; states: DeviceStateRow[] }): Promise<Map<string, DeviceControl>> {
      const described = await describe(devices, states);
      return new Map(lockIds.map((id) => [id, control(described.filter((d) => d.device.lock_id === id))]));
    },

    async list(lockId: string): Promise<{ devices: Device[]; deviceControl: DeviceControl }> {
      const described = await describe(await findDevicesOfLocks(db, [lockId]));
      return { devices: described.map(view), deviceControl: control(described) };
    },

    async attach(lock: LockRow, body: AttachDeviceBody, actor: Actor): Promise<Device> {
      if (lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
      const existing = await findDevicesOfLocks(db, [lock.id]);
      if (existing.length >= MAX_DEVICES_PER_LOCK) throw new ApiError('conflict', `A lock may have at most ${MAX_DEVICES_PER_LOCK} devices`);
      const now = clock.now();
      let settings: Record<string, unknown>;
      let name: string;
      if (body.kind === 'virtual') {
        const model = body.model ?? 'default';
        settings = { model };
        name = body.name ?? (model === 'lockink' ? 'Virtual Lockink AA-A1012' : 'Virtual device');
      } else {
        const url = checkButtplugUrl(body.url);
        settings = { url, ...(body.deviceIndex !== undefined ? { deviceIndex: body.deviceIndex } : {}) };
        name = body.name ?? `Intiface (${new URL(url).host})`;
      }
      const row: DeviceRow = { id: ids.objectId(), lock_id: lock.id, kind: body.kind, name, settings: toJson(settings), created_by: actor.userId ?? null, created_at: now, updated_at: now };
      await db.transaction().execute(async (tx) => {
        await insertDevice(tx, row);
        await writeHistory(tx, ids, now, { lockId: lock.id, type: 'device_attached', role: actor.role, actorUserId: actor.userId ?? null, extensionSlug: actor.extensionSlug ?? null, title: `Device attached: ${name}`, payload: { deviceId: row.id, kind: row.kind, settings } });
      });
      return view((await describe([row]))[0]!);
    },

    async detach(lock: LockRow, deviceId: string, actor: Actor): Promise<void> {
      const device = await findDevice(db, lock.id, deviceId);
      if (!device) throw notFound('Device');
      await driverOf(device).stopAll(device);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        for (const c of TIMED) await cancelJob(tx, jobKey(device.id, c));
        await deleteDevice(tx, device.id);
        await writeHistory(tx, ids, now, { lockId: lock.id, type: 'device_detached', role: actor.role, actorUserId: actor.userId ?? null, extensionSlug: actor.extensionSlug ?? null, title: `Device removed: ${device.name}`, payload: { deviceId: device.id, kind: device.kind } });
      });
    },

    /**
     * One command (spec 002) to every attached device that supports it. Checks, first failure
     * wins: unknown command (422 unsupported_command), no device (409 device_not_available), no
     * device whose model supports it (422 unsupported_command), none reachable (409
     * device_not_available), parameters (400 invalid_params). `all.stop` always succeeds.
     */
    async command(lock: LockRow, actor: Actor, name: string, params: Record<string, unknown> | undefined): Promise<DeviceCommandResponse> {
      if (!isDeviceCommand(name)) throw new ApiError('unsupported_command', `Unknown device command "${name}"; one of ${DEVICE_COMMANDS.join(', ')}`, { command: name });
      const isStop = STOPS.includes(name);
      if (!isStop && lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
      const devices = await findDevicesOfLocks(db, [lock.id]);
      // DECISIONS §11: none attached → 409, for every command (a stop included: nothing to stop is
      // not a success a script should believe).
      if (devices.length === 0) throw new ApiError('device_not_available', 'No device is attached to this lock');
      const capable = devices.filter((d) => driverOf(d).modelCommands(d).includes(name));
      if (capable.length === 0 && name !== 'all.stop') {
        throw new ApiError('unsupported_command', `No device on this lock supports ${name}`, { command: name, supportedCommands: [...new Set(devices.flatMap((d) => driverOf(d).modelCommands(d)))] });
      }
      let targets = capable;
      if (!isStop) {
        const caps = await Promise.all(capable.map((d) => driverOf(d).capabilities(d)));
        targets = capable.filter((_, i) => caps[i]!.available && caps[i]!.supportedCommands.includes(name));
        if (targets.length === 0) throw new ApiError('device_not_available', caps.map((c) => c.detail).filter(Boolean).join('; ') || 'No attached device can be reached now');
      }
      const { applied, clamped } = parseDeviceParams(name, params);

      // The hardware first: a start that no device took is not recorded as running.
      const delivered: DeviceRow[] = [];
      for (const d of targets) {
        try {
          await driverOf(d).command(d, applied);
          delivered.push(d);
        } catch (err) {
          logger.warn({ deviceId: d.id, command: name, err: err instanceof Error ? err.message : String(err) }, 'device command failed');
          // A stop is recorded anyway: the platform's state must never say "running" after a stop.
          if (isStop) delivered.push(d);
        }
      }
      if (delivered.length === 0 && !isStop) throw new ApiError('device_not_available', 'No attached device took the command');

      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        for (const d of delivered) await applyState(tx, d, applied, now);
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'device_command',
          role: actor.role,
          actorUserId: actor.userId ?? null,
          extensionSlug: actor.extensionSlug ?? null,
          title: historyTitle(applied),
          description: applied.message ?? '',
          payload: { command: name, applied: appliedView(applied), clamped, deviceIds: delivered.map((d) => d.id) },
        });
      });
      const after = await describe(devices);
      return {
        ok: true,
        command: name,
        applied: appliedView(applied),
        clamped,
        endsAt: applied.durationSeconds ? iso(now + applied.durationSeconds * 1000) : null,
        devices: delivered.map((d) => ({ id: d.id, kind: d.kind, model: driverOf(d).model(d), name: d.name })),
        active: control(after).active,
      };
    },

    jobHandlers: {
      /** A timed shock or vibration has run its course. */
      [DEVICE_JOB.channelEnd]: async (job: JobContext, tx: Executor) => {
        const deviceId = String(job.payload.deviceId);
        const channel = String(job.payload.channel) as Channel;
        const row = await findChannelState(tx, deviceId, channel);
        if (!row || row.active !== 1 || row.ends_at === null || Number(row.ends_at) > job.runAt) return;
        await upsertChannelState(tx, { ...row, active: 0, updated_at: job.runAt });
        const device = await findDeviceById(tx, deviceId);
        const stop: DeviceCommand = channel === 'shock' ? 'shock.stop' : 'vibration.stop';
        if (device && driverOf(device).modelCommands(device).includes(stop)) {
          await driverOf(device)
            .command(device, { command: stop })
            .catch((err: unknown) => logger.warn({ deviceId, err: err instanceof Error ? err.message : String(err) }, 'could not stop vibration at its end'));
        }
      },
    },

    close: () => Promise.all(Object.values(drivers).map((d) => d.close())).then(() => undefined),
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
