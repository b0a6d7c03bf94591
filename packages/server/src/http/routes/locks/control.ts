import { Type } from '@sinclair/typebox';
import { Lock } from '@latch/protocol';
import { ApiError, notFound } from '../../../errors.js';
import { ACTION_NAMES, isActionName } from '../../../services/lockActions.js';
import { roleOf } from '../../../services/lockRules.js';
import type { FastifyRequest } from 'fastify';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { ENGINE_ERRORS, LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

/**
 * The wearer's and keyholder's own controls over the lock engine (the web UI): keyholder
 * actions, unlocking, relocking after a hygienic opening.
 */
export function lockControlRoutes(app: App, ctx: Pick<RouteContext, 'locks' | 'sessions' | 'engine' | 'devices'>) {
  async function participant(req: FastifyRequest, lockId: string) {
    const user = signedIn(req).user;
    const lock = await ctx.locks.row(lockId);
    const role = lock ? roleOf(lock, user.id) : null;
    if (!lock || !role) throw notFound('Lock');
    return { user, lock, role };
  }

  async function view(userId: string, lockId: string) {
    const lock = await ctx.locks.get(userId, lockId);
    return { ...lock, unlock: await ctx.sessions.unlockInfo((await ctx.locks.row(lockId))!) };
  }

  app.get(
    '/api/locks/:lockId/status',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'The lock with what holds it (unlockable, reasons, every extension blocker)',
        params: LockParams,
        response: { 200: Lock },
      },
    }),
    async (req) => {
      const { user } = await participant(req, req.params.lockId);
      return view(user.id, req.params.lockId);
    },
  );

  app.post(
    '/api/locks/:lockId/actions',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', ...ENGINE_ERRORS],
      schema: {
        tags: ['locks'],
        summary: 'Act on the lock as its keyholder (or as the wearer of a self-lock)',
        description: `\`name\`: ${ACTION_NAMES.map((n) => `\`${n}\``).join(', ')}. \`settings.patch\` may also set \`trustExternalPrograms\`.`,
        params: LockParams,
        body: Type.Object({ name: Type.String({ maxLength: 64 }), params: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ ok: Type.Literal(true), action: Type.String(), changed: Type.Boolean(), detail: Type.Record(Type.String(), Type.Unknown()), lock: Lock }),
        },
      },
    }),
    async (req) => {
      const { user, role } = await participant(req, req.params.lockId);
      if (!isActionName(req.body.name)) throw new ApiError('unknown_action', `Unknown action "${req.body.name}"`);
      const result = await ctx.engine.action(req.params.lockId, { role, userId: user.id }, { kind: 'first_party', userId: user.id }, req.body.name, req.body.params);
      return { ok: true as const, ...result, lock: await view(user.id, req.params.lockId) };
    },
  );

  app.post(
    '/api/locks/:lockId/unlock',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'unlock_not_allowed', 'lock_ended', 'conflict'],
      schema: {
        tags: ['locks'],
        summary: 'Unlock: the wearer once nothing holds the lock, the keyholder at any time',
        description: 'Refused with 409 `unlock_not_allowed` and `details.reasons` (and the blockers) while something holds it.',
        params: LockParams,
        response: { 200: Lock },
      },
    }),
    async (req) => {
      const { user, lock, role } = await participant(req, req.params.lockId);
      await ctx.engine.unlock(lock.id, { role, userId: user.id }, { kind: 'first_party', userId: user.id }, await ctx.sessions.blockersOf(lock.id));
      // Nothing keeps running on an open lock: random and berserk modes included.
      await ctx.devices.command((await ctx.locks.row(lock.id))!, { role, userId: user.id }, 'all.stop', undefined).catch((err: unknown) => req.log.warn({ err }, 'stopping devices after unlock failed'));
      return view(user.id, lock.id);
    },
  );

  app.post(
    '/api/locks/:lockId/hygienic/relock',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'conflict', 'lock_ended'],
      schema: {
        tags: ['locks'],
        summary: 'The wearer relocks after a hygienic opening (late when past its end)',
        params: LockParams,
        response: { 200: Type.Object({ late: Type.Boolean(), lock: Lock }) },
      },
    }),
    async (req) => {
      const { user, role } = await participant(req, req.params.lockId);
      const { late } = await ctx.engine.relock(req.params.lockId, { role, userId: user.id }, { kind: 'first_party', userId: user.id });
      return { late, lock: await view(user.id, req.params.lockId) };
    },
  );
}
