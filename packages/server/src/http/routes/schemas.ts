import { Type } from '@sinclair/typebox';
import { DEVICE_COMMANDS, DEVICE_LIMITS, LockData, ObjectId, type ErrorCode } from '@latch/protocol';

/** Schemas and error lists that routes under more than one URL prefix share. */

export const SessionParams = Type.Object({ sessionId: ObjectId });
export const LockParams = Type.Object({ lockId: ObjectId });

/** The answer to a lock action from an extension backend or a script. */
export const ActionResponse = Type.Object({
  ok: Type.Literal(true),
  action: Type.String(),
  changed: Type.Boolean({ description: 'false when the lock was already in that state (e.g. unfreeze of an unfrozen lock)' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  lockData: LockData,
});

/** The codes the lock engine answers an action with (DECISIONS §5), whoever asks. */
export const ENGINE_ERRORS: ErrorCode[] = [
  'invalid_params',
  'unknown_action',
  'role_not_allowed',
  'lock_ended',
  'pillory_not_enabled',
  'pillory_active',
  'pillory_not_active',
  'tasks_not_enabled',
  'no_active_task',
  'task_has_no_duration',
  'task_verification_required',
  'task_timer_not_finished',
  'hygienic_opening_not_enabled',
  'hygienic_opening_active',
  'conflict',
];

/** Devices' own refusals (DECISIONS §11), on every route that sends a device command. */
export const DEVICE_ERRORS: ErrorCode[] = ['unsupported_command', 'device_not_available', 'invalid_params', 'lock_ended'];

/** The `device.command` description, shared by the extension, External API and lock-page routes. */
export const COMMAND_DOC =
  `\`command\`: ${DEVICE_COMMANDS.map((c) => `\`${c}\``).join(', ')} (the last two on Lockink devices only). ` +
  `durationSeconds is clamped to ${DEVICE_LIMITS.durationSeconds.min}–${DEVICE_LIMITS.durationSeconds.max}, intensityPct and frequencyPct to 1–100; the response reports the applied values and which were clamped. ` +
  'Timed commands end by themselves; `all.stop` always succeeds.';

const AuditEntry = Type.Object({
  id: ObjectId,
  appId: Type.Union([ObjectId, Type.Null()]),
  lockId: Type.Union([ObjectId, Type.Null()]),
  sessionId: Type.Union([ObjectId, Type.Null()]),
  userId: Type.Union([ObjectId, Type.Null()]),
  credential: Type.String(),
  credentialId: Type.Union([ObjectId, Type.Null()]),
  method: Type.String(),
  route: Type.String(),
  action: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('refused'), Type.Literal('error')]),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
/** A page of the audit trail (DECISIONS §3), for an app's developer or a lock's participants. */
export const AuditPage = Type.Object({ results: Type.Array(AuditEntry), hasMore: Type.Boolean() });
export const AuditPageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), before: Type.Optional(ObjectId) },
  { additionalProperties: false },
);
