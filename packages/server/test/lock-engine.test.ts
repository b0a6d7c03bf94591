import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { createIdGenerator } from '../src/ids.js';
import { call, expectError, fixtureWorld, login, register, suiteApp, type Session, TEST_DB, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * The lock engine (DECISIONS §5): timer, freeze, max limit, history, timed ends through the
 * scheduler, concurrency and exactly-once job effects. Property tests (fast-check) drive random
 * command sequences against a model written from DECISIONS §5. Runs on SQLite, or on PostgreSQL
 * with LATCH_TEST_DB=postgres.
 */

interface LockDataView {
  frozen: boolean;
  timeRemainingSeconds: number | null;
  maxTimeRemainingSeconds: number | null;
  inPillory: boolean;
}
interface HistoryItem {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}
interface JobRun {
  id: string;
  kind: string;
  key: string;
  runAt: string;
  outcome: string;
}

const RATE = { dev: true, rateLimitMultiplier: 10_000 };
const S = 1000;

// --- commands and the model ----------------------------------------------------------------

type Shape = 'int' | 'seconds' | 'deltaSeconds';
type Cmd =
  | { kind: 'add_time'; seconds: number; shape: Shape }
  | { kind: 'remove_time'; seconds: number; shape: Shape }
  | { kind: 'freeze'; duration: number | null }
  | { kind: 'unfreeze' }
  | { kind: 'toggle_freeze'; duration: number | null }
  | { kind: 'advance'; seconds: number };

const secondsArb = fc.oneof(fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 200_000 }));
const shapeArb = fc.constantFrom<Shape>('int', 'seconds', 'deltaSeconds');
const freezeArb = fc.option(fc.oneof(fc.constantFrom(60, 86400), fc.integer({ min: 60, max: 86400 })), { nil: null });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('add_time' as const), seconds: secondsArb, shape: shapeArb }),
  fc.record({ kind: fc.constant('remove_time' as const), seconds: secondsArb, shape: shapeArb }),
  fc.record({ kind: fc.constant('freeze' as const), duration: freezeArb }),
  fc.record({ kind: fc.constant('unfreeze' as const) }),
  fc.record({ kind: fc.constant('toggle_freeze' as const), duration: freezeArb }),
  fc.record({ kind: fc.constant('advance' as const), seconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7200 }), fc.integer({ min: 1, max: 200_000 })) }),
);
const cmdsArb = fc.array(cmdArb, { minLength: 1, maxLength: 12 });

/**
 * DECISIONS §5 as a model, in whole seconds relative to the clock: remaining = max(0, endsAt − now),
 * held constant while frozen; an unfreeze adds the frozen span to endsAt (so remaining is unchanged
 * by it); a freeze of a frozen lock re-arms its end; the auto-unfreeze happens at frozenUntil;
 * removing more than remains leaves 0. `maxLeft` is the max limit relative to frozen-adjusted time
 * (max_ends_at − reference); it may go negative once the limit is in the past.
 */
interface Model {
  now: number;
  remaining: number;
  frozen: boolean;
  frozenUntil: number | null;
  maxLeft: number | null;
}

function stepModel(m: Model, c: Cmd): Model {
  const n = { ...m };
  const freeze = (d: number | null) => {
    n.frozen = true;
    n.frozenUntil = n.now + (d ?? 3600) * S;
  };
  const unfreeze = () => {
    n.frozen = false;
    n.frozenUntil = null;
  };
  switch (c.kind) {
    case 'add_time':
      n.remaining = n.maxLeft === null ? n.remaining + c.seconds : Math.max(n.remaining, Math.min(n.remaining + c.seconds, n.maxLeft));
      break;
    case 'remove_time':
      n.remaining = Math.max(0, n.remaining - c.seconds);
      break;
    case 'freeze':
      freeze(c.duration);
      break;
    case 'unfreeze':
      unfreeze();
      break;
    case 'toggle_freeze':
      if (n.frozen) unfreeze();
      else freeze(c.duration);
      break;
    case 'advance': {
      const target = n.now + c.seconds * S;
      let running: number;
      if (!n.frozen) running = c.seconds;
      else if (n.frozenUntil! <= target) {
        running = (target - n.frozenUntil!) / S;
        unfreeze();
      } else running = 0;
      n.remaining = Math.max(0, n.remaining - running);
      if (n.maxLeft !== null) n.maxLeft -= running;
      n.now = target;
      break;
    }
  }
  return n;
}

function paramsOf(c: Cmd): unknown {
  switch (c.kind) {
    case 'add_time':
    case 'remove_time':
      return c.shape === 'int' ? c.seconds : c.shape === 'seconds' ? { seconds: c.seconds } : { deltaSeconds: c.seconds };
    case 'freeze':
    case 'toggle_freeze':
      return c.duration === null ? undefined : { durationSeconds: c.duration };
    default:
      return undefined;
  }
}

// --- harness -------------------------------------------------------------------------------

function harness(getT: () => TestApp) {
  const inject = (opts: InjectOptions) => getT().app.inject(opts);

  async function world(lock: Record<string, unknown> = {}): Promise<World> {
    return fixtureWorld(getT().app, { lock });
  }

  function actRaw(w: World, name: string, params?: unknown) {
    return inject({
      method: 'POST',
      url: `/api/extensions/sessions/${w.session.id}/action`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer, 'content-type': 'application/json' },
      payload: JSON.stringify(params === undefined ? { name } : { name, params }),
    });
  }

  async function act(w: World, name: string, params?: unknown): Promise<{ changed: boolean; detail: Record<string, unknown>; lockData: LockDataView }> {
    const res = await actRaw(w, name, params);
    assert.equal(res.statusCode, 200, `${name} ${JSON.stringify(params)} → ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async function lockData(w: World): Promise<LockDataView> {
    const res = await inject({
      method: 'GET',
      url: `/api/extensions/sessions/${w.session.id}`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().lockData as LockDataView;
  }

  /** Advances the virtual clock; main tokens live 10 h, so the given worlds get fresh ones. */
  async function advance(seconds: number, ...worlds: World[]): Promise<JobRun[]> {
    const res = await inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
    assert.equal(res.statusCode, 200, res.body);
    for (const w of worlds) w.mainTokens.wearer = (await getT().app.ctx.mainTokens.issue(w.wearer.id, w.session.id)).mainToken;
    return res.json().jobsRun as JobRun[];
  }

  async function row(lockId: string) {
    const r = await getT().db.database.db.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow();
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return { endsAt: n(r.ends_at), frozenAt: n(r.frozen_at), frozenUntil: n(r.frozen_until), startedAt: Number(r.started_at), maxEndsAt: n(r.max_ends_at) };
  }

  async function history(as: Session, lockId: string): Promise<HistoryItem[]> {
    const res = await call(getT().app, as, 'GET', `/api/locks/${lockId}/history?limit=100`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.hasMore, false, 'history fits one page');
    return body.results as HistoryItem[];
  }

  async function wearerHistory(w: World): Promise<HistoryItem[]> {
    return history(await login(getT().app, w.wearer.username, w.wearer.password), w.lock.id);
  }

  /** started_at + initial duration + Σ endsAtDeltaMs over the history == ends_at in the DB. */
  async function assertHistorySums(items: HistoryItem[], lockId: string, initialSeconds: number) {
    const r = await row(lockId);
    const deltas = items.filter((h) => typeof h.payload.endsAtDeltaMs === 'number');
    for (const h of deltas) assert.ok(['time_added', 'time_removed', 'lock_unfrozen'].includes(h.type), `endsAtDeltaMs on ${h.type}`);
    for (const type of ['time_added', 'time_removed', 'lock_unfrozen']) {
      for (const h of items.filter((x) => x.type === type)) assert.equal(typeof h.payload.endsAtDeltaMs, 'number', `${type} carries endsAtDeltaMs`);
    }
    const sum = deltas.reduce((acc, h) => acc + (h.payload.endsAtDeltaMs as number), 0);
    assert.equal(r.startedAt + initialSeconds * S + sum, r.endsAt, `history sums: started ${r.startedAt} + ${initialSeconds}s + Σ${sum} ≠ ends_at ${r.endsAt}`);
  }

  return { world, act, actRaw, lockData, advance, row, history, wearerHistory, assertHistorySums };
}

const describeCmd = (c: Cmd) => JSON.stringify(c);

// --- 1. properties -------------------------------------------------------------------------

describe(`lock engine properties (${TEST_DB})`, () => {
  const t = suiteApp({ config: RATE });
  const h = harness(() => t);

  it('random add/remove/freeze/unfreeze/toggle/advance sequences match the DECISIONS §5 model; history sums to ends_at', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200_000 }), cmdsArb, async (duration, cmds) => {
        const w = await h.world({ durationSeconds: duration });
        let m: Model = { now: t.clock.now(), remaining: duration, frozen: false, frozenUntil: null, maxLeft: null };
        const start = await h.lockData(w);
        assert.equal(start.timeRemainingSeconds, duration);
        for (const [i, c] of cmds.entries()) {
          const where = `step ${i} ${describeCmd(c)} of ${cmds.map(describeCmd).join(' ')}`;
          const prev = m;
          m = stepModel(m, c);
          let data: LockDataView;
          if (c.kind === 'advance') {
            await h.advance(c.seconds, w);
            assert.equal(t.clock.now(), m.now, where);
            data = await h.lockData(w);
            if (prev.frozen && m.frozen) assert.equal(data.timeRemainingSeconds, prev.remaining, `frozen: remaining unchanged across an advance (${where})`);
          } else {
            data = (await h.act(w, c.kind, paramsOf(c))).lockData;
          }
          assert.ok(data.timeRemainingSeconds !== null && data.timeRemainingSeconds >= 0, `remaining ≥ 0 (${where})`);
          assert.equal(data.timeRemainingSeconds, m.remaining, `remaining (${where})`);
          assert.equal(data.frozen, m.frozen, `frozen (${where})`);
          const r = await h.row(w.lock.id);
          assert.equal(r.frozenAt !== null, m.frozen, `frozen_at (${where})`);
          assert.equal(r.frozenUntil, m.frozenUntil, `frozen_until (${where})`);
        }
        await h.assertHistorySums(await h.wearerHistory(w), w.lock.id, duration);
      }),
      { numRuns: 40 },
    );
  });

  it('max limit: ends_at ≤ max_ends_at always (both shift by frozen spans); remaining never exceeds the frozen-adjusted limit', async () => {
    const account = await register(t.app);
    const keyholder = await register(t.app);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), cmdsArb, async (duration, extra, cmds) => {
        // A fresh sign-in per run: the clock moves far. The keyholder acts (a wearer may not favour themselves).
        const wearer = await login(t.app, account.username, account.password);
        const me = await login(t.app, keyholder.username, keyholder.password);
        const maxDuration = duration + extra;
        const created = await call(t.app, wearer, 'POST', '/api/locks', { title: 'max', durationSeconds: duration, maxDurationSeconds: maxDuration, keyholderUsername: keyholder.username });
        assert.equal(created.statusCode, 201, created.body);
        const lockId = created.json().id as string;
        const accepted = await call(t.app, me, 'POST', `/api/locks/${lockId}/invitation`, { accept: true });
        assert.equal(accepted.statusCode, 200, accepted.body);
        let m: Model = { now: t.clock.now(), remaining: duration, frozen: false, frozenUntil: null, maxLeft: maxDuration };
        for (const [i, c] of cmds.entries()) {
          const where = `step ${i} ${describeCmd(c)} of ${cmds.map(describeCmd).join(' ')}`;
          m = stepModel(m, c);
          let remaining: number | null;
          let frozen: boolean;
          if (c.kind === 'advance') {
            await h.advance(c.seconds);
            const res = await call(t.app, me, 'GET', `/api/locks/${lockId}`);
            assert.equal(res.statusCode, 200, res.body);
            remaining = res.json().timeRemainingSeconds;
            frozen = res.json().frozenAt !== null;
          } else {
            const params = paramsOf(c);
            const res = await call(t.app, me, 'POST', `/api/locks/${lockId}/actions`, params === undefined ? { name: c.kind } : { name: c.kind, params });
            assert.equal(res.statusCode, 200, `${where}: ${res.body}`);
            remaining = res.json().lock.timeRemainingSeconds;
            frozen = res.json().lock.frozenAt !== null;
          }
          const r = await h.row(lockId);
          assert.ok(r.maxEndsAt !== null && r.endsAt !== null);
          assert.ok(r.endsAt <= r.maxEndsAt, `ends_at ${r.endsAt} ≤ max_ends_at ${r.maxEndsAt} (${where})`);
          const reference = r.frozenAt ?? t.clock.now();
          assert.equal((r.maxEndsAt - reference) / S, m.maxLeft, `max limit relative to frozen-adjusted time (${where})`);
          assert.ok(remaining !== null && remaining <= Math.max(0, m.maxLeft!), `remaining ${remaining} ≤ max left ${m.maxLeft} (${where})`);
          assert.equal(remaining, m.remaining, `remaining (${where})`);
          assert.equal(frozen, m.frozen, `frozen (${where})`);
        }
        await h.assertHistorySums(await h.history(me, lockId), lockId, duration);
      }),
      { numRuns: 40 },
    );
  });

  it('lockData.maxTimeRemainingSeconds is held while frozen, like timeRemainingSeconds (never below it)', async () => {
    // A self-lock with a max limit and an extension, so lockData can be read.
    const me = await register(t.app);
    const dev = await register(t.app);
    const slug = `max-${Math.random().toString(36).slice(2, 8)}`;
    const ext = await t.app.ctx.apps.create(dev.userId, { slug, name: 'Max probe' });
    const created = await call(t.app, me, 'POST', '/api/locks', { title: 'max', durationSeconds: 1000, maxDurationSeconds: 1000, extensions: [{ slug }] });
    assert.equal(created.statusCode, 201, created.body);
    const lock = created.json();
    const { key } = await t.app.ctx.keys.create(dev.userId, { name: 'k', appId: ext.id });
    const { mainToken } = await t.app.ctx.mainTokens.issue(me.userId, lock.extensions[0].sessionId);
    const read = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${lock.extensions[0].sessionId}`, headers: { authorization: `Bearer ${key}`, 'x-chastify-main-token': mainToken } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().lockData as LockDataView;
    };
    assert.equal((await call(t.app, me, 'POST', `/api/locks/${lock.id}/actions`, { name: 'freeze', params: { durationSeconds: 3600 } })).statusCode, 200);
    await h.advance(1800);
    const data = await read();
    assert.equal(data.frozen, true);
    assert.equal(data.timeRemainingSeconds, 1000);
    assert.equal(data.maxTimeRemainingSeconds, 1000, `maxTimeRemainingSeconds while frozen: ${JSON.stringify(data)}`);
  });
});

// --- 2. timed ends via the clock ------------------------------------------------------------

describe(`timed ends via the clock (${TEST_DB})`, () => {
  const t = suiteApp({ config: RATE });
  const h = harness(() => t);

  it('freeze 3600 then advance 7200 → unfrozen; the frozen hour did not count; jobsRun lists lock.unfreeze at the freeze end', async () => {
    const w = await h.world();
    const before = (await h.lockData(w)).timeRemainingSeconds!;
    const frozenAt = t.clock.now();
    const res = await h.act(w, 'freeze', { durationSeconds: 3600 });
    assert.equal(res.lockData.frozen, true);
    const jobs = await h.advance(7200);
    const unfreezes = jobs.filter((j) => j.kind === 'lock.unfreeze' && j.key === `unfreeze:${w.lock.id}`);
    assert.equal(unfreezes.length, 1, JSON.stringify(jobs));
    assert.equal(unfreezes[0]!.runAt, new Date(frozenAt + 3600 * S).toISOString());
    assert.equal(unfreezes[0]!.outcome, 'done');
    const data = await h.lockData(w);
    assert.equal(data.frozen, false);
    assert.equal(data.timeRemainingSeconds, before - 3600);
    const items = await h.wearerHistory(w);
    const unfrozen = items.filter((x) => x.type === 'lock_unfrozen');
    assert.equal(unfrozen.length, 1);
    assert.equal(unfrozen[0]!.payload.endsAtDeltaMs, 3600 * S);
    assert.equal(unfrozen[0]!.payload.automatic, true);
    await h.assertHistorySums(items, w.lock.id, 86400);
  });

  it('re-freezing a frozen lock moves the end: one unfreeze job, at the new time', async () => {
    const w = await h.world();
    const before = (await h.lockData(w)).timeRemainingSeconds!;
    const t0 = t.clock.now();
    await h.act(w, 'freeze', { durationSeconds: 3600 });
    await h.advance(600);
    await h.act(w, 'freeze', { durationSeconds: 3600 });
    const jobRows = await t.db.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'lock.unfreeze').execute();
    const mine = jobRows.filter((j) => JSON.parse(j.payload).lockId === w.lock.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.equal(Number(mine[0]!.run_at), t0 + 4200 * S);
    assert.equal((await h.row(w.lock.id)).frozenUntil, t0 + 4200 * S);
    // The first freeze's end passes: still frozen.
    const early = await h.advance(3000);
    assert.equal(early.filter((j) => j.key === `unfreeze:${w.lock.id}`).length, 0);
    assert.equal((await h.lockData(w)).frozen, true);
    const jobs = await h.advance(3600);
    const unfreezes = jobs.filter((j) => j.key === `unfreeze:${w.lock.id}`);
    assert.equal(unfreezes.length, 1);
    assert.equal(unfreezes[0]!.runAt, new Date(t0 + 4200 * S).toISOString());
    const data = await h.lockData(w);
    assert.equal(data.frozen, false);
    // Frozen t0 … t0+4200; now t0+7200: 3000 s of running time.
    assert.equal(data.timeRemainingSeconds, before - 3000);
    const items = await h.wearerHistory(w);
    assert.equal(items.filter((x) => x.type === 'freeze_extended').length, 1);
    assert.equal(items.filter((x) => x.type === 'lock_unfrozen').length, 1);
    await h.assertHistorySums(items, w.lock.id, 86400);
  });

  it('pillory 600 s ends by itself after advancing 600 s', async () => {
    const w = await h.world();
    const res = await h.act(w, 'pillory', { durationSeconds: 600, reason: 'late' });
    assert.equal(res.lockData.inPillory, true);
    await h.advance(599);
    assert.equal((await h.lockData(w)).inPillory, true);
    const jobs = await h.advance(1);
    assert.equal(jobs.filter((j) => j.kind === 'lock.pillory_end' && j.key === `pillory:${w.lock.id}`).length, 1);
    assert.equal((await h.lockData(w)).inPillory, false);
    const items = await h.wearerHistory(w);
    const ended = items.filter((x) => x.type === 'pillory_ended');
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!.payload.automatic, true);
    const row = await t.db.database.db.selectFrom('locks').select(['pillory_until']).where('id', '=', w.lock.id).executeTakeFirstOrThrow();
    assert.equal(row.pillory_until, null);
  });

  it('task timer: completing before it ran out is 409 task_timer_not_finished; after 60 s it finished and completes', async () => {
    const w = await h.world();
    const assigned = await h.act(w, 'task.assign', { taskText: 'Hold a plank', points: 5, durationSeconds: 60 });
    assert.equal(assigned.detail.durationSeconds, 60);
    expectError(await h.actRaw(w, 'task.complete', { successful: true }), 409, 'task_timer_not_finished');
    await h.act(w, 'task.start_timer');
    expectError(await h.actRaw(w, 'task.complete', { successful: true }), 409, 'task_timer_not_finished');
    await h.advance(59);
    expectError(await h.actRaw(w, 'task.complete', { successful: true }), 409, 'task_timer_not_finished');
    assert.equal((await h.wearerHistory(w)).filter((x) => x.type === 'task_timer_finished').length, 0);
    const jobs = await h.advance(1);
    assert.equal(jobs.filter((j) => j.kind === 'task.timer_end').length, 1, JSON.stringify(jobs));
    assert.equal((await h.wearerHistory(w)).filter((x) => x.type === 'task_timer_finished').length, 1);
    const done = await h.act(w, 'task.complete', { successful: true });
    assert.equal(done.detail.successful, true);
    assert.equal(done.detail.pointsAwarded, 5);
    const items = await h.wearerHistory(w);
    assert.equal(items.filter((x) => x.type === 'task_completed').length, 1);
  });
});

// --- 3. concurrency -----------------------------------------------------------------------

describe(`concurrent actions (${TEST_DB})`, () => {
  const t = suiteApp({ config: RATE });
  const h = harness(() => t);

  it('two concurrent remove_time 600 both apply: −1200 s, two history entries', async () => {
    const w = await h.world();
    const before = (await h.lockData(w)).timeRemainingSeconds!;
    await Promise.all([h.act(w, 'remove_time', 600), h.act(w, 'remove_time', { seconds: 600 })]);
    assert.equal((await h.lockData(w)).timeRemainingSeconds, before - 1200);
    const items = await h.wearerHistory(w);
    const removed = items.filter((x) => x.type === 'time_removed');
    assert.equal(removed.length, 2);
    for (const r of removed) assert.equal(r.payload.endsAtDeltaMs, -600 * S);
    await h.assertHistorySums(items, w.lock.id, 86400);
  });

  it('20 concurrent add_time 60 → +1200 s exactly', async () => {
    const w = await h.world();
    const before = (await h.lockData(w)).timeRemainingSeconds!;
    const results = await Promise.all(Array.from({ length: 20 }, () => h.act(w, 'add_time', 60)));
    assert.equal(results.filter((r) => r.changed).length, 20);
    assert.equal((await h.lockData(w)).timeRemainingSeconds, before + 1200);
    const items = await h.wearerHistory(w);
    assert.equal(items.filter((x) => x.type === 'time_added').length, 20);
    await h.assertHistorySums(items, w.lock.id, 86400);
  });

  it('concurrent freeze + add_time: remaining = before + 60, frozen', async () => {
    for (let i = 0; i < 5; i++) {
      const w = await h.world();
      const before = (await h.lockData(w)).timeRemainingSeconds!;
      await Promise.all([h.act(w, 'freeze', { durationSeconds: 3600 }), h.act(w, 'add_time', 60)]);
      const data = await h.lockData(w);
      assert.equal(data.frozen, true);
      assert.equal(data.timeRemainingSeconds, before + 60);
      const r = await h.row(w.lock.id);
      assert.ok(r.frozenAt !== null && r.frozenUntil === r.frozenAt + 3600 * S);
      await h.assertHistorySums(await h.wearerHistory(w), w.lock.id, 86400);
    }
  });
});

// --- 4. exactly-once job effects ----------------------------------------------------------------

describe(`exactly-once job effects (${TEST_DB})`, () => {
  const t = suiteApp({ config: RATE });
  const h = harness(() => t);

  async function frozenWorlds(n: number) {
    const worlds: Array<{ w: World; endsAt: number }> = [];
    for (let i = 0; i < n; i++) {
      const w = await h.world();
      await h.act(w, 'freeze', { durationSeconds: 3600 });
      worlds.push({ w, endsAt: (await h.row(w.lock.id)).endsAt! });
    }
    return worlds;
  }

  async function assertUnfrozenOnce(worlds: Array<{ w: World; endsAt: number }>, ran: JobRun[][]) {
    for (const { w, endsAt } of worlds) {
      const done = ran.flat().filter((j) => j.key === `unfreeze:${w.lock.id}` && j.outcome === 'done');
      assert.equal(done.length, 1, `one run of the unfreeze job of ${w.lock.id}: ${JSON.stringify(ran)}`);
      const r = await h.row(w.lock.id);
      assert.equal(r.frozenAt, null);
      assert.equal(r.endsAt, endsAt + 3600 * S, 'ends_at shifted exactly once');
      const items = await h.wearerHistory(w);
      assert.equal(items.filter((x) => x.type === 'lock_unfrozen').length, 1);
      await h.assertHistorySums(items, w.lock.id, 86400);
    }
    const left = await t.db.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'lock.unfreeze').execute();
    assert.deepEqual(left.filter((j) => worlds.some(({ w }) => JSON.parse(j.payload).lockId === w.lock.id)), []);
  }

  it('runDue() twice concurrently after a freeze end → one lock_unfrozen, ends_at shifted once', async () => {
    const worlds = await frozenWorlds(3);
    t.clock.advance(3600 * S + 5 * S);
    const ran = await Promise.all([t.app.ctx.scheduler.runDue(), t.app.ctx.scheduler.runDue()]);
    await assertUnfrozenOnce(worlds, ran);
  });

  it('two processes (two apps, one database) run their schedulers concurrently → still exactly once', async () => {
    const second = await buildApp({
      config: t.config,
      database: t.db.database,
      clock: t.clock,
      ids: createIdGenerator(t.clock),
      logger: pino({ level: 'silent' }),
      runScheduler: false,
    });
    await second.ready();
    try {
      for (let round = 0; round < 3; round++) {
        const worlds = await frozenWorlds(4);
        t.clock.advance(3600 * S + 5 * S);
        const ran = await Promise.all([t.app.ctx.scheduler.runDue(), second.ctx.scheduler.runDue(), t.app.ctx.scheduler.runDue(), second.ctx.scheduler.runDue()]);
        await assertUnfrozenOnce(worlds, ran);
      }
    } finally {
      await second.close();
    }
  });
});
