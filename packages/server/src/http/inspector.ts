import type { FastifyInstance } from 'fastify';

export interface InspectedRequest {
  at: string;
  requestId: string;
  method: string;
  path: string;
  route: string | null;
  status: number;
  code: string | null;
  credential: string | null;
  appId: string | null;
  sessionId: string | null;
  durationMs: number;
}

const MAX = 500;

/**
 * The sandbox's request inspector: the last API calls with their request ids, so a developer
 * can match what their backend sent with what latch answered. Sandbox only: it is a record of
 * everyone's traffic. Query strings are dropped (they might carry anything).
 */
export function registerInspector(app: FastifyInstance): { recent(filter?: { requestId?: string; appId?: string }): InspectedRequest[] } {
  const ring: InspectedRequest[] = [];
  /** Where the next entry goes once the ring is full (the oldest entry). */
  let next = 0;
  app.addHook('onResponse', async (req, reply) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/dev/inspector')) return;
    const c = req.caller;
    const entry: InspectedRequest = {
      at: new Date().toISOString(),
      requestId: req.id,
      method: req.method,
      path: req.url.split('?')[0]!,
      route: req.routeOptions.url ?? null,
      status: reply.statusCode,
      code: req.errorCode,
      credential: c?.credential ?? (req.user ? 'cookie' : null),
      appId: c?.surface === 'extension' ? c.app.id : null,
      sessionId: c?.surface === 'extension' ? (c.session?.id ?? null) : null,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    // Overwrites the oldest entry in place (shifting 500 entries on every request showed in profiles).
    if (ring.length < MAX) ring.push(entry);
    else {
      ring[next] = entry;
      next = (next + 1) % MAX;
    }
  });
  return {
    recent(filter = {}) {
      const inOrder = ring.length < MAX ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      return inOrder.filter((r) => (!filter.requestId || r.requestId === filter.requestId) && (!filter.appId || r.appId === filter.appId)).slice(-200).reverse();
    },
  };
}
