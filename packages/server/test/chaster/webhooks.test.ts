import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActionLogCreated, ExtensionSessionCreated, ExtensionSessionDeleted, ExtensionSessionUpdated, LockForPublic } from '@chasterapp/chaster-js';
import { WEBHOOK_DIALECTS } from '../../src/services/webhookDialects.js';
import type { FixtureWorld } from '../../src/services/fixtures.js';
import { TEST_DB, call, expectError, fixtureWorld, login, snapshot, testApp, type Session, type TestApp } from '../helpers.js';
import { receiver, verify, type Json, type Received, type Receiver } from '../webhookReceiver.js';

/**
 * Chaster's webhooks (DECISIONS §14, Chaster's webhooks page) for Chaster-dialect apps, against a
 * real receiver on 127.0.0.1 (the sandbox allows loopback): the four events in chaster-js's
 * shapes, Basic auth, the Standard Webhooks signature added, retries after 1, 2, 3, 4 minutes on
 * the virtual clock, the 10 s timeout, the delivery log, and Chastify apps unchanged.
 */

const hooks = (appId: string, rest = '') => `/api/developer/apps/${appId}/webhooks${rest}`;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The lock fields DECISIONS §14 lists as what an extension reads: a webhook's lock has them all. */
const LOCK_FIELDS = [
  '_id', 'status', 'title', 'startDate', 'endDate', 'minDate', 'maxDate', 'maxLimitDate', 'displayRemainingTime', 'limitLockTime', 'isFrozen', 'frozenAt',
  'totalDuration', 'canBeUnlocked', 'isAllowedToViewTime', 'user', 'keyholder', 'extensions', 'isTestLock', 'trusted', 'hideTimeLogs', 'createdAt', 'updatedAt',
] satisfies Array<keyof LockForPublic>;

/** `keyholder`: whether the keyholder had accepted when the event happened. */
function assertCompleteLock(lock: LockForPublic, w: FixtureWorld, keyholder = true) {
  for (const field of LOCK_FIELDS) assert.ok(field in lock, `lock.${field} present`);
  assert.equal(lock._id, w.lock.id);
  assert.equal(lock.user.username, w.wearer.username);
  assert.equal(lock.keyholder?.username ?? null, keyholder ? w.keyholder!.username : null);
  assert.ok(lock.endDate, 'the backend sees the end date');
}

async function advance(t: TestApp, seconds: number) {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
  assert.equal(res.statusCode, 200, res.body);
}

async function deliveries(t: TestApp, dev: Session, w: FixtureWorld): Promise<Json[]> {
  const endpointId = w.webhooks![0]!.id;
  const list = await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}/deliveries?limit=100`));
  assert.equal(list.statusCode, 200, list.body);
  return Promise.all(list.json().results.map(async (d: Json) => (await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}/deliveries/${d.id}`))).json() as Json));
}

describe(`Chaster webhooks (${TEST_DB})`, () => {
  let t: TestApp;
  let rx: Receiver;
  before(async () => {
    [t, rx] = await Promise.all([testApp({ config: { rateLimitMultiplier: 100 } }), receiver()]);
  });
  after(() => Promise.all([t.close(), rx.close()]));

  it('sends the four events as chaster-js types them, with Basic auth and a Standard Webhooks signature, and logs them', async () => {
    const password = 'receiver-pass-31337';
    const w = await fixtureWorld(t.app, {
      extension: { dialect: 'chaster', webhooks: [{ url: rx.url('/four'), basicAuth: { username: 'hook-user', password } }] },
      lock: { combination: '424242' },
    });
    const [endpoint] = w.webhooks!;
    assert.deepEqual(endpoint!.events, ['extension_session.created', 'extension_session.updated', 'extension_session.deleted', 'action_log.created'], 'Chaster’s four by default');
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    assert.equal((await call(t.app, keyholder, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, { config: { level: 'hard' } })).statusCode, 200);
    assert.equal((await call(t.app, keyholder, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'add_time', params: { seconds: 3600 } })).statusCode, 200);
    assert.equal((await call(t.app, keyholder, 'DELETE', `/api/locks/${w.lock.id}/extensions/${w.app.slug}`)).statusCode, 204);
    await t.app.ctx.scheduler.runDue();

    const got = rx.at('/four').sort((a, b) => (a.headers['webhook-id']! < b.headers['webhook-id']! ? -1 : 1));
    const bodies = got.map((r: Received) => {
      assert.equal(r.headers.authorization, basic('hook-user', password));
      const verified = verify(endpoint!.secret, r);
      assert.deepEqual(verified, r.json);
      assert.deepEqual(Object.keys(verified), ['event', 'data', 'sentAt', 'requestId']);
      assert.equal(verified.requestId, r.headers['webhook-id'], 'the request id is the message id: the same on a retry');
      assert.ok(!Number.isNaN(Date.parse(verified.sentAt)));
      for (const secret of ['424242', password, w.app.appKey, endpoint!.secret, w.mainTokens.wearer]) assert.ok(!r.body.includes(secret), `no secret in ${r.body.slice(0, 200)}…`);
      return verified;
    });
    const of = (event: string) => bodies.filter((b) => b.event === event);

    const created = of('extension_session.created')[0] as ExtensionSessionCreated;
    assert.ok(created, `created delivered (got ${bodies.map((b) => b.event).join(', ')})`);
    assert.equal(created.data.extension.slug, w.app.slug);
    assert.equal(created.data.session.sessionId, w.session.id);
    assert.equal(created.data.session._id, w.session.id);
    assert.equal(created.data.session.slug, w.app.slug);
    assert.deepEqual(created.data.session.metadata, { reasonsPreventingUnlocking: [], homeActions: [] });
    // The fixture installs the extension with the lock, before the keyholder accepts the invitation.
    assertCompleteLock(created.data.session.lock, w, false);
    assert.deepEqual(created.data.session.lock.extensions.map((e) => e.slug), [w.app.slug]);

    const updated = of('extension_session.updated') as ExtensionSessionUpdated[];
    assert.equal(updated.length, 1);
    assert.deepEqual(updated[0]!.data.session.config, { level: 'hard' }, 'the config exactly as written');
    assert.equal(updated[0]!.data.extension.slug, w.app.slug);
    assertCompleteLock(updated[0]!.data.session.lock, w);
    assert.equal(updated[0]!.data.session.lock.role, 'keyholder', 'the partner’s view, from the controller’s side, as GET …/sessions/:id');

    const logs = of('action_log.created') as ActionLogCreated[];
    const timeAdded = logs.find((l) => l.data.actionLog.type === 'time_changed');
    assert.ok(timeAdded, `time_changed among ${logs.map((l) => l.data.actionLog.type).join(', ')}`);
    assert.equal(timeAdded.data.sessionId, w.session.id);
    assert.equal(timeAdded.data.actionLog.lock, w.lock.id);
    assert.equal(timeAdded.data.actionLog.role, 'keyholder');
    assert.equal(timeAdded.data.actionLog.prefix, 'default');
    assert.equal(timeAdded.data.actionLog.user?.username, w.keyholder!.username);

    const deleted = of('extension_session.deleted') as ExtensionSessionDeleted[];
    assert.equal(deleted.length, 1);
    assert.deepEqual(Object.keys(deleted[0]!.data.session), ['sessionId', 'lock']);
    assert.equal(deleted[0]!.data.session.sessionId, w.session.id);
    assertCompleteLock(deleted[0]!.data.session.lock, w);
    assert.deepEqual(deleted[0]!.data.session.lock.extensions, [], 'the session is gone from its lock');

    // The delivery log shows every one of them, succeeded.
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const log = await deliveries(t, dev, w);
    assert.equal(log.length, got.length);
    assert.ok(log.every((d) => d.status === 'succeeded' && d.attemptCount === 1 && d.lastStatusCode === 200), JSON.stringify(log.map((d) => d.status)));
    assert.deepEqual(new Set(log.map((d) => d.eventType)), new Set(['extension_session.created', 'extension_session.updated', 'extension_session.deleted', 'action_log.created']));
  });

  it('Basic auth is shown only as hasBasicAuth, can be changed and removed, and is never in a read or the log', async () => {
    const w = await fixtureWorld(t.app, { extension: { dialect: 'chaster', webhooks: [{ url: rx.url('/auth-change'), basicAuth: { username: 'first', password: 'first-pass-xyz' } }] } });
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const endpointId = w.webhooks![0]!.id;
    const read = await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}`));
    assert.equal(read.json().hasBasicAuth, true);
    assert.ok(!read.body.includes('first-pass-xyz') && !read.body.includes('basicAuth'), read.body);
    const row = await t.db.database.db.selectFrom('webhook_endpoints').select('basic_auth').where('id', '=', endpointId).executeTakeFirstOrThrow();
    assert.ok(row.basic_auth && !row.basic_auth.includes('first-pass-xyz'), 'the password is sealed at rest');

    const changed = await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${endpointId}`), { basicAuth: { username: 'second', password: 'second-pass-xyz' } });
    assert.equal(changed.statusCode, 200, changed.body);
    await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpointId}/test`));
    await t.app.ctx.scheduler.runDue();
    const tested = rx.at('/auth-change').find((r) => r.json.event === 'webhook.test')!;
    assert.equal(rx.at('/auth-change').at(-1)!.headers.authorization, basic('second', 'second-pass-xyz'));
    assert.equal(tested.headers.authorization, basic('second', 'second-pass-xyz'));
    // "Send test" speaks the app's dialect: Chaster's envelope, the request id being the message id.
    const body = verify(w.webhooks![0]!.secret, tested);
    assert.deepEqual(Object.keys(body), ['event', 'data', 'sentAt', 'requestId']);
    assert.equal(body.event, 'webhook.test');
    assert.equal(body.requestId, tested.headers['webhook-id']);
    assert.deepEqual(body.data.extension, { slug: w.app.slug });

    const removed = await call(t.app, dev, 'PATCH', hooks(w.app.id, `/${endpointId}`), { basicAuth: null });
    assert.equal(removed.json().hasBasicAuth, false);
    await call(t.app, dev, 'POST', hooks(w.app.id, `/${endpointId}/test`));
    await t.app.ctx.scheduler.runDue();
    assert.equal(rx.at('/auth-change').at(-1)!.headers.authorization, undefined);
    const list = await call(t.app, dev, 'GET', hooks(w.app.id, `/${endpointId}/deliveries?limit=100`));
    assert.ok(!list.body.includes('pass-xyz'));
  });

  it('retries a failing delivery after 1, 2, 3 and 4 minutes (virtual clock), then gives up', async () => {
    rx.on('/down', () => ({ status: 503, body: 'maintenance' }));
    const w = await fixtureWorld(t.app, { extension: { dialect: 'chaster', webhooks: [{ url: rx.url('/down'), events: ['extension_session.created'] }] } });
    const dev = await login(t.app, w.developer.username, w.developer.password);
    await t.app.ctx.scheduler.runDue();
    const total = WEBHOOK_DIALECTS.chaster.retryDelaysMs.reduce((a, b) => a + b, 0) / 1000;
    assert.equal(total, 600);
    await advance(t, total - 1);
    const [pending] = await deliveries(t, dev, w);
    assert.equal(pending!.status, 'pending', 'the last retry is not due yet');
    assert.equal(pending!.attemptCount, 4);
    await advance(t, 1);
    const [failed] = await deliveries(t, dev, w);
    assert.equal(failed!.status, 'failed');
    assert.equal(failed!.eventType, 'extension_session.created');
    assert.equal(failed!.attemptCount, 5, 'the first attempt and four retries');
    const gaps = failed!.attempts.slice(1).map((a: Json, i: number) => Date.parse(a.attemptedAt) - Date.parse(failed!.attempts[i].attemptedAt));
    assert.deepEqual(gaps, [60_000, 120_000, 180_000, 240_000]);
    assert.equal(new Set(rx.at('/down').map((r) => r.body)).size, 1, 'the same body on every attempt');
    await advance(t, 3600);
    assert.equal(rx.at('/down').length, 5, 'nothing after giving up');
  });

  it('a Chastify app is unaffected; Chaster endpoints take only Chaster’s events; bad input changes nothing', async () => {
    const plain = await fixtureWorld(t.app);
    const dev = await login(t.app, plain.developer.username, plain.developer.password);
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, dev, 'POST', hooks(plain.app.id), { url: rx.url('/plain'), basicAuth: { username: 'u', password: 'p' } }), 400, 'invalid_request');
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { webhooks: [{ url: rx.url('/plain') }] } } }), 400, 'invalid_request');
    const withCredentials = rx.url('/x').replace('http://', 'http://user:pw@');
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { dialect: 'chaster', webhooks: [{ url: withCredentials }] } } }), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before, 'refused fixtures create no account, app or endpoint');
    const chaster = await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
    const chasterDev = await login(t.app, chaster.developer.username, chaster.developer.password);
    const afterWorld = await snapshot(t.db.database);
    expectError(await call(t.app, chasterDev, 'POST', hooks(chaster.app.id), { url: rx.url('/x'), events: ['lock.unlocked'] }), 400, 'invalid_request');
    expectError(await call(t.app, chasterDev, 'POST', hooks(chaster.app.id), { url: rx.url('/x'), basicAuth: { username: 'a:b', password: 'p' } }), 400, 'invalid_request');
    assert.equal((await snapshot(t.db.database)).webhook_endpoints, afterWorld.webhook_endpoints);
    assert.equal(afterWorld.webhook_endpoints, before.webhook_endpoints, 'the refused fixture created no endpoint');

    const res = await call(t.app, dev, 'POST', hooks(plain.app.id), { url: rx.url('/plain') });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().hasBasicAuth, false);
    const keyholder = await login(t.app, plain.keyholder!.username, plain.keyholder!.password);
    assert.equal((await call(t.app, keyholder, 'POST', `/api/locks/${plain.lock.id}/actions`, { name: 'add_time', params: { seconds: 60 } })).statusCode, 200);
    await t.app.ctx.scheduler.runDue();
    const [log] = rx.at('/plain');
    assert.ok(log);
    assert.equal(log.headers.authorization, undefined);
    const body = verify(res.json().secret, log);
    assert.deepEqual(Object.keys(body), ['type', 'timestamp', 'data'], 'Chastify’s Standard Webhooks body');
    assert.equal(body.type, 'action_log.created');
    assert.equal(body.data.sessionId, plain.session.id);
  });
});

describe(`Chaster webhooks: timeout (${TEST_DB})`, () => {
  it('is Chaster’s 10 s whatever the platform’s: a receiver that never answers is cut at 10 s, recorded and retried a minute later', async () => {
    const t = await testApp({ config: { webhooks: { allowPrivateNetworks: false, timeoutMs: 300 } } });
    const rx = await receiver();
    try {
      rx.on('/hang', () => 'hang');
      const w = await fixtureWorld(t.app, { extension: { dialect: 'chaster', webhooks: [{ url: rx.url('/hang'), events: ['extension_session.created'] }] } });
      const dev = await login(t.app, w.developer.username, w.developer.password);
      await t.app.ctx.scheduler.runDue();
      const [d] = await deliveries(t, dev, w);
      assert.equal(d!.status, 'pending');
      assert.match(d!.lastError, /^timeout: no answer within 10000 ms$/);
      assert.ok(d!.attempts[0].durationMs >= 9_900, JSON.stringify(d!.attempts));
      assert.equal(Date.parse(d!.nextAttemptAt) - Date.parse(d!.attempts[0].attemptedAt), 60_000);
      assert.equal(rx.at('/hang').length, 1, 'the receiver did get the request');
    } finally {
      await t.close();
      await rx.close();
    }
  });
});
