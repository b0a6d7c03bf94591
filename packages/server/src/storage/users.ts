import type { Insertable } from 'kysely';
import type { UsersTable, UserRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertUser(db: Executor, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUsersByIds(db: Executor, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

export async function updateUserProfile(
  db: Executor,
  id: string,
  patch: { profile?: string; show_online_status?: number },
  now: number,
): Promise<void> {
  await db.updateTable('users').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
}

/** Last-seen is written at most once a minute per user, so reads stay reads. */
export async function touchUserLastSeen(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', now - 60_000)]))
    .execute();
}
