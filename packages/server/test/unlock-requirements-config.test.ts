import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, fixtureWorld, login, snapshot, suiteApp, type Session, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Per-lock progress-based unlock requirements: the installed config's `unlockRequirements`
 * replace the app's `initialMetadata.unlockRequirements` for that lock's session (at lock
 * creation, `POST /api/locks/:lockId/extensions` and the sandbox fixtures), checked at install
 * (docs/decisions.md, "Scheduler, regular actions, requirements, attempts"). Runs on SQLite, or on
 * PostgreSQL with LATCH_TEST_DB=postgres.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

const APP_DEFAULT = { metric: 'memory_win', requiredCount: 3, blocker: 'Win 3 games' };
const FIVE_WINS = [{ metric: 'memory_win', requiredCount: 5, blocker: 'Win 5 games' }];

describe(`per-lock unlock requirements: the installed config's unlockRequirements (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  let w: World;
  let we: Session;
  before(async () => {
    // One app whose initialMetadata asks for 3 wins, on the wearer's self-lock (installed without a config).
    w = await world({ extension: { initialMetadata: { unlockRequirements: [APP_DEFAULT] } }, lock: { keyholder: false } });
    we = await login(t.app, w.wearer.username, w.wearer.password);
  });

  const world = (body: Json): Promise<World> => fixtureWorld(t.app, body);

  async function ok(res: Res, status = 200): Promise<Json> {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Json;
  }

  /** A self-lock of the world's wearer with a timer of 0 (only extensions can hold it). */
  async function lock(extensions: Json[] = []): Promise<Json> {
    return ok(await call(t.app, we, 'POST', '/api/locks', { title: 'Per-lock requirement', durationSeconds: 0, extensions }), 201);
  }

  /** A backend call on a session: the app key with a fresh main token of the wearer. */
  async function ext(sessionId: string, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) {
    const { mainToken } = await t.app.ctx.mainTokens.issue(w.wearer.id, sessionId);
    return t.app.inject({
      method,
      url: `/api/extensions/sessions/${sessionId}${path}`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  const metadata = async (sessionId: string) => ok(await ext(sessionId, 'GET', '/metadata'));
  const progress = (sessionId: string, metric: string) => ext(sessionId, 'POST', '/requirements/progress', { metric });
  const sessionOf = (l: Json) => (l.extensions as Json[]).find((x) => x.slug === w.app.slug)!.sessionId as string;

  it('a lock whose config asks for 5 wins shows "0 of 5"; locks of the same app without that key keep the app default', async () => {
    const five = await lock([{ slug: w.app.slug, config: { unlockRequirements: FIVE_WINS } }]);
    assert.deepEqual(five.extensions[0].config, { unlockRequirements: FIVE_WINS }, 'the config is stored as given');
    const m = await metadata(sessionOf(five));
    assert.deepEqual(m.unlockRequirements, [{ metric: 'memory_win', requiredCount: 5, blocker: 'Win 5 games', count: 0, satisfied: false }]);
    assert.equal(m.unlockBlocked, true);
    assert.deepEqual(
      m.aggregatedUnlockBlockers.map((b: Json) => [b.kind, b.blocker, b.count, b.requiredCount]),
      [['requirement', 'Win 5 games', 0, 5]],
    );

    // The fixture's lock (installed without a config) and a new lock with another config: the app's 3.
    for (const sessionId of [w.session.id, sessionOf(await lock([{ slug: w.app.slug, config: { other: true } }]))]) {
      assert.deepEqual((await metadata(sessionId)).unlockRequirements, [{ ...APP_DEFAULT, count: 0, satisfied: false }]);
    }
  });

  it('after 5 progress records the lock’s requirement is satisfied and no longer holds the unlock', async () => {
    const five = await lock([{ slug: w.app.slug, config: { unlockRequirements: FIVE_WINS } }]);
    const sessionId = sessionOf(five);
    const other = sessionOf(await lock([{ slug: w.app.slug }]));
    const refused = expectError(await call(t.app, we, 'POST', `/api/locks/${five.id}/unlock`), 409, 'unlock_not_allowed');
    assert.deepEqual(refused.details.reasons, ['requirement_unsatisfied']);

    for (let i = 1; i <= 5; i++) {
      const p = await ok(await progress(sessionId, 'memory_win'), 201);
      assert.equal(p.total, i);
      assert.deepEqual(p.unlockRequirement, { metric: 'memory_win', requiredCount: 5, blocker: 'Win 5 games', count: i, satisfied: i >= 5 });
      const m = await metadata(sessionId);
      assert.equal(m.unlockRequirements[0].count, i, `${i} of 5`);
      assert.equal(m.unlockRequirements[0].requiredCount, 5);
      assert.equal(m.unlockRequirements[0].satisfied, i >= 5);
      assert.equal(m.unlockBlocked, i < 5, `blocked after ${i}`);
      const s = await ok(await call(t.app, we, 'GET', `/api/locks/${five.id}/status`));
      assert.deepEqual(s.unlock.reasons, i < 5 ? ['requirement_unsatisfied'] : []);
      // 3 wins would have satisfied the app default; this lock wants 5.
      if (i === 3) expectError(await call(t.app, we, 'POST', `/api/locks/${five.id}/unlock`), 409, 'unlock_not_allowed');
    }
    await ok(await call(t.app, we, 'POST', `/api/locks/${five.id}/unlock`));
    assert.equal((await ok(await call(t.app, we, 'GET', `/api/locks/${five.id}`))).status, 'unlocked');

    // Progress is per session: the other lock of the app is still at 0 of 3.
    assert.deepEqual((await metadata(other)).unlockRequirements, [{ ...APP_DEFAULT, count: 0, satisfied: false }]);
  });

  it('POST /api/locks/:lockId/extensions installs with the lock’s own requirements; progress accepts their metrics, not the replaced app metric', async () => {
    const l = await lock();
    const installed = await ok(
      await call(t.app, we, 'POST', `/api/locks/${l.id}/extensions`, { slug: w.app.slug, config: { unlockRequirements: [{ metric: 'puzzle_win', requiredCount: 2 }, { metric: 'streak', requiredCount: 1, blocker: '' }] } }),
      201,
    );
    const sessionId = installed.sessionId as string;
    const m = await metadata(sessionId);
    assert.deepEqual(m.unlockRequirements, [
      { metric: 'puzzle_win', requiredCount: 2, blocker: 'puzzle_win: 2 required', count: 0, satisfied: false },
      { metric: 'streak', requiredCount: 1, blocker: 'streak: 1 required', count: 0, satisfied: false },
    ]);
    const unknown = expectError(await progress(sessionId, 'memory_win'), 422, 'unknown_metric');
    assert.deepEqual([...unknown.details.known].sort(), ['puzzle_win', 'streak']);
    for (let i = 1; i <= 2; i++) assert.equal((await ok(await progress(sessionId, 'puzzle_win'), 201)).unlockRequirement.count, i);
    assert.equal((await metadata(sessionId)).unlockBlocked, true, 'streak is still open');
    await ok(await progress(sessionId, 'streak'), 201);
    const done = await metadata(sessionId);
    assert.deepEqual(done.unlockRequirements.map((r: Json) => r.satisfied), [true, true]);
    assert.equal(done.unlockBlocked, false);
    await ok(await call(t.app, we, 'POST', `/api/locks/${l.id}/unlock`));
  });

  it('the controller changes the installed config on a running lock: the new requirement counts the progress so far; the backend reads the new config; the backend’s metadata stays', async () => {
    const l = await lock([{ slug: w.app.slug, config: { unlockRequirements: FIVE_WINS, level: 1 } }]);
    const sessionId = sessionOf(l);
    for (let i = 0; i < 2; i++) await ok(await progress(sessionId, 'memory_win'), 201);
    // Written by the backend meanwhile: the config change keeps it.
    await ok(await ext(sessionId, 'PATCH', '/metadata', { homeActions: [{ slug: 'play', title: 'Play' }] }));
    const two = [{ metric: 'memory_win', requiredCount: 2, blocker: 'Win 2 games' }];
    const changed = await ok(await call(t.app, we, 'PUT', `/api/locks/${l.id}/extensions/${w.app.slug}/config`, { config: { unlockRequirements: two, level: 2 } }));
    assert.deepEqual(changed.config, { unlockRequirements: two, level: 2 });
    const m = await metadata(sessionId);
    assert.deepEqual(m.unlockRequirements, [{ ...two[0], count: 2, satisfied: true }]);
    assert.equal(m.unlockBlocked, false);
    assert.deepEqual(m.homeActions.map((a: Json) => a.slug), ['play']);
    assert.deepEqual((await ok(await ext(sessionId, 'GET', ''))).config, { unlockRequirements: two, level: 2 }, 'the backend reads the new config');
    const history = (await ok(await call(t.app, we, 'GET', `/api/locks/${l.id}/history?limit=5`))).results as Json[];
    assert.equal(history[0]!.type, 'extension_config_changed');
    // The same config again changes nothing (no second history entry).
    await ok(await call(t.app, we, 'PUT', `/api/locks/${l.id}/extensions/${w.app.slug}/config`, { config: { unlockRequirements: two, level: 2 } }));
    assert.equal(((await ok(await call(t.app, we, 'GET', `/api/locks/${l.id}/history?limit=5`))).results as Json[]).filter((h) => h.type === 'extension_config_changed').length, 1);
    await ok(await call(t.app, we, 'POST', `/api/locks/${l.id}/unlock`));
  });

  it('a config change is refused (400, nothing changes) for scheduled keys, bad requirements, strangers and wearers of a keyholder’s lock', async () => {
    const l = await lock([{ slug: w.app.slug, config: { unlockRequirements: FIVE_WINS, regularActions: { mode: 'unlimited' } } }]);
    const url = `/api/locks/${l.id}/extensions/${w.app.slug}/config`;
    const before = await snapshot(t.db.database);
    for (const [config, path] of [
      [{ unlockRequirements: FIVE_WINS, regularActions: { mode: 'cumulative', regularitySeconds: 3600, maxActions: 2 } }, '/config/regularActions'],
      [{ unlockRequirements: FIVE_WINS }, '/config/regularActions'],
      [{ unlockRequirements: FIVE_WINS, regularActions: { mode: 'unlimited' }, attemptLimit: { enabled: true, metric: 'memory_win', durationSeconds: 60 } }, '/config/attemptLimit'],
      [{ unlockRequirements: FIVE_WINS, regularActions: { mode: 'unlimited' }, extensionRequirements: { metric: 'x', requiredCount: 1 } }, '/config/extensionRequirements'],
      [{ unlockRequirements: [{ metric: 'memory_win', requiredCount: 0 }], regularActions: { mode: 'unlimited' } }, '/config/unlockRequirements/0/requiredCount'],
    ] as const) {
      const err = expectError(await call(t.app, we, 'PUT', url, { config }), 400, 'invalid_request');
      assert.equal(err.details[0].path, path, JSON.stringify(err.details));
    }
    expectError(await call(t.app, we, 'PUT', url, { config: 'nope' }), 400, 'invalid_request');
    expectError(await call(t.app, we, 'PUT', url, {}), 400, 'invalid_request');
    expectError(await call(t.app, we, 'PUT', `/api/locks/${l.id}/extensions/no-such-app/config`, { config: {} }), 404, 'not_found');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.deepEqual((await metadata(sessionOf(l))).unlockRequirements.map((r: Json) => r.requiredCount), [5]);

    // A keyholder's lock: its wearer may not; a stranger sees nothing.
    const kw = await world({ extension: { slug: `${w.app.slug}-k` } });
    const kwWearer = await login(t.app, kw.wearer.username, kw.wearer.password);
    expectError(await call(t.app, kwWearer, 'PUT', `/api/locks/${kw.lock.id}/extensions/${kw.app.slug}/config`, { config: {} }), 403, 'forbidden');
    expectError(await call(t.app, we, 'PUT', `/api/locks/${kw.lock.id}/extensions/${kw.app.slug}/config`, { config: {} }), 404, 'not_found');
  });

  it('an empty list: that lock has no progress requirement, and the app’s metric is not counted', async () => {
    const l = await lock([{ slug: w.app.slug, config: { unlockRequirements: [] } }]);
    const m = await metadata(sessionOf(l));
    assert.deepEqual(m.unlockRequirements, []);
    assert.equal(m.unlockBlocked, false);
    expectError(await progress(sessionOf(l), 'memory_win'), 422, 'unknown_metric');
    await ok(await call(t.app, we, 'POST', `/api/locks/${l.id}/unlock`));
  });

  it('the limits are inclusive: 20 entries, requiredCount 100000, a 64-character metric, a 200-character blocker', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ metric: i === 0 ? 'm'.repeat(64) : `metric_${i}`, requiredCount: i === 0 ? 100_000 : 1, ...(i === 0 ? { blocker: 'b'.repeat(200) } : {}) }));
    const l = await lock([{ slug: w.app.slug, config: { unlockRequirements: twenty } }]);
    const m = await metadata(sessionOf(l));
    assert.equal(m.unlockRequirements.length, 20);
    assert.deepEqual(m.unlockRequirements[0], { metric: 'm'.repeat(64), requiredCount: 100_000, blocker: 'b'.repeat(200), count: 0, satisfied: false });
  });

  it('invalid unlockRequirements → 400 invalid_request naming the field; nothing is created (lock creation, install, fixtures)', async () => {
    const entry = (over: Json) => ({ metric: 'memory_win', requiredCount: 5, ...over });
    const cases: Array<[string, unknown, string]> = [
      ['not an array', { metric: 'memory_win', requiredCount: 5 }, ''],
      ['null', null, ''],
      ['a string', 'memory_win', ''],
      ['21 entries', Array.from({ length: 21 }, (_, i) => ({ metric: `m${i}`, requiredCount: 1 })), ''],
      ['an entry that is not an object', ['memory_win'], '/0'],
      ['a duplicate metric', [entry({}), entry({ requiredCount: 2 })], '/1/metric'],
      ['requiredCount 0', [entry({ requiredCount: 0 })], '/0/requiredCount'],
      ['requiredCount 1.5', [entry({ requiredCount: 1.5 })], '/0/requiredCount'],
      ['requiredCount 100001', [entry({ requiredCount: 100_001 })], '/0/requiredCount'],
      ['requiredCount "5"', [entry({ requiredCount: '5' })], '/0/requiredCount'],
      ['no requiredCount', [{ metric: 'memory_win' }], '/0/requiredCount'],
      ['a blocker of 201 characters', [entry({ blocker: 'x'.repeat(201) })], '/0/blocker'],
      ['a blocker that is not a string', [entry({ blocker: 42 })], '/0/blocker'],
      ['an empty metric', [entry({ metric: '' })], '/0/metric'],
      ['a metric of 65 characters', [entry({ metric: 'm'.repeat(65) })], '/0/metric'],
      ['no metric', [{ requiredCount: 5 }], '/0/metric'],
    ];
    const target = await lock(); // for POST /api/locks/:lockId/extensions
    const counts = async () => {
      const s = await snapshot(t.db.database);
      return { locks: s.locks, sessions: s.extension_sessions, users: s.users, apps: s.extension_apps, all: s };
    };
    for (const [what, value, field] of cases) {
      const before = await counts();
      const config = { requiredWins: 5, unlockRequirements: value };

      const created = expectError(await call(t.app, we, 'POST', '/api/locks', { title: 'Bad', durationSeconds: 60, extensions: [{ slug: w.app.slug, config }] }), 400, 'invalid_request');
      assert.match(created.message, /unlockRequirements/, `${what}: ${created.message}`);
      assert.equal(created.details[0].path, `/extensions/0/config/unlockRequirements${field}`, `${what}: ${JSON.stringify(created.details)}`);

      const added = expectError(await call(t.app, we, 'POST', `/api/locks/${target.id}/extensions`, { slug: w.app.slug, config }), 400, 'invalid_request');
      assert.equal(added.details[0].path, `/config/unlockRequirements${field}`, what);

      const fixture = expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { config } } }), 400, 'invalid_request');
      assert.equal(fixture.details[0].path, `/extension/config/unlockRequirements${field}`, what);

      const after = await counts();
      assert.deepEqual(
        { locks: after.locks, sessions: after.sessions, users: after.users, apps: after.apps },
        { locks: before.locks, sessions: before.sessions, users: before.users, apps: before.apps },
        `${what}: no lock, extension session, account or app was created`,
      );
      assert.deepEqual(after.all, before.all, `${what}: nothing else was written either`);
    }
    assert.deepEqual((await ok(await call(t.app, we, 'GET', `/api/locks/${target.id}`))).extensions, [], 'the target lock got nothing');
  });

  it('one bad config among several extensions: the lock and the good extension are not created either', async () => {
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const second = await ok(await call(t.app, dev, 'POST', '/api/developer/apps', { slug: `second-${w.app.slug}`, name: 'Second' }), 201);
    const before = await snapshot(t.db.database);
    const res = await call(t.app, we, 'POST', '/api/locks', {
      title: 'Two',
      durationSeconds: 60,
      extensions: [
        { slug: w.app.slug, config: { unlockRequirements: FIVE_WINS } },
        { slug: second.slug, config: { unlockRequirements: [{ metric: 'x', requiredCount: 0 }] } },
      ],
    });
    const body = expectError(res, 400, 'invalid_request');
    assert.equal(body.details[0].path, '/extensions/1/config/unlockRequirements/0/requiredCount');
    assert.match(body.message, new RegExp(`Config for ${second.slug}: unlockRequirements\\[0\\]\\.requiredCount must be an integer from 1 to 100000`));
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('an app’s defaultConfig: checked when registered or changed; used by installs without a config', async () => {
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const before = await snapshot(t.db.database);
    const bad = expectError(
      await call(t.app, dev, 'POST', '/api/developer/apps', { slug: `bad-${w.app.slug}`, name: 'Bad', defaultConfig: { unlockRequirements: [{ metric: 'w', requiredCount: 1.5 }] } }),
      400,
      'invalid_request',
    );
    assert.equal(bad.details[0].path, '/defaultConfig/unlockRequirements/0/requiredCount');
    assert.deepEqual(await snapshot(t.db.database), before);
    const patched = expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${w.app.id}`, { defaultConfig: { unlockRequirements: 'many' } }), 400, 'invalid_request');
    assert.equal(patched.details[0].path, '/defaultConfig/unlockRequirements');

    // The fixture's config is the app's default and the install config: both sessions count 4.
    const four = await world({ extension: { initialMetadata: { unlockRequirements: [APP_DEFAULT] }, config: { unlockRequirements: [{ metric: 'memory_win', requiredCount: 4 }] } }, lock: { keyholder: false } });
    const owner = await login(t.app, four.wearer.username, four.wearer.password);
    const again = await ok(await call(t.app, owner, 'POST', '/api/locks', { title: 'Default config', durationSeconds: 0, extensions: [{ slug: four.app.slug }] }), 201);
    for (const sessionId of [four.session.id, again.extensions[0].sessionId as string]) {
      const { mainToken } = await t.app.ctx.mainTokens.issue(four.wearer.id, sessionId);
      const res = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}/metadata`, headers: { authorization: `Bearer ${four.app.appKey}`, 'x-chastify-main-token': mainToken } });
      assert.deepEqual((await ok(res)).unlockRequirements, [{ metric: 'memory_win', requiredCount: 4, blocker: 'memory_win: 4 required', count: 0, satisfied: false }]);
    }
  });
});
