import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, Nullable, ObjectId } from './schemas.js';
import { DEVICE_COMMANDS } from './sdk.js';

/** Server-side clamps: out-of-range values are clamped (and reported), never refused. */
export const DEVICE_LIMITS = {
  durationSeconds: { min: 1, max: 300 },
  intensityPct: { min: 1, max: 100 },
  frequencyPct: { min: 1, max: 100 },
  messageMaxLength: 500,
} as const;

export const DEVICE_KINDS = ['virtual', 'buttplug'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** What `session.get` says about devices: `active` has exactly these four flags. */
export const DeviceControl = Type.Object({
  available: Type.Boolean({ description: 'At least one attached device can be reached now' }),
  supportedCommands: Type.Array(Type.String()),
  active: Type.Object({ shocking: Type.Boolean(), vibrating: Type.Boolean(), random: Type.Boolean(), berserk: Type.Boolean() }),
});
export type DeviceControl = Static<typeof DeviceControl>;

export const DeviceCommandBody = Type.Object(
  {
    command: Type.String({ minLength: 1, maxLength: 64, description: DEVICE_COMMANDS.map((c) => `\`${c}\``).join(', ') }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Per command (spec 002); numbers are clamped, not refused' })),
  },
  { additionalProperties: false },
);
export type DeviceCommandBody = Static<typeof DeviceCommandBody>;

export const AppliedDeviceParams = Type.Object({
  durationSeconds: Type.Optional(Type.Integer()),
  intensityPct: Type.Optional(Type.Integer()),
  frequencyPct: Type.Optional(Nullable(Type.Integer())),
  enabled: Type.Optional(Type.Boolean()),
  minIntensityPct: Type.Optional(Type.Integer()),
  maxIntensityPct: Type.Optional(Type.Integer()),
  message: Type.Optional(Nullable(Type.String())),
});

export const DeviceCommandResponse = Type.Object({
  ok: Type.Literal(true),
  command: Type.String(),
  applied: AppliedDeviceParams,
  clamped: Type.Array(Type.String(), { description: 'Parameters whose value was clamped or rounded into range' }),
  endsAt: Nullable(IsoDate),
  devices: Type.Array(Type.Object({ id: ObjectId, kind: Type.String(), model: Type.String(), name: Type.String() })),
  active: DeviceControl.properties.active,
});
export type DeviceCommandResponse = Static<typeof DeviceCommandResponse>;

export const DeviceLiveState = Type.Object({
  shocking: Type.Boolean(),
  shockIntensityPct: Nullable(Type.Integer()),
  shockUntil: Nullable(IsoDate),
  vibrating: Type.Boolean(),
  vibrationIntensityPct: Nullable(Type.Integer()),
  vibrationFrequencyPct: Nullable(Type.Integer()),
  vibrationUntil: Nullable(IsoDate),
  random: Type.Boolean(),
  randomMinIntensityPct: Nullable(Type.Integer()),
  randomMaxIntensityPct: Nullable(Type.Integer()),
  berserk: Type.Boolean(),
  message: Nullable(Type.String({ description: 'The message of the latest command' })),
});
export type DeviceLiveState = Static<typeof DeviceLiveState>;

export const Device = Type.Object({
  id: ObjectId,
  lockId: ObjectId,
  kind: Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k))),
  model: Type.String({ description: 'virtual: `default` (shock, vibration) or `lockink` (adds random and berserk shock modes); buttplug: `intiface`' }),
  name: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  available: Type.Boolean(),
  detail: Nullable(Type.String({ description: 'Why the device is unavailable' })),
  supportedCommands: Type.Array(Type.String()),
  state: DeviceLiveState,
  createdAt: IsoDate,
});
export type Device = Static<typeof Device>;

export const AttachDeviceBody = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('virtual'),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
      model: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('lockink')], { default: 'default' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('buttplug'),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
      url: Type.String({ maxLength: 300, description: 'The Intiface server, e.g. ws://127.0.0.1:12345 (hosts limited by BUTTPLUG_ALLOWED_HOSTS)' }),
      deviceIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Only this device of the server (default: every device that vibrates)' })),
    },
    { additionalProperties: false },
  ),
]);
export type AttachDeviceBody = Static<typeof AttachDeviceBody>;
