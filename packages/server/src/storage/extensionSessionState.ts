import type { DialectName } from '../db/connect.js';
import type { ExtensionSessionRow } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';

/** Reads a session row for a read-modify-write; on PostgreSQL the row stays locked until commit. */
export async function findSessionForUpdate(db: Executor, id: string, dialect: DialectName): Promise<ExtensionSessionRow | undefined> {
  let q = db.selectFrom('extension_sessions').selectAll().where('id', '=', id);
  // SQLite has no row locks: its single writer connection serializes transactions instead.
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Compare-and-swap on `version`, the guard that no concurrent writer's update is lost. */
export async function updateSessionIfVersion(
  db: Executor,
  id: string,
  version: number,
  patch: Partial<Pick<ExtensionSessionRow, 'state' | 'state_version' | 'metadata' | 'config' | 'regular_actions_config' | 'regular_actions_state'>>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('extension_sessions')
    .set({ ...patch, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('lock_id')
    .executeTakeFirst();
  if (r) noteLockChanged(db, r.lock_id);
  return r !== undefined;
}
