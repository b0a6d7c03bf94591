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

/** Which of these sessions are still signed in (not logged out, not expired). */
export async function findLiveSessionHashes(db: Executor, tokenHashes: string[], now: number): Promise<Set<string>> {
  if (tokenHashes.length === 0) return new Set();
  const rows = await db.selectFrom('user_sessions').select('token_hash').where('token_hash', 'in', tokenHashes).where('expires_at', '>', now).execute();
  return new Set(rows.map((r) => r.token_hash));
}
