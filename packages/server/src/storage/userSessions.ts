import type { Insertable, Selectable } from 'kysely';
import type { UserSessionsTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertUserSession(db: Executor, row: Insertable<UserSessionsTable>): Promise<void> {
  await db.insertInto('user_sessions').values(row).execute();
}

export async function findLiveUserSession(db: Executor, tokenHash: string, now: number): Promise<Selectable<UserSessionsTable> | undefined> {
  return db
    .selectFrom('user_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteUserSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredUserSessions(db: Executor, now: number): Promise<number> {
  const r = await db.deleteFrom('user_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
