import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ChasterCustomLogBody, parseCustomLog } from '../../../dialects/chaster/requests.js';
import { CustomLogBody, CustomNotificationBody, ExtensionSession, Metadata, MetadataPatch, ObjectId, Role, SearchBody, StateBody, StateResponse } from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { etagOf } from '../../../services/extensionSessions.js';
import { signedIn } from '../../auth.js';
import { credentialMayMutate, enforceRateLimit, extensionCaller, sessionCaller } from '../../credentials.js';
import { fromAnotherSite } from '../../requests.js';
import { LOGIN_READ, LOGIN_WRITE, byDialect, route, sessionRead as read, sessionWrite as write } from '../../route.js';
import { ChasterNoBody, ChasterSessionEnvelope, ChasterSessionSearch } from './chaster/schemas.js';
import { SessionParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

/**
 * The extension session API (`/api/extensions/sessions/*`), wire-compatible with Chastify
 * (spec 000/001/002) and Chaster (spec 004).
 */
export function extensionSessionRoutes(app: App, ctx: Pick<RouteContext, 'sessions' | 'mainTokens' | 'rateLimiter' | 'chaster'>) {
  for (const rotate of [false, true]) {
    app.route({
      method: rotate ? 'POST' : 'GET',
      url: '/api/extensions/sessions/:sessionId/auth',
      ...route({
        access: rotate ? LOGIN_WRITE : LOGIN_READ,
        errors: ['not_found', 'extension_not_enabled', 'rate_limited'],
        ...(rotate ? { config: { idempotency: false } } : {}),
        schema: {
          tags: ['extension sessions'],
          summary: 'Issue a fresh launch token (main token) for the signed-in participant, revoking the previous one',
          description: rotate
            ? 'Rotates: the user’s previous tokens for this session stop working. Lifetime 10 hours. Needs the `x-csrf-token` header.'
            : 'Rotates like POST (DECISIONS §3), except when a browser says the request comes from another site (`Sec-Fetch-Site: cross-site` or `same-site`, e.g. a link on another page): then it adds a token and revokes nothing, so a cross-site navigation cannot end an open extension. Lifetime 10 hours (a Chaster app’s: 12).',
          params: SessionParams,
          response: { 200: Type.Object({ mainToken: Type.String(), sessionId: ObjectId, lockId: ObjectId, role: Role, expiresAt: Type.String({ format: 'date-time' }) }) },
        },
      }),
      handler: async (req, reply) => {
        const user = signedIn(req).user;
        await enforceRateLimit(ctx.rateLimiter, req, reply, 'token', `user:${user.id}`);
        return ctx.mainTokens.issue(user.id, req.params.sessionId, { rotate: rotate || !fromAnotherSite(req) });
      },
    });
  }

  /** The search's caller (its own app's sessions only) and query; both dialects send chaster-js `GetSessionsDto`. */
  const searchOf = (req: FastifyRequest) => {
    const caller = extensionCaller(req);
    const body = req.body as Static<typeof SearchBody>;
    if (body.extensionSlug !== caller.app.slug) throw new ApiError('session_mismatch', `This key belongs to the extension "${caller.app.slug}"`);
    return { caller, query: { status: body.status ?? 'locked', limit: body.limit ?? 15, paginationLastId: body.paginationLastId ?? null } };
  };

  app.post(
    '/api/extensions/sessions/search',
    route({
      access: { surface: 'extension', mutation: false, bucket: 'read', sessionBound: false, appKeyAlone: true, dialect: 'both' },
      chaster: { response: { 200: ChasterSessionSearch } },
      schema: {
        tags: ['extension sessions'],
        summary: 'Search the running sessions of your extension; a Chaster app gets chaster-js `GetSessionsRepDto`',
        description: 'Only the key’s own app. Ascending by id; pass the last `paginationId` as `paginationLastId` for the next page.',
        body: SearchBody,
        response: {
          200: Type.Object({ count: Type.Integer(), hasMore: Type.Boolean(), results: Type.Array(Type.Intersect([ExtensionSession, Type.Object({ paginationId: ObjectId })])) }),
        },
      },
    }),
    byDialect({
      chastify: async (req) => {
        const { caller, query } = searchOf(req);
        return ctx.sessions.search(caller.app, query, { launchSessionId: caller.launchSessionId ?? null, role: caller.role });
      },
      chaster: async (req) => {
        const { caller, query } = searchOf(req);
        return ctx.chaster.search(caller.app, query);
      },
    }),
  );

  app.get(
    '/api/extensions/sessions/:sessionId',
    route({
      access: read('read', { appKeyAlone: true, dialect: 'both', lockView: true }),
      schema: {
        tags: ['extension sessions'],
        summary: 'The session: config, metadata, lock and lockData (bridge: session.get); a Chaster app gets `{session}`',
        params: SessionParams,
        response: { 200: ExtensionSession },
      },
      chaster: { response: { 200: ChasterSessionEnvelope } },
    }),
    byDialect({
      chastify: async (req) => {
        const c = sessionCaller(req);
        return ctx.sessions.get(c.session, c.lock, c.app, { role: c.role, credentialMayMutate: credentialMayMutate(c) });
      },
      chaster: async (req) => {
        const c = sessionCaller(req);
        return ctx.chaster.session(c.session, c.lock, c.app);
      },
    }),
  );

  app.get(
    '/api/extensions/sessions/:sessionId/state',
    route({
      access: read(),
      schema: {
        tags: ['extension sessions'],
        summary: 'Extension state (bridge: state.get); `ETag` for conditional writes',
        params: SessionParams,
        response: { 200: StateResponse },
      },
    }),
    async (req, reply) => {
      const state = ctx.sessions.getState(sessionCaller(req).session);
      reply.header('etag', etagOf(state.version));
      return state;
    },
  );

  const stateWrite = (method: 'PUT' | 'PATCH') =>
    route({
      access: write('state:write'),
      errors: ['invalid_state_key', 'reserved_key', 'state_too_large', 'precondition_failed'],
      schema: {
        tags: ['extension sessions'],
        summary: method === 'PUT' ? 'Replace the state (platform-managed keys are kept)' : 'Merge-patch the state (RFC 7386: null deletes, arrays replace)',
        description: '≤ 64 KiB serialized; keys may not start with `$` or contain `.`; `data.attemptLimits` is platform-managed. Honours `If-Match`.',
        params: SessionParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: StateBody,
        response: { 200: StateResponse },
      },
    });

  app.put('/api/extensions/sessions/:sessionId/state', stateWrite('PUT'), async (req, reply) => {
    const { session } = sessionCaller(req);
    const state = await ctx.sessions.putState(session.id, req.body.data, req.headers['if-match'], session);
    reply.header('etag', etagOf(state.version));
    return state;
  });

  app.patch('/api/extensions/sessions/:sessionId/state', stateWrite('PATCH'), async (req, reply) => {
    const { session } = sessionCaller(req);
    const state = await ctx.sessions.patchState(session.id, req.body.data, req.headers['if-match'], session);
    reply.header('etag', etagOf(state.version));
    return state;
  });

  app.get(
    '/api/extensions/sessions/:sessionId/metadata',
    route({
      access: read(),
      schema: {
        tags: ['extension sessions'],
        summary: 'Unlock blockers, requirements and home actions (bridge: metadata.get)',
        params: SessionParams,
        response: { 200: Metadata },
      },
    }),
    async (req) => ctx.sessions.getMetadata(sessionCaller(req).session),
  );

  app.patch(
    '/api/extensions/sessions/:sessionId/metadata',
    route({
      access: write('metadata:write'),
      schema: {
        tags: ['extension sessions'],
        summary: 'Replace this extension’s unlockBlockers and/or homeActions',
        description: 'Only the arrays named are replaced; other extensions’ blockers are untouched. ≤ 25 blockers (1–200 chars), ≤ 10 home actions with unique slugs.',
        params: SessionParams,
        body: MetadataPatch,
        response: { 200: Metadata },
      },
    }),
    async (req) => ctx.sessions.patchMetadata(sessionCaller(req).session.id, req.body),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/logs/custom',
    route({
      access: { ...write('logs:write'), dialect: 'both' },
      chaster: { body: ChasterCustomLogBody, response: { 201: ChasterNoBody } },
      schema: {
        tags: ['extension sessions'],
        summary: 'Write a custom entry to the lock history (a Chaster app: `role` may be `user`, `%USER%` in the title, 201 without a body)',
        params: SessionParams,
        body: CustomLogBody,
        response: {
          201: Type.Object({
            id: ObjectId,
            lockId: ObjectId,
            type: Type.String(),
            role: Type.String(),
            extensionSlug: Type.String(),
            title: Type.String(),
            description: Type.String(),
            icon: Type.Union([Type.String(), Type.Null()]),
            color: Type.Union([Type.String(), Type.Null()]),
            createdAt: Type.String({ format: 'date-time' }),
          }),
        },
      },
    }),
    byDialect({
      chastify: async (req, reply) => {
        const c = sessionCaller(req);
        return reply.code(201).send(await ctx.sessions.customLog(c.session, c.app, req.body as Static<typeof CustomLogBody>));
      },
      // `%USER%` stays in the entry: each reader sees it rendered for them (dialects/chaster/logs.ts).
      chaster: async (req, reply) => {
        const c = sessionCaller(req);
        await ctx.sessions.customLog(c.session, c.app, parseCustomLog(req.body));
        return reply.code(201).send();
      },
    }),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/notifications/custom',
    route({
      access: write('notifications:write'),
      schema: {
        tags: ['extension sessions'],
        summary: 'Notify the wearer, the keyholder or both (type `extension_app_message`)',
        params: SessionParams,
        body: CustomNotificationBody,
        response: {
          201: Type.Object({
            type: Type.Literal('extension_app_message'),
            target: Type.String(),
            notifications: Type.Array(Type.Object({ id: ObjectId, userId: ObjectId })),
            createdAt: Type.String({ format: 'date-time' }),
          }),
        },
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      return reply.code(201).send(await ctx.sessions.customNotification(c.session, c.lock, c.app, req.body));
    },
  );

}
