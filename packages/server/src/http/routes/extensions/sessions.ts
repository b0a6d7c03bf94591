import { Type } from '@sinclair/typebox';
import {
  CustomLogBody,
  CustomNotificationBody,
  ExtensionSession,
  Metadata,
  MetadataPatch,
  ObjectId,
  ProgressBody,
  Role,
  SearchBody,
  StateBody,
  StateResponse,
  UnlockRequirementStatus,
  type ErrorCode,
} from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { etagOf } from '../../../services/extensionSessions.js';
import { signedIn } from '../../auth.js';
import { credentialMayMutate, enforceRateLimit, extensionCaller, sessionCaller, type CredentialNeeds } from '../../credentials.js';
import { errorResponses } from '../../openapi.js';
import { fromAnotherSite } from '../../requests.js';
import { BACKEND_SECURITY, BROWSER_SAFE_SECURITY, SESSION_READ_ERRORS, SESSION_WRITE_ERRORS, SessionParams, sessionRead, sessionWrite } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const CREDENTIAL_ERRORS = SESSION_READ_ERRORS;
const MUTATION_ERRORS = SESSION_WRITE_ERRORS;
const backend = BACKEND_SECURITY;
const browserSafe = BROWSER_SAFE_SECURITY;
const read = sessionRead;
const write = sessionWrite;

/**
 * The extension session API (`/api/extensions/sessions/*`), wire-compatible with Chastify
 * (spec 000/001/002) and Chaster (spec 004).
 */
export function extensionSessionRoutes(app: App, ctx: RouteContext) {
  const authSchema = (rotate: boolean) => ({
    tags: ['extension sessions'],
    summary: 'Issue a fresh launch token (main token) for the signed-in participant, revoking the previous one',
    description: rotate
      ? 'Rotates: the user’s previous tokens for this session stop working. Lifetime 10 hours. Needs the `x-csrf-token` header.'
      : 'Rotates like POST (DECISIONS §3), except when a browser says the request comes from another site (`Sec-Fetch-Site: cross-site` or `same-site`, e.g. a link on another page): then it adds a token and revokes nothing, so a cross-site navigation cannot end an open extension. Lifetime 10 hours.',
    security: [{ sessionCookie: [] }],
    params: SessionParams,
    response: {
      200: Type.Object({ mainToken: Type.String(), sessionId: ObjectId, lockId: ObjectId, role: Role, expiresAt: Type.String({ format: 'date-time' }) }),
      ...errorResponses(['login_required', 'not_found', 'extension_not_enabled', 'rate_limited', ...(rotate ? (['csrf_token_invalid'] as const) : [])]),
    },
  });
  for (const rotate of [false, true]) {
    app.route({
      method: rotate ? 'POST' : 'GET',
      url: '/api/extensions/sessions/:sessionId/auth',
      config: { auth: 'user', ...(rotate ? { idempotency: false } : {}) },
      schema: authSchema(rotate),
      handler: async (req, reply) => {
        const user = signedIn(req).user;
        await enforceRateLimit(ctx.rateLimiter, req, reply, 'token', `user:${user.id}`);
        return ctx.mainTokens.issue(user.id, req.params.sessionId, { rotate: rotate || !fromAnotherSite(req) });
      },
    });
  }

  app.post(
    '/api/extensions/sessions/search',
    {
      config: { credentials: { surface: 'extension', mutation: false, bucket: 'read', sessionBound: false, appKeyAlone: true } },
      schema: {
        tags: ['extension sessions'],
        summary: 'Search the running sessions of your extension (Chaster)',
        description: 'Only the key’s own app. Ascending by id; pass the last `paginationId` as `paginationLastId` for the next page.',
        security: [{ developerKey: [] }],
        body: SearchBody,
        response: {
          200: Type.Object({ count: Type.Integer(), hasMore: Type.Boolean(), results: Type.Array(Type.Intersect([ExtensionSession, Type.Object({ paginationId: ObjectId })])) }),
          ...errorResponses(CREDENTIAL_ERRORS),
        },
      },
    },
    async (req) => {
      const caller = extensionCaller(req);
      if (req.body.extensionSlug !== caller.app.slug) {
        throw new ApiError('session_mismatch', `This key belongs to the extension "${caller.app.slug}"`);
      }
      return ctx.sessions.search(caller.app, { status: req.body.status ?? 'locked', limit: req.body.limit ?? 15, paginationLastId: req.body.paginationLastId ?? null }, { launchSessionId: caller.launchSessionId ?? null, role: caller.role });
    },
  );

  app.get(
    '/api/extensions/sessions/:sessionId',
    {
      config: { credentials: read('read', { appKeyAlone: true }) },
      schema: {
        tags: ['extension sessions'],
        summary: 'The session: config, metadata, lock and lockData (bridge: session.get)',
        security: browserSafe,
        params: SessionParams,
        response: { 200: ExtensionSession, ...errorResponses(CREDENTIAL_ERRORS) },
      },
    },
    async (req) => {
      const c = sessionCaller(req);
      return ctx.sessions.get(c.session, c.lock, c.app, { role: c.role, credentialMayMutate: credentialMayMutate(c) });
    },
  );

  app.get(
    '/api/extensions/sessions/:sessionId/state',
    {
      config: { credentials: read() },
      schema: {
        tags: ['extension sessions'],
        summary: 'Extension state (bridge: state.get); `ETag` for conditional writes',
        security: browserSafe,
        params: SessionParams,
        response: { 200: StateResponse, ...errorResponses(CREDENTIAL_ERRORS) },
      },
    },
    async (req, reply) => {
      const state = ctx.sessions.getState(sessionCaller(req).session);
      reply.header('etag', etagOf(state.version));
      return state;
    },
  );

  const stateWrite = (method: 'PUT' | 'PATCH') =>
    ({
      config: { credentials: write('state:write') },
      schema: {
        tags: ['extension sessions'],
        summary: method === 'PUT' ? 'Replace the state (platform-managed keys are kept)' : 'Merge-patch the state (RFC 7386: null deletes, arrays replace)',
        description: '≤ 64 KiB serialized; keys may not start with `$` or contain `.`; `data.attemptLimits` is platform-managed. Honours `If-Match`.',
        security: backend,
        params: SessionParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: StateBody,
        response: { 200: StateResponse, ...errorResponses([...MUTATION_ERRORS, 'invalid_state_key', 'reserved_key', 'state_too_large', 'precondition_failed']) },
      },
    }) as const;

  app.put('/api/extensions/sessions/:sessionId/state', stateWrite('PUT'), async (req, reply) => {
    const state = await ctx.sessions.putState(sessionCaller(req).session.id, req.body.data, req.headers['if-match']);
    reply.header('etag', etagOf(state.version));
    return state;
  });

  app.patch('/api/extensions/sessions/:sessionId/state', stateWrite('PATCH'), async (req, reply) => {
    const state = await ctx.sessions.patchState(sessionCaller(req).session.id, req.body.data, req.headers['if-match']);
    reply.header('etag', etagOf(state.version));
    return state;
  });

  app.get(
    '/api/extensions/sessions/:sessionId/metadata',
    {
      config: { credentials: read() },
      schema: {
        tags: ['extension sessions'],
        summary: 'Unlock blockers, requirements and home actions (bridge: metadata.get)',
        security: browserSafe,
        params: SessionParams,
        response: { 200: Metadata, ...errorResponses(CREDENTIAL_ERRORS) },
      },
    },
    async (req) => ctx.sessions.getMetadata(sessionCaller(req).session),
  );

  app.patch(
    '/api/extensions/sessions/:sessionId/metadata',
    {
      config: { credentials: write('metadata:write') },
      schema: {
        tags: ['extension sessions'],
        summary: 'Replace this extension’s unlockBlockers and/or homeActions',
        description: 'Only the arrays named are replaced; other extensions’ blockers are untouched. ≤ 25 blockers (1–200 chars), ≤ 10 home actions with unique slugs.',
        security: backend,
        params: SessionParams,
        body: MetadataPatch,
        response: { 200: Metadata, ...errorResponses(MUTATION_ERRORS) },
      },
    },
    async (req) => ctx.sessions.patchMetadata(sessionCaller(req).session.id, req.body),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/logs/custom',
    {
      config: { credentials: write('logs:write') },
      schema: {
        tags: ['extension sessions'],
        summary: 'Write a custom entry to the lock history',
        security: backend,
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
          ...errorResponses(MUTATION_ERRORS),
        },
      },
    },
    async (req, reply) => {
      const c = sessionCaller(req);
      return reply.code(201).send(await ctx.sessions.customLog(c.session, c.app, req.body));
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/notifications/custom',
    {
      config: { credentials: write('notifications:write') },
      schema: {
        tags: ['extension sessions'],
        summary: 'Notify the wearer, the keyholder or both (type `extension_app_message`)',
        security: backend,
        params: SessionParams,
        body: CustomNotificationBody,
        response: {
          201: Type.Object({
            type: Type.Literal('extension_app_message'),
            target: Type.String(),
            notifications: Type.Array(Type.Object({ id: ObjectId, userId: ObjectId })),
            createdAt: Type.String({ format: 'date-time' }),
          }),
          ...errorResponses(MUTATION_ERRORS),
        },
      },
    },
    async (req, reply) => {
      const c = sessionCaller(req);
      return reply.code(201).send(await ctx.sessions.customNotification(c.session, c.lock, c.app, req.body));
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/requirements/progress',
    {
      config: { credentials: write('requirements:write', 'action') },
      schema: {
        tags: ['extension sessions'],
        summary: 'Record trusted progress for a metric',
        security: backend,
        params: SessionParams,
        body: ProgressBody,
        response: {
          201: Type.Object({
            metric: Type.String(),
            amount: Type.Integer(),
            occurredAt: Type.String({ format: 'date-time' }),
            total: Type.Integer(),
            unlockRequirement: Type.Union([UnlockRequirementStatus, Type.Null()]),
            window: Type.Union([
              Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }), count: Type.Integer(), requiredCount: Type.Integer(), satisfied: Type.Boolean() }),
              Type.Null(),
            ]),
          }),
          ...errorResponses([...MUTATION_ERRORS, 'unknown_metric', 'window_closed']),
        },
      },
    },
    async (req, reply) => {
      const c = sessionCaller(req);
      return reply.code(201).send(await ctx.sessions.recordProgress(c.session, c.app, req.body));
    },
  );
}
