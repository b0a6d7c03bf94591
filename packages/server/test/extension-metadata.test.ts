import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ManualClock } from '../src/clock.js';
import { call, expectError, fixtureWorld, login, register, suiteApp, TEST_DB, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';
import { SPEC_INITIAL_METADATA, SPEC_REQUIREMENTS } from './spec001Bodies.js';

/**
 * Extension metadata, requirements progress, custom logs and notifications, and the audit trail
 * (DECISIONS §3, §6; spec 001 "Unlock blockers" / "Custom Required Actions" / "Rewards",
 * spec 002 notifications.custom and metadata.patch). Runs on SQLite, or on PostgreSQL with
 * LATCH_TEST_DB=postgres.
 */

/** Backend credentials for one session: app key + main token. */
interface Backend {
  sessionId: string;
  appKey: string;
  mainToken: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

const backendOf = (w: World): Backend => ({ sessionId: w.session.id, appKey: w.app.appKey, mainToken: w.mainTokens.wearer });

function harness(getT: () => TestApp) {
  async function world(body: Record<string, unknown> = {}): Promise<World> {
    return fixtureWorld(getT().app, body);
  }

  /** A backend call. A string payload is sent as-is (verbatim JSON from the spec). */
  function ext(b: Backend | World, method: Method, path: string, payload?: unknown, headers: Record<string, string> = {}) {
    const c = 'session' in b ? backendOf(b) : b;
    return getT().app.inject({
      method,
      url: `/api/extensions/sessions/${c.sessionId}${path}`,
      headers: {
        authorization: `Bearer ${c.appKey}`,
        'x-chastify-main-token': c.mainToken,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  }

  async function ok(res: Res, status = 200) {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  }

  async function metadata(b: Backend | World) {
    return ok(await ext(b, 'GET', '/metadata'));
  }

  async function session(b: Backend | World) {
    return ok(await ext(b, 'GET', ''));
  }

  return { world, ext, ok, metadata, session };
}

const action = (slug: string, extra: Record<string, unknown> = {}) => ({ slug, title: `Action ${slug}`, ...extra });

describe(`extension metadata (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  const { world, ext, ok, metadata, session } = harness(() => t);

  /** Installs a second extension on the world's lock; returns backend credentials for its session. */
  async function secondExtension(w: World, slug: string, name: string, initialMetadata: Record<string, unknown> = {}): Promise<Backend> {
    const app = await t.app.ctx.apps.create(w.developer.id, { slug, name, initialMetadata });
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const installed = await call(t.app, keyholder, 'POST', `/api/locks/${w.lock.id}/extensions`, { slug });
    assert.equal(installed.statusCode, 201, installed.body);
    const sessionId = installed.json().sessionId as string;
    const { key } = await t.app.ctx.keys.create(w.developer.id, { name: 'k', appId: app.id });
    const { mainToken } = await t.app.ctx.mainTokens.issue(w.wearer.id, sessionId);
    return { sessionId, appKey: key, mainToken };
  }

  describe('validation of PATCH metadata; refusals change nothing', () => {
    it('25 blockers are fine; 26 → 400', async () => {
      const w = await world();
      const blockers = Array.from({ length: 25 }, (_, i) => `Blocker ${i}`);
      const res = await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: blockers }));
      assert.deepEqual(res.unlockBlockers, blockers);
      const before = await metadata(w);
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: [...blockers, 'one more'] }), 400, 'invalid_request');
      assert.deepEqual(await metadata(w), before);
    });

    it('a blocker of 200 chars is fine; 201 → 400; an empty string → 400; a non-string → 400', async () => {
      const w = await world();
      await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['x'.repeat(200)] }));
      const before = await metadata(w);
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['x'.repeat(201)] }), 400, 'invalid_request');
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: [''] }), 400, 'invalid_request');
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['ok', ''] }), 400, 'invalid_request');
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: [42] }), 400, 'invalid_request');
      expectError(await ext(w, 'PATCH', '/metadata', { unlockBlockers: 'Finish extension task' }), 400, 'invalid_request');
      assert.deepEqual(await metadata(w), before);
    });

    it('10 home actions are fine; 11 → 400', async () => {
      const w = await world();
      const actions = Array.from({ length: 10 }, (_, i) => action(`a${i}`));
      const res = await ok(await ext(w, 'PATCH', '/metadata', { homeActions: actions }));
      assert.deepEqual(res.homeActions, actions);
      const before = await metadata(w);
      expectError(await ext(w, 'PATCH', '/metadata', { homeActions: [...actions, action('a10')] }), 400, 'invalid_request');
      assert.deepEqual(await metadata(w), before);
    });

    it('duplicate slugs, bad slugs, bad titles and unknown fields → 400', async () => {
      const w = await world();
      await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['keep me'], homeActions: [action('keep')] }));
      const before = await metadata(w);
      const refused: unknown[] = [
        { homeActions: [action('same'), action('same')] },
        { unlockBlockers: [], homeActions: [action('x'), action('y'), action('x')] },
        { homeActions: [action('Play')] },
        { homeActions: [action('play now')] },
        { homeActions: [action('')] },
        { homeActions: [action('x'.repeat(65))] },
        { homeActions: [action('a.b')] },
        { homeActions: [{ slug: 'no-title' }] },
        { homeActions: [action('t', { title: '' })] },
        { homeActions: [action('t', { title: 'x'.repeat(81) })] },
        { homeActions: [action('d', { description: 'x'.repeat(281) })] },
        { homeActions: [action('u', { colour: 'red' })] },
        { homeActions: [action('i', { intent: { type: 'play', extra: true } })] },
        { homeActions: [action('i', { intent: { title: 'no type' } })] },
        { unlockBlockers: [], somethingElse: true },
        { metadata: { unlockBlockers: [] } },
        { homeActions: { slug: 'not-an-array', title: 'x' } },
        [],
      ];
      for (const body of refused) {
        expectError(await ext(w, 'PATCH', '/metadata', body), 400, 'invalid_request');
      }
      assert.deepEqual(await metadata(w), before);
    });

    it('slugs with digits, dashes and underscores are fine, up to 64 chars', async () => {
      const w = await world();
      const actions = [action('play-memory_challenge-2'), action('x'.repeat(64))];
      assert.deepEqual((await ok(await ext(w, 'PATCH', '/metadata', { homeActions: actions }))).homeActions, actions);
    });
  });

  describe('PATCH replaces only the arrays it names', () => {
    it('homeActions alone keeps unlockBlockers, and vice versa; {} changes nothing', async () => {
      const w = await world();
      await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['b1', 'b2'], homeActions: [action('h1')] }));
      const m1 = await ok(await ext(w, 'PATCH', '/metadata', { homeActions: [action('h2'), action('h3')] }));
      assert.deepEqual(m1.unlockBlockers, ['b1', 'b2']);
      assert.deepEqual(m1.homeActions, [action('h2'), action('h3')]);
      const m2 = await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['b3'] }));
      assert.deepEqual(m2.unlockBlockers, ['b3']);
      assert.deepEqual(m2.homeActions, [action('h2'), action('h3')]);
      const m3 = await ok(await ext(w, 'PATCH', '/metadata', {}));
      assert.deepEqual(m3.unlockBlockers, ['b3']);
      assert.deepEqual(m3.homeActions, [action('h2'), action('h3')]);
      const got = await metadata(w);
      assert.deepEqual(got.unlockBlockers, ['b3']);
      assert.deepEqual(got.homeActions, [action('h2'), action('h3')]);
      const cleared = await ok(await ext(w, 'PATCH', '/metadata', { unlockBlockers: [], homeActions: [] }));
      assert.deepEqual(cleared.unlockBlockers, []);
      assert.deepEqual(cleared.homeActions, []);
      assert.equal(cleared.unlockBlocked, false);
    });
  });

  describe('two extensions on one lock', () => {
    it('each owns its blockers; both are aggregated; unlock stays blocked until both clear', async () => {
      const w = await world({ lock: { durationSeconds: 0 } });
      const a = backendOf(w);
      const b = await secondExtension(w, `second-${w.app.slug}`, 'Second Extension');
      await ok(await ext(a, 'PATCH', '/metadata', { unlockBlockers: ['A: win 3 games'] }));
      await ok(await ext(b, 'PATCH', '/metadata', { unlockBlockers: ['B: upload proof', 'B: check in'] }));

      const ma = await metadata(a);
      const mb = await metadata(b);
      assert.deepEqual(ma.unlockBlockers, ['A: win 3 games']);
      assert.deepEqual(mb.unlockBlockers, ['B: upload proof', 'B: check in']);
      const summary = (m: { aggregatedUnlockBlockers: Array<{ extensionSlug: string; blocker: string; kind: string; sessionId: string }> }) =>
        m.aggregatedUnlockBlockers.map((x) => `${x.extensionSlug}|${x.sessionId}|${x.kind}|${x.blocker}`).sort();
      const expected = [
        `${w.app.slug}|${a.sessionId}|manual|A: win 3 games`,
        `second-${w.app.slug}|${b.sessionId}|manual|B: upload proof`,
        `second-${w.app.slug}|${b.sessionId}|manual|B: check in`,
      ].sort();
      assert.deepEqual(summary(ma), expected);
      assert.deepEqual(summary(mb), expected);
      assert.equal(ma.unlockBlocked, true);
      assert.equal(mb.unlockBlocked, true);
      assert.equal(ma.aggregatedUnlockBlockers.find((x: { extensionSlug: string }) => x.extensionSlug === w.app.slug).extensionName, 'Sandbox Extension');

      for (const s of [await session(a), await session(b)]) {
        assert.equal(s.lockData.unlockable, false);
        assert.ok(s.lockData.unlockBlockedReasons.includes('extension_blocker'), s.lockData.unlockBlockedReasons.join(','));
        assert.equal(s.metadata.unlockBlocked, true);
      }

      // A clears its own: B still blocks.
      const clearedA = await ok(await ext(a, 'PATCH', '/metadata', { unlockBlockers: [] }));
      assert.deepEqual(clearedA.unlockBlockers, []);
      assert.equal(clearedA.unlockBlocked, true);
      assert.deepEqual(summary(clearedA), expected.filter((e) => e.startsWith('second-')));
      assert.deepEqual((await metadata(b)).unlockBlockers, ['B: upload proof', 'B: check in'], 'A cannot touch B’s blockers');
      const stillBlocked = await session(a);
      assert.equal(stillBlocked.lockData.unlockable, false);
      assert.ok(stillBlocked.lockData.unlockBlockedReasons.includes('extension_blocker'));

      // B clears too: no extension blocks any more (and this lock has no time left).
      await ok(await ext(b, 'PATCH', '/metadata', { unlockBlockers: [] }));
      for (const bk of [a, b]) {
        const m = await metadata(bk);
        assert.deepEqual(m.aggregatedUnlockBlockers, []);
        assert.equal(m.unlockBlocked, false);
        const s = await session(bk);
        assert.ok(!s.lockData.unlockBlockedReasons.includes('extension_blocker'), s.lockData.unlockBlockedReasons.join(','));
        assert.deepEqual(s.lockData.unlockBlockedReasons, []);
        assert.equal(s.lockData.unlockable, true);
      }
    });

    it('a removed extension’s blockers no longer count', async () => {
      const w = await world({ lock: { durationSeconds: 0 } });
      const b = await secondExtension(w, `gone-${w.app.slug}`, 'Gone Extension');
      await ok(await ext(b, 'PATCH', '/metadata', { unlockBlockers: ['B blocks'] }));
      assert.equal((await metadata(w)).unlockBlocked, true);
      const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
      assert.equal((await call(t.app, keyholder, 'DELETE', `/api/locks/${w.lock.id}/extensions/gone-${w.app.slug}`)).statusCode, 204);
      const m = await metadata(w);
      assert.deepEqual(m.aggregatedUnlockBlockers, []);
      assert.equal(m.unlockBlocked, false);
      assert.equal((await session(w)).lockData.unlockable, true);
    });
  });

  describe('initialMetadata and requirements progress', () => {
    const initialMetadata = {
      unlockRequirements: [{ metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock' }],
      homeActions: [
        {
          slug: 'play-memory-challenge',
          title: 'Play memory challenge',
          description: 'Complete the extension challenge to satisfy the unlock requirement.',
          icon: 'gamepad-2',
          badge: 'Required',
        },
      ],
    };

    it('blocks from the start; counts trusted progress; satisfied at requiredCount', async () => {
      const w = await world({ extension: { initialMetadata }, lock: { durationSeconds: 0 } });
      const m0 = await metadata(w);
      assert.deepEqual(m0.unlockBlockers, []);
      assert.deepEqual(m0.homeActions, initialMetadata.homeActions);
      assert.deepEqual(m0.unlockRequirements, [{ metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock', count: 0, satisfied: false }]);
      assert.equal(m0.aggregatedUnlockBlockers.length, 1);
      assert.deepEqual(m0.aggregatedUnlockBlockers[0], {
        sessionId: w.session.id,
        extensionSlug: w.app.slug,
        extensionName: 'Sandbox Extension',
        kind: 'requirement',
        blocker: 'Complete 3 memory challenge wins to unlock',
        metric: 'memory_win',
        count: 0,
        requiredCount: 3,
      });
      assert.equal(m0.unlockBlocked, true);
      const s0 = await session(w);
      assert.equal(s0.lockData.unlockable, false);
      assert.ok(s0.lockData.unlockBlockedReasons.includes('requirement_unsatisfied'), s0.lockData.unlockBlockedReasons.join(','));

      const p1 = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1 }), 201);
      assert.equal(p1.metric, 'memory_win');
      assert.equal(p1.amount, 1);
      assert.equal(p1.total, 1);
      assert.deepEqual(p1.unlockRequirement, { metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock', count: 1, satisfied: false });
      const m1 = await metadata(w);
      assert.equal(m1.unlockRequirements[0].count, 1, '1 of 3');
      assert.equal(m1.unlockRequirements[0].satisfied, false);
      assert.equal(m1.aggregatedUnlockBlockers[0].count, 1);
      assert.equal(m1.unlockBlocked, true);

      await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win' }), 201); // amount defaults to 1
      const p3 = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1 }), 201);
      assert.equal(p3.total, 3);
      assert.equal(p3.unlockRequirement.satisfied, true);
      const m3 = await metadata(w);
      assert.deepEqual(m3.unlockRequirements, [{ metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock', count: 3, satisfied: true }]);
      assert.deepEqual(m3.aggregatedUnlockBlockers, []);
      assert.equal(m3.unlockBlocked, false);
      const s3 = await session(w);
      assert.ok(!s3.lockData.unlockBlockedReasons.includes('requirement_unsatisfied'));
      assert.equal(s3.lockData.unlockable, true);
    });

    it('unknown metric → 422 unknown_metric; occurredAt > 5 min ahead → 400; nothing recorded', async () => {
      const w = await world({ extension: { initialMetadata } });
      const count = async () => Number((await t.db.database.db.selectFrom('requirement_progress').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', w.session.id).executeTakeFirstOrThrow()).n);
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'chess_win', amount: 1 }), 422, 'unknown_metric');
      const now = t.clock.now();
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1, occurredAt: new Date(now + 5 * 60_000 + 1000).toISOString() }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1, occurredAt: new Date(now + 86_400_000).toISOString() }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 0 }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', occurredAt: 'yesterday' }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/requirements/progress', { amount: 1 }), 400, 'invalid_request');
      assert.equal(await count(), 0);
      assert.equal((await metadata(w)).unlockRequirements[0].count, 0);
      // A little clock skew (under 5 minutes) is accepted.
      const skewed = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1, occurredAt: new Date(now + 4 * 60_000).toISOString() }), 201);
      assert.equal(skewed.occurredAt, new Date(now + 4 * 60_000).toISOString());
      assert.equal(await count(), 1);
    });
  });

  describe('custom logs', () => {
    it('POST logs/custom → 201 and appears in the lock history with role extension and the slug', async () => {
      const w = await world();
      const wearer = await login(t.app, w.wearer.username, w.wearer.password);
      const body = { title: 'Memory challenge won', description: 'Round 3 of 3 completed in 41 s.', icon: 'trophy', color: '#ff0000', role: 'extension' };
      const created = await ok(await ext(w, 'POST', '/logs/custom', body), 201);
      assert.equal(created.lockId, w.lock.id);
      assert.equal(created.extensionSlug, w.app.slug);
      assert.equal(created.role, 'extension');
      const history = (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/history`)).json().results;
      const entry = history.find((e: { id: string }) => e.id === created.id);
      assert.ok(entry, JSON.stringify(history));
      assert.equal(entry.role, 'extension');
      assert.equal(entry.actor.extensionSlug, w.app.slug);
      assert.equal(entry.title, body.title);
      assert.equal(entry.description, body.description);
      assert.equal(entry.icon, 'trophy');
      assert.equal(entry.color, '#ff0000');
      // The keyholder sees it too.
      const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
      assert.ok((await call(t.app, keyholder, 'GET', `/api/locks/${w.lock.id}/history`)).json().results.some((e: { id: string }) => e.id === created.id));
    });

    it('color "red" → 400; a title of 181 chars → 400; nothing written', async () => {
      const w = await world();
      const wearer = await login(t.app, w.wearer.username, w.wearer.password);
      const historyCount = async () => (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/history?limit=100`)).json().results.length;
      const before = await historyCount();
      expectError(await ext(w, 'POST', '/logs/custom', { title: 'Colour', color: 'red' }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/logs/custom', { title: 'Colour', color: '#ff00' }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/logs/custom', { title: 'x'.repeat(181) }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/logs/custom', { title: '' }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/logs/custom', { title: 'Role', role: 'admin' }), 400, 'invalid_request');
      expectError(await ext(w, 'POST', '/logs/custom', { title: 'Long', description: 'x'.repeat(2001) }), 400, 'invalid_request');
      assert.equal(await historyCount(), before);
      // The edges are accepted: 180-char title, #rgb colour.
      await ok(await ext(w, 'POST', '/logs/custom', { title: 'x'.repeat(180), color: '#f00' }), 201);
      assert.equal(await historyCount(), before + 1);
    });
  });

  describe('audit trail', () => {
    it('a PATCH and a refused PATCH are audited, visible to the developer and the lock’s participants only', async () => {
      const w = await world();
      const good = await ext(w, 'PATCH', '/metadata', { unlockBlockers: ['audited'] });
      assert.equal(good.statusCode, 200, good.body);
      const bad = await ext(w, 'PATCH', '/metadata', { unlockBlockers: 'not an array' });
      expectError(bad, 400, 'invalid_request');
      const goodId = String(good.headers['x-request-id']);
      const badId = String(bad.headers['x-request-id']);
      assert.notEqual(goodId, badId);

      type Entry = { requestId: string; credential: string; outcome: string; status: number; method: string; route: string; appId: string; lockId: string; sessionId: string; userId: string; errorCode: string | null };
      const check = (entries: Entry[]) => {
        const g = entries.find((e) => e.requestId === goodId);
        const r = entries.find((e) => e.requestId === badId);
        assert.ok(g && r, JSON.stringify(entries));
        for (const e of [g, r]) {
          assert.equal(e.credential, 'app_key+main_token');
          assert.equal(e.method, 'PATCH');
          assert.equal(e.route, '/api/extensions/sessions/:sessionId/metadata');
          assert.equal(e.appId, w.app.id);
          assert.equal(e.lockId, w.lock.id);
          assert.equal(e.sessionId, w.session.id);
          assert.equal(e.userId, w.wearer.id);
        }
        assert.equal(g.outcome, 'success');
        assert.equal(g.status, 200);
        assert.equal(r.outcome, 'refused');
        assert.equal(r.status, 400);
        assert.equal(r.errorCode, 'invalid_request');
      };

      const developer = await login(t.app, w.developer.username, w.developer.password);
      const devRes = await call(t.app, developer, 'GET', `/api/developer/apps/${w.app.id}/audit`);
      assert.equal(devRes.statusCode, 200, devRes.body);
      check(devRes.json().results);

      for (const who of [w.wearer, w.keyholder!]) {
        const s = await login(t.app, who.username, who.password);
        const res = await call(t.app, s, 'GET', `/api/locks/${w.lock.id}/audit`);
        assert.equal(res.statusCode, 200, res.body);
        check(res.json().results);
      }

      const stranger = await register(t.app);
      expectError(await call(t.app, stranger, 'GET', `/api/developer/apps/${w.app.id}/audit`), 404, 'not_found');
      expectError(await call(t.app, stranger, 'GET', `/api/locks/${w.lock.id}/audit`), 404, 'not_found');
      // Participants are not the app's developer, and the developer is not a participant.
      const wearer = await login(t.app, w.wearer.username, w.wearer.password);
      expectError(await call(t.app, wearer, 'GET', `/api/developer/apps/${w.app.id}/audit`), 404, 'not_found');
      expectError(await call(t.app, developer, 'GET', `/api/locks/${w.lock.id}/audit`), 404, 'not_found');
    });
  });

  describe('bridge doc (spec 002): notifications.custom with target "both"', () => {
    it('the wearer and the keyholder each get one extension_app_message', async () => {
      const w = await world();
      // The payload of the spec's bridge example, verbatim.
      const payload = `{
"title": "Extension Reminder",
"message": "Your next challenge is ready.",
"showPageOverlay": false,
"target": "both"
}`;
      const res = await ok(await ext(w, 'POST', '/notifications/custom', payload), 201);
      assert.equal(res.type, 'extension_app_message');
      assert.equal(res.target, 'both');
      assert.deepEqual(res.notifications.map((n: { userId: string }) => n.userId).sort(), [w.wearer.id, w.keyholder!.id].sort());
      for (const who of [w.wearer, w.keyholder!]) {
        const s = await login(t.app, who.username, who.password);
        const mine = (await call(t.app, s, 'GET', '/api/notifications')).json().results.filter((n: { type: string }) => n.type === 'extension_app_message');
        assert.equal(mine.length, 1, `${who.username}: ${JSON.stringify(mine)}`);
        assert.equal(mine[0].title, 'Extension Reminder');
        assert.equal(mine[0].message, 'Your next challenge is ready.');
        assert.equal(mine[0].showPageOverlay, false);
        assert.equal(mine[0].lockId, w.lock.id);
      }
    });
  });
});

describe(`spec 001 curl examples, replayed verbatim (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true } });
  const { world, ext, ok, metadata, session } = harness(() => t);

  it('PATCH metadata: set blockers + a home action with intent, then clear', async () => {
    const w = await world();
    const set = await ext(
      w,
      'PATCH',
      '/metadata',
      `{
"unlockBlockers": [
"Complete 3 memory challenge wins to unlock"
],
"homeActions": [
{
"slug": "play-memory-challenge",
"title": "Play memory challenge",
"description": "Complete the extension challenge to satisfy the unlock requirement.",
"icon": "gamepad-2",
"badge": "Required",
"intent": {
"type": "play",
"title": "Memory challenge",
"message": "Complete the required challenge."
}
}
]
}`,
    );
    const m1 = await ok(set);
    const expectedAction = {
      slug: 'play-memory-challenge',
      title: 'Play memory challenge',
      description: 'Complete the extension challenge to satisfy the unlock requirement.',
      icon: 'gamepad-2',
      badge: 'Required',
      intent: { type: 'play', title: 'Memory challenge', message: 'Complete the required challenge.' },
    };
    assert.deepEqual(m1.unlockBlockers, ['Complete 3 memory challenge wins to unlock']);
    assert.deepEqual(m1.homeActions, [expectedAction]);
    assert.equal(m1.unlockBlocked, true);
    assert.deepEqual(await metadata(w), m1);
    const s1 = await session(w);
    assert.deepEqual(s1.metadata, m1);
    assert.ok(s1.lockData.unlockBlockedReasons.includes('extension_blocker'));

    const clear = await ext(
      w,
      'PATCH',
      '/metadata',
      `{
"unlockBlockers": [],
"homeActions": [
{
"slug": "play-memory-challenge",
"title": "Memory challenge complete",
"description": "The extension unlock requirement has been completed.",
"icon": "check-circle",
"badge": "Complete"
}
]
}`,
    );
    const m2 = await ok(clear);
    assert.deepEqual(m2.unlockBlockers, []);
    assert.deepEqual(m2.homeActions, [
      { slug: 'play-memory-challenge', title: 'Memory challenge complete', description: 'The extension unlock requirement has been completed.', icon: 'check-circle', badge: 'Complete' },
    ]);
    assert.deepEqual(m2.aggregatedUnlockBlockers, []);
    assert.equal(m2.unlockBlocked, false);
    assert.ok(!(await session(w)).lockData.unlockBlockedReasons.includes('extension_blocker'));
  });

  it('POST requirements/progress: memory_win, and completion with occurredAt', async () => {
    (t.clock as unknown as ManualClock).set(Date.parse('2026-06-01T00:00:00Z'));
    const w = await world({
      extension: {
        initialMetadata: JSON.parse(SPEC_INITIAL_METADATA).initialMetadata,
        config: JSON.parse(SPEC_REQUIREMENTS),
      },
    });
    assert.deepEqual((await session(w)).config, JSON.parse(SPEC_REQUIREMENTS));

    const memory = await ok(
      await ext(
        w,
        'POST',
        '/requirements/progress',
        `{
"metric": "memory_win",
"amount": 1
}`,
      ),
      201,
    );
    assert.equal(memory.metric, 'memory_win');
    assert.equal(memory.total, 1);
    assert.equal(memory.unlockRequirement.count, 1);
    assert.equal(memory.unlockRequirement.requiredCount, 3);
    assert.equal(memory.unlockRequirement.satisfied, false);
    assert.equal((await metadata(w)).unlockRequirements[0].count, 1, '1 of 3 complete');

    const completion = await ok(
      await ext(
        w,
        'POST',
        '/requirements/progress',
        `{
"metric": "completion",
"amount": 1,
"occurredAt": "2026-05-31T18:42:41.715Z"
}`,
      ),
      201,
    );
    assert.equal(completion.metric, 'completion');
    assert.equal(completion.amount, 1);
    assert.equal(completion.occurredAt, '2026-05-31T18:42:41.715Z');
    assert.equal(completion.total, 1);
    assert.equal(completion.unlockRequirement, null, 'completion is a required-progress metric, not an unlock requirement');
    const row = await t.db.database.db.selectFrom('requirement_progress').selectAll().where('session_id', '=', w.session.id).where('metric', '=', 'completion').executeTakeFirstOrThrow();
    assert.equal(Number(row.occurred_at), Date.parse('2026-05-31T18:42:41.715Z'));
  });
});
