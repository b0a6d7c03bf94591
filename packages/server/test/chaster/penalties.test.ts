import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createIdGenerator } from '../../src/ids.js';
import { createServices } from '../../src/services/index.js';
import { createScheduler } from '../../src/services/scheduler.js';
import type { FixtureWorld } from '../../src/services/fixtures.js';
import { TEST_DB, call, expectError, fixtureWorld, login, register, type Session } from '../helpers.js';
import { chasterHarness, type ChasterHarness } from './harness.js';

/**
 * Penalties (issue 13, Chaster's penalties page): habits an app declares, enabled on a lock by
 * its controller, counted by the extension's backend with its developer token; periods settled
 * by the scheduler, punishments applied once. chaster-js 0.38 has no methods for these routes:
 * the requests are made as its axios client makes them (JSON, the developer token as bearer).
 */
const HOUR = 3600_000;
const HABITS = [
  { name: 'roll-the-dice', label: 'Roll the Dice', type: 'recurring', paramsText: 'Number of dice rolls required', punishmentText: 'Penalty for not rolling the dice in time' },
  { name: 'submit-verification', label: 'Submit Verification Picture', type: 'time_limit', paramsText: 'Time to submit verification picture', punishmentText: 'Penalty for not submitting verification picture' },
  { name: 'unused', label: 'Never enabled', type: 'recurring', paramsText: '', punishmentText: '' },
];
const ENABLED = [
  { habitName: 'roll-the-dice', recurringParams: { nbActions: 3, frequency: 3600 }, punishments: [{ name: 'add_time', params: 600 }] },
  { habitName: 'submit-verification', timeLimitParams: { timeLimit: 1800 }, punishments: [{ name: 'add_time', params: 300 }] },
];

async function penalty(h: ChasterHarness, world: FixtureWorld, path: string, body: unknown, token = world.app.appKey) {
  const res = await fetch(`${h.baseUrl}/api/extensions/sessions/${world.session.id}/penalties/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

type Period = { _id: string; status: string; habitName: string; nbActionsDone: number; nbActionsRequired: number; startsAt: string; endsAt: string };

describe(`Chaster penalties (issue 13, ${TEST_DB})`, () => {
  let h: ChasterHarness;
  let wearer: Session;
  let keyholder: Session;
  before(async () => {
    h = await chasterHarness({ extension: { habits: HABITS }, lock: { penalties: true, habits: ENABLED } });
    wearer = await login(h.t.app, h.world.wearer.username, h.world.wearer.password);
    keyholder = await login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);
  });
  after(() => h.close());

  const penalties = async (as: Session = wearer, world = h.world) => {
    const res = await call(h.t.app, as, 'GET', `/api/locks/${world.lock.id}/penalties`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { habits: Array<Record<string, unknown>>; penaltyPeriods: Period[] };
  };
  const ongoing = async (habitName: string) => (await penalties()).penaltyPeriods.find((p) => p.habitName === habitName && p.status === 'ongoing');
  const endsAt = async (world = h.world) => Date.parse((await call(h.t.app, wearer, 'GET', `/api/locks/${world.lock.id}`)).json().endsAt);
  const punishedEntries = async (world = h.world) =>
    (await call(h.t.app, wearer, 'GET', `/api/locks/${world.lock.id}/history?limit=100`)).json().results.filter((e: { type: string }) => e.type === 'penalty_punished');
  const runJobs = () => h.t.app.ctx.scheduler.runDue();

  it('both participants read the enabled habits (Chaster’s HabitForPublic) and the recurring habit’s first period', async () => {
    for (const as of [wearer, keyholder]) {
      const view = await penalties(as);
      assert.deepEqual(
        view.habits.map((x) => [x.habitName, x.label, (x.extension as { slug: string }).slug]),
        [['roll-the-dice', 'Roll the Dice', h.world.app.slug], ['submit-verification', 'Submit Verification Picture', h.world.app.slug]],
      );
      assert.deepEqual(view.habits[0]!.recurringParams, { nbActions: 3, frequency: 3600 });
      assert.deepEqual(view.habits[1]!.timeLimitParams, { timeLimit: 1800 });
      assert.deepEqual(view.habits[0]!.punishments, [{ name: 'add_time', params: 600 }]);
    }
    const first = (await ongoing('roll-the-dice'))!;
    assert.deepEqual([first.nbActionsDone, first.nbActionsRequired], [0, 3]);
    assert.equal(Date.parse(first.endsAt) - Date.parse(first.startsAt), HOUR);
    const stranger = await register(h.t.app);
    expectError(await call(h.t.app, stranger, 'GET', `/api/locks/${h.world.lock.id}/penalties`), 404, 'not_found');
  });

  it('increment counts into the running period: 201 with no body; count defaults to 1', async () => {
    const res = await penalty(h, h.world, 'increment', { habitName: 'roll-the-dice', count: 2 });
    assert.deepEqual([res.status, res.text], [201, '']);
    assert.equal((await ongoing('roll-the-dice'))!.nbActionsDone, 2);
    assert.equal((await penalty(h, h.world, 'increment', { habitName: 'roll-the-dice' })).status, 201);
    assert.equal((await ongoing('roll-the-dice'))!.nbActionsDone, 3);
  });

  it('a recurring period done in full is validated at its end, one short is punished once; periods follow back to back', async () => {
    const first = (await ongoing('roll-the-dice'))!;
    const before = await endsAt();
    h.t.clock.advance(HOUR);
    await runJobs();
    let view = await penalties();
    assert.equal(view.penaltyPeriods.find((p) => p._id === first._id)!.status, 'validated');
    const second = (await ongoing('roll-the-dice'))!;
    assert.equal(second.startsAt, first.endsAt);
    assert.equal(await endsAt(), before);
    assert.equal((await punishedEntries()).length, 0);

    assert.equal((await penalty(h, h.world, 'increment', { habitName: 'roll-the-dice' })).status, 201);
    h.t.clock.advance(HOUR);
    await runJobs();
    await runJobs();
    view = await penalties();
    const settled = view.penaltyPeriods.find((p) => p._id === second._id)!;
    assert.deepEqual([settled.status, settled.nbActionsDone, settled.nbActionsRequired], ['punished', 1, 3]);
    assert.equal(await endsAt(), before + 600_000);
    const entries = await punishedEntries();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].title, 'Penalty: Roll the Dice');
    assert.equal(entries[0].description, '1 of 3 done in time');
    assert.equal((await ongoing('roll-the-dice'))!.startsAt, second.endsAt);
  });

  it('time limit: create, then increment validates it at once; nothing is punished at its end', async () => {
    const created = await penalty(h, h.world, 'time-limit/create', { habitName: 'submit-verification' });
    assert.deepEqual([created.status, created.text], [201, '']);
    const period = (await ongoing('submit-verification'))!;
    assert.deepEqual([period.nbActionsDone, period.nbActionsRequired], [0, 1]);
    assert.equal(Date.parse(period.endsAt) - Date.parse(period.startsAt), 1800_000);
    assert.equal((await penalty(h, h.world, 'increment', { habitName: 'submit-verification' })).status, 201);
    const settled = (await penalties()).penaltyPeriods.find((p) => p._id === period._id)!;
    assert.deepEqual([settled.status, settled.nbActionsDone], ['validated', 1]);
    // Nothing running any more: another increment has no period to count into.
    const again = await penalty(h, h.world, 'increment', { habitName: 'submit-verification' });
    assert.equal(again.status, 409);
    assert.equal(again.body!.statusCode, 409);
  });

  it('time limit: a second create while one runs is 409; expiry punishes once, whoever runs the scheduler and how often', async () => {
    assert.equal((await penalty(h, h.world, 'time-limit/create', { habitName: 'submit-verification' })).status, 201);
    const twice = await penalty(h, h.world, 'time-limit/create', { habitName: 'submit-verification' });
    assert.equal(twice.status, 409);
    assert.match(String(twice.body!.message), /already running/);
    const period = (await ongoing('submit-verification'))!;
    const before = await endsAt();
    const punishedBefore = (await punishedEntries()).length;
    h.t.clock.advance(1800_000);
    // Two processes' schedulers on one database, at once, then again.
    const second = await h.t.db.reopen();
    const silent = pino({ level: 'silent' });
    const other = createServices({ config: h.t.config, database: second, clock: h.t.clock, ids: createIdGenerator(h.t.clock), logger: silent });
    const runner = (handlers: typeof other.penalties.jobHandlers, database: typeof second, workerId: string) => createScheduler({ db: database.db, clock: h.t.clock, dialect: database.dialect, logger: silent, handlers, workerId });
    try {
      const a = runner(h.t.app.ctx.penalties.jobHandlers, h.t.db.database, 'w_a');
      const b = runner(other.penalties.jobHandlers, second, 'w_b');
      await Promise.all([a.runDue(), b.runDue()]);
      await Promise.all([a.runDue(), b.runDue()]);
    } finally {
      await other.close();
      await second.close();
    }
    assert.equal((await penalties()).penaltyPeriods.find((p) => p._id === period._id)!.status, 'punished');
    // Only the time limit fell due (the recurring habit's hour runs another 30 min).
    assert.equal(await endsAt(), before + 300_000);
    const entries = await punishedEntries();
    assert.equal(entries.length, punishedBefore + 1);
    assert.equal(entries[0].title, 'Penalty: Submit Verification Picture');
  });

  it('time limit: cancel ends it without punishment; cancel with none running is a no-op', async () => {
    assert.equal((await penalty(h, h.world, 'time-limit/create', { habitName: 'submit-verification' })).status, 201);
    const period = (await ongoing('submit-verification'))!;
    const cancelled = await penalty(h, h.world, 'time-limit/cancel', { habitName: 'submit-verification' });
    assert.deepEqual([cancelled.status, cancelled.text], [201, '']);
    assert.equal((await penalties()).penaltyPeriods.find((p) => p._id === period._id)!.status, 'cancelled');
    assert.equal((await penalty(h, h.world, 'time-limit/cancel', { habitName: 'submit-verification' })).status, 201);
    const before = await endsAt();
    // Past the cancelled time limit's end, and to the end of the recurring habit's third hour (no action in it).
    h.t.clock.advance(1800_000);
    await runJobs();
    assert.equal((await penalties()).penaltyPeriods.find((p) => p._id === period._id)!.status, 'cancelled');
    assert.equal(await endsAt(), before + 600_000, 'the recurring habit’s punishment only');
    assert.equal((await punishedEntries())[0].title, 'Penalty: Roll the Dice');
  });

  it('errors: unknown habit 400, habit not enabled 422, wrong type 400, bad bodies 400 — NestJS bodies, nothing changes', async () => {
    const unknown = await penalty(h, h.world, 'increment', { habitName: 'nope' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body!.code, 'unknown_habit');
    assert.match(String(unknown.body!.message), /roll-the-dice/);
    const off = await penalty(h, h.world, 'increment', { habitName: 'unused' });
    assert.equal(off.status, 422);
    assert.equal(off.body!.code, 'habit_not_enabled');
    for (const path of ['time-limit/create', 'time-limit/cancel']) {
      const wrong = await penalty(h, h.world, path, { habitName: 'roll-the-dice' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body!.code, 'invalid_params');
    }
    const before = (await ongoing('roll-the-dice'))!.nbActionsDone;
    for (const body of [{}, { habitName: 'roll-the-dice', count: 0 }, { habitName: 'roll-the-dice', count: 1.5 }, { habitName: '' }]) {
      const bad = await penalty(h, h.world, 'increment', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body!.error, 'Bad Request');
    }
    assert.equal((await ongoing('roll-the-dice'))!.nbActionsDone, before);
  });

  it('another app’s developer token finds nothing (404); a lock without penalties is 422 naming them', async () => {
    const other = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster', habits: HABITS } });
    for (const path of ['increment', 'time-limit/create', 'time-limit/cancel']) {
      assert.equal((await penalty(h, h.world, path, { habitName: 'roll-the-dice' }, other.app.appKey)).status, 404);
      const res = await penalty(h, other, path, { habitName: 'submit-verification' });
      assert.equal(res.status, 422);
      assert.equal(res.body!.code, 'penalties_not_enabled');
    }
  });
});

describe(`penalties: who enables habits (${TEST_DB})`, () => {
  let h: ChasterHarness;
  before(async () => {
    h = await chasterHarness({ extension: { habits: HABITS }, lock: { penalties: true } });
  });
  after(() => h.close());
  const put = (as: Session, world: FixtureWorld, habits: unknown) => call(h.t.app, as, 'PUT', `/api/locks/${world.lock.id}/penalties`, { habits });

  it('the keyholder enables habits; the wearer of a keyholder lock may not (403); a stranger finds nothing (404)', async () => {
    const ENABLED_HERE = ENABLED.map((x) => ({ ...x, extensionSlug: h.world.app.slug }));
    const wearer = await login(h.t.app, h.world.wearer.username, h.world.wearer.password);
    const keyholder = await login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);
    expectError(await put(wearer, h.world, ENABLED_HERE), 403, 'forbidden');
    expectError(await put(await register(h.t.app), h.world, ENABLED_HERE), 404, 'not_found');
    const res = await put(keyholder, h.world, ENABLED_HERE);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().habits.length, 2);
    assert.equal(res.json().penaltyPeriods.filter((p: Period) => p.status === 'ongoing').length, 1);
    const lock = (await call(h.t.app, keyholder, 'GET', `/api/locks/${h.world.lock.id}`)).json();
    assert.ok(lock.allowedActions.includes('penalties.configure'));
    const wearerView = (await call(h.t.app, wearer, 'GET', `/api/locks/${h.world.lock.id}`)).json();
    assert.ok(!wearerView.allowedActions.includes('penalties.configure'));

    // Dropping a habit stops it: its running period is cancelled.
    const dropped = await put(keyholder, h.world, [ENABLED_HERE[1]]);
    assert.equal(dropped.statusCode, 200, dropped.body);
    assert.deepEqual(dropped.json().habits.map((x: { habitName: string }) => x.habitName), ['submit-verification']);
    assert.ok(dropped.json().penaltyPeriods.every((p: Period) => p.status !== 'ongoing'));
  });

  it('the wearer of a self-lock enables habits; on a lock without penalties it is 422', async () => {
    const self = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster', habits: HABITS }, lock: { keyholder: false, penalties: true } });
    const wearer = await login(h.t.app, self.wearer.username, self.wearer.password);
    assert.equal((await put(wearer, self, ENABLED.map((x) => ({ ...x, extensionSlug: self.app.slug })))).statusCode, 200);
    const off = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster', habits: HABITS }, lock: { keyholder: false } });
    const offWearer = await login(h.t.app, off.wearer.username, off.wearer.password);
    expectError(await put(offWearer, off, ENABLED.map((x) => ({ ...x, extensionSlug: off.app.slug }))), 422, 'penalties_not_enabled');
  });

  it('bad habit settings are 400 and change nothing', async () => {
    const keyholder = await login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);
    const slug = h.world.app.slug;
    const before = (await call(h.t.app, keyholder, 'GET', `/api/locks/${h.world.lock.id}/penalties`)).json();
    const cases: Array<[unknown, string]> = [
      [[{ extensionSlug: slug, habitName: 'roll-the-dice', timeLimitParams: { timeLimit: 600 }, punishments: [{ name: 'add_time', params: 60 }] }], 'invalid_request'],
      [[{ extensionSlug: slug, habitName: 'roll-the-dice', recurringParams: { nbActions: 1, frequency: 3600 }, punishments: [{ name: 'add_time', params: 0 }] }], 'invalid_params'],
      [[{ extensionSlug: slug, habitName: 'roll-the-dice', recurringParams: { nbActions: 1, frequency: 3600 }, punishments: [{ name: 'pillory', params: { reason: 'x' } }] }], 'invalid_params'],
      [[{ extensionSlug: slug, habitName: 'roll-the-dice', recurringParams: { nbActions: 1, frequency: 1000 }, punishments: [{ name: 'freeze' }] }], 'invalid_request'],
      [[{ extensionSlug: slug, habitName: 'roll-the-dice', recurringParams: { nbActions: 1, frequency: 3600 }, punishments: [] }], 'invalid_request'],
      [[{ extensionSlug: slug, habitName: 'nope', recurringParams: { nbActions: 1, frequency: 3600 }, punishments: [{ name: 'freeze' }] }], 'unknown_habit'],
      [[{ extensionSlug: 'not-installed', habitName: 'roll-the-dice', recurringParams: { nbActions: 1, frequency: 3600 }, punishments: [{ name: 'freeze' }] }], 'invalid_request'],
      [[ENABLED[0], ENABLED[0]].map((x) => ({ ...x, extensionSlug: slug })), 'invalid_request'],
    ];
    for (const [habits, code] of cases) {
      const res = await put(keyholder, h.world, habits);
      expectError(res, 400, code);
    }
    assert.deepEqual((await call(h.t.app, keyholder, 'GET', `/api/locks/${h.world.lock.id}/penalties`)).json(), before);
  });

  it('fixtures: lock.habits must be habits the fixture app declares (400 before anything is made)', async () => {
    const res = await h.t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { dialect: 'chaster', habits: [HABITS[0]] }, lock: { habits: [ENABLED[1]] } } });
    expectError(res, 400, 'invalid_request');
    const off = await h.t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { dialect: 'chaster', habits: HABITS }, lock: { penalties: false, habits: [ENABLED[0]] } } });
    expectError(off, 400, 'invalid_request');
  });

  it('habits are declared on the app in the developer API: names unique, shape checked', async () => {
    const dev = await login(h.t.app, h.world.developer.username, h.world.developer.password);
    const url = `/api/developer/apps/${h.world.app.id}`;
    assert.deepEqual((await call(h.t.app, dev, 'GET', url)).json().habits.map((x: { name: string }) => x.name), ['roll-the-dice', 'submit-verification', 'unused']);
    expectError(await call(h.t.app, dev, 'PATCH', url, { habits: [HABITS[0], HABITS[0]] }), 400, 'invalid_request');
    expectError(await call(h.t.app, dev, 'PATCH', url, { habits: [{ ...HABITS[0], name: 'Has Capitals' }] }), 400, 'invalid_request');
    expectError(await call(h.t.app, dev, 'PATCH', url, { habits: [{ ...HABITS[0], name: 'x'.repeat(21) }] }), 400, 'invalid_request');
    const res = await call(h.t.app, dev, 'PATCH', url, { habits: [...HABITS, { name: 'walk_2', label: 'Walk', type: 'time_limit', paramsText: 'Time to walk', punishmentText: 'Penalty for not walking' }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().habits.length, 4);
  });
});
