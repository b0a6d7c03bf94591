import type { Insertable } from 'kysely';
import { fixedStatement, runFixed } from '../db/prepared.js';
import type { UserRow, UserSessionsTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertUserSession(db: Executor, row: Insertable<UserSessionsTable>): Promise<void> {
  await db.insertInto('user_sessions').values(row).execute();
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

/** Every column of users (compile-time complete): a named prepared statement may not select `*`. */
const USER_COLUMNS = Object.keys({
  id: 1, username: 1, username_key: 1, password_hash: 1, profile: 1, show_online_status: 1, last_seen_at: 1, created_at: 1, updated_at: 1, persona: 1,
} satisfies Record<keyof UserRow, 1>);

// Hot: every request with a session cookie (a named prepared statement on PostgreSQL).
const LIVE_SESSION_USER = fixedStatement(
  'live_session_user',
  `select ${USER_COLUMNS.map((c) => `u.${c}`).join(', ')}, s.csrf_token as session_csrf_token
    from user_sessions s join users u on u.id = s.user_id
    where s.token_hash = ? and s.expires_at > ?`,
);

/** The user of a live sign-in session and that session's CSRF token, in one statement. */
export async function findLiveSessionUser(db: Executor, tokenHash: string, now: number): Promise<{ user: UserRow; csrfToken: string } | undefined> {
  const row = (await runFixed<UserRow & { session_csrf_token: string }>(db, LIVE_SESSION_USER, [tokenHash, now])).rows[0];
  if (!row) return undefined;
  const { session_csrf_token: csrfToken, ...user } = row;
  return { user, csrfToken };
}
