import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { call, expectError, login, register, testApp, type Session, type TestApp } from './helpers.js';

/**
 * No credential ever reaches a log line (DECISIONS §2/§3): passwords, session cookies, CSRF
 * tokens, developer keys and main tokens, on successful, refused and failing (500) requests.
 */
describe('secrets never reach the logs', () => {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logText = () => chunks.join('');

  let t: TestApp;
  let dbClosed = false;
  const PASSWORD = 'hunter2-Sup3rSecret-password';
  const secrets = new Map<string, string>();
  const requestIds: string[] = [];
  let user: Session;
  let w: {
    wearer: { username: string; password: string; userKey: string };
    keyholder: { username: string; password: string; userKey: string };
    developer: { username: string; password: string; userKey: string };
    app: { id: string; appKey: string };
    session: { id: string };
    mainTokens: { wearer: string; keyholder: string };
  };

  /** Remembers the request id, so the test can show the log is not empty by accident. */
  function seen<T extends { headers: Record<string, unknown> }>(res: T): T {
    const id = res.headers['x-request-id'];
    assert.equal(typeof id, 'string');
    requestIds.push(id as string);
    return res;
  }

  function secret(name: string, value: string) {
    assert.ok(value.length >= 8, `${name} looks like a real secret`);
    secrets.set(name, value);
  }

  const ext = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', path: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/extensions/sessions/${w.session.id}${path}`, headers, ...(payload ? { payload } : {}) }).then(seen);

  before(async () => {
    t = await testApp({ logStream });
  });
  after(async () => {
    await t.app.close();
    if (!dbClosed) await t.db.database.close();
    await t.db.destroy();
  });

  it('register and login with a password', async () => {
    const reg = await register(t.app, undefined, PASSWORD);
    secret('password', PASSWORD);
    secret('registration cookie', reg.cookie.split('=')[1]!);
    secret('registration csrf token', reg.csrfToken);
    user = await login(t.app, reg.username, PASSWORD);
    secret('login cookie', user.cookie.split('=')[1]!);
    secret('login csrf token', user.csrfToken);
    // A wrong password is refused, and not logged either.
    const wrong = `${PASSWORD}-wrong`;
    secret('wrong password', wrong);
    expectError(seen(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: reg.username, password: wrong } })), 401, 'invalid_login');
    seen(await call(t.app, user, 'GET', '/api/me'));
    seen(await call(t.app, user, 'PATCH', '/api/me', { showOnlineStatus: false }));
    // A CSRF mismatch (refused) with the real cookie.
    expectError(seen(await call(t.app, user, 'PATCH', '/api/me', { showOnlineStatus: true }, { 'x-csrf-token': reg.csrfToken })), 403, 'csrf_token_invalid');
  });

  it('fixtures, keys and main tokens on successful and refused calls', async () => {
    const res = seen(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: {} }));
    assert.equal(res.statusCode, 201, res.body);
    w = res.json();
    secret('appKey', w.app.appKey);
    secret('wearer userKey', w.wearer.userKey);
    secret('keyholder userKey', w.keyholder.userKey);
    secret('developer userKey', w.developer.userKey);
    secret('wearer mainToken', w.mainTokens.wearer);
    secret('keyholder mainToken', w.mainTokens.keyholder);
    secret('fixture wearer password', w.wearer.password);

    const backend = { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder };
    assert.equal((await ext('GET', '', backend)).statusCode, 200);
    assert.equal((await ext('GET', '/state', backend)).statusCode, 200);
    assert.equal((await ext('PUT', '/state', backend, { data: { score: 1 } })).statusCode, 200);
    assert.equal((await ext('POST', '/logs/custom', backend, { title: 'hello' })).statusCode, 201);
    assert.equal((await ext('GET', '', { authorization: `Bearer ${w.app.appKey}` })).statusCode, 200);
    assert.equal((await ext('GET', '/metadata', { 'x-chastify-main-token': w.mainTokens.keyholder })).statusCode, 200);

    // Refused ones: each carries a real secret somewhere in its headers.
    expectError(await ext('PUT', '/state', { 'x-chastify-main-token': w.mainTokens.keyholder }, { data: {} }), 403, 'server_credentials_required');
    expectError(await ext('GET', '', { authorization: `Bearer ${w.wearer.userKey}`, 'x-chastify-main-token': w.mainTokens.keyholder }), 403, 'app_scoped_key_required');
    expectError(await ext('GET', '', { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': 'mt_not_a_real_token_at_all' }), 401, 'invalid_main_token');
    expectError(await ext('PUT', '/state', { authorization: `Bearer ${w.app.appKey}` }, { data: {} }), 401, 'main_token_required');
    expectError(await ext('GET', '', { authorization: `Token ${w.app.appKey}` }), 401, 'missing_credentials');
    expectError(await ext('PUT', '/state', backend, { data: { 'bad.key': 1 } }), 400, 'invalid_state_key');
    seen(await t.app.inject({ method: 'GET', url: '/api/apps/v1/session', headers: { authorization: `Bearer ${w.developer.userKey}` } }));

    // A fresh main token (rotating the wearer's) and a fresh key from the console.
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    secret('wearer cookie', wearer.cookie.split('=')[1]!);
    secret('wearer csrf token', wearer.csrfToken);
    const auth = seen(await call(t.app, wearer, 'POST', `/api/extensions/sessions/${w.session.id}/auth`));
    assert.equal(auth.statusCode, 200, auth.body);
    secret('issued mainToken', auth.json().mainToken);
    // The rotated-away token is refused as expired.
    expectError(await ext('GET', '', { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer }), 401, 'main_token_expired');
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const created = seen(await call(t.app, dev, 'POST', '/api/developer/keys', { name: 'logged?', appId: w.app.id }));
    assert.equal(created.statusCode, 201, created.body);
    secret('console key', created.json().key);
    seen(await call(t.app, dev, 'GET', '/api/developer/keys'));
    assert.equal(seen(await call(t.app, dev, 'POST', `/api/developer/keys/${created.json().id}/revoke`)).statusCode, 200);
    expectError(await ext('GET', '', { authorization: `Bearer ${created.json().key}` }), 401, 'invalid_credentials');
  });

  it('a malformed JSON body with a password in it', async () => {
    const body = `{"username": "someone", "password": "${PASSWORD}", `;
    expectError(seen(await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: body })), 400, 'invalid_request');
    const wrongType = seen(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 5, password: PASSWORD } }));
    expectError(wrongType, 400, 'invalid_request');
    const asText = seen(await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: `password=${PASSWORD}` }));
    expectError(asText, 415, 'unsupported_media_type');
  });

  it('signed file URLs and other credentials in query strings', async () => {
    // A signed URL's signature (valid or not, it is logged the same way) and a token in a query string.
    const signature = 'Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItYS1sb2ctdGVzdDEy'.slice(0, 43);
    secret('file URL signature', signature);
    const res = seen(await t.app.inject({ method: 'GET', url: `/api/files/0123456789abcdef01234567?expires=9999999999&signature=${signature}` }));
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
    const token = 'qs-token-0123456789abcdef';
    secret('query token', token);
    seen(await t.app.inject({ method: 'GET', url: `/api/me?access_token=${token}&limit=5` }));
  });

  it('internal errors (500) with every kind of credential attached', async () => {
    await t.db.database.close();
    dbClosed = true;
    const withCookie = seen(await call(t.app, user, 'PATCH', '/api/me', { showOnlineStatus: true }));
    expectError(withCookie, 500, 'internal_error');
    expectError(seen(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone', password: PASSWORD } })), 500, 'internal_error');
    expectError(await ext('GET', '', { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder }), 500, 'internal_error');
    expectError(await ext('PUT', '/state', { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder }, { data: { x: 1 } }), 500, 'internal_error');
    expectError(await ext('GET', '/state', { 'x-chastify-main-token': w.mainTokens.keyholder }), 500, 'internal_error');
    expectError(seen(await t.app.inject({ method: 'GET', url: '/api/apps/v1/session', headers: { authorization: `Bearer ${w.wearer.userKey}` } })), 500, 'internal_error');
  });

  it('the log recorded the requests and the errors, and holds none of the secrets', async () => {
    const text = logText();
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > requestIds.length, `${lines.length} log lines`);
    for (const id of requestIds) assert.ok(text.includes(id), `request ${id} is in the log`);
    assert.ok(lines.some((l) => l.msg === 'incoming request'), 'request logging is on');
    assert.ok(lines.some((l) => l.msg === 'request completed' && (l.res as { statusCode?: number } | undefined)?.statusCode === 500), 'the 500s were logged');
    assert.ok(lines.some((l) => l.level === 50 && l.err !== undefined), 'an error was logged with its err');
    assert.ok(text.includes('expires=9999999999&signature=[redacted]'), 'the signed URL is logged with its signature redacted');
    assert.ok(text.includes('access_token=[redacted]&limit=5'), 'other query parameters stay readable');
    assert.ok(secrets.size >= 15, `${secrets.size} secrets checked`);
    const leaks: string[] = [];
    for (const [name, value] of secrets) {
      if (text.includes(value)) leaks.push(name);
      // The random part of a prefixed secret counts too.
      const random = value.replace(/^(lk_app_|lk_usr_|mt_|ls_)/, '');
      if (random !== value && text.includes(random)) leaks.push(`${name} (without prefix)`);
    }
    assert.deepEqual(leaks, [], `secrets in the log: ${leaks.join(', ')}`);
  });
});
