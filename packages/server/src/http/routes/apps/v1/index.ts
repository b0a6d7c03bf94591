import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { CustomLogBody, CustomNotificationBody, DeviceCommandBody, DeviceCommandResponse, ExtensionSession, Metadata, MetadataPatch, StateBody, StateResponse } from '@latch/protocol';
import { ApiError } from '../../../../errors.js';
import { etagOf } from '../../../../services/extensionSessions.js';
import { ACTION_NAMES, isActionName, type ActionName } from '../../../../services/lockActions.js';
import { externalCaller } from '../../../credentials.js';
import { appsRead as read, appsWrite as write, route } from '../../../route.js';
import { ActionResponse, COMMAND_DOC, DEVICE_ERRORS, ENGINE_ERRORS } from '../../schemas.js';
import type { App, RouteContext } from '../../../types.js';

const LockIdHeader = Type.Object({ 'x-chastify-lock-id': Type.Optional(Type.String({ maxLength: 64, description: 'Act on this one of your active locks instead of the most recent' })) });

/**
 * The External API (`/api/apps/v1/*`, spec 000): a user-wide key acting as the wearer on the
 * owner's active lock, under the keyholder's "trust external programs" switch (DECISIONS §4).
 * Error bodies carry `error` as the code string, which scripts compare.
 */
export function externalApiRoutes(app: App, ctx: Pick<RouteContext, 'sessions' | 'engine' | 'locks' | 'devices'>) {
  const actor = (userId: string) => ({ role: 'external' as const, userId });

  async function external(req: FastifyRequest) {
    const c = externalCaller(req);
    const { session, app: extApp } = await ctx.sessions.externalSession(c.lock);
    return { c, session, extApp };
  }

  async function act(req: FastifyRequest, name: ActionName, params: unknown) {
    const { c, session, extApp } = await external(req);
    const result = await ctx.engine.action(c.lock.id, actor(c.userId), { kind: 'external' }, name, params);
    const view = await ctx.sessions.get(session, (await ctx.locks.row(c.lock.id))!, extApp, { role: 'wearer', credentialMayMutate: true });
    return { ok: true as const, ...result, lockData: view.lockData };
  }

  app.get(
    '/api/apps/v1/session',
    route({
      access: read,
      schema: {
        tags: ['external api'],
        summary: 'The session of your active lock (as the wearer sees it), with lockData and lock._id',
        headers: LockIdHeader,
        response: { 200: ExtensionSession },
      },
    }),
    async (req) => {
      const { c, session, extApp } = await external(req);
      return ctx.sessions.get(session, c.lock, extApp, { role: 'wearer', credentialMayMutate: true });
    },
  );

  app.get(
    '/api/apps/v1/state',
    route({ access: read, schema: { tags: ['external api'], summary: 'Your scripts’ state on the lock', headers: LockIdHeader, response: { 200: StateResponse } } }),
    async (req, reply) => {
      const { session } = await external(req);
      const state = ctx.sessions.getState(session);
      reply.header('etag', etagOf(state.version));
      return state;
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/apps/v1/state',
      ...route({
        access: write(),
        errors: ['invalid_state_key', 'reserved_key', 'state_too_large', 'precondition_failed', 'idempotency_key_reused', 'conflict'],
        schema: {
          tags: ['external api'],
          summary: method === 'PUT' ? 'Replace the state' : 'Merge-patch the state (RFC 7386)',
          headers: Type.Composite([LockIdHeader, Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) })]),
          body: StateBody,
          response: { 200: StateResponse },
        },
      }),
      handler: async (req, reply) => {
        const { session } = await external(req);
        const body = req.body as { data: Record<string, unknown> };
        const ifMatch = req.headers['if-match'];
        const state = method === 'PUT' ? await ctx.sessions.putState(session.id, body.data, ifMatch) : await ctx.sessions.patchState(session.id, body.data, ifMatch);
        reply.header('etag', etagOf(state.version));
        return state;
      },
    });
  }

  app.get(
    '/api/apps/v1/metadata',
    route({ access: read, schema: { tags: ['external api'], summary: 'Your scripts’ blockers and home actions, and every blocker on the lock', headers: LockIdHeader, response: { 200: Metadata } } }),
    async (req) => ctx.sessions.getMetadata((await external(req)).session),
  );

  app.patch(
    '/api/apps/v1/metadata',
    route({
      access: write(),
      errors: ['idempotency_key_reused', 'conflict'],
      schema: { tags: ['external api'], summary: 'Set your scripts’ unlock blockers and home actions', headers: LockIdHeader, body: MetadataPatch, response: { 200: Metadata } },
    }),
    async (req) => ctx.sessions.patchMetadata((await external(req)).session.id, req.body),
  );

  app.post(
    '/api/apps/v1/action',
    route({
      access: write('action'),
      errors: [...ENGINE_ERRORS, 'idempotency_key_reused'],
      schema: {
        tags: ['external api'],
        summary: 'Run a lock action as the wearer',
        description: `\`name\`: ${ACTION_NAMES.map((n) => `\`${n}\``).join(', ')}. Wearer-favouring actions on a keyholder lock need the keyholder's "trust external programs".`,
        headers: LockIdHeader,
        body: Type.Object({ name: Type.String({ maxLength: 64 }), params: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
    }),
    async (req) => {
      if (!isActionName(req.body.name)) throw new ApiError('unknown_action', `Unknown action "${req.body.name}"; one of ${ACTION_NAMES.join(', ')}`);
      return act(req, req.body.name, req.body.params);
    },
  );

  app.post(
    '/api/apps/v1/lock/apply-time',
    route({
      access: write('action'),
      errors: [...ENGINE_ERRORS, 'idempotency_key_reused'],
      schema: {
        tags: ['external api'],
        summary: 'Add (positive) or remove (negative) time',
        headers: LockIdHeader,
        body: Type.Object({ deltaSeconds: Type.Integer({ minimum: -315360000, maximum: 315360000 }) }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
    }),
    async (req) => {
      const delta = req.body.deltaSeconds;
      if (delta === 0) throw new ApiError('invalid_params', 'deltaSeconds must not be 0');
      return act(req, delta > 0 ? 'add_time' : 'remove_time', Math.abs(delta));
    },
  );

  app.post(
    '/api/apps/v1/lock/freeze',
    route({
      access: write('action'),
      errors: [...ENGINE_ERRORS, 'idempotency_key_reused'],
      schema: {
        tags: ['external api'],
        summary: 'Freeze (default 3600 s, 60–86400)',
        headers: LockIdHeader,
        body: Type.Object({ durationSeconds: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
        response: { 200: ActionResponse },
      },
    }),
    async (req) => act(req, 'freeze', req.body),
  );

  app.post(
    '/api/apps/v1/lock/unfreeze',
    route({
      access: write('action'),
      errors: [...ENGINE_ERRORS, 'idempotency_key_reused'],
      schema: { tags: ['external api'], summary: 'Unfreeze (idempotent)', headers: LockIdHeader, body: Type.Object({}, { additionalProperties: false }), response: { 200: ActionResponse } },
    }),
    async (req) => act(req, 'unfreeze', {}),
  );

  app.post(
    '/api/apps/v1/logs/custom',
    route({
      access: write(),
      errors: ['idempotency_key_reused'],
      schema: { tags: ['external api'], summary: 'Write a custom entry to the lock history', headers: LockIdHeader, body: CustomLogBody, response: { 201: Type.Record(Type.String(), Type.Unknown()) } },
    }),
    async (req, reply) => {
      const { session, extApp } = await external(req);
      const log = await ctx.sessions.customLog(session, extApp, { ...req.body, role: req.body.role ?? 'wearer' });
      return reply.code(201).send(log);
    },
  );

  app.post(
    '/api/apps/v1/notifications/custom',
    route({
      access: write(),
      errors: ['idempotency_key_reused'],
      schema: { tags: ['external api'], summary: 'Notify the wearer, the keyholder or both', headers: LockIdHeader, body: CustomNotificationBody, response: { 201: Type.Record(Type.String(), Type.Unknown()) } },
    }),
    async (req, reply) => {
      const { c, session, extApp } = await external(req);
      return reply.code(201).send(await ctx.sessions.customNotification(session, c.lock, extApp, req.body));
    },
  );

  app.post(
    '/api/apps/v1/device-command',
    route({
      access: write('action'),
      errors: ['idempotency_key_reused', ...DEVICE_ERRORS],
      schema: {
        tags: ['external api'],
        summary: 'Send a device command to your active lock’s devices (same body and answer as the extension route)',
        description: COMMAND_DOC,
        headers: Type.Object({ 'x-chastify-lock-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse },
      },
    }),
    async (req) => {
      const c = externalCaller(req);
      return ctx.devices.command(c.lock, { role: 'external', userId: c.userId }, req.body.command, req.body.params);
    },
  );
}
