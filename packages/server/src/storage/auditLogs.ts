import type { AuditLogRow } from '../db/types.js';
import type { Executor } from './executor.js';

/** Several rows in one statement (one commit). */
export async function insertAuditLogs(db: Executor, rows: AuditLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('audit_logs').values(rows).execute();
}

export async function listAuditLogs(db: Executor, by: { appId?: string; lockId?: string }, limit: number, before?: string): Promise<AuditLogRow[]> {
  let q = db.selectFrom('audit_logs').selectAll();
  if (by.appId) q = q.where('app_id', '=', by.appId);
  if (by.lockId) q = q.where('lock_id', '=', by.lockId);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
