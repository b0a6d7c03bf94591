import { Type } from '@sinclair/typebox';
import { LockData, ObjectId, type ErrorCode } from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { ACTION_NAMES, isActionName, type ActionName } from '../../../services/lockActions.js';
import type { Actor, Via } from '../../../services/lockEngine.js';
import { sessionCaller, type CredentialNeeds } from '../../credentials.js';
import { errorResponses } from '../../openapi.js';
import { BACKEND_SECURITY, SESSION_WRITE_ERRORS, SessionParams, sessionWrite } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const backend = BACKEND_SECURITY;
const needs: CredentialNeeds = sessionWrite('locks:write', 'action');

export const ActionResponse = Type.Object({
  ok: Type.Literal(true),
  action: Type.String(),
  changed: Type.Boolean({ description: 'false when the lock was already in that state (e.g. unfreeze of an unfrozen lock)' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  lockData: LockData,
});

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
const ROUTE_ERRORS: ErrorCode[] = [...SESSION_WRITE_ERRORS, ...ENGINE_ERRORS];

/** Lock actions from an extension backend: `POST …/action` (Chastify) and the Chaster task routes. */
export function extensionActionRoutes(app: App, ctx: RouteContext) {
  async function run(req: Parameters<typeof sessionCaller>[0], name: ActionName, params: unknown) {
    const c = sessionCaller(req);
    const actor: Actor = { role: 'extension', extensionSlug: c.app.slug, userId: c.userId };
    const via: Via = { kind: 'extension', launchRole: c.role };
    const result = await ctx.engine.action(c.lock.id, actor, via, name, params);
    const session = await ctx.sessions.get(c.session, (await ctx.locks.row(c.lock.id))!, c.app, { role: c.role, credentialMayMutate: true });
    return { ok: true as const, ...result, lockData: session.lockData };
  }

  app.post(
    '/api/extensions/sessions/:sessionId/action',
    {
      config: { credentials: needs },
      schema: {
        tags: ['extension sessions'],
        summary: 'Run a lock action (add_time, freeze, pillory, task.*, hygienic_unlock.start, …)',
        description: `\`name\` is one of ${ACTION_NAMES.map((n) => `\`${n}\``).join(', ')}. Parameters as in spec 000/002 and DECISIONS §5.`,
        security: backend,
        params: SessionParams,
        body: Type.Object({ name: Type.String({ maxLength: 64 }), params: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errorResponses(ROUTE_ERRORS) },
      },
    },
    async (req) => {
      if (!isActionName(req.body.name)) throw new ApiError('unknown_action', `Unknown action "${req.body.name}"; one of ${ACTION_NAMES.join(', ')}`);
      return run(req, req.body.name, req.body.params);
    },
  );

  const Actor = Type.Optional(Type.Union([Type.Literal('wearer'), Type.Literal('keyholder'), Type.Literal('extension')]));

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/assign',
    {
      config: { credentials: needs },
      schema: {
        tags: ['extension sessions'],
        summary: 'Assign a task (Chaster): replaces an open one',
        security: backend,
        params: SessionParams,
        body: Type.Object(
          {
            task: Type.Object(
              {
                task: Type.String({ minLength: 1, maxLength: 2000 }),
                points: Type.Number(),
                verificationRequired: Type.Optional(Type.Boolean()),
                duration: Type.Optional(Type.Integer({ description: '0 (no timer) or 60–86400 seconds' })),
              },
              { additionalProperties: false },
            ),
            actor: Actor,
          },
          { additionalProperties: false },
        ),
        response: { 200: ActionResponse, ...errorResponses(ROUTE_ERRORS) },
      },
    },
    async (req) => run(req, 'task.assign', req.body),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/start-timer',
    {
      config: { credentials: needs },
      schema: {
        tags: ['extension sessions'],
        summary: 'Start the timer of the open timed task (Chaster)',
        security: backend,
        params: SessionParams,
        body: Type.Object({ actor: Actor }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errorResponses(ROUTE_ERRORS) },
      },
    },
    async (req) => run(req, 'task.start_timer', req.body),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/complete',
    {
      config: { credentials: needs },
      schema: {
        tags: ['extension sessions'],
        summary: 'Complete or fail the open task (Chaster)',
        security: backend,
        params: SessionParams,
        body: Type.Object({ isCompleted: Type.Boolean(), actor: Actor, reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errorResponses(ROUTE_ERRORS) },
      },
    },
    async (req) => run(req, 'task.complete', req.body),
  );
}
