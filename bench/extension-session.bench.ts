/**
 * The extension session API on the real latch app, once on SQLite (temporary file) and once on
 * PostgreSQL (a fresh schema, dropped afterwards; skipped with a note when no server answers):
 *
 *   - `GET   /api/extensions/sessions/:id`        read: key + main token lookup, session, lock, app
 *   - `PATCH /api/extensions/sessions/:id/state`  write: the same credentials, then a versioned
 *                                                  merge-patch of the state in a transaction
 *
 * both with `Authorization: Bearer <app key>` + `x-chastify-main-token` from `POST /api/dev/fixtures`.
 * Each is compared with the bare Fastify `GET /hello` of lib.ts, measured alternately in the same
 * run; the ratio is latch req/s ÷ bare req/s. Rate limits are multiplied out of the way
 * (`rateLimitMultiplier`), so what is measured is the work a request does, not a 429.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../packages/server/src/app.js';
import { systemClock } from '../packages/server/src/clock.js';
import { testConfig } from '../packages/server/src/config.js';
import { dropPgSchema, openDatabase, type Database } from '../packages/server/src/db/connect.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import { createIdGenerator } from '../packages/server/src/ids.js';
import { MAIN_TOKEN_HEADER } from '@latch/protocol/wire';
import { assertAll2xx, compare, startBareFastify, type Benchmark, type BenchResult, type RunningServer, type Target } from './lib.js';

const NAME = 'extension-session';
export const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** A constant small body: every request bumps the state version, the state itself stays the same size. */
export const PATCH_BODY = JSON.stringify({ data: { counter: 1 } });

type DbKind = 'sqlite' | 'postgres';

/** An opened, empty database and how to get rid of it afterwards. */
export interface BenchDatabase {
  database: Database;
  /** Closes the handle and deletes the data (temp dir / schema). */
  destroy(): Promise<void>;
}

export async function openSqlite(): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-'));
  try {
    const database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
    return {
      database,
      async destroy() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Resolves to null when the server answers `select 1`, otherwise to why not. */
export async function pgUnreachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // An error after connect (e.g. the server going away) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openPostgres(): Promise<BenchDatabase> {
  const pgSchema = `bench_${randomBytes(6).toString('hex')}`;
  let database: Database;
  try {
    // Pool size left at the server's default, as `npm start` would run it.
    database = await openDatabase(PG_URL, { pgSchema });
  } catch (err) {
    await dropPgSchema(PG_URL, pgSchema).catch(() => {});
    throw err;
  }
  return {
    database,
    async destroy() {
      await database.close();
      await dropPgSchema(PG_URL, pgSchema);
    },
  };
}

export interface LatchServer extends RunningServer {
  sessionId: string;
  /** The headers every measured request carries. */
  auth: Record<string, string>;
}

/**
 * The real app (dev mode, real clock) on the given database, with one fixture world; checks that
 * both measured requests really answer 200 before listening on a free port.
 */
export async function startLatch(bdb: BenchDatabase): Promise<LatchServer> {
  const { database } = bdb;
  try {
    await migrateToLatest(database);
    const clock = systemClock;
    const app = await buildApp({
      // publicUrl only feeds the OpenAPI servers list, fixture URLs and the CSRF origin check of cookie mutations.
      config: testConfig({ publicUrl: 'http://127.0.0.1', dev: true, rateLimitMultiplier: 100_000 }),
      database,
      clock,
      ids: createIdGenerator(clock),
      logger: pino({ level: 'silent' }),
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: {} });
      if (res.statusCode !== 201) throw new Error(`POST /api/dev/fixtures: ${res.statusCode} ${res.body}`);
      const world = res.json() as { app: { appKey: string }; session: { id: string }; mainTokens: { wearer: string } };
      const sessionId = world.session.id;
      const auth = { authorization: `Bearer ${world.app.appKey}`, [MAIN_TOKEN_HEADER]: world.mainTokens.wearer };

      // Make sure the measured routes really are the authenticated 200s, not cheap 4xx.
      const get = await app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: auth });
      if (get.statusCode !== 200 || get.json().sessionId !== sessionId) throw new Error(`GET session: ${get.statusCode} ${get.body}`);
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/extensions/sessions/${sessionId}/state`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: PATCH_BODY,
      });
      if (patch.statusCode !== 200 || patch.json().data?.counter !== 1) throw new Error(`PATCH state: ${patch.statusCode} ${patch.body}`);

      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      return {
        url,
        sessionId,
        auth,
        async close() {
          await app.close();
          await bdb.destroy();
        },
      };
    } catch (err) {
      await app.close();
      throw err;
    }
  } catch (err) {
    await bdb.destroy();
    throw err;
  }
}

const DB_LABEL: Record<DbKind, string> = { sqlite: 'SQLite file', postgres: 'PostgreSQL' };

export const extensionSessionBench: Benchmark = {
  name: NAME,
  async run({ settings, log, skip }) {
    const results: BenchResult[] = [];
    const bare = await startBareFastify();
    const baseline: Target = { label: 'bare Fastify GET /hello', url: bare.url + bare.path };
    try {
      for (const kind of ['sqlite', 'postgres'] as const) {
        if (kind === 'postgres') {
          const why = await pgUnreachable(PG_URL);
          if (why) {
            skip(`${NAME}/postgres`, `PostgreSQL at ${PG_URL.replace(/\/\/[^@/]*@/, '//')} unreachable (${why})`);
            continue;
          }
        }
        const latch = await startLatch(kind === 'sqlite' ? await openSqlite() : await openPostgres());
        try {
          log(`  ${DB_LABEL[kind]}: latch ${latch.url}, bare Fastify ${bare.url}`);
          const routes: Array<{ key: string; route: string; target: Target; goal?: number }> = [
            {
              key: 'get',
              // Issue 15's acceptance: GET session ≥ 0.30 of bare Fastify on SQLite, ≥ 0.15 on PostgreSQL.
              goal: kind === 'sqlite' ? 0.3 : 0.15,
              route: 'GET /api/extensions/sessions/:id',
              target: { label: `latch GET session (${kind})`, url: `${latch.url}/api/extensions/sessions/${latch.sessionId}`, headers: latch.auth },
            },
            {
              key: 'patch-state',
              route: 'PATCH /api/extensions/sessions/:id/state',
              // Issue 15: PATCH state ≥ 0.15 on SQLite (no PostgreSQL target set).
              ...(kind === 'sqlite' ? { goal: 0.15 } : {}),
              target: {
                label: `latch PATCH state (${kind})`,
                url: `${latch.url}/api/extensions/sessions/${latch.sessionId}/state`,
                method: 'PATCH' as const,
                headers: { ...latch.auth, 'content-type': 'application/json' },
                body: PATCH_BODY,
              },
            },
          ];
          for (const r of routes) {
            log(`  ${r.route} on ${DB_LABEL[kind]}`);
            const comparison = await compare(baseline, r.target, settings, log);
            assertAll2xx(comparison);
            results.push({
              name: `${NAME}/${kind}/${r.key}`,
              description: `${r.route} (app key + main token, ${DB_LABEL[kind]}) vs a bare Fastify 5 JSON GET route, same process`,
              headline: { label: `latch ${r.route} [${kind}] ÷ bare Fastify`, ratio: comparison.ratio },
              comparison,
              ...(r.goal !== undefined ? { target: { label: `ratio ≥ ${r.goal.toFixed(2)}`, met: comparison.ratio >= r.goal } } : {}),
            });
          }
        } finally {
          await latch.close();
        }
      }
    } finally {
      await bare.close();
    }
    return results;
  },
};
