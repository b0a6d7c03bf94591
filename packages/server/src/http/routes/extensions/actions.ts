import { Type } from '@sinclair/typebox';
import { DeviceCommandBody, DeviceCommandResponse } from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { ACTION_NAMES, isActionName, type ActionName } from '../../../services/lockActions.js';
import type { Actor, Via } from '../../../services/lockEngine.js';
import { ChasterActorBody, ChasterTask, ChasterTaskAssignBody, ChasterTaskCompleteBody, parseActor } from '../../../dialects/chaster/index.js';
import { sessionCaller } from '../../credentials.js';
import { byDialect, route, sessionWrite } from '../../route.js';
import { ActionResponse, COMMAND_DOC, DEVICE_ERRORS, ENGINE_ERRORS, SessionParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';
import type { FastifyReply } from 'fastify';
import { created } from './chaster/actors.js';

/** Chaster's interaction routes answer 201 with no body. */
const ChasterNoContent = Type.Null({ description: 'No body (Chaster app)' });

const needs = sessionWrite('locks:write', 'action');
/** A task route both dialects share: a Chaster app's arm names its actor (DECISIONS §14). */
const taskNeeds = { ...needs, dialect: 'both' as const };

/** Lock actions from an extension backend: `POST …/action` (Chastify), the Chaster task routes and device commands. */
export function extensionActionRoutes(app: App, ctx: Pick<RouteContext, 'engine' | 'sessions' | 'locks' | 'devices'>) {
  async function run(req: Parameters<typeof sessionCaller>[0], name: ActionName, params: unknown) {
    const c = sessionCaller(req);
    const actor: Actor = { role: 'extension', extensionSlug: c.app.slug, userId: c.userId };
    const via: Via = { kind: 'extension', launchRole: c.role };
    const result = await ctx.engine.action(c.lock.id, actor, via, name, params);
    const session = await ctx.sessions.get(c.session, (await ctx.locks.row(c.lock.id))!, c.app, { role: c.role, credentialMayMutate: true });
    return { ok: true as const, ...result, lockData: session.lockData };
  }

  /** A Chaster interaction with a built-in: the engine acts as the body's `actor`; Chaster answers 201 with no body. */
  async function runAsActor(req: Parameters<typeof sessionCaller>[0], reply: FastifyReply, name: ActionName, params: unknown) {
    const c = sessionCaller(req);
    const { actor, launchRole } = parseActor(req.body, c.lock, c.app.slug);
    await ctx.engine.action(c.lock.id, actor, { kind: 'extension', launchRole }, name, params);
    return created(reply);
  }

  app.post(
    '/api/extensions/sessions/:sessionId/action',
    route({
      access: needs,
      errors: ENGINE_ERRORS,
      schema: {
        tags: ['extension sessions'],
        summary: 'Run a lock action (add_time, freeze, pillory, task.*, hygienic_unlock.start, …)',
        description: `\`name\` is one of ${ACTION_NAMES.map((n) => `\`${n}\``).join(', ')}. Parameters as in spec 000/002 and DECISIONS §5.`,
        params: SessionParams,
        body: Type.Object({ name: Type.String({ maxLength: 64 }), params: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
    }),
    async (req) => {
      if (!isActionName(req.body.name)) throw new ApiError('unknown_action', `Unknown action "${req.body.name}"; one of ${ACTION_NAMES.join(', ')}`);
      return run(req, req.body.name, req.body.params);
    },
  );

  const Actor = Type.Optional(Type.Union([Type.Literal('wearer'), Type.Literal('keyholder'), Type.Literal('extension')]));

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/assign',
    route({
      access: taskNeeds,
      errors: ENGINE_ERRORS,
      schema: {
        tags: ['extension sessions'],
        summary: 'Assign a task (Chaster): replaces an open one',
        params: SessionParams,
        body: Type.Object(
          {
            task: Type.Object(ChasterTask.properties, { additionalProperties: false }),
            actor: Actor,
          },
          { additionalProperties: false },
        ),
        response: { 200: ActionResponse },
      },
      chaster: { body: ChasterTaskAssignBody, response: { 201: ChasterNoContent } },
    }),
    byDialect({
      chastify: async (req) => run(req, 'task.assign', req.body),
      chaster: async (req, reply) => runAsActor(req, reply, 'task.assign', req.body),
    }),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/start-timer',
    route({
      access: taskNeeds,
      errors: ENGINE_ERRORS,
      schema: {
        tags: ['extension sessions'],
        summary: 'Start the timer of the open timed task (Chaster)',
        params: SessionParams,
        body: Type.Object({ actor: Actor }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
      chaster: { body: ChasterActorBody, response: { 201: ChasterNoContent } },
    }),
    byDialect({
      chastify: async (req) => run(req, 'task.start_timer', req.body),
      chaster: async (req, reply) => runAsActor(req, reply, 'task.start_timer', req.body),
    }),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/tasks/complete',
    route({
      access: taskNeeds,
      errors: ENGINE_ERRORS,
      schema: {
        tags: ['extension sessions'],
        summary: 'Complete or fail the open task (Chaster)',
        params: SessionParams,
        body: Type.Object({ isCompleted: Type.Boolean(), actor: Actor, reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
      chaster: { body: ChasterTaskCompleteBody, response: { 201: ChasterNoContent } },
    }),
    byDialect({
      chastify: async (req) => run(req, 'task.complete', req.body),
      chaster: async (req, reply) => runAsActor(req, reply, 'task.complete', req.body),
    }),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/device-command',
    route({
      access: needs,
      errors: DEVICE_ERRORS,
      schema: {
        tags: ['extension sessions'],
        summary: 'Send a device command (bridge name: device.command)',
        description: COMMAND_DOC,
        params: SessionParams,
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      const actor: Actor = { role: 'extension', extensionSlug: c.app.slug, userId: c.userId };
      return ctx.devices.command(c.lock, actor, req.body.command, req.body.params);
    },
  );
}
