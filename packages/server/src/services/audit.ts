import type { AuditLogRow } from '../db/types.js';
import { notFound } from '../errors.js';
import { findAppById } from '../storage/extensionApps.js';
import { insertAuditLogs, listAuditLogs } from '../storage/auditLogs.js';
import { inCommitGroup } from '../db/commitGroup.js';
import { findLockById } from '../storage/locks.js';
import { iso, pageOf, type ServiceDeps } from './deps.js';
import { roleOf } from './lockRules.js';

export interface AuditEntry {
  id: string;
  appId: string | null;
  lockId: string | null;
  sessionId: string | null;
  userId: string | null;
  credential: string;
  credentialId: string | null;
  method: string;
  route: string;
  action: string | null;
  status: number;
  outcome: 'success' | 'refused' | 'error';
  errorCode: string | null;
  requestId: string;
  createdAt: string;
}

export function auditView(r: AuditLogRow): AuditEntry {
  return {
    id: r.id,
    appId: r.app_id,
    lockId: r.lock_id,
    sessionId: r.session_id,
    userId: r.user_id,
    credential: r.credential,
    credentialId: r.credential_id,
    method: r.method,
    route: r.route,
    action: r.action,
    status: r.status,
    outcome: r.outcome,
    errorCode: r.error_code,
    requestId: r.request_id,
    createdAt: iso(r.created_at),
  };
}

/** The audit trail of privileged mutations (DECISIONS §3): who, with what, where, and how it ended. */
export function createAuditService({ db, clock, ids }: ServiceDeps) {
  async function page(by: { appId?: string; lockId?: string }, limit: number, before?: string) {
    const { rows, hasMore } = await pageOf(limit, (n) => listAuditLogs(db, by, n, before));
    return { results: rows.map(auditView), hasMore };
  }
  /*
   * Rows are written in batches: every row recorded in one turn of the event loop goes into one
   * multi-row INSERT (one commit, one fsync on SQLite) instead of one commit per request. The
   * audit row is written after the answer in any case (onResponse), so this weakens nothing the
   * caller was told; reads of the trail wait for the rows still in flight (read-your-writes).
   */
  let queue: AuditLogRow[] = [];
  let next: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();
  function flushSoon(): Promise<void> {
    if (next) return next;
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      next = null;
      const rows = queue;
      queue = [];
      // On SQLite in the commit group of the next turn, with the state writes waiting there.
      await inCommitGroup(db, (w) => insertAuditLogs(w, rows));
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    next = p;
    return p;
  }
  async function settled(): Promise<void> {
    await Promise.allSettled([...inFlight]);
  }
  return {
    /** Resolves once the row is stored (with the others of its batch). */
    record(entry: Omit<AuditLogRow, 'id' | 'created_at' | 'outcome'>): Promise<void> {
      queue.push({
        ...entry,
        id: ids.objectId(),
        outcome: entry.status < 400 ? 'success' : entry.status < 500 ? 'refused' : 'error',
        created_at: clock.now(),
      });
      return flushSoon();
    },
    /** Waits for every row recorded so far to be written (reads, shutdown). */
    settled,
    async forApp(ownerId: string, appId: string, limit: number, before?: string) {
      await settled();
      const app = await findAppById(db, appId);
      if (!app || app.owner_id !== ownerId) throw notFound('App');
      return page({ appId }, limit, before);
    },
    async forLock(userId: string, lockId: string, limit: number, before?: string) {
      await settled();
      const lock = await findLockById(db, lockId);
      if (!lock || !roleOf(lock, userId)) throw notFound('Lock');
      return page({ lockId }, limit, before);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
