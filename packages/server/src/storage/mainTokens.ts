import type { MainTokenRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertMainToken(db: Executor, row: MainTokenRow): Promise<void> {
  await db.insertInto('main_tokens').values(row).execute();
}

export async function findMainTokenByHash(db: Executor, tokenHash: string): Promise<MainTokenRow | undefined> {
  return db.selectFrom('main_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Opening an extension again revokes the user's earlier launch tokens for that session. */
export async function revokeMainTokensOf(db: Executor, sessionId: string, userId: string, now: number): Promise<void> {
  await db
    .updateTable('main_tokens')
    .set({ revoked_at: now })
    .where('session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The user's live launch tokens for every session of a lock (they left the role they were issued for). */
export async function revokeMainTokensOfUserOnLock(db: Executor, lockId: string, userId: string, now: number): Promise<void> {
  await db
    .updateTable('main_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('session_id', 'in', (eb) => eb.selectFrom('extension_sessions').select('id').where('lock_id', '=', lockId))
    .execute();
}
