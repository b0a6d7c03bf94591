import { Type } from '@sinclair/typebox';
import { CombinationInput, CreatedLock, ObjectId, SharedLock, SharedLockTemplate } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { enforceRateLimit } from '../credentials.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

const security = [{ sessionCookie: [] }];
const Params = Type.Object({ sharedLockId: ObjectId });
const Password = Type.String({ minLength: 1, maxLength: 200 });

/**
 * Shared locks: a keyholder publishes a lock template as the link `/shared/:id`; a signed-in
 * wearer opens it (with the password when there is one) and loads a lock with that keyholder.
 */
export function sharedLockRoutes(app: App, ctx: RouteContext) {
  app.post(
    '/api/shared-locks',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'Publish a shared lock (you are the keyholder of every lock loaded from it)',
        description: 'The template is checked as lock creation checks it. The password is stored as an argon2id hash; no answer ever contains it.',
        security,
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 120 }), description: Type.Optional(Type.String({ maxLength: 2000 })), password: Type.Optional(Password), template: SharedLockTemplate },
          { additionalProperties: false },
        ),
        response: { 201: SharedLock, ...errorResponses(['login_required', 'csrf_token_invalid', 'invalid_request']) },
      },
    },
    async (req, reply) => reply.code(201).send(await ctx.sharedLocks.publish(signedIn(req).user, req.body)),
  );

  app.get(
    '/api/shared-locks',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'My shared locks, newest first',
        security,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })), before: Type.Optional(ObjectId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(SharedLock), hasMore: Type.Boolean() }), ...errorResponses(['login_required']) },
      },
    },
    async (req) => ctx.sharedLocks.listMine(signedIn(req).user, { limit: req.query.limit ?? 25, ...(req.query.before ? { before: req.query.before } : {}) }),
  );

  app.get(
    '/api/shared-locks/:sharedLockId',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'A shared lock as its link shows it: the template only when there is no password (or to its keyholder)',
        security,
        params: Params,
        response: { 200: SharedLock, ...errorResponses(['login_required', 'not_found', 'shared_lock_disabled']) },
      },
    },
    async (req) => ctx.sharedLocks.preview(signedIn(req).user, req.params.sharedLockId),
  );

  app.post(
    '/api/shared-locks/:sharedLockId/open',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'Give the password and see the template',
        description: 'Password tries are limited per user (429 `rate_limited`).',
        security,
        params: Params,
        body: Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false }),
        response: { 200: SharedLock, ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found', 'shared_lock_password_invalid', 'shared_lock_disabled', 'rate_limited']) },
      },
    },
    async (req, reply) => {
      const user = signedIn(req).user;
      await enforceRateLimit(ctx.rateLimiter, req, reply, 'shared_password', `user:${user.id}`);
      return ctx.sharedLocks.open(user, req.params.sharedLockId, req.body.password);
    },
  );

  app.post(
    '/api/shared-locks/:sharedLockId/locks',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'Load the shared lock: a new lock you wear, its keyholder already accepted',
        description: 'The initial timer is drawn from the template’s range by the server. `combination` is sealed as on `POST /api/locks`.',
        security,
        params: Params,
        body: Type.Object(
          {
            password: Type.Optional(Password),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            isTestLock: Type.Optional(Type.Boolean()),
            combination: Type.Optional(CombinationInput),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedLock, ...errorResponses(['login_required', 'csrf_token_invalid', 'invalid_request', 'not_found', 'shared_lock_password_invalid', 'shared_lock_disabled', 'rate_limited', 'conflict']) },
      },
    },
    async (req, reply) => {
      const user = signedIn(req).user;
      if (req.body.password !== undefined) await enforceRateLimit(ctx.rateLimiter, req, reply, 'shared_password', `user:${user.id}`);
      const combination = req.body.combination ? await ctx.combinations.prepare(user, req.body.combination) : null;
      const lock = await ctx.sharedLocks.load(user, req.params.sharedLockId, req.body, combination ? (tx, lockId) => ctx.combinations.bind(tx, combination, lockId) : undefined);
      return reply.code(201).send(combination?.generated ? { ...lock, generatedCombination: combination.generated } : lock);
    },
  );

  app.patch(
    '/api/shared-locks/:sharedLockId',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'Disable or enable my shared lock (a disabled one loads no lock)',
        security,
        params: Params,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: SharedLock, ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found']) },
      },
    },
    async (req) => ctx.sharedLocks.setDisabled(signedIn(req).user, req.params.sharedLockId, req.body.disabled),
  );

  app.delete(
    '/api/shared-locks/:sharedLockId',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['shared locks'],
        summary: 'Delete my shared lock (locks loaded from it keep running)',
        security,
        params: Params,
        response: { 204: Type.Null(), ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found']) },
      },
    },
    async (req, reply) => {
      await ctx.sharedLocks.remove(signedIn(req).user, req.params.sharedLockId);
      return reply.code(204).send(null);
    },
  );
}
