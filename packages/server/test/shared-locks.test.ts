import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, expectError, register, snapshot, suiteApp, testApp, type Session } from './helpers.js';

/** Shared locks (issue 14): a keyholder's template behind a link, with an optional password. */
describe('shared locks: publish, password, load with the keyholder, disable, delete', () => {
  const t = suiteApp();
  let dev: Session;
  before(async () => {
    dev = await register(t.app, 'sharedev');
    await t.app.ctx.apps.create(dev.userId, { slug: 'dice', name: 'Dice', iframeUrl: 'https://dice.example/app', defaultConfig: { sides: 6 } });
  });

  const template = {
    randomDuration: { minSeconds: 3600, maxSeconds: 7200 },
    maxDurationSeconds: 86400,
    minLimitDurationSeconds: 1800,
    hiddenTimer: true,
    hideTimeLogs: true,
    settings: { tasks: { enabled: true } },
    extensions: [{ slug: 'dice', config: { sides: 20 } }],
  };

  it('a wearer loads a password-protected shared lock and gets a lock with that keyholder accepted', async () => {
    const k = await register(t.app);
    const w = await register(t.app);
    const published = await call(t.app, k, 'POST', '/api/shared-locks', { name: 'Weekly', description: 'A week with dice', password: 'open sesame', template });
    assert.equal(published.statusCode, 201, published.body);
    const shared = published.json();
    assert.equal(shared.requiresPassword, true);
    assert.deepEqual(shared.template, template);
    assert.ok(!published.body.includes('open sesame'));
    const stored = await t.db.database.db.selectFrom('shared_locks').select('password_hash').where('id', '=', shared.id).executeTakeFirstOrThrow();
    assert.match(stored.password_hash!, /^\$argon2id\$/);

    // Before the password: who publishes it and that it needs one, not the template.
    const preview = (await call(t.app, w, 'GET', `/api/shared-locks/${shared.id}`)).json();
    assert.equal(preview.template, null);
    assert.equal(preview.keyholder.username, k.username);
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/open`, {}), 403, 'shared_lock_password_invalid');
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/open`, { password: 'wrong' }), 403, 'shared_lock_password_invalid');
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, { password: 'wrong' }), 403, 'shared_lock_password_invalid');
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, {}), 403, 'shared_lock_password_invalid');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.deepEqual((await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/open`, { password: 'open sesame' })).json().template, template);

    const loaded = await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, { password: 'open sesame' });
    assert.equal(loaded.statusCode, 201, loaded.body);
    const lock = loaded.json();
    assert.equal(lock.role, 'wearer');
    assert.equal(lock.title, 'Weekly');
    assert.equal(lock.keyholder.username, k.username);
    assert.equal(lock.keyholderStatus, 'accepted');
    assert.equal(lock.sharedLockId, shared.id);
    assert.equal(lock.hiddenTimer, true);
    assert.equal(lock.endsAt, null);
    assert.equal(lock.hideTimeLogs, true);
    assert.equal(lock.settings.tasks.enabled, true);
    assert.deepEqual(lock.extensions.map((e: { slug: string; config: unknown }) => [e.slug, e.config]), [['dice', { sides: 20 }]]);

    // The keyholder holds it at once: it shows in their list and they act on it.
    const held = (await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json();
    assert.equal(held.role, 'keyholder');
    const start = Date.parse(held.startDate);
    assert.ok(Date.parse(held.endsAt) >= start + 3600_000 && Date.parse(held.endsAt) <= start + 7200_000);
    assert.equal(held.maxEndsAt, new Date(start + 86400_000).toISOString());
    assert.equal(held.minLimitDate, new Date(start + 1800_000).toISOString());
    assert.equal((await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'add_time', params: 60 })).statusCode, 200);
    const inbox = (await call(t.app, k, 'GET', '/api/notifications')).json();
    assert.equal(inbox.results[0].type, 'shared_lock_loaded');
  });

  it('a shared lock without a password shows its template to any signed-in user; its keyholder cannot load it', async () => {
    const k = await register(t.app);
    const w = await register(t.app);
    const shared = (await call(t.app, k, 'POST', '/api/shared-locks', { name: 'Open', template: { durationSeconds: 600 } })).json();
    assert.deepEqual((await call(t.app, w, 'GET', `/api/shared-locks/${shared.id}`)).json().template, { durationSeconds: 600 });
    expectError(await call(t.app, k, 'POST', `/api/shared-locks/${shared.id}/locks`, {}), 400, 'invalid_request');
    expectError(await call(t.app, null, 'GET', `/api/shared-locks/${shared.id}`), 401, 'login_required');
    const lock = (await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, { title: 'Mine', isTestLock: true })).json();
    assert.equal(lock.title, 'Mine');
    assert.equal(lock.isTestLock, true);
    assert.equal(lock.timeRemainingSeconds, 600);
  });

  it('checks the template when publishing', async () => {
    const k = await register(t.app);
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, k, 'POST', '/api/shared-locks', { name: 'X', template: {} }), 400, 'invalid_request');
    expectError(await call(t.app, k, 'POST', '/api/shared-locks', { name: 'X', template: { randomDuration: { minSeconds: 60, maxSeconds: 30 } } }), 400, 'invalid_request');
    expectError(await call(t.app, k, 'POST', '/api/shared-locks', { name: 'X', template: { durationSeconds: 60, extensions: [{ slug: 'nope' }] } }), 400, 'invalid_request');
    expectError(await call(t.app, k, 'POST', '/api/shared-locks', { name: 'X', template: { durationSeconds: 60, extensions: [{ slug: 'dice', background: true }] } }), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('its keyholder lists, disables, enables and deletes it; nobody else can', async () => {
    const k = await register(t.app);
    const w = await register(t.app);
    const shared = (await call(t.app, k, 'POST', '/api/shared-locks', { name: 'Mine', template: { durationSeconds: 60 } })).json();
    assert.deepEqual((await call(t.app, k, 'GET', '/api/shared-locks')).json().results.map((s: { id: string }) => s.id), [shared.id]);
    assert.deepEqual((await call(t.app, w, 'GET', '/api/shared-locks')).json().results, []);

    expectError(await call(t.app, w, 'PATCH', `/api/shared-locks/${shared.id}`, { disabled: true }), 404, 'not_found');
    expectError(await call(t.app, w, 'DELETE', `/api/shared-locks/${shared.id}`), 404, 'not_found');
    assert.equal((await call(t.app, k, 'PATCH', `/api/shared-locks/${shared.id}`, { disabled: true })).json().disabled, true);
    expectError(await call(t.app, w, 'GET', `/api/shared-locks/${shared.id}`), 409, 'shared_lock_disabled');
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, {}), 409, 'shared_lock_disabled');
    assert.equal((await call(t.app, k, 'PATCH', `/api/shared-locks/${shared.id}`, { disabled: false })).json().disabled, false);
    const lock = (await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, {})).json();

    assert.equal((await call(t.app, k, 'DELETE', `/api/shared-locks/${shared.id}`)).statusCode, 204);
    expectError(await call(t.app, w, 'GET', `/api/shared-locks/${shared.id}`), 404, 'not_found');
    expectError(await call(t.app, w, 'POST', `/api/shared-locks/${shared.id}/locks`, {}), 404, 'not_found');
    // The lock loaded from it keeps running.
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().status, 'locked');
  });

  it('limits password tries per user', async () => {
    const limited = await testApp({ config: { authRateLimitMultiplier: 1 } });
    try {
      const k = await register(limited.app);
      const w = await register(limited.app);
      const shared = (await call(limited.app, k, 'POST', '/api/shared-locks', { name: 'Guarded', password: 'long secret phrase', template: { durationSeconds: 60 } })).json();
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await call(limited.app, w, 'POST', `/api/shared-locks/${shared.id}/open`, { password: `guess ${i}` })).statusCode);
      assert.deepEqual(codes, [...Array(10).fill(403), 429]);
    } finally {
      await limited.close();
    }
  });
});
