import type { IdempotencyRecordRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertIdempotencyRecord(db: Executor, row: IdempotencyRecordRow): Promise<void> {
  await db.insertInto('idempotency_records').values(row).execute();
}

export async function findIdempotencyRecord(db: Executor, scope: string, key: string): Promise<IdempotencyRecordRow | undefined> {
  return db.selectFrom('idempotency_records').selectAll().where('scope', '=', scope).where('idem_key', '=', key).executeTakeFirst();
}

export async function completeIdempotencyRecord(db: Executor, id: string, status: number, response: string): Promise<void> {
  await db.updateTable('idempotency_records').set({ status, response }).where('id', '=', id).execute();
}

export async function deleteIdempotencyRecord(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('idempotency_records').where('id', '=', id).execute();
}

export async function deleteExpiredIdempotencyRecords(db: Executor, now: number): Promise<number> {
  const r = await db.deleteFrom('idempotency_records').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
