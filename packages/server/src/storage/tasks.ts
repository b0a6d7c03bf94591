import type { TaskRow } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';

export async function insertTask(db: Executor, row: TaskRow): Promise<void> {
  await db.insertInto('tasks').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export async function findOpenTask(db: Executor, lockId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('lock_id', '=', lockId).where('status', '=', 'open').orderBy('id', 'desc').executeTakeFirst();
}

export async function findOpenTasksOfLocks(db: Executor, lockIds: string[]): Promise<TaskRow[]> {
  if (lockIds.length === 0) return [];
  return db.selectFrom('tasks').selectAll().where('lock_id', 'in', lockIds).where('status', '=', 'open').execute();
}

export async function updateTask(db: Executor, id: string, patch: Partial<Omit<TaskRow, 'id' | 'lock_id'>>): Promise<void> {
  const r = await db.updateTable('tasks').set(patch).where('id', '=', id).returning('lock_id').executeTakeFirst();
  if (r) noteLockChanged(db, r.lock_id);
}

export async function findTaskOfLock(db: Executor, lockId: string, taskId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', taskId).where('lock_id', '=', lockId).executeTakeFirst();
}
