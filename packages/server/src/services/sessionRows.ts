import type { Clock } from '../clock.js';
import type { ExtensionSessionRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { findSessionForUpdate, updateSessionIfVersion } from '../storage/extensionSessionState.js';

export type SessionPatch = Parameters<typeof updateSessionIfVersion>[3];
export type SessionChange<T> = (row: ExtensionSessionRow, tx: Executor) => Promise<{ patch: SessionPatch; result: T }>;

/**
 * Read-modify-write of one session row in a transaction (row-locked on PostgreSQL, SQLite has a
 * single writer), guarded by the version compare-and-swap: a lost race retries on fresh data
 * instead of overwriting. With `tx`, runs inside the caller's transaction and fails instead.
 */
export async function mutateSessionRow<T>(db: Executor, dialect: 'sqlite' | 'postgres', clock: Clock, sessionId: string, change: SessionChange<T>, tx?: Executor): Promise<T> {
  const once = async (t: Executor) => {
    const row = await findSessionForUpdate(t, sessionId, dialect);
    if (!row) throw notFound('Extension session');
    const { patch, result } = await change(row, t);
    if (Object.keys(patch).length === 0) return { done: true as const, result };
    const ok = await updateSessionIfVersion(t, sessionId, row.version, patch, clock.now());
    return ok ? { done: true as const, result } : { done: false as const };
  };
  if (tx) {
    const r = await once(tx);
    if (!r.done) throw new Error('session changed concurrently; retry');
    return r.result;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await db.transaction().execute(once);
    if (outcome.done) return outcome.result;
  }
  throw new ApiError('conflict', 'The session is changing too fast; retry');
}
