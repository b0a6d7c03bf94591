import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { WEBHOOK_EVENT_TYPES } from '@latch/protocol';
import { loadConfig } from '../src/config.js';
import { createIdGenerator } from '../src/ids.js';
import { createServices } from '../src/services/index.js';
import { createScheduler, type SchedulerDeps } from '../src/services/scheduler.js';
import { JOB_WEBHOOK_DELIVER, emitWebhookEvent } from '../src/services/webhookOutbox.js';
import { blockedAddressReason } from '../src/services/webhookTransport.js';
import { MAX_ENDPOINTS_PER_APP, WEBHOOK_RETRY_DELAYS_MS } from '../src/services/webhooks.js';
import { TEST_DB, call, expectError, login, register, testApp, type Session, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Webhooks per extension app (DECISIONS §10), against a real HTTP receiver on 127.0.0.1 that
 * checks every delivery with standardwebhooks' `Webhook.verify`: each event type follows its
 * effect through the public API, in the effect's transaction; retries with backoff on the
 * (virtual) clock; redelivery; the timeout; the SSRF guard outside the sandbox; the secret shown
 * once; only the owner sees an app's webhooks. Runs on SQLite, or PostgreSQL with LATCH_TEST_DB=postgres.
 */

import { receiver, verify, type Json, type Receiver } from './webhookReceiver.js';

async function fixture(t: TestApp, body: Json = {}): Promise<World> {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as World;
}

const hooks = (appId: string, rest = '') => `/api/developer/apps/${appId}/webhooks${rest}`;

async function createEndpoint(t: TestApp, dev: Session, appId: string, body: Json): Promise<Json> {
  const res = await call(t.app, dev, 'POST', hooks(appId), body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Json;
}

async function rows(t: TestApp, table: 'webhook_deliveries' | 'webhook_endpoints' | 'webhook_attempts'): Promise<number> {
  const r = await t.db.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function webhookJobs(t: TestApp): Promise<number> {
  const r = await t.db.database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', JOB_WEBHOOK_DELIVER).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function advance(t: TestApp, seconds: number): Promise<Json> {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Json;
}

function ext(t: TestApp, w: World, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, payload?: unknown, mainToken = w.mainTokens.wearer) {
  return t.app.inject({
    method,
    url: `/api/extensions/sessions/${w.session.id}${path}`,
    headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe(`webhooks (${TEST_DB})`, () => {
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  let t: TestApp;
  let rx: Receiver;
  before(async () => {
    t = await testApp({ logStream, config: { rateLimitMultiplier: 100 } });
    rx = await receiver();
  });
  after(async () => {
    await t.close();
    await rx.close();
  });

  it('registers an endpoint: the secret is shown on create and rotate only, never in reads or logs', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const created = await createEndpoint(t, dev, w.app.id, { url: rx.url('/secret-once'), description: 'my backend' });
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(created.events, WEBHOOK_EVENT_TYPES, 'all events by default');
    assert.equal(created.enabled, true);
    assert.equal(created.description, 'my backend');
    assert.equal(created.previousSecretExpiresAt, null);

    const list = await call(t.app, dev, 'GET', hooks(w.app.id));
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(list.json().results.map((e: Json) => e.id), [created.id]);
    const one = await call(t.app, dev, 'GET', hooks(w.app.id, `/${created.id}`));
    assert.equal(one.statusCode, 200);
    for (const body of [list.body, one.body]) {
      assert.ok(!body.includes(created.secret) && !body.includes('"secret"'), `no secret in ${body}`);
    }
    const { secret: _s, ...withoutSecret } = created;
    assert.deepEqual(one.json(), withoutSecret);

    const rotated = await call(t.app, dev, 'POST', hooks(w.app.id, `/${created.id}/rotate-secret`));
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.match(rotated.json().secret, /^whsec_/);
    assert.notEqual(rotated.json().secret, created.secret);
    assert.equal(rotated.json().previousSecretExpiresAt, new Date(t.clock.now() + 24 * 3600_000).toISOString());

    // During the grace period deliveries carry both signatures: either secret verifies.
    const test = await call(t.app, dev, 'POST', hooks(w.app.id, `/${created.id}/test`));
    assert.equal(test.statusCode, 202, test.body);
    await t.app.ctx.scheduler.runDue();
    const [got] = rx.at('/secret-once');
    assert.ok(got, 'delivered');
    assert.equal(got.headers['webhook-signature']!.split(' ').length, 2);
    assert.equal(verify(rotated.json().secret, got).type, 'webhook.test');
    assert.equal(verify(created.secret, got).type, 'webhook.test');

    const logs = logLines.join('');
    assert.ok(logs.length > 0, 'the log is not empty by accident');
    assert.ok(!logs.includes(created.secret) && !logs.includes(rotated.json().secret), 'no secret in the logs');
  });

  it('delivers every event type after its effect, signed (Standard Webhooks) with the documented payload', async () => {
    const w = await fixture(t, {
      extension: {
        regularActions: { mode: 'cumulative', regularitySeconds: 3600, maxActions: 4 },
        attemptLimit: { enabled: true, metric: 'memory_win', durationSeconds: 300, startPolicy: 'activity' },
        initialMetadata: { unlockRequirements: [{ metric: 'memory_win', requiredCount: 1 }] },
        extensionRequirements: {
          enabled: true,
          metric: 'completion',
          requiredCount: 4,
          cadence: { every: 1, unit: 'day', timezone: 'UTC' },
          punishment: { type: 'add_time', seconds: 1800 },
        },
      },
    });
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const { secret } = await createEndpoint(t, dev, w.app.id, { url: rx.url(`/all/${w.app.id}`) });
    const before = t.clock.now();

    assert.equal((await ext(t, w, 'PUT', '/state', { data: { level: 1 } })).statusCode, 200);
    assert.equal((await ext(t, w, 'PATCH', '/metadata', { unlockBlockers: ['Finish the puzzle'] })).statusCode, 200);
    assert.equal((await ext(t, w, 'PATCH', '/regular-actions/config', { mode: 'cumulative', regularitySeconds: 1800, maxActions: 2 })).statusCode, 200);
    const log = await ext(t, w, 'POST', '/logs/custom', { title: 'Puzzle solved', color: '#2e7d32' });
    assert.equal(log.statusCode, 201, log.body);
    const action = await ext(t, w, 'POST', '/regular-actions', { payload: { kind: 'checkin' } });
    assert.equal(action.statusCode, 201, action.body);
    assert.equal((await ext(t, w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'run-1' })).statusCode, 201);
    // The attempt's deadline passes; then two days: the first full day is evaluated (missed).
    await advance(t, 301);
    await advance(t, 2 * 86400);
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    assert.equal((await call(t.app, keyholder, 'DELETE', `/api/locks/${w.lock.id}/extensions/${w.app.slug}`)).statusCode, 204);
    const installed = await call(t.app, keyholder, 'POST', `/api/locks/${w.lock.id}/extensions`, { slug: w.app.slug, config: { level: 'hard' } });
    assert.equal(installed.statusCode, 201, installed.body);
    const newSession = installed.json().sessionId as string;
    assert.equal((await call(t.app, keyholder, 'POST', `/api/locks/${w.lock.id}/unlock`)).statusCode, 200);
    await t.app.ctx.scheduler.runDue();

    // Deliveries run several at a time: order them as they were emitted (ObjectId message ids).
    const got = rx.at(`/all/${w.app.id}`).sort((a, b) => (a.headers['webhook-id']! < b.headers['webhook-id']! ? -1 : 1));
    const events = got.map((r) => {
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['user-agent'], 'latch-webhooks');
      assert.match(r.headers['webhook-id']!, /^msg_[0-9a-f]{24}$/);
      assert.match(r.headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]+=*$/);
      // The signature's timestamp is real time (receivers compare it with their clock), even on the test's fixed clock.
      assert.ok(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
      const verified = verify(secret, r);
      assert.deepEqual(verified, r.json);
      assert.deepEqual(Object.keys(verified), ['type', 'timestamp', 'data']);
      assert.ok(Date.parse(verified.timestamp) >= before, 'the event time is the platform clock');
      return verified;
    });
    const of = (type: string) => events.filter((e) => e.type === type);
    for (const type of WEBHOOK_EVENT_TYPES) assert.ok(of(type).length > 0, `${type} delivered (got ${[...new Set(events.map((e) => e.type))].join(', ')})`);
    assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, got.length, 'one webhook-id per message');
    for (const e of events) {
      assert.equal(e.data.lockId, w.lock.id);
      assert.equal(e.data.extensionSlug, w.app.slug);
      assert.ok([w.session.id, newSession].includes(e.data.sessionId), JSON.stringify(e));
    }

    const updates = of('extension_session.updated');
    assert.deepEqual(updates.map((e) => e.data.change), ['state', 'metadata', 'regular_actions_config']);
    assert.deepEqual(updates[0]!.data.state, { data: { level: 1 }, etag: '"2"' });
    assert.deepEqual(updates[1]!.data.metadata.unlockBlockers, ['Finish the puzzle']);
    assert.deepEqual(updates[2]!.data.regularActions, { mode: 'cumulative', regularitySeconds: 1800, maxActions: 2 });

    const custom = of('action_log.created').find((e) => e.data.log.type === 'extension_custom')!;
    assert.equal(custom.data.log.id, log.json().id);
    assert.equal(custom.data.log.title, 'Puzzle solved');
    assert.equal(custom.data.log.color, '#2e7d32');
    assert.deepEqual(custom.data.log.actor, { userId: null, username: null, extensionSlug: w.app.slug });
    const unlockedLog = of('action_log.created').find((e) => e.data.log.type === 'lock_unlocked')!;
    assert.equal(unlockedLog.data.log.actor.username, w.keyholder!.username, 'the actor as the history shows it');

    const [regular] = of('regular_action.created');
    assert.deepEqual(regular!.data.action, action.json().action);
    assert.equal(regular!.data.nbActionsRemaining, action.json().nbActionsRemaining);

    const [failed] = of('attempt.failed');
    assert.equal(failed!.data.metric, 'memory_win');
    assert.equal(failed!.data.attempt.attemptId, 'run-1');
    assert.equal(failed!.data.attempt.status, 'failed');

    const windows = of('requirement.window_evaluated').map((e) => e.data.window);
    assert.ok(windows.length >= 2, JSON.stringify(windows));
    assert.equal(windows[0].partial, true, 'the window the session started in');
    assert.equal(windows[0].punished, false);
    const full = windows.find((x: Json) => !x.partial)!;
    assert.equal(full.metric, 'completion');
    assert.equal(full.count, 0);
    assert.equal(full.requiredCount, 4);
    assert.equal(full.satisfied, false);
    assert.equal(full.punished, true);
    assert.deepEqual(full.punishment, { name: 'add_time', params: 1800 });

    const [deleted] = of('extension_session.deleted');
    assert.equal(deleted!.data.sessionId, w.session.id);
    const [createdEvent] = of('extension_session.created');
    assert.equal(createdEvent!.data.sessionId, newSession);
    // DECISIONS §6: the saved config plus the keys the platform schedules from (the app's defaults here).
    const app = (await call(t.app, await login(t.app, w.developer.username, w.developer.password), 'GET', `/api/developer/apps/${w.app.id}`)).json();
    assert.deepEqual(createdEvent!.data.config, { level: 'hard', extensionRequirements: app.extensionRequirements, attemptLimit: app.attemptLimit, regularActions: app.regularActions });

    const [unlocked] = of('lock.unlocked');
    assert.equal(unlocked!.data.sessionId, newSession, 'the app’s active session on the lock');
    assert.equal(unlocked!.data.unlockedBy, 'keyholder');
    assert.equal(unlocked!.data.lock._id, w.lock.id);
    assert.equal(unlocked!.data.lock.status, 'unlocked');
    assert.equal(unlocked!.data.lock.endDate, unlocked!.data.unlockedAt);

    // Every delivery is on record as succeeded, once.
    const log1 = await call(t.app, dev, 'GET', `${hooks(w.app.id)}`);
    const endpointId = log1.json().results[0].id as string;
    const deliveries = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}/deliveries?limit=200`))).json();
    assert.equal(deliveries.results.length, got.length);
    assert.ok(deliveries.results.every((d: Json) => d.status === 'succeeded' && d.attemptCount === 1 && d.lastStatusCode === 200));
  });

  it('a rolled-back effect sends nothing; a refused request writes no delivery', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    await createEndpoint(t, dev, w.app.id, { url: rx.url('/rollback') });
    const deliveries = await rows(t, 'webhook_deliveries');
    const jobs = await webhookJobs(t);
    // Refused by validation, by the state rules and by If-Match: no effect, no delivery.
    assert.equal((await ext(t, w, 'PUT', '/state', { data: { 'bad.key': 1 } })).statusCode, 400);
    assert.equal((await ext(t, w, 'PUT', '/state', { data: {} }, 'mt_not_a_token')).statusCode, 401);
    expectError(await t.app.inject({ method: 'PUT', url: `/api/extensions/sessions/${w.session.id}/state`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer, 'if-match': '"999"' }, payload: { data: { a: 1 } } }), 412, 'precondition_failed');
    assert.equal((await ext(t, w, 'POST', '/logs/custom', { title: '' })).statusCode, 400);
    // An effect whose transaction fails after the event was written: the delivery goes with it.
    await assert.rejects(
      t.db.database.db.transaction().execute(async (tx) => {
        await emitWebhookEvent(tx, createIdGenerator(t.clock), t.clock.now(), 'action_log.created', { lockId: w.lock.id }, () => ({ log: { title: 'never' } }));
        assert.equal(Number((await tx.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), deliveries + 1, 'written inside the transaction');
        throw new Error('the effect failed');
      }),
      /the effect failed/,
    );
    assert.equal(await rows(t, 'webhook_deliveries'), deliveries);
    assert.equal(await webhookJobs(t), jobs);
    await t.app.ctx.scheduler.runDue();
    assert.equal(rx.at('/rollback').length, 0);
  });

  it('sends only the subscribed types; a disabled endpoint gets nothing; PATCH changes both', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const onlyUnlocks = await createEndpoint(t, dev, w.app.id, { url: rx.url('/only-unlocks'), events: ['lock.unlocked'] });
    const disabled = await createEndpoint(t, dev, w.app.id, { url: rx.url('/disabled'), enabled: false });
    assert.equal((await ext(t, w, 'PUT', '/state', { data: { x: 1 } })).statusCode, 200);
    assert.equal((await ext(t, w, 'POST', '/logs/custom', { title: 'hello' })).statusCode, 201);
    await t.app.ctx.scheduler.runDue();
    assert.equal(rx.at('/only-unlocks').length, 0);
    assert.equal(rx.at('/disabled').length, 0);
    for (const e of [onlyUnlocks, disabled]) {
      assert.equal((await call(t.app, dev, 'GET', hooks(w.app.id, `/${e.id}/deliveries`))).json().results.length, 0, 'no delivery rows either');
    }
    // Subscribing to state writes (and enabling the other) makes the next write arrive at both.
    const patched = await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${onlyUnlocks.id}`), { events: ['lock.unlocked', 'extension_session.updated'], description: 'now more' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().events, ['lock.unlocked', 'extension_session.updated']);
    assert.equal((await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${disabled.id}`), { enabled: true })).json().enabled, true);
    assert.equal((await ext(t, w, 'PUT', '/state', { data: { x: 2 } })).statusCode, 200);
    await t.app.ctx.scheduler.runDue();
    assert.deepEqual(rx.at('/only-unlocks').map((r) => r.json.type), ['extension_session.updated']);
    assert.deepEqual(rx.at('/disabled').map((r) => r.json.type), ['extension_session.updated']);
  });

  it('500 then 200: retried after 5 s on the virtual clock; both attempts on record with the same webhook-id', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    rx.on('/flaky', (n) => (n === 1 ? { status: 500, body: 'x'.repeat(5000) } : { status: 200, body: 'thanks' }));
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/flaky') });
    const queued = (await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json();
    assert.equal(queued.status, 'pending');
    assert.equal(queued.eventType, 'webhook.test');
    await t.app.ctx.scheduler.runDue();
    const url = hooks(w.app.id, `/${endpoint.id}/deliveries/${queued.id}`);
    const first = (await call(t.app, dev, 'GET', url)).json();
    assert.equal(first.status, 'pending');
    assert.equal(first.attemptCount, 1);
    assert.equal(first.lastStatusCode, 500);
    assert.equal(first.lastError, 'HTTP 500');
    assert.equal(first.lastResponse, 'x'.repeat(1024), 'the first KiB of the answer');
    assert.equal(first.nextAttemptAt, new Date(t.clock.now() + 5000).toISOString());

    assert.equal(rx.at('/flaky').length, 1);
    await advance(t, 4);
    assert.equal(rx.at('/flaky').length, 1, 'not before the backoff');
    const ran = await advance(t, 1);
    assert.ok(ran.jobsRun.some((j: Json) => j.kind === JOB_WEBHOOK_DELIVER));
    const second = (await call(t.app, dev, 'GET', url)).json();
    assert.equal(second.status, 'succeeded');
    assert.equal(second.attemptCount, 2);
    assert.equal(second.nextAttemptAt, null);
    assert.deepEqual(
      second.attempts.map((a: Json) => [a.attempt, a.succeeded, a.statusCode, a.error, a.response.length]),
      [
        [1, false, 500, 'HTTP 500', 1024],
        [2, true, 200, null, 6],
      ],
    );
    assert.ok(second.attempts.every((a: Json) => Number.isInteger(a.durationMs) && a.durationMs >= 0));
    assert.equal(Date.parse(second.attempts[1].attemptedAt) - Date.parse(second.attempts[0].attemptedAt), 5000);
    assert.deepEqual(second.payload, rx.at('/flaky')[0]!.json);
    const ids = rx.at('/flaky').map((r) => r.headers['webhook-id']);
    assert.equal(ids[0], second.messageId);
    assert.equal(ids[1], second.messageId);
    assert.equal(rx.at('/flaky')[0]!.body, rx.at('/flaky')[1]!.body, 'the same bytes');
    // A succeeded delivery is not sent again by anything still scheduled.
    await advance(t, 3600);
    assert.equal(rx.at('/flaky').length, 2);
  });

  it('gives up after the last retry (7 attempts over ~17.6 h); redeliver starts a new chain with the same webhook-id', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    let down = true;
    rx.on('/down', () => (down ? { status: 503, body: 'maintenance' } : { status: 204 }));
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/down') });
    const queued = (await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json();
    await t.app.ctx.scheduler.runDue();
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 1000;
    await advance(t, total - 1);
    const url = hooks(w.app.id, `/${endpoint.id}/deliveries/${queued.id}`);
    assert.equal((await call(t.app, dev, 'GET', url)).json().status, 'pending', 'the last retry is not due yet');
    await advance(t, 1);
    const failed = (await call(t.app, dev, 'GET', url)).json();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attemptCount, WEBHOOK_RETRY_DELAYS_MS.length + 1);
    assert.equal(failed.nextAttemptAt, null);
    const gaps = failed.attempts.slice(1).map((a: Json, i: number) => Date.parse(a.attemptedAt) - Date.parse(failed.attempts[i].attemptedAt));
    assert.deepEqual(gaps, WEBHOOK_RETRY_DELAYS_MS, 'backoff 5 s, 5 min, 30 min, 2 h, 5 h, 10 h');
    assert.equal(rx.at('/down').length, 7);
    await advance(t, 86400);
    assert.equal(rx.at('/down').length, 7, 'nothing after giving up');

    const failedList = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpoint.id}/deliveries?status=failed`))).json();
    assert.deepEqual(failedList.results.map((d: Json) => d.id), [queued.id]);

    down = false;
    const again = await call(t.app, dev, 'POST', `${url}/redeliver`);
    assert.equal(again.statusCode, 202, again.body);
    assert.equal(again.json().status, 'pending');
    await t.app.ctx.scheduler.runDue();
    const done = (await call(t.app, dev, 'GET', url)).json();
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attemptCount, 8);
    assert.equal(done.lastStatusCode, 204);
    const all = rx.at('/down');
    assert.equal(all.length, 8);
    assert.equal(new Set(all.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id throughout');
    assert.equal(new Set(all.map((r) => r.body)).size, 1, 'the same body throughout');

    // Disabled endpoints are neither tested nor redelivered to.
    assert.equal((await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${endpoint.id}`), { enabled: false })).statusCode, 200);
    expectError(await call(t.app, dev, 'POST', `${url}/redeliver`), 409, 'conflict');
    expectError(await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`)), 409, 'conflict');
  });

  it('a pending delivery to an endpoint disabled meanwhile is not sent (failed, redeliverable once enabled)', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/disabled-later') });
    const queued = (await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json();
    await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${endpoint.id}`), { enabled: false });
    await t.app.ctx.scheduler.runDue();
    const d = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpoint.id}/deliveries/${queued.id}`))).json();
    assert.equal(d.status, 'failed');
    assert.equal(d.attemptCount, 0);
    assert.match(d.lastError, /disabled/);
    assert.equal(rx.at('/disabled-later').length, 0);
    await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${endpoint.id}`), { enabled: true });
    assert.equal((await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/deliveries/${queued.id}/redeliver`))).statusCode, 202);
    await t.app.ctx.scheduler.runDue();
    assert.equal(rx.at('/disabled-later').length, 1);
  });

  it('lists deliveries newest first, paged with limit/before/hasMore; deleting the endpoint deletes its log and sends nothing pending', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/paged') });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json().id);
    const base = hooks(w.app.id, `/${endpoint.id}/deliveries`);
    const p1 = (await call(t.app, dev, 'GET', `${base}?limit=2`)).json();
    assert.deepEqual(p1.results.map((d: Json) => d.id), [made[4], made[3]]);
    assert.equal(p1.hasMore, true);
    const p2 = (await call(t.app, dev, 'GET', `${base}?limit=2&before=${made[3]}`)).json();
    assert.deepEqual(p2.results.map((d: Json) => d.id), [made[2], made[1]]);
    const p3 = (await call(t.app, dev, 'GET', `${base}?limit=2&before=${made[1]}`)).json();
    assert.deepEqual(p3.results.map((d: Json) => d.id), [made[0]]);
    assert.equal(p3.hasMore, false);
    expectError(await call(t.app, dev, 'GET', `${base}?limit=0`), 400, 'invalid_request');
    expectError(await call(t.app, dev, 'GET', `${base}?status=lost`), 400, 'invalid_request');

    const del = await call(t.app, dev, 'DELETE', hooks(w.app.id, `/${endpoint.id}`));
    assert.equal(del.statusCode, 204, del.body);
    expectError(await call(t.app, dev, 'GET', base), 404, 'not_found');
    const left = await t.db.database.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute();
    assert.equal(left.length, 0);
    await t.app.ctx.scheduler.runDue();
    assert.equal(rx.at('/paged').length, 0, 'its pending deliveries were not sent');
    expectError(await call(t.app, dev, 'DELETE', hooks(w.app.id, `/${endpoint.id}`)), 404, 'not_found');
  });

  it('caps endpoints at 10 per app and URLs at 2048 characters; bad fields are 400', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    for (let i = 0; i < MAX_ENDPOINTS_PER_APP; i++) await createEndpoint(t, dev, w.app.id, { url: rx.url(`/cap/${i}`) });
    expectError(await call(t.app, dev, 'POST', hooks(w.app.id), { url: rx.url('/cap/11') }), 409, 'conflict');
    assert.equal((await call(t.app, dev, 'GET', hooks(w.app.id))).json().results.length, MAX_ENDPOINTS_PER_APP);
    const other = await fixture(t);
    const otherDev = await login(t.app, other.developer.username, other.developer.password);
    const long = `${rx.url('/')}${'a'.repeat(2049 - rx.url('/').length)}`;
    assert.equal(long.length, 2049);
    expectError(await call(t.app, otherDev, 'POST', hooks(other.app.id), { url: long }), 400, 'invalid_request');
    await createEndpoint(t, otherDev, other.app.id, { url: long.slice(0, 2048) });
    for (const body of [{ url: 'ftp://example.com/x' }, { url: 'not a url' }, { url: 'https://user:pw@example.com/x' }, { url: rx.url('/x'), events: [] }, { url: rx.url('/x'), events: ['lock.exploded'] }, { url: rx.url('/x'), events: ['lock.unlocked', 'lock.unlocked'] }, { url: rx.url('/x'), secret: 'whsec_mine' }]) {
      expectError(await call(t.app, otherDev, 'POST', hooks(other.app.id), body), 400, 'invalid_request');
    }
  });

  it('another developer (and anyone signed out) gets 404 / 401 for my app’s webhooks', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/mine') });
    const delivery = (await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json();
    const stranger = await register(t.app);
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, Json?]> = [
      ['GET', hooks(w.app.id)],
      ['POST', hooks(w.app.id), { url: rx.url('/theirs') }],
      ['GET', hooks(w.app.id, `/${endpoint.id}`)],
      ['PATCH', hooks(w.app.id, `/${endpoint.id}`), { url: rx.url('/theirs') }],
      ['POST', hooks(w.app.id, `/${endpoint.id}/rotate-secret`)],
      ['POST', hooks(w.app.id, `/${endpoint.id}/test`)],
      ['GET', hooks(w.app.id, `/${endpoint.id}/deliveries`)],
      ['GET', hooks(w.app.id, `/${endpoint.id}/deliveries/${delivery.id}`)],
      ['POST', hooks(w.app.id, `/${endpoint.id}/deliveries/${delivery.id}/redeliver`)],
      ['DELETE', hooks(w.app.id, `/${endpoint.id}`)],
    ];
    for (const [method, url, body] of routes) {
      expectError(await call(t.app, stranger, method, url, body), 404, 'not_found');
      expectError(await call(t.app, null, method, url, body), 401, 'login_required');
    }
    // My endpoint under another app of mine is not found either.
    const mine = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: `second-${w.app.slug}`.slice(0, 60), name: 'Second' });
    expectError(await call(t.app, dev, 'GET', hooks(mine.json().id, `/${endpoint.id}`)), 404, 'not_found');
    assert.equal((await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpoint.id}`))).json().url, rx.url('/mine'), 'unchanged');
  });

  it('an app without endpoints costs no delivery rows and sends nothing', async () => {
    const w = await fixture(t, { extension: { regularActions: { mode: 'unlimited' } } });
    await t.app.ctx.scheduler.runDue(); // what earlier tests left queued
    const deliveries = await rows(t, 'webhook_deliveries');
    const jobs = await webhookJobs(t);
    const received = rx.received.length;
    assert.equal((await ext(t, w, 'PUT', '/state', { data: { a: 1 } })).statusCode, 200);
    assert.equal((await ext(t, w, 'POST', '/logs/custom', { title: 'quiet' })).statusCode, 201);
    assert.equal((await ext(t, w, 'POST', '/regular-actions', { payload: null })).statusCode, 201);
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    assert.equal((await call(t.app, keyholder, 'POST', `/api/locks/${w.lock.id}/unlock`)).statusCode, 200);
    await t.app.ctx.scheduler.runDue();
    assert.equal(await rows(t, 'webhook_deliveries'), deliveries);
    assert.equal(await webhookJobs(t), jobs);
    assert.equal(rx.received.length, received);
  });

  it('two scheduler runners on one database deliver each delivery exactly once', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/two-runners') });
    const made: string[] = [];
    for (let i = 0; i < 24; i++) made.push((await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json().id);
    // A second process: its own database handle and service graph. Small batches, so the two
    // runners take turns claiming while the other one's requests are in flight.
    const second = await t.db.reopen();
    const silent = pino({ level: 'silent' });
    const other = createServices({ config: t.config, database: second, clock: t.clock, ids: createIdGenerator(t.clock), logger: silent });
    const runner = (services: { webhooks: { jobHandlers: SchedulerDeps['handlers'] } }, database: typeof second, workerId: string) =>
      createScheduler({ db: database.db, clock: t.clock, dialect: database.dialect, logger: silent, handlers: services.webhooks.jobHandlers, workerId, batchSize: 2 });
    const a = runner(t.app.ctx, t.db.database, 'w_first');
    const b = runner(other, second, 'w_second');
    let ran: Array<Awaited<ReturnType<typeof a.runDue>>>;
    try {
      ran = await Promise.all([a.runDue(), b.runDue()]);
    } finally {
      await other.close();
      await second.close();
    }
    assert.ok(ran[0]!.length > 0 && ran[1]!.length > 0, `both runners worked: ${ran[0]!.length} + ${ran[1]!.length}`);
    assert.equal(ran[0]!.length + ran[1]!.length, made.length);
    assert.ok([...ran[0]!, ...ran[1]!].every((j) => j.outcome === 'done'));
    const got = rx.at('/two-runners');
    assert.equal(got.length, made.length);
    assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, made.length, 'each message once');
    const log = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpoint.id}/deliveries?limit=100`))).json();
    assert.ok(log.results.every((d: Json) => d.status === 'succeeded' && d.attemptCount === 1));
  });
});

describe(`webhooks: timeout (${TEST_DB})`, () => {
  it('is 10 s by default; a receiver that never answers is cut at the timeout, recorded and retried', async () => {
    assert.equal(loadConfig({}).webhooks.timeoutMs, 10_000);
    const t = await testApp({ config: { webhooks: { allowPrivateNetworks: false, timeoutMs: 300 } } });
    const rx = await receiver();
    try {
      rx.on('/hang', () => 'hang');
      const w = await fixture(t);
      const dev = await login(t.app, w.developer.username, w.developer.password);
      const endpoint = await createEndpoint(t, dev, w.app.id, { url: rx.url('/hang') });
      const queued = (await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpoint.id}/test`))).json();
      const started = Date.now();
      await t.app.ctx.scheduler.runDue();
      const took = Date.now() - started;
      assert.ok(took >= 290 && took < 5000, `cut after ${took} ms`);
      const d = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpoint.id}/deliveries/${queued.id}`))).json();
      assert.equal(d.status, 'pending');
      assert.equal(d.lastStatusCode, null);
      assert.match(d.lastError, /^timeout: no answer within 300 ms$/);
      assert.ok(d.attempts[0].durationMs >= 290, JSON.stringify(d.attempts));
      assert.equal(rx.at('/hang').length, 1, 'the receiver did get the request');
    } finally {
      await t.close();
      await rx.close();
    }
  });
});

describe(`webhooks: SSRF guard outside the sandbox (${TEST_DB})`, () => {
  let t: TestApp;
  let rx: Receiver;
  let dev: Session;
  let appId: string;
  before(async () => {
    t = await testApp({ config: { dev: false } });
    rx = await receiver();
    dev = await register(t.app);
    const created = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: `ssrf-${Date.now().toString(36)}`, name: 'SSRF' });
    assert.equal(created.statusCode, 201, created.body);
    appId = created.json().id;
  });
  after(async () => {
    await t.close();
    await rx.close();
  });

  it('knows which addresses are not public', () => {
    const blocked = ['127.0.0.1', '127.255.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200', '0.0.0.0', '::', '::1', 'fc00::1', 'fd00:ec2::254', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', '255.255.255.255'];
    for (const a of blocked) assert.ok(blockedAddressReason(a), `${a} is blocked`);
    for (const a of ['93.184.216.34', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(blockedAddressReason(a), null, `${a} is public`);
  });

  it('classifies every special-purpose range, including IPv4 carried inside IPv6 (mapped, translated, NAT64, 6to4, Teredo)', () => {
    const cases: Record<string, string[]> = {
      'IPv4-mapped loopback/private': ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:192.168.0.1', '::ffff:169.254.169.254'],
      'IPv4-translated (::ffff:0:0/96)': ['::ffff:0:7f00:1', '::ffff:0:a00:1', '::ffff:0:808:808'],
      'IPv4-compatible (deprecated ::/96)': ['::7f00:1', '::a00:1', '::127.0.0.1'],
      NAT64: ['64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1'],
      '6to4': ['2002:7f00:1::1', '2002:c0a8:1::1'],
      Teredo: ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
      'link-local': ['169.254.0.1', 'fe80::1', 'fe80::a9fe:a9fe'],
      'unique local': ['fc00::1', 'fd12:3456::1'],
      loopback: ['127.0.0.1', '127.1.2.3', '::1'],
      unspecified: ['0.0.0.0', '0.1.2.3', '::'],
      'multicast/broadcast': ['224.0.0.1', '239.255.255.250', 'ff02::1', '255.255.255.255'],
      'reserved/documentation': ['192.0.2.1', '198.51.100.7', '203.0.113.9', '240.0.0.1', '2001:db8::1', '100::1', '3fff::1', 'fec0::1'],
      'outside 2000::/3': ['4000::1', 'e000::1'],
    };
    for (const [kind, addresses] of Object.entries(cases)) {
      for (const a of addresses) assert.ok(blockedAddressReason(a), `${a} (${kind}) is blocked`);
    }
    assert.equal(blockedAddressReason('example.com'), 'not an IP address');
    for (const a of ['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2a00:1450:4001::200e']) assert.equal(blockedAddressReason(a), null, `${a} is public`);
  });

  it('refuses an IPv4-translated loopback literal (::ffff:0:7f00:1) as a webhook URL', async () => {
    for (const url of ['https://[::ffff:0:7f00:1]/hook', 'https://[64:ff9b::7f00:1]/hook', 'https://[::7f00:1]/hook', 'https://[2002:7f00:1::1]/hook']) {
      expectError(await call(t.app, dev, 'POST', hooks(appId), { url }), 400, 'invalid_request');
    }
  });

  it('refuses http and non-public IP literals when the endpoint is created or changed', async () => {
    for (const url of [rx.url('/x'), 'http://example.com/hook', 'https://127.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.7/hook', 'https://[fd00::1]/hook', 'https://[::ffff:127.0.0.1]/hook', 'https://0x7f.1/hook', 'https://2130706433/hook', 'https://100.64.1.1/', 'https://0.0.0.0/']) {
      const res = await call(t.app, dev, 'POST', hooks(appId), { url });
      const body = expectError(res, 400, 'invalid_request');
      assert.equal(body.details[0].path, '/url', url);
    }
    assert.equal((await call(t.app, dev, 'GET', hooks(appId))).json().results.length, 0);
    const ok = await createEndpoint(t, dev, appId, { url: 'https://hooks.example.com/latch' });
    expectError(await call(t.app, dev, 'PATCH', hooks(appId, `/${ok.id}`), { url: 'https://192.168.0.10/' }), 400, 'invalid_request');
    await call(t.app, dev, 'DELETE', hooks(appId, `/${ok.id}`));
  });

  it('refuses to connect to a host name that resolves to a loopback address (checked at connect time)', async () => {
    const endpoint = await createEndpoint(t, dev, appId, { url: `https://localhost:${rx.port}/rebind` });
    const queued = (await call(t.app, dev, 'POST', hooks(appId, `/${endpoint.id}/test`))).json();
    await t.app.ctx.scheduler.runDue();
    const d = (await call(t.app, dev, 'GET', hooks(appId, `/${endpoint.id}/deliveries/${queued.id}`))).json();
    assert.equal(d.status, 'pending', 'an ordinary failed attempt: retried later');
    assert.equal(d.lastStatusCode, null);
    assert.match(d.lastError, /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    assert.equal(rx.received.length, 0, 'nothing reached the receiver');
  });

  it('WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 lets an operator deliver to its own network over http', async () => {
    assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1' }).webhooks.allowPrivateNetworks, true);
    assert.equal(loadConfig({}).webhooks.allowPrivateNetworks, false);
    const open = await testApp({ config: { dev: false, webhooks: { allowPrivateNetworks: true, timeoutMs: 10_000 } } });
    try {
      const owner = await register(open.app);
      const created = await call(open.app, owner, 'POST', '/api/developer/apps', { slug: `lan-${Date.now().toString(36)}`, name: 'LAN' });
      const id = created.json().id as string;
      const endpoint = await createEndpoint(open, owner, id, { url: rx.url('/lan') });
      await call(open.app, owner, 'POST', hooks(id, `/${endpoint.id}/test`));
      await open.app.ctx.scheduler.runDue();
      assert.equal(rx.at('/lan').length, 1);
      assert.equal(verify(endpoint.secret, rx.at('/lan')[0]!).type, 'webhook.test');
    } finally {
      await open.close();
    }
  });
});

/** The log's upkeep over weeks of virtual time: an app of its own, so its clock jumps touch no other test. */
describe(`webhook log upkeep: retention and endpoints that keep failing (${TEST_DB})`, () => {
  let t: TestApp;
  let rx: Receiver;
  before(async () => {
    t = await testApp({ config: { rateLimitMultiplier: 100 } });
    rx = await receiver();
  });
  after(async () => {
    await t.close();
    await rx.close();
  });

  it('keeps 30 days of finished deliveries: older ones leave the log, attempts and all, as new ones finish; pending ones stay', async () => {
    const w = await fixture(t);
    // Sign-ins last 14 days: sign in again after each jump of the clock.
    let dev = await login(t.app, w.developer.username, w.developer.password);
    const relogin = async () => {
      dev = await login(t.app, w.developer.username, w.developer.password);
    };
    const ok = await createEndpoint(t, dev, w.app.id, { url: rx.url('/kept') });
    const failing = await createEndpoint(t, dev, w.app.id, { url: rx.url('/failing') });
    rx.on('/failing', () => ({ status: 500 }));
    const deliveries = async (endpointId: string) =>
      ((await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}/deliveries`))).json().results as Json[]).map((d) => d.id as string);
    const sendTest = async (endpointId: string) => {
      const res = await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpointId}/test`));
      assert.equal(res.statusCode, 202, res.body);
      await t.app.ctx.scheduler.runDue();
      return res.json().id as string;
    };

    const first = await sendTest(ok.id);
    const oldFailed = await sendTest(failing.id);
    await advance(t, 29 * 86400); // runs the failing endpoint's retries: it ends failed
    await relogin();
    const second = await sendTest(ok.id);
    assert.deepEqual(await deliveries(ok.id), [second, first], 'day 29: both kept');

    await advance(t, 2 * 86400);
    await relogin();
    const third = await sendTest(ok.id);
    assert.deepEqual(await deliveries(ok.id), [third, second], 'day 31: the first is gone');
    expectError(await call(t.app, dev, 'GET', hooks(w.app.id, `/${ok.id}/deliveries/${first}`)), 404, 'not_found');
    const attempts = await t.db.database.db.selectFrom('webhook_attempts').select('id').where('delivery_id', '=', first).execute();
    assert.equal(attempts.length, 0, 'its attempts went with it');
    // Another endpoint's log is its own: pruned only when one of its deliveries finishes.
    assert.deepEqual(await deliveries(failing.id), [oldFailed]);

    // An old delivery sent again stays readable once it finishes; the next finished one takes it.
    const redeliver = await call(t.app, dev, 'POST', hooks(w.app.id, `/${failing.id}/deliveries/${oldFailed}/redeliver`));
    assert.equal(redeliver.statusCode, 202, redeliver.body);
    rx.on('/failing', () => ({ status: 200 }));
    await t.app.ctx.scheduler.runDue();
    const again = (await call(t.app, dev, 'GET', hooks(w.app.id, `/${failing.id}/deliveries/${oldFailed}`))).json();
    assert.equal(again.status, 'succeeded');
    const fresh = await sendTest(failing.id);
    assert.deepEqual(await deliveries(failing.id), [fresh], 'pruned when the next one finished');
  });

  it('every delivery failed for 5 days: latch turns the endpoint off and tells its owner once; a success resets the streak; turning it on starts afresh', async () => {
    const w = await fixture(t);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    let flakyUp = false;
    rx.on('/dead', () => ({ status: 500 }));
    rx.on('/flaky', () => ({ status: flakyUp ? 200 : 503 }));
    const dead = await createEndpoint(t, dev, w.app.id, { url: rx.url('/dead') });
    const flaky = await createEndpoint(t, dev, w.app.id, { url: rx.url('/flaky') });
    const view = async (id: string) => (await call(t.app, dev, 'GET', hooks(w.app.id, `/${id}`))).json() as Json;
    const sendTest = async (id: string) => {
      const res = await call(t.app, dev, 'POST', hooks(w.app.id, `/${id}/test`));
      assert.equal(res.statusCode, 202, res.body);
    };
    const ownerNotices = async () =>
      ((await call(t.app, dev, 'GET', '/api/notifications')).json().results as Json[]).filter((n) => n.type === 'webhook_endpoint_disabled');

    // Day 0: one test each; all 7 attempts fail within 17.6 h.
    await sendTest(dead.id);
    await sendTest(flaky.id);
    await advance(t, 86400);
    const since = (await view(dead.id)).failingSince as string;
    assert.ok(since, 'the streak started when the first delivery ended failed');
    assert.equal((await view(dead.id)).enabled, true);

    for (let day = 1; day <= 5; day++) {
      flakyUp = day === 3; // one success on day 3
      await sendTest(dead.id);
      if (day === 5) await sendTest(dead.id); // two failing together on the last day: still one notice
      await sendTest(flaky.id);
      await advance(t, 86400);
      const d = await view(dead.id);
      assert.equal(d.enabled, day < 5, `day ${day}: dead endpoint ${d.enabled ? 'on' : 'off'}`);
      assert.equal(d.failingSince, since);
      if (day === 3) assert.equal((await view(flaky.id)).failingSince, null, 'a success ends the streak');
    }

    const off = await view(dead.id);
    assert.match(off.disabledReason, new RegExp(`^Turned off by latch: every delivery has failed since ${since.replace(/[.]/g, '\\.')}`));
    const notices = await ownerNotices();
    assert.equal(notices.length, 1, 'told once');
    assert.match(notices[0]!.message, new RegExp(rx.url('/dead').replace(/[.]/g, '\\.')));
    const flakyNow = await view(flaky.id);
    assert.equal(flakyNow.enabled, true, 'two days of failures since its success');
    assert.ok(flakyNow.failingSince > since);

    // Off means off: no test, no new events; turning it on clears the streak and the reason.
    expectError(await call(t.app, dev, 'POST', hooks(w.app.id, `/${dead.id}/test`)), 409, 'conflict');
    const on = await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${dead.id}`), { enabled: true });
    assert.equal(on.statusCode, 200, on.body);
    assert.deepEqual([on.json().enabled, on.json().failingSince, on.json().disabledReason], [true, null, null]);
  });
});
