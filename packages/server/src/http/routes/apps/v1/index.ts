import { Type } from '@sinclair/typebox';
import {
  CustomLogBody,
  CustomNotificationBody,
  ExtensionSession,
  Metadata,
  MetadataPatch,
  StateBody,
  StateResponse,
  type ErrorCode,
} from '@latch/protocol';
import { ApiError } from '../../../../errors.js';
import { etagOf } from '../../../../services/extensionSessions.js';
import { ACTION_NAMES, isActionName, type ActionName } from '../../../../services/lockActions.js';
import { externalCaller, type CredentialNeeds } from '../../../credentials.js';
import { errorResponses } from '../../../openapi.js';
import { APPS_ERRORS, USER_KEY_SECURITY } from '../../schemas.js';
import type { App, RouteContext } from '../../../types.js';
import { ActionResponse, ENGINE_ERRORS } from '../../extensions/actions.js';
import type { FastifyRequest } from 'fastify';

const security = USER_KEY_SECURITY;
const LockIdHeader = Type.Object({ 'x-chastify-lock-id': Type.Optional(Type.String({ maxLength: 64, description: 'Act on this one of your active locks instead of the most recent' })) });
const CREDENTIAL_ERRORS = APPS_ERRORS;
const read: CredentialNeeds = { surface: 'apps', mutation: false, bucket: 'read', sessionBound: false };
const write = (bucket: CredentialNeeds['bucket'] = 'write'): CredentialNeeds => ({ surface: 'apps', mutation: true, bucket, sessionBound: false });
const errs = (codes: ErrorCode[]) => errorResponses([...CREDENTIAL_ERRORS, ...codes], 'AppsErrorBody');

/**
 * The External API (`/api/apps/v1/*`, spec 000): a user-wide key acting as the wearer on the
 * owner's active lock, under the keyholder's "trust external programs" switch (DECISIONS §4).
 * Error bodies carry `error` as the code string, which scripts compare.
 */
export function externalApiRoutes(app: App, ctx: RouteContext) {
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
    {
      config: { credentials: read },
      schema: {
        tags: ['external api'],
        summary: 'The session of your active lock (as the wearer sees it), with lockData and lock._id',
        security,
        headers: LockIdHeader,
        response: { 200: ExtensionSession, ...errs([]) },
      },
    },
    async (req) => {
      const { c, session, extApp } = await external(req);
      return ctx.sessions.get(session, c.lock, extApp, { role: 'wearer', credentialMayMutate: true });
    },
  );

  app.get(
    '/api/apps/v1/state',
    { config: { credentials: read }, schema: { tags: ['external api'], summary: 'Your scripts’ state on the lock', security, headers: LockIdHeader, response: { 200: StateResponse, ...errs([]) } } },
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
      config: { credentials: write() },
      schema: {
        tags: ['external api'],
        summary: method === 'PUT' ? 'Replace the state' : 'Merge-patch the state (RFC 7386)',
        security,
        headers: Type.Composite([LockIdHeader, Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) })]),
        body: StateBody,
        response: { 200: StateResponse, ...errs(['invalid_state_key', 'reserved_key', 'state_too_large', 'precondition_failed', 'idempotency_key_reused', 'conflict']) },
      },
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
    { config: { credentials: read }, schema: { tags: ['external api'], summary: 'Your scripts’ blockers and home actions, and every blocker on the lock', security, headers: LockIdHeader, response: { 200: Metadata, ...errs([]) } } },
    async (req) => ctx.sessions.getMetadata((await external(req)).session),
  );

  app.patch(
    '/api/apps/v1/metadata',
    {
      config: { credentials: write() },
      schema: { tags: ['external api'], summary: 'Set your scripts’ unlock blockers and home actions', security, headers: LockIdHeader, body: MetadataPatch, response: { 200: Metadata, ...errs(['idempotency_key_reused', 'conflict']) } },
    },
    async (req) => ctx.sessions.patchMetadata((await external(req)).session.id, req.body),
  );

  app.post(
    '/api/apps/v1/action',
    {
      config: { credentials: write('action') },
      schema: {
        tags: ['external api'],
        summary: 'Run a lock action as the wearer',
        description: `\`name\`: ${ACTION_NAMES.map((n) => `\`${n}\``).join(', ')}. Wearer-favouring actions on a keyholder lock need the keyholder's "trust external programs".`,
        security,
        headers: LockIdHeader,
        body: Type.Object({ name: Type.String({ maxLength: 64 }), params: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errs([...ENGINE_ERRORS, 'idempotency_key_reused']) },
      },
    },
    async (req) => {
      if (!isActionName(req.body.name)) throw new ApiError('unknown_action', `Unknown action "${req.body.name}"; one of ${ACTION_NAMES.join(', ')}`);
      return act(req, req.body.name, req.body.params);
    },
  );

  app.post(
    '/api/apps/v1/lock/apply-time',
    {
      config: { credentials: write('action') },
      schema: {
        tags: ['external api'],
        summary: 'Add (positive) or remove (negative) time',
        security,
        headers: LockIdHeader,
        body: Type.Object({ deltaSeconds: Type.Integer({ minimum: -315360000, maximum: 315360000 }) }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errs([...ENGINE_ERRORS, 'idempotency_key_reused']) },
      },
    },
    async (req) => {
      const delta = req.body.deltaSeconds;
      if (delta === 0) throw new ApiError('invalid_params', 'deltaSeconds must not be 0');
      return act(req, delta > 0 ? 'add_time' : 'remove_time', Math.abs(delta));
    },
  );

  app.post(
    '/api/apps/v1/lock/freeze',
    {
      config: { credentials: write('action') },
      schema: {
        tags: ['external api'],
        summary: 'Freeze (default 3600 s, 60–86400)',
        security,
        headers: LockIdHeader,
        body: Type.Object({ durationSeconds: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errs([...ENGINE_ERRORS, 'idempotency_key_reused']) },
      },
    },
    async (req) => act(req, 'freeze', req.body),
  );

  app.post(
    '/api/apps/v1/lock/unfreeze',
    {
      config: { credentials: write('action') },
      schema: { tags: ['external api'], summary: 'Unfreeze (idempotent)', security, headers: LockIdHeader, body: Type.Object({}, { additionalProperties: false }), response: { 200: ActionResponse, ...errs([...ENGINE_ERRORS, 'idempotency_key_reused']) } },
    },
    async (req) => act(req, 'unfreeze', {}),
  );

  app.post(
    '/api/apps/v1/logs/custom',
    {
      config: { credentials: write() },
      schema: { tags: ['external api'], summary: 'Write a custom entry to the lock history', security, headers: LockIdHeader, body: CustomLogBody, response: { 201: Type.Record(Type.String(), Type.Unknown()), ...errs(['idempotency_key_reused']) } },
    },
    async (req, reply) => {
      const { session, extApp } = await external(req);
      const log = await ctx.sessions.customLog(session, extApp, { ...req.body, role: req.body.role ?? 'wearer' });
      return reply.code(201).send(log);
    },
  );

  app.post(
    '/api/apps/v1/notifications/custom',
    {
      config: { credentials: write() },
      schema: { tags: ['external api'], summary: 'Notify the wearer, the keyholder or both', security, headers: LockIdHeader, body: CustomNotificationBody, response: { 201: Type.Record(Type.String(), Type.Unknown()), ...errs(['idempotency_key_reused']) } },
    },
    async (req, reply) => {
      const { c, session, extApp } = await external(req);
      return reply.code(201).send(await ctx.sessions.customNotification(session, c.lock, extApp, req.body));
    },
  );
}
