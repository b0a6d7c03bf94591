/**
 * Requirement windows evaluated per second after one clock advance (issue 15, set-based
 * scheduler), on generated rows: N locked locks, each with one session of an app that requires
 * 1 × "m" a day with an add_time punishment, every session's full window due at once and missed —
 * the heaviest case: per window a guard row, a lock change, two history rows, a notification and
 * the next window's job.
 *
 *   - SQLite: the server's own scheduler in this process, one `advance()` of the virtual clock
 *     (what `POST /api/dev/clock/advance` runs) across the window end.
 *   - PostgreSQL: two `npm run worker` processes on a fresh schema; the jobs are committed at once
 *     while both poll, and the clock stops when the last window's guard row is there.
 *
 * Sizes: BENCH_SCHED_SIZES (default 10000,100000; `--quick` or BENCH_QUICK=1: 1000,5000). The
 * baseline is the one-job-per-transaction path (JOB_BATCH_SIZE=1) on BENCH_SCHED_BASELINE sessions
 * (default 2,000; quick 300) in the same run: what every window cost before batching. Figures are
 * reported, never asserted; a run whose windows were not all evaluated exactly once throws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { ManualClock } from '../packages/server/src/clock.js';
import { testConfig } from '../packages/server/src/config.js';
import { dropPgSchema, openDatabase, type Database } from '../packages/server/src/db/connect.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import type { DB } from '../packages/server/src/db/types.js';
import { createIdGenerator } from '../packages/server/src/ids.js';
import { createServices } from '../packages/server/src/services/index.js';
import { fmtInt, type Benchmark, type BenchResult } from './lib.js';

const NAME = 'scheduler';
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const TARGET = { sqlite: 5000, postgres: 3000 } as const;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'packages/server/src/worker.ts');
const TSX = import.meta.resolve('tsx');

type DbKind = 'sqlite' | 'postgres';

export const isQuick = () => process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

function sizes(): number[] {
  const raw = process.env.BENCH_SCHED_SIZES;
  if (!raw) return isQuick() ? [1000, 5000] : [10_000, 100_000];
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_SCHED_SIZES must be positive integers, got ${JSON.stringify(raw)}`);
  return list;
}

function baselineSize(): number {
  const raw = process.env.BENCH_SCHED_BASELINE;
  const n = raw ? Number(raw) : isQuick() ? 300 : 2000;
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SCHED_BASELINE must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** JOB_BATCH_SIZE of the batched runs: BENCH_SCHED_BATCH, else the server's default. */
function batchSize(): number {
  const n = Number(process.env.BENCH_SCHED_BATCH ?? testConfig().jobBatchSize);
  if (!Number.isInteger(n) || n < 2) throw new Error(`BENCH_SCHED_BATCH must be an integer >= 2, got ${JSON.stringify(process.env.BENCH_SCHED_BATCH)}`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Databases and rows

interface BenchDb {
  database: Database;
  /** For worker processes: the URL that lands in this schema (PostgreSQL). */
  workerUrl?: string;
  destroy(): Promise<void>;
}

async function openSqlite(): Promise<BenchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-sched-'));
  const database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
  await migrateToLatest(database);
  return {
    database,
    async destroy() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<BenchDb> {
  const schema = `bench_sched_${randomBytes(5).toString('hex')}`;
  const database = await openDatabase(PG_URL, { pgSchema: schema, pgPoolSize: 4 });
  await migrateToLatest(database);
  return {
    database,
    workerUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
    async destroy() {
      await database.close();
      await dropPgSchema(PG_URL, schema);
    },
  };
}

async function pgUnreachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const hexId = (() => {
  const prefix = randomBytes(6).toString('hex');
  let n = 0;
  return () => prefix + (n++).toString(16).padStart(12, '0');
})();

async function insertChunks(db: Kysely<DB>, table: keyof DB & string, rows: Array<Record<string, unknown>>, perRow: number) {
  const size = Math.floor(15_000 / perRow);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

interface Seed {
  n: number;
  windowStart: number;
  windowEnd: number;
  jobs: Array<Record<string, unknown>>;
}

const LOCK_SETTINGS = JSON.stringify({ tasks: { enabled: false }, hygienicOpening: { enabled: false, durationSeconds: 900 }, pillory: { enabled: false, maxDurationSeconds: 86400 }, requiredTaskPoints: 0, trustExternalPrograms: false });
const REQUIREMENTS = JSON.stringify({ enabled: true, metric: 'm', requiredCount: 1, cadence: { every: 1, unit: 'day', timezone: 'UTC' }, punishment: { type: 'add_time', seconds: 60 } });

/** Users, app, locks and sessions in bulk; the due jobs are returned, to be inserted when the clock starts. */
async function seed(db: Kysely<DB>, n: number, windowEnd: number): Promise<Seed> {
  const windowStart = windowEnd - DAY;
  const createdAt = windowStart - DAY;
  const userId = hexId();
  const appId = hexId();
  const name = `bs_${userId.slice(-10)}`;
  await db.insertInto('users').values({ id: userId, username: name, username_key: name, password_hash: '!', profile: '{}', show_online_status: 0, last_seen_at: null, created_at: createdAt, updated_at: createdAt }).execute();
  await db
    .insertInto('extension_apps')
    .values({ id: appId, owner_id: userId, slug: `bs-${appId}`, name: 'Daily requirement', description: '', iframe_url: null, setup_url: null, allowed_origins: '[]', scopes: '[]', default_config: '{}', initial_metadata: '{}', regular_actions: null, extension_requirements: REQUIREMENTS, attempt_limit: null, created_at: createdAt, updated_at: createdAt })
    .execute();
  const locks: Array<Record<string, unknown>> = [];
  const sessions: Array<Record<string, unknown>> = [];
  const jobs: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const lockId = hexId();
    const sessionId = hexId();
    locks.push({ id: lockId, wearer_id: userId, keyholder_id: null, keyholder_status: null, title: `Lock ${i}`, status: 'locked', started_at: createdAt, ends_at: windowEnd + 30 * DAY + i, max_ends_at: null, frozen_at: null, hidden_timer: 0, ended_at: null, settings: LOCK_SETTINGS, version: 1, created_at: createdAt, updated_at: createdAt, pillory_until: null, pillory_reason: null, hygienic_until: null, task_points: 0, frozen_until: null, hygienic_started_at: null });
    sessions.push({ id: sessionId, lock_id: lockId, app_id: appId, config: '{}', metadata: '{}', state: '{}', version: 1, state_version: 1, regular_actions_config: null, regular_actions_state: null, created_at: createdAt, updated_at: createdAt, removed_at: null, background_granted_at: null, background_granted_by: null, background_role: null });
    jobs.push({ id: hexId(), kind: 'requirement.evaluate', key: `req:${sessionId}`, run_at: windowEnd, payload: JSON.stringify({ sessionId, metric: 'm', windowStart, windowEnd }), attempts: 0, max_attempts: 10, locked_by: null, locked_until: null, last_error: null, failed_at: null, created_at: createdAt });
  }
  await insertChunks(db, 'locks', locks, 22);
  await insertChunks(db, 'extension_sessions', sessions, 16);
  return { n, windowStart, windowEnd, jobs };
}

/** Throws unless every window was evaluated and punished exactly once. */
async function checkExactlyOnce(db: Kysely<DB>, s: Seed): Promise<void> {
  const r = await sql<{ total: string; punished: string; sessions: string }>`
    SELECT count(*) AS total, sum(punished) AS punished, count(DISTINCT session_id) AS sessions FROM requirement_windows WHERE window_start = ${s.windowStart}`.execute(db);
  const row = r.rows[0]!;
  const h = await sql<{ n: string }>`SELECT count(*) AS n FROM history_logs WHERE type = 'time_added'`.execute(db);
  if (Number(row.total) !== s.n || Number(row.punished) !== s.n || Number(row.sessions) !== s.n || Number(h.rows[0]!.n) !== s.n) {
    throw new Error(`scheduler bench: expected ${s.n} windows punished once, got ${JSON.stringify(row)} and ${h.rows[0]!.n} time_added rows`);
  }
}

const windowsDone = async (db: Kysely<DB>) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM requirement_windows`.execute(db)).rows[0]!.n);

// ---------------------------------------------------------------------------------------------
// Runs

/** Windows per second of wall time, and per second of CPU time of the processes that ran them (a figure a busy machine disturbs less). */
interface Rate {
  wall: number;
  cpu: number;
}

/** SQLite: the in-process scheduler, one virtual-clock advance across the window end. */
async function runSqlite(n: number, jobBatchSize: number): Promise<Rate> {
  const bdb = await openSqlite();
  try {
    const windowEnd = Math.floor(Date.now() / DAY) * DAY;
    const s = await seed(bdb.database.db, n, windowEnd);
    await insertChunks(bdb.database.db, 'jobs', s.jobs, 12);
    const clock = new ManualClock(windowEnd - 1000);
    const services = createServices({ config: { ...testConfig(), dev: true, jobBatchSize }, database: bdb.database, clock, ids: createIdGenerator(clock), logger: pino({ level: 'silent' }) });
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const ran = await services.scheduler.advance(clock, 2000);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    await services.close();
    if (ran.length !== n || ran.some((r) => r.outcome !== 'done')) throw new Error(`scheduler bench: ${ran.filter((r) => r.outcome === 'done').length} of ${n} jobs done`);
    await checkExactlyOnce(bdb.database.db, s);
    return { wall: n / (ms / 1000), cpu: n / ((used.user + used.system) / 1e6) };
  } finally {
    await bdb.destroy();
  }
}

/** User + system CPU seconds of a live process (Linux /proc), or NaN. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface WorkerProc {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function spawnWorker(url: string, jobBatchSize: number): WorkerProc {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LATCH_DEV', 'NODE_ENV', 'RUN_SCHEDULER', 'NODE_TEST_CONTEXT']) delete env[k];
  const proc = spawn(process.execPath, ['--import', TSX, WORKER], {
    cwd: path.join(ROOT, 'packages/server'),
    env: { ...env, DATABASE_URL: url, LOG_LEVEL: 'warn', WORKER_POLL_MS: '50', JOB_LEASE_SECONDS: '60', JOB_BATCH_SIZE: String(jobBatchSize) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { proc, out: () => out, exited: new Promise((resolve) => proc.on('close', (code) => resolve(code))) };
}

async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs: number, workers: WorkerProc[], intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    for (const w of workers) if (w.proc.exitCode !== null) throw new Error(`a worker exited before ${what}:\n${w.out().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${workers.map((w) => w.out().slice(-2000)).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** PostgreSQL: two worker processes; the jobs are committed while both poll. CPU: the workers' (the database server's not counted). */
async function runPostgres(n: number, jobBatchSize: number): Promise<Rate> {
  const bdb = await openPostgres();
  const workers: WorkerProc[] = [];
  try {
    const now = Date.now();
    // The window that ended at the last UTC midnight; the next one ends at the coming midnight.
    const windowEnd = Math.floor(now / DAY) * DAY;
    if (windowEnd + DAY - now < 10 * 60_000) throw new Error('scheduler bench: within 10 minutes of UTC midnight the next windows would fall due during the run; run it again later');
    const s = await seed(bdb.database.db, n, windowEnd);
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(bdb.workerUrl!, jobBatchSize));
    await until('both workers running', () => workers.every((w) => /latch worker \S+ running/.test(w.out())), 60_000, workers);
    // One transaction: every window falls due for both workers at the same instant.
    await bdb.database.db.transaction().execute((tx) => insertChunks(tx, 'jobs', s.jobs, 12));
    const cpuBefore = workers.reduce((t, w) => t + cpuSecondsOf(w.proc.pid), 0);
    const started = process.hrtime.bigint();
    await until(`${n} windows evaluated`, async () => (await windowsDone(bdb.database.db)) >= n, 1_800_000, workers, 20);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpuSec = workers.reduce((t, w) => t + cpuSecondsOf(w.proc.pid), 0) - cpuBefore;
    for (const w of workers) w.proc.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    if (codes.some((c) => c !== 0)) throw new Error(`scheduler bench: worker exit codes ${codes.join(', ')}`);
    for (const w of workers) {
      const errors = w
        .out()
        .split('\n')
        .filter((l) => l.startsWith('{') && Number((JSON.parse(l) as { level?: number }).level) >= 50);
      if (errors.length) throw new Error(`scheduler bench: a worker logged errors:\n${errors.slice(0, 3).join('\n')}`);
    }
    await checkExactlyOnce(bdb.database.db, s);
    return { wall: n / (ms / 1000), cpu: n / cpuSec };
  } finally {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await bdb.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

export const schedulerBench: Benchmark = {
  name: NAME,
  async run({ log, skip }) {
    const results: BenchResult[] = [];
    const list = sizes();
    const base = baselineSize();
    for (const db of ['sqlite', 'postgres'] as const satisfies readonly DbKind[]) {
      if (db === 'postgres') {
        const why = await pgUnreachable(PG_URL);
        if (why) {
          skip(`${NAME}/postgres`, `PostgreSQL at ${PG_URL.replace(/\/\/[^@/]*@/, '//')} unreachable (${why})`);
          continue;
        }
      }
      const run = db === 'sqlite' ? runSqlite : runPostgres;
      const how = db === 'sqlite' ? 'one virtual-clock advance, in process' : 'two worker processes';
      const cpuOf = db === 'sqlite' ? 'this process' : 'the two workers';
      const before = await run(base, 1);
      const baseline = before.wall;
      log(`  ${db}: one job per transaction (JOB_BATCH_SIZE=1), ${fmtInt(base)} sessions: ${fmtInt(before.wall)} windows/s (${fmtInt(before.cpu)} per CPU-second of ${cpuOf})`);
      const figures: Record<string, number> = {
        [`baseline windows/s (one job per transaction, ${base} sessions)`]: Math.round(before.wall),
        [`baseline windows per CPU-second of ${cpuOf}`]: Math.round(before.cpu),
      };
      const rates: number[] = [];
      const cpuRates: number[] = [];
      for (const n of list) {
        const rate = await run(n, batchSize());
        rates.push(rate.wall);
        cpuRates.push(rate.cpu);
        log(`  ${db}: batched, ${fmtInt(n)} sessions (${how}): ${fmtInt(rate.wall)} windows/s (${fmtInt(rate.cpu)} per CPU-second of ${cpuOf})`);
        figures[`windows/s at ${n} sessions`] = Math.round(rate.wall);
        figures[`windows per CPU-second of ${cpuOf} at ${n} sessions`] = Math.round(rate.cpu);
      }
      if (list.length > 1) {
        // Cost per window = 1 / rate: the largest size's against the smallest's.
        figures[`per-window cost ${list[list.length - 1]} ÷ ${list[0]} (target ≤ 1.2)`] = Number((rates[0]! / rates[rates.length - 1]!).toFixed(3));
        figures[`per-window CPU cost ${list[list.length - 1]} ÷ ${list[0]}`] = Number((cpuRates[0]! / cpuRates[cpuRates.length - 1]!).toFixed(3));
      }
      figures['target windows/s'] = TARGET[db];
      const largest = rates[rates.length - 1]!;
      results.push({
        name: `${NAME}/${db}`,
        description: `requirement windows evaluated per second after one clock advance (${how}); every window missed and punished (add_time); baseline: one job per transaction`,
        headline: { label: `${NAME}/${db} windows/s at ${list[list.length - 1]} ÷ one job per transaction`, ratio: largest / baseline },
        figures,
        summary: { figure: largest, baseline, unit: 'windows/s' },
        target: { label: `≥ ${fmtInt(TARGET[db])} windows/s at ${fmtInt(list[list.length - 1]!)} sessions`, met: largest >= TARGET[db] },
      });
    }
    return results;
  },
};

/** For profiling scripts: the rows of one run, jobs included. */
export async function seedForProfile(db: Kysely<DB>, n: number, windowEnd: number): Promise<Seed> {
  const s = await seed(db, n, windowEnd);
  await insertChunks(db, 'jobs', s.jobs, 12);
  return s;
}
