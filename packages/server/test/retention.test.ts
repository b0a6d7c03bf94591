import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { objectIdFloor } from '../src/ids.js';
import { IDEMPOTENCY_TTL_MS } from '../src/http/idempotency.js';
import { MAIN_TOKEN_TTL_MS } from '../src/services/mainTokens.js';
import { PARTNER_CONFIGURATION_TTL_MS } from '../src/services/partnerConfigurations.js';
import {
  FAILED_JOB_RETENTION_MS,
  MAIN_TOKEN_GRACE_MS,
  RETENTION_BATCH,
  RETENTION_INTERVAL_MS,
  RETENTION_JOB_KEY,
  RETENTION_JOB_KIND,
} from '../src/services/retention.js';
import { WEBHOOK_LOG_RETENTION_MS } from '../src/services/webhooks.js';
import { deleteExpiredPartnerConfigurationBatch } from '../src/storage/retention.js';
import { call, expectError, fixtureWorld, login, testApp, type TestApp } from './helpers.js';

/**
 * Issue 16 item 16: rows past their retention are removed by one recurring scheduler job that
 * reschedules itself exactly once, deletes in batches (a backlog is several short transactions)
 * and reports what it removed (job result and a log line). Driven by the virtual clock.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Json = Record<string, any>;

async function count(t: TestApp, table: 'idempotency_records' | 'user_sessions' | 'main_tokens' | 'partner_configurations' | 'webhook_deliveries' | 'webhook_attempts' | 'jobs', where?: [string, unknown]): Promise<number> {
  let q = t.db.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function advance(t: TestApp, seconds: number): Promise<Json[]> {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().jobsRun as Json[]).filter((j) => j.kind === RETENTION_JOB_KIND);
}

function sessionGet(t: TestApp, appKey: string, sessionId: string, mainToken: string) {
  return t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: { authorization: `Bearer ${appKey}`, 'x-chastify-main-token': mainToken } });
}

describe('retention sweep (scheduled job)', () => {
  let t: TestApp;
  const lines: Json[] = [];
  before(async () => {
    const logStream = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
        cb();
      },
    });
    t = await testApp({ logStream });
    await t.app.ctx.retention.ensureScheduled();
  });
  after(() => t.close());

  it('is one job, scheduled once however often servers and workers start', async () => {
    await t.app.ctx.retention.ensureScheduled();
    await t.app.ctx.retention.ensureScheduled();
    assert.equal(await count(t, 'jobs', ['kind', RETENTION_JOB_KIND]), 1);
  });

  it('removes Chaster configuration page tokens once they expired, and keeps live ones', async () => {
    const w = await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
    assert.ok(w.configurationToken);
    const live = await count(t, 'partner_configurations');
    assert.ok(live >= 1);
    const ran = await advance(t, (PARTNER_CONFIGURATION_TTL_MS + RETENTION_INTERVAL_MS + HOUR) / 1000);
    assert.equal(ran.reduce((n, j) => n + j.result.removed.partnerConfigurations, 0), live);
    assert.equal(await count(t, 'partner_configurations'), 0);
    // A token within its hour stays, a minute before its end too.
    await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
    t.clock.advance(PARTNER_CONFIGURATION_TTL_MS - 60_000);
    assert.equal(await deleteExpiredPartnerConfigurationBatch(t.db.database.db, t.clock.now(), RETENTION_BATCH), 0);
    assert.equal(await count(t, 'partner_configurations'), 1);
  });

  it('removes expired idempotency records, login sessions and main tokens (past a grace week), keeps live ones, and reports the counts', async () => {
    const w = await fixtureWorld(t.app);
    // An Idempotency-Key write, a login session, the fixture's main tokens: all live now.
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/extensions/sessions/${w.session.id}/state`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer, 'idempotency-key': 'retention-1' },
      payload: { data: { a: 1 } },
    });
    assert.equal(put.statusCode, 200, put.body);
    const me = await login(t.app, w.wearer.username, w.wearer.password);
    assert.equal((await call(t.app, me, 'GET', '/api/me')).statusCode, 200);
    const before = { idem: await count(t, 'idempotency_records'), sessions: await count(t, 'user_sessions'), tokens: await count(t, 'main_tokens') };
    assert.ok(before.idem >= 1 && before.sessions >= 1 && before.tokens >= 1);

    // Past the idempotency TTL (24 h) and the main token TTL (10 h): records go, tokens stay
    // (grace: a client still learns its token *expired*), the login session (14 days) stays.
    const ran = await advance(t, (Math.max(IDEMPOTENCY_TTL_MS, MAIN_TOKEN_TTL_MS) + HOUR) / 1000);
    assert.ok(ran.length >= 1, 'the sweep ran on the virtual clock');
    assert.ok(ran.every((j) => j.outcome === 'done'));
    const removedIdem = ran.reduce((n, j) => n + j.result.removed.idempotencyRecords, 0);
    assert.equal(removedIdem, before.idem, 'every expired idempotency record removed, counted in the job result');
    assert.equal(await count(t, 'idempotency_records'), 0);
    assert.equal(await count(t, 'main_tokens'), before.tokens, 'expired main tokens are kept through the grace week');
    expectError(await sessionGet(t, w.app.appKey, w.session.id, w.mainTokens.wearer), 401, 'main_token_expired');
    assert.equal(await count(t, 'user_sessions'), before.sessions);
    assert.equal((await call(t.app, me, 'GET', '/api/me')).statusCode, 200, 'a live login still works');

    // Past the grace week and the login session's 14 days: both go.
    t.clock.advance(Math.max(MAIN_TOKEN_GRACE_MS, t.config.sessionTtlMs));
    const ran2 = (await t.app.ctx.scheduler.runDue()).filter((j) => j.kind === RETENTION_JOB_KIND);
    assert.equal(ran2.length, 1);
    assert.equal(ran2[0]!.result!.removed && (ran2[0]!.result!.removed as Json).mainTokens, before.tokens);
    assert.equal((ran2[0]!.result!.removed as Json).userSessions, before.sessions);
    assert.equal(await count(t, 'main_tokens'), 0);
    assert.equal(await count(t, 'user_sessions'), 0);
    expectError(await sessionGet(t, w.app.appKey, w.session.id, w.mainTokens.wearer), 401, 'invalid_main_token');
    assert.equal((await call(t.app, me, 'GET', '/api/me')).statusCode, 401);

    // Measured: one log line per run with the rows removed per table.
    const logged = lines.filter((l) => l.msg === 'retention sweep');
    assert.ok(logged.length >= 2);
    assert.equal(logged.at(-1)!.removed.mainTokens, before.tokens);
    assert.equal(typeof logged.at(-1)!.total, 'number');
    assert.ok(t.app.ctx.retention.stats().removed.idempotencyRecords >= before.idem);

    // Still exactly one sweep job, next due one interval after this run.
    const jobs = await t.db.database.db.selectFrom('jobs').selectAll().where('kind', '=', RETENTION_JOB_KIND).execute();
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.key, RETENTION_JOB_KEY);
    assert.equal(Number(jobs[0]!.run_at), t.clock.now() + RETENTION_INTERVAL_MS);
  });

  it('works off a backlog in batches: one short transaction each, run again at once while a batch comes back full', async () => {
    const now = t.clock.now();
    const n = RETENTION_BATCH * 2 + 37;
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `b${String(i).padStart(23, '0')}`,
      scope: 'backlog',
      idem_key: `k${i}`,
      fingerprint: 'f',
      status: 200,
      response: '{}',
      created_at: now - 2 * DAY,
      expires_at: now - DAY,
    }));
    for (let i = 0; i < rows.length; i += 200) await t.db.database.db.insertInto('idempotency_records').values(rows.slice(i, i + 200)).execute();
    // A live record next to the backlog stays.
    await t.db.database.db.insertInto('idempotency_records').values({ id: 'c00000000000000000000000', scope: 'live', idem_key: 'k', fingerprint: 'f', status: 200, response: '{}', created_at: now, expires_at: now + DAY }).execute();

    const ran = await advance(t, RETENTION_INTERVAL_MS / 1000);
    const counts = ran.map((j) => j.result.removed.idempotencyRecords);
    assert.deepEqual(counts.slice(0, 3), [RETENTION_BATCH, RETENTION_BATCH, 37], 'batch by batch');
    assert.deepEqual(ran.slice(0, 3).map((j) => j.result.more), [true, true, false]);
    assert.equal(await count(t, 'idempotency_records'), 1);
    assert.equal(await count(t, 'jobs', ['kind', RETENTION_JOB_KIND]), 1, 'each run rescheduled itself exactly once');
  });

  it('removes finished webhook deliveries (with their attempts) past 30 days, failed-for-good jobs past 30 days; keeps pending and recent ones', async () => {
    const w = await fixtureWorld(t.app);
    const db = t.db.database.db;
    const now = t.clock.now();
    await db
      .insertInto('webhook_endpoints')
      .values({ id: 'e00000000000000000000001', app_id: w.app.id, url: 'https://example.com/h', secret: 'whsec_x', previous_secret: null, previous_secret_until: null, events: '[]', enabled: 1, description: '', failing_since: null, disabled_reason: null, created_at: now, updated_at: now })
      .execute();
    const old = now - WEBHOOK_LOG_RETENTION_MS - DAY;
    const delivery = (id: string, createdAt: number, status: 'pending' | 'succeeded' | 'failed') => ({
      id,
      endpoint_id: 'e00000000000000000000001',
      message_id: `msg_${id}`,
      event_type: 'webhook.test',
      payload: '{}',
      status,
      attempts: 1,
      next_attempt_at: null,
      last_attempt_at: status === 'pending' ? null : createdAt,
      last_status_code: 200,
      last_error: null,
      last_duration_ms: 1,
      last_response: null,
      created_at: createdAt,
    });
    const oldId = (n: number) => objectIdFloor(old).slice(0, 20) + String(n).padStart(4, '0');
    await db
      .insertInto('webhook_deliveries')
      .values([delivery(oldId(1), old, 'succeeded'), delivery(oldId(2), old, 'failed'), delivery(oldId(3), old, 'pending'), delivery(objectIdFloor(now).slice(0, 20) + '0004', now, 'succeeded')])
      .execute();
    await db.insertInto('webhook_attempts').values({ id: oldId(9), delivery_id: oldId(1), attempt: 1, attempted_at: old, succeeded: 1, status_code: 200, error: null, duration_ms: 1, response: null }).execute();
    await db
      .insertInto('jobs')
      .values([
        { id: 'f00000000000000000000001', kind: 'x.old', key: 'failed-old', run_at: old, payload: '{}', attempts: 10, max_attempts: 10, locked_by: null, locked_until: null, last_error: 'boom', failed_at: now - FAILED_JOB_RETENTION_MS - HOUR, created_at: old },
        { id: 'f00000000000000000000002', kind: 'x.recent', key: 'failed-recent', run_at: old, payload: '{}', attempts: 10, max_attempts: 10, locked_by: null, locked_until: null, last_error: 'boom', failed_at: now - HOUR, created_at: old },
      ])
      .execute();

    const ran = await advance(t, RETENTION_INTERVAL_MS / 1000);
    assert.equal(ran.reduce((n, j) => n + j.result.removed.webhookDeliveries, 0), 2);
    assert.equal(ran.reduce((n, j) => n + j.result.removed.failedJobs, 0), 1);
    const left = (await db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(left, [oldId(3), objectIdFloor(now).slice(0, 20) + '0004']);
    assert.equal(await count(t, 'webhook_attempts'), 0, 'attempts go with their delivery');
    assert.deepEqual((await db.selectFrom('jobs').select('key').where('failed_at', 'is not', null).execute()).map((r) => r.key), ['failed-recent']);
  });

  it('a sweep job that failed for good is revived at the next start', async () => {
    await t.db.database.db.updateTable('jobs').set({ failed_at: t.clock.now(), last_error: 'x' }).where('key', '=', RETENTION_JOB_KEY).execute();
    await t.app.ctx.retention.ensureScheduled();
    const job = await t.db.database.db.selectFrom('jobs').selectAll().where('key', '=', RETENTION_JOB_KEY).executeTakeFirstOrThrow();
    assert.equal(job.failed_at, null);
    assert.equal(Number(job.run_at), t.clock.now());
  });
});
