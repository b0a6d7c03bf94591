import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, expectError, register, snapshot, suiteApp, type Session } from './helpers.js';

describe('locks: create, keyholder invitation, extensions, history, notifications', () => {
  const t = suiteApp();
  let dev: Session;
  before(async () => {
    dev = await register(t.app, 'extdev');
    for (const slug of ['dice', 'memory']) {
      await t.app.ctx.apps.create(dev.userId, {
        slug,
        name: slug === 'dice' ? 'Dice' : 'Memory',
        iframeUrl: `https://${slug}.example/app`,
        defaultConfig: { sides: 6 },
        initialMetadata: { homeActions: [{ slug: 'play', title: 'Play' }], unlockRequirements: [{ metric: 'wins', count: 3 }] },
      });
    }
  });

  it('creates a self-lock with an extension and its config, and lists it', async () => {
    const w = await register(t.app);
    const res = await call(t.app, w, 'POST', '/api/locks', { title: 'Weekend', durationSeconds: 3600, extensions: [{ slug: 'dice', config: { sides: 20 } }] });
    assert.equal(res.statusCode, 201, res.body);
    const lock = res.json();
    assert.match(lock.id, /^[0-9a-f]{24}$/);
    assert.equal(lock.status, 'locked');
    assert.equal(lock.role, 'wearer');
    assert.equal(lock.keyholder, null);
    assert.equal(lock.timeRemainingSeconds, 3600);
    assert.equal(lock.extensions.length, 1);
    assert.deepEqual(lock.extensions[0].config, { sides: 20 });
    assert.deepEqual(lock.settings.tasks, { enabled: false });

    t.clock.advance(600_000);
    const got = (await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json();
    assert.equal(got.timeRemainingSeconds, 3000);
    const list = (await call(t.app, w, 'GET', '/api/locks')).json();
    assert.deepEqual(list.results.map((l: { id: string }) => l.id), [lock.id]);
    assert.equal(list.hasMore, false);
  });

  it('uses the app default config and initial metadata when none is given', async () => {
    const w = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'L', durationSeconds: 60, extensions: [{ slug: 'memory' }] })).json();
    assert.deepEqual(lock.extensions[0].config, { sides: 6 });
    const row = await t.db.database.db.selectFrom('extension_sessions').selectAll().where('id', '=', lock.extensions[0].sessionId).executeTakeFirstOrThrow();
    const metadata = JSON.parse(row.metadata);
    assert.deepEqual(metadata.homeActions, [{ slug: 'play', title: 'Play' }]);
    assert.deepEqual(metadata.unlockRequirements, [{ metric: 'wins', count: 3 }]);
  });

  it('invites a keyholder who accepts and then controls the extensions', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Held', durationSeconds: 7200, keyholderUsername: k.username.toUpperCase() })).json();
    assert.equal(lock.keyholderStatus, 'pending');
    assert.equal(lock.keyholder.username, k.username);

    const inbox = (await call(t.app, k, 'GET', '/api/notifications?unread=true')).json();
    assert.equal(inbox.unreadCount, 1);
    assert.equal(inbox.results[0].type, 'keyholder_invitation');
    assert.equal(inbox.results[0].lockId, lock.id);

    const keyholderView = (await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json();
    assert.equal(keyholderView.role, 'keyholder');

    // Only the invitee answers, and only once.
    expectError(await call(t.app, w, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true }), 403, 'forbidden');
    const accepted = await call(t.app, k, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true });
    assert.deepEqual(accepted.json(), { lockId: lock.id, keyholderStatus: 'accepted' });
    expectError(await call(t.app, k, 'POST', `/api/locks/${lock.id}/invitation`, { accept: false }), 409, 'conflict');

    // Now the wearer may not change extensions; the keyholder may once the wearer trusts them (issue 14).
    expectError(await call(t.app, w, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' }), 403, 'forbidden');
    expectError(await call(t.app, k, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' }), 403, 'forbidden');
    expectError(await call(t.app, k, 'POST', `/api/locks/${lock.id}/keyholder/trust`), 403, 'forbidden');
    const trusted = await call(t.app, w, 'POST', `/api/locks/${lock.id}/keyholder/trust`);
    assert.equal(trusted.statusCode, 200, trusted.body);
    assert.equal(trusted.json().keyholderTrusted, true);
    const installed = await call(t.app, k, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' });
    assert.equal(installed.statusCode, 201);
    expectError(await call(t.app, k, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' }), 409, 'extension_already_installed');
    assert.equal((await call(t.app, k, 'DELETE', `/api/locks/${lock.id}/extensions/dice`)).statusCode, 204);
    expectError(await call(t.app, k, 'DELETE', `/api/locks/${lock.id}/extensions/dice`), 404, 'not_found');
    // Reinstalling after removal gives a new session; the old one stays on record.
    const again = (await call(t.app, k, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' })).json();
    assert.notEqual(again.sessionId, installed.json().sessionId);

    const wearerInbox = (await call(t.app, w, 'GET', '/api/notifications')).json();
    assert.equal(wearerInbox.results[0].type, 'keyholder_accepted');
    const history = (await call(t.app, w, 'GET', `/api/locks/${lock.id}/history`)).json();
    assert.deepEqual(
      history.results.map((h: { type: string }) => h.type),
      ['extension_installed', 'extension_removed', 'extension_installed', 'keyholder_trusted', 'keyholder_accepted', 'lock_started'],
    );
    const removed = history.results[1];
    assert.equal(removed.role, 'keyholder');
    assert.equal(removed.actor.username, k.username);
    assert.equal(removed.actor.extensionSlug, 'dice');

    const khLocks = (await call(t.app, k, 'GET', '/api/locks?role=keyholder')).json();
    assert.deepEqual(khLocks.results.map((l: { id: string }) => l.id), [lock.id]);
    assert.equal((await call(t.app, k, 'GET', '/api/locks?role=wearer')).json().results.length, 0);
  });

  it('a declined invitation leaves a self-lock the keyholder can no longer see', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Maybe', durationSeconds: 60, keyholderUsername: k.username })).json();
    assert.equal((await call(t.app, k, 'POST', `/api/locks/${lock.id}/invitation`, { accept: false })).json().keyholderStatus, 'declined');
    expectError(await call(t.app, k, 'GET', `/api/locks/${lock.id}`), 404, 'not_found');
    assert.equal((await call(t.app, w, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' })).statusCode, 201);
  });

  it('hides the timer from the wearer only', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Hidden', durationSeconds: 500, maxDurationSeconds: 900, hiddenTimer: true, keyholderUsername: k.username })).json();
    assert.equal(lock.timeRemainingSeconds, null);
    assert.equal(lock.endsAt, null);
    assert.equal(lock.maxEndsAt, null);
    assert.equal(lock.hiddenTimer, true);
    const kv = (await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json();
    assert.equal(kv.timeRemainingSeconds, 500);
    assert.ok(kv.maxEndsAt);
  });

  it('keeps strangers out and refuses bad references without writing anything', async () => {
    const w = await register(t.app);
    const stranger = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Mine', durationSeconds: 60 })).json();
    expectError(await call(t.app, stranger, 'GET', `/api/locks/${lock.id}`), 404, 'not_found');
    expectError(await call(t.app, stranger, 'GET', `/api/locks/${lock.id}/history`), 404, 'not_found');
    expectError(await call(t.app, stranger, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'dice' }), 404, 'not_found');
    expectError(await call(t.app, null, 'GET', '/api/locks'), 401, 'login_required');

    const before = await snapshot(t.db.database);
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, keyholderUsername: 'nobody_at_all' }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, keyholderUsername: w.username }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, extensions: [{ slug: 'no-such-ext' }] }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, extensions: [{ slug: 'dice' }, { slug: 'dice' }] }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 600, maxDurationSeconds: 60 }), 400, 'invalid_request');
    const bigConfig = { blob: 'x'.repeat(70 * 1024) };
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, extensions: [{ slug: 'dice', config: bigConfig }] }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', `/api/locks/${lock.id}/extensions`, { slug: 'no-such-ext' }), 404, 'not_found');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('pages through locks, history and notifications newest first', async () => {
    const w = await register(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await call(t.app, w, 'POST', '/api/locks', { title: `L${i}`, durationSeconds: 60 })).json().id);
    const p1 = (await call(t.app, w, 'GET', '/api/locks?limit=2')).json();
    assert.deepEqual(p1.results.map((l: { id: string }) => l.id), [ids[4], ids[3]]);
    assert.equal(p1.hasMore, true);
    const p3 = (await call(t.app, w, 'GET', `/api/locks?limit=2&before=${ids[1]}`)).json();
    assert.deepEqual(p3.results.map((l: { id: string }) => l.id), [ids[0]]);
    assert.equal(p3.hasMore, false);
    expectError(await call(t.app, w, 'GET', '/api/locks?limit=0'), 400, 'invalid_request');
    expectError(await call(t.app, w, 'GET', '/api/locks?limit=abc'), 400, 'invalid_request');
    expectError(await call(t.app, w, 'GET', '/api/locks?status=lost'), 400, 'invalid_request');
    expectError(await call(t.app, w, 'GET', '/api/locks/not-an-id'), 400, 'invalid_request');
  });

  it('marks notifications read, one or all, only my own', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const other = await register(t.app);
    for (let i = 0; i < 3; i++) await call(t.app, w, 'POST', '/api/locks', { title: `N${i}`, durationSeconds: 60, keyholderUsername: k.username });
    const inbox = (await call(t.app, k, 'GET', '/api/notifications')).json();
    assert.equal(inbox.unreadCount, 3);
    assert.deepEqual((await call(t.app, other, 'POST', '/api/notifications/read', { ids: [inbox.results[0].id] })).json(), { updated: 0 });
    assert.deepEqual((await call(t.app, k, 'POST', '/api/notifications/read', { ids: [inbox.results[0].id] })).json(), { updated: 1 });
    assert.equal((await call(t.app, k, 'GET', '/api/notifications')).json().unreadCount, 2);
    assert.deepEqual((await call(t.app, k, 'POST', '/api/notifications/read')).json(), { updated: 2 });
    const after = (await call(t.app, k, 'GET', '/api/notifications?unread=true')).json();
    assert.equal(after.results.length, 0);
  });
});
