import { Type } from '@sinclair/typebox';
import { ALL_SCOPES, AppDialect, AppView, Habit, HomeAction, HttpUrl, KeyView, ObjectId, UnlockRequirementConfig } from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { AuditPage, AuditPageQuery } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const Url = HttpUrl;
const Json = Type.Record(Type.String(), Type.Unknown());
const Scope = Type.Union(ALL_SCOPES.map((s) => Type.Literal(s)));



const AppFields = {
  dialect: AppDialect,
  name: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.String({ maxLength: 2000 }),
  iframeUrl: Type.Union([Url, Type.Null()]),
  setupUrl: Type.Union([Url, Type.Null()]),
  allowedOrigins: Type.Array(Url, { maxItems: 20, description: 'Origins the bridge answers; default: the origins of iframeUrl and setupUrl' }),
  scopes: Type.Array(Scope, { maxItems: ALL_SCOPES.length, uniqueItems: true }),
  defaultConfig: Json,
  initialMetadata: Type.Object(
    {
      unlockRequirements: Type.Optional(Type.Array(UnlockRequirementConfig, { maxItems: 25 })),
      homeActions: Type.Optional(Type.Array(HomeAction, { maxItems: 10 })),
    },
    { additionalProperties: false },
  ),
  regularActions: Type.Union([Json, Type.Null()]),
  extensionRequirements: Type.Union([Json, Type.Null()]),
  attemptLimit: Type.Union([Json, Type.Null()]),
  habits: Type.Array(Habit, { maxItems: 50, description: 'Penalties: habits a lock’s controller may enable (names unique); a habit removed here stops on the locks that enabled it' }),
};


/** The developer console API: extension apps, developer keys, the audit trail. */
export function developerRoutes(app: App, ctx: Pick<RouteContext, 'apps' | 'appConsole' | 'keys' | 'audit'>) {
  app.post(
    '/api/developer/apps',
    route({
      access: LOGIN_WRITE,
      errors: ['reserved_name', 'conflict'],
      schema: {
        tags: ['developer console'],
        summary: 'Register an extension app',
        body: Type.Object(
          {
            slug: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
            dialect: Type.Optional(AppFields.dialect),
            name: AppFields.name,
            description: Type.Optional(AppFields.description),
            iframeUrl: Type.Optional(AppFields.iframeUrl),
            setupUrl: Type.Optional(AppFields.setupUrl),
            allowedOrigins: Type.Optional(AppFields.allowedOrigins),
            scopes: Type.Optional(AppFields.scopes),
            defaultConfig: Type.Optional(AppFields.defaultConfig),
            initialMetadata: Type.Optional(AppFields.initialMetadata),
            regularActions: Type.Optional(AppFields.regularActions),
            extensionRequirements: Type.Optional(AppFields.extensionRequirements),
            attemptLimit: Type.Optional(AppFields.attemptLimit),
            habits: Type.Optional(AppFields.habits),
          },
          { additionalProperties: false },
        ),
        response: { 201: AppView },
      },
    }),
    async (req, reply) => {
      const row = await ctx.apps.create(signedIn(req).user.id, req.body);
      return reply.code(201).send(await ctx.appConsole.get(row.owner_id, row.id));
    },
  );

  app.get(
    '/api/developer/apps',
    route({ access: LOGIN_READ, schema: { tags: ['developer console'], summary: 'My extension apps', response: { 200: Type.Object({ results: Type.Array(AppView) }) } } }),
    async (req) => ({ results: await ctx.appConsole.list(signedIn(req).user.id) }),
  );

  app.get(
    '/api/developer/apps/:appId',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: { tags: ['developer console'], summary: 'One of my apps', params: Type.Object({ appId: ObjectId }), response: { 200: AppView } },
    }),
    async (req) => ctx.appConsole.get(signedIn(req).user.id, req.params.appId),
  );

  app.patch(
    '/api/developer/apps/:appId',
    route({
      access: LOGIN_WRITE,
      errors: ['reserved_name', 'not_found', 'conflict'],
      schema: {
        tags: ['developer console'],
        summary: 'Change an app (the slug is permanent)',
        params: Type.Object({ appId: ObjectId }),
        body: Type.Partial(Type.Object(AppFields), { additionalProperties: false }),
        response: { 200: AppView },
      },
    }),
    async (req) => ctx.appConsole.update(signedIn(req).user.id, req.params.appId, req.body),
  );

  app.get(
    '/api/developer/apps/:appId/audit',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['developer console'],
        summary: 'Audit trail of privileged calls for this app, newest first',
        params: Type.Object({ appId: ObjectId }),
        querystring: AuditPageQuery,
        response: { 200: AuditPage },
      },
    }),
    async (req) => ctx.audit.forApp(signedIn(req).user.id, req.params.appId, req.query.limit ?? 50, req.query.before),
  );

  app.get(
    '/api/developer/apps/:appId/sessions',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['developer console'],
        summary: 'The sessions of my app: which locks run it (ascending; page with `after`)',
        params: Type.Object({ appId: ObjectId }),
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('locked'), Type.Literal('unlocked'), Type.Literal('deserted'), Type.Literal('all')], { default: 'all' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            after: Type.Optional(ObjectId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            count: Type.Integer(),
            hasMore: Type.Boolean(),
            results: Type.Array(
              Type.Object({
                sessionId: ObjectId,
                lockId: ObjectId,
                lockTitle: Type.String(),
                lockStatus: Type.String(),
                wearerUsername: Type.Union([Type.String(), Type.Null()]),
                keyholderUsername: Type.Union([Type.String(), Type.Null()]),
                config: Type.Unknown(),
                createdAt: Type.String({ format: 'date-time' }),
                updatedAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    }),
    async (req) =>
      ctx.appConsole.sessions(signedIn(req).user.id, req.params.appId, {
        status: req.query.status ?? 'all',
        limit: req.query.limit ?? 50,
        ...(req.query.after ? { afterId: req.query.after } : {}),
      }),
  );

  app.post(
    '/api/developer/keys',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      config: { idempotency: false },
      schema: {
        tags: ['developer console'],
        summary: 'Create a developer key: app-scoped with `appId`, user-wide without',
        description: 'The full key is in this response only; latch stores its SHA-256.',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), appId: Type.Optional(Type.Union([ObjectId, Type.Null()])) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([KeyView, Type.Object({ key: Type.String({ description: 'Shown once' }) })]) },
      },
    }),
    async (req, reply) => {
      const { key, view } = await ctx.keys.create(signedIn(req).user.id, req.body);
      return reply.code(201).send({ ...view, key });
    },
  );

  app.get(
    '/api/developer/keys',
    route({ access: LOGIN_READ, schema: { tags: ['developer console'], summary: 'My developer keys (never the secret)', response: { 200: Type.Object({ results: Type.Array(KeyView) }) } } }),
    async (req) => ({ results: await ctx.keys.list(signedIn(req).user.id) }),
  );

  app.post(
    '/api/developer/keys/:keyId/revoke',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      schema: { tags: ['developer console'], summary: 'Revoke a key: it stops authorizing at once', params: Type.Object({ keyId: ObjectId }), response: { 200: KeyView } },
    }),
    async (req) => ctx.keys.revoke(signedIn(req).user.id, req.params.keyId),
  );

  app.delete(
    '/api/developer/keys/:keyId',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'conflict'],
      schema: {
        tags: ['developer console'],
        summary: 'Delete a revoked key',
        params: Type.Object({ keyId: ObjectId }),
        response: { 204: Type.Null({ description: 'Deleted' }) },
      },
    }),
    async (req, reply) => {
      await ctx.keys.remove(signedIn(req).user.id, req.params.keyId);
      return reply.code(204).send(null);
    },
  );

}
