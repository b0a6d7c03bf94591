import { Type, type Static } from '@sinclair/typebox';
import { DeviceControl } from './devices.js';
import { IsoDate, Nullable, ObjectId } from './schemas.js';

/** Wire shapes of the extension session API (spec 000/001/002/004, DECISIONS §6). */

export const Role = Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')]);
export type Role = Static<typeof Role>;

export const HomeActionIntent = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64 }),
    title: Type.Optional(Type.String({ maxLength: 80 })),
    message: Type.Optional(Type.String({ maxLength: 280 })),
    payload: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const HomeAction = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 280 })),
    icon: Type.Optional(Type.String({ maxLength: 64 })),
    badge: Type.Optional(Type.String({ maxLength: 32 })),
    intent: Type.Optional(HomeActionIntent),
  },
  { additionalProperties: false },
);
export type HomeAction = Static<typeof HomeAction>;

export const UnlockBlocker = Type.String({ minLength: 1, maxLength: 200 });

export const UnlockRequirementConfig = Type.Object({
  metric: Type.String({ minLength: 1, maxLength: 64 }),
  requiredCount: Type.Integer({ minimum: 1 }),
  blocker: Type.Optional(Type.String({ maxLength: 200 })),
});

export const UnlockRequirementStatus = Type.Object({
  metric: Type.String(),
  requiredCount: Type.Integer(),
  blocker: Type.String(),
  count: Type.Integer({ description: 'All-time trusted progress for the metric' }),
  satisfied: Type.Boolean(),
});
export type UnlockRequirementStatus = Static<typeof UnlockRequirementStatus>;

export const AggregatedBlocker = Type.Object({
  sessionId: ObjectId,
  extensionSlug: Type.String(),
  extensionName: Type.String(),
  kind: Type.Union([Type.Literal('manual'), Type.Literal('requirement')]),
  blocker: Type.String(),
  metric: Type.Optional(Type.String()),
  count: Type.Optional(Type.Integer()),
  requiredCount: Type.Optional(Type.Integer()),
});
export type AggregatedBlocker = Static<typeof AggregatedBlocker>;

export const MetadataPatch = Type.Object(
  {
    unlockBlockers: Type.Optional(Type.Array(UnlockBlocker, { maxItems: 25 })),
    homeActions: Type.Optional(Type.Array(HomeAction, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type MetadataPatch = Static<typeof MetadataPatch>;

export const Metadata = Type.Object({
  unlockBlockers: Type.Array(Type.String(), { description: 'This extension’s manual blockers' }),
  homeActions: Type.Array(HomeAction),
  unlockRequirements: Type.Array(UnlockRequirementStatus, { description: 'This extension’s progress-based requirements' }),
  aggregatedUnlockBlockers: Type.Array(AggregatedBlocker, { description: 'Every blocker of every enabled extension on the lock' }),
  unlockBlocked: Type.Boolean({ description: 'true while any extension blocks unlocking' }),
});
export type Metadata = Static<typeof Metadata>;

export const LockData = Type.Object({
  frozen: Type.Boolean(),
  unlockable: Type.Boolean(),
  trusted: Type.Boolean({ description: 'The keyholder trusts external programs with wearer-favouring actions' }),
  taskAssigned: Type.Boolean(),
  timeLockedSeconds: Type.Integer(),
  timeRemainingSeconds: Nullable(Type.Integer()),
  maxTimeRemainingSeconds: Nullable(Type.Integer()),
  taskPoints: Type.Integer(),
  taskPointsRequired: Type.Integer(),
  lockTitle: Type.String(),
  wearerUsername: Type.String(),
  wearerDisplayName: Nullable(Type.String()),
  wearerAvatarUrl: Nullable(Type.String()),
  keyholderUsername: Nullable(Type.String()),
  keyholderDisplayName: Nullable(Type.String()),
  keyholderAvatarUrl: Nullable(Type.String()),
  wearerLastSeenTimestamp: Nullable(Type.Integer({ description: 'epoch ms; null when the wearer hides online status' })),
  keyholderLastSeenTimestamp: Nullable(Type.Integer({ description: 'epoch ms; null when the keyholder hides online status' })),
  locked: Type.Boolean(),
  inPillory: Type.Boolean(),
  hygienicOpening: Type.Boolean(),
  unlockBlockedReasons: Type.Array(Type.String(), { description: 'Why the lock cannot be unlocked now (empty when unlockable)' }),
});
export type LockData = Static<typeof LockData>;

export const SessionLock = Type.Object({
  _id: ObjectId,
  title: Type.String(),
  status: Type.Union([Type.Literal('locked'), Type.Literal('unlocked'), Type.Literal('deserted')]),
  startDate: IsoDate,
  endDate: Nullable(IsoDate),
  endsAt: Nullable(IsoDate),
  frozenAt: Nullable(IsoDate),
  hiddenTimer: Type.Boolean(),
  wearerId: ObjectId,
  keyholderId: Nullable(ObjectId),
});
export type SessionLock = Static<typeof SessionLock>;

export const ExtensionSession = Type.Object({
  sessionId: ObjectId,
  lockId: ObjectId,
  role: Nullable(Role),
  status: Type.Union([Type.Literal('locked'), Type.Literal('unlocked'), Type.Literal('deserted'), Type.Literal('removed')]),
  extension: Type.Object({ slug: Type.String(), name: Type.String(), appId: ObjectId }),
  config: Type.Unknown(),
  metadata: Metadata,
  lock: SessionLock,
  lockData: LockData,
  regularActions: Nullable(Type.Unknown()),
  deviceControl: DeviceControl,
  capabilities: Type.Object({
    scopes: Type.Array(Type.String()),
    backendMutations: Type.Boolean({ description: 'These credentials may call this session’s mutation routes' }),
    background: Type.Boolean({ description: 'The lock granted this app background access: the app key alone may call this session’s routes (latch, DECISIONS §10)' }),
    bridgeReadActions: Type.Array(Type.String()),
  }),
  startDate: IsoDate,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ExtensionSession = Static<typeof ExtensionSession>;

export const StateBody = Type.Object({ data: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
export const StateResponse = Type.Object({ data: Type.Record(Type.String(), Type.Unknown()), version: Type.Integer() });

export const CustomLogBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 180 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    icon: Type.Optional(Type.String({ maxLength: 64 })),
    color: Type.Optional(Type.String({ pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' })),
    role: Type.Optional(Type.Union([Type.Literal('extension'), Type.Literal('wearer'), Type.Literal('keyholder')])),
  },
  { additionalProperties: false },
);

export const CustomNotificationBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    message: Type.Optional(Type.String({ maxLength: 1000, default: '' })),
    showPageOverlay: Type.Optional(Type.Boolean({ default: false })),
    target: Type.Optional(Type.Union([Type.Literal('wearer'), Type.Literal('keyholder'), Type.Literal('both')], { default: 'wearer' })),
  },
  { additionalProperties: false },
);

export const ProgressBody = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 64 }),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const SearchBody = Type.Object(
  {
    extensionSlug: Type.String({ minLength: 1, maxLength: 64 }),
    status: Type.Optional(Type.Union([Type.Literal('locked'), Type.Literal('unlocked'), Type.Literal('deserted'), Type.Literal('all')], { default: 'locked' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 15 })),
    paginationLastId: Type.Optional(Nullable(ObjectId)),
  },
  { additionalProperties: false },
);
