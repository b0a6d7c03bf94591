import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, register, suiteApp, TEST_DB, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * The External API (`/api/apps/v1/*`, spec 000 "Backend token APIs"): every URL with the wearer's
 * user-wide key, error bodies with `error` as the code string, the active-lock choice
 * (`x-chastify-lock-id`, most recent by default), the role policy of DECISIONS §4 under the
 * keyholder's "trust external programs" switch, credentials, and concurrent time changes.
 * Runs on SQLite, or on PostgreSQL with LATCH_TEST_DB=postgres.
 */

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

describe(`External API /api/apps/v1 (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });

  const world = (body?: Record<string, unknown>) => fixtureWorld(t.app, body);

  /** A script's call: `Authorization: Bearer <key>` (none with key null); a string payload is sent as-is. */
  function v1(key: string | null, method: Method, path: string, payload?: unknown, headers: Record<string, string> = {}) {
    return t.app.inject({
      method,
      url: `/api/apps/v1${path}`,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  }

  function ok(res: Res, status = 200) {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  }

  /** The /api/apps/v1 error shape: `error` is the code string, next to code, message, requestId. */
  function appsError(res: Res, status: number, code: string) {
    const body = expectError(res, status, code);
    assert.equal(body.error, code, `error must be the code string: ${res.body}`);
    return body;
  }

  async function lockRow(id: string) {
    return t.db.database.db.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function tasksOf(id: string) {
    return t.db.database.db.selectFrom('tasks').selectAll().where('lock_id', '=', id).orderBy('id').execute();
  }

  /** A refusal that leaves the lock row and its tasks exactly as they were. */
  async function refused(lockId: string, send: () => Promise<Res>, status: number, code: string) {
    const before = { lock: await lockRow(lockId), tasks: await tasksOf(lockId) };
    appsError(await send(), status, code);
    assert.deepEqual({ lock: await lockRow(lockId), tasks: await tasksOf(lockId) }, before, `${code}: the refusal changed the lock`);
  }

  async function as(acc: Account) {
    return login(t.app, acc.username, acc.password);
  }

  async function lockView(w: World, lockId = w.lock.id) {
    return ok(await call(t.app, await as(w.wearer), 'GET', `/api/locks/${lockId}`));
  }

  async function history(w: World) {
    return ok(await call(t.app, await as(w.wearer), 'GET', `/api/locks/${w.lock.id}/history?limit=100`)).results as Array<{
      id: string;
      type: string;
      role: string;
      actor: { userId: string | null; extensionSlug: string | null } | null;
      title: string;
      description: string;
      color: string | null;
      icon: string | null;
    }>;
  }

  async function remaining(key: string, headers: Record<string, string> = {}) {
    return ok(await v1(key, 'GET', '/session', undefined, headers)).lockData.timeRemainingSeconds as number | null;
  }

  const now = () => t.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  async function trust(w: World, on = true) {
    const kh = await as(w.keyholder!);
    const res = ok(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'settings.patch', params: { trustExternalPrograms: on } }));
    assert.equal(res.lock.settings.trustExternalPrograms, on);
  }

  describe('every URL of spec 000 with the wearer’s user-wide key', () => {
    it('GET session: 200, lock._id is the lock, role wearer, lockData', async () => {
      const w = await world();
      const s = ok(await v1(w.wearer.userKey, 'GET', '/session'));
      assert.equal(s.lock._id, w.lock.id);
      assert.equal(s.lockId, w.lock.id);
      assert.equal(s.role, 'wearer');
      assert.equal(s.status, 'locked');
      assert.match(s.sessionId, /^[0-9a-f]{24}$/);
      assert.equal(s.lockData.timeRemainingSeconds, 86400);
      assert.equal(s.lockData.wearerUsername, w.wearer.username);
      assert.equal(s.lockData.keyholderUsername, w.keyholder!.username);
      assert.equal(s.lockData.trusted, false);
      assert.equal(s.lockData.locked, true);
      // The same session on every call.
      assert.equal(ok(await v1(w.wearer.userKey, 'GET', '/session')).sessionId, s.sessionId);
      // A GET with Content-Type: application/json and no body is fine (DECISIONS §2).
      ok(await t.app.inject({ method: 'GET', url: '/api/apps/v1/session', headers: { authorization: `Bearer ${w.wearer.userKey}`, 'content-type': 'application/json' } }));
    });

    it('GET/PUT/PATCH state: ETag, merge patch, If-Match; separate from the extension’s state', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      const s0 = await v1(k, 'GET', '/state');
      assert.deepEqual(ok(s0).data, {});
      const e0 = String(s0.headers.etag);
      assert.match(e0, /^(W\/)?".+"$/);
      // Spec 002 state.put / state.patch payloads, verbatim.
      const put = await v1(
        k,
        'PUT',
        '/state',
        `{
"data": {
"counter": 1,
"notes": "first test"
}
}`,
      );
      assert.deepEqual(ok(put).data, { counter: 1, notes: 'first test' });
      const e1 = String(put.headers.etag);
      assert.notEqual(e1, e0);
      const patch = await v1(
        k,
        'PATCH',
        '/state',
        `{
"data": {
"counter": 2
}
}`,
      );
      assert.deepEqual(ok(patch).data, { counter: 2, notes: 'first test' });
      const e2 = String(patch.headers.etag);
      // RFC 7386: null deletes, objects merge.
      assert.deepEqual(ok(await v1(k, 'PATCH', '/state', { data: { notes: null, nested: { a: 1 } } })).data, { counter: 2, nested: { a: 1 } });
      assert.deepEqual(ok(await v1(k, 'PATCH', '/state', { data: { nested: { b: 2 } } })).data, { counter: 2, nested: { a: 1, b: 2 } });
      const got = await v1(k, 'GET', '/state');
      assert.deepEqual(ok(got).data, { counter: 2, nested: { a: 1, b: 2 } });
      // A stale If-Match → 412, nothing written; the current one is honoured.
      appsError(await v1(k, 'PATCH', '/state', { data: { counter: 3 } }, { 'if-match': e2 }), 412, 'precondition_failed');
      appsError(await v1(k, 'PUT', '/state', { data: {} }, { 'if-match': e1 }), 412, 'precondition_failed');
      assert.deepEqual(ok(await v1(k, 'GET', '/state')).data, { counter: 2, nested: { a: 1, b: 2 } });
      const fresh = await v1(k, 'PATCH', '/state', { data: { counter: 3 } }, { 'if-match': String(got.headers.etag) });
      assert.equal(ok(fresh).data.counter, 3);
      // Key rules and the reserved key.
      appsError(await v1(k, 'PATCH', '/state', { data: { $bad: 1 } }), 400, 'invalid_state_key');
      appsError(await v1(k, 'PUT', '/state', { data: { 'a.b': 1 } }), 400, 'invalid_state_key');
      appsError(await v1(k, 'PATCH', '/state', { data: { attemptLimits: {} } }), 400, 'reserved_key');
      // The script's state is its own, not the installed extension's.
      const extState = await t.app.inject({
        method: 'GET',
        url: `/api/extensions/sessions/${w.session.id}/state`,
        headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer },
      });
      assert.deepEqual(ok(extState).data, {});
    });

    it('GET/PATCH metadata: a script blocker holds the lock for everybody, and clears', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      const m0 = ok(await v1(k, 'GET', '/metadata'));
      assert.deepEqual(m0.unlockBlockers, []);
      assert.deepEqual(m0.aggregatedUnlockBlockers, []);
      assert.equal(m0.unlockBlocked, false);
      const m1 = ok(await v1(k, 'PATCH', '/metadata', { unlockBlockers: ['Finish the script challenge'], homeActions: [{ slug: 'script', title: 'Script' }] }));
      assert.deepEqual(m1.unlockBlockers, ['Finish the script challenge']);
      assert.deepEqual(m1.homeActions, [{ slug: 'script', title: 'Script' }]);
      assert.equal(m1.unlockBlocked, true);
      const mine = m1.aggregatedUnlockBlockers.filter((b: { blocker: string }) => b.blocker === 'Finish the script challenge');
      assert.equal(mine.length, 1, JSON.stringify(m1.aggregatedUnlockBlockers));
      assert.equal(mine[0].kind, 'manual');
      assert.deepEqual(ok(await v1(k, 'GET', '/metadata')), m1);
      assert.deepEqual(ok(await v1(k, 'GET', '/session')).metadata, m1);
      // The installed extension sees it in its aggregated blockers and in lockData.
      const ext = ok(
        await t.app.inject({
          method: 'GET',
          url: `/api/extensions/sessions/${w.session.id}`,
          headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer },
        }),
      );
      assert.ok(ext.lockData.unlockBlockedReasons.includes('extension_blocker'), JSON.stringify(ext.lockData));
      assert.ok(ext.metadata.aggregatedUnlockBlockers.some((b: { blocker: string }) => b.blocker === 'Finish the script challenge'));
      assert.deepEqual(ext.metadata.unlockBlockers, [], 'the extension’s own blockers are untouched');
      // The lock page too.
      const status = ok(await call(t.app, await as(w.wearer), 'GET', `/api/locks/${w.lock.id}/status`));
      assert.ok(status.unlock.reasons.includes('extension_blocker'));
      assert.ok(status.unlock.blockers.some((b: { blocker: string }) => b.blocker === 'Finish the script challenge'));
      // PATCH names only unlockBlockers: homeActions stay.
      const m2 = ok(await v1(k, 'PATCH', '/metadata', { unlockBlockers: [] }));
      assert.deepEqual(m2.unlockBlockers, []);
      assert.deepEqual(m2.homeActions, [{ slug: 'script', title: 'Script' }]);
      assert.equal(m2.unlockBlocked, false);
      assert.ok(!ok(await v1(k, 'GET', '/session')).lockData.unlockBlockedReasons.includes('extension_blocker'));
      appsError(await v1(k, 'PATCH', '/metadata', { unlockBlockers: 'not an array' }), 400, 'invalid_request');
    });

    it('POST action: add_time, with a history entry by the external program', async () => {
      const w = await world();
      const res = ok(await v1(w.wearer.userKey, 'POST', '/action', { name: 'add_time', params: 600 }));
      assert.equal(res.ok, true);
      assert.equal(res.action, 'add_time');
      assert.equal(res.lockData.timeRemainingSeconds, 86400 + 600);
      assert.equal(await remaining(w.wearer.userKey), 86400 + 600);
      const entry = (await history(w)).find((e) => e.type === 'time_added');
      assert.ok(entry);
      assert.equal(entry.role, 'external');
      assert.equal(entry.actor?.userId, w.wearer.id);
      appsError(await v1(w.wearer.userKey, 'POST', '/action', { name: 'explode', params: {} }), 400, 'unknown_action');
      appsError(await v1(w.wearer.userKey, 'POST', '/action', { name: 'freeze', params: { durationSeconds: 59 } }), 400, 'invalid_params');
    });

    it('POST lock/apply-time {deltaSeconds: +600} and {deltaSeconds: -300}: exact deltas (self-lock)', async () => {
      const w = await world({ lock: { keyholder: false } });
      const k = w.wearer.userKey;
      const plus = ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 600 }));
      assert.equal(plus.lockData.timeRemainingSeconds, 86400 + 600);
      assert.equal(await remaining(k), 86400 + 600);
      const minus = ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -300 }));
      assert.equal(minus.lockData.timeRemainingSeconds, 86400 + 300);
      assert.equal(await remaining(k), 86400 + 300);
      assert.equal((await lockView(w)).timeRemainingSeconds, 86400 + 300);
      const types = (await history(w)).map((e) => e.type);
      assert.ok(types.includes('time_added') && types.includes('time_removed'), JSON.stringify(types));
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 0 }), 400, 'invalid_params');
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/apply-time', {}), 400, 'invalid_request');
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 1.5 }), 400, 'invalid_request');
    });

    it('POST lock/freeze {} (3600) and {durationSeconds: 120} (re-arms), then lock/unfreeze (self-lock)', async () => {
      const w = await world({ lock: { keyholder: false } });
      const k = w.wearer.userKey;
      const f1 = ok(await v1(k, 'POST', '/lock/freeze', {}));
      assert.equal(f1.lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 3600_000));
      const f2 = ok(await v1(k, 'POST', '/lock/freeze', { durationSeconds: 120 }));
      assert.equal(f2.lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 120_000));
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/freeze', { durationSeconds: 59 }), 400, 'invalid_params');
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/freeze', { durationSeconds: 86401 }), 400, 'invalid_params');
      const u = ok(await v1(k, 'POST', '/lock/unfreeze', {}));
      assert.equal(u.lockData.frozen, false);
      assert.equal((await lockView(w)).frozenUntil, null);
      assert.equal(ok(await v1(k, 'GET', '/session')).lockData.frozen, false);
      // A body-less POST is {} (DECISIONS §2); unfreeze is idempotent.
      const again = ok(await t.app.inject({ method: 'POST', url: '/api/apps/v1/lock/unfreeze', headers: { authorization: `Bearer ${k}` } }));
      assert.equal(again.changed, false);
      const bare = ok(await t.app.inject({ method: 'POST', url: '/api/apps/v1/lock/freeze', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' } }));
      assert.equal(bare.lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 3600_000));
    });

    it('POST logs/custom: role wearer unless given, in the lock history', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      const created = ok(await v1(k, 'POST', '/logs/custom', { title: 'Script ran', description: 'All good', color: '#0f0', icon: 'robot' }), 201);
      assert.equal(created.role, 'wearer');
      assert.equal(created.lockId, w.lock.id);
      const entry = (await history(w)).find((e) => e.id === created.id);
      assert.ok(entry);
      assert.equal(entry.role, 'wearer');
      assert.equal(entry.title, 'Script ran');
      assert.equal(entry.description, 'All good');
      assert.equal(entry.color, '#0f0');
      assert.equal(entry.icon, 'robot');
      const given = ok(await v1(k, 'POST', '/logs/custom', { title: 'As an extension', role: 'extension' }), 201);
      assert.equal(given.role, 'extension');
      assert.equal((await history(w)).find((e) => e.id === given.id)?.role, 'extension');
      appsError(await v1(k, 'POST', '/logs/custom', { title: 'x', color: 'red' }), 400, 'invalid_request');
    });

    it('POST notifications/custom: wearer by default, both on request', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      const one = ok(await v1(k, 'POST', '/notifications/custom', { title: 'Script says hi', message: 'Hello' }), 201);
      assert.equal(one.type, 'extension_app_message');
      assert.deepEqual(
        one.notifications.map((n: { userId: string }) => n.userId),
        [w.wearer.id],
      );
      const both = ok(await v1(k, 'POST', '/notifications/custom', { title: 'To both', message: 'Hi', target: 'both', showPageOverlay: true }), 201);
      assert.deepEqual(both.notifications.map((n: { userId: string }) => n.userId).sort(), [w.wearer.id, w.keyholder!.id].sort());
      const mine = ok(await call(t.app, await as(w.wearer), 'GET', '/api/notifications')).results.filter((n: { type: string }) => n.type === 'extension_app_message');
      assert.deepEqual(mine.map((n: { title: string }) => n.title).sort(), ['Script says hi', 'To both']);
      const theirs = ok(await call(t.app, await as(w.keyholder!), 'GET', '/api/notifications')).results.filter((n: { type: string }) => n.type === 'extension_app_message');
      assert.deepEqual(
        theirs.map((n: { title: string; showPageOverlay: boolean }) => [n.title, n.showPageOverlay]),
        [['To both', true]],
      );
    });
  });

  describe('which lock: no_active_lock_session, x-chastify-lock-id, most recent by default', () => {
    it('a user with a user-wide key and no lock → 409 no_active_lock_session on GET and POST', async () => {
      const s = await register(t.app);
      const created = ok(await call(t.app, s, 'POST', '/api/developer/keys', { name: 'my script' }), 201);
      assert.equal(created.kind, 'user');
      assert.equal(created.appId, null);
      const k = created.key as string;
      const body = appsError(await v1(k, 'GET', '/session'), 409, 'no_active_lock_session');
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'requestId']);
      appsError(await v1(k, 'GET', '/state'), 409, 'no_active_lock_session');
      appsError(await v1(k, 'GET', '/metadata'), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/action', { name: 'add_time', params: 60 }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 60 }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/lock/freeze', {}), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/lock/unfreeze', {}), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/logs/custom', { title: 'x' }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'POST', '/notifications/custom', { title: 'x' }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'PATCH', '/state', { data: { a: 1 } }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'PUT', '/state', { data: { a: 1 } }), 409, 'no_active_lock_session');
      appsError(await v1(k, 'PATCH', '/metadata', { unlockBlockers: [] }), 409, 'no_active_lock_session');
    });

    it('after the keyholder unlocks the lock → 409 no_active_lock_session', async () => {
      const w = await world();
      ok(await v1(w.wearer.userKey, 'GET', '/session'));
      ok(await call(t.app, await as(w.keyholder!), 'POST', `/api/locks/${w.lock.id}/unlock`));
      appsError(await v1(w.wearer.userKey, 'GET', '/session'), 409, 'no_active_lock_session');
      appsError(await v1(w.wearer.userKey, 'GET', '/session', undefined, { 'x-chastify-lock-id': w.lock.id }), 409, 'no_active_lock_session');
      await refused(w.lock.id, () => v1(w.wearer.userKey, 'POST', '/lock/apply-time', { deltaSeconds: 60 }), 409, 'no_active_lock_session');
      await refused(w.lock.id, () => v1(w.wearer.userKey, 'POST', '/action', { name: 'add_time', params: 60 }, { 'x-chastify-lock-id': w.lock.id }), 409, 'no_active_lock_session');
    });

    it('a second lock is the default; x-chastify-lock-id picks the other on GET and POST; foreign ids → 409', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      const second = ok(await call(t.app, await as(w.wearer), 'POST', '/api/locks', { title: 'Second lock', durationSeconds: 7200 }), 201);
      assert.notEqual(second.id, w.lock.id);
      // The most recent active lock is the default.
      const def = ok(await v1(k, 'GET', '/session'));
      assert.equal(def.lock._id, second.id);
      assert.equal(def.lockData.timeRemainingSeconds, 7200);
      assert.equal(def.lockData.lockTitle, 'Second lock');
      // The header picks the first one, on GET …
      const first = ok(await v1(k, 'GET', '/session', undefined, { 'x-chastify-lock-id': w.lock.id }));
      assert.equal(first.lock._id, w.lock.id);
      assert.equal(first.lockData.timeRemainingSeconds, 86400);
      assert.notEqual(first.sessionId, def.sessionId);
      assert.deepEqual(ok(await v1(k, 'GET', '/state', undefined, { 'x-chastify-lock-id': second.id })).data, {});
      // … and on POST: only the named lock changes.
      const secondBefore = await lockRow(second.id);
      const res = ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 600 }, { 'x-chastify-lock-id': w.lock.id }));
      assert.equal(res.lockData.timeRemainingSeconds, 86400 + 600);
      assert.equal(await remaining(k, { 'x-chastify-lock-id': w.lock.id }), 86400 + 600);
      assert.deepEqual(await lockRow(second.id), secondBefore);
      ok(await v1(k, 'PATCH', '/state', { data: { on: 'first' } }, { 'x-chastify-lock-id': w.lock.id }));
      assert.deepEqual(ok(await v1(k, 'GET', '/state', undefined, { 'x-chastify-lock-id': w.lock.id })).data, { on: 'first' });
      assert.deepEqual(ok(await v1(k, 'GET', '/state')).data, {}, 'the default lock’s state is untouched');
      // Without the header, POST acts on the most recent lock.
      const firstBefore = await lockRow(w.lock.id);
      const d = ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 60 }));
      assert.equal(d.lockData.timeRemainingSeconds, 7200 + 60);
      assert.deepEqual(await lockRow(w.lock.id), firstBefore);

      // Ids that are not one of the key owner's active locks.
      const other = await world();
      for (const id of [other.lock.id, 'ffffffffffffffffffffffff', 'not-an-id']) {
        appsError(await v1(k, 'GET', '/session', undefined, { 'x-chastify-lock-id': id }), 409, 'no_active_lock_session');
        await refused(other.lock.id, () => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 60 }, { 'x-chastify-lock-id': id }), 409, 'no_active_lock_session');
      }
      // The keyholder's key on the lock they hold: it is not their lock as a wearer.
      const kk = w.keyholder!.userKey;
      appsError(await v1(kk, 'GET', '/session'), 409, 'no_active_lock_session');
      appsError(await v1(kk, 'GET', '/session', undefined, { 'x-chastify-lock-id': w.lock.id }), 409, 'no_active_lock_session');
      await refused(w.lock.id, () => v1(kk, 'POST', '/action', { name: 'add_time', params: 60 }, { 'x-chastify-lock-id': w.lock.id }), 409, 'no_active_lock_session');
      await refused(w.lock.id, () => v1(kk, 'POST', '/lock/apply-time', { deltaSeconds: -60 }, { 'x-chastify-lock-id': w.lock.id }), 409, 'no_active_lock_session');
      // Once the newer lock ends, the older one is the default again.
      ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -100000 }, { 'x-chastify-lock-id': second.id }));
      ok(await call(t.app, await as(w.wearer), 'POST', `/api/locks/${second.id}/unlock`));
      assert.equal(ok(await v1(k, 'GET', '/session')).lock._id, w.lock.id);
      appsError(await v1(k, 'GET', '/session', undefined, { 'x-chastify-lock-id': second.id }), 409, 'no_active_lock_session');
    });
  });

  describe('role policy (DECISIONS §4)', () => {
    /** Wearer-favouring calls, each with the setup that would otherwise let it succeed. */
    const favouring: Array<{ label: string; setup?: (k: string) => Promise<unknown>; send: (k: string) => Promise<Res>; check: (r: Record<string, unknown>) => void }> = [
      { label: 'remove_time', send: (k) => v1(k, 'POST', '/action', { name: 'remove_time', params: 60 }), check: (ld) => assert.equal(ld.timeRemainingSeconds, 86400 - 60) },
      { label: 'apply-time −300', send: (k) => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -300 }), check: (ld) => assert.equal(ld.timeRemainingSeconds, 86400 - 300) },
      {
        label: 'lock/unfreeze',
        setup: async (k) => ok(await v1(k, 'POST', '/lock/freeze', {})),
        send: (k) => v1(k, 'POST', '/lock/unfreeze', {}),
        check: (ld) => assert.equal(ld.frozen, false),
      },
      {
        label: 'action unfreeze',
        setup: async (k) => ok(await v1(k, 'POST', '/lock/freeze', {})),
        send: (k) => v1(k, 'POST', '/action', { name: 'unfreeze', params: {} }),
        check: (ld) => assert.equal(ld.frozen, false),
      },
      {
        label: 'toggle_freeze while frozen',
        setup: async (k) => ok(await v1(k, 'POST', '/lock/freeze', {})),
        send: (k) => v1(k, 'POST', '/action', { name: 'toggle_freeze', params: {} }),
        check: (ld) => assert.equal(ld.frozen, false),
      },
      {
        label: 'pillory.end',
        setup: async (k) => ok(await v1(k, 'POST', '/action', { name: 'pillory', params: { durationSeconds: 600 } })),
        send: (k) => v1(k, 'POST', '/action', { name: 'pillory.end', params: {} }),
        check: (ld) => assert.equal(ld.inPillory, false),
      },
      { label: 'hygienic_unlock.start', send: (k) => v1(k, 'POST', '/action', { name: 'hygienic_unlock.start', params: { durationSeconds: 900 } }), check: (ld) => assert.equal(ld.hygienicOpening, true) },
      { label: 'settings.patch', send: (k) => v1(k, 'POST', '/action', { name: 'settings.patch', params: { requiredTaskPoints: 7 } }), check: (ld) => assert.equal(ld.taskPointsRequired, 7) },
      {
        label: 'task.complete',
        setup: async (k) => ok(await v1(k, 'POST', '/action', { name: 'task.assign', params: { taskText: 'Ten squats', points: 4 } })),
        send: (k) => v1(k, 'POST', '/action', { name: 'task.complete', params: { successful: true } }),
        check: (ld) => {
          assert.equal(ld.taskPoints, 4);
          assert.equal(ld.taskAssigned, false);
        },
      },
    ];

    it('keyholder lock without trust: wearer-favouring calls → 403 role_not_allowed, nothing changed; the session read stays 200', async () => {
      for (const c of favouring) {
        const w = await world();
        const k = w.wearer.userKey;
        if (c.setup) await c.setup(k);
        await refused(w.lock.id, () => c.send(k), 403, 'role_not_allowed');
        const s = await v1(k, 'GET', '/session');
        assert.equal(s.statusCode, 200, `${c.label}: GET session after a role refusal: ${s.body}`);
        assert.equal(s.json().lockData.trusted, false);
      }
    });

    it('keyholder lock without trust: add_time, freeze, pillory, task.assign, positive apply-time, toggle_freeze while unfrozen are allowed', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      assert.equal(ok(await v1(k, 'POST', '/action', { name: 'add_time', params: 60 })).lockData.timeRemainingSeconds, 86400 + 60);
      assert.equal(ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 40 })).lockData.timeRemainingSeconds, 86400 + 100);
      assert.equal(ok(await v1(k, 'POST', '/action', { name: 'pillory', params: { durationSeconds: 600, reason: 'script' } })).lockData.inPillory, true);
      assert.equal(ok(await v1(k, 'POST', '/action', { name: 'task.assign', params: { taskText: 'Ten squats', points: 4 } })).lockData.taskAssigned, true);
      assert.equal(ok(await v1(k, 'POST', '/action', { name: 'toggle_freeze', params: { durationSeconds: 600 } })).lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 600_000));
      assert.equal(ok(await v1(k, 'POST', '/action', { name: 'freeze', params: { durationSeconds: 900 } })).lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 900_000));
      // Re-arming to end sooner would be an early unfreeze: that needs trust.
      appsError(await v1(k, 'POST', '/lock/freeze', { durationSeconds: 120 }), 403, 'role_not_allowed');
      assert.equal((await lockView(w)).frozenUntil, iso(now() + 900_000));
    });

    it('after the keyholder turns on trustExternalPrograms, the same calls succeed', async () => {
      for (const c of favouring) {
        const w = await world();
        const k = w.wearer.userKey;
        await trust(w);
        assert.equal(ok(await v1(k, 'GET', '/session')).lockData.trusted, true, c.label);
        if (c.setup) await c.setup(k);
        const res = await c.send(k);
        assert.equal(res.statusCode, 200, `${c.label}: ${res.body}`);
        c.check(res.json().lockData);
        c.check(ok(await v1(k, 'GET', '/session')).lockData);
      }
    });

    it('trust can be turned off again; a script can never change trustExternalPrograms itself', async () => {
      const w = await world();
      const k = w.wearer.userKey;
      await trust(w);
      ok(await v1(k, 'POST', '/action', { name: 'remove_time', params: 60 }));
      await refused(w.lock.id, () => v1(k, 'POST', '/action', { name: 'settings.patch', params: { trustExternalPrograms: false } }), 400, 'invalid_params');
      await trust(w, false);
      await refused(w.lock.id, () => v1(k, 'POST', '/action', { name: 'remove_time', params: 60 }), 403, 'role_not_allowed');
      await refused(w.lock.id, () => v1(k, 'POST', '/action', { name: 'settings.patch', params: { trustExternalPrograms: true } }), 403, 'role_not_allowed');
      // The wearer cannot turn it on through the first-party API either.
      const res = await call(t.app, await as(w.wearer), 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'settings.patch', params: { trustExternalPrograms: true } });
      expectError(res, 403, 'role_not_allowed');
      assert.equal((await lockView(w)).settings.trustExternalPrograms, false);
    });

    it('self-lock: the same calls are allowed without trust', async () => {
      for (const c of favouring) {
        const w = await world({ lock: { keyholder: false } });
        const k = w.wearer.userKey;
        if (c.setup) await c.setup(k);
        const res = await c.send(k);
        assert.equal(res.statusCode, 200, `${c.label}: ${res.body}`);
        c.check(res.json().lockData);
        c.check(ok(await v1(k, 'GET', '/session')).lockData);
      }
    });

    it('hidden timer: GET session is 200 with timeRemainingSeconds null; refusals never turn it into 403', async () => {
      const w = await world({ lock: { hiddenTimer: true } });
      const k = w.wearer.userKey;
      const s = ok(await v1(k, 'GET', '/session'));
      assert.equal(s.role, 'wearer');
      assert.equal(s.lock._id, w.lock.id);
      assert.equal(s.lock.hiddenTimer, true);
      assert.equal(s.lock.endsAt, null);
      assert.equal(s.lockData.timeRemainingSeconds, null);
      assert.equal(s.lockData.maxTimeRemainingSeconds, null);
      const added = ok(await v1(k, 'POST', '/lock/apply-time', { deltaSeconds: 600 }));
      assert.equal(added.lockData.timeRemainingSeconds, null, 'the action answer hides the timer too');
      await refused(w.lock.id, () => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -600 }), 403, 'role_not_allowed');
      const again = ok(await v1(k, 'GET', '/session'));
      assert.equal(again.lockData.timeRemainingSeconds, null);
      ok(await v1(k, 'GET', '/metadata'));
      ok(await v1(k, 'GET', '/state'));
    });
  });

  describe('role policy: disguised wearer-favouring actions', () => {
    it(
      'a script cannot shorten the keyholder’s freeze by re-freezing (re-arm) without trust',
      async () => {
        const w = await world();
        const kh = await as(w.keyholder!);
        ok(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'freeze', params: { durationSeconds: 86400 } }));
        const before = await lockRow(w.lock.id);
        const res = await v1(w.wearer.userKey, 'POST', '/lock/freeze', { durationSeconds: 60 });
        appsError(res, 403, 'role_not_allowed');
        assert.deepEqual(await lockRow(w.lock.id), before);
        // Extending the keyholder's freeze is no favour: allowed.
        const longer = await v1(w.wearer.userKey, 'POST', '/lock/freeze', { durationSeconds: 86400 });
        assert.equal(longer.statusCode, 200, longer.body);
      },
    );

    it(
      'a script cannot replace the keyholder’s open task without trust',
      async () => {
        const w = await world();
        const kh = await as(w.keyholder!);
        ok(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'task.assign', params: { taskText: 'Hard task', points: 1, verificationRequired: true } }));
        const res = await v1(w.wearer.userKey, 'POST', '/action', { name: 'task.assign', params: { taskText: 'easy', points: 100 } });
        appsError(res, 403, 'role_not_allowed');
        assert.equal((await lockView(w)).currentTask.text, 'Hard task');
      },
    );
  });

  describe('credentials', () => {
    it('an app-scoped key → 403 user_wide_dev_key_required; none → 401 missing_credentials', async () => {
      const w = await world();
      for (const [method, path, body] of [
        ['GET', '/session', undefined],
        ['GET', '/state', undefined],
        ['POST', '/action', { name: 'add_time', params: 60 }],
        ['POST', '/lock/apply-time', { deltaSeconds: -60 }],
        ['PATCH', '/metadata', { unlockBlockers: [] }],
      ] as Array<[Method, string, unknown]>) {
        await refused(w.lock.id, () => v1(w.app.appKey, method, path, body), 403, 'user_wide_dev_key_required');
        await refused(w.lock.id, () => v1(null, method, path, body), 401, 'missing_credentials');
        await refused(w.lock.id, () => v1(null, method, path, body, { authorization: `Basic ${w.wearer.userKey}` }), 401, 'missing_credentials');
        // The launch token is no credential here.
        await refused(w.lock.id, () => v1(null, method, path, body, { 'x-chastify-main-token': w.mainTokens.wearer }), 401, 'missing_credentials');
        await refused(w.lock.id, () => v1(w.mainTokens.wearer, method, path, body), 401, 'invalid_credentials');
      }
      // Credentials are checked before the body is validated.
      appsError(await v1(null, 'POST', '/lock/apply-time', { nonsense: true }), 401, 'missing_credentials');
      appsError(await v1(w.app.appKey, 'POST', '/lock/apply-time', { nonsense: true }), 403, 'user_wide_dev_key_required');
    });

    it('a revoked user-wide key → 401 invalid_credentials; an unknown one too', async () => {
      const w = await world({ lock: { keyholder: false } });
      const s = await as(w.wearer);
      const created = ok(await call(t.app, s, 'POST', '/api/developer/keys', { name: 'to revoke' }), 201);
      ok(await v1(created.key, 'GET', '/session'));
      ok(await call(t.app, s, 'POST', `/api/developer/keys/${created.id}/revoke`));
      appsError(await v1(created.key, 'GET', '/session'), 401, 'invalid_credentials');
      await refused(w.lock.id, () => v1(created.key, 'POST', '/lock/apply-time', { deltaSeconds: -60 }), 401, 'invalid_credentials');
      appsError(await v1('lk_usr_doesnotexist000000000000', 'GET', '/session'), 401, 'invalid_credentials');
      // The fixture's own key still works.
      ok(await v1(w.wearer.userKey, 'GET', '/session'));
    });
  });

  describe('concurrency', () => {
    it('two concurrent apply-time −60 on a self-lock both apply', async () => {
      const w = await world({ lock: { keyholder: false } });
      const k = w.wearer.userKey;
      const results = await Promise.all([v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -60 }), v1(k, 'POST', '/lock/apply-time', { deltaSeconds: -60 })]);
      for (const r of results) assert.equal(r.statusCode, 200, r.body);
      assert.equal(await remaining(k), 86400 - 120);
    });

    it('ten concurrent time changes (mixed signs) all apply', async () => {
      const w = await world({ lock: { keyholder: false } });
      const k = w.wearer.userKey;
      const deltas = [-60, 120, -60, 300, -30, -60, 45, -60, 15, -60];
      const results = await Promise.all(deltas.map((d) => v1(k, 'POST', '/lock/apply-time', { deltaSeconds: d })));
      for (const r of results) assert.equal(r.statusCode, 200, r.body);
      assert.equal(await remaining(k), 86400 + deltas.reduce((a, b) => a + b, 0));
      const rows = await t.db.database.db.selectFrom('history_logs').select('type').where('lock_id', '=', w.lock.id).where('type', 'in', ['time_added', 'time_removed']).execute();
      assert.equal(rows.length, deltas.length);
    });
  });
});
