import { Type } from '@sinclair/typebox';
import { HomeAction, ObjectId, Role } from '@latch/protocol';
import { notFound } from '../../errors.js';
import { fromJson } from '../../db/json.js';
import { findAppById } from '../../storage/extensionApps.js';
import { signedIn } from '../auth.js';
import { enforceRateLimit } from '../credentials.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

/**
 * What the web host needs to open an installed extension (or one of its home actions) in an
 * iframe: a fresh main token, the app's iframe URL and registered origins, the home action and
 * the regular-actions summary for the launch hash (DECISIONS §9).
 */
export function launchRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/locks/:lockId/extensions/:sessionId/launch',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'Open an installed extension: a fresh main token and everything for the iframe launch',
        security: [{ sessionCookie: [] }],
        params: Type.Object({ lockId: ObjectId, sessionId: ObjectId }),
        querystring: Type.Object({ homeAction: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            sessionId: ObjectId,
            lockId: ObjectId,
            role: Role,
            mainToken: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            extension: Type.Object({ slug: Type.String(), name: Type.String(), iframeUrl: Type.Union([Type.String(), Type.Null()]), allowedOrigins: Type.Array(Type.String()) }),
            homeActions: Type.Array(HomeAction),
            homeAction: Type.Union([HomeAction, Type.Null()]),
            regularActionsSummary: Type.Unknown(),
          }),
          ...errorResponses(['login_required', 'not_found', 'extension_not_enabled', 'rate_limited']),
        },
      },
    },
    async (req, reply) => {
      const user = signedIn(req).user;
      const session = await ctx.sessions.row(req.params.sessionId);
      if (!session || session.lock_id !== req.params.lockId) throw notFound('Extension session');
      await enforceRateLimit(ctx.rateLimiter, req, reply, 'token', `user:${user.id}`);
      const token = await ctx.mainTokens.issue(user.id, session.id);
      const extApp = (await findAppById(ctx.db, session.app_id))!;
      const metadata = await ctx.sessions.getMetadata(session);
      const homeAction = req.query.homeAction ? (metadata.homeActions.find((a) => a.slug === req.query.homeAction) ?? null) : null;
      if (req.query.homeAction && !homeAction) throw notFound(`Home action ${req.query.homeAction}`);
      return {
        ...token,
        extension: { slug: extApp.slug, name: extApp.name, iframeUrl: extApp.iframe_url, allowedOrigins: fromJson<string[]>(extApp.allowed_origins, []) },
        homeActions: metadata.homeActions,
        homeAction,
        regularActionsSummary: ctx.regularActions.summary(session, extApp),
      };
    },
  );
}
