import { fixedStatement, inList, listParams, runFixed, type FixedStatement } from '../db/prepared.js';
import type { DialectName } from '../db/connect.js';
import type { DeviceRow, DeviceStateRow, UserRow } from '../db/types.js';
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
  /** Asked for with `devices`: the locks' devices (by id) and their channel states. */
  devices: DeviceRow[];
  deviceStates: DeviceStateRow[];
}

const DEVICE_COLUMNS = Object.keys({ id: 1, lock_id: 1, kind: 1, name: 1, settings: 1, created_by: 1, created_at: 1, updated_at: 1 } satisfies Record<keyof DeviceRow, 1>);
const STATE_COLUMNS = Object.keys({
  device_id: 1, channel: 1, active: 1, intensity: 1, frequency: 1, min_intensity: 1, max_intensity: 1, message: 1, started_at: 1, ends_at: 1, updated_at: 1,
} satisfies Record<keyof DeviceStateRow, 1>);

/** `[{…}, …]` of the rows of `from` as JSON, in the dialect's spelling. */
function jsonRows(dialect: DialectName, fields: string[], from: string): string {
  if (dialect === 'postgres') {
    return `(select coalesce(json_agg(json_build_object(${fields.map((f) => `'${f}', r.${f}`).join(', ')})), '[]'::json) from (${from}) r)`;
  }
  return `(select json_group_array(json_object(${fields.map((f) => `'${f}', r.${f}`).join(', ')})) from (${from}) r)`;
}

/** Which rows a view reads: the locks (a condition on a lock id column) and the participants. */
interface ViewFilter {
  locks: (column: string) => string;
  /** A condition on `users.id`, or null for none. */
  users: string | null;
}

/** The view's columns (`sessions`, `progress`, `tasks`, `users`, `devices`, `device_states`) as JSON arrays: [expression, name]. */
function viewColumnList(dialect: 'sqlite' | 'postgres', f: ViewFilter, withDevices: boolean): Array<[string, string]> {
  const sessions = jsonRows(
    dialect,
    ['id', 'lock_id', 'app_id', 'metadata', 'slug', 'name'],
    `select s.id, s.lock_id, s.app_id, s.metadata, a.slug, a.name from extension_sessions s join extension_apps a on a.id = s.app_id where ${f.locks('s.lock_id')} and s.removed_at is null`,
  );
  const progress = jsonRows(
    dialect,
    ['session_id', 'metric', 'total'],
    `select p.session_id, p.metric, sum(p.amount) as total from requirement_progress p join extension_sessions s on s.id = p.session_id where ${f.locks('s.lock_id')} and s.removed_at is null group by p.session_id, p.metric`,
  );
  const tasks = jsonRows(dialect, ['lock_id'], `select distinct lock_id from tasks where ${f.locks('lock_id')} and status = 'open'`);
  const users = f.users
    ? jsonRows(dialect, ['id', 'username', 'profile', 'show_online_status', 'last_seen_at'], `select id, username, profile, show_online_status, last_seen_at from users where ${f.users}`)
    : 'null';
  // The session view's device control: the devices by id, and their channel states.
  const devices = withDevices ? jsonRows(dialect, DEVICE_COLUMNS, `select ${DEVICE_COLUMNS.join(', ')} from devices where ${f.locks('lock_id')} order by id`) : 'null';
  const deviceStates = withDevices
    ? jsonRows(dialect, STATE_COLUMNS, `select ${STATE_COLUMNS.map((c) => `s.${c}`).join(', ')} from device_state s join devices d on d.id = s.device_id where ${f.locks('d.lock_id')}`)
    : 'null';
  return [
    [sessions, 'sessions'],
    [progress, 'progress'],
    [tasks, 'tasks'],
    [users, 'users'],
    [devices, 'devices'],
    [deviceStates, 'device_states'],
  ];
}

const viewColumns = (dialect: 'sqlite' | 'postgres', f: ViewFilter, withDevices: boolean): string =>
  viewColumnList(dialect, f, withDevices)
    .map(([expression, name]) => `${expression} as ${name}`)
    .join(', ');

/**
 * The full view (with devices) of the lock `l` of an enclosing statement and its wearer and
 * keyholder, as [expression, name] columns to add to that statement (the credential statement of
 * GET session), in `lockViewRowsOf`'s order.
 */
export const lockViewColumnsOfL = (dialect: 'sqlite' | 'postgres'): Array<[string, string]> =>
  viewColumnList(dialect, { locks: (column) => `${column} = l.id`, users: '(id = l.wearer_id or id = l.keyholder_id)' }, true);

const viewStatements = new Map<string, FixedStatement>();

function viewStatement(dialect: 'sqlite' | 'postgres', lockCount: number, userCount: number, withDevices: boolean): FixedStatement {
  const key = `${dialect === 'postgres' ? `${userCount > 0}` : `${lockCount}:${userCount}`}:${withDevices}`;
  const kept = viewStatements.get(`${dialect}:${key}`);
  if (kept) return kept;
  const text = `select ${viewColumns(dialect, { locks: (column) => inList(dialect, column, lockCount), users: userCount ? inList(dialect, 'id', userCount) : null }, withDevices)}`;
  // Hot (every session view); on PostgreSQL four named statements cover every count.
  const statement =
    dialect === 'postgres' ? fixedStatement(`lock_view_${userCount > 0 ? 'users' : 'nousers'}${withDevices ? '_devices' : ''}`, text) : { sqlite: text, postgres: text };
  // SQLite's texts vary with the counts: keep the common ones only.
  if (viewStatements.size < 256) viewStatements.set(`${dialect}:${key}`, statement);
  return statement;
}

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Everything a session view needs besides the session, lock and app the credential check read
 * already (DECISIONS §6: aggregated blockers of every extension on the lock with requirement
 * progress, whether a task is open, wearer and keyholder; `withDevices`: the locks' devices and
 * their channel states), in one statement for any number of locks. PostgreSQL and SQLite build the same JSON arrays with their own functions.
 */
export async function findLockViewRows(db: Executor, dialect: DialectName, lockIds: string[], userIds: string[], withDevices = false): Promise<LockViewRows> {
  if (lockIds.length === 0) return { sessions: [], progress: [], openTaskLockIds: [], users: [], devices: [], deviceStates: [] };
  const locks = listParams(dialect, lockIds);
  const { rows } = await runFixed<Record<string, unknown>>(db, viewStatement(dialect, lockIds.length, userIds.length, withDevices), [
    ...locks,
    ...locks,
    ...locks,
    ...(userIds.length ? listParams(dialect, userIds) : []),
    ...(withDevices ? [...locks, ...locks] : []),
  ]);
  return lockViewRowsOf(rows[0]!);
}

/** The view's JSON columns (`viewColumns`) of a result row, decoded. */
export function lockViewRowsOf(row: Record<string, unknown>): LockViewRows {
  return {
    // Blockers list in session order (ids are time-ordered: installation order).
    sessions: parsed<LockSessionRow[]>(row.sessions).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    progress: parsed<LockViewRows['progress']>(row.progress).map((p) => ({ ...p, total: Number(p.total) })),
    openTaskLockIds: parsed<Array<{ lock_id: string }>>(row.tasks).map((t) => t.lock_id),
    users: row.users === null ? [] : parsed<ViewUser[]>(row.users).map((u) => ({ ...u, last_seen_at: u.last_seen_at === null ? null : Number(u.last_seen_at), show_online_status: Number(u.show_online_status) })),
    devices: row.devices === null ? [] : parsed<DeviceRow[]>(row.devices),
    deviceStates: row.device_states === null ? [] : parsed<DeviceStateRow[]>(row.device_states),
  };
}
