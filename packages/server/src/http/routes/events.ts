import { Type } from '@sinclair/typebox';
import { signedIn } from '../auth.js';
import { LOGIN_READ, route } from '../route.js';
import type { App, RouteContext } from '../types.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for the signed-in user's open pages: new notifications as they are
 * written. The process's notification feed reads the table for all open streams at once (one
 * query a second, not one per stream) rather than listening to an in-process bus, so it works
 * the same when several server processes and workers share one database. `Last-Event-ID`
 * resumes after a reconnect (the few seconds before it are sent again: drop ids already seen).
 */
export function eventRoutes(app: App, ctx: Pick<RouteContext, 'liveStreams' | 'notificationFeed'>) {
  // Open streams end when the server closes, so a graceful shutdown does not wait on them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/api/events',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['notifications'],
        summary: 'Live notifications (text/event-stream, event `notification`)',
        response: { 200: Type.String({ description: 'An event stream' }) },
      },
    }),
    async (req, reply) => {
      const { user, sessionTokenHash } = signedIn(req);
      const userId = user.id;
      const resume = req.headers['last-event-id'];
      const resumeAfter = typeof resume === 'string' && /^[0-9a-f]{24}$/.test(resume) ? resume : null;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-request-id': req.id,
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 3000\n: connected\n\n`);
      let closed = false;
      let unsubscribe: (() => void) | null = null;
      const heartbeat = setInterval(() => raw.write(`: heartbeat\n\n`), HEARTBEAT_MS);
      const stop = () => {
        closed = true;
        unsubscribe?.();
        clearInterval(heartbeat);
        open.delete(end);
        forget();
      };
      const end = () => {
        stop();
        raw.end();
      };
      open.add(end);
      // The stream belongs to this login session: it ends at logout and when the session expires.
      const forget = ctx.liveStreams.add(sessionTokenHash, end);
      req.raw.on('close', stop);
      try {
        const off = await ctx.notificationFeed.subscribe(userId, resumeAfter, (n) => raw.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`));
        // The client may have gone while the catch-up ran.
        if (closed) off();
        else unsubscribe = off;
      } catch (err) {
        req.log.warn({ err }, 'event stream could not start');
        end();
      }
    },
  );
}
