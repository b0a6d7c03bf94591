import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { isUniqueViolation } from '../db/errors.js';
import { ApiError } from '../errors.js';
import { credentialKey } from './credentials.js';
import type { IdGenerator } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import {
  completeIdempotencyRecord,
  deleteIdempotencyRecord,
  findIdempotencyRecord,
  insertIdempotencyRecord,
} from '../storage/idempotencyRecords.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const IN_FLIGHT_TIMEOUT_MS = 60_000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers worth replaying. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyRecordId: string | null;
  }
  interface FastifyContextConfig {
    /** false: the response carries a secret shown once (a new key, a session), so it is never stored or replayed. */
    idempotency?: boolean;
  }
}

/** Whose key space an `Idempotency-Key` lives in: the credential that sent it. */
function scopeOf(req: FastifyRequest): string | null {
  if (req.caller) return credentialKey(req.caller);
  if (req.user) return `user:${req.user.user.id}`;
  return null;
}

/**
 * `Idempotency-Key` on every mutation (DECISIONS §3): the first request with a key runs and its
 * response is stored; the same key and credential within 24 h replays it, a different body is
 * 422 `idempotency_key_reused`, and a retry while the first is still running is 409 `conflict`.
 * A 5xx is not stored, so the client may retry it.
 */
export function registerIdempotency(app: FastifyInstance, deps: { db: Executor; clock: Clock; ids: IdGenerator }): void {
  app.decorateRequest('idempotencyRecordId', null);

  app.addHook('preHandler', async (req, reply) => {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !MUTATIONS.has(req.method) || req.routeOptions.config.idempotency === false) return;
    const scope = scopeOf(req);
    if (!scope) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY_RE.test(key)) throw new ApiError('invalid_request', 'Idempotency-Key must be 1–255 visible ASCII characters');
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.routeOptions.url}\n${JSON.stringify(req.params ?? {})}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const now = deps.clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = deps.ids.objectId();
      try {
        await insertIdempotencyRecord(deps.db, { id, scope, idem_key: key, fingerprint, status: null, response: null, created_at: now, expires_at: now + IDEMPOTENCY_TTL_MS });
        req.idempotencyRecordId = id;
        return;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const existing = await findIdempotencyRecord(deps.db, scope, key);
      if (!existing) continue;
      // Expired, or abandoned by a process that died before it answered: start over.
      if (existing.expires_at <= now || (existing.status === null && existing.created_at < now - IN_FLIGHT_TIMEOUT_MS)) {
        await deleteIdempotencyRecord(deps.db, existing.id);
        continue;
      }
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request; use a new key');
      }
      if (existing.status === null || existing.response === null) {
        throw new ApiError('conflict', 'A request with this Idempotency-Key is still running; retry shortly', undefined, { 'retry-after': '1' });
      }
      const stored = JSON.parse(existing.response) as { headers: Record<string, string>; body: string };
      reply.headers(stored.headers).header('idempotent-replayed', 'true').code(existing.status);
      return reply.send(stored.body);
    }
    throw new ApiError('conflict', 'Could not reserve the Idempotency-Key; retry');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const id = req.idempotencyRecordId;
    if (!id) return payload;
    req.idempotencyRecordId = null;
    if (reply.statusCode >= 500) {
      await deleteIdempotencyRecord(deps.db, id);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    const body = typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    await completeIdempotencyRecord(deps.db, id, reply.statusCode, JSON.stringify({ headers, body }));
    return payload;
  });
}
