import type { DialectName } from '../db/connect.js';
import type { Insertable } from 'kysely';
import type { LockRow, LocksTable, LockUpdate } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';
import { lockColumns, lockOf } from './rows.js';

export async function insertLock(db: Executor, lock: LockRow): Promise<void> {
  await db.insertInto('locks').values(lockColumns(lock) as Insertable<LocksTable>).execute();
}

export async function findLockById(db: Executor, id: string): Promise<LockRow | undefined> {
  const row = await db.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && lockOf(row);
}

export interface LockListFilter {
  userId: string;
  role?: 'wearer' | 'keyholder';
  status?: LockRow['status'];
  limit: number;
  /** Return locks older than this id (ids are time-ordered). */
  before?: string;
}

/** Locks the user wears, or holds the key to (a declined invitation is not holding the key). */
export async function listLocksForUser(db: Executor, f: LockListFilter): Promise<LockRow[]> {
  let q = db.selectFrom('locks').selectAll();
  q = q.where((eb) => {
    const asWearer = eb('wearer_id', '=', f.userId);
    const asKeyholder = eb.and([eb('keyholder_id', '=', f.userId), eb('keyholder_status', 'in', ['pending', 'accepted'])]);
    if (f.role === 'wearer') return asWearer;
    if (f.role === 'keyholder') return asKeyholder;
    return eb.or([asWearer, asKeyholder]);
  });
  if (f.status) q = q.where('status', '=', f.status);
  if (f.before) q = q.where('id', '<', f.before);
  return (await q.orderBy('id', 'desc').limit(f.limit).execute()).map(lockOf);
}

/**
 * Compare-and-swap on `version`: a concurrent writer that got there first makes this return
 * false, and the caller re-reads and retries instead of overwriting the other change.
 */
export async function updateLockIfVersion(db: Executor, id: string, version: number, patch: LockUpdate): Promise<boolean> {
  const r = await db
    .updateTable('locks')
    .set({ ...lockColumns(patch), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  const updated = Number(r.numUpdatedRows) === 1;
  if (updated) noteLockChanged(db, id);
  return updated;
}

/** Reads a lock for a read-modify-write; on PostgreSQL the row stays locked until commit. */
export async function findLockForUpdate(db: Executor, id: string, dialect: DialectName): Promise<LockRow | undefined> {
  let q = db.selectFrom('locks').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && lockOf(row);
}

/** The user's active locks as wearer, newest first (the External API acts on the first). */
export async function findActiveLocksOfWearer(db: Executor, userId: string): Promise<LockRow[]> {
  return (await db.selectFrom('locks').selectAll().where('wearer_id', '=', userId).where('status', '=', 'locked').orderBy('id', 'desc').execute()).map(lockOf);
}

export async function findLocksByIds(db: Executor, ids: string[]): Promise<Map<string, LockRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('locks').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((l) => [l.id, lockOf(l)]));
}
