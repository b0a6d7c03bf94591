import type { Insertable, Updateable } from 'kysely';
import { noteLockChanged } from '../db/lockChanges.js';
import type { LockHabitRow, LockHabitsTable, PenaltyPeriodRow, PenaltyPeriodsTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function listLockHabits(db: Executor, lockId: string): Promise<LockHabitRow[]> {
  return db.selectFrom('lock_habits').selectAll().where('lock_id', '=', lockId).orderBy('enabled_at').orderBy('id').execute();
}

export async function findLockHabit(db: Executor, lockId: string, appId: string, habitName: string): Promise<LockHabitRow | undefined> {
  return db.selectFrom('lock_habits').selectAll().where('lock_id', '=', lockId).where('app_id', '=', appId).where('habit_name', '=', habitName).executeTakeFirst();
}

export async function findLockHabitById(db: Executor, id: string): Promise<LockHabitRow | undefined> {
  return db.selectFrom('lock_habits').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertLockHabit(db: Executor, row: Insertable<LockHabitsTable>): Promise<void> {
  await db.insertInto('lock_habits').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export async function updateLockHabit(db: Executor, id: string, patch: Updateable<LockHabitsTable>): Promise<void> {
  await db.updateTable('lock_habits').set(patch).where('id', '=', id).execute();
}

export async function deleteLockHabits(db: Executor, ids: string[]): Promise<void> {
  if (ids.length) await db.deleteFrom('lock_habits').where('id', 'in', ids).execute();
}

export async function insertPenaltyPeriod(db: Executor, row: Insertable<PenaltyPeriodsTable>): Promise<void> {
  await db.insertInto('penalty_periods').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export async function findPenaltyPeriod(db: Executor, id: string): Promise<PenaltyPeriodRow | undefined> {
  return db.selectFrom('penalty_periods').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOngoingPeriod(db: Executor, habitId: string): Promise<PenaltyPeriodRow | undefined> {
  return db.selectFrom('penalty_periods').selectAll().where('habit_id', '=', habitId).where('status', '=', 'ongoing').executeTakeFirst();
}

/** The lock's ongoing periods, then its latest settled ones (newest first). */
export async function listPenaltyPeriods(db: Executor, lockId: string, settledLimit: number): Promise<PenaltyPeriodRow[]> {
  const ongoing = await db.selectFrom('penalty_periods').selectAll().where('lock_id', '=', lockId).where('status', '=', 'ongoing').orderBy('ends_at').orderBy('id').execute();
  const settled = await db
    .selectFrom('penalty_periods')
    .selectAll()
    .where('lock_id', '=', lockId)
    .where('status', '!=', 'ongoing')
    .orderBy('starts_at', 'desc')
    .orderBy('id', 'desc')
    .limit(settledLimit)
    .execute();
  return [...ongoing, ...settled];
}

/** Adds actions to an ongoing period; with `settleAs`, settles it at once. The row after, or undefined when it was no longer ongoing. */
export async function countIntoPeriod(db: Executor, id: string, count: number, settle: { status: 'validated'; at: number } | null): Promise<PenaltyPeriodRow | undefined> {
  const row = await db
    .updateTable('penalty_periods')
    .set((eb) => ({ nb_done: eb('nb_done', '+', count), ...(settle ? { status: settle.status, settled_at: settle.at } : {}) }))
    .where('id', '=', id)
    .where('status', '=', 'ongoing')
    .returningAll()
    .executeTakeFirst();
  if (row) noteLockChanged(db, row.lock_id);
  return row;
}

/** Moves a period out of `ongoing`, once: false when something settled it first (the guard of exactly-once punishment). */
export async function settlePeriod(db: Executor, id: string, status: 'validated' | 'punished' | 'cancelled', at: number): Promise<boolean> {
  const row = await db.updateTable('penalty_periods').set({ status, settled_at: at }).where('id', '=', id).where('status', '=', 'ongoing').returning(['lock_id']).executeTakeFirst();
  if (row) noteLockChanged(db, row.lock_id);
  return !!row;
}

/** Cancels the ongoing periods of habits being disabled. */
export async function cancelOngoingPeriods(db: Executor, habitIds: string[], at: number): Promise<void> {
  if (habitIds.length) await db.updateTable('penalty_periods').set({ status: 'cancelled', settled_at: at }).where('habit_id', 'in', habitIds).where('status', '=', 'ongoing').execute();
}
