import type { DialectName } from '../db/connect.js';
import { sql } from 'kysely';
import type { JobRow } from '../db/types.js';
import type { Executor } from './executor.js';

export interface NewJob {
  id: string;
  kind: string;
  key: string;
  runAt: number;
  payload: unknown;
  now: number;
  maxAttempts?: number;
}

/** The row a new job is stored as: pending, never tried. */
export function newJobRow(job: NewJob): JobRow {
  return {
    id: job.id,
    kind: job.kind,
    key: job.key,
    run_at: job.runAt,
    payload: JSON.stringify(job.payload ?? {}),
    attempts: 0,
    max_attempts: job.maxAttempts ?? 10,
    locked_by: null,
    locked_until: null,
    last_error: null,
    failed_at: null,
    created_at: job.now,
  };
}

/** Schedules a job, or moves the pending job with the same key to the new time and payload. */
export async function scheduleJob(db: Executor, job: NewJob): Promise<void> {
  await db
    .insertInto('jobs')
    .values(newJobRow(job))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        kind: job.kind,
        run_at: job.runAt,
        payload: JSON.stringify(job.payload ?? {}),
        attempts: 0,
        locked_by: null,
        locked_until: null,
        last_error: null,
        failed_at: null,
      }),
    )
    .execute();
}

/** Adds a job; the key must be free (a handler re-scheduling its own kind after its row is gone). */
export async function insertJob(db: Executor, job: NewJob): Promise<void> {
  await db.insertInto('jobs').values(newJobRow(job)).execute();
}

/** Adds a job unless one with its key is pending; a failed one with the key is revived to run now. */
export async function ensureJob(db: Executor, job: NewJob): Promise<void> {
  await db
    .insertInto('jobs')
    .values(newJobRow(job))
    .onConflict((oc) => oc.column('key').doUpdateSet({ run_at: job.runAt, attempts: 0, failed_at: null, last_error: null }).where('jobs.failed_at', 'is not', null))
    .execute();
}

export async function cancelJob(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('jobs').where('key', '=', key).execute();
}

export async function findJobByKey(db: Executor, key: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();
}

/**
 * Atomically leases up to `limit` due jobs to `workerId` until `now + leaseMs`. On PostgreSQL the
 * candidate rows are taken with FOR UPDATE SKIP LOCKED, so concurrent workers never claim the
 * same job; SQLite has one writer at a time. A lease that runs out (a crashed worker) makes the
 * job claimable again.
 */
export async function claimDueJobs(
  db: Executor,
  dialect: DialectName,
  opts: { workerId: string; now: number; leaseMs: number; limit: number; until?: number },
): Promise<JobRow[]> {
  const due = opts.until ?? opts.now;
  const lockClause = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const result = await sql<JobRow>`
    UPDATE jobs SET locked_by = ${opts.workerId}, locked_until = ${opts.now + opts.leaseMs}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM jobs
      WHERE run_at <= ${due} AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < ${opts.now})
      ORDER BY run_at, id
      LIMIT ${opts.limit}
      ${lockClause}
    )
    RETURNING *`.execute(db);
  return [...result.rows].sort((a, b) => Number(a.run_at) - Number(b.run_at) || (a.id < b.id ? -1 : 1));
}

/**
 * Removes a finished job, but only while this worker still holds it: run inside the effect's
 * transaction, a worker whose lease was taken over finds nothing to delete and rolls back.
 */
export async function deleteClaimedJob(db: Executor, id: string, workerId: string): Promise<boolean> {
  const r = await db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', workerId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Extends this worker's lease on a claimed job; false when the job is no longer this worker's. */
export async function renewJobLease(db: Executor, id: string, workerId: string, lockedUntil: number): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ locked_until: lockedUntil }).where('id', '=', id).where('locked_by', '=', workerId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseFailedJob(db: Executor, job: JobRow, workerId: string, error: string, retryAt: number | null, now: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set(retryAt === null ? { locked_by: null, locked_until: null, last_error: error, failed_at: now } : { locked_by: null, locked_until: null, last_error: error, run_at: retryAt })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** The earliest pending job time at or before `until`, for stepping the virtual clock. */
export async function nextDueTime(db: Executor, until: number): Promise<number | null> {
  const r = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min<number>('run_at').as('t'))
    .where('run_at', '<=', until)
    .where('failed_at', 'is', null)
    .executeTakeFirst();
  return r?.t === null || r?.t === undefined ? null : Number(r.t);
}
