import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createRateLimiter, FREE_LOGIN_FAILURES, lockoutSecondsAfter, MAX_LOGIN_LOCKOUT_SECONDS, type RateLimiter } from '../src/ratelimit.js';
import { isCommonPassword } from '../src/services/passwords.js';
import { expectError, register, snapshot, suiteApp, type TestApp } from './helpers.js';

/** Issue 16 item 1: sign-in and sign-up are limited per account and per client address. */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

let ipSeq = 0;
const freshIp = () => `10.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}.${1 + Math.floor(Math.random() * 250)}`;

function loginFrom(t: TestApp, ip: string, username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password } });
}

function expectLimited(res: Awaited<ReturnType<typeof loginFrom>>) {
  const body = expectError(res, 429, 'rate_limited');
  const retry = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After ${String(res.headers['retry-after'])}`);
  return body;
}

describe('login and registration limits (real limits: AUTH_RATE_LIMIT_MULTIPLIER 1)', () => {
  const t = suiteApp({ config: { authRateLimitMultiplier: 1 } });

  it('40 wrong passwords then the right one: refused with 429 + Retry-After long before the 40th, and the right one too', async () => {
    const me = await register(t.app, `victim_${randomBytes(3).toString('hex')}`, 'a long good passphrase');
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await loginFrom(t, ip, me.username, `wrong guess ${i}`)).statusCode);
    assert.deepEqual(statuses.slice(0, FREE_LOGIN_FAILURES), Array(FREE_LOGIN_FAILURES).fill(401));
    assert.ok(statuses.filter((s) => s === 401).length <= 10, `at most 10 guesses were judged: ${statuses.join(',')}`);
    assert.ok(statuses.slice(10).every((s) => s === 429), statuses.join(','));
    expectLimited(await loginFrom(t, ip, me.username, 'a long good passphrase'));
  });

  it('locks an account after 5 wrong passwords in a row, whatever address they come from', async () => {
    const me = await register(t.app, `spread_${randomBytes(3).toString('hex')}`, 'a long good passphrase');
    for (let i = 0; i < FREE_LOGIN_FAILURES; i++) expectError(await loginFrom(t, freshIp(), me.username, `wrong pass ${i}`), 401, 'invalid_login');
    // The sixth wrong one in a row starts a lockout: even the right password waits now.
    expectError(await loginFrom(t, freshIp(), me.username, 'wrong again'), 401, 'invalid_login');
    const body = expectLimited(await loginFrom(t, freshIp(), me.username, 'a long good passphrase'));
    assert.match(body.message, /wrong passwords/);
    // Another account is not affected.
    const other = await register(t.app, `bystander_${randomBytes(3).toString('hex')}`, 'a long good passphrase');
    assert.equal((await loginFrom(t, freshIp(), other.username, 'a long good passphrase')).statusCode, 200);
  });

  it('limits sign-in attempts per client address across accounts (30 a minute)', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await loginFrom(t, ip, `nobody_${i}_${randomBytes(2).toString('hex')}`, 'whatever password')).statusCode);
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401));
    assert.equal(statuses[30], 429);
    expectLimited(await loginFrom(t, ip, 'someone', 'whatever password'));
    // Another address still gets answers.
    expectError(await loginFrom(t, freshIp(), 'someone', 'whatever password'), 401, 'invalid_login');
  });

  it('15 registrations in a row from one address: the sixth and later are 429 and create nothing', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let before: Record<string, number> | null = null;
    for (let i = 0; i < 15; i++) {
      if (i === 5) before = await snapshot(t.db.database);
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', remoteAddress: ip, payload: { username: `bulk_${i}_${randomBytes(3).toString('hex')}`, password: 'a long good passphrase' } });
      statuses.push(res.statusCode);
      if (i >= 5) expectLimited(res);
    }
    assert.deepEqual(statuses, [...Array(5).fill(201), ...Array(10).fill(429)]);
    assert.deepEqual(await snapshot(t.db.database), before);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/auth/register', remoteAddress: freshIp(), payload: { username: `other_${randomBytes(3).toString('hex')}`, password: 'a long good passphrase' } });
    assert.equal(elsewhere.statusCode, 201);
  });
});

describe('common passwords are refused at registration', () => {
  const t = suiteApp();

  it('400 password_too_common with a clear message for listed passwords (any case), and nothing is created', async () => {
    const before = await snapshot(t.db.database);
    for (const password of ['password123', 'qwerty123', 'iloveyou', 'Password1', 'baseball']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: `weak_${randomBytes(3).toString('hex')}`, password } });
      const body = expectError(res, 400, 'password_too_common');
      assert.match(body.message, /common password/);
    }
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('accepts uncommon passwords, and the sandbox personas’ password is not on the list', async () => {
    assert.equal(isCommonPassword('latch-sandbox'), false);
    assert.equal(isCommonPassword('correct horse battery'), false);
    assert.equal(isCommonPassword('PASSWORD'), true);
    await register(t.app, `fine_${randomBytes(3).toString('hex')}`, 'latch-sandbox');
  });

  it('the OpenAPI document lists the new answers of register and login', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.match(JSON.stringify(doc.paths['/api/auth/register'].post.responses['400']), /password_too_common/);
    assert.ok(doc.paths['/api/auth/register'].post.responses['429']);
    assert.ok(doc.paths['/api/auth/login'].post.responses['429']);
  });
});

describe('login failure lockout on both limiter backends', () => {
  it('grows 1 s, 2 s, 4 s … after the free failures, capped at 15 min', () => {
    assert.deepEqual([1, 5, 6, 7, 8, 9].map(lockoutSecondsAfter), [0, 0, 1, 2, 4, 8]);
    assert.equal(lockoutSecondsAfter(1000), MAX_LOGIN_LOCKOUT_SECONDS);
  });

  const backends: Array<[string, () => Promise<RateLimiter>]> = [
    ['memory', () => createRateLimiter({})],
    ['redis', () => createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: `latch:rl:test:${randomBytes(6).toString('hex')}` })],
  ];
  for (const [name, make] of backends) {
    it(`${name}: counts failures, locks, and a success clears them`, async () => {
      const rl = await make();
      try {
        const key = `account:${randomBytes(4).toString('hex')}`;
        assert.equal(await rl.loginFailures.lockedFor(key), 0);
        for (let i = 0; i < FREE_LOGIN_FAILURES; i++) assert.equal(await rl.loginFailures.fail(key), 0);
        assert.equal(await rl.loginFailures.lockedFor(key), 0);
        assert.equal(await rl.loginFailures.fail(key), 1);
        assert.ok((await rl.loginFailures.lockedFor(key)) >= 1);
        await rl.loginFailures.clear(key);
        assert.equal(await rl.loginFailures.lockedFor(key), 0);
        assert.equal(await rl.loginFailures.fail(key), 0, 'the count starts again');
        // The sign-in buckets exist on this backend too.
        const ip = await rl.consume('register_ip', `ip:${randomBytes(4).toString('hex')}`);
        assert.deepEqual([ip.allowed, ip.limit], [true, 5]);
      } finally {
        await rl.close();
      }
    });
  }
});
