import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, cookieFrom, expectError, register, snapshot, suiteApp } from './helpers.js';

describe('accounts: register, login, logout, me', () => {
  const t = suiteApp();

  it('registers, signs in with an httpOnly cookie and answers /api/me', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'Alice', password: 'correct horse battery' } });
    assert.equal(res.statusCode, 201);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /latch_session=ls_[\w-]+/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookieFrom(res) } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, 'Alice');
    assert.match(me.json().id, /^[0-9a-f]{24}$/);
    assert.equal(me.json().showOnlineStatus, true);
    assert.equal(typeof me.json().csrfToken, 'string');
  });

  it('stores an argon2id hash and only hashes of session tokens', async () => {
    const s = await register(t.app, 'hashcheck', 'a very secret pw');
    const user = await t.db.database.db.selectFrom('users').selectAll().where('username', '=', 'hashcheck').executeTakeFirstOrThrow();
    assert.match(user.password_hash, /^\$argon2id\$/);
    assert.ok(!user.password_hash.includes('a very secret pw'));
    const token = s.cookie.split('=')[1]!;
    const sessions = await t.db.database.db.selectFrom('user_sessions').select('token_hash').execute();
    assert.ok(sessions.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
  });

  it('refuses a taken username, case-insensitively, and changes nothing', async () => {
    await register(t.app, 'bob_taken');
    const before = await snapshot(t.db.database);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'BOB_TAKEN', password: 'another password' } });
    expectError(res, 409, 'username_taken');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    await register(t.app, 'carol', 'carols password');
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'carol', password: 'wrong password' } }), 401, 'invalid_login');
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody_here', password: 'carols password' } }), 401, 'invalid_login');
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'CAROL', password: 'carols password' } });
    assert.equal(ok.statusCode, 200);
  });

  it('needs a session for /api/me and forgets it after logout', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/me' }), 401, 'login_required');
    expectError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: 'latch_session=ls_forged' } }), 401, 'login_required');
    const s = await register(t.app);
    const out = await call(t.app, s, 'POST', '/api/auth/logout');
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /latch_session=;/);
    expectError(await call(t.app, s, 'GET', '/api/me'), 401, 'login_required');
  });

  it('expires sessions after their lifetime', async () => {
    const s = await register(t.app);
    t.clock.advance(t.config.sessionTtlMs + 1000);
    expectError(await call(t.app, s, 'GET', '/api/me'), 401, 'login_required');
  });

  it('protects cookie mutations against CSRF: header required, foreign Origin refused', async () => {
    const s = await register(t.app);
    const noHeader = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: s.cookie }, payload: { showOnlineStatus: false } });
    expectError(noHeader, 403, 'csrf_token_invalid');
    const wrongHeader = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: { showOnlineStatus: false } });
    expectError(wrongHeader, 403, 'csrf_token_invalid');
    const foreign = await call(t.app, s, 'PATCH', '/api/me', { showOnlineStatus: false }, { origin: 'https://evil.example' });
    expectError(foreign, 403, 'csrf_token_invalid');
    const loginCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example' }, payload: { username: s.username, password: 'correct horse battery' } });
    expectError(loginCsrf, 403, 'csrf_token_invalid');
    const me = await call(t.app, s, 'GET', '/api/me');
    assert.equal(me.json().showOnlineStatus, true, 'refused mutations changed nothing');
    const sameOrigin = await call(t.app, s, 'PATCH', '/api/me', { showOnlineStatus: false, profile: { displayName: 'Dee' } }, { origin: 'http://latch.test' });
    assert.equal(sameOrigin.statusCode, 200);
    assert.equal(sameOrigin.json().showOnlineStatus, false);
    assert.equal(sameOrigin.json().profile.displayName, 'Dee');
  });

  it('updates last-seen at most once a minute', async () => {
    const s = await register(t.app);
    const first = (await call(t.app, s, 'GET', '/api/me')).json().lastSeenAt;
    t.clock.advance(30_000);
    assert.equal((await call(t.app, s, 'GET', '/api/me')).json().lastSeenAt, first);
    t.clock.advance(31_000);
    assert.notEqual((await call(t.app, s, 'GET', '/api/me')).json().lastSeenAt, first);
  });
});
