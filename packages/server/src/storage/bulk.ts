import type { DialectName } from '../db/connect.js';
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import type { DB, ExtensionAppRow, ExtensionSessionRow, JobRow, LockRow, RequirementWindowRow } from '../db/types.js';
import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';
import { newJobRow, type NewJob } from './jobs.js';

/**
 * Set-based reads and writes for the scheduler's batch handlers (DECISIONS §8, "set-based
 * scheduler" in docs/decisions.md): one statement per table for a whole batch instead of one
 * per row. Statements are split so none binds more than BIND_LIMIT parameters (SQLite allows
 * 32,766, PostgreSQL 65,535).
 */
const BIND_LIMIT = 16_000;

function chunks<T>(rows: readonly T[], perRow: number): T[][] {
  const size = Math.max(1, Math.floor(BIND_LIMIT / Math.max(1, perRow)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * PostgreSQL parses and plans a statement with thousands of parameters slowly: there a batch's
 * rows go as one JSON parameter, typed by the table's own row type (`json_populate_recordset`).
 */
const isPostgres = (db: Executor) => db.getExecutor().adapter instanceof PostgresAdapter;

/** Whole rows (every column, as the table's row type) from one JSON parameter: `SELECT * FROM pgRows(table, rows)`. */
const pgRows = (table: string, rows: ReadonlyArray<Record<string, unknown>>) => sql`json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json)`;

/**
 * SQLite: a multi-row INSERT written out directly (Kysely's builder spent more time building a
 * 500-row statement than SQLite spent running it); the same text for the same row count, so the
 * prepared statement is reused. Table and column names come from this code, never from input.
 */
async function sqliteInsert<R extends Record<string, unknown>>(db: Executor, table: string, rows: readonly R[], suffix = ''): Promise<R[]> {
  const cols = Object.keys(rows[0]!);
  const one = `(${cols.map(() => '?').join(', ')})`;
  const text = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.map(() => one).join(', ')}${suffix}`;
  const params: unknown[] = [];
  for (const r of rows) for (const c of cols) params.push(r[c]);
  return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
}

/** Multi-row INSERT of whole rows (every column), chunked. */
export async function insertRows<T extends keyof DB & string>(db: Executor, table: T, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgres(db)) await sql`INSERT INTO ${sql.table(table)} SELECT * FROM ${pgRows(table, rows)}`.execute(db);
  else for (const part of chunks(rows, Object.keys(rows[0]!).length)) await sqliteInsert(db, table, part);
  if (table === 'history_logs' || table === 'tasks') noteLockChanged(db, ...new Set(rows.map((r) => r.lock_id as string)));
}

export async function findSessionsByIds(db: Executor, ids: readonly string[]): Promise<ExtensionSessionRow[]> {
  const out: ExtensionSessionRow[] = [];
  for (const part of chunks(ids, 1)) if (part.length) out.push(...(await db.selectFrom('extension_sessions').selectAll().where('id', 'in', part).execute()));
  return out;
}

export async function findAppsByIds(db: Executor, ids: readonly string[]): Promise<ExtensionAppRow[]> {
  const out: ExtensionAppRow[] = [];
  for (const part of chunks(ids, 1)) if (part.length) out.push(...(await db.selectFrom('extension_apps').selectAll().where('id', 'in', part).execute()));
  return out;
}

/** Locks by id, in id order; on PostgreSQL row-locked until commit (in id order, so two batches cannot deadlock on them). */
export async function findLocksForUpdate(db: Executor, ids: readonly string[], dialect: DialectName): Promise<LockRow[]> {
  const out: LockRow[] = [];
  for (const part of chunks([...ids].sort(), 1)) {
    if (part.length === 0) continue;
    let q = db.selectFrom('locks').selectAll().where('id', 'in', part).orderBy('id');
    if (dialect === 'postgres') q = q.forUpdate();
    out.push(...(await q.execute()));
  }
  return out;
}

/** Requirement progress of these sessions that happened in [from, to): the batch sums it per window. */
export async function progressOfSessions(db: Executor, sessionIds: readonly string[], from: number, to: number) {
  const out: Array<{ session_id: string; metric: string; amount: number; occurred_at: number }> = [];
  for (const part of chunks(sessionIds, 1)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('requirement_progress')
      .select(['session_id', 'metric', 'amount', 'occurred_at'])
      .where('session_id', 'in', part)
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<', to)
      .execute();
    for (const r of rows) out.push({ session_id: r.session_id, metric: r.metric, amount: Number(r.amount), occurred_at: Number(r.occurred_at) });
  }
  return out;
}

/**
 * Removes claimed jobs in one statement, only those this worker still holds: returns the ids it
 * removed (a job whose lease another worker took over is not among them, and must not run here).
 */
export async function deleteClaimedJobs(db: Executor, ids: readonly string[], workerId: string): Promise<Set<string>> {
  const done = new Set<string>();
  for (const part of chunks(ids, 1)) {
    if (part.length === 0) continue;
    const rows = await db.deleteFrom('jobs').where('id', 'in', part).where('locked_by', '=', workerId).returning('id').execute();
    for (const r of rows) done.add(r.id);
  }
  return done;
}

/** `scheduleJob` for many jobs at once (each key's pending job is moved, as there). */
export async function scheduleJobs(db: Executor, jobs: readonly NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const rows = jobs.map(newJobRow);
  if (isPostgres(db)) {
    await sql`INSERT INTO jobs SELECT * FROM ${pgRows('jobs', rows)}
      ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, run_at = excluded.run_at, payload = excluded.payload, attempts = 0,
        locked_by = NULL, locked_until = NULL, last_error = NULL, failed_at = NULL`.execute(db);
    return;
  }
  for (const part of chunks(rows, 12)) {
    await sqliteInsert(
      db,
      'jobs',
      part as unknown as Array<Record<string, unknown>>,
      ` ON CONFLICT ("key") DO UPDATE SET "kind" = excluded."kind", "run_at" = excluded."run_at", "payload" = excluded."payload", "attempts" = 0,
        "locked_by" = NULL, "locked_until" = NULL, "last_error" = NULL, "failed_at" = NULL`,
    );
  }
}

export async function cancelJobs(db: Executor, keys: readonly string[]): Promise<void> {
  for (const part of chunks(keys, 1)) if (part.length) await db.deleteFrom('jobs').where('key', 'in', part).execute();
}

/** What a batch may change on a lock row (punishments add_time / freeze / pillory, freeze and pillory ends). */
export const BULK_LOCK_COLUMNS = ['ends_at', 'max_ends_at', 'frozen_at', 'frozen_until', 'pillory_until', 'pillory_reason'] as const;

export interface BulkLockUpdate {
  id: string;
  /** The version the batch read; the row is written only if it still has it (compare-and-swap). */
  version: number;
  /** How many changes the batch applied to it: the version moves by as many, as one change at a time would. */
  changes: number;
  ends_at: number | null;
  max_ends_at: number | null;
  frozen_at: number | null;
  frozen_until: number | null;
  pillory_until: number | null;
  pillory_reason: string | null;
}

/** Writes many locks' new timer/freeze/pillory columns in one statement; returns how many rows it wrote. */
export async function updateLocksBulk(db: Executor, rows: readonly BulkLockUpdate[], now: number): Promise<number> {
  if (rows.length === 0) return 0;
  if (isPostgres(db)) {
    const result = await sql<{ id: string }>`
      UPDATE locks SET ends_at = v.ends_at, max_ends_at = v.max_ends_at, frozen_at = v.frozen_at, frozen_until = v.frozen_until, pillory_until = v.pillory_until,
        pillory_reason = v.pillory_reason, version = locks.version + v.changes, updated_at = ${now}
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS v(id varchar(24), version integer, changes integer, ends_at bigint, max_ends_at bigint, frozen_at bigint,
        frozen_until bigint, pillory_until bigint, pillory_reason text)
      WHERE locks.id = v.id AND locks.version = v.version
      RETURNING locks.id`.execute(db);
    noteLockChanged(db, ...result.rows.map((r) => r.id));
    return result.rows.length;
  }
  let n = 0;
  for (const part of chunks(rows, 9)) {
    if (part.length === 0) continue;
    const values = sql.join(
      part.map(
        (r) =>
          sql`(CAST(${r.id} AS VARCHAR(24)), CAST(${r.version} AS INTEGER), CAST(${r.changes} AS INTEGER), CAST(${r.ends_at} AS BIGINT), CAST(${r.max_ends_at} AS BIGINT), CAST(${r.frozen_at} AS BIGINT), CAST(${r.frozen_until} AS BIGINT), CAST(${r.pillory_until} AS BIGINT), CAST(${r.pillory_reason} AS TEXT))`,
      ),
    );
    // `+v.…`: no automatic index on v, so the plan walks v and finds each lock by its key. Without
    // that (and without table statistics) SQLite chose to scan all of locks once a batch had a few
    // hundred rows: a cost per window that grew with the number of locks.
    const result = await sql<{ id: string }>`
      WITH v(id, version, changes, ends_at, max_ends_at, frozen_at, frozen_until, pillory_until, pillory_reason) AS (VALUES ${values})
      UPDATE locks SET ends_at = v.ends_at, max_ends_at = v.max_ends_at, frozen_at = v.frozen_at, frozen_until = v.frozen_until, pillory_until = v.pillory_until,
        pillory_reason = v.pillory_reason, version = locks.version + v.changes, updated_at = ${now}
      FROM v WHERE locks.id = +v.id AND locks.version = +v.version
      RETURNING locks.id`.execute(db);
    noteLockChanged(db, ...result.rows.map((r) => r.id));
    n += result.rows.length;
  }
  return n;
}

/**
 * Inserts requirement window guard rows, skipping those already there (the exactly-once guard):
 * returns the (session, metric, window start) of the rows it inserted.
 */
export async function insertWindowsOnce(db: Executor, rows: readonly RequirementWindowRow[]): Promise<Array<{ session_id: string; metric: string; window_start: number }>> {
  if (rows.length === 0) return [];
  if (isPostgres(db)) {
    const r = await sql<{ session_id: string; metric: string; window_start: number }>`
      INSERT INTO requirement_windows SELECT * FROM ${pgRows('requirement_windows', rows as unknown as Array<Record<string, unknown>>)}
      ON CONFLICT (session_id, metric, window_start) DO NOTHING
      RETURNING session_id, metric, window_start`.execute(db);
    return r.rows.map((x) => ({ ...x, window_start: Number(x.window_start) }));
  }
  const out: Array<{ session_id: string; metric: string; window_start: number }> = [];
  for (const part of chunks(rows, 11)) {
    const inserted = await sqliteInsert(
      db,
      'requirement_windows',
      part as unknown as Array<Record<string, unknown>>,
      ' ON CONFLICT ("session_id", "metric", "window_start") DO NOTHING RETURNING "session_id", "metric", "window_start"',
    );
    for (const r of inserted) out.push({ session_id: String(r.session_id), metric: String(r.metric), window_start: Number(r.window_start) });
  }
  return out;
}
