import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FixtureWorld } from '../src/services/fixtures.js';
import { call, expectError, fixtureWorld, login, snapshot, suiteApp, type Session } from './helpers.js';

/**
 * Issue 16 item 11: scopes an app adds after it was installed need the lock controller's
 * approval; until then the scopes granted at install apply.
 */
describe('new scopes wait for the lock controller’s approval', () => {
  const t = suiteApp({ config: { rateLimitMultiplier: 100 } });
  let w: FixtureWorld;
  let developer: Session;
  let keyholder: Session;
  let wearer: Session;
  before(async () => {
    w = await fixtureWorld(t.app, { extension: { scopes: ['state:write'] }, lock: { trustKeyholder: true } });
    developer = await login(t.app, w.developer.username, w.developer.password);
    keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    wearer = await login(t.app, w.wearer.username, w.wearer.password);
  });

  const addTime = () =>
    t.app.inject({
      method: 'POST',
      url: `/api/extensions/sessions/${w.session.id}/action`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder! },
      payload: { name: 'add_time', params: 60 },
    });
  const sessionScopes = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder! } })).json().capabilities.scopes as string[];
  const installed = async (as: Session) => {
    const lock = (await call(t.app, as, 'GET', `/api/locks/${w.lock.id}`)).json();
    return lock.extensions.find((x: { slug: string }) => x.slug === w.app.slug) as { scopes: string[]; pendingScopes: string[] };
  };
  const approve = (as: Session, scopes: string[]) => call(t.app, as, 'POST', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/scopes/approve`, { scopes });

  it('without the scope at install: add_time is 403 insufficient_scope', async () => {
    expectError(await addTime(), 403, 'insufficient_scope');
    assert.deepEqual(await installed(keyholder), { ...(await installed(keyholder)), scopes: ['state:write'], pendingScopes: [] });
  });

  it('the developer adds locks:write: still 403 on this lock, the lock shows it pending, its controller is told', async () => {
    const res = await call(t.app, developer, 'PATCH', `/api/developer/apps/${w.app.id}`, { scopes: ['state:write', 'locks:write'] });
    assert.equal(res.statusCode, 200, res.body);
    const refused = await addTime();
    const body = expectError(refused, 403, 'insufficient_scope');
    assert.match(body.message, /not approved/);
    assert.deepEqual(await sessionScopes(), ['state:write']);
    const ext = await installed(keyholder);
    assert.deepEqual(ext.scopes, ['state:write']);
    assert.deepEqual(ext.pendingScopes, ['locks:write']);
    const notes = (await call(t.app, keyholder, 'GET', '/api/notifications')).json().results as Array<{ type: string; title: string }>;
    assert.ok(
      notes.some((n) => n.type === 'extension_scopes_requested' && n.title.includes('asks for new permissions')),
      JSON.stringify(notes),
    );
  });

  it('only the lock’s controller approves: the wearer of a keyholder lock gets 403 forbidden, a stranger 404, and nothing changes', async () => {
    const before = await snapshot(t.db.database);
    expectError(await approve(wearer, ['locks:write']), 403, 'forbidden');
    expectError(await approve(developer, ['locks:write']), 404, 'not_found');
    assert.deepEqual(await snapshot(t.db.database), before);
    expectError(await addTime(), 403, 'insufficient_scope');
  });

  it('approving a scope the app does not ask for is 409 conflict; an unknown scope is 400; nothing changes', async () => {
    const before = await snapshot(t.db.database);
    expectError(await approve(keyholder, ['files:write']), 409, 'conflict');
    expectError(await approve(keyholder, ['root:everything']), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.deepEqual((await installed(keyholder)).pendingScopes, ['locks:write']);
  });

  it('the keyholder approves: the scope applies at once, and the approval is in the history', async () => {
    const res = await approve(keyholder, ['locks:write']);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().scopes, ['state:write', 'locks:write']);
    assert.deepEqual(res.json().pendingScopes, []);
    assert.equal((await addTime()).statusCode, 200);
    assert.deepEqual(await sessionScopes(), ['state:write', 'locks:write']);
    const history = (await call(t.app, keyholder, 'GET', `/api/locks/${w.lock.id}/history`)).json().results as Array<{ type: string }>;
    assert.ok(history.some((h) => h.type === 'extension_scopes_approved'));
    // Approving again changes nothing.
    assert.equal((await approve(keyholder, ['locks:write'])).statusCode, 200);
  });

  it('a scope the developer drops stops at once', async () => {
    assert.equal((await call(t.app, developer, 'PATCH', `/api/developer/apps/${w.app.id}`, { scopes: ['state:write'] })).statusCode, 200);
    expectError(await addTime(), 403, 'insufficient_scope');
    // Asking for it again: it was approved on this lock before, so it applies again.
    assert.equal((await call(t.app, developer, 'PATCH', `/api/developer/apps/${w.app.id}`, { scopes: ['state:write', 'locks:write'] })).statusCode, 200);
    assert.equal((await addTime()).statusCode, 200);
  });

  it('an install after the change approves what the app asks for then (shown in the catalog)', async () => {
    const catalog = (await call(t.app, wearer, 'GET', '/api/extensions')).json();
    const entries = (Array.isArray(catalog) ? catalog : catalog.results) as Array<{ slug: string; scopes: string[] }>;
    assert.deepEqual(entries.find((e) => e.slug === w.app.slug)!.scopes, ['state:write', 'locks:write']);
    const w2 = await fixtureWorld(t.app, { extension: { scopes: ['state:write', 'locks:write'] }, lock: { trustKeyholder: true } });
    const kh2 = await login(t.app, w2.keyholder!.username, w2.keyholder!.password);
    const lock = (await call(t.app, kh2, 'GET', `/api/locks/${w2.lock.id}`)).json();
    const ext = lock.extensions[0];
    assert.deepEqual([ext.scopes, ext.pendingScopes], [['state:write', 'locks:write'], []]);
  });
});
