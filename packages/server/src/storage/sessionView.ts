import type { DialectName } from '../db/connect.js';
import { sql, type RawBuilder } from 'kysely';
import type { UserRow } from '../db/types.js';
import type { Executor } from './executor.js';

/** An enabled extension session on one of the locks, with its app's slug and name (blockers). */
export interface LockSessionRow {
  id: string;
  lock_id: string;
  app_id: string;
  metadata: string;
  slug: string;
  name: string;
}

/** What a session view shows of a participant. */
export type ViewUser = Pick<UserRow, 'id' | 'username' | 'profile' | 'show_online_status' | 'last_seen_at'>;

export interface LockViewRows {
  sessions: LockSessionRow[];
  /** All-time progress per (session, metric) of those sessions. */
  progress: Array<{ session_id: string; metric: string; total: number }>;
  /** Locks with an open task. */
  openTaskLockIds: string[];
  users: ViewUser[];
}

const list = (values: string[]) => sql.join(values.map((v) => sql`${v}`));

/** `[{…}, …]` of the rows of `from` as JSON, in the dialect's spelling. */
function jsonRows(dialect: DialectName, fields: string[], from: RawBuilder<unknown>): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    const obj = sql.raw(`json_build_object(${fields.map((f) => `'${f}', r.${f}`).join(', ')})`);
    return sql`(select coalesce(json_agg(${obj}), '[]'::json) from (${from}) r)`;
  }
  const obj = sql.raw(`json_object(${fields.map((f) => `'${f}', r.${f}`).join(', ')})`);
  return sql`(select json_group_array(${obj}) from (${from}) r)`;
}

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Everything a session view needs besides the session, lock and app the credential check read
 * already (DECISIONS §6: aggregated blockers of every extension on the lock with requirement
 * progress, whether a task is open, wearer and keyholder), in one statement for any number of
 * locks. PostgreSQL and SQLite build the same JSON arrays with their own functions.
 */
export async function findLockViewRows(db: Executor, dialect: DialectName, lockIds: string[], userIds: string[]): Promise<LockViewRows> {
  if (lockIds.length === 0) return { sessions: [], progress: [], openTaskLockIds: [], users: [] };
  const locks = list(lockIds);
  const sessions = jsonRows(
    dialect,
    ['id', 'lock_id', 'app_id', 'metadata', 'slug', 'name'],
    sql`select s.id, s.lock_id, s.app_id, s.metadata, a.slug, a.name from extension_sessions s join extension_apps a on a.id = s.app_id where s.lock_id in (${locks}) and s.removed_at is null`,
  );
  const progress = jsonRows(
    dialect,
    ['session_id', 'metric', 'total'],
    sql`select p.session_id, p.metric, sum(p.amount) as total from requirement_progress p join extension_sessions s on s.id = p.session_id where s.lock_id in (${locks}) and s.removed_at is null group by p.session_id, p.metric`,
  );
  const tasks = jsonRows(dialect, ['lock_id'], sql`select distinct lock_id from tasks where lock_id in (${locks}) and status = 'open'`);
  const users = userIds.length
    ? jsonRows(dialect, ['id', 'username', 'profile', 'show_online_status', 'last_seen_at'], sql`select id, username, profile, show_online_status, last_seen_at from users where id in (${list(userIds)})`)
    : sql`null`;
  const { rows } = await sql<Record<string, unknown>>`select ${sessions} as sessions, ${progress} as progress, ${tasks} as tasks, ${users} as users`.execute(db);
  const row = rows[0]!;
  return {
    // Blockers list in session order (ids are time-ordered: installation order).
    sessions: parsed<LockSessionRow[]>(row.sessions).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    progress: parsed<LockViewRows['progress']>(row.progress).map((p) => ({ ...p, total: Number(p.total) })),
    openTaskLockIds: parsed<Array<{ lock_id: string }>>(row.tasks).map((t) => t.lock_id),
    users: row.users === null ? [] : parsed<ViewUser[]>(row.users).map((u) => ({ ...u, last_seen_at: u.last_seen_at === null ? null : Number(u.last_seen_at), show_online_status: Number(u.show_online_status) })),
  };
}
