import type { CombinationRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertCombination(db: Executor, row: CombinationRow): Promise<void> {
  await db.insertInto('combinations').values(row).execute();
}

export async function findCombinationOfLock(db: Executor, lockId: string): Promise<CombinationRow | undefined> {
  return db.selectFrom('combinations').selectAll().where('lock_id', '=', lockId).executeTakeFirst();
}

/** A picture the owner uploaded and no lock holds yet. */
export async function findUnboundPicture(db: Executor, ownerId: string, id: string): Promise<CombinationRow | undefined> {
  return db.selectFrom('combinations').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).where('lock_id', 'is', null).executeTakeFirst();
}

export async function countUnboundPictures(db: Executor, ownerId: string): Promise<number> {
  const r = await db.selectFrom('combinations').select((eb) => eb.fn.countAll<number | string>().as('n')).where('owner_id', '=', ownerId).where('lock_id', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Binds an uploaded picture to its lock; false when another lock took it first. */
export async function bindPicture(db: Executor, id: string, lockId: string): Promise<boolean> {
  const r = await db.updateTable('combinations').set({ lock_id: lockId }).where('id', '=', id).where('lock_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markCombinationRecovered(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('combinations').set({ recovered_at: now }).where('id', '=', id).where('recovered_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setLockArchived(db: Executor, lockId: string, now: number): Promise<boolean> {
  const r = await db.updateTable('locks').set({ archived_at: now, updated_at: now }).where('id', '=', lockId).where('archived_at', 'is', null).where('status', '!=', 'locked').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
