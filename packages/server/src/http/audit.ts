import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../services/audit.js';

/**
 * Every privileged mutation (a route declaring `credentials.mutation`) leaves an audit row once
 * it is answered, refused ones included: who, with which credential, what, and the outcome.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** A first-party change of who holds a lock (the policy table's action name): audited like the privileged mutations. */
    lockAudit?: string;
  }
}

export function registerAudit(app: FastifyInstance, audit: AuditService): void {
  app.addHook('onResponse', async (req, reply) => {
    const lockAction = req.routeOptions.config.lockAudit;
    if (lockAction && req.user) {
      await audit
        .record({
          app_id: null,
          lock_id: (req.params as { lockId?: string }).lockId ?? null,
          session_id: null,
          user_id: req.user.user.id,
          credential: 'cookie',
          credential_id: null,
          method: req.method,
          route: req.routeOptions.url ?? req.url,
          action: lockAction,
          status: reply.statusCode,
          error_code: req.errorCode,
          request_id: req.id,
        })
        .catch((err: unknown) => req.log.error({ err }, 'audit write failed'));
      return;
    }
    const needs = req.routeOptions.config.credentials;
    if (!needs?.mutation) return;
    const c = req.caller;
    // Requests refused before any credential was recognised are not attributable to anyone
    // (and would let anonymous traffic fill the table).
    if (!c) return;
    const ext = c?.surface === 'extension' ? c : null;
    const sessionId = ext?.session?.id ?? (req.params as { sessionId?: string }).sessionId ?? null;
    const body = req.body as { name?: unknown } | undefined;
    try {
      await audit.record({
        app_id: ext?.app.id ?? null,
        lock_id: ext?.lock?.id ?? null,
        session_id: ext?.session ? sessionId : null,
        user_id: c.userId ?? null,
        credential: c.credential,
        credential_id: c.keyId ?? ext?.tokenId ?? null,
        method: req.method,
        route: req.routeOptions.url ?? req.url,
        action: typeof body?.name === 'string' ? body.name.slice(0, 64) : null,
        status: reply.statusCode,
        error_code: req.errorCode,
        request_id: req.id,
      });
    } catch (err) {
      req.log.error({ err }, 'audit write failed');
    }
  });
}
