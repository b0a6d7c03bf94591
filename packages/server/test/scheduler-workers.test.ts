import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import { dropPgSchema, openDatabase, type Database } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB, ExtensionSessionsTable, JobsTable, LocksTable } from '../src/db/types.js';
import { PG_URL, TEST_DB } from './helpers.js';
import { newJobRow } from '../src/storage/jobs.js';
import { DAILY_REQUIREMENT, hexId, lockRow, seedRequirementApp, sessionRow } from './seedRows.js';

/**
 * DECISIONS §8 with real processes: several `npm run worker`s on one PostgreSQL database share
 * the due `requirement.evaluate` jobs (claims with FOR UPDATE SKIP LOCKED), every window is
 * punished exactly once, and a worker killed mid-batch loses nothing: its leases run out and
 * another worker finishes its jobs.
 */

const skip = TEST_DB !== 'postgres' ? 'PostgreSQL only: concurrent worker processes need a shared PostgreSQL database (run with LATCH_TEST_DB=postgres)' : false;

const WORKER = fileURLToPath(new URL('../src/worker.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
// Absolute loader URL, as in start.test.ts.
const TSX = import.meta.resolve('tsx');
const DAY = 86_400_000;
const PUNISH_MS = DAILY_REQUIREMENT.punishment.seconds * 1000;
const JOB_KIND = 'requirement.evaluate';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The 5 per-process random bytes of an ObjectId-shaped id (src/ids.ts): which process wrote a row. */
const processPartOf = (id: string) => id.slice(8, 18);

// ---------------------------------------------------------------------------------------------
// Schemas: one fresh schema per scenario, dropped at the end.

interface World {
  schema: string;
  database: Database;
  db: Kysely<DB>;
  /** DATABASE_URL for the workers: the schema chosen through `options=-c search_path=…`. */
  workerUrl: string;
}

const worlds: World[] = [];

async function freshWorld(): Promise<World> {
  const schema = `sw_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase(PG_URL, { pgSchema: schema, pgPoolSize: 4 });
  const world: World = { schema, database, db: database.db, workerUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}` };
  worlds.push(world);
  await migrateToLatest(database);
  return world;
}

async function destroyWorld(world: World): Promise<void> {
  const i = worlds.indexOf(world);
  if (i >= 0) worlds.splice(i, 1);
  await world.database.close().catch(() => undefined);
  await dropPgSchema(PG_URL, world.schema);
}

// ---------------------------------------------------------------------------------------------
// Seed: N locked locks, each with one session of an app that requires 1 × "m" a day, the
// session started at a day start two days ago, one due evaluation job per session for the full
// window that ended at today's UTC midnight.

interface Seed {
  n: number;
  windowStart: number;
  windowEnd: number;
  sessionIds: string[];
  initialEnds: Map<string, number>;
  initialEndsSum: number;
}

async function insertChunks<T extends keyof DB & string>(db: Kysely<DB>, table: T, rows: Array<Record<string, unknown>>, chunk = 500) {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
  }
}

async function seed(db: Kysely<DB>, n: number, now: number): Promise<Seed> {
  const todayStart = Math.floor(now / DAY) * DAY;
  const windowStart = todayStart - DAY;
  const windowEnd = todayStart;
  const createdAt = windowStart - DAY;
  const { userId, appId } = await seedRequirementApp(db, 'sw', createdAt);

  const seen = new Set<string>();
  const uniqueId = () => {
    for (;;) {
      const id = hexId();
      if (!seen.has(id)) {
        seen.add(id);
        return id;
      }
    }
  };
  const endsBase = now + 30 * DAY;
  const locks: Array<Insertable<LocksTable>> = [];
  const sessions: Array<Insertable<ExtensionSessionsTable>> = [];
  const jobs: Array<Insertable<JobsTable>> = [];
  const sessionIds: string[] = [];
  const initialEnds = new Map<string, number>();
  let initialEndsSum = 0;
  for (let i = 0; i < n; i++) {
    const lockId = uniqueId();
    const sessionId = uniqueId();
    const endsAt = endsBase + i * 1000;
    initialEnds.set(lockId, endsAt);
    initialEndsSum += endsAt;
    sessionIds.push(sessionId);
    locks.push(lockRow({ id: lockId, wearer_id: userId, title: `Lock ${i}`, ends_at: endsAt, created_at: createdAt }));
    sessions.push(sessionRow({ id: sessionId, lock_id: lockId, app_id: appId, created_at: createdAt }));
    jobs.push(newJobRow({ id: uniqueId(), kind: JOB_KIND, key: `req:${sessionId}`, runAt: windowEnd, payload: { sessionId, metric: 'm', windowStart, windowEnd }, now: createdAt }));
  }
  await insertChunks(db, 'locks', locks);
  await insertChunks(db, 'extension_sessions', sessions);
  await insertChunks(db, 'jobs', jobs);
  return { n, windowStart, windowEnd, sessionIds, initialEnds, initialEndsSum };
}

// ---------------------------------------------------------------------------------------------
// Worker processes.

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Worker {
  name: string;
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The scheduler's worker id from the "latch worker <id> running" banner. */
  workerId(): string | undefined;
  exit: Exit | null;
  exited: Promise<Exit>;
}

const workers = new Set<Worker>();
const INHERITED_OUT = ['LATCH_DEV', 'NODE_ENV', 'LOG_LEVEL', 'DATABASE_URL', 'REDIS_URL', 'RUN_SCHEDULER', 'JOB_LEASE_SECONDS', 'WORKER_POLL_MS', 'NODE_TEST_CONTEXT'];

function spawnWorker(name: string, world: World, env: Record<string, string> = {}): Worker {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INHERITED_OUT) delete base[k];
  const proc = spawn(process.execPath, ['--import', TSX, WORKER], {
    cwd: SERVER_DIR,
    env: { ...base, DATABASE_URL: world.workerUrl, LOG_LEVEL: 'warn', WORKER_POLL_MS: '50', JOB_LEASE_SECONDS: '30', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const worker: Worker = {
    name,
    proc,
    stdout: () => out,
    stderr: () => err,
    workerId: () => /latch worker (\S+) running/.exec(out)?.[1],
    exit: null,
    exited: new Promise((resolve) => {
      proc.on('close', (code, signal) => {
        worker.exit = { code, signal };
        workers.delete(worker);
        resolve(worker.exit);
      });
    }),
  };
  workers.add(worker);
  return worker;
}

function transcript(w: Worker): string {
  return `--- ${w.name} stdout ---\n${w.stdout().slice(-4000)}\n--- ${w.name} stderr ---\n${w.stderr().slice(-4000)}`;
}

/** Polls `done` until true; fails early when a worker that should run has exited. */
async function waitUntil(what: string, done: () => Promise<boolean>, running: Worker[], timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    for (const w of running) if (w.exit) throw new Error(`${w.name} exited (${JSON.stringify(w.exit)}) before ${what}\n${transcript(w)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${running.map(transcript).join('\n')}`);
    await sleep(intervalMs);
  }
}

async function stopWorker(w: Worker, ms = 15_000): Promise<Exit> {
  w.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      w.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${w.name} did not exit within ${ms} ms of SIGTERM\n${transcript(w)}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** pino JSON lines at error level or above. */
function errorLines(w: Worker): string[] {
  return w
    .stdout()
    .split('\n')
    .filter((l) => {
      if (!l.startsWith('{')) return false;
      try {
        return Number((JSON.parse(l) as { level?: number }).level) >= 50;
      } catch {
        return false;
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Queries.

async function count(db: Kysely<DB>, query: RawBuilder<{ n: unknown }>): Promise<number> {
  const r = await query.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

const windowsDone = (db: Kysely<DB>) => count(db, sql<{ n: unknown }>`SELECT count(*) AS n FROM requirement_windows`);
const dueLeft = (db: Kysely<DB>, until: number) => count(db, sql<{ n: unknown }>`SELECT count(*) AS n FROM jobs WHERE kind = ${JOB_KIND} AND run_at <= ${until}`);

/** Everything the run must have produced: one punished window, one miss, one +60 s per session. */
async function assertExactlyOnce(db: Kysely<DB>, s: Seed): Promise<void> {
  const n = s.n;
  const w = await sql<{ total: string; punished: string; sessions: string; right_window: string; partial: string }>`
    SELECT count(*) AS total, sum(punished) AS punished, count(DISTINCT session_id) AS sessions,
           sum(CASE WHEN window_start = ${s.windowStart} AND window_end = ${s.windowEnd} THEN 1 ELSE 0 END) AS right_window,
           sum(partial) AS partial
    FROM requirement_windows`.execute(db);
  const row = w.rows[0]!;
  assert.equal(Number(row.total), n, 'one requirement_windows row per session');
  assert.equal(Number(row.punished), n, 'every window punished');
  assert.equal(Number(row.sessions), n, 'every session evaluated');
  assert.equal(Number(row.right_window), n, 'the full window [dayStart, dayStart + 1 d) was evaluated');
  assert.equal(Number(row.partial), 0, 'no window is partial');

  const h = await sql<{ type: string; n: string; locks: string }>`
    SELECT type, count(*) AS n, count(DISTINCT lock_id) AS locks FROM history_logs GROUP BY type ORDER BY type`.execute(db);
  const byType = Object.fromEntries(h.rows.map((r) => [r.type, { n: Number(r.n), locks: Number(r.locks) }]));
  assert.deepEqual(byType, { requirement_missed: { n, locks: n }, time_added: { n, locks: n } }, 'exactly one miss and one time_added per lock, nothing else');

  const notes = await count(db, sql<{ n: unknown }>`SELECT count(*) AS n FROM notifications WHERE type = 'requirement_missed'`);
  assert.equal(notes, n, 'one requirement_missed notification per session');

  const locks = await db.selectFrom('locks').select(['id', 'ends_at', 'version', 'status']).where('wearer_id', '!=', '000000000000000000000001').execute();
  assert.equal(locks.length, n);
  let sum = 0;
  const wrong: string[] = [];
  for (const l of locks) {
    sum += Number(l.ends_at);
    const before = s.initialEnds.get(l.id);
    if (before === undefined || Number(l.ends_at) - before !== PUNISH_MS || l.version !== 2 || l.status !== 'locked') {
      wrong.push(`${l.id}: ends_at ${before} → ${l.ends_at}, version ${l.version}, ${l.status}`);
    }
  }
  assert.equal(sum - s.initialEndsSum, n * PUNISH_MS, 'sum of ends_at moved by n × 60 s');
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} locks not moved by exactly 60 s`);

  // The next window is on the schedule, once per session, in the future and untouched.
  const next = await sql<{ n: string; keys: string; fresh: string; failed: string }>`
    SELECT count(*) AS n, count(DISTINCT key) AS keys,
           sum(CASE WHEN run_at = ${s.windowEnd + DAY} AND attempts = 0 AND locked_by IS NULL THEN 1 ELSE 0 END) AS fresh,
           sum(CASE WHEN failed_at IS NOT NULL OR last_error IS NOT NULL THEN 1 ELSE 0 END) AS failed
    FROM jobs WHERE kind = ${JOB_KIND}`.execute(db);
  const j = next.rows[0]!;
  assert.equal(Number(j.n), n, 'one pending evaluation job per session (the next window)');
  assert.equal(Number(j.keys), n);
  assert.equal(Number(j.fresh), n, 'every pending job is the next window, unclaimed');
  assert.equal(Number(j.failed), 0, 'no job failed');
  // The retention sweep (maintenance.retention) is every worker's own recurring job.
  const otherJobs = await count(db, sql<{ n: unknown }>`SELECT count(*) AS n FROM jobs WHERE kind <> ${JOB_KIND} AND kind <> 'maintenance.retention'`);
  assert.equal(otherJobs, 0, 'no other job was scheduled');
}

/** UTC midnight must not pass during a run: the next window's jobs would fall due too. */
function tooCloseToMidnight(marginMs = 15 * 60_000): boolean {
  const now = Date.now();
  return Math.ceil(now / DAY) * DAY - now < marginMs;
}

after(async () => {
  for (const w of workers) w.proc.kill('SIGKILL');
  await Promise.all([...workers].map((w) => w.exited));
  for (const w of worlds.splice(0)) {
    await w.database.close().catch(() => undefined);
    await dropPgSchema(PG_URL, w.schema).catch(() => undefined);
  }
});

describe('scheduler workers (several processes, one PostgreSQL database)', { skip }, () => {
  it('two workers evaluate 10,000 due windows exactly once between them', { timeout: 900_000 }, async (t) => {
    if (tooCloseToMidnight()) return t.skip('within 15 minutes of UTC midnight: the next windows would fall due during the run');
    const N = 10_000;
    const world = await freshWorld();
    try {
      const seedStart = Date.now();
      const s = await seed(world.db, N, Date.now());
      const seedMs = Date.now() - seedStart;
      const evaluationTime = Date.now();
      assert.equal(await dueLeft(world.db, evaluationTime), N);

      const started = Date.now();
      const a = spawnWorker('worker A', world);
      const b = spawnWorker('worker B', world);
      // Who holds leases, sampled while they work.
      const leaseHolders = new Map<string, number>();
      let samples = 0;
      await waitUntil(
        `all ${N} windows evaluated`,
        async () => {
          const held = await sql<{ locked_by: string; n: string }>`
            SELECT locked_by, count(*) AS n FROM jobs WHERE locked_by IS NOT NULL GROUP BY locked_by`.execute(world.db);
          samples++;
          for (const r of held.rows) leaseHolders.set(r.locked_by, (leaseHolders.get(r.locked_by) ?? 0) + 1);
          return (await windowsDone(world.db)) === N && (await dueLeft(world.db, evaluationTime)) === 0;
        },
        [a, b],
        600_000,
        50,
      );
      const wallMs = Date.now() - started;
      const [exitA, exitB] = await Promise.all([stopWorker(a), stopWorker(b)]);
      assert.deepEqual(exitA, { code: 0, signal: null }, `worker A exit\n${transcript(a)}`);
      assert.deepEqual(exitB, { code: 0, signal: null }, `worker B exit\n${transcript(b)}`);
      assert.deepEqual([...errorLines(a), ...errorLines(b)], [], 'no job failed in either worker');

      await assertExactlyOnce(world.db, s);

      // Both did part of the work: each process's id generator has its own random middle.
      const parts = await sql<{ part: string; n: string; first: string; last: string }>`
        SELECT substr(id, 9, 10) AS part, count(*) AS n, min(evaluated_at) AS first, max(evaluated_at) AS last
        FROM requirement_windows GROUP BY substr(id, 9, 10) ORDER BY n DESC`.execute(world.db);
      const split = parts.rows.map((r) => Number(r.n));
      assert.equal(split.length, 2, `windows written by ${split.length} processes: ${JSON.stringify(parts.rows)}`);
      assert.ok(split.every((x) => x > 0));
      const idA = a.workerId();
      const idB = b.workerId();
      assert.ok(idA && idB && idA !== idB, 'both workers announced distinct ids');
      assert.ok(leaseHolders.has(idA!) && leaseHolders.has(idB!), `both workers were seen holding leases: ${JSON.stringify([...leaseHolders])}`);

      const first = Math.min(...parts.rows.map((r) => Number(r.first)));
      const last = Math.max(...parts.rows.map((r) => Number(r.last)));
      t.diagnostic(
        `10,000 windows: seed ${seedMs} ms; wall ${wallMs} ms from spawn to all evaluated (${Math.round(N / ((last - first) / 1000))} windows/s over ${last - first} ms of evaluation); split ${split.join(' / ')}; lease samples ${samples}`,
      );
    } finally {
      for (const w of workers) if (!w.exit) w.proc.kill('SIGKILL');
      await Promise.all([...workers].map((w) => w.exited));
      await destroyWorld(world);
    }
  });

  it('a worker killed mid-run loses nothing: its leases expire and another worker finishes exactly once', { timeout: 600_000 }, async (t) => {
    if (tooCloseToMidnight()) return t.skip('within 15 minutes of UTC midnight: the next windows would fall due during the run');
    const N = 3_000;
    const LEASE_S = 3;
    const world = await freshWorld();
    try {
      const s = await seed(world.db, N, Date.now());
      const evaluationTime = Date.now();
      const started = Date.now();

      const a = spawnWorker('worker A', world, { JOB_LEASE_SECONDS: String(LEASE_S) });
      // Killed while it holds a claimed batch: a batch is one transaction, so between two batches
      // (or during a claim, which then rolls back) A would hold nothing.
      const leasesOf = async (id: string | undefined) => (id ? count(world.db, sql<{ n: unknown }>`SELECT count(*) AS n FROM jobs WHERE locked_by = ${id}`) : 0);
      await waitUntil('worker A to evaluate 200 windows and hold a batch', async () => (await windowsDone(world.db)) > 200 && (await leasesOf(a.workerId())) > 0, [a], 120_000, 5);
      const idA = a.workerId();
      assert.ok(idA, `worker A announced its id\n${transcript(a)}`);
      a.proc.kill('SIGKILL');
      const exitA = await a.exited;
      assert.equal(exitA.signal, 'SIGKILL');
      const killedAt = Date.now();
      // Let PostgreSQL notice the dropped connections and roll back A's open transaction.
      await sleep(300);

      const doneByA = await windowsDone(world.db);
      assert.ok(doneByA > 200 && doneByA < N, `A evaluated ${doneByA} windows before it died`);
      const partsA = await sql<{ part: string }>`SELECT DISTINCT substr(id, 9, 10) AS part FROM requirement_windows`.execute(world.db);
      assert.equal(partsA.rows.length, 1, 'only worker A wrote windows so far');
      const partA = partsA.rows[0]!.part;
      // The jobs A had claimed and not finished: still leased to a dead worker.
      const orphaned = await world.db.selectFrom('jobs').select(['id', 'key', 'attempts', 'locked_until', 'run_at']).where('locked_by', '=', idA!).execute();
      assert.ok(orphaned.length > 0, 'A died holding leases (it was mid-batch)');
      for (const j of orphaned) {
        assert.equal(Number(j.run_at), s.windowEnd);
        assert.equal(j.attempts, 1);
        assert.ok(Number(j.locked_until) > killedAt - 1000, 'the lease was still running when A died');
      }
      const orphanKeys = new Set(orphaned.map((j) => j.key));
      const leaseEnds = new Map(orphaned.map((j) => [j.key.slice('req:'.length), Number(j.locked_until)]));

      const b = spawnWorker('worker B', world, { JOB_LEASE_SECONDS: String(LEASE_S) });
      let maxAttemptsSeen = 0;
      await waitUntil(
        `all ${N} windows evaluated`,
        async () => {
          const r = await world.db.selectFrom('jobs').select(['key', 'attempts']).where('kind', '=', JOB_KIND).where('run_at', '=', s.windowEnd).where('attempts', '>=', 2).execute();
          for (const j of r) if (orphanKeys.has(j.key)) maxAttemptsSeen = Math.max(maxAttemptsSeen, j.attempts);
          return (await windowsDone(world.db)) === N && (await dueLeft(world.db, evaluationTime)) === 0;
        },
        [b],
        300_000,
        20,
      );
      const wallMs = Date.now() - started;
      const exitB = await stopWorker(b);
      assert.deepEqual(exitB, { code: 0, signal: null }, `worker B exit\n${transcript(b)}`);
      assert.deepEqual(errorLines(b), [], 'no job failed in worker B');

      await assertExactlyOnce(world.db, s);

      // A's committed work stayed; B did the rest, including A's orphaned jobs — only after their leases ran out.
      const byPart = await sql<{ part: string; n: string }>`SELECT substr(id, 9, 10) AS part, count(*) AS n FROM requirement_windows GROUP BY substr(id, 9, 10)`.execute(world.db);
      const counts = Object.fromEntries(byPart.rows.map((r) => [r.part, Number(r.n)]));
      assert.equal(counts[partA], doneByA, 'A wrote nothing after it was killed');
      assert.equal(byPart.rows.length, 2);
      const orphanWindows = await world.db
        .selectFrom('requirement_windows')
        .select(['id', 'session_id', 'evaluated_at'])
        .where('session_id', 'in', [...leaseEnds.keys()])
        .execute();
      assert.equal(orphanWindows.length, orphaned.length, 'every job A held was finished');
      for (const w of orphanWindows) {
        assert.notEqual(processPartOf(w.id), partA, 'an orphaned job was finished by B, not A');
        assert.ok(Number(w.evaluated_at) > leaseEnds.get(w.session_id)!, `B took ${w.session_id} over only after A's lease ended`);
      }
      const waitedMs = Math.min(...orphanWindows.map((w) => Number(w.evaluated_at))) - killedAt;
      t.diagnostic(`3,000 windows: A did ${doneByA}, died holding ${orphaned.length} leases; B finished them ${waitedMs} ms after the kill (lease ${LEASE_S} s); max attempts seen on them ${maxAttemptsSeen}; wall ${wallMs} ms`);
    } finally {
      for (const w of workers) if (!w.exit) w.proc.kill('SIGKILL');
      await Promise.all([...workers].map((w) => w.exited));
      await destroyWorld(world);
    }
  });
});
