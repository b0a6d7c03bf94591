import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FixtureWorld } from '../src/services/fixtures.js';
import { call, expectError, fixtureWorld, login, snapshot, suiteApp, type Session } from './helpers.js';

/**
 * Issue 16 item 10: a cross-site navigation changes no token. `GET …/launch` only adds a token;
 * `GET …/sessions/:id/auth` rotates as DECISIONS §3 says for scripts and same-origin callers, and
 * only adds one when the browser says another site started it. POST rotates (CSRF header
 * required) and is what the web host uses.
 */
describe('main-token rotation is POST only', () => {
  const t = suiteApp();
  let w: FixtureWorld;
  let wearer: Session;
  before(async () => {
    w = await fixtureWorld(t.app);
    wearer = await login(t.app, w.wearer.username, w.wearer.password);
  });

  const works = async (token: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': token } })).statusCode === 200;
  const launchUrl = () => `/api/locks/${w.lock.id}/extensions/${w.session.id}/launch`;
  const authUrl = () => `/api/extensions/sessions/${w.session.id}/auth`;

  it('GET …/auth (a cross-site navigation carries the Lax cookie) hands out a token but revokes nothing', async () => {
    const open = w.mainTokens.wearer; // the extension the wearer has open
    const nav = await call(t.app, wearer, 'GET', authUrl(), undefined, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' });
    assert.equal(nav.statusCode, 200, nav.body);
    assert.ok(await works(open), 'the open extension keeps working');
    const sameSite = await call(t.app, wearer, 'GET', authUrl(), undefined, { 'sec-fetch-site': 'same-site' });
    assert.ok(await works(open));
    assert.ok(await works(nav.json().mainToken));
    assert.ok(await works(sameSite.json().mainToken));
  });

  it('GET …/auth from a script or the user’s own address bar rotates, as DECISIONS §3 says', async () => {
    const open = (await call(t.app, wearer, 'POST', authUrl())).json().mainToken as string;
    for (const headers of [{}, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin' }] as Array<Record<string, string>>) {
      const before = (await call(t.app, wearer, 'POST', authUrl())).json().mainToken as string;
      const fresh = await call(t.app, wearer, 'GET', authUrl(), undefined, headers);
      assert.equal(fresh.statusCode, 200, fresh.body);
      assert.equal(await works(before), false, `revoked (${JSON.stringify(headers)})`);
      assert.ok(await works(fresh.json().mainToken));
    }
    assert.equal(await works(open), false);
  });

  it('GET …/launch hands out a token and what the iframe needs, and revokes nothing', async () => {
    const open = (await call(t.app, wearer, 'POST', authUrl())).json().mainToken as string;
    const first = await call(t.app, wearer, 'GET', launchUrl());
    assert.equal(first.statusCode, 200, first.body);
    const second = await call(t.app, wearer, 'GET', launchUrl());
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().extension.slug, w.app.slug);
    assert.ok(await works(first.json().mainToken), 'an earlier launch keeps working');
    assert.ok(await works(second.json().mainToken));
    assert.ok(await works(open));
  });

  it('POST …/launch rotates: a fresh token, every earlier one of this user for the session revoked; the keyholder’s untouched', async () => {
    const earlier = (await call(t.app, wearer, 'GET', launchUrl())).json().mainToken as string;
    const res = await call(t.app, wearer, 'POST', launchUrl(), {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'wearer');
    assert.ok(await works(res.json().mainToken));
    assert.equal(await works(earlier), false);
    assert.equal(await works(w.mainTokens.wearer), false);
    assert.ok(await works(w.mainTokens.keyholder!));
  });

  it('POST …/auth rotates the same way', async () => {
    const earlier = (await call(t.app, wearer, 'GET', authUrl())).json().mainToken as string;
    const res = await call(t.app, wearer, 'POST', authUrl());
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await works(earlier), false);
    assert.ok(await works(res.json().mainToken));
  });

  it('the POSTs need the CSRF header (a cross-site form cannot rotate) and change nothing without it', async () => {
    const open = (await call(t.app, wearer, 'GET', authUrl())).json().mainToken as string;
    const before = await snapshot(t.db.database);
    for (const url of [authUrl(), launchUrl()]) {
      expectError(await t.app.inject({ method: 'POST', url, headers: { cookie: wearer.cookie } }), 403, 'csrf_token_invalid');
      expectError(await t.app.inject({ method: 'POST', url, headers: { cookie: wearer.cookie, 'x-csrf-token': 'forged' } }), 403, 'csrf_token_invalid');
    }
    expectError(await t.app.inject({ method: 'POST', url: launchUrl(), headers: { cookie: wearer.cookie, 'x-csrf-token': wearer.csrfToken, origin: 'https://evil.example' } }), 403, 'csrf_token_invalid');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.ok(await works(open));
  });

  it('an unknown home action on POST …/launch is 404 and revokes nothing', async () => {
    const open = (await call(t.app, wearer, 'GET', authUrl())).json().mainToken as string;
    expectError(await call(t.app, wearer, 'POST', `${launchUrl()}?homeAction=nope`, {}), 404, 'not_found');
    assert.ok(await works(open));
  });

  it('OpenAPI documents both methods of both routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/extensions/sessions/{sessionId}/auth', '/api/locks/{lockId}/extensions/{sessionId}/launch']) {
      assert.ok(doc.paths[p].get, `GET ${p}`);
      assert.ok(doc.paths[p].post, `POST ${p}`);
    }
  });
});
