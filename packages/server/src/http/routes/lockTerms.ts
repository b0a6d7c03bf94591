import { Type } from '@sinclair/typebox';
import { IsoDate, ObjectId } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

const security = [{ sessionCookie: [] }];
const LockParams = Type.Object({ lockId: ObjectId });
const LIMIT_ERRORS = errorResponses(['login_required', 'csrf_token_invalid', 'invalid_request', 'not_found', 'forbidden', 'conflict', 'lock_ended']);

/** The limits of a running lock (Chaster's "Lock settings"): rules in services/lockLimits.ts. */
export function lockTermsRoutes(app: App, ctx: RouteContext) {
  app.put(
    '/api/locks/:lockId/max-limit',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'The wearer moves the limit lock time later (never earlier): to a date, or by some seconds',
        description:
          '400 `invalid_request` when not later than the current limit; 409 `conflict` when the lock has none (removed for good, or never set); 403 for the keyholder. `maxLimitDate` in the answer is null while the timer is hidden from the caller.',
        security,
        params: LockParams,
        body: Type.Union([
          Type.Object({ maxLimitDate: IsoDate }, { additionalProperties: false }),
          Type.Object({ extendBySeconds: Type.Integer({ minimum: 1, maximum: 10 * 365 * 86400 }) }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ maxLimitDate: Type.Union([IsoDate, Type.Null()]) }), ...LIMIT_ERRORS },
      },
    },
    async (req) => ctx.lockTerms.changeMaxLimit(signedIn(req).user, req.params.lockId, 'maxLimitDate' in req.body ? { until: Date.parse(req.body.maxLimitDate) } : { bySeconds: req.body.extendBySeconds }),
  );

  app.delete(
    '/api/locks/:lockId/max-limit',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'The wearer removes the limit lock time, irreversibly',
        security,
        params: LockParams,
        response: { 200: Type.Object({ maxLimitDate: Type.Null() }), ...LIMIT_ERRORS },
      },
    },
    async (req) => ({ maxLimitDate: (await ctx.lockTerms.changeMaxLimit(signedIn(req).user, req.params.lockId, null)).maxLimitDate as null }),
  );

  app.put(
    '/api/locks/:lockId/min-limit',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'The keyholder sets, moves or removes (null) the minimum lock time; never after the limit lock time',
        security,
        params: LockParams,
        body: Type.Object({ minLimitDate: Type.Union([IsoDate, Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ minLimitDate: Type.Union([IsoDate, Type.Null()]) }), ...LIMIT_ERRORS },
      },
    },
    async (req) => ctx.lockTerms.changeMinLimit(signedIn(req).user, req.params.lockId, req.body.minLimitDate === null ? null : Date.parse(req.body.minLimitDate)),
  );
}
