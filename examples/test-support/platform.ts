/**
 * The real latch platform on a random loopback port (dev mode, a manual clock), for black-box
 * tests of the example backend over real HTTP. SQLite in a temp dir, or a fresh PostgreSQL
 * schema when the suite runs with LATCH_TEST_DB=postgres.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp, createIdGenerator, dropPgSchema, ManualClock, migrateToLatest, openDatabase, testConfig, VirtualClock, type Database } from '@latch/server';

export interface Account {
  id: string;
  username: string;
  password: string;
  userKey: string;
}

export interface World {
  baseUrl: string;
  wearer: Account;
  keyholder: Account | null;
  developer: Account;
  /** `clientId`: Chaster-dialect apps only (fixtures `extension.dialect: 'chaster'`). */
  app: { id: string; slug: string; appKey: string; clientId: string | null };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
}

export interface TestPlatform {
  baseUrl: string;
  clock: ManualClock | VirtualClock;
  app: Awaited<ReturnType<typeof buildApp>>;
  world(body?: Record<string, unknown>): Promise<World>;
  /** Runs the scheduler's due jobs after moving the clock (the dev route). */
  advance(seconds: number): Promise<void>;
  /** A fresh main token for a participant (revokes their previous one, like reopening the extension). */
  mainToken(userId: string, sessionId: string): Promise<string>;
  /** Lock history titles, newest first, as the wearer sees them. */
  history(w: World): Promise<string[]>;
  /** The wearer's notification titles, newest first. */
  notifications(w: World): Promise<string[]>;
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

/**
 * `clock: 'manual'` (default) stands still until advanced; `'virtual'` is real time plus the
 * advances, like `npm run dev` (for code that sends real timestamps).
 */
export async function startPlatform(options: { clock?: 'manual' | 'virtual' } = {}): Promise<TestPlatform> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (process.env.LATCH_TEST_DB === 'postgres') {
    const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
    const pgSchema = `t_${randomBytes(6).toString('hex')}`;
    database = await openDatabase(url, { pgSchema, pgPoolSize: 4 });
    cleanup = () => dropPgSchema(url, pgSchema);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-example-'));
    database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  await migrateToLatest(database);
  const clock = options.clock === 'virtual' ? new VirtualClock() : new ManualClock();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({ publicUrl: baseUrl, port, dev: true, rateLimitMultiplier: 100 });
  const app = await buildApp({ config, database, clock, ids: createIdGenerator(clock), logger: pino({ level: process.env.LATCH_TEST_LOG || 'silent' }), runScheduler: false });
  await app.listen({ port, host: '127.0.0.1' });

  async function login(w: World): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: w.wearer.username, password: w.wearer.password } });
    if (res.statusCode !== 200) throw new Error(`login ${res.statusCode} ${res.body}`);
    const raw = res.headers['set-cookie'];
    return String(Array.isArray(raw) ? raw[0] : raw).split(';')[0]!;
  }

  return {
    baseUrl,
    clock,
    app,
    async world(body = {}) {
      const res = await app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
      if (res.statusCode !== 201) throw new Error(`fixtures ${res.statusCode} ${res.body}`);
      return res.json() as World;
    },
    async advance(seconds) {
      const res = await app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
      if (res.statusCode !== 200) throw new Error(`advance ${res.statusCode} ${res.body}`);
    },
    async mainToken(userId, sessionId) {
      return (await app.ctx.mainTokens.issue(userId, sessionId)).mainToken;
    },
    async history(w) {
      const res = await app.inject({ method: 'GET', url: `/api/locks/${w.lock.id}/history?limit=100`, headers: { cookie: await login(w) } });
      if (res.statusCode !== 200) throw new Error(`history ${res.statusCode} ${res.body}`);
      return (res.json() as { results: Array<{ title: string }> }).results.map((h) => h.title);
    },
    async notifications(w) {
      const res = await app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: await login(w) } });
      if (res.statusCode !== 200) throw new Error(`notifications ${res.statusCode} ${res.body}`);
      return (res.json() as { results: Array<{ title: string }> }).results.map((n) => n.title);
    },
    async close() {
      await app.close();
      await database.close();
      await cleanup();
    },
  };
}
