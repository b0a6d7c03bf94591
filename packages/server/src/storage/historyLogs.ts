import type { HistoryLogRow, NewHistoryLog } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';

export async function insertHistoryLog(db: Executor, row: NewHistoryLog): Promise<void> {
  await db.insertInto('history_logs').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export interface HistoryFilter {
  lockId: string;
  withoutTypes?: readonly string[];
  /** Only this extension's entries. */
  extensionSlug?: string;
}

function historyOf(db: Executor, f: HistoryFilter) {
  let q = db.selectFrom('history_logs').where('lock_id', '=', f.lockId);
  if (f.withoutTypes?.length) q = q.where('type', 'not in', f.withoutTypes);
  if (f.extensionSlug !== undefined) q = q.where('extension_slug', '=', f.extensionSlug);
  return q;
}

/** A page of a lock's history, newest first, before the id `before`. */
export async function listHistoryLogs(db: Executor, lockId: string, limit: number, before?: string, withoutTypes: readonly string[] = []): Promise<HistoryLogRow[]> {
  return pageOfHistory(db, { lockId, withoutTypes }, limit, before);
}

export async function pageOfHistory(db: Executor, f: HistoryFilter, limit: number, before?: string): Promise<HistoryLogRow[]> {
  let q = historyOf(db, f).selectAll();
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** How many entries match (every page's total). */
export async function countHistoryLogs(db: Executor, f: HistoryFilter): Promise<number> {
  const row = await historyOf(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
