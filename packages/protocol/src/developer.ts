import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, Nullable, ObjectId } from './schemas.js';

/** Wire shapes of the developer console (`/api/developer/*`) and the sandbox clock (`/api/dev/clock`). */

export const AppView = Type.Object({
  id: ObjectId,
  ownerId: ObjectId,
  slug: Type.String(),
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
