import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, fixtureWorld, login, suiteApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * DECISIONS §2: a body-less POST is `{}` whatever its content type on key-authenticated routes.
 * aiohttp's `session.post(url)` without data sends `Content-Type: application/octet-stream` and
 * no bytes; scripts do that for body-less actions like unfreeze. Cookie routes keep refusing
 * non-JSON types (a cross-site form could send them without a preflight).
 */
describe(`an empty POST body of any content type (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  let w: World;
  let port: number;
  before(async () => {
    w = await fixtureWorld(t.app, { lock: { keyholder: false } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });

  const script = (path: string, contentType: string, payload = '') =>
    t.app.inject({ method: 'POST', url: `/api/apps/v1${path}`, headers: { authorization: `Bearer ${w.wearer.userKey}`, 'content-type': contentType }, payload });

  /** One raw HTTP/1.1 request on a real socket, as aiohttp writes it; the status line and body back. */
  function raw(path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n');
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('end', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
        resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
      });
      socket.on('error', reject);
      socket.write(head + body);
    });
  }

  it('inject: unfreeze and freeze with an empty application/octet-stream body run as {}', async () => {
    const frozen = await script('/lock/freeze', 'application/octet-stream');
    assert.equal(frozen.statusCode, 200, frozen.body);
    const unfrozen = await script('/lock/unfreeze', 'application/octet-stream');
    assert.equal(unfrozen.statusCode, 200, unfrozen.body);
    const asText = await script('/lock/unfreeze', 'text/plain');
    assert.equal(asText.statusCode, 200, asText.body);
  });

  it('a real request as aiohttp sends it (octet-stream, Content-Length: 0) answers 200', async () => {
    const headers = { Authorization: `Bearer ${w.wearer.userKey}`, 'Content-Type': 'application/octet-stream', 'Content-Length': '0', Accept: '*/*', 'User-Agent': 'Python/3.12 aiohttp/3.9.5' };
    const freeze = await raw('/api/apps/v1/lock/freeze', headers);
    assert.equal(freeze.status, 200, freeze.body);
    const unfreeze = await raw('/api/apps/v1/lock/unfreeze', headers);
    assert.equal(unfreeze.status, 200, unfreeze.body);
    // Chunked with no chunk: still no body.
    const chunked = await raw('/api/apps/v1/lock/unfreeze', { Authorization: `Bearer ${w.wearer.userKey}`, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n');
    assert.equal(chunked.status, 200, chunked.body);
  });

  it('the extension routes too (app key + main token)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/extensions/sessions/${w.session.id}/regular-actions`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer, 'content-type': 'application/octet-stream' },
    });
    assert.notEqual(res.statusCode, 415, res.body);
    assert.ok(res.statusCode < 500, res.body);
  });

  it('a non-JSON body with bytes in it is still 415, and changes nothing', async () => {
    expectError(await script('/lock/freeze', 'application/octet-stream', 'durationSeconds=60'), 415, 'unsupported_media_type');
    expectError(await script('/lock/freeze', 'text/plain', '{"durationSeconds":60}'), 415, 'unsupported_media_type');
    const real = await raw('/api/apps/v1/lock/freeze', { Authorization: `Bearer ${w.wearer.userKey}`, 'Content-Type': 'application/octet-stream', 'Content-Length': '3' }, 'abc');
    assert.equal(real.status, 415, real.body);
    const chunked = await raw('/api/apps/v1/lock/freeze', { Authorization: `Bearer ${w.wearer.userKey}`, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' }, '3\r\nabc\r\n0\r\n\r\n');
    assert.equal(chunked.status, 415, chunked.body);
    const lock = await t.db.database.db.selectFrom('locks').selectAll().where('id', '=', w.lock.id).executeTakeFirstOrThrow();
    assert.equal(lock.frozen_at, null, 'the lock was left unfrozen');
  });

  it('cookie routes keep refusing an empty non-JSON body (CSRF defence), and a key route without a key is refused', async () => {
    const user = await login(t.app, w.wearer.username, w.wearer.password);
    expectError(await call(t.app, user, 'POST', '/api/notifications/read', '', { 'content-type': 'application/octet-stream' }), 415, 'unsupported_media_type');
    expectError(await call(t.app, user, 'POST', '/api/notifications/read', '', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    const noAuth = await t.app.inject({ method: 'POST', url: '/api/apps/v1/lock/unfreeze', headers: { 'content-type': 'application/octet-stream', cookie: user.cookie } });
    // (The credential check runs first: no key, no action either way.)
    expectError(noAuth, 401, 'missing_credentials');
  });
});
