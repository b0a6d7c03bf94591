import { Type } from '@sinclair/typebox';
import { Notification, ObjectId } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../route.js';
import type { App, RouteContext } from '../types.js';


export function notificationRoutes(app: App, ctx: Pick<RouteContext, 'notifications'>) {
  app.get(
    '/api/notifications',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
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
        },
      },
    }),
    async (req) => {
      const { unread, limit, before } = req.query;
      return ctx.notifications.list(signedIn(req).user.id, { limit: limit ?? 25, ...(before ? { before } : {}), unreadOnly: unread === true });
    },
  );

  app.post(
    '/api/notifications/read',
    route({
      access: LOGIN_WRITE,
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read (the given ids, or all when `ids` is left out)',
        body: Type.Object({ ids: Type.Optional(Type.Array(ObjectId, { maxItems: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ updated: Type.Integer() }) },
      },
    }),
    async (req) => ctx.notifications.markRead(signedIn(req).user.id, req.body.ids),
  );
}
