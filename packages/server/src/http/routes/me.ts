import { Type } from '@sinclair/typebox';
import { Me, Profile } from '@latch/protocol';
import { meView } from '../../services/accounts.js';
import { signedIn } from '../auth.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

export function meRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in user, with the CSRF token for mutations',
        security: [{ sessionCookie: [] }],
        response: { 200: Me, ...errorResponses(['login_required']) },
      },
    },
    async (req) => {
      const { user, csrfToken } = signedIn(req);
      return meView(user, csrfToken);
    },
  );

  app.patch(
    '/api/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['accounts'],
        summary: 'Update my profile and online-status visibility',
        security: [{ sessionCookie: [] }],
        body: Type.Object(
          {
            profile: Type.Optional(Profile),
            showOnlineStatus: Type.Optional(Type.Boolean({ description: 'false hides your last-seen time from extensions (lockData)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Me, ...errorResponses(['login_required', 'csrf_token_invalid']) },
      },
    },
    async (req) => {
      const { user, csrfToken } = signedIn(req);
      return meView(await ctx.accounts.updateMe(user.id, req.body), csrfToken);
    },
  );
}
