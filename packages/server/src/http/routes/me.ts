import { Type } from '@sinclair/typebox';
import { Me, Profile } from '@latch/protocol';
import { meView } from '../../services/accounts.js';
import { signedIn } from '../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../route.js';
import type { App, RouteContext } from '../types.js';

export function meRoutes(app: App, ctx: Pick<RouteContext, 'accounts'>) {
  app.get(
    '/api/me',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in user, with the CSRF token for mutations',
        response: { 200: Me },
      },
    }),
    async (req) => {
      const { user, csrfToken } = signedIn(req);
      return meView(user, csrfToken);
    },
  );

  app.patch(
    '/api/me',
    route({
      access: LOGIN_WRITE,
      schema: {
        tags: ['accounts'],
        summary: 'Update my profile and online-status visibility',
        body: Type.Object(
          {
            profile: Type.Optional(Profile),
            showOnlineStatus: Type.Optional(Type.Boolean({ description: 'false hides your last-seen time from extensions (lockData)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Me },
      },
    }),
    async (req) => {
      const { user, csrfToken } = signedIn(req);
      return meView(await ctx.accounts.updateMe(user.id, req.body), csrfToken);
    },
  );
}
