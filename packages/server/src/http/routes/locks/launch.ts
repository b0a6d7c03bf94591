import { Type } from '@sinclair/typebox';
import { AppDialect, HomeAction, ObjectId, Role } from '@latch/protocol';
import { notFound } from '../../../errors.js';
import { fromJson } from '../../../db/json.js';
import { signedIn } from '../../auth.js';
import { enforceRateLimit } from '../../credentials.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import type { App, RouteContext } from '../../types.js';

/**
 * What the web host needs to open an installed extension (or one of its home actions) in an
 * iframe: a fresh main token, the app's iframe URL and registered origins, the home action and
 * the regular-actions summary for the launch hash (DECISIONS §9).
 */
const LaunchBody = Type.Object({
  sessionId: ObjectId,
  lockId: ObjectId,
  role: Role,
  mainToken: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  extension: Type.Object({ slug: Type.String(), name: Type.String(), iframeUrl: Type.Union([Type.String(), Type.Null()]), allowedOrigins: Type.Array(Type.String()), dialect: AppDialect }),
  homeActions: Type.Array(HomeAction),
  homeAction: Type.Union([HomeAction, Type.Null()]),
  regularActionsSummary: Type.Unknown(),
});

export function launchRoutes(app: App, ctx: Pick<RouteContext, 'sessions' | 'apps' | 'mainTokens' | 'regularActions' | 'rateLimiter'>) {
  for (const rotate of [false, true]) {
    app.route({
      method: rotate ? 'POST' : 'GET',
      url: '/api/locks/:lockId/extensions/:sessionId/launch',
      ...route({
        access: rotate ? LOGIN_WRITE : LOGIN_READ,
        errors: ['not_found', 'extension_not_enabled', 'rate_limited'],
        ...(rotate ? { config: { idempotency: false } } : {}),
        schema: {
          tags: ['locks'],
          summary: rotate
            ? 'Open an installed extension: a fresh main token (revoking your previous ones for it) and everything for the iframe launch'
            : 'Everything for the iframe launch, with an additional main token (earlier tokens keep working)',
          description: rotate
            ? 'The web host calls this (with `x-csrf-token`) each time it opens the extension.'
            : 'Changes nothing that exists, so a cross-site link cannot end an open extension; the web host uses POST, which rotates.',
          params: Type.Object({ lockId: ObjectId, sessionId: ObjectId }),
          querystring: Type.Object({ homeAction: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
          response: { 200: LaunchBody },
        },
      }),
      handler: async (req, reply) => {
        const user = signedIn(req).user;
        const session = await ctx.sessions.row(req.params.sessionId);
        if (!session || session.lock_id !== req.params.lockId) throw notFound('Extension session');
        await enforceRateLimit(ctx.rateLimiter, req, reply, 'token', `user:${user.id}`);
        const extApp = (await ctx.apps.row(session.app_id))!;
        const metadata = await ctx.sessions.getMetadata(session);
        const homeAction = req.query.homeAction ? (metadata.homeActions.find((a) => a.slug === req.query.homeAction) ?? null) : null;
        if (req.query.homeAction && !homeAction) throw notFound(`Home action ${req.query.homeAction}`);
        const token = await ctx.mainTokens.issue(user.id, session.id, { rotate });
        return {
          ...token,
          extension: { slug: extApp.slug, name: extApp.name, iframeUrl: extApp.iframe_url, allowedOrigins: fromJson<string[]>(extApp.allowed_origins, []), dialect: extApp.dialect },
          homeActions: metadata.homeActions,
          homeAction,
          regularActionsSummary: ctx.regularActions.summary(session, extApp),
        };
      },
    });
  }
}
