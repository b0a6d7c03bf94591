/**
 * Per-credential rate limits (DECISIONS §12): a fixed 60 s window per (bucket, credential).
 * In memory on one process; in Redis when `REDIS_URL` is set, so that several instances share one
 * budget per credential. `RATE_LIMIT_MULTIPLIER` scales every limit.
 *
 * Time: the windows run on real (wall-clock) time inside rate-limiter-flexible / Redis, not on the
 * injected `Clock` (§2). That is deliberate: a rate limit protects the server in real time, and
 * fast-forwarding the sandbox's virtual clock must not hand out fresh budgets.
 */
// Type only: ioredis is loaded when REDIS_URL is set (start-up stays light without it).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type RateBucket = 'read' | 'write' | 'upload' | 'action' | 'token' | 'login' | 'login_ip' | 'register_ip' | 'vote_ip' | 'shared_password';

/**
 * Requests per minute per credential, before `multiplier`. The sign-in buckets (`AUTH_BUCKETS`)
 * count per account (`login`) and per client address (`login_ip`, `register_ip`).
 */
export const RATE_LIMITS: Record<RateBucket, number> = {
  read: 300,
  write: 120,
  upload: 10,
  action: 30,
  token: 30,
  login: 10,
  login_ip: 30,
  register_ip: 5,
  // Shared links: votes per client address; shared locks: password tries per user.
  vote_ip: 20,
  shared_password: 10,
};

/** Buckets scaled by `authMultiplier` rather than `multiplier`. */
export const AUTH_BUCKETS: readonly RateBucket[] = ['login', 'login_ip', 'register_ip', 'vote_ip', 'shared_password'];

/**
 * Consecutive failed sign-ins of one account: the first `FREE_LOGIN_FAILURES` cost nothing, each
 * further one locks the account's sign-in for twice as long as the one before (1 s, 2 s, 4 s, …,
 * at most `MAX_LOGIN_LOCKOUT_SECONDS`). A success clears the count; so does an hour without failures.
 */
export const FREE_LOGIN_FAILURES = 5;
export const MAX_LOGIN_LOCKOUT_SECONDS = 15 * 60;
const FAILURE_MEMORY_SECONDS = 3600;

export function lockoutSecondsAfter(failures: number): number {
  if (failures <= FREE_LOGIN_FAILURES) return 0;
  return Math.min(MAX_LOGIN_LOCKOUT_SECONDS, 2 ** Math.min(20, failures - FREE_LOGIN_FAILURES - 1));
}

/** Failed sign-ins per account (see `FREE_LOGIN_FAILURES`); every method fails open. */
export interface LoginFailures {
  /** Seconds the key's sign-in stays locked (0: free to try). */
  lockedFor(key: string): Promise<number>;
  /** Records one failure; returns the lockout it starts (0 while within the free failures). */
  fail(key: string): Promise<number>;
  /** A successful sign-in forgets the failures. */
  clear(key: string): Promise<void>;
}

const WINDOW_SECONDS = 60;
/** Upper bound on connecting to Redis at start-up (TCP connect + ready check). */
const CONNECT_TIMEOUT_MS = 3000;
/** Upper bound a request waits on Redis before the limiter gives up and fails open. */
const COMMAND_TIMEOUT_MS = 1000;
/** Upper bound on a graceful QUIT in `close()` before the socket is cut. */
const QUIT_TIMEOUT_MS = 1000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** whole seconds until the window resets, ≥ 1 */
  resetSeconds: number;
  /**
   * Set only when the backend failed (e.g. Redis went away mid-run) and this decision is a
   * fail-open default rather than a count. The limiter logs nothing itself; the caller should log
   * this (once per incident, ideally) and otherwise treat the decision as normal.
   */
  error?: Error;
}

export interface RateLimiter {
  /** Counts one request of `key` (a credential id) in `bucket`. */
  consume(bucket: RateBucket, key: string): Promise<RateDecision>;
  readonly loginFailures: LoginFailures;
  close(): Promise<void>;
  readonly backend: 'memory' | 'redis';
}

export interface RateLimiterOptions {
  /** `redis://…` to share budgets across processes; empty/null/undefined → in memory. */
  redisUrl?: string | null;
  /** Scales every limit (default 1); each limit stays ≥ 1. */
  multiplier?: number;
  /** Scales the sign-in buckets (`AUTH_BUCKETS`) instead of `multiplier` (default: `multiplier`). */
  authMultiplier?: number;
  /** Namespace for the keys (default `latch:rl`), so several runs can share one Redis. */
  keyPrefix?: string;
}

const BUCKETS = Object.keys(RATE_LIMITS) as RateBucket[];

function scaledLimit(bucket: RateBucket, multiplier = 1): number {
  return Math.max(1, Math.floor(RATE_LIMITS[bucket] * multiplier));
}

export async function createRateLimiter(opts: RateLimiterOptions = {}): Promise<RateLimiter> {
  const multiplier = opts.multiplier ?? 1;
  if (!Number.isFinite(multiplier) || multiplier <= 0) {
    throw new RangeError(`rate limit multiplier must be a positive number, got ${String(opts.multiplier)}`);
  }
  const authMultiplier = opts.authMultiplier ?? multiplier;
  if (!Number.isFinite(authMultiplier) || authMultiplier <= 0) {
    throw new RangeError(`auth rate limit multiplier must be a positive number, got ${String(opts.authMultiplier)}`);
  }
  const keyPrefix = opts.keyPrefix ?? 'latch:rl';
  const limits = Object.fromEntries(BUCKETS.map((b) => [b, scaledLimit(b, AUTH_BUCKETS.includes(b) ? authMultiplier : multiplier)])) as Record<RateBucket, number>;

  if (!opts.redisUrl) {
    const limiters = buildLimiters(limits, (bucket, points) => new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}:${bucket}` }));
    return {
      backend: 'memory',
      consume: (bucket, key) => consumeOne(limiters[bucket], limits[bucket], key),
      loginFailures: loginFailures((points, duration, name) => new RateLimiterMemory({ points, duration, keyPrefix: `${keyPrefix}:${name}` })),
      // Expiry timers of RateLimiterMemory are unref'd: nothing keeps the process alive.
      close: async () => {},
    };
  }

  const client = await connectRedis(opts.redisUrl);
  const limiters = buildLimiters(
    limits,
    (bucket, points) =>
      new RateLimiterRedis({
        storeClient: client,
        points,
        duration: WINDOW_SECONDS,
        keyPrefix: `${keyPrefix}:${bucket}`,
        // Reject at once while the connection is down instead of waiting for a reconnect.
        rejectIfRedisNotReady: true,
      }),
  );
  let closed: Promise<void> | undefined;
  return {
    backend: 'redis',
    consume: (bucket, key) => consumeOne(limiters[bucket], limits[bucket], key),
    loginFailures: loginFailures(
      (points, duration, name) => new RateLimiterRedis({ storeClient: client, points, duration, keyPrefix: `${keyPrefix}:${name}`, rejectIfRedisNotReady: true }),
    ),
    close: () => (closed ??= closeRedis(client)),
  };
}

function buildLimiters(limits: Record<RateBucket, number>, make: (bucket: RateBucket, points: number) => RateLimiterAbstract): Record<RateBucket, RateLimiterAbstract> {
  return Object.fromEntries(BUCKETS.map((b) => [b, make(b, limits[b])])) as Record<RateBucket, RateLimiterAbstract>;
}

/**
 * Two stores of the same backend: `fails` counts an account's failures (forgotten an hour after
 * the first one of a run, or on success), `locks` holds the lockout as a block of that key.
 */
function loginFailures(make: (points: number, durationSeconds: number, name: string) => RateLimiterAbstract): LoginFailures {
  const fails = make(1_000_000, FAILURE_MEMORY_SECONDS, 'login_fail');
  const locks = make(1, MAX_LOGIN_LOCKOUT_SECONDS, 'login_lock');
  const quiet = async <T>(fallback: T, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch {
      return fallback; // fail open, like `consume`
    }
  };
  return {
    lockedFor: (key) =>
      quiet(0, async () => {
        const res = await locks.get(key);
        return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? toResetSeconds(res.msBeforeNext) : 0;
      }),
    fail: (key) =>
      quiet(0, async () => {
        let failures: number;
        try {
          failures = (await fails.consume(key, 1)).consumedPoints;
        } catch (err) {
          if (err instanceof RateLimiterRes) failures = err.consumedPoints;
          else throw err;
        }
        const seconds = lockoutSecondsAfter(failures);
        if (seconds > 0) await locks.block(key, seconds);
        return seconds;
      }),
    clear: (key) =>
      quiet(undefined, async () => {
        await fails.delete(key);
        await locks.delete(key);
      }),
  };
}

function toResetSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

async function consumeOne(limiter: RateLimiterAbstract, limit: number, key: string): Promise<RateDecision> {
  try {
    const res = await limiter.consume(key, 1);
    return { allowed: true, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: toResetSeconds(res.msBeforeNext) };
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      return { allowed: false, limit, remaining: 0, resetSeconds: toResetSeconds(err.msBeforeNext) };
    }
    // Fail OPEN. Anything other than a RateLimiterRes is a backend failure (Redis down, command
    // timeout, connection reset). The limiter protects against abusive clients; an outage of its
    // store must not turn into an outage of the whole API (every request 429/500), so the request
    // goes through as if the budget were untouched. We do not log here: the error rides on the
    // decision and the caller (which has the request logger and request id) logs it.
    return { allowed: true, limit, remaining: limit, resetSeconds: WINDOW_SECONDS, error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** Standard headers for a decision (draft-ietf-httpapi-ratelimit-headers); 429s add `Retry-After`. */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(Math.max(0, d.remaining)),
    'RateLimit-Reset': String(d.resetSeconds),
  };
  if (!d.allowed) headers['Retry-After'] = String(d.resetSeconds);
  return headers;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Connects or throws: start-up must fail fast with a clear message when Redis is configured but
 * unreachable, rather than hang or silently run without shared limits.
 */
export async function connectRedis(url: string, purpose = 'rate limiter'): Promise<Redis> {
  let lastError: Error | undefined;
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // No offline queue: while disconnected, commands fail at once (→ fail open) instead of piling up.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // ioredis arms a (ref'd) timer of this length when disconnect() is called, and if the socket
    // had already died (Redis went away, client is "reconnecting") nothing clears it: the default
    // 2 s would keep the process alive that long after close().
    disconnectTimeout: 250,
    // After start-up, reconnect with a capped backoff for as long as the limiter is open; close()
    // calls disconnect(), which stops this for good.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // ioredis prints unhandled 'error' events to the console; we keep quiet and surface errors
  // through decisions (and through the start-up error below).
  client.on('error', (err: Error) => {
    lastError = err;
  });
  const connecting = client.connect();
  // If our own timer wins the race below, this promise still rejects later (on disconnect): keep
  // that from becoming an unhandled rejection.
  connecting.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    const cause = lastError ?? (err instanceof Error ? err : new Error(String(err)));
    throw new Error(`${purpose}: cannot reach Redis at ${redact(url)}: ${cause.message}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([client.quit(), new Promise((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)))]);
    } catch {
      // The socket is cut below anyway.
    } finally {
      clearTimeout(timer);
    }
  }
  // Stops any reconnect timer and cuts the socket; afterwards the client holds no sockets or timers
  // (beyond the short disconnectTimeout noted above).
  if (client.status !== 'end') client.disconnect();
}
