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
