import type { HistoryLogRow, NewHistoryLog } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';

export async function insertHistoryLog(db: Executor, row: NewHistoryLog): Promise<void> {
  await db.insertInto('history_logs').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export async function listHistoryLogs(db: Executor, lockId: string, limit: number, before?: string, withoutTypes: readonly string[] = []): Promise<HistoryLogRow[]> {
  let q = db.selectFrom('history_logs').selectAll().where('lock_id', '=', lockId);
  if (before) q = q.where('id', '<', before);
  if (withoutTypes.length) q = q.where('type', 'not in', withoutTypes);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
