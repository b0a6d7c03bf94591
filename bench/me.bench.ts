/**
 * Authenticated `GET /api/me` on the real latch app (SQLite file database, session cookie,
 * every hook and plugin of `buildApp`) against a bare Fastify route returning a small JSON object.
 * The ratio is what the whole latch stack costs per request on the cheapest authenticated route.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../packages/server/src/app.js';
import { systemClock } from '../packages/server/src/clock.js';
import { testConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/connect.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import { createIdGenerator } from '../packages/server/src/ids.js';
import { assertAll2xx, compare, startBareFastify, type Benchmark, type RunningServer } from './lib.js';

const SESSION_COOKIE = 'latch_session';

/** The real app on a temporary SQLite file, one registered user, listening on a free port. */
export async function startSignedIn(): Promise<RunningServer & { cookie: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-'));
  const database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
  try {
    await migrateToLatest(database);
    const clock = systemClock;
    const app = await buildApp({
      // publicUrl only feeds the OpenAPI servers list and the CSRF origin check of mutations.
      config: testConfig({ publicUrl: 'http://127.0.0.1' }),
      database,
      clock,
      ids: createIdGenerator(clock),
      logger: pino({ level: 'silent' }),
    });

    const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'bench_user', password: 'correct horse battery staple' } });
    if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error(`register set no ${SESSION_COOKIE} cookie: ${JSON.stringify(res.headers['set-cookie'])}`);

    // Make sure the measured route really is the authenticated 200, not a cheap 401.
    const check = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    if (check.statusCode !== 200) throw new Error(`GET /api/me with the session cookie: ${check.statusCode} ${check.body}`);

    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      url,
      cookie,
      async close() {
        await app.close();
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export const meBench: Benchmark = {
  name: 'me',
  async run({ settings, log }) {
    const bare = await startBareFastify();
    let latch: Awaited<ReturnType<typeof startSignedIn>> | undefined;
    try {
      latch = await startSignedIn();
      log(`  latch ${latch.url}, bare Fastify ${bare.url}`);
      const comparison = await compare(
        { label: 'bare Fastify GET /hello', url: bare.url + bare.path },
        { label: 'latch GET /api/me', url: latch.url + '/api/me', headers: { cookie: latch.cookie } },
        settings,
        log,
      );
      assertAll2xx(comparison);
      return {
        name: 'me',
        description: 'Authenticated GET /api/me (session cookie, SQLite file) vs a bare Fastify 5 JSON route, same process',
        headline: { label: 'latch GET /api/me ÷ bare Fastify', ratio: comparison.ratio },
        comparison,
      };
    } finally {
      await latch?.close();
      await bare.close();
    }
  },
};
