/**
 * The real latch server on a random loopback port, built in-process (dev mode), for black-box
 * tests of the client over real HTTP. SQLite in a temp dir, or PostgreSQL (a fresh schema) when
 * the suite runs with LATCH_TEST_DB=postgres.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { pino } from 'pino';
import { buildApp, createIdGenerator, dropPgSchema, ManualClock, migrateToLatest, openDatabase, testConfig, type AppDeps, type Database } from '@latch/server';
import { LatchApiError } from '../src/index.js';

const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export type App = Awaited<ReturnType<typeof buildApp>>;

export interface World {
  baseUrl: string;
  wearer: { id: string; username: string; password: string; userKey: string };
  keyholder: { id: string; username: string; password: string; userKey: string } | null;
  app: { id: string; slug: string; appKey: string };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
}

export interface TestServer {
  baseUrl: string;
  app: App;
  clock: ManualClock;
  /** `POST /api/dev/fixtures`: a fresh world with every credential. */
  world(body?: Record<string, unknown>): Promise<World>;
  /** Lock history as a participant sees it (through the first-party API). */
  history(w: World): Promise<Array<{ type: string; title: string; role: string }>>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startServer(opts: { rateLimitMultiplier?: number; rateLimiter?: AppDeps['rateLimiter'] } = {}): Promise<TestServer> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (process.env.LATCH_TEST_DB === 'postgres') {
    const pgSchema = `t_${randomBytes(6).toString('hex')}`;
    database = await openDatabase(PG_URL, { pgSchema, pgPoolSize: 4 });
    cleanup = () => dropPgSchema(PG_URL, pgSchema);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-client-'));
    database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  await migrateToLatest(database);
  const clock = new ManualClock();
  // The public URL must be the real one: signed file URLs are absolute.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({ publicUrl: baseUrl, port, dev: true, rateLimitMultiplier: opts.rateLimitMultiplier ?? 100 });
  const app = await buildApp({ config, database, clock, ids: createIdGenerator(clock), logger: pino({ level: process.env.LATCH_TEST_LOG || 'silent' }), runScheduler: false, ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}) });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    baseUrl,
    app,
    clock,
    async world(body = {}) {
      const res = await app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
      if (res.statusCode !== 201) throw new Error(`fixtures ${res.statusCode} ${res.body}`);
      return res.json() as World;
    },
    async history(w) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: w.wearer.username, password: w.wearer.password } });
      if (login.statusCode !== 200) throw new Error(`login ${login.statusCode} ${login.body}`);
      const raw = login.headers['set-cookie'];
      const cookie = String(Array.isArray(raw) ? raw[0] : raw).split(';')[0]!;
      const res = await app.inject({ method: 'GET', url: `/api/locks/${w.lock.id}/history?limit=100`, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`history ${res.statusCode} ${res.body}`);
      return (res.json() as { results: Array<{ type: string; title: string; role: string }> }).results;
    },
    async close() {
      await app.close();
      await database.close();
      await cleanup();
    },
  };
}

/**
 * The server of a `describe`: started before its first test (ahead of the suite's own `before`
 * hooks, which may use it) and closed after its last.
 */
export function suiteServer(opts: Parameters<typeof startServer>[0] = {}): TestServer {
  const srv = {} as TestServer;
  before(async () => Object.assign(srv, await startServer(opts)));
  // A server that failed to start has nothing to close.
  after(() => srv.close?.());
  return srv;
}

/** Awaits `p`, which must reject with a LatchApiError of this status and code; returns the error. */
export async function rejectsWith(p: Promise<unknown>, status: number, code: string): Promise<LatchApiError> {
  const err = await p.then(
    () => assert.fail(`expected ${status} ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof LatchApiError, `a LatchApiError, got ${String(err)}`);
  assert.equal(err.status, status, err.message);
  assert.equal(err.code, code, err.message);
  return err;
}
