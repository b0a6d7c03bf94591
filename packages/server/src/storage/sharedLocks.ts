import type { Insertable, Updateable } from 'kysely';
import type { SharedLockRow, SharedLocksTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertSharedLock(db: Executor, row: Insertable<SharedLocksTable>): Promise<void> {
  await db.insertInto('shared_locks').values(row).execute();
}

export async function findSharedLockById(db: Executor, id: string): Promise<SharedLockRow | undefined> {
  return db.selectFrom('shared_locks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSharedLocksOf(db: Executor, keyholderId: string, limit: number, before?: string): Promise<SharedLockRow[]> {
  let q = db.selectFrom('shared_locks').selectAll().where('keyholder_id', '=', keyholderId);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** Changes the keyholder's own shared lock; false when it is not theirs (or gone). */
export async function updateSharedLockOf(db: Executor, id: string, keyholderId: string, patch: Updateable<SharedLocksTable>): Promise<boolean> {
  const r = await db.updateTable('shared_locks').set(patch).where('id', '=', id).where('keyholder_id', '=', keyholderId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteSharedLockOf(db: Executor, id: string, keyholderId: string): Promise<boolean> {
  const r = await db.deleteFrom('shared_locks').where('id', '=', id).where('keyholder_id', '=', keyholderId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
