import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import type { AppDeps } from '@latch/server';
import {
  createExtensionClient,
  createExternalClient,
  LatchAbortError,
  LatchApiError,
  LatchNetworkError,
  LatchTimeoutError,
  type FetchLike,
  type RetryEvent,
} from '../src/index.js';
import { startServer, suiteServer, type World } from './server.js';

/**
 * Retries, Retry-After, idempotency keys and timeouts, against the real server: a 429 is waited
 * out; a mutation whose answer was lost (network failure or timeout after the server did the
 * work) is retried with the same Idempotency-Key and applies once.
 */

type RateLimiter = NonNullable<AppDeps['rateLimiter']>;

/** The server's limiter interface with a short fixed window, so a test can wait one out. */
function shortWindowLimiter(limits: Partial<Record<string, number>>, windowMs: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    backend: 'memory',
    async consume(bucket, key) {
      const limit = limits[bucket] ?? 10_000;
      const now = Date.now();
      let w = windows.get(`${bucket}:${key}`);
      if (!w || now - w.start >= windowMs) windows.set(`${bucket}:${key}`, (w = { start: now, count: 0 }));
      w.count++;
      return { allowed: w.count <= limit, limit, remaining: Math.max(0, limit - w.count), resetSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
    },
    // Sign-in lockouts play no part here.
    loginFailures: { lockedFor: async () => 0, fail: async () => 0, clear: async () => {} },
    async close() {},
  };
}

const headerOf = (init: RequestInit, name: string) => new Headers(init.headers).get(name);

describe('@latch/client: retries and idempotency (real server)', () => {
  const srv = suiteServer();
  let w: World;
  before(async () => {
    w = await srv.world({ lock: { keyholder: false, durationSeconds: 86400 } });
  });

  it('a custom log whose answer is dropped is retried with the same Idempotency-Key and written once', async () => {
    const keys: Array<string | null> = [];
    const replayed: Array<string | null> = [];
    const dropFirstAnswer: FetchLike = async (input, init) => {
      keys.push(headerOf(init, 'idempotency-key'));
      const res = await fetch(input, init);
      replayed.push(res.headers.get('idempotent-replayed'));
      if (keys.length === 1) {
        await res.text(); // the server has done the work; the answer is lost on the way back
        throw new TypeError('fetch failed', { cause: new Error('socket hang up (simulated)') });
      }
      return res;
    };
    const retries: RetryEvent[] = [];
    const s = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: w.mainTokens.wearer, fetch: dropFirstAnswer, onRetry: (e) => retries.push(e) }).session(w.session.id);
    const log = await s.logs.custom({ title: 'Dropped once' });
    assert.equal(log.title, 'Dropped once');
    assert.equal(keys.length, 2);
    assert.ok(keys[0], 'the mutation carried an Idempotency-Key');
    assert.equal(keys[1], keys[0], 'the retry reused it');
    assert.deepEqual(replayed, [null, 'true'], 'the second answer is the stored one');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.reason, 'network_error');
    assert.equal(retries[0]!.idempotencyKey, keys[0]);
    const entries = (await srv.history(w)).filter((h) => h.title === 'Dropped once');
    assert.equal(entries.length, 1, 'one history entry');
  });

  it('a mutation whose first attempt times out after the server applied it applies once', async () => {
    let posts = 0;
    const holdFirstAnswer: FetchLike = async (input, init) => {
      const first = init.method === 'POST' && ++posts === 1;
      // The server always gets and finishes the request; only the client's wait is cut short.
      const res = await fetch(input, { ...init, signal: null });
      const text = await res.text();
      if (first) {
        await new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
      }
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const retries: RetryEvent[] = [];
    const x = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, fetch: holdFirstAnswer, timeoutMs: 400, onRetry: (e) => retries.push(e) });
    const before = (await x.session()).lockData.timeRemainingSeconds!;
    const res = await x.lock.applyTime(3600);
    assert.equal(res.action, 'add_time');
    assert.equal(posts, 2);
    assert.deepEqual(retries.map((r) => r.reason), ['timeout']);
    const after = (await x.session()).lockData.timeRemainingSeconds!;
    assert.ok(after - before >= 3600 && after - before < 7200, `time added once: ${before} → ${after}`);
  });

  it('without an idempotency key a mutation is not retried after a lost answer (it might apply twice)', async () => {
    let calls = 0;
    const dropFirstAnswer: FetchLike = async (input, init) => {
      calls++;
      const res = await fetch(input, init);
      await res.text();
      throw new TypeError('fetch failed');
    };
    const s = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: w.mainTokens.wearer, fetch: dropFirstAnswer }).session(w.session.id);
    const err = await s.logs.custom({ title: 'No key' }, { idempotencyKey: false }).catch((e: unknown) => e);
    assert.ok(err instanceof LatchNetworkError);
    assert.equal(err.code, 'network_error');
    assert.equal(err.attempts, 1);
    assert.equal(err.idempotencyKey, null);
    assert.equal(calls, 1);
    // A key of your own makes a later retry safe, even from another process.
    const key = `job-${Date.now()}`;
    const ok = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: w.mainTokens.wearer }).session(w.session.id);
    const first = await ok.logs.custom({ title: 'Own key' }, { idempotencyKey: key });
    const again = await ok.logs.custom({ title: 'Own key' }, { idempotencyKey: key });
    assert.equal(again.id, first.id);
    assert.equal((await srv.history(w)).filter((h) => h.title === 'Own key').length, 1);
  });

  it('retries 502/503/504 and a 409 conflict for a keyed request that is still running', async () => {
    const answers = [
      () => new Response(JSON.stringify({ error: { code: 'service_unavailable', message: 'restarting' }, code: 'service_unavailable', message: 'restarting', requestId: 'req_a' }), { status: 503, headers: { 'content-type': 'application/json' } }),
      () => new Response(JSON.stringify({ error: { code: 'conflict', message: 'still running' }, code: 'conflict', message: 'still running', requestId: 'req_b' }), { status: 409, headers: { 'content-type': 'application/json', 'retry-after': '0' } }),
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    ];
    let i = 0;
    const flaky: FetchLike = (input, init) => (i < answers.length ? Promise.resolve(answers[i++]!()) : fetch(input, init));
    const retries: RetryEvent[] = [];
    const s = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: w.mainTokens.wearer, fetch: flaky, retry: { minDelayMs: 5, jitter: false }, onRetry: (e) => retries.push(e) }).session(w.session.id);
    const state = await s.state.patch({ flaky: true });
    assert.equal(state.data.flaky, true);
    assert.deepEqual(retries.map((r) => r.reason), ['service_unavailable', 'conflict', 'http_502']);
    assert.deepEqual(retries.map((r) => r.delayMs), [5, 0, 20], 'backoff doubles; Retry-After wins');

    // A 409 that is an answer (not the "still running" kind) is not retried.
    const err = await s.attempts.start({ metric: 'none', attemptId: 'x' }).catch((e: unknown) => e);
    assert.ok(err instanceof LatchApiError);
    assert.notEqual(err.status, 409);
  });

  it('network errors: bounded exponential backoff, then a LatchNetworkError', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const retries: RetryEvent[] = [];
    const x = createExternalClient({ baseUrl: `http://127.0.0.1:${port}`, userKey: 'lk_usr_x', retry: { retries: 4, minDelayMs: 10, factor: 3, maxDelayMs: 50, jitter: false }, onRetry: (e) => retries.push(e) });
    const err = await x.session().catch((e: unknown) => e);
    assert.ok(err instanceof LatchNetworkError, String(err));
    assert.equal(err.attempts, 5);
    assert.match(err.message, /GET \/api\/apps\/v1\/session failed before an answer came/);
    assert.match(err.message, /ECONNREFUSED/);
    assert.deepEqual(retries.map((r) => r.delayMs), [10, 30, 50, 50]);
  });

  it('a request that gets no answer fails with a clear timeout error', async () => {
    const silent = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const once = createExternalClient({ baseUrl, userKey: 'lk_usr_x', timeoutMs: 200, retry: false });
      const started = Date.now();
      const err = await once.session().catch((e: unknown) => e);
      assert.ok(err instanceof LatchTimeoutError, String(err));
      assert.equal(err.code, 'timeout');
      assert.equal(err.timeoutMs, 200);
      assert.equal(err.message, 'GET /api/apps/v1/session got no answer within 200 ms');
      assert.ok(Date.now() - started < 2000);

      const retried = createExtensionClient({ baseUrl, appKey: 'lk_app_x', mainToken: 'mt_x', timeoutMs: 100, retry: { retries: 2, minDelayMs: 5 } });
      const err2 = await retried.session('0123456789abcdef01234567').logs.custom({ title: 't' }).catch((e: unknown) => e);
      assert.ok(err2 instanceof LatchTimeoutError);
      assert.equal(err2.attempts, 3);
      assert.match(err2.message, /POST \/api\/extensions\/sessions\/0123456789abcdef01234567\/logs\/custom got no answer within 100 ms \(3 attempts\)/);
      assert.ok(err2.idempotencyKey, 'the key to retry it with later');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('the caller’s AbortSignal stops the call and its backoff', async () => {
    const never: FetchLike = (_input, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    const x = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, fetch: never });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user navigated away')), 50);
    const err = await x.session({ signal: ac.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof LatchAbortError);
    assert.equal(err.code, 'aborted');
  });
});

describe('@latch/client: 429 and Retry-After (real server)', () => {
  it('waits out Retry-After and then succeeds', async () => {
    // Writes: 2 per 1.5 s window for each credential.
    const srv = await startServer({ rateLimiter: shortWindowLimiter({ write: 2 }, 1500) });
    try {
      const w = await srv.world({ lock: { keyholder: false } });
      const retries: RetryEvent[] = [];
      const x = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, onRetry: (e) => retries.push(e) });
      await x.state.patch({ n: 1 });
      await x.state.patch({ n: 2 });
      const started = Date.now();
      const third = await x.state.patch({ n: 3 });
      const waited = Date.now() - started;
      assert.deepEqual(third.data, { n: 3 });
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.reason, 'rate_limited');
      const asked = (retries[0]!.error as LatchApiError).retryAfterMs!;
      assert.ok(asked >= 1000 && asked <= 2000, `Retry-After ${asked} ms`);
      assert.equal(retries[0]!.delayMs, asked, 'waited exactly what the server asked');
      assert.ok(waited >= asked, `waited ${waited} ms ≥ ${asked} ms`);
    } finally {
      await srv.close();
    }
  });

  it('with the real limiter (tiny RATE_LIMIT_MULTIPLIER): honours its Retry-After, and fails fast past maxRetryAfterMs', async () => {
    const srv = await startServer({ rateLimitMultiplier: 0.01 }); // read: 3 per minute
    try {
      const w = await srv.world({ lock: { keyholder: false } });
      const retries: RetryEvent[] = [];
      const x = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, onRetry: (e) => retries.push(e) });
      for (let i = 0; i < 3; i++) await x.session();

      // The server asks for most of a minute: more than this caller allows, so it fails at once.
      const impatient = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, retry: { maxRetryAfterMs: 2000 } });
      const started = Date.now();
      const err = await impatient.session().catch((e: unknown) => e);
      assert.ok(err instanceof LatchApiError);
      assert.equal(err.status, 429);
      assert.equal(err.code, 'rate_limited');
      assert.equal((err.body as { error: unknown }).error, 'rate_limited');
      assert.match(err.requestId!, /^req_/);
      assert.equal((err.details as { bucket: string }).bucket, 'read');
      assert.ok(err.retryAfterMs! > 2000 && err.retryAfterMs! <= 60_000, `retryAfterMs ${err.retryAfterMs}`);
      assert.equal(err.attempts, 1);
      assert.ok(Date.now() - started < 1000, 'no wait');

      // A patient caller waits what the server asked (here: stopped early by its own signal).
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const aborted = await x.session({ signal: ac.signal }).catch((e: unknown) => e);
      assert.ok(aborted instanceof LatchAbortError);
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.reason, 'rate_limited');
      assert.ok(retries[0]!.delayMs > 2000, `would wait ${retries[0]!.delayMs} ms`);
    } finally {
      await srv.close();
    }
  });
});
