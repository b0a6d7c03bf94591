import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { pino } from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { ManualClock, type Clock } from '../src/clock.js';
import { testConfig, type Config } from '../src/config.js';
import { dropPgSchema, openDatabase, type Database } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { App } from '../src/http/types.js';
import { createIdGenerator } from '../src/ids.js';
import { loggerOptions } from '../src/logger.js';
import type { FixtureWorld } from '../src/services/fixtures.js';

/** Which database this test run uses: `LATCH_TEST_DB=postgres` runs the same tests on PostgreSQL. */
export const TEST_DB = process.env.LATCH_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  database: Database;
  url: string;
  pgSchema?: string;
  /** Opens a second handle on the same data (a "restart"). */
  reopen(): Promise<Database>;
  destroy(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'postgres') {
    const pgSchema = `t_${randomBytes(6).toString('hex')}`;
    const database = await openDatabase(PG_URL, { pgSchema, pgPoolSize: 4 });
    return {
      database,
      url: PG_URL,
      pgSchema,
      reopen: () => openDatabase(PG_URL, { pgSchema, pgPoolSize: 4 }),
      destroy: () => dropPgSchema(PG_URL, pgSchema),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-test-'));
  const url = `sqlite:${path.join(dir, 'latch.db')}`;
  const database = await openDatabase(url);
  return { database, url, reopen: () => openDatabase(url), destroy: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestApp {
  app: App;
  clock: Clock & { advance(ms: number): number };
  db: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/**
 * An app on a fresh database with a manual clock. The scheduler does not poll: tests make jobs
 * run deterministically through `POST /api/dev/clock/advance` or `app.ctx.scheduler.runDue()`.
 */
export async function testApp(opts: { config?: Partial<Config>; clock?: ManualClock; logStream?: NodeJS.WritableStream; runScheduler?: boolean } = {}): Promise<TestApp> {
  const db = await testDatabase();
  await migrateToLatest(db.database);
  const clock = opts.clock ?? new ManualClock();
  const config = testConfig({ publicUrl: 'http://latch.test', ...opts.config });
  const logger = opts.logStream ? pino(loggerOptions('info'), opts.logStream) : pino({ level: 'silent' });
  const app = await buildApp({ config, database: db.database, clock, ids: createIdGenerator(clock), logger, runScheduler: opts.runScheduler ?? false });
  await app.ready();
  return {
    app,
    clock,
    db,
    config,
    async close() {
      await app.close();
      await db.database.close();
      await db.destroy();
    },
  };
}

/** A signed-in browser: carries the session cookie and sends the CSRF header on mutations. */
export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
  username: string;
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!first) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return first.split(';')[0]!;
}

export async function register(app: App, username = `u_${randomBytes(4).toString('hex')}`, password = 'correct horse battery'): Promise<Session & { password: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username, password } });
  if (res.statusCode !== 201) throw new Error(`register ${res.statusCode} ${res.body}`);
  const me = res.json();
  return { cookie: cookieFrom(res), csrfToken: me.csrfToken, userId: me.id, username, password };
}

export async function login(app: App, username: string, password: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${res.statusCode} ${res.body}`);
  const me = res.json();
  return { cookie: cookieFrom(res), csrfToken: me.csrfToken, userId: me.id, username };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `inject` as a signed-in user (or anonymously with `as: null`). */
export function call(app: App, as: Session | null, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method,
    url,
    headers: {
      ...(as ? { cookie: as.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': as.csrfToken }) } : {}),
      ...headers,
    },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** Asserts the catalog error shape and returns the body. */
export function expectError(res: LightMyRequestResponse, status: number, code: string) {
  const body = res.json();
  if (res.statusCode !== status || body.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.statusCode} ${res.body}`);
  }
  if (typeof body.message !== 'string' || typeof body.requestId !== 'string') throw new Error(`error body lacks message/requestId: ${res.body}`);
  if (body.requestId !== res.headers['x-request-id']) throw new Error('requestId differs from x-request-id');
  return body;
}

/** Row counts of every table: "changes nothing" means this is equal before and after. */
export async function snapshot(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['users', 'user_sessions', 'locks', 'extension_apps', 'extension_sessions', 'history_logs', 'notifications', 'developer_keys', 'main_tokens', 'requirement_progress', 'webhook_endpoints', 'webhook_deliveries', 'jobs'] as const) {
    const r = await database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** A sandbox world (`POST /api/dev/fixtures`, the app must be in dev mode): every account, key and token in one call. */
export async function fixtureWorld(app: App, body: object = {}): Promise<FixtureWorld> {
  const res = await app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
  if (res.statusCode !== 201) throw new Error(`fixtures: ${res.statusCode} ${res.body}`);
  return res.json() as FixtureWorld;
}

/** One server-sent event: its fields (`event`, `id`, `data`…), as read by `readEventStream`. */
export type StreamEvent = Record<string, string>;

/**
 * Reads a `text/event-stream` body, calling `onEvent` for each event block; resolves when the
 * server ends the response (true) or the caller aborted the fetch (false).
 */
export async function readEventStream(body: ReadableStream<Uint8Array> | null, onEvent: (e: StreamEvent) => void): Promise<boolean> {
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const fields: StreamEvent = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
        }
        if (Object.keys(fields).length) onEvent(fields);
      }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * `GET /api/events` over a real port as `cookie`'s session, resuming after `lastEventId` when
 * given: collects its `notification` events until `close()`.
 */
export async function openNotificationStream(baseUrl: string, cookie: string, lastEventId?: string) {
  const ac = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: ac.signal });
  if (res.status !== 200 || !/^text\/event-stream/.test(res.headers.get('content-type') ?? '')) throw new Error(`events: ${res.status} ${await res.text()}`);
  const events: Array<{ id: string; title: string }> = [];
  let ended = false;
  const reading = readEventStream(res.body, (e) => {
    if (e.event === 'notification') events.push({ id: e.id!, title: JSON.parse(e.data!).title });
  }).then((byServer) => {
    ended = byServer;
  });
  /** Waits (at most `ms`) until `what()` holds and says whether it does: tests assert on what happened, not how fast. */
  const waitFor = async (what: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return what();
  };
  const titles = () => events.map((e) => e.title);
  return {
    events,
    titles,
    /** The server ended the response. */
    get ended() {
      return ended;
    },
    waitFor,
    /** The titles once `n` events arrived (or what arrived in 10 s). */
    async until(n: number) {
      await waitFor(() => events.length >= n);
      return titles();
    },
    async close() {
      ac.abort();
      await reading;
    },
  };
}

/**
 * The app of a `describe`: opened before its first test (ahead of the suite's own `before`
 * hooks, which may use it) and closed after its last. Options as `testApp`'s.
 */
export function suiteApp(opts: Parameters<typeof testApp>[0] = {}): TestApp {
  const t = {} as TestApp;
  before(async () => Object.assign(t, await testApp(opts)));
  after(() => t.close());
  return t;
}
