import { Type } from '@sinclair/typebox';
import { Notification, ObjectId } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

const security = [{ sessionCookie: [] }];

export function notificationRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/notifications',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
        security,
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
            before: Type.Optional(ObjectId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ results: Type.Array(Notification), unreadCount: Type.Integer(), hasMore: Type.Boolean() }),
          ...errorResponses(['login_required']),
        },
      },
    },
    async (req) => {
      const { unread, limit, before } = req.query;
      return ctx.notifications.list(signedIn(req).user.id, { limit: limit ?? 25, ...(before ? { before } : {}), unreadOnly: unread === true });
    },
  );

  app.post(
    '/api/notifications/read',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read (the given ids, or all when `ids` is left out)',
        security,
        body: Type.Object({ ids: Type.Optional(Type.Array(ObjectId, { maxItems: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses(['login_required', 'csrf_token_invalid']) },
      },
    },
    async (req) => ctx.notifications.markRead(signedIn(req).user.id, req.body.ids),
  );
}
