import type { DialectName } from '../db/connect.js';
import { fixedStatement, runFixed } from '../db/prepared.js';
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

// `like` over the JSON text of `events` may also match an endpoint that does not list the event
// (it never misses one that does): such a write merely takes the transaction with the outbox.
const STATE_WRITE_UNWATCHED = fixedStatement(
  'state_write_unwatched',
  `update extension_sessions set state = ?, state_version = ?, version = version + 1, updated_at = ?
    where id = ? and version = ?
      and not exists (select 1 from webhook_endpoints e where e.app_id = extension_sessions.app_id and e.enabled = 1
                      and e.events like '%"extension_session.updated"%')
    returning lock_id`,
);

/**
 * A state write in one statement, for when no webhook endpoint of the session's app listens to
 * `extension_session.updated` (so there is no outbox row to write with it): the compare-and-swap on
 * `version` of `updateSessionIfVersion`, committed on its own. False when the row moved since
 * `version` was read or an endpoint listens; the caller then takes the transaction path.
 */
export async function updateStateIfUnwatched(db: Executor, id: string, version: number, state: string, stateVersion: number, now: number): Promise<boolean> {
  const r = (await runFixed<{ lock_id: string }>(db, STATE_WRITE_UNWATCHED, [state, stateVersion, now, id, version])).rows[0];
  if (r) noteLockChanged(db, r.lock_id);
  return r !== undefined;
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
