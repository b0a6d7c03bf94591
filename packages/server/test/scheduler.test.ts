import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../src/clock.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { backoffMs, createScheduler, type JobHandler } from '../src/services/scheduler.js';
import type { Executor } from '../src/storage/executor.js';
import { claimDueJobs, deleteClaimedJob, findJobByKey, nextDueTime, scheduleJob } from '../src/storage/jobs.js';
import { testDatabase, type TestDatabase } from './helpers.js';

/**
 * The durable scheduler in-process (DECISIONS §8), on SQLite and PostgreSQL: a failing handler's
 * effects roll back, the job is retried with exponential backoff, gives up after max_attempts,
 * and a lease held by another worker is respected until it runs out.
 */

const hexId = () => randomBytes(12).toString('hex');
const silent = pino({ level: 'silent' });

let tdb: TestDatabase;
let db: Executor;
let dialect: 'sqlite' | 'postgres';

before(async () => {
  tdb = await testDatabase();
  await migrateToLatest(tdb.database);
  db = tdb.database.db;
  dialect = tdb.database.dialect;
});

after(async () => {
  await tdb.database.close();
  await tdb.destroy();
});

beforeEach(async () => {
  await db.deleteFrom('jobs').execute();
  await db.deleteFrom('users').where('username_key', 'like', 'sched_%').execute();
});

function makeScheduler(clock: ManualClock, handlers: Record<string, JobHandler>, workerId = `w_test_${randomBytes(3).toString('hex')}`) {
  return createScheduler({ db, clock, dialect, logger: silent, handlers, workerId, leaseMs: 30_000 });
}

async function schedule(clock: ManualClock, kind: string, key: string, runAt = clock.now(), maxAttempts?: number) {
  await scheduleJob(db, { id: hexId(), kind, key, runAt, payload: { key }, now: clock.now(), ...(maxAttempts ? { maxAttempts } : {}) });
}

/** A handler's effect: a row written inside the job's transaction. */
async function effect(tx: Executor, tag: string) {
  const id = hexId();
  await tx
    .insertInto('users')
    .values({ id, username: `sched_${tag}_${id.slice(-6)}`, username_key: `sched_${tag}_${id.slice(-6)}`, password_hash: '!', profile: '{}', show_online_status: 0, last_seen_at: null, created_at: 0, updated_at: 0 })
    .execute();
}

async function effects(tag: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username_key', 'like', `sched_${tag}_%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function job(key: string) {
  const row = await findJobByKey(db, key);
  return row && { ...row, run_at: Number(row.run_at), locked_until: row.locked_until === null ? null : Number(row.locked_until), failed_at: row.failed_at === null ? null : Number(row.failed_at) };
}

describe('scheduler: retries, backoff, giving up, leases', () => {
  it('backoff doubles from 2 s and is capped at 10 min', () => {
    assert.deepEqual([1, 2, 3, 4, 9, 10, 50].map(backoffMs), [2000, 4000, 8000, 16000, 512_000, 600_000, 600_000]);
    assert.equal(backoffMs(0), 2000);
  });

  it('a handler that throws twice: rolled back, retried after 2 s then 4 s, then succeeds once', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const seen: Array<{ attempts: number; runAt: number; now: number }> = [];
    let calls = 0;
    const s = makeScheduler(clock, {
      'test.flaky': async (ctx, tx) => {
        calls++;
        seen.push({ attempts: ctx.attempts, runAt: ctx.runAt, now: clock.now() });
        await effect(tx, 'flaky');
        if (calls <= 2) throw new Error(`boom #${calls}`);
      },
    });
    await schedule(clock, 'test.flaky', 'flaky:1');

    let ran = await s.runDue();
    assert.deepEqual(ran.map((r) => [r.key, r.outcome]), [['flaky:1', 'retry']]);
    let row = await job('flaky:1');
    assert.ok(row, 'the job is still there');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, 'boom #1');
    assert.equal(row.run_at, t0 + 2000, 'retry in 2 s');
    assert.equal(row.locked_by, null, 'the lease is released');
    assert.equal(row.locked_until, null);
    assert.equal(row.failed_at, null);
    assert.equal(await effects('flaky'), 0, 'the failed attempt left no effect');

    assert.deepEqual(await s.runDue(), [], 'not due again yet');
    clock.advance(1999);
    assert.deepEqual(await s.runDue(), [], 'not due 1 ms before the backoff ends');
    clock.advance(1);
    ran = await s.runDue();
    assert.deepEqual(ran.map((r) => r.outcome), ['retry']);
    row = await job('flaky:1');
    assert.ok(row);
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, 'boom #2');
    assert.equal(row.run_at, t0 + 2000 + 4000, 'retry in 4 s');
    assert.equal(await effects('flaky'), 0);

    clock.advance(3999);
    assert.deepEqual(await s.runDue(), []);
    clock.advance(1);
    ran = await s.runDue();
    assert.deepEqual(ran.map((r) => r.outcome), ['done']);
    assert.equal(await job('flaky:1'), undefined, 'a finished job is removed');
    assert.equal(await effects('flaky'), 1, 'the effect happened exactly once');
    assert.deepEqual(seen, [
      { attempts: 1, runAt: t0, now: t0 },
      { attempts: 2, runAt: t0 + 2000, now: t0 + 2000 },
      { attempts: 3, runAt: t0 + 6000, now: t0 + 6000 },
    ]);

    clock.advance(3600_000);
    assert.deepEqual(await s.runDue(), [], 'nothing left to run');
    assert.equal(calls, 3);
  });

  it('a job that reaches max_attempts is marked failed and never claimed again', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    let calls = 0;
    const s = makeScheduler(clock, {
      'test.broken': async (_ctx, tx) => {
        calls++;
        await effect(tx, 'broken');
        throw new Error(`still broken (${calls})`);
      },
    });
    await schedule(clock, 'test.broken', 'broken:1', t0, 3);

    assert.deepEqual((await s.runDue()).map((r) => r.outcome), ['retry']);
    clock.advance(2000);
    assert.deepEqual((await s.runDue()).map((r) => r.outcome), ['retry']);
    clock.advance(4000);
    assert.deepEqual((await s.runDue()).map((r) => r.outcome), ['failed']);
    const row = await job('broken:1');
    assert.ok(row, 'a failed job stays for inspection');
    assert.equal(row.attempts, 3);
    assert.equal(row.max_attempts, 3);
    assert.equal(row.failed_at, t0 + 6000);
    assert.equal(row.last_error, 'still broken (3)');
    assert.equal(row.run_at, t0 + 6000, 'not moved by a backoff');
    assert.equal(row.locked_by, null);

    for (const step of [1, 8000, 600_000, 7 * 86_400_000]) {
      clock.advance(step);
      assert.deepEqual(await s.runDue(), [], 'a failed job is not claimed again');
    }
    const claimed = await claimDueJobs(db, dialect, { workerId: 'w_other', now: clock.now(), leaseMs: 1000, limit: 10 });
    assert.deepEqual(claimed, [], 'not by another worker either');
    assert.equal(await nextDueTime(db, clock.now() + 86_400_000), null, 'the virtual clock does not step to it');
    assert.equal((await job('broken:1'))?.attempts, 3);
    assert.equal(calls, 3);
    assert.equal(await effects('broken'), 0);

    // Scheduling the key again revives it with a fresh attempt count.
    await schedule(clock, 'test.broken', 'broken:1', clock.now(), 3);
    const revived = await job('broken:1');
    assert.ok(revived);
    assert.equal(revived.failed_at, null);
    assert.equal(revived.attempts, 0);
    assert.equal(revived.last_error, null);
  });

  it('an unknown job kind is retried with backoff like a failure', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const s = makeScheduler(clock, {});
    await schedule(clock, 'test.nobody', 'nobody:1');
    assert.deepEqual((await s.runDue()).map((r) => r.outcome), ['retry']);
    const row = await job('nobody:1');
    assert.ok(row);
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, 'no handler for job kind test.nobody');
    assert.equal(row.run_at, t0 + 2000);
  });

  it("another worker's lease is respected until it runs out, then the job is taken over", async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const s = makeScheduler(clock, {
      'test.leased': async (ctx, tx) => {
        seen.push(ctx.attempts);
        await effect(tx, 'leased');
      },
    });
    await schedule(clock, 'test.leased', 'leased:1');
    const ghost = await claimDueJobs(db, dialect, { workerId: 'w_ghost', now: clock.now(), leaseMs: 5000, limit: 10 });
    assert.equal(ghost.length, 1);
    assert.equal(ghost[0]!.attempts, 1);

    assert.deepEqual(await s.runDue(), [], 'leased to a (crashed) worker');
    clock.advance(5000);
    assert.deepEqual(await s.runDue(), [], 'the lease ends strictly after locked_until');
    clock.advance(1);
    assert.deepEqual((await s.runDue()).map((r) => r.outcome), ['done']);
    assert.deepEqual(seen, [2], 'taken over as the second attempt');
    assert.equal(await effects('leased'), 1);
    assert.equal(await deleteClaimedJob(db, ghost[0]!.id, 'w_ghost'), false, 'the old holder finds nothing to finish');
  });

  it('a worker whose lease was taken over cannot finish the job (its delete finds nothing)', async () => {
    const clock = new ManualClock();
    await schedule(clock, 'test.lost', 'lost:1');
    const [first] = await claimDueJobs(db, dialect, { workerId: 'w_one', now: clock.now(), leaseMs: 1000, limit: 10 });
    assert.ok(first);
    clock.advance(1001);
    const [second] = await claimDueJobs(db, dialect, { workerId: 'w_two', now: clock.now(), leaseMs: 1000, limit: 10 });
    assert.equal(second?.id, first.id);
    assert.equal(second?.attempts, 2);
    assert.equal(await deleteClaimedJob(db, first.id, 'w_one'), false, 'w_one lost the lease');
    assert.equal(await deleteClaimedJob(db, first.id, 'w_two'), true, 'w_two holds it');
  });

  it('runDue runs every due job in time order; advance() steps the clock to each job', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const order: Array<[string, number, number]> = [];
    const s = makeScheduler(clock, {
      'test.order': async (ctx) => {
        order.push([ctx.key, ctx.runAt - t0, clock.now() - t0]);
      },
    });
    await schedule(clock, 'test.order', 'o:c', t0 - 1000);
    await schedule(clock, 'test.order', 'o:a', t0 - 3000);
    await schedule(clock, 'test.order', 'o:b', t0 - 2000);
    await schedule(clock, 'test.order', 'o:later2', t0 + 20_000);
    await schedule(clock, 'test.order', 'o:later1', t0 + 10_000);
    await schedule(clock, 'test.order', 'o:beyond', t0 + 60_000);
    const due = await s.runDue();
    assert.deepEqual(due.map((r) => r.key), ['o:a', 'o:b', 'o:c']);
    const stepped = await s.advance(clock, 30_000);
    assert.deepEqual(stepped.map((r) => r.key), ['o:later1', 'o:later2']);
    assert.equal(clock.now(), t0 + 30_000);
    assert.deepEqual(order, [
      ['o:a', -3000, 0],
      ['o:b', -2000, 0],
      ['o:c', -1000, 0],
      ['o:later1', 10_000, 10_000],
      ['o:later2', 20_000, 20_000],
    ]);
    assert.ok(await job('o:beyond'), 'a job past the target stays pending');
  });

  it('stop() finishes the batch in hand and claims no more: the rest stays due, unleased, for the next worker', async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const s = createScheduler({
      db,
      clock,
      dialect,
      logger: silent,
      workerId: 'w_stopping',
      leaseMs: 30_000,
      batchSize: 2,
      handlers: {
        'test.slow': async (_ctx, tx) => {
          started++;
          await gate;
          await effect(tx, 'stopping');
        },
      },
    });
    for (let i = 0; i < 6; i++) await schedule(clock, 'test.slow', `slow:${i}`);
    s.start(5);
    while (started === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100)); // about 20 poll ticks go by while the batch is held
    const stopped = s.stop();
    release();
    await stopped;
    assert.equal(await effects('stopping'), 2, 'the claimed batch of 2 finished');
    const left = await db.selectFrom('jobs').select(['key', 'locked_by']).where('kind', '=', 'test.slow').execute();
    assert.equal(left.length, 4, 'the other 4 were never claimed');
    assert.ok(left.every((j) => j.locked_by === null));
  });

  it('more due jobs than one batch are all run by one runDue', async () => {
    const clock = new ManualClock();
    let n = 0;
    const s = createScheduler({ db, clock, dialect, logger: silent, handlers: { 'test.many': async () => void n++ }, batchSize: 7 });
    for (let i = 0; i < 30; i++) await schedule(clock, 'test.many', `many:${i}`, clock.now() - i);
    const ran = await s.runDue();
    assert.equal(ran.length, 30);
    assert.equal(n, 30);
    assert.ok(ran.every((r) => r.outcome === 'done'));
  });
});
