import { Type, type Static } from '@sinclair/typebox';
import { Habit } from './builtins.js';
import { AppDialect, IsoDate, Nullable, ObjectId } from './schemas.js';

/** Wire shapes of the developer console (`/api/developer/*`) and the sandbox clock (`/api/dev/clock`). */


export const AppView = Type.Object({
  id: ObjectId,
  ownerId: ObjectId,
  slug: Type.String(),
  dialect: AppDialect,
  clientId: Nullable(Type.String(), { description: 'Chaster apps: the public client id (`X-Chaster-Client-Id`)' }),
  name: Type.String(),
  description: Type.String(),
  iframeUrl: Nullable(Type.String()),
  setupUrl: Nullable(Type.String()),
  allowedOrigins: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  defaultConfig: Type.Unknown(),
  initialMetadata: Type.Unknown(),
  regularActions: Type.Unknown(),
  extensionRequirements: Type.Unknown(),
  attemptLimit: Type.Unknown(),
  habits: Type.Array(Habit, { description: 'Chaster apps: habits locks may enable (penalties)' }),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type AppView = Static<typeof AppView>;

export const KeyView = Type.Object({
  id: ObjectId,
  name: Type.String(),
  kind: Type.Union([Type.Literal('app'), Type.Literal('user')]),
  appId: Nullable(ObjectId),
  prefix: Type.String(),
  last4: Type.String(),
  createdAt: IsoDate,
  lastUsedAt: Nullable(IsoDate),
  revokedAt: Nullable(IsoDate),
});
export type KeyView = Static<typeof KeyView>;

export const AuditEntry = Type.Object({
  id: ObjectId,
  appId: Nullable(ObjectId),
  lockId: Nullable(ObjectId),
  sessionId: Nullable(ObjectId),
  userId: Nullable(ObjectId),
  credential: Type.String(),
  credentialId: Nullable(ObjectId),
  method: Type.String(),
  route: Type.String(),
  action: Nullable(Type.String()),
  status: Type.Integer(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('refused'), Type.Literal('error')]),
  errorCode: Nullable(Type.String()),
  requestId: Type.String(),
  createdAt: IsoDate,
});
export type AuditEntry = Static<typeof AuditEntry>;

export const ClockView = Type.Object({
  now: IsoDate,
  nowMs: Type.Integer(),
  advanceable: Type.Boolean(),
  jobsRun: Type.Optional(
    Type.Array(
      Type.Object({
        id: ObjectId,
        kind: Type.String(),
        key: Type.String(),
        runAt: IsoDate,
        outcome: Type.String(),
        result: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "What the job reported, e.g. the retention sweep's rows removed per table" })),
      }),
      { description: 'The jobs that fell due and ran, in time order' },
    ),
  ),
});
export type ClockView = Static<typeof ClockView>;

/** Basic auth latch sends to a Chaster app's webhook receiver (Chaster's webhooks page); a colon ends the user-id in Basic auth, so none in it. */
export const WebhookBasicAuth = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^:]*$' }), password: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type WebhookBasicAuth = Static<typeof WebhookBasicAuth>;

export const WebhookEndpointView = Type.Object({
  id: ObjectId,
  appId: ObjectId,
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  description: Type.String(),
  previousSecretExpiresAt: Type.Union([IsoDate, Type.Null()], { description: 'Until then deliveries also carry a signature made with the secret before the last rotation' }),
  failingSince: Type.Union([IsoDate, Type.Null()], { description: 'Since when every delivery has ended failed; null while healthy. After 5 days latch turns the endpoint off' }),
  disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why latch turned the endpoint off by itself; null when on or turned off by a person' }),
  hasBasicAuth: Type.Boolean({ description: 'Whether attempts carry the Basic auth given for the receiver (Chaster apps; the credentials are never shown)' }),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type WebhookEndpointView = Static<typeof WebhookEndpointView>;

export const WebhookDeliveryView = Type.Object({
  id: ObjectId,
  endpointId: ObjectId,
  messageId: Type.String({ description: 'The `webhook-id` header: the same on every retry and redelivery' }),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attemptCount: Type.Integer(),
  nextAttemptAt: Nullable(IsoDate),
  lastAttemptAt: Nullable(IsoDate),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastDurationMs: Nullable(Type.Integer()),
  lastResponse: Type.Union([Type.String(), Type.Null()], { description: 'The first ≤ 1 KiB of the last response body' }),
  createdAt: IsoDate,
});
export type WebhookDeliveryView = Static<typeof WebhookDeliveryView>;

export const WebhookDeliveryDetail = Type.Intersect([
  WebhookDeliveryView,
  Type.Object({
    payload: Type.Unknown({ description: 'The JSON body sent: `{type, timestamp, data}`' }),
    attempts: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        attemptedAt: IsoDate,
        succeeded: Type.Boolean(),
        statusCode: Nullable(Type.Integer()),
        error: Nullable(Type.String()),
        durationMs: Type.Integer(),
        response: Nullable(Type.String()),
      }),
    ),
  }),
]);
export type WebhookDeliveryDetail = Static<typeof WebhookDeliveryDetail>;

const SandboxAccount = Type.Object({ id: ObjectId, username: Type.String(), password: Type.String(), userKey: Type.String({ description: 'User-wide developer key (lk_usr_…)' }) });

/** What `POST /api/dev/fixtures` builds: accounts, an app, a lock running it, launch tokens. */
export const SandboxWorld = Type.Object({
  baseUrl: Type.String(),
  wearer: SandboxAccount,
  keyholder: Nullable(SandboxAccount),
  developer: SandboxAccount,
  app: Type.Object({
    id: ObjectId,
    slug: Type.String(),
    appKey: Type.String({ description: 'App-scoped developer key (lk_app_…)' }),
    dialect: AppDialect,
    clientId: Nullable(Type.String(), { description: 'Chaster apps: the client id for `X-Chaster-Client-Id`' }),
  }),
  lock: Type.Object({ id: ObjectId }),
  session: Type.Object({ id: ObjectId }),
  mainTokens: Type.Object({ wearer: Type.String(), keyholder: Nullable(Type.String()) }, { description: 'Launch tokens; a Chaster app’s are main page tokens (12 h)' }),
  configurationToken: Type.Optional(Type.String({ description: 'Chaster apps: a configuration page token (`partnerConfigurationToken`, 1 h) for the running session, as its controller opens it (the keyholder when there is one)' })),
  webhooks: Type.Optional(
    Type.Array(Type.Object({ id: ObjectId, url: Type.String(), events: Type.Array(Type.String()), secret: Type.String({ description: 'The Standard Webhooks signing secret' }) }), {
      description: 'The endpoints `extension.webhooks` asked for, created before the lock (so its `extension_session.created` is delivered)',
    }),
  ),
});
export type SandboxWorld = Static<typeof SandboxWorld>;
