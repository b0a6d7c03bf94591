import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, fixtureWorld, login, snapshot, suiteApp, type Session, type TestApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Background grants (DECISIONS §10): the lock's controller lets an app that requests
 * `sessions:background` call one session's routes with its app key alone. The grant acts with
 * the role of whoever gave it; taking it back, removing the extension or the app dropping the
 * scope ends it at once. Runs on SQLite, or on PostgreSQL with LATCH_TEST_DB=postgres.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

describe(`background grants: the app key alone on a session that granted it (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  let w: World;
  let kh: Session;
  let we: Session;

  before(async () => {
    w = await world({});
    kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    we = await login(t.app, w.wearer.username, w.wearer.password);
  });

  // The keyholder manages extensions here: the wearer trusts them (issue 14).
  const world = (body: Json): Promise<World> => fixtureWorld(t.app, { ...body, lock: { trustKeyholder: true, ...(body.lock as Json | undefined) } });

  function ok(res: Res, status = 200): Json {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Json;
  }

  /** The app key alone (no launch token), as an unattended job would call. */
  function alone(sessionId: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, payload?: unknown, appKey = w.app.appKey) {
    return t.app.inject({
      method,
      url: `/api/extensions/sessions/${sessionId}${path}`,
      headers: { authorization: `Bearer ${appKey}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  const grant = (as: Session, lockId: string, slug: string, granted: unknown) => call(t.app, as, 'PUT', `/api/locks/${lockId}/extensions/${slug}/background`, { granted });
  const installed = async (as: Session, lockId: string, slug = w.app.slug) => (ok(await call(t.app, as, 'GET', `/api/locks/${lockId}`)).extensions as Json[]).find((x) => x.slug === slug)!;
  const remaining = async (as: Session, lockId: string) => ok(await call(t.app, as, 'GET', `/api/locks/${lockId}`)).timeRemainingSeconds as number;

  it('without a grant the app key alone gets 401 main_token_required on every session route but GET session', async () => {
    const ext = await installed(kh, w.lock.id);
    assert.equal(ext.requestsBackground, true, 'the fixture app requests every scope');
    assert.equal(ext.background, null);
    expectError(await alone(w.session.id, 'GET', '/state'), 401, 'main_token_required');
    expectError(await alone(w.session.id, 'PATCH', '/state', { level: 1 }), 401, 'main_token_required');
    expectError(await alone(w.session.id, 'POST', '/action', { name: 'add_time', params: 60 }), 401, 'main_token_required');
    ok(await alone(w.session.id, 'GET', ''));
  });

  it('only the lock’s controller grants it: the wearer of a keyholder’s lock gets 403, a stranger 404; bad bodies are 400; nothing changes', async () => {
    const stranger = await login(t.app, w.developer.username, w.developer.password);
    const before = await snapshot(t.db.database);
    expectError(await grant(we, w.lock.id, w.app.slug, true), 403, 'forbidden');
    expectError(await grant(stranger, w.lock.id, w.app.slug, true), 404, 'not_found');
    expectError(await grant(kh, w.lock.id, 'no-such-app', true), 404, 'not_found');
    for (const bad of ['yes', 1, null]) expectError(await grant(kh, w.lock.id, w.app.slug, bad), 400, 'invalid_request');
    expectError(await call(t.app, kh, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/background`, { granted: true, extra: 1 }), 400, 'invalid_request');
    expectError(await call(t.app, null, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/background`, { granted: true }), 401, 'login_required');
    assert.deepEqual(await snapshot(t.db.database), before);
    expectError(await alone(w.session.id, 'GET', '/state'), 401, 'main_token_required');
  });

  it('granted by the keyholder: the app key alone reads and changes the session, acting as the keyholder; history names the extension', async () => {
    const res = ok(await grant(kh, w.lock.id, w.app.slug, true));
    assert.equal(res.background.role, 'keyholder');
    assert.ok(Date.parse(res.background.grantedAt) > 0);
    assert.deepEqual((await installed(we, w.lock.id)).background, res.background, 'the wearer sees the grant too');

    ok(await alone(w.session.id, 'PUT', '/state', { data: { level: 1 } }));
    assert.deepEqual(ok(await alone(w.session.id, 'GET', '/state')).data, { level: 1 });
    const before = await remaining(kh, w.lock.id);
    ok(await alone(w.session.id, 'POST', '/action', { name: 'add_time', params: 600 }));
    assert.ok((await remaining(kh, w.lock.id)) - before >= 599, 'the time was added');
    // settings.patch is the keyholder's to send: the grant carries that role.
    ok(await alone(w.session.id, 'POST', '/action', { name: 'settings.patch', params: { requiredTaskPoints: 3 } }));
    ok(await alone(w.session.id, 'POST', '/logs/custom', { title: 'Nightly check', description: 'ran at 03:00' }), 201);

    const history = (ok(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}/history?limit=20`)).results as Json[]).map((h) => [h.type, h.title]);
    assert.ok(history.some(([type]) => type === 'extension_background_granted'), JSON.stringify(history));
    assert.ok(history.some(([, title]) => title === 'Nightly check'));
    // The audit trail records the credential it came with.
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const audit = ok(await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/audit?limit=50`)).results as Json[];
    assert.ok(audit.some((a) => a.credential === 'app_key+background' && a.outcome === 'success'), JSON.stringify(audit.slice(0, 3)));
  });

  it('another app’s key, an unknown session and a revoked key learn nothing from a grant', async () => {
    const other = await world({});
    expectError(await alone(w.session.id, 'PATCH', '/state', { x: 1 }, other.app.appKey), 401, 'main_token_required');
    expectError(await alone('0123456789abcdef01234567', 'PATCH', '/state', { x: 1 }), 401, 'main_token_required');
    expectError(await alone(w.session.id, 'PATCH', '/state', { x: 1 }, 'lk_app_unknown_key_0000000000'), 401, 'invalid_credentials');
  });

  it('taken back: the next call without a launch token is 401 main_token_required; with one it still works', async () => {
    const res = ok(await grant(kh, w.lock.id, w.app.slug, false));
    assert.equal(res.background, null);
    expectError(await alone(w.session.id, 'PATCH', '/state', { data: { level: 2 } }), 401, 'main_token_required');
    const { mainToken } = await t.app.ctx.mainTokens.issue(w.wearer.id, w.session.id);
    const withToken = await t.app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${w.session.id}/state`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken }, payload: { data: { level: 2 } } });
    ok(withToken);
    // Granting twice or taking back twice changes nothing more.
    ok(await grant(kh, w.lock.id, w.app.slug, false));
    const history = (ok(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}/history?limit=50`)).results as Json[]).filter((h) => h.type === 'extension_background_revoked');
    assert.equal(history.length, 1);
  });

  it('the app hears of it by webhook (extension_session.updated, change background), once per actual change', async () => {
    const v = await world({});
    const dev = await login(t.app, v.developer.username, v.developer.password);
    ok(await call(t.app, dev, 'POST', `/api/developer/apps/${v.app.id}/webhooks`, { url: 'http://127.0.0.1:9/hooks', events: ['extension_session.updated'] }), 201);
    const vk = await login(t.app, v.keyholder!.username, v.keyholder!.password);
    ok(await grant(vk, v.lock.id, v.app.slug, true));
    ok(await grant(vk, v.lock.id, v.app.slug, true));
    ok(await grant(vk, v.lock.id, v.app.slug, false));
    const payloads = (await t.db.database.db.selectFrom('webhook_deliveries').select('payload').where('event_type', '=', 'extension_session.updated').orderBy('id').execute()).map((r) => JSON.parse(r.payload).data);
    const mine = payloads.filter((d) => d.sessionId === v.session.id);
    assert.deepEqual(mine.map((d) => [d.change, d.background?.role ?? null]), [['background', 'keyholder'], ['background', null]]);
  });

  it('the app dropping sessions:background ends the grant; a removed extension answers 403 extension_not_enabled', async () => {
    const v = await world({});
    const vk = await login(t.app, v.keyholder!.username, v.keyholder!.password);
    ok(await grant(vk, v.lock.id, v.app.slug, true));
    ok(await alone(v.session.id, 'GET', '/state', undefined, v.app.appKey));
    const dev = await login(t.app, v.developer.username, v.developer.password);
    ok(await call(t.app, dev, 'PATCH', `/api/developer/apps/${v.app.id}`, { scopes: ['state:write'] }));
    expectError(await alone(v.session.id, 'GET', '/state', undefined, v.app.appKey), 401, 'main_token_required');
    ok(await call(t.app, dev, 'PATCH', `/api/developer/apps/${v.app.id}`, { scopes: ['state:write', 'sessions:background'] }));
    ok(await alone(v.session.id, 'GET', '/state', undefined, v.app.appKey));

    assert.equal((await call(t.app, vk, 'DELETE', `/api/locks/${v.lock.id}/extensions/${v.app.slug}`)).statusCode, 204);
    expectError(await alone(v.session.id, 'GET', '/state', undefined, v.app.appKey), 403, 'extension_not_enabled');
  });

  it('the sandbox fixtures grant it on request (lock.background), by the keyholder; an app without the scope is refused before anything exists', async () => {
    const v = await world({ lock: { background: true } });
    const vk = await login(t.app, v.keyholder!.username, v.keyholder!.password);
    assert.equal((await installed(vk, v.lock.id, v.app.slug)).background.role, 'keyholder');
    ok(await alone(v.session.id, 'PUT', '/state', { data: { from: 'a nightly job' } }, v.app.appKey));
    const before = await snapshot(t.db.database);
    const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { scopes: ['state:write'] }, lock: { background: true } } });
    expectError(res, 400, 'invalid_request');
    assert.equal(res.json().details[0].path, '/lock/background');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('an app that does not request the scope cannot be granted it: 400 at lock creation, install and later; nothing is created', async () => {
    const plain = await world({ extension: { scopes: ['state:write'] }, lock: { keyholder: false } });
    const pw = await login(t.app, plain.wearer.username, plain.wearer.password);
    assert.equal((await installed(pw, plain.lock.id, plain.app.slug)).requestsBackground, false);
    const catalog = ok(await call(t.app, pw, 'GET', '/api/extensions')).results as Json[];
    assert.equal(catalog.find((e) => e.slug === plain.app.slug)!.requestsBackground, false);

    const before = await snapshot(t.db.database);
    const created = await call(t.app, pw, 'POST', '/api/locks', { title: 'x', durationSeconds: 60, extensions: [{ slug: plain.app.slug, background: true }] });
    expectError(created, 400, 'invalid_request');
    assert.equal(created.json().details[0].path, '/extensions/0/background');
    expectError(await grant(pw, plain.lock.id, plain.app.slug, true), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
    // Taking back what was never given is fine.
    assert.equal(ok(await grant(pw, plain.lock.id, plain.app.slug, false)).background, null);
  });

  it('granted at creation by the wearer of a keyholder’s lock: it acts as the wearer (no settings, hidden timer hidden); granted again by the keyholder, as the keyholder', async () => {
    const v = await world({});
    const wearer = await login(t.app, v.wearer.username, v.wearer.password);
    const lock = ok(await call(t.app, wearer, 'POST', '/api/locks', { title: 'Granted at creation', durationSeconds: 3600, hiddenTimer: true, keyholderUsername: v.keyholder!.username, extensions: [{ slug: v.app.slug, background: true }] }), 201);
    const keyholder = await login(t.app, v.keyholder!.username, v.keyholder!.password);
    ok(await call(t.app, keyholder, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true }));
    ok(await call(t.app, wearer, 'POST', `/api/locks/${lock.id}/keyholder/trust`));
    const ext = (lock.extensions as Json[])[0]!;
    assert.equal(ext.background.role, 'wearer');

    expectError(await alone(ext.sessionId, 'POST', '/action', { name: 'settings.patch', params: { requiredTaskPoints: 3 } }, v.app.appKey), 403, 'role_not_allowed');
    ok(await alone(ext.sessionId, 'POST', '/action', { name: 'add_time', params: 60 }, v.app.appKey));
    // It sees what the wearer sees: the hidden timer stays hidden; a keyholder's grant would see it.
    const session = ok(await alone(ext.sessionId, 'GET', '', undefined, v.app.appKey));
    assert.equal(session.lockData.timeRemainingSeconds, null);
    ok(await grant(keyholder, lock.id, v.app.slug, false));
    assert.equal(ok(await grant(keyholder, lock.id, v.app.slug, true)).background.role, 'keyholder');
    assert.equal(ok(await alone(ext.sessionId, 'GET', '', undefined, v.app.appKey)).lockData.timeRemainingSeconds, 3660);
    ok(await alone(ext.sessionId, 'POST', '/action', { name: 'settings.patch', params: { requiredTaskPoints: 3 } }, v.app.appKey));
  });
});
