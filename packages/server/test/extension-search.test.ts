import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, fixtureWorld, register, snapshot, testApp, type Session, type TestApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * `POST /api/extensions/sessions/search` as spec 004 describes it: the running sessions of the
 * key's own extension, filtered by lock status (default `locked`), paged by `paginationLastId`
 * with `count`, `hasMore` and `results[].paginationId`; and each result's `capabilities` telling
 * what the searching credentials may do with that session. Runs on SQLite, or on PostgreSQL with
 * LATCH_TEST_DB=postgres.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

describe(`POST /api/extensions/sessions/search (spec 004) (${TEST_DB})`, () => {
  let t: TestApp;
  let w: World;
  let other: World;
  /** Session ids of the app, by the status of their lock. */
  const byStatus: Record<'locked' | 'unlocked' | 'deserted', string[]> = { locked: [], unlocked: [], deserted: [] };
  let removedSessionId: string;
  /** A locked session whose wearer granted the app background access. */
  let granted: { sessionId: string; lockId: string; wearer: Session };

  before(async () => {
    t = await testApp({ config: { dev: true, rateLimitMultiplier: 100 } });
    w = await fixtureWorld(t.app, {});
    other = await fixtureWorld(t.app, {});
    byStatus.locked.push(w.session.id);
    // Six more self-locks with the app: 2 stay locked, 2 are unlocked, 1 is deserted, 1 has the extension removed.
    const made: Array<{ lockId: string; sessionId: string; wearer: Session }> = [];
    for (let i = 0; i < 6; i++) {
      const wearer = await register(t.app);
      const lock = ok(await call(t.app, wearer, 'POST', '/api/locks', { title: `search ${i}`, durationSeconds: 60, extensions: [{ slug: w.app.slug }] }), 201);
      const sessionId = (lock.extensions as Json[]).find((e) => e.slug === w.app.slug)!.sessionId as string;
      made.push({ lockId: lock.id, sessionId, wearer });
    }
    t.clock.advance(120_000);
    byStatus.locked.push(made[0]!.sessionId, made[1]!.sessionId);
    for (const m of made.slice(2, 4)) {
      ok(await call(t.app, m.wearer, 'POST', `/api/locks/${m.lockId}/unlock`));
      byStatus.unlocked.push(m.sessionId);
    }
    // Nothing in the API deserts a lock yet; the status is the lock's.
    await t.db.database.db.updateTable('locks').set({ status: 'deserted' }).where('id', '=', made[4]!.lockId).execute();
    byStatus.deserted.push(made[4]!.sessionId);
    expectStatus(await call(t.app, made[5]!.wearer, 'DELETE', `/api/locks/${made[5]!.lockId}/extensions/${w.app.slug}`), 204);
    removedSessionId = made[5]!.sessionId;
    granted = made[1]!;
    ok(await call(t.app, granted.wearer, 'PUT', `/api/locks/${granted.lockId}/extensions/${w.app.slug}/background`, { granted: true }));
  });
  after(() => t.close());

  function ok(res: Res, status = 200): Json {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Json;
  }
  function expectStatus(res: Res, status: number) {
    assert.equal(res.statusCode, status, res.body);
  }

  const search = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${w.app.appKey}` }) =>
    t.app.inject({ method: 'POST', url: '/api/extensions/sessions/search', headers, payload: body as object });
  const sorted = (ids: string[]) => [...ids].sort();
  const all = () => sorted([...byStatus.locked, ...byStatus.unlocked, ...byStatus.deserted]);

  it('the spec 004 body verbatim: the ongoing sessions of my extension, with count, hasMore and paginationId', async () => {
    const page = ok(await search({ status: 'locked', extensionSlug: w.app.slug, limit: 15, paginationLastId: null }));
    assert.equal(page.count, 3);
    assert.equal(page.hasMore, false);
    const ids = (page.results as Json[]).map((r) => r.sessionId as string);
    assert.deepEqual(ids, sorted(byStatus.locked), 'ascending by id, only locked, never the removed one');
    for (const r of page.results as Json[]) {
      assert.equal(r.paginationId, r.sessionId);
      assert.equal(r.extension.slug, w.app.slug);
      assert.equal(r.status, 'locked');
      assert.equal(r.lockData.locked, true);
    }
  });

  it('status: locked by default; unlocked, deserted and all', async () => {
    const ids = async (body: Json) => {
      const page = ok(await search({ extensionSlug: w.app.slug, ...body }));
      assert.equal(page.count, page.results.length);
      return (page.results as Json[]).map((r) => r.sessionId as string);
    };
    assert.deepEqual(await ids({}), sorted(byStatus.locked));
    assert.deepEqual(await ids({ status: 'unlocked' }), sorted(byStatus.unlocked));
    assert.deepEqual(await ids({ status: 'deserted' }), sorted(byStatus.deserted));
    assert.deepEqual(await ids({ status: 'all' }), all());
    assert.ok(!(await ids({ status: 'all' })).includes(removedSessionId), 'a removed extension has no session to search');
  });

  it('pages of `limit` follow paginationLastId to the end: every session once, count the total on each page', async () => {
    const seen: string[] = [];
    const pages: Array<{ n: number; hasMore: boolean; count: number }> = [];
    let last: string | null = null;
    for (;;) {
      const page = ok(await search({ extensionSlug: w.app.slug, status: 'all', limit: 2, paginationLastId: last }));
      pages.push({ n: page.results.length, hasMore: page.hasMore, count: page.count });
      seen.push(...(page.results as Json[]).map((r) => r.sessionId as string));
      if (!page.hasMore) break;
      last = page.results.at(-1).paginationId;
    }
    assert.deepEqual(pages, [
      { n: 2, hasMore: true, count: 6 },
      { n: 2, hasMore: true, count: 6 },
      { n: 2, hasMore: false, count: 6 },
    ]);
    assert.deepEqual(seen, all());
    const past = ok(await search({ extensionSlug: w.app.slug, status: 'all', paginationLastId: seen.at(-1) }));
    assert.deepEqual([past.results.length, past.hasMore, past.count], [0, false, 6]);
    // Up to 15 by default.
    assert.equal(ok(await search({ extensionSlug: w.app.slug, status: 'all' })).results.length, 6);
  });

  it('only the key’s own app: another slug is 403 session_mismatch; another app’s key sees only its own sessions', async () => {
    expectError(await search({ extensionSlug: other.app.slug }), 403, 'session_mismatch');
    expectError(await search({ extensionSlug: w.app.slug }, { authorization: `Bearer ${other.app.appKey}` }), 403, 'session_mismatch');
    const theirs = ok(await search({ extensionSlug: other.app.slug, status: 'all' }, { authorization: `Bearer ${other.app.appKey}` }));
    assert.deepEqual((theirs.results as Json[]).map((r) => r.sessionId), [other.session.id]);
    expectError(await search({ extensionSlug: w.app.slug }, { authorization: `Bearer ${w.wearer.userKey}` }), 403, 'app_scoped_key_required');
    expectError(await search({ extensionSlug: w.app.slug }, {}), 401, 'missing_credentials');
  });

  it('bad bodies are 400 invalid_request and change nothing', async () => {
    const before = await snapshot(t.db.database);
    for (const bad of [
      {},
      { extensionSlug: '' },
      { extensionSlug: w.app.slug, limit: 0 },
      { extensionSlug: w.app.slug, limit: 101 },
      { extensionSlug: w.app.slug, limit: 1.5 },
      { extensionSlug: w.app.slug, limit: 'five' },
      { extensionSlug: w.app.slug, status: 'open' },
      { extensionSlug: w.app.slug, paginationLastId: 'abc' },
      { extensionSlug: w.app.slug, unknownField: true },
    ]) {
      expectError(await search(bad), 400, 'invalid_request');
    }
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('capabilities say what the searching credentials may do with each session, and it holds when they try', async () => {
    const bySession = (page: Json) => new Map((page.results as Json[]).map((r) => [r.sessionId as string, r]));

    // The app key alone: only the session that granted background access may be changed, as its granter.
    const alone = bySession(ok(await search({ extensionSlug: w.app.slug })));
    for (const [id, r] of alone) {
      const isGranted = id === granted.sessionId;
      assert.equal(r.capabilities.backendMutations, isGranted, id);
      assert.equal(r.capabilities.background, isGranted, id);
      assert.equal(r.role, isGranted ? 'wearer' : null, id);
    }
    const appKey = { authorization: `Bearer ${w.app.appKey}` };
    ok(await t.app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${granted.sessionId}/state`, headers: appKey, payload: { data: { n: 1 } } }));
    expectError(await t.app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${w.session.id}/state`, headers: appKey, payload: { data: { n: 1 } } }), 401, 'main_token_required');

    // With the wearer's main token of the fixture session: that session only, in the launch's role.
    const withToken = { ...appKey, 'x-chastify-main-token': w.mainTokens.wearer };
    const launched = bySession(ok(await search({ extensionSlug: w.app.slug }, withToken)));
    for (const [id, r] of launched) {
      assert.equal(r.capabilities.backendMutations, id === w.session.id, id);
      assert.equal(r.capabilities.background, id === granted.sessionId, 'the grant is shown whoever asks');
      assert.equal(r.role, id === w.session.id ? 'wearer' : null, id);
    }
    ok(await t.app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${w.session.id}/state`, headers: withToken, payload: { data: { n: 2 } } }));
    expectError(await t.app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${granted.sessionId}/state`, headers: withToken, payload: { data: { n: 2 } } }), 403, 'session_mismatch');

    // GET session agrees with search.
    const one = ok(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${granted.sessionId}`, headers: appKey }));
    assert.deepEqual([one.capabilities.backendMutations, one.capabilities.background, one.role], [true, true, 'wearer']);

    // Taken back: the search says so at once.
    ok(await call(t.app, granted.wearer, 'PUT', `/api/locks/${granted.lockId}/extensions/${w.app.slug}/background`, { granted: false }));
    const after = bySession(ok(await search({ extensionSlug: w.app.slug }))).get(granted.sessionId)!;
    assert.deepEqual([after.capabilities.backendMutations, after.capabilities.background, after.role], [false, false, null]);
  });
});
