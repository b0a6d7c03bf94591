import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { VirtualClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import type { Database } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { App } from '../src/http/types.js';
import { createIdGenerator } from '../src/ids.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { TEST_DB, testDatabase, type TestDatabase } from './helpers.js';

/**
 * The sandbox's virtual clock survives a restart (issue 15): its offset is kept in the database,
 * so `npm run dev` stopped after advancing 30 days and started again continues from that time,
 * and the scheduler keeps evaluating the windows of sessions made after the restart.
 */

const DAY = 86400;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REQUIREMENT = {
  enabled: true,
  metric: 'completion',
  requiredCount: 1,
  cadence: { every: 1, unit: 'day', timezone: 'UTC' },
  punishment: { type: 'add_time', seconds: 600, reason: 'missed' },
};

/** The sandbox as `npm run dev` builds it: dev mode, a fresh virtual clock on real time, this database. */
async function sandbox(database: Database): Promise<{ app: App; clock: VirtualClock }> {
  await migrateToLatest(database);
  const clock = new VirtualClock();
  const app = await buildApp({
    config: testConfig({ publicUrl: 'http://latch.test', dev: true }),
    database,
    clock,
    ids: createIdGenerator(clock),
    logger: pino({ level: 'silent' }),
    runScheduler: false,
  });
  await app.ready();
  return { app, clock };
}

async function json(app: App, method: 'GET' | 'POST', url: string, payload?: unknown, status = 200): Promise<Json> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Json }) });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.json() as Json;
}

const clockNow = async (app: App) => (await json(app, 'GET', '/api/dev/clock')).nowMs as number;
const advance = (app: App, seconds: number) => json(app, 'POST', '/api/dev/clock/advance', { seconds });
const world = async (app: App) => (await json(app, 'POST', '/api/dev/fixtures', { extension: { extensionRequirements: REQUIREMENT } }, 201)) as World;

/** The windows evaluated so far for a session (its backend's view). */
async function evaluated(app: App, w: World): Promise<Json[]> {
  // A fresh launch token: the fixture's may have expired on the way.
  const { mainToken } = await app.ctx.mainTokens.issue(w.wearer.id, w.session.id);
  const res = await app.inject({
    method: 'GET',
    url: `/api/extensions/sessions/${w.session.id}/requirements`,
    headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as Json).evaluated as Json[];
}

describe(`sandbox clock across a restart (${TEST_DB})`, () => {
  const dbs: TestDatabase[] = [];
  after(async () => {
    for (const d of dbs) await d.destroy();
  });

  it('continues from the advanced time after a restart, and the scheduler evaluates the windows of new sessions', { timeout: 300_000 }, async () => {
    const db = await testDatabase();
    dbs.push(db);

    // First run: a session with a daily requirement, 30 days of fast-forward.
    const first = await sandbox(db.database);
    const before = await world(first.app);
    const startedAt = await clockNow(first.app);
    await advance(first.app, 30 * DAY);
    const advancedTo = await clockNow(first.app);
    assert.ok(advancedTo >= startedAt + 30 * DAY * 1000);
    const firstRun = await evaluated(first.app, before);
    // Newest first (the last 20): every day up to the last full one was evaluated.
    assert.ok(firstRun.length > 0 && Date.parse(firstRun[0]!.end) > advancedTo - DAY * 1000, `the windows of the first 30 days were evaluated: ${JSON.stringify(firstRun[0])}`);
    await first.app.close();
    await db.database.close();

    // Second run on the same database, a brand-new virtual clock (as after `npm run dev` again).
    const database = await db.reopen();
    const second = await sandbox(database);
    try {
      const resumedAt = await clockNow(second.app);
      assert.ok(resumedAt >= advancedTo, `the clock continues from ${new Date(advancedTo).toISOString()}, not real time: got ${new Date(resumedAt).toISOString()}`);
      assert.ok(resumedAt < advancedTo + DAY * 1000, 'and does not jump further than the real time that went by');

      // New sessions after the restart: one advance evaluates every one of their due windows.
      const N = 100;
      const worlds: World[] = [];
      for (let i = 0; i < N; i++) worlds.push(await world(second.app));
      await advance(second.app, 2 * DAY + 3600);
      const counts = await Promise.all(worlds.map(async (w) => (await evaluated(second.app, w)).length));
      const missing = counts.filter((c) => c === 0).length;
      assert.equal(missing, 0, `${N - missing} of ${N} new sessions got their windows evaluated (counts: ${counts.join(',')})`);
      // Sessions made within the same minute have the same windows: the same number evaluated.
      assert.ok(counts.every((c) => c >= 2), `every new session had its two full days evaluated: ${counts.join(',')}`);

      // The session from before the restart kept being evaluated too, exactly once per window.
      const old = await evaluated(second.app, before);
      const starts = old.map((e) => e.start);
      assert.equal(new Set(starts).size, starts.length, 'no window evaluated twice');
      const last = await clockNow(second.app);
      assert.ok(Date.parse(old[0]!.end) > last - DAY * 1000, `the old session's windows continued after the restart: ${JSON.stringify(old[0])}`);
    } finally {
      await second.app.close();
      await database.close();
    }
  });

  it('the clock offset persists as it moves (a restart in the middle keeps every advance)', { timeout: 120_000 }, async () => {
    const db = await testDatabase();
    dbs.push(db);
    const first = await sandbox(db.database);
    await advance(first.app, 3 * DAY);
    await advance(first.app, 2 * DAY);
    const t1 = await clockNow(first.app);
    await first.app.close();
    await db.database.close();

    const database = await db.reopen();
    const second = await sandbox(database);
    try {
      assert.ok((await clockNow(second.app)) >= t1);
      await advance(second.app, DAY);
      const t2 = await clockNow(second.app);
      await second.app.close();
      const third = await sandbox(database);
      try {
        assert.ok((await clockNow(third.app)) >= t2, 'the advance after the first restart was kept as well');
      } finally {
        await third.app.close();
      }
    } finally {
      await database.close();
    }
  });
});
