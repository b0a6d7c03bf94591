import { Type } from '@sinclair/typebox';
import { ObjectId, PublicSharedLink, SharedLink, SharedLinkSettings } from '@latch/protocol';
import { csrfMatches } from '../../../services/accounts.js';
import { signedIn, CSRF_HEADER } from '../../auth.js';
import { enforceRateLimit } from '../../credentials.js';
import { LOGIN_READ, LOGIN_WRITE, PUBLIC, route } from '../../route.js';
import { LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const LinkParams = Type.Object({ linkId: ObjectId });

/** Shared links (Chaster's page): visitors of `/link/:id` vote to add or remove time. */
export function sharedLinkRoutes(app: App, ctx: Pick<RouteContext, 'sharedLinks' | 'rateLimiter'>) {
  app.get(
    '/api/locks/:lockId/shared-link',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['shared links'],
        summary: 'The lock’s shared link (null when it has none)',
        params: LockParams,
        response: { 200: Type.Object({ link: Type.Union([SharedLink, Type.Null()]) }) },
      },
    }),
    async (req) => ({ link: await ctx.sharedLinks.get(signedIn(req).user.id, req.params.lockId) }),
  );

  app.put(
    '/api/locks/:lockId/shared-link',
    route({
      access: LOGIN_WRITE,
      errors: ['invalid_request', 'not_found', 'forbidden', 'lock_ended'],
      schema: {
        tags: ['shared links'],
        summary: 'Set up or change the lock’s shared link (its keyholder, or the wearer of a self-lock)',
        params: LockParams,
        body: Type.Partial(SharedLinkSettings, { additionalProperties: false }),
        response: { 200: SharedLink },
      },
    }),
    async (req) => ctx.sharedLinks.configure(signedIn(req).user.id, req.params.lockId, req.body),
  );

  app.get(
    '/api/links/:linkId',
    route({
      access: PUBLIC,
      errors: ['not_found'],
      schema: {
        tags: ['shared links'],
        summary: 'A shared link as visitors see it (no sign-in needed)',
        params: LinkParams,
        response: { 200: PublicSharedLink },
      },
    }),
    async (req) => ctx.sharedLinks.publicView(req.params.linkId),
  );

  app.post(
    '/api/links/:linkId/vote',
    route({
      access: PUBLIC,
      errors: ['invalid_request', 'login_required', 'forbidden', 'not_found', 'already_voted', 'lock_ended', 'rate_limited'],
      schema: {
        tags: ['shared links'],
        summary: 'Vote as a visitor: add or remove time (or random, when allowed)',
        description:
          'One vote per visitor per period (the signed-in user, sending its CSRF token, else the client address): 409 `already_voted` with `details.nextVoteAt`. Limited per client address (429 `rate_limited`). The wearer and keyholder cannot vote.',
        params: LinkParams,
        body: Type.Object({ choice: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('random')]) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ choice: Type.Union([Type.Literal('add'), Type.Literal('remove')]), seconds: Type.Integer(), nextVoteAt: Type.String({ format: 'date-time' }) }),
        },
      },
    }),
    async (req, reply) => {
      await enforceRateLimit(ctx.rateLimiter, req, reply, 'vote_ip', `ip:${req.ip}`);
      // A cookie alone (a cross-site form) does not vote as the user: the CSRF token must come too.
      const presented = req.headers[CSRF_HEADER];
      const userId = req.user && csrfMatches(typeof presented === 'string' ? presented : undefined, req.user.csrfToken) ? req.user.user.id : null;
      return ctx.sharedLinks.vote(req.params.linkId, { userId, ip: req.ip }, req.body.choice);
    },
  );
}
