import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createRateLimiter, RATE_LIMITS, rateLimitHeaders, type RateBucket, type RateDecision, type RateLimiter } from '../src/ratelimit.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const REQUIRE_ALL = process.env.REQUIRE_ALL === '1';
/** One namespace per test run, so parallel runs (and earlier runs) never share counters. */
const RUN_PREFIX = `latch:rl:test:${randomBytes(6).toString('hex')}`;
const MODULE_URL = new URL('../src/ratelimit.ts', import.meta.url).href;

const newKey = () => `cred_${randomBytes(6).toString('hex')}`;

async function redisProblem(): Promise<string | null> {
  try {
    const rl = await createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: `${RUN_PREFIX}:probe` });
    await rl.close();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
const redisDown = await redisProblem();

async function consumeN(rl: RateLimiter, bucket: RateBucket, key: string, n: number): Promise<RateDecision[]> {
  const out: RateDecision[] = [];
  for (let i = 0; i < n; i++) out.push(await rl.consume(bucket, key));
  return out;
}

/** A TCP forwarder in front of Redis that the test can pull the plug on ("Redis goes down"). */
async function tcpProxy(target: URL): Promise<{ url: string; kill(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const u = new URL(target.href);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return {
    url: u.href,
    kill: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** The behaviour both backends must share. `make` builds a limiter with a fresh namespace. */
function contract(make: (opts?: { multiplier?: number; keyPrefix?: string }) => Promise<RateLimiter>) {
  const open: RateLimiter[] = [];
  const limiter = async (opts?: { multiplier?: number; keyPrefix?: string }) => {
    const rl = await make(opts);
    open.push(rl);
    return rl;
  };
  after(async () => {
    await Promise.all(open.map((rl) => rl.close()));
  });

  it('allows exactly the limit, then refuses with resetSeconds ≥ 1', async () => {
    const rl = await limiter();
    const key = newKey();
    const ok = await consumeN(rl, 'login', key, RATE_LIMITS.login);
    assert.ok(ok.every((d) => d.allowed && d.limit === 10 && d.error === undefined));
    const refused = await rl.consume('login', key);
    assert.equal(refused.allowed, false);
    assert.equal(refused.limit, 10);
    assert.equal(refused.remaining, 0);
    assert.ok(Number.isInteger(refused.resetSeconds) && refused.resetSeconds >= 1 && refused.resetSeconds <= 60, `resetSeconds ${refused.resetSeconds}`);
    assert.equal(refused.error, undefined);
    // Stays refused.
    assert.equal((await rl.consume('login', key)).allowed, false);
  });

  it('counts remaining down and reports the reset within the window', async () => {
    const rl = await limiter();
    const ds = await consumeN(rl, 'upload', newKey(), 10);
    assert.deepEqual(
      ds.map((d) => d.remaining),
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    );
    for (const d of ds) assert.ok(Number.isInteger(d.resetSeconds) && d.resetSeconds >= 1 && d.resetSeconds <= 60);
  });

  it('keeps buckets and keys independent', async () => {
    const rl = await limiter();
    const a = newKey();
    const b = newKey();
    await consumeN(rl, 'login', a, 10);
    assert.equal((await rl.consume('login', a)).allowed, false);
    // Same key, other buckets: untouched budgets.
    const upload = await rl.consume('upload', a);
    assert.deepEqual([upload.allowed, upload.remaining], [true, 9]);
    const read = await rl.consume('read', a);
    assert.deepEqual([read.allowed, read.limit, read.remaining], [true, 300, 299]);
    // Other key, same bucket: untouched budget.
    const other = await rl.consume('login', b);
    assert.deepEqual([other.allowed, other.remaining], [true, 9]);
  });

  it('has the per-minute limits of DECISIONS §12 for every bucket', async () => {
    const rl = await limiter();
    const key = newKey();
    for (const [bucket, limit] of Object.entries({ read: 300, write: 120, upload: 10, action: 30, token: 30, login: 10 })) {
      const d = await rl.consume(bucket as RateBucket, key);
      assert.deepEqual([d.allowed, d.limit, d.remaining], [true, limit, limit - 1], bucket);
    }
  });

  it('scales every limit by the multiplier (floored, at least 1)', async () => {
    const tenth = await limiter({ multiplier: 0.1 });
    const key = newKey();
    const writes = await consumeN(tenth, 'write', key, 12);
    assert.ok(writes.every((d) => d.allowed && d.limit === 12));
    assert.equal((await tenth.consume('write', key)).allowed, false);
    assert.equal((await tenth.consume('read', key)).limit, 30);
    assert.equal((await tenth.consume('upload', key)).limit, 1);

    const tiny = await limiter({ multiplier: 0.001 });
    const d1 = await tiny.consume('read', key);
    assert.deepEqual([d1.allowed, d1.limit, d1.remaining], [true, 1, 0]);
    assert.equal((await tiny.consume('read', key)).allowed, false);

    const big = await limiter({ multiplier: 10 });
    assert.equal((await big.consume('read', key)).limit, 3000);
  });

  it('rejects a multiplier that is not a positive number', async () => {
    for (const multiplier of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(make({ multiplier }), RangeError);
    }
  });

  it('allows exactly the limit out of 20 concurrent requests', async () => {
    const rl = await limiter();
    const key = newKey();
    const ds = await Promise.all(Array.from({ length: 20 }, () => rl.consume('login', key)));
    assert.equal(ds.filter((d) => d.allowed).length, 10);
    assert.deepEqual(
      ds
        .filter((d) => d.allowed)
        .map((d) => d.remaining)
        .sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });
}

describe('rateLimitHeaders', () => {
  it('gives limit, remaining and reset; Retry-After only when refused', () => {
    assert.deepEqual(rateLimitHeaders({ allowed: true, limit: 120, remaining: 7, resetSeconds: 42 }), {
      'RateLimit-Limit': '120',
      'RateLimit-Remaining': '7',
      'RateLimit-Reset': '42',
    });
    assert.deepEqual(rateLimitHeaders({ allowed: false, limit: 10, remaining: 0, resetSeconds: 13 }), {
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '13',
      'Retry-After': '13',
    });
  });

  it('matches what the limiter returns', async () => {
    const rl = await createRateLimiter({});
    const key = newKey();
    await consumeN(rl, 'upload', key, 10);
    const h = rateLimitHeaders(await rl.consume('upload', key));
    assert.equal(h['RateLimit-Limit'], '10');
    assert.equal(h['RateLimit-Remaining'], '0');
    assert.ok(Number(h['Retry-After']) >= 1 && h['Retry-After'] === h['RateLimit-Reset']);
    await rl.close();
  });
});

describe('rate limiter (memory)', () => {
  it('is the memory backend without a Redis URL', async () => {
    for (const redisUrl of [undefined, null, '']) {
      const rl = await createRateLimiter({ redisUrl });
      assert.equal(rl.backend, 'memory');
      await rl.close();
    }
  });
  contract((opts) => createRateLimiter({ ...opts }));

  it('two in-memory limiters do not share a budget (that is what Redis is for)', async () => {
    const a = await createRateLimiter({ keyPrefix: 'same' });
    const b = await createRateLimiter({ keyPrefix: 'same' });
    const key = newKey();
    await consumeN(a, 'login', key, 10);
    assert.equal((await a.consume('login', key)).allowed, false);
    assert.equal((await b.consume('login', key)).allowed, true);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('rate limiter: Redis unreachable at start-up', () => {
  it('fails fast with a clear error when nothing listens', async () => {
    // A port that was just free: connection refused.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const started = performance.now();
    await assert.rejects(createRateLimiter({ redisUrl: `redis://:secret@127.0.0.1:${port}` }), (err: Error) => {
      assert.match(err.message, /rate limiter: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+.*ECONNREFUSED/);
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
    assert.ok(performance.now() - started < 4000);
  });

  it('does not hang when the server accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const blackhole = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as net.AddressInfo;
    const started = performance.now();
    await assert.rejects(createRateLimiter({ redisUrl: `redis://127.0.0.1:${port}` }), /cannot reach Redis/);
    const took = performance.now() - started;
    assert.ok(took < 6000, `took ${took} ms`);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });
});

const redisSkip = redisDown && !REQUIRE_ALL ? `Redis at ${REDIS_URL} is not reachable (${redisDown}); REQUIRE_ALL=1 makes this a failure` : false;

describe('rate limiter (Redis)', { skip: redisSkip }, () => {
  let n = 0;
  /** A fresh namespace inside this run's prefix, unless the test asks for a specific one. */
  const make = (opts: { multiplier?: number; keyPrefix?: string } = {}) => createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: `${RUN_PREFIX}:${++n}`, ...opts });

  before(() => {
    if (redisDown) throw new Error(`REQUIRE_ALL=1 but Redis at ${REDIS_URL} is not reachable: ${redisDown}`);
  });

  after(async () => {
    // The keys expire after 60 s anyway; remove them now so the shared Redis stays tidy.
    if (redisDown) return;
    const admin = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, retryStrategy: () => null });
    admin.on('error', () => {});
    try {
      await admin.connect();
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${RUN_PREFIX}:*`, 'COUNT', 500);
        if (keys.length) await admin.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      admin.disconnect();
    }
  });

  it('is the Redis backend with a Redis URL', async () => {
    const rl = await make();
    assert.equal(rl.backend, 'redis');
    await rl.close();
    await rl.close(); // idempotent
  });

  contract(make);

  it('shares one budget between two limiters ("processes") on the same Redis and prefix', async () => {
    const keyPrefix = `${RUN_PREFIX}:shared`;
    const a = await make({ keyPrefix });
    const b = await make({ keyPrefix });
    const key = newKey();
    await consumeN(a, 'login', key, 6);
    const fromB = await consumeN(b, 'login', key, 4);
    assert.deepEqual(
      fromB.map((d) => d.remaining),
      [3, 2, 1, 0],
    );
    assert.equal((await a.consume('login', key)).allowed, false);
    assert.equal((await b.consume('login', key)).allowed, false);
    // A different prefix is a different namespace.
    const c = await make({ keyPrefix: `${RUN_PREFIX}:other` });
    assert.equal((await c.consume('login', key)).allowed, true);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('allows exactly 10 of 20 concurrent requests spread over two limiters', async () => {
    const keyPrefix = `${RUN_PREFIX}:race`;
    const a = await make({ keyPrefix });
    const b = await make({ keyPrefix });
    const key = newKey();
    const ds = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).consume('login', key)));
    assert.equal(ds.filter((d) => d.allowed).length, 10);
    assert.equal(ds.filter((d) => !d.allowed).length, 10);
    await Promise.all([a.close(), b.close()]);
  });

  it('fails open, quickly and with the error on the decision, when Redis goes away mid-run', async () => {
    const proxy = await tcpProxy(new URL(REDIS_URL));
    const rl = await createRateLimiter({ redisUrl: proxy.url, keyPrefix: `${RUN_PREFIX}:failopen` });
    try {
      const key = newKey();
      const before = await rl.consume('login', key);
      assert.deepEqual([before.allowed, before.remaining, before.error], [true, 9, undefined]);
      await proxy.kill();
      const started = performance.now();
      const ds = await Promise.all(Array.from({ length: 15 }, () => rl.consume('login', key)));
      const took = performance.now() - started;
      assert.ok(took < 2500, `took ${took} ms`);
      for (const d of ds) {
        assert.equal(d.allowed, true);
        assert.equal(d.limit, 10);
        assert.equal(d.remaining, 10);
        assert.ok(d.resetSeconds >= 1);
        assert.ok(d.error instanceof Error);
      }
    } finally {
      await rl.close();
    }
  });

  it('close() leaves nothing behind: a process that used the limiter exits by itself', async () => {
    const code = `
      const { createRateLimiter } = await import(${JSON.stringify(MODULE_URL)});
      const rl = await createRateLimiter({ redisUrl: ${JSON.stringify(REDIS_URL)}, keyPrefix: ${JSON.stringify(`${RUN_PREFIX}:child`)} });
      const d = await rl.consume('read', 'k');
      await rl.close();
      console.log(JSON.stringify(d));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let closedAt = 0;
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (out.includes('\n')) closedAt ||= performance.now();
    });
    child.stderr.on('data', (c: Buffer) => (err += c));
    const exit = await new Promise<number | null | 'hung'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('hung');
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(exit, 0, `child exit ${exit}; stderr: ${err}`);
    assert.equal(JSON.parse(out).allowed, true);
    const lingered = performance.now() - closedAt;
    // Exiting at all (not 'hung') shows nothing keeps it alive; this bound catches a leftover
    // timer or socket that only delays the exit (QUIT's 1 s fallback would), with room for a loaded machine.
    assert.ok(lingered < 5000, `the child lived ${lingered} ms after close()`);
  });

  it('close() after Redis went away stops reconnecting and the process still exits', async () => {
    const proxy = await tcpProxy(new URL(REDIS_URL));
    const code = `
      const { createRateLimiter } = await import(${JSON.stringify(MODULE_URL)});
      const rl = await createRateLimiter({ redisUrl: process.argv[1], keyPrefix: ${JSON.stringify(`${RUN_PREFIX}:child2`)} });
      process.stdout.write('up\\n');
      process.stdin.once('data', async () => {
        const d = await rl.consume('read', 'k');
        await rl.close();
        process.stdin.destroy();
        console.log(JSON.stringify({ allowed: d.allowed, failedOpen: !!d.error }));
      });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, proxy.url], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c));
    const exit = new Promise<number | null | 'hung'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('hung');
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    let closedAt = 0;
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        if (out.includes('up\n')) resolve();
        if (out.split('\n').length > 2) closedAt ||= performance.now();
      }),
    );
    await proxy.kill(); // Redis "goes down"; the child's client now retries in the background
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.write('go\n');
    assert.equal(await exit, 0, `child exit; stderr: ${err}`);
    assert.deepEqual(JSON.parse(out.split('\n')[1]!), { allowed: true, failedOpen: true });
    const lingered = performance.now() - closedAt;
    // Exiting at all (not 'hung') shows nothing keeps it alive; this bound catches a leftover
    // timer or socket that only delays the exit (QUIT's 1 s fallback would), with room for a loaded machine.
    assert.ok(lingered < 5000, `the child lived ${lingered} ms after close()`);
  });
});
