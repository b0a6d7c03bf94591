import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { HomeAction } from '@latch/protocol';
import type { LockRow } from '../../db/types.js';
import { ApiError } from '../../errors.js';
import type { ActionName } from '../../services/lockActions.js';
import type { Actor } from '../../services/lockEngine.js';
import type { LockRole } from '../../services/lockRules.js';

/** Request bodies of the Chaster routes (chaster-js DTOs), as schemas for the routes and the OpenAPI document. */
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ChasterHomeActionBody = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
  title: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.String({ maxLength: 280 }),
  icon: Type.String({ maxLength: 64, description: 'A FontAwesome 5 icon name' }),
  badge: Type.Optional(Type.String({ maxLength: 32 })),
});

export const ChasterMetadataBody = Type.Object({
  reasonsPreventingUnlocking: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 25 }),
  homeActions: Type.Array(ChasterHomeActionBody, { maxItems: 10 }),
});

/** `PATCH …/sessions/:id`: each field given replaces the stored one whole. */
export const ChasterSessionPatchBody = Type.Object({
  config: Type.Optional(JsonObject),
  data: Type.Optional(JsonObject),
  metadata: Type.Optional(ChasterMetadataBody),
});

export const ChasterActionBody = Type.Object({
  action: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), params: Type.Optional(Type.Unknown()) }),
});

export const ChasterCustomLogBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  role: Type.Optional(Type.Union([Type.Literal('wearer'), Type.Literal('user'), Type.Literal('keyholder'), Type.Literal('extension')], { description: '`user` is the SDK’s name for the wearer' })),
  icon: Type.Optional(Type.String({ maxLength: 64 })),
  color: Type.Optional(Type.Union([Type.String({ pattern: '^#[0-9a-fA-F]{3,8}$' }), Type.Null()])),
});

export const ChasterActorBody = Type.Object({
  actor: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder'), Type.Literal('extension')]),
});

const ActorField = ChasterActorBody.properties.actor;

/** `POST …/tasks/assign` (tasks page): the task and who assigns it. */
export const ChasterTask = Type.Object({
  task: Type.String({ minLength: 1, maxLength: 2000 }),
  points: Type.Number(),
  verificationRequired: Type.Optional(Type.Boolean()),
  duration: Type.Optional(Type.Integer({ description: '0 (no timer) or 60–86400 seconds' })),
});
export const ChasterTaskAssignBody = Type.Object({ task: ChasterTask, actor: ActorField });
/** `POST …/tasks/complete`: done or failed, and by whom. */
export const ChasterTaskCompleteBody = Type.Object({ actor: ActorField, isCompleted: Type.Boolean() });

/** 400 `invalid_request` listing each problem, as the routes' schema validation would (services may be called without it). */
function checked<T extends TSchema>(schema: T, body: unknown): Static<T> {
  if (Value.Check(schema, body)) return body;
  const details = [...Value.Errors(schema, body)].slice(0, 10).map((e) => ({ in: 'body', path: e.path || '/', message: e.message }));
  throw new ApiError('invalid_request', `body${details[0]!.path === '/' ? '' : details[0]!.path} ${details[0]!.message}`, details);
}

const badParams = (message: string, details?: unknown) => new ApiError('invalid_params', message, details);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** What the engine is asked to do (services/lockEngine.ts `action`), in latch's action names and params. */
export interface EngineCall {
  name: ActionName;
  params: unknown;
}

export const CHASTER_ACTIONS = ['add_time', 'remove_time', 'freeze', 'unfreeze', 'toggle_freeze', 'pillory', 'set_display_remaining_time'] as const;

/**
 * `POST …/action {action:{name, params}}` (lock actions page) as an engine call. Range checks
 * stay with the engine (the same limits as Chastify's actions); here only the Chaster shapes.
 * Chaster's `freeze` has no end: the engine's freeze is timed, so until it gains an open-ended
 * one (docs/chaster-dialect.md) it freezes for the engine's default.
 */
export function parseChasterAction(body: unknown): EngineCall {
  const { action } = checked(ChasterActionBody, body);
  const { name, params } = action;
  switch (name) {
    case 'add_time':
    case 'remove_time':
      if (!isInteger(params) || params < 1) throw badParams(`${name} takes params: a whole number of seconds (at least 1)`, { param: 'params' });
      return { name, params };
    case 'freeze':
    case 'unfreeze':
    case 'toggle_freeze':
      return { name, params: undefined };
    case 'pillory': {
      const p = params as { duration?: unknown; reason?: unknown } | null;
      if (!p || typeof p !== 'object' || Array.isArray(p) || !isInteger(p.duration)) throw badParams('pillory takes params {duration (seconds), reason?}', { param: 'params.duration' });
      if (p.reason !== undefined && typeof p.reason !== 'string') throw badParams('pillory params.reason must be a string', { param: 'params.reason' });
      return { name: 'pillory', params: { durationSeconds: p.duration, ...(p.reason !== undefined ? { reason: p.reason } : {}) } };
    }
    case 'set_display_remaining_time':
      if (typeof params !== 'boolean') throw badParams('set_display_remaining_time takes params: true or false', { param: 'params' });
      return { name: 'settings.patch', params: { hiddenTimer: !params } };
    default:
      throw new ApiError('unknown_action', `Unknown action ${name}; Chaster actions are ${CHASTER_ACTIONS.join(', ')}`, { name });
  }
}

/** latch's stored metadata fields of a Chaster `metadata`: reasons are manual unlock blockers. */
export function latchMetadata(metadata: Static<typeof ChasterMetadataBody>): { unlockBlockers: string[]; homeActions: HomeAction[] } {
  return {
    unlockBlockers: metadata.reasonsPreventingUnlocking,
    homeActions: metadata.homeActions.map((a) => ({ slug: a.slug, title: a.title, description: a.description, icon: a.icon, ...(a.badge !== undefined ? { badge: a.badge } : {}) })),
  };
}

/** `PATCH …/sessions/:id` as the stored fields it replaces (absent ones stay). */
export function parseSessionPatch(body: unknown): { config?: Record<string, unknown>; state?: Record<string, unknown>; metadata?: ReturnType<typeof latchMetadata> } {
  const p = checked(ChasterSessionPatchBody, body);
  return {
    ...(p.config !== undefined ? { config: p.config } : {}),
    ...(p.data !== undefined ? { state: p.data } : {}),
    ...(p.metadata !== undefined ? { metadata: latchMetadata(p.metadata) } : {}),
  };
}

/** `POST …/logs/custom` as latch's custom log (services/extensionSessions.ts `customLog`): `user` is the wearer. */
export function parseCustomLog(body: unknown): { title: string; description: string; role: 'wearer' | 'keyholder' | 'extension'; icon?: string; color?: string } {
  const p = checked(ChasterCustomLogBody, body);
  return {
    title: p.title,
    description: p.description ?? '',
    role: p.role === undefined ? 'extension' : p.role === 'user' ? 'wearer' : p.role,
    ...(p.icon !== undefined ? { icon: p.icon } : {}),
    ...(p.color !== undefined && p.color !== null ? { color: p.color } : {}),
  };
}

/**
 * The actor system (`{actor}` of tasks, hygiene opening…): who the engine records. `keyholder`
 * on a lock without an accepted keyholder is a 400, as the actor system page says.
 */
export function parseActor(body: unknown, lock: Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status'>, extensionSlug: string): { actor: Actor; launchRole: LockRole | null } {
  const { actor } = checked(ChasterActorBody, body);
  if (actor === 'wearer') return { actor: { role: 'wearer', userId: lock.wearer_id, extensionSlug }, launchRole: 'wearer' };
  if (actor === 'keyholder') {
    if (!lock.keyholder_id || lock.keyholder_status !== 'accepted') throw badParams('actor keyholder: this lock has no keyholder', { param: 'actor' });
    return { actor: { role: 'keyholder', userId: lock.keyholder_id, extensionSlug }, launchRole: 'keyholder' };
  }
  return { actor: { role: 'extension', extensionSlug }, launchRole: null };
}
