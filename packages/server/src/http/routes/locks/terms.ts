import { Type } from '@sinclair/typebox';
import { IsoDate, type ErrorCode } from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { LOGIN_WRITE, route } from '../../route.js';
import { LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const LIMIT_ERRORS: ErrorCode[] = ['invalid_request', 'not_found', 'forbidden', 'conflict', 'lock_ended'];

/** The limits of a running lock (Chaster's "Lock settings"): rules in services/lockLimits.ts and the policy table. */
export function lockTermsRoutes(app: App, ctx: Pick<RouteContext, 'lockTerms'>) {
  app.put(
    '/api/locks/:lockId/max-limit',
    route({
      access: LOGIN_WRITE,
      errors: LIMIT_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'The wearer moves the limit lock time later (never earlier): to a date, or by some seconds',
        description:
          '400 `invalid_request` when not later than the current limit; 409 `conflict` when the lock has none (removed for good, or never set); 403 for the keyholder. `maxLimitDate` in the answer is null while the timer is hidden from the caller.',
        params: LockParams,
        body: Type.Union([
          Type.Object({ maxLimitDate: IsoDate }, { additionalProperties: false }),
          Type.Object({ extendBySeconds: Type.Integer({ minimum: 1, maximum: 10 * 365 * 86400 }) }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ maxLimitDate: Type.Union([IsoDate, Type.Null()]) }) },
      },
    }),
    async (req) => ctx.lockTerms.changeMaxLimit(signedIn(req).user, req.params.lockId, 'maxLimitDate' in req.body ? { until: Date.parse(req.body.maxLimitDate) } : { bySeconds: req.body.extendBySeconds }),
  );

  app.delete(
    '/api/locks/:lockId/max-limit',
    route({
      access: LOGIN_WRITE,
      errors: LIMIT_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'The wearer removes the limit lock time, irreversibly',
        params: LockParams,
        response: { 200: Type.Object({ maxLimitDate: Type.Null() }) },
      },
    }),
    async (req) => ({ maxLimitDate: (await ctx.lockTerms.changeMaxLimit(signedIn(req).user, req.params.lockId, null)).maxLimitDate as null }),
  );

  app.put(
    '/api/locks/:lockId/min-limit',
    route({
      access: LOGIN_WRITE,
      errors: LIMIT_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'The keyholder sets, moves or removes (null) the minimum lock time; never after the limit lock time',
        params: LockParams,
        body: Type.Object({ minLimitDate: Type.Union([IsoDate, Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ minLimitDate: Type.Union([IsoDate, Type.Null()]) }) },
      },
    }),
    async (req) => ctx.lockTerms.changeMinLimit(signedIn(req).user, req.params.lockId, req.body.minLimitDate === null ? null : Date.parse(req.body.minLimitDate)),
  );
}
