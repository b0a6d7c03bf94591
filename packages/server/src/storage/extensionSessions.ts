import type { ExtensionSessionRow, ExtensionSessionsTable, LockRow } from '../db/types.js';
import type { Insertable } from 'kysely';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';
import { fixedStatement, runFixed } from '../db/prepared.js';

export async function insertExtensionSession(db: Executor, row: Insertable<ExtensionSessionsTable>): Promise<void> {
  await db.insertInto('extension_sessions').values(row).execute();
  noteLockChanged(db, row.lock_id);
}

export async function findActiveSessionsOfLocks(db: Executor, lockIds: string[]): Promise<ExtensionSessionRow[]> {
  if (lockIds.length === 0) return [];
  return db
    .selectFrom('extension_sessions')
    .selectAll()
    .where('lock_id', 'in', lockIds)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function findActiveSessionOfApp(db: Executor, lockId: string, appId: string): Promise<ExtensionSessionRow | undefined> {
  return db
    .selectFrom('extension_sessions')
    .selectAll()
    .where('lock_id', '=', lockId)
    .where('app_id', '=', appId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

export async function markSessionRemoved(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('extension_sessions')
    .set({ removed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .returning('lock_id')
    .executeTakeFirst();
  if (r) noteLockChanged(db, r.lock_id);
  return r !== undefined;
}
/**
 * Grants (or, with null, takes back) a running session's background access, only if it is not
 * already so: the updated row, or undefined when there was nothing to change (or it was removed).
 */
export async function setSessionBackground(db: Executor, id: string, grant: { at: number; by: string; role: 'wearer' | 'keyholder' } | null, now: number): Promise<ExtensionSessionRow | undefined> {
  const row = await db
    .updateTable('extension_sessions')
    .set({ background_granted_at: grant?.at ?? null, background_granted_by: grant?.by ?? null, background_role: grant?.role ?? null, updated_at: now })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .where('background_granted_at', grant ? 'is' : 'is not', null)
    .returningAll()
    .executeTakeFirst();
  if (row) noteLockChanged(db, row.lock_id);
  return row;
}

/** Every column of a session row (compile-time complete). */
export const SESSION_COLUMNS = Object.keys({
  id: 1, lock_id: 1, app_id: 1, config: 1, metadata: 1, state: 1, version: 1, state_version: 1, regular_actions_config: 1, regular_actions_state: 1,
  created_at: 1, updated_at: 1, removed_at: 1, background_granted_at: 1, background_granted_by: 1, background_role: 1, granted_scopes: 1,
} satisfies Record<keyof ExtensionSessionRow, 1>);

// Fixed text: a state write that lost its compare-and-swap in a commit group reads the row again with it.
const SESSION_BY_ID = fixedStatement('session_by_id', `select ${SESSION_COLUMNS.join(', ')} from extension_sessions where id = ?`);

export async function findExtensionSession(db: Executor, id: string): Promise<ExtensionSessionRow | undefined> {
  return (await runFixed<ExtensionSessionRow>(db, SESSION_BY_ID, [id])).rows[0];
}

/** Whether the app was ever installed on a lock (removed installs count: their tokens still answer). */
export async function appHasSessions(db: Executor, appId: string): Promise<boolean> {
  return (await db.selectFrom('extension_sessions').select('id').where('app_id', '=', appId).limit(1).executeTakeFirst()) !== undefined;
}

export interface SessionFilter {
  appId: string;
  status: 'locked' | 'unlocked' | 'deserted' | 'all';
}

function sessionsOfApp(db: Executor, f: SessionFilter) {
  const base = db
    .selectFrom('extension_sessions')
    .innerJoin('locks', 'locks.id', 'extension_sessions.lock_id')
    .where('extension_sessions.app_id', '=', f.appId)
    .where('extension_sessions.removed_at', 'is', null);
  return f.status === 'all' ? base : base.where('locks.status', '=', f.status);
}

/** How many of an app's running sessions match. */
export async function countSessionsOfApp(db: Executor, f: SessionFilter): Promise<number> {
  const row = await sessionsOfApp(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Up to `limit` of an app's running sessions, ascending ids after `afterId`. */
export async function listSessionsOfApp(db: Executor, f: SessionFilter & { limit: number; afterId?: string | null }): Promise<ExtensionSessionRow[]> {
  let page = sessionsOfApp(db, f).selectAll('extension_sessions');
  if (f.afterId) page = page.where('extension_sessions.id', '>', f.afterId);
  return page.orderBy('extension_sessions.id', 'asc').limit(f.limit).execute();
}

/** The scopes the lock's controller approved for this installation (JSON list). */
export async function setSessionGrantedScopes(db: Executor, id: string, grantedScopes: string, now: number): Promise<ExtensionSessionRow | undefined> {
  const row = await db.updateTable('extension_sessions').set({ granted_scopes: grantedScopes, updated_at: now }).where('id', '=', id).where('removed_at', 'is', null).returningAll().executeTakeFirst();
  if (row) noteLockChanged(db, row.lock_id);
  return row;
}

/** Installations of an app on running locks, with who controls each lock. */
export async function findRunningInstallsOfApp(db: Executor, appId: string): Promise<Array<{ id: string; lock_id: string; granted_scopes: string | null; wearer_id: string; keyholder_id: string | null; keyholder_status: LockRow['keyholder_status'] }>> {
  return db
    .selectFrom('extension_sessions')
    .innerJoin('locks', 'locks.id', 'extension_sessions.lock_id')
    .select(['extension_sessions.id', 'extension_sessions.lock_id', 'extension_sessions.granted_scopes', 'locks.wearer_id', 'locks.keyholder_id', 'locks.keyholder_status'])
    .where('extension_sessions.app_id', '=', appId)
    .where('extension_sessions.removed_at', 'is', null)
    .where('locks.status', '=', 'locked')
    .execute();
}
