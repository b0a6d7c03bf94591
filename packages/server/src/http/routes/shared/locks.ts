import { Type } from '@sinclair/typebox';
import { CombinationInput, CreatedLock, ObjectId, SharedLock, SharedLockTemplate } from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { enforceRateLimit } from '../../credentials.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import type { App, RouteContext } from '../../types.js';

const Params = Type.Object({ sharedLockId: ObjectId });
const Password = Type.String({ minLength: 1, maxLength: 200 });

/**
 * Shared locks: a keyholder publishes a lock template as the link `/shared/:id`; a signed-in
 * wearer opens it (with the password when there is one) and loads a lock with that keyholder.
 */
export function sharedLockRoutes(app: App, ctx: Pick<RouteContext, 'sharedLocks' | 'combinations' | 'rateLimiter'>) {
  app.post(
    '/api/shared-locks',
    route({
      access: LOGIN_WRITE,
      errors: ['invalid_request'],
      schema: {
        tags: ['shared locks'],
        summary: 'Publish a shared lock (you are the keyholder of every lock loaded from it)',
        description: 'The template is checked as lock creation checks it. The password is stored as an argon2id hash; no answer ever contains it.',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 120 }), description: Type.Optional(Type.String({ maxLength: 2000 })), password: Type.Optional(Password), template: SharedLockTemplate },
          { additionalProperties: false },
        ),
        response: { 201: SharedLock },
      },
    }),
    async (req, reply) => reply.code(201).send(await ctx.sharedLocks.publish(signedIn(req).user, req.body)),
  );

  app.get(
    '/api/shared-locks',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['shared locks'],
        summary: 'My shared locks, newest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })), before: Type.Optional(ObjectId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(SharedLock), hasMore: Type.Boolean() }) },
      },
    }),
    async (req) => ctx.sharedLocks.listMine(signedIn(req).user, { limit: req.query.limit ?? 25, ...(req.query.before ? { before: req.query.before } : {}) }),
  );

  app.get(
    '/api/shared-locks/:sharedLockId',
    route({
      access: LOGIN_READ,
      errors: ['not_found', 'shared_lock_disabled'],
      schema: {
        tags: ['shared locks'],
        summary: 'A shared lock as its link shows it: the template only when there is no password (or to its keyholder)',
        params: Params,
        response: { 200: SharedLock },
      },
    }),
    async (req) => ctx.sharedLocks.preview(signedIn(req).user, req.params.sharedLockId),
  );

  app.post(
    '/api/shared-locks/:sharedLockId/open',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'shared_lock_password_invalid', 'shared_lock_disabled', 'rate_limited'],
      schema: {
        tags: ['shared locks'],
        summary: 'Give the password and see the template',
        description: 'Password tries are limited per user (429 `rate_limited`).',
        params: Params,
        body: Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false }),
        response: { 200: SharedLock },
      },
    }),
    async (req, reply) => {
      const user = signedIn(req).user;
      await enforceRateLimit(ctx.rateLimiter, req, reply, 'shared_password', `user:${user.id}`);
      return ctx.sharedLocks.open(user, req.params.sharedLockId, req.body.password);
    },
  );

  app.post(
    '/api/shared-locks/:sharedLockId/locks',
    route({
      access: LOGIN_WRITE,
      errors: ['invalid_request', 'not_found', 'shared_lock_password_invalid', 'shared_lock_disabled', 'rate_limited', 'conflict'],
      schema: {
        tags: ['shared locks'],
        summary: 'Load the shared lock: a new lock you wear, its keyholder already accepted',
        description: 'The initial timer is drawn from the template’s range by the server. `combination` is sealed as on `POST /api/locks`.',
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
        response: { 201: CreatedLock },
      },
    }),
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
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      schema: {
        tags: ['shared locks'],
        summary: 'Disable or enable my shared lock (a disabled one loads no lock)',
        params: Params,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: SharedLock },
      },
    }),
    async (req) => ctx.sharedLocks.setDisabled(signedIn(req).user, req.params.sharedLockId, req.body.disabled),
  );

  app.delete(
    '/api/shared-locks/:sharedLockId',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      schema: {
        tags: ['shared locks'],
        summary: 'Delete my shared lock (locks loaded from it keep running)',
        params: Params,
        response: { 204: Type.Null() },
      },
    }),
    async (req, reply) => {
      await ctx.sharedLocks.remove(signedIn(req).user, req.params.sharedLockId);
      return reply.code(204).send(null);
    },
  );
}
