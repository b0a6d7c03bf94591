import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Kysely } from 'kysely';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/types.js';
import { createIdGenerator } from '../src/ids.js';
import { createServices } from '../src/services/index.js';
import { TEST_DB } from './helpers.js';
import { newJobRow } from '../src/storage/jobs.js';
import { DAILY_REQUIREMENT, hexId, lockRow, seedRequirementApp, sessionRow } from './seedRows.js';
import { freePort, freshWorld, kill9, killAll, startServer, startWorker, stopGracefully, type Proc, type World } from './processes.js';

/**
 * Issue 16 item 17: `kill -9` of the server and of a separate worker under a mixed write load,
 * then restart: every write a client got a 2xx for is there, and no job effect happened twice
 * (a freeze ends once, a missed requirement window is punished once, each committed write's
 * webhook delivery is recorded once, with no attempt recorded twice).
 *
 * The job effects are seeded due over the next seconds (real time: a worker has no virtual
 * clock), so they fall due while processes are being killed; leases are 2 s so a killed worker's
 * claims are taken over quickly.
 */

const TIMEOUT = 180_000;
const CLIENTS = 4;
const N_LOCKS = 30;
const PUNISH_MS = DAILY_REQUIREMENT.punishment.seconds * 1000;
const FREEZE_SPAN_MS = 60_000;
const DAY = 86_400_000;

const worlds: World[] = [];
after(async () => {
  killAll();
  for (const w of worlds) await w.destroy().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Seeded {
  locks: Array<{ lockId: string; sessionId: string; endsAt: number; frozenAt: number; frozenUntil: number }>;
}

/** N locks, each frozen until a moment in the next ~6 s (an unfreeze job then) and with a requirement window missed (an evaluation job due in the same span). */
async function seedJobs(db: Kysely<DB>, now: number): Promise<Seeded> {
  const todayStart = Math.floor(now / DAY) * DAY;
  const windowStart = todayStart - DAY;
  const createdAt = windowStart - DAY;
  const { userId, appId } = await seedRequirementApp(db, 'cr', createdAt);
  const seeded: Seeded = { locks: [] };
  for (let i = 0; i < N_LOCKS; i++) {
    const lockId = hexId();
    const sessionId = hexId();
    const endsAt = now + 30 * DAY + i * 1000;
    const frozenUntil = now + 300 + Math.floor((i * 6_000) / N_LOCKS);
    const frozenAt = frozenUntil - FREEZE_SPAN_MS;
    seeded.locks.push({ lockId, sessionId, endsAt, frozenAt, frozenUntil });
    await db.insertInto('locks').values(lockRow({ id: lockId, wearer_id: userId, title: `Crash ${i}`, ends_at: endsAt, frozen_at: frozenAt, frozen_until: frozenUntil, created_at: createdAt })).execute();
    await db.insertInto('extension_sessions').values(sessionRow({ id: sessionId, lock_id: lockId, app_id: appId, created_at: createdAt })).execute();
    await db
      .insertInto('jobs')
      .values([
        newJobRow({ id: hexId(), kind: 'lock.unfreeze', key: `unfreeze:${lockId}`, runAt: frozenUntil, payload: { lockId }, now: createdAt }),
        newJobRow({ id: hexId(), kind: 'requirement.evaluate', key: `req:${sessionId}`, runAt: frozenUntil + 250, payload: { sessionId, metric: 'm', windowStart, windowEnd: todayStart }, now: createdAt }),
      ])
      .execute();
  }
  return seeded;
}

describe(`crash: kill -9 under load (${TEST_DB})`, () => {
  it('every acknowledged write survives kill -9 of the server and the worker; no job effect happens twice', { timeout: TIMEOUT }, async () => {
    const world = await freshWorld();
    worlds.push(world);

    // A webhook receiver: records each delivery's webhook-id.
    const received = new Map<string, number>();
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        received.set(id, (received.get(id) ?? 0) + 1);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    after(() => receiver.close());
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    // The world: a fixture (through the services, as the sandbox builds it) for the HTTP load,
    // its app's webhook endpoint, and the seeded job effects.
    const database: Database = await openDatabase(world.databaseUrl);
    await migrateToLatest(database);
    const config = testConfig({ databaseUrl: world.databaseUrl, dev: false, publicUrl: 'http://127.0.0.1' });
    const services = createServices({ config, database, clock: systemClock, ids: createIdGenerator(systemClock), logger: pino({ level: 'silent' }) });
    const fx = await services.fixtures.create({});
    // A second app's session with no webhook endpoint: its state writes take the unwatched one-statement
    // path, which SQLite commits in groups (db/commitGroup.ts), so the kill lands among grouped commits too.
    const quiet = await services.fixtures.create({});
    await services.close();
    const db = database.db;
    // The fixtures mark their accounts as sandbox accounts, which a production server refuses;
    // here they stand for real users of a production server.
    await db.updateTable('users').set({ persona: 0 }).execute();
    const now = Date.now();
    await db
      .insertInto('webhook_endpoints')
      .values({ id: hexId(), app_id: fx.app.id, url: hookUrl, secret: `whsec_${randomBytes(24).toString('base64')}`, previous_secret: null, previous_secret_until: null, events: JSON.stringify(['extension_session.updated']), enabled: 1, description: 'crash test', failing_since: null, disabled_reason: null, created_at: now, updated_at: now })
      .execute();
    const v0 = Number((await db.selectFrom('extension_sessions').select('state_version').where('id', '=', fx.session.id).executeTakeFirstOrThrow()).state_version);

    const t0 = Date.now();
    const mark = (what: string) => console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    const port = await freePort();
    const env = { PORT: String(port), JOB_LEASE_SECONDS: '2', WORKER_POLL_MS: '100', RATE_LIMIT_MULTIPLIER: '1000', WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1', FILE_URL_SECRET: 'crash-test-secret-0123456789' };
    let server: Proc | null = null;
    let worker: Proc | null = null;
    [server, worker] = await Promise.all([startServer(world, env), startWorker(world, env)]);
    mark('server and worker up');
    // Due from now on, over the first crash and restart.
    const seeded = await seedJobs(db, Date.now());
    const base = `http://127.0.0.1:${port}`;

    // The load: each client writes state keys and custom log entries, one request at a time.
    const auth = { authorization: `Bearer ${fx.app.appKey}`, 'x-chastify-main-token': fx.mainTokens.wearer, 'content-type': 'application/json' };
    const quietAuth = { authorization: `Bearer ${quiet.app.appKey}`, 'x-chastify-main-token': quiet.mainTokens.wearer, 'content-type': 'application/json' };
    const ackedKeys = new Set<string>();
    const ackedQuietKeys = new Set<string>();
    const ackedLogs = new Set<string>();
    let unacknowledged = 0;
    let stop = false;
    const client = async (c: number) => {
      for (let n = 0; !stop; n++) {
        // A watched state write, a custom log entry, an unwatched state write, in turn.
        const kind = (['state', 'log', 'quiet'] as const)[n % 3]!;
        const state = kind !== 'log';
        const name = `c${c}_${n}`;
        try {
          const res = await fetch(`${base}/api/extensions/sessions/${kind === 'quiet' ? quiet.session.id : fx.session.id}/${state ? 'state' : 'logs/custom'}`, {
            method: state ? 'PATCH' : 'POST',
            headers: kind === 'quiet' ? quietAuth : auth,
            body: JSON.stringify(state ? { data: { [name]: n } } : { title: name }),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) ({ state: ackedKeys, log: ackedLogs, quiet: ackedQuietKeys })[kind].add(name);
          else if (res.status >= 500 || res.status === 429) unacknowledged++;
          else assert.fail(`${name}: unexpected ${res.status}`);
        } catch {
          // The server is down (killed): not acknowledged; wait for it to come back.
          unacknowledged++;
          await sleep(50);
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

    // Each phase lasts until the load has had writes acknowledged in it (not a fixed time: on a busy
    // machine a restart can take seconds), so every crash lands in the middle of acknowledged writes.
    const acked = () => ackedKeys.size + ackedLogs.size + ackedQuietKeys.size;
    // At least `minMs` too, so the crashes spread over the seconds in which the seeded jobs fall due.
    const afterAcks = async (n: number, minMs: number) => {
      const target = acked() + n;
      const notBefore = Date.now() + minMs;
      const deadline = Date.now() + 60_000;
      while (acked() < target || Date.now() < notBefore) {
        if (Date.now() > deadline) assert.fail(`the load got no ${n} writes through within 60 s (${acked()} acknowledged, ${unacknowledged} not)`);
        await sleep(20);
      }
    };

    // Crashes while the load runs and the seeded jobs fall due: both at once; then the worker and,
    // a moment later, the server.
    await afterAcks(30, 2000);
    await Promise.all([kill9(server), kill9(worker)]);
    mark('killed server and worker');
    [server, worker] = await Promise.all([startServer(world, env), startWorker(world, env)]);
    mark('restarted both');
    await afterAcks(20, 1500);
    await kill9(worker);
    mark('killed worker');
    await afterAcks(10, 700);
    await kill9(server);
    mark('killed server');
    [server, worker] = await Promise.all([startServer(world, env), startWorker(world, env)]);
    mark('restarted both');
    await afterAcks(30, 1500);
    stop = true;
    await Promise.all(clients);
    assert.ok(ackedKeys.size > 15 && ackedLogs.size > 15 && ackedQuietKeys.size > 15, `the load got writes through (${ackedKeys.size} state, ${ackedQuietKeys.size} unwatched state, ${ackedLogs.size} logs, ${unacknowledged} not acknowledged)`);

    mark('load stopped');
    // Let the jobs finish: every seeded job has fallen due, nothing due is left, no delivery pending.
    const lastDue = Math.max(...seeded.locks.map((l) => l.frozenUntil)) + 250;
    while (Date.now() <= lastDue) await sleep(50);
    const deadline = Date.now() + 45_000;
    for (;;) {
      const due = Number((await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('run_at', '<=', Date.now()).where('failed_at', 'is', null).executeTakeFirstOrThrow()).n);
      const pending = Number((await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
      if (due === 0 && pending === 0) break;
      if (Date.now() > deadline) assert.fail(`jobs did not finish: ${due} due, ${pending} deliveries pending`);
      await sleep(200);
    }
    mark('jobs done');
    await Promise.all([stopGracefully(server), stopGracefully(worker)]);

    // 1. Every acknowledged write is there.
    const session = await db.selectFrom('extension_sessions').select(['state', 'state_version']).where('id', '=', fx.session.id).executeTakeFirstOrThrow();
    const data = (JSON.parse(session.state) as { data?: Record<string, unknown> }).data ?? JSON.parse(session.state);
    const missingKeys = [...ackedKeys].filter((k) => !(k in data));
    assert.deepEqual(missingKeys, [], 'acknowledged state writes lost');
    const quietState = JSON.parse((await db.selectFrom('extension_sessions').select('state').where('id', '=', quiet.session.id).executeTakeFirstOrThrow()).state);
    const quietData = (quietState as { data?: Record<string, unknown> }).data ?? quietState;
    assert.deepEqual([...ackedQuietKeys].filter((k) => !(k in quietData)), [], 'acknowledged unwatched (grouped) state writes lost');
    const titles = (await db.selectFrom('history_logs').select('title').where('lock_id', '=', fx.lock.id).execute()).map((r) => r.title);
    const logCount = new Map<string, number>();
    for (const t of titles) logCount.set(t, (logCount.get(t) ?? 0) + 1);
    assert.deepEqual([...ackedLogs].filter((t) => !logCount.has(t)), [], 'acknowledged log entries lost');
    assert.deepEqual([...logCount].filter(([, n]) => n > 1), [], 'a log entry written twice');

    // 2. Each freeze ended once, each missed window punished once: one history row each, and the
    //    timer moved by exactly one freeze span and one punishment.
    for (const l of seeded.locks) {
      const lock = await db.selectFrom('locks').selectAll().where('id', '=', l.lockId).executeTakeFirstOrThrow();
      const kinds = (await db.selectFrom('history_logs').select('type').where('lock_id', '=', l.lockId).execute()).map((r) => r.type);
      assert.equal(kinds.filter((k) => k === 'lock_unfrozen').length, 1, `lock ${l.lockId}: freeze ended once`);
      assert.equal(kinds.filter((k) => k === 'requirement_missed').length, 1, `lock ${l.lockId}: punished once`);
      assert.equal(lock.frozen_at, null);
      assert.equal(Number(lock.ends_at), l.endsAt + FREEZE_SPAN_MS + PUNISH_MS, `lock ${l.lockId}: the timer moved once by each`);
      const windows = await db.selectFrom('requirement_windows').select('id').where('session_id', '=', l.sessionId).execute();
      assert.equal(windows.length, 1);
    }

    // 3. Webhooks: one delivery per committed state write (outbox in the write's transaction),
    //    each succeeded, each received, no attempt recorded twice.
    const deliveries = await db.selectFrom('webhook_deliveries').select(['id', 'message_id', 'status']).where('event_type', '=', 'extension_session.updated').execute();
    assert.equal(deliveries.length, Number(session.state_version) - v0, 'one delivery per committed state write');
    assert.ok(deliveries.length >= ackedKeys.size);
    assert.deepEqual(deliveries.filter((d) => d.status !== 'succeeded').map((d) => d.status), []);
    assert.deepEqual(deliveries.filter((d) => !received.has(d.message_id)).map((d) => d.id), [], 'every delivery reached the receiver');
    const attempts = await db.selectFrom('webhook_attempts').select(['delivery_id', 'attempt']).execute();
    const seen = new Set<string>();
    for (const a of attempts) {
      const k = `${a.delivery_id}:${a.attempt}`;
      assert.ok(!seen.has(k), `attempt recorded twice: ${k}`);
      seen.add(k);
    }
    // 4. Nothing failed for good.
    const failed = await db.selectFrom('jobs').select(['kind', 'last_error']).where('failed_at', 'is not', null).execute();
    assert.deepEqual(failed, []);
    const resent = [...received.values()].filter((n) => n > 1).length;
    console.log(`# crash (${TEST_DB}): ${ackedKeys.size} state + ${ackedQuietKeys.size} unwatched state + ${ackedLogs.size} log writes acknowledged, ${unacknowledged} not; ${seeded.locks.length} freezes and windows; ${deliveries.length} webhook deliveries (${resent} received more than once: at-least-once by design)`);
    await database.close();
  });
});
