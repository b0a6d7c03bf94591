import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { OBJECT_ID_PATTERN } from './ids.js';

export const ObjectId = Type.String({ pattern: OBJECT_ID_PATTERN, description: '24-hex id', examples: ['6740f0a1c2d3e4f5a6b7c8d9'] });
export const IsoDate = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) => Type.Union([schema, Type.Null()], options);

/** Error body on `/api/extensions/*` and first-party routes: `error` is an object. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }),
    code: Type.String({ description: 'Same as error.code' }),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody', description: 'Error (first-party and /api/extensions)', additionalProperties: true },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Error body on `/api/apps/v1/*`: `error` is the code string (scripts compare it). */
export const AppsErrorBody = Type.Object(
  {
    error: Type.String(),
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'AppsErrorBody', description: 'Error (/api/apps/v1)', additionalProperties: true },
);
export type AppsErrorBody = Static<typeof AppsErrorBody>;

/**
 * Error body for Chaster-dialect callers (DECISIONS §14): NestJS's `statusCode`, `error` (the
 * reason phrase) and `message`, plus latch's `code` and `requestId`. Some routes add their own
 * fields (the regular-actions 422 adds `nbActionsRemaining`, `nextActionDate`, …).
 */
export const ChasterErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'The HTTP reason phrase, e.g. "Not Found"' }),
    message: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ChasterErrorBody', description: 'Error (Chaster-dialect apps on /api/extensions)', additionalProperties: true },
);
export type ChasterErrorBody = Static<typeof ChasterErrorBody>;

export const Username = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' });
export const Password = Type.String({ minLength: 8, maxLength: 256 });

/**
 * Every URL latch stores (iframe and setup pages, allowed origins, avatars, webhooks): http(s)
 * only. `javascript:`, `data:` and friends are refused (400): a `javascript:` iframe URL has the
 * origin "null", which no host may ever accept.
 */
export const HttpUrl = Type.String({ format: 'uri', maxLength: 2048, pattern: '^https?://' });

export const Profile = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 64 })),
    bio: Type.Optional(Type.String({ maxLength: 1000 })),
    avatarUrl: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
);
export type Profile = Static<typeof Profile>;

export const PublicUser = Type.Object({
  id: ObjectId,
  username: Type.String(),
  profile: Profile,
});
export type PublicUser = Static<typeof PublicUser>;

export const Me = Type.Object({
  id: ObjectId,
  username: Type.String(),
  profile: Profile,
  showOnlineStatus: Type.Boolean(),
  lastSeenAt: Nullable(IsoDate),
  createdAt: IsoDate,
  csrfToken: Type.String({ description: 'Send as `x-csrf-token` on every cookie-authenticated mutation.' }),
});
export type Me = Static<typeof Me>;

export const LockStatus = Type.Union([Type.Literal('locked'), Type.Literal('unlocked'), Type.Literal('deserted')]);
export type LockStatus = Static<typeof LockStatus>;
export const KeyholderStatus = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('withdrawn'), Type.Literal('resigned')]);
export type KeyholderStatus = Static<typeof KeyholderStatus>;

export const LockSettings = Type.Object(
  {
    tasks: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
    hygienicOpening: Type.Object(
      {
        enabled: Type.Boolean(),
        durationSeconds: Type.Integer({ minimum: 60, maximum: 86400, description: 'Default length of one opening' }),
      },
      { additionalProperties: false },
    ),
    pillory: Type.Object(
      {
        enabled: Type.Boolean(),
        maxDurationSeconds: Type.Integer({ minimum: 60, maximum: 604800 }),
      },
      { additionalProperties: false },
    ),
    requiredTaskPoints: Type.Integer({ minimum: 0, maximum: 100000 }),
    trustExternalPrograms: Type.Boolean({ description: 'Keyholder lets /api/apps/v1 scripts take wearer-favouring actions' }),
    verificationPicture: Type.Object({ enabled: Type.Boolean({ description: 'The keyholder (or an extension) may ask the wearer for verification pictures' }) }, { additionalProperties: false }),
    penalties: Type.Object({ enabled: Type.Boolean({ description: 'Habits of the lock’s extensions are tracked and missed ones punished (Chaster’s penalties)' }) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type LockSettings = Static<typeof LockSettings>;

export const LockSettingsInput = Type.Object(
  {
    tasks: Type.Optional(Type.Partial(LockSettings.properties.tasks, { additionalProperties: false })),
    hygienicOpening: Type.Optional(Type.Partial(LockSettings.properties.hygienicOpening, { additionalProperties: false })),
    pillory: Type.Optional(Type.Partial(LockSettings.properties.pillory, { additionalProperties: false })),
    requiredTaskPoints: Type.Optional(LockSettings.properties.requiredTaskPoints),
    trustExternalPrograms: Type.Optional(LockSettings.properties.trustExternalPrograms),
    verificationPicture: Type.Optional(Type.Partial(LockSettings.properties.verificationPicture, { additionalProperties: false })),
    penalties: Type.Optional(Type.Partial(LockSettings.properties.penalties, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type LockSettingsInput = Static<typeof LockSettingsInput>;

export const InstalledExtension = Type.Object({
  sessionId: ObjectId,
  slug: Type.String(),
  name: Type.String(),
  appId: ObjectId,
  config: Type.Unknown(),
  createdAt: IsoDate,
  requestsBackground: Type.Boolean({ description: 'The app asks for `sessions:background`: the lock’s controller may grant it' }),
  background: Type.Union(
    [
      Type.Object({
        grantedAt: IsoDate,
        role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')], { description: 'The role of whoever granted it: the app acts with it' }),
      }),
      Type.Null(),
    ],
    { description: 'The background grant: the app key alone may call this session’s routes. null when not granted' },
  ),
  scopes: Type.Array(Type.String(), { description: 'What the app may do on this lock: the scopes it asks for that the lock’s controller approved' }),
  pendingScopes: Type.Array(Type.String(), {
    description: 'Scopes the app added after it was installed here: unused until the lock’s controller approves them (POST …/extensions/:slug/scopes/approve)',
  }),
});
export type InstalledExtension = Static<typeof InstalledExtension>;

export const Lock = Type.Object({
  id: ObjectId,
  title: Type.String(),
  status: LockStatus,
  wearer: PublicUser,
  keyholder: Nullable(PublicUser),
  keyholderStatus: Nullable(KeyholderStatus),
  keyholderTrusted: Type.Boolean({ description: 'The wearer trusts the keyholder with the extensions (irreversible)' }),
  role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')], { description: 'The caller’s role on this lock' }),
  allowedActions: Type.Array(Type.String(), {
    description: 'What the caller may do on this lock now, by the lock policy’s action names (the `POST …/actions` names, and `unlock`, `hygienic.relock`, `invitation.*`, `keyholder.trust`, `keyholder.resign`, `extension.*`, `archive`, `desert`)',
  }),
  startDate: IsoDate,
  endsAt: Nullable(IsoDate),
  endDate: Nullable(IsoDate),
  frozenAt: Nullable(IsoDate),
  timeRemainingSeconds: Nullable(Type.Integer({ description: 'null when the timer is hidden from the caller' })),
  hiddenTimer: Type.Boolean(),
  maxEndsAt: Nullable(IsoDate),
  minDate: Nullable(IsoDate, { description: 'The initial end was drawn between minDate and maxDate (Chaster `minDate`); null on locks older than the field' }),
  maxDate: Nullable(IsoDate),
  minLimitDate: Nullable(IsoDate, { description: 'Minimum lock time: nobody can unlock before it; null when not set' }),
  limitLockTime: Type.Boolean({ description: 'The lock has a limit lock time (`maxEndsAt`, Chaster `maxLimitDate`); once removed it cannot come back' }),
  hideTimeLogs: Type.Boolean({ description: 'Time changes are left out of the history the wearer reads' }),
  isTestLock: Type.Boolean({ description: 'A test lock: shown with a "Test" badge and left out of statistics' }),
  sharedLockId: Nullable(ObjectId, { description: 'The shared lock it was loaded from' }),
  settings: LockSettings,
  frozenUntil: Nullable(IsoDate),
  pillory: Nullable(Type.Object({ until: IsoDate, reason: Nullable(Type.String()) })),
  hygienicOpening: Nullable(Type.Object({ startedAt: IsoDate, relockBy: IsoDate, overdue: Type.Boolean() })),
  taskPoints: Type.Integer(),
  currentTask: Nullable(
    Type.Object({
      id: ObjectId,
      text: Type.String(),
      points: Type.Integer(),
      durationSeconds: Type.Integer(),
      verificationRequired: Type.Boolean(),
      timerEndsAt: Nullable(IsoDate),
      assignedBy: Type.String(),
      createdAt: IsoDate,
    }),
  ),
  unlock: Type.Optional(
    Type.Object({
      unlockable: Type.Boolean(),
      reasons: Type.Array(Type.String(), { description: 'What holds the lock: not_locked, frozen, time_remaining, extension_blocker, requirement_unsatisfied, task_points, pillory, min_lock_time (the minimum lock time holds even against the keyholder)' }),
      blockers: Type.Array(
        Type.Object({
          sessionId: Type.String(),
          extensionSlug: Type.String(),
          extensionName: Type.String(),
          kind: Type.String(),
          blocker: Type.String(),
          metric: Type.Optional(Type.String()),
          count: Type.Optional(Type.Integer()),
          requiredCount: Type.Optional(Type.Integer()),
        }),
      ),
    }),
  ),
  extensions: Type.Array(InstalledExtension),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  serverNow: IsoDate,
  archivedAt: Type.Optional(Nullable(IsoDate)),
});
export type Lock = Static<typeof Lock>;

export const HistoryActorRole = Type.Union([
  Type.Literal('wearer'),
  Type.Literal('keyholder'),
  Type.Literal('extension'),
  Type.Literal('external'),
  Type.Literal('system'),
]);

export const HistoryEntry = Type.Object({
  id: ObjectId,
  lockId: ObjectId,
  type: Type.String(),
  role: HistoryActorRole,
  actor: Nullable(Type.Object({ userId: Nullable(ObjectId), username: Nullable(Type.String()), extensionSlug: Nullable(Type.String()) })),
  title: Type.String(),
  description: Type.String(),
  icon: Nullable(Type.String()),
  color: Nullable(Type.String()),
  payload: Type.Unknown(),
  createdAt: IsoDate,
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const Notification = Type.Object({
  id: ObjectId,
  type: Type.String(),
  lockId: Nullable(ObjectId),
  title: Type.String(),
  message: Type.String(),
  showPageOverlay: Type.Boolean(),
  payload: Type.Unknown(),
  readAt: Nullable(IsoDate),
  createdAt: IsoDate,
});
export type Notification = Static<typeof Notification>;

/** Which extension API an app speaks (DECISIONS §14). */
export const AppDialect = Type.Union([Type.Literal('chastify'), Type.Literal('chaster')], {
  description: 'The wire shapes of /api/extensions/* for this app (DECISIONS §14; default chastify); fixed once the app is installed on a lock',
});

export const ExtensionSummary = Type.Object({
  id: ObjectId,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  iframeUrl: Nullable(Type.String()),
  setupUrl: Nullable(Type.String()),
  defaultConfig: Type.Unknown({ description: 'In catalog lists: null when larger than 4 KiB (`defaultConfigOmitted`); `GET /api/extensions/{slug}` has it whole (≤ 64 KiB)' }),
  defaultConfigOmitted: Type.Optional(Type.Boolean({ description: 'The catalog left a large defaultConfig out: read it from `GET /api/extensions/{slug}`' })),
  requestsBackground: Type.Boolean({ description: 'The app asks for `sessions:background` (act while nobody has it open); granting it is a choice at install' }),
  scopes: Type.Array(Type.String(), { description: 'What the app asks to do (shown at install; installing approves them)' }),
  dialect: AppDialect,
});
export type ExtensionSummary = Static<typeof ExtensionSummary>;
