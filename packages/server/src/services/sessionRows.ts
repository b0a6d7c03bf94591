import type { DialectName } from '../db/connect.js';
import type { Clock } from '../clock.js';
import type { ExtensionSessionRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { findSessionForUpdate, updateSessionIfVersion } from '../storage/extensionSessionState.js';

export type SessionPatch = Parameters<typeof updateSessionIfVersion>[3];
/**
 * Decides a change from the fresh row. `after` runs once the compare-and-swap went through, in
 * the same transaction (webhook events of the change belong there).
 */
export type SessionChange<T> = (row: ExtensionSessionRow, tx: Executor) => Promise<{ patch: SessionPatch; result: T; after?: (tx: Executor) => Promise<void> }>;

/** The compare-and-swap lost: roll back whatever the change wrote, then retry on fresh data. */
class LostRace extends Error {}

/**
 * Read-modify-write of one session row in a transaction (row-locked on PostgreSQL, SQLite has a
 * single writer), guarded by the version compare-and-swap: a lost race rolls back and retries on
 * fresh data instead of overwriting. With `tx`, runs inside the caller's transaction and fails instead.
 */
export async function mutateSessionRow<T>(db: Executor, dialect: DialectName, clock: Clock, sessionId: string, change: SessionChange<T>, tx?: Executor): Promise<T> {
  const once = async (t: Executor): Promise<T> => {
    const row = await findSessionForUpdate(t, sessionId, dialect);
    if (!row) throw notFound('Extension session');
    const { patch, result, after } = await change(row, t);
    if (Object.keys(patch).length === 0) return result;
    if (!(await updateSessionIfVersion(t, sessionId, row.version, patch, clock.now()))) throw new LostRace();
    if (after) await after(t);
    return result;
  };
  if (tx) {
    try {
      return await once(tx);
    } catch (err) {
      if (err instanceof LostRace) throw new Error('session changed concurrently; retry');
      throw err;
    }
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await db.transaction().execute(once);
    } catch (err) {
      if (!(err instanceof LostRace)) throw err;
    }
  }
  throw new ApiError('conflict', 'The session is changing too fast; retry');
}
