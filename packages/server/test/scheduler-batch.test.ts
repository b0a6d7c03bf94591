import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { pino } from 'pino';
import { ManualClock } from '../src/clock.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { createScheduler } from '../src/services/scheduler.js';
import { TEST_DB, call, login, suiteApp, testApp, type TestApp } from './helpers.js';

/**
 * The set-based scheduler (issue 15, DECISIONS §7/§8): due requirement windows are evaluated many
 * per transaction with a fixed number of statements per batch, and every window's effects —
 * guard row, punishment (add_time / freeze / pillory, refusals recorded), history, notifications,
 * next window's job, webhook deliveries — are exactly those of the one-job-per-transaction path
 * (JOB_BATCH_SIZE=1), Berlin DST days included; so are freeze and pillory ends that fall due together. The two-process and killed-worker cases on
 * PostgreSQL are in scheduler-workers.test.ts.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DAY = 86_400;
const at = (s: string) => Date.parse(s);
const silent = pino({ level: 'silent' });
const hexId = () => randomBytes(12).toString('hex');

function requirement(cadence: Json, punishment: Json, requiredCount = 2): Json {
  return { enabled: true, metric: 'completion', requiredCount, cadence: { every: 1, unit: 'day', timezone: 'UTC', ...cadence }, punishment };
}

/** The worlds of the comparison: every punishment, a refused one, DST days, a met requirement. */
const WORLDS: Array<{ name: string; body: Json; progress: (day: number) => number }> = [
  { name: 'add_time UTC, partly met', body: { extension: { extensionRequirements: requirement({}, { type: 'add_time', seconds: 1800, reason: 'Missed it' }) } }, progress: (d) => d % 3 },
  { name: 'freeze', body: { extension: { extensionRequirements: requirement({}, { type: 'freeze', durationSeconds: 7200 }) } }, progress: () => 0 },
  { name: 'freeze 2 (ends with the others: a batch of freeze ends)', body: { extension: { extensionRequirements: requirement({}, { type: 'freeze', durationSeconds: 7200 }) } }, progress: (d) => (d === 1 ? 2 : 0) },
  { name: 'freeze 3', body: { extension: { extensionRequirements: requirement({}, { type: 'freeze', durationSeconds: 7200 }) } }, progress: () => 0 },
  { name: 'pillory 2 (a batch of pillory ends)', body: { extension: { extensionRequirements: requirement({}, { type: 'pillory', durationSeconds: 3600, reason: 'Again' }) } }, progress: () => 0 },
  { name: 'pillory', body: { extension: { extensionRequirements: requirement({}, { type: 'pillory', durationSeconds: 3600, reason: 'Pillory!' }) } }, progress: () => 0 },
  { name: 'pillory refused (not enabled)', body: { extension: { extensionRequirements: requirement({}, { type: 'pillory', durationSeconds: 3600 }) }, lock: { pillory: false } }, progress: () => 0 },
  { name: 'no punishment', body: { extension: { extensionRequirements: requirement({}, { type: 'none' }) } }, progress: () => 0 },
  { name: 'Europe/Berlin across the spring DST change', body: { extension: { extensionRequirements: requirement({ timezone: 'Europe/Berlin' }, { type: 'add_time', seconds: 600 }) } }, progress: (d) => (d === 2 ? 2 : 0) },
  { name: 'every 2 days', body: { extension: { extensionRequirements: requirement({ every: 2 }, { type: 'add_time', seconds: 60 }) } }, progress: () => 0 },
  { name: 'always met', body: { extension: { extensionRequirements: requirement({}, { type: 'add_time', seconds: 60 }) } }, progress: () => 3 },
];

/** Runs the whole scenario on a fresh app and returns what it produced, ids replaced by names. */
async function scenario(jobBatchSize: number): Promise<Json> {
  const t = await testApp({ config: { dev: true, rateLimitMultiplier: 100, jobBatchSize }, clock: new ManualClock(at('2026-03-27T10:00:00Z')) });
  try {
    const worlds: World[] = [];
    for (const w of WORLDS) {
      const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: w.body });
      assert.equal(res.statusCode, 201, res.body);
      worlds.push(res.json() as World);
    }
    // One app listens to every event (its deliveries are compared; the receiver is never reached).
    const dev = await login(t.app, worlds[0]!.developer.username, worlds[0]!.developer.password);
    const hook = await call(t.app, dev, 'POST', `/api/developer/apps/${worlds[0]!.app.id}/webhooks`, { url: 'http://127.0.0.1:9/hook' });
    assert.equal(hook.statusCode, 201, hook.body);

    for (let day = 0; day < 5; day++) {
      for (const [i, w] of worlds.entries()) {
        const n = WORLDS[i]!.progress(day);
        if (n === 0) continue;
        const { mainToken } = await t.app.ctx.mainTokens.issue(w.wearer.id, w.session.id);
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/extensions/sessions/${w.session.id}/requirements/progress`,
          headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
          payload: { metric: 'completion', amount: n },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      const adv = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: DAY } });
      assert.equal(adv.statusCode, 200, adv.body);
    }

    const db = t.db.database.db;
    const out: Json = {};
    for (const [i, w] of worlds.entries()) {
      const names: Array<[string, string]> = [
        [w.session.id, '<session>'],
        [w.lock.id, '<lock>'],
        [w.app.id, '<app>'],
        [w.app.slug, '<slug>'],
        [w.wearer.id, '<wearer>'],
        [w.keyholder?.id ?? '-', '<keyholder>'],
      ];
      const anonymize = (v: unknown) => {
        let s = JSON.stringify(v);
        for (const [id, name] of names) s = s.split(id).join(name);
        // Other row ids and the fixtures' random usernames differ from run to run.
        s = s.replace(/[0-9a-f]{24}/g, '<id>').replace(/(wearer|keyholder|dev)_[0-9a-f]{8}/g, '<$1>');
        return JSON.parse(s) as unknown;
      };
      const windows = await db.selectFrom('requirement_windows').select(['metric', 'window_start', 'window_end', 'required_count', 'count', 'partial', 'punished', 'punishment', 'evaluated_at']).where('session_id', '=', w.session.id).orderBy('window_start').execute();
      const history = await db.selectFrom('history_logs').select(['type', 'role', 'actor_user_id', 'extension_slug', 'title', 'description', 'payload', 'created_at']).where('lock_id', '=', w.lock.id).orderBy('id').execute();
      const notifications = await db.selectFrom('notifications').select(['type', 'lock_id', 'title', 'message', 'payload', 'created_at']).where('user_id', '=', w.wearer.id).orderBy('id').execute();
      const lock = await db.selectFrom('locks').select(['status', 'ends_at', 'max_ends_at', 'frozen_at', 'frozen_until', 'pillory_until', 'pillory_reason', 'version', 'updated_at']).where('id', '=', w.lock.id).executeTakeFirstOrThrow();
      const jobs = await db.selectFrom('jobs').select(['kind', 'key', 'run_at', 'payload', 'attempts']).where((eb) => eb.or([eb('key', 'like', `%${w.lock.id}%`), eb('key', 'like', `%${w.session.id}%`)])).orderBy('key').execute();
      const deliveries = await db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select(['webhook_deliveries.event_type', 'webhook_deliveries.payload'])
        .where('webhook_endpoints.app_id', '=', w.app.id)
        .orderBy('webhook_deliveries.id')
        .execute();
      out[WORLDS[i]!.name] = anonymize({ windows, history, notifications, lock, jobs, deliveries: deliveries.map((d) => ({ type: d.event_type, payload: JSON.parse(d.payload) as unknown })) });
    }
    return out;
  } finally {
    await t.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Direct seeding for the statement count: N locked locks with one session each (and some locks
// with a second session of a second app), one due evaluation each.

interface Seeded {
  lockIds: string[];
  sessionIds: string[];
  endsBefore: Map<string, number>;
  windowStart: number;
  windowEnd: number;
}

async function seed(t: TestApp, wearerId: string, appIds: string[], n: number, twoOnLock: number): Promise<Seeded> {
  const db = t.db.database.db;
  const now = t.clock.now();
  const windowEnd = Math.floor(now / (DAY * 1000)) * DAY * 1000;
  const windowStart = windowEnd - DAY * 1000;
  const createdAt = windowStart - DAY * 1000;
  const settings = JSON.stringify({ tasks: { enabled: false }, hygienicOpening: { enabled: false, durationSeconds: 900 }, pillory: { enabled: false, maxDurationSeconds: 86400 }, requiredTaskPoints: 0, trustExternalPrograms: false });
  const s: Seeded = { lockIds: [], sessionIds: [], endsBefore: new Map(), windowStart, windowEnd };
  for (let i = 0; i < n; i++) {
    const lockId = hexId();
    const endsAt = now + 30 * DAY * 1000 + i;
    s.lockIds.push(lockId);
    s.endsBefore.set(lockId, endsAt);
    await db
      .insertInto('locks')
      .values({ id: lockId, wearer_id: wearerId, keyholder_id: null, keyholder_status: null, title: `L${i}`, status: 'locked', started_at: createdAt, ends_at: endsAt, max_ends_at: null, frozen_at: null, hidden_timer: 0, ended_at: null, settings, version: 1, created_at: createdAt, updated_at: createdAt, pillory_until: null, pillory_reason: null, hygienic_until: null, task_points: 0, frozen_until: null, hygienic_started_at: null })
      .execute();
    for (const appId of i < twoOnLock ? appIds : appIds.slice(0, 1)) {
      const sessionId = hexId();
      s.sessionIds.push(sessionId);
      await db
        .insertInto('extension_sessions')
        .values({ id: sessionId, lock_id: lockId, app_id: appId, config: '{}', metadata: '{}', state: '{}', version: 1, state_version: 1, regular_actions_config: null, regular_actions_state: null, created_at: createdAt, updated_at: createdAt, removed_at: null, background_granted_at: null, background_granted_by: null, background_role: null })
        .execute();
      await db
        .insertInto('jobs')
        .values({ id: hexId(), kind: 'requirement.evaluate', key: `req:${sessionId}`, run_at: windowEnd, payload: JSON.stringify({ sessionId, metric: 'completion', windowStart, windowEnd }), attempts: 0, max_attempts: 10, locked_by: null, locked_until: null, last_error: null, failed_at: null, created_at: createdAt })
        .execute();
    }
  }
  return s;
}

/** Counts the statements sent through a Kysely instance (transactions included). */
function statementCounter(): KyselyPlugin & { n: number } {
  return {
    n: 0,
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      this.n++;
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return args.result;
    },
  };
}

describe(`set-based scheduler (${TEST_DB})`, () => {
  it('batched evaluation has exactly the effects of one job per transaction: windows, punishments, history, notifications, jobs, webhooks (Berlin DST days included)', { timeout: 300_000 }, async () => {
    const oneByOne = await scenario(1);
    const batched = await scenario(500);
    // The scenario did something worth comparing.
    const addTime = oneByOne['add_time UTC, partly met'] as Json;
    assert.equal(addTime.windows.length, 5);
    assert.ok(addTime.history.some((h: Json) => h.type === 'time_added'));
    assert.ok(addTime.deliveries.some((d: Json) => d.type === 'requirement.window_evaluated'));
    assert.ok(addTime.deliveries.some((d: Json) => d.type === 'action_log.created'));
    assert.ok((oneByOne['freeze'] as Json).history.some((h: Json) => h.type === 'lock_unfrozen'), 'a freeze ended by its job');
    assert.ok((oneByOne['pillory'] as Json).history.some((h: Json) => h.type === 'pillory_ended'), 'a pillory ended by its job');
    assert.ok((oneByOne['pillory refused (not enabled)'] as Json).windows.some((w: Json) => JSON.parse(w.punishment ?? 'null')?.name === 'pillory'));
    const berlin = (oneByOne['Europe/Berlin across the spring DST change'] as Json).windows as Json[];
    assert.ok(berlin.some((w) => Number(w.window_end) - Number(w.window_start) === 23 * 3600_000), 'the 23 h day is one window');
    for (const name of Object.keys(oneByOne)) assert.deepEqual(batched[name], oneByOne[name], name);
  });

  describe('direct batches', () => {
    const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 }, clock: new ManualClock(at('2026-06-10T10:00:00Z')) });
    let worlds: World[];
    before(async () => {
      worlds = [];
      for (let i = 0; i < 2; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { extensionRequirements: requirement({}, { type: 'add_time', seconds: 60 }, 1) } } });
        assert.equal(res.statusCode, 201, res.body);
        worlds.push(res.json() as World);
      }
      // Only the seeded jobs below: the fixtures' own sessions are removed from the schedule.
      await t.db.database.db.deleteFrom('jobs').execute();
    });

    async function run(n: number, twoOnLock: number, prepare?: (s: Seeded) => Promise<void>, bulkBatchSize = 500) {
      const s = await seed(t, worlds[0]!.wearer.id, [worlds[0]!.app.id, worlds[1]!.app.id], n, twoOnLock);
      await prepare?.(s);
      const counter = statementCounter();
      const scheduler = createScheduler({
        db: t.db.database.db.withPlugin(counter),
        clock: t.clock,
        dialect: t.db.database.dialect,
        logger: silent,
        leaseMs: 30_000,
        bulkBatchSize,
        handlers: { ...t.app.ctx.engine.jobHandlers, ...t.app.ctx.requirements.jobHandlers },
      });
      const ran = await scheduler.runDue();
      await t.db.database.db.deleteFrom('jobs').execute();
      return { s, ran, statements: counter.n };
    }

    it('a batch costs the same number of statements for 8 windows as for 42 (one job per transaction: a dozen or more per window)', async () => {
      const small = await run(6, 2);
      const large = await run(40, 2);
      const single = await run(40, 2, undefined, 1);
      assert.equal(small.ran.length, 8);
      assert.equal(large.ran.length, 42);
      assert.ok(large.ran.every((r) => r.outcome === 'done'));
      assert.equal(large.statements, small.statements, `statements: ${small.statements} for 8 windows, ${large.statements} for 42`);
      assert.ok(large.statements < 42, `${large.statements} statements for 42 windows`);
      assert.ok(single.ran.every((r) => r.outcome === 'done'));
      assert.ok(single.statements > 10 * 42, `one job per transaction: ${single.statements} statements for 42 windows`);
      // Every window punished once; a lock with two sessions got both punishments (+120 s, version +2).
      const db = t.db.database.db;
      for (const [i, lockId] of large.s.lockIds.entries()) {
        const lock = await db.selectFrom('locks').select(['ends_at', 'version']).where('id', '=', lockId).executeTakeFirstOrThrow();
        const times = i < 2 ? 2 : 1;
        assert.equal(Number(lock.ends_at) - large.s.endsBefore.get(lockId)!, times * 60_000, `lock ${i}`);
        assert.equal(lock.version, 1 + times);
        const logs = await db.selectFrom('history_logs').select(['type']).where('lock_id', '=', lockId).orderBy('id').execute();
        assert.deepEqual(logs.map((l) => l.type), Array.from({ length: times }, () => ['time_added', 'requirement_missed']).flat());
      }
      const windows = await db.selectFrom('requirement_windows').select(['session_id', 'punished', 'window_start']).where('session_id', 'in', large.s.sessionIds).execute();
      assert.equal(windows.length, 42);
      assert.ok(windows.every((w) => w.punished === 1 && Number(w.window_start) === large.s.windowStart));
    });

    it('a window already evaluated is not punished again by a batch; its next window is still scheduled', async () => {
      let already = '';
      const { s, ran } = await run(10, 0, async (seeded) => {
        already = seeded.sessionIds[3]!;
        await t.db.database.db
          .insertInto('requirement_windows')
          .values({ id: hexId(), session_id: already, metric: 'completion', window_start: seeded.windowStart, window_end: seeded.windowEnd, required_count: 1, count: 5, partial: 0, punished: 0, punishment: null, evaluated_at: t.clock.now() })
          .execute();
      });
      assert.ok(ran.every((r) => r.outcome === 'done'));
      const db = t.db.database.db;
      const lock = await db.selectFrom('locks').select(['ends_at', 'version']).where('id', '=', s.lockIds[3]!).executeTakeFirstOrThrow();
      assert.equal(Number(lock.ends_at), s.endsBefore.get(s.lockIds[3]!), 'not punished twice');
      assert.equal(lock.version, 1);
      const other = await db.selectFrom('locks').select(['ends_at']).where('id', '=', s.lockIds[4]!).executeTakeFirstOrThrow();
      assert.equal(Number(other.ends_at) - s.endsBefore.get(s.lockIds[4]!)!, 60_000);
      assert.equal((await db.selectFrom('history_logs').select('id').where('lock_id', '=', s.lockIds[3]!).execute()).length, 0);
    });

    it('one bad job in a batch: the batch rolls back, its jobs run one by one, the others are evaluated once and the bad one retries', async () => {
      const db = t.db.database.db;
      const { s, ran } = await run(8, 0, async (seeded) => {
        await db.updateTable('jobs').set({ payload: JSON.stringify({ sessionId: seeded.sessionIds[5], metric: 'completion', windowStart: 'x', windowEnd: 'y' }) }).where('key', '=', `req:${seeded.sessionIds[5]}`).execute();
      });
      const bad = `req:${s.sessionIds[5]}`;
      assert.equal(ran.length, 8);
      assert.deepEqual(Object.fromEntries(ran.map((r) => [r.key, r.outcome])), Object.fromEntries(s.sessionIds.map((id) => [`req:${id}`, `req:${id}` === bad ? 'retry' : 'done'])));
      for (const [i, lockId] of s.lockIds.entries()) {
        const lock = await db.selectFrom('locks').select(['ends_at', 'version']).where('id', '=', lockId).executeTakeFirstOrThrow();
        assert.equal(Number(lock.ends_at) - s.endsBefore.get(lockId)!, i === 5 ? 0 : 60_000, `lock ${i}`);
      }
    });
  });
});
