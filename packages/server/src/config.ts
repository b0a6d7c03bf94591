import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Everything the server reads from the environment (DECISIONS §13), parsed once at start. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  redisUrl: string | null;
  dev: boolean;
  logLevel: string;
  /** Largest accepted request body in bytes (413 `payload_too_large` above it). */
  bodyLimit: number;
  /** Lifetime of a first-party login session. */
  sessionTtlMs: number;
  /** Mark the session cookie `Secure` (on when PUBLIC_URL is https). */
  secureCookies: boolean;
  rateLimitMultiplier: number;
  /**
   * Scales the sign-in limits (per account and per client address; AUTH_RATE_LIMIT_MULTIPLIER,
   * default RATE_LIMIT_MULTIPLIER). Tests raise it: all their requests come from one address.
   */
  authRateLimitMultiplier: number;
  /** Run due jobs inside the server process (RUN_SCHEDULER=0 when separate `npm run worker`s do). */
  runScheduler: boolean;
  /** How long a claimed job stays leased before another worker may take it over. */
  jobLeaseMs: number;
  /** How often a separate `npm run worker` looks for due jobs (WORKER_POLL_MS). */
  workerPollMs: number;
  /** Due jobs of a set-based kind (requirement windows) evaluated per transaction; 1 = one job per transaction. */
  jobBatchSize: number;
  /** Extension files: where the bytes live and how their URLs are signed. */
  files: FilesConfig;
  /** Hosts a Buttplug/Intiface device URL may point at (`*` = any). */
  buttplugAllowedHosts: string[];
  webhooks: WebhooksConfig;
  /**
   * Prometheus metrics (off by default): METRICS=1 serves `/metrics` on the main port;
   * METRICS_PORT serves it on a listener of its own instead (on HOST), away from public traffic.
   */
  metrics: { enabled: boolean; port: number | null };
  /** Master keys of the combination safe (issue 14). */
  combination: CombinationKeyConfig;
}

/**
 * The master keys that wrap each lock's combination data key (envelope encryption). The first
 * wraps new combinations; the others only unwrap older ones (key rotation).
 */
export interface CombinationKeyConfig {
  keys: { id: string; key: Buffer }[];
  /**
   * `env`: COMBINATION_KEY; `dev-file`: the sandbox made one up and keeps it in the data
   * directory; `test`: made up for this process; `missing`: none (the server refuses to start).
   */
  source: 'env' | 'dev-file' | 'local-file' | 'test' | 'missing';
}

export interface WebhooksConfig {
  /**
   * WEBHOOK_ALLOW_PRIVATE_NETWORKS=1: endpoints may be plain http and reach loopback, private,
   * link-local and other non-public addresses (always so in the sandbox).
   */
  allowPrivateNetworks: boolean;
  /** How long one delivery attempt may take, connect to last byte read (10 s). */
  timeoutMs: number;
}

export interface S3Config {
  endpoint: string | null;
  bucket: string;
  region: string;
  accessKeyId: string | null;
  secretAccessKey: string | null;
  forcePathStyle: boolean;
}

export interface FilesConfig {
  /** Local blob directory (the default store). */
  dir: string;
  /** An S3-compatible bucket instead of the local directory (when S3_BUCKET is set). */
  s3: S3Config | null;
  /** HMAC key of signed file URLs. */
  urlSecret: Buffer;
  /** false: made up at start (URLs die with the process and differ between processes). */
  urlSecretConfigured: boolean;
}

export class ConfigError extends Error {}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = intFrom(env.PORT, 3000, 'PORT', 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: ${publicUrl}`);
  }
  const dev = env.LATCH_DEV === '1' || env.LATCH_DEV === 'true';
  if (dev && env.NODE_ENV === 'production') {
    // The sandbox hands out credentials to anyone who asks: never on by accident in production.
    throw new ConfigError('LATCH_DEV=1 is refused when NODE_ENV=production');
  }
  const multiplier = Number(env.RATE_LIMIT_MULTIPLIER ?? '1');
  if (!Number.isFinite(multiplier) || multiplier <= 0) throw new ConfigError('RATE_LIMIT_MULTIPLIER must be a positive number');
  const authMultiplier = env.AUTH_RATE_LIMIT_MULTIPLIER ? Number(env.AUTH_RATE_LIMIT_MULTIPLIER) : multiplier;
  if (!Number.isFinite(authMultiplier) || authMultiplier <= 0) throw new ConfigError('AUTH_RATE_LIMIT_MULTIPLIER must be a positive number');
  return {
    port,
    host,
    publicUrl,
    // The sandbox writes personas with a public password: it never shares the real database by default.
    databaseUrl: env.DATABASE_URL || `sqlite:${path.join(cwd, 'data', dev ? 'sandbox.db' : 'latch.db')}`,
    redisUrl: env.REDIS_URL || null,
    dev,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: intFrom(env.BODY_LIMIT_BYTES, DEFAULT_BODY_LIMIT, 'BODY_LIMIT_BYTES', 1024, 64 * 1024 * 1024),
    sessionTtlMs: intFrom(env.SESSION_TTL_HOURS, 24 * 14, 'SESSION_TTL_HOURS', 1, 24 * 365) * 3600_000,
    secureCookies: publicUrl.startsWith('https:'),
    rateLimitMultiplier: multiplier,
    authRateLimitMultiplier: authMultiplier,
    runScheduler: env.RUN_SCHEDULER !== '0' && env.RUN_SCHEDULER !== 'false',
    jobLeaseMs: intFrom(env.JOB_LEASE_SECONDS, 60, 'JOB_LEASE_SECONDS', 1, 3600) * 1000,
    workerPollMs: intFrom(env.WORKER_POLL_MS, 1000, 'WORKER_POLL_MS', 10, 600_000),
    jobBatchSize: intFrom(env.JOB_BATCH_SIZE, 500, 'JOB_BATCH_SIZE', 1, 5000),
    files: filesConfig(env, cwd),
    buttplugAllowedHosts: (env.BUTTPLUG_ALLOWED_HOSTS ?? 'localhost,127.0.0.1,::1')
      .split(',')
      .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ''))
      .filter(Boolean),
    metrics: {
      enabled: env.METRICS === '1' || env.METRICS === 'true' || !!env.METRICS_PORT,
      port: env.METRICS_PORT ? intFrom(env.METRICS_PORT, 9464, 'METRICS_PORT', 0, 65535) : null,
    },
    combination: combinationKeys(env, cwd, dev),
    webhooks: {
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === '1' || env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
      timeoutMs: 10_000,
    },
  };
}

function filesConfig(env: NodeJS.ProcessEnv, cwd: string): FilesConfig {
  const secret = env.FILE_URL_SECRET ?? '';
  if (secret !== '' && Buffer.byteLength(secret) < 16) throw new ConfigError('FILE_URL_SECRET must be at least 16 bytes');
  let s3: S3Config | null = null;
  if (env.S3_BUCKET) {
    const accessKeyId = env.S3_ACCESS_KEY_ID || null;
    const secretAccessKey = env.S3_SECRET_ACCESS_KEY || null;
    if (!accessKeyId !== !secretAccessKey) throw new ConfigError('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS default credential chain)');
    if (env.S3_ENDPOINT) {
      try {
        new URL(env.S3_ENDPOINT);
      } catch {
        throw new ConfigError(`S3_ENDPOINT is not a URL: ${env.S3_ENDPOINT}`);
      }
    }
    s3 = {
      endpoint: env.S3_ENDPOINT || null,
      bucket: env.S3_BUCKET,
      region: env.S3_REGION || 'us-east-1',
      accessKeyId,
      secretAccessKey,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === '1' || env.S3_FORCE_PATH_STYLE === 'true',
    };
  } else if (env.S3_ENDPOINT || env.S3_ACCESS_KEY_ID) {
    throw new ConfigError('S3_* settings need S3_BUCKET');
  }
  return {
    dir: path.resolve(cwd, env.FILES_DIR || path.join('data', 'files')),
    s3,
    urlSecret: secret ? Buffer.from(secret) : randomBytes(32),
    urlSecretConfigured: secret !== '',
  };
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function masterKey(raw: string, name: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(raw.trim())) throw new ConfigError(`${name} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

/**
 * COMBINATION_KEY (base64, 32 bytes) with its id COMBINATION_KEY_ID (default `k1`), and
 * COMBINATION_PREVIOUS_KEYS (`id:base64,…`) still read after a rotation. Without a key, the
 * sandbox and a local `npm start` keep a generated one in `data/combination.key` (start.ts warns
 * outside the sandbox); with NODE_ENV=production there is none and the server refuses to start,
 * since a key kept beside the data protects nothing and a lost one loses every combination.
 */
function combinationKeys(env: NodeJS.ProcessEnv, cwd: string, dev: boolean): CombinationKeyConfig {
  const production = env.NODE_ENV === 'production';
  const id = env.COMBINATION_KEY_ID || 'k1';
  if (!KEY_ID.test(id)) throw new ConfigError('COMBINATION_KEY_ID must be 1-32 characters of A-Z a-z 0-9 _ -');
  const previous = (env.COMBINATION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':');
      const pid = colon > 0 ? pair.slice(0, colon) : '';
      if (!KEY_ID.test(pid)) throw new ConfigError('COMBINATION_PREVIOUS_KEYS must be id:base64 pairs separated by commas');
      return { id: pid, key: masterKey(pair.slice(colon + 1), `COMBINATION_PREVIOUS_KEYS (${pid})`) };
    });
  if (env.COMBINATION_KEY) {
    const keys = [{ id, key: masterKey(env.COMBINATION_KEY, 'COMBINATION_KEY') }, ...previous];
    if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError('COMBINATION_PREVIOUS_KEYS repeats a key id');
    return { keys, source: 'env' };
  }
  if (previous.length) throw new ConfigError('COMBINATION_PREVIOUS_KEYS needs COMBINATION_KEY (the key that wraps new combinations)');
  if (production) return { keys: [], source: 'missing' };
  const file = path.join(cwd, 'data', 'combination.key');
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    raw = randomBytes(32).toString('base64');
    try {
      fs.writeFileSync(file, raw + '\n', { mode: 0o600, flag: 'wx' });
    } catch {
      // Another sandbox process wrote it first: use theirs.
      raw = fs.readFileSync(file, 'utf8');
    }
  }
  return { keys: [{ id: dev ? 'sandbox' : 'local', key: masterKey(raw, file) }], source: dev ? 'dev-file' : 'local-file' };
}

function intFrom(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got ${raw}`);
  return n;
}

/** A config for tests and embedding: defaults, then overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests never write blobs into the working tree.
  const base = loadConfig({ FILES_DIR: path.join(os.tmpdir(), 'latch-test-files'), COMBINATION_KEY: randomBytes(32).toString('base64'), COMBINATION_KEY_ID: 'test' });
  // Every test request comes from one address: the per-address sign-in limits are raised unless a
  // test asks for them (`authRateLimitMultiplier: 1`).
  return { ...base, port: 0, logLevel: 'silent', dev: true, authRateLimitMultiplier: 1000, combination: { ...base.combination, source: 'test' }, ...overrides };
}
