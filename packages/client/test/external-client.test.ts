import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createExternalClient, type ExternalClient, type FetchLike } from '../src/index.js';
import { rejectsWith, suiteServer, type World } from './server.js';

/** Every method of the External API client (`/api/apps/v1/*`) against the real server over HTTP. */

describe('@latch/client: External API (real server)', () => {
  const srv = suiteServer();
  let w: World;
  let x: ExternalClient;
  before(async () => {
    // A self-lock: the key owner is their own keyholder, so every action is theirs to take.
    w = await srv.world({ lock: { keyholder: false, durationSeconds: 86400 } });
    x = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey });
  });

  it('session', async () => {
    const session = await x.session();
    assert.equal(session.lock._id, w.lock.id);
    assert.equal(session.role, 'wearer');
    assert.equal(typeof session.lockData.timeRemainingSeconds, 'number');
  });

  it('state get / put / patch', async () => {
    const s0 = await x.state.get();
    assert.deepEqual(s0.data, {});
    assert.ok(s0.etag);
    const s1 = await x.state.put({ counter: 1, notes: 'first test' });
    assert.deepEqual(s1.data, { counter: 1, notes: 'first test' });
    const s2 = await x.state.patch({ counter: 2 }, { ifMatch: s1.etag! });
    assert.deepEqual(s2.data, { counter: 2, notes: 'first test' });
    await rejectsWith(x.state.put({ counter: 0 }, { ifMatch: s1.etag! }), 412, 'precondition_failed');
  });

  it('metadata get / patch', async () => {
    assert.deepEqual((await x.metadata.get()).unlockBlockers, []);
    const m = await x.metadata.patch({ unlockBlockers: ['Script says wait'] });
    assert.deepEqual(m.unlockBlockers, ['Script says wait']);
    assert.equal(m.unlockBlocked, true);
    assert.deepEqual((await x.metadata.patch({ unlockBlockers: [] })).unlockBlockers, []);
  });

  it('action, apply-time, freeze, unfreeze', async () => {
    const before = (await x.session()).lockData.timeRemainingSeconds!;
    const added = await x.action('add_time', 600);
    assert.equal(added.action, 'add_time');
    assert.ok(added.lockData.timeRemainingSeconds! >= before + 600);
    assert.equal((await x.lock.applyTime(-120)).action, 'remove_time');
    assert.equal((await x.lock.applyTime(120)).action, 'add_time');
    assert.equal((await x.lock.freeze(300)).lockData.frozen, true);
    assert.equal((await x.lock.unfreeze()).lockData.frozen, false);
    assert.equal((await x.lock.freeze()).lockData.frozen, true);
    assert.equal((await x.lock.unfreeze()).changed, true);
    await rejectsWith(x.lock.freeze(10), 400, 'invalid_params');
  });

  it('logs.custom and notifications.custom', async () => {
    const log = (await x.logs.custom({ title: 'From my script' })) as { title?: string };
    assert.equal(log.title, 'From my script');
    assert.ok((await srv.history(w)).some((h) => h.title === 'From my script'));
    const note = (await x.notifications.custom({ title: 'Hello', message: 'from a script' })) as { type?: string };
    assert.equal(note.type, 'extension_app_message');
  });

  it('deviceCommand', async () => {
    const started = await x.deviceCommand('shock.start', { durationSeconds: 2, intensityPct: 150 });
    assert.equal(started.applied.intensityPct, 100);
    assert.deepEqual(started.clamped, ['intensityPct']);
    assert.equal((await x.deviceCommand('all.stop')).active.shocking, false);
  });

  it('sends x-chastify-lock-id when a lockId is given, on reads and writes', async () => {
    const seen: Array<string | null> = [];
    const spy: FetchLike = (input, init) => {
      seen.push(new Headers(init.headers).get('x-chastify-lock-id'));
      return fetch(input, init);
    };
    const pinned = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, lockId: w.lock.id, fetch: spy });
    assert.equal(pinned.lockId, w.lock.id);
    assert.equal((await pinned.session()).lock._id, w.lock.id);
    await pinned.state.patch({ pinned: true });
    assert.deepEqual(seen, [w.lock.id, w.lock.id]);

    const elsewhere = pinned.forLock('0123456789abcdef01234567');
    const err = await rejectsWith(elsewhere.session(), 409, 'no_active_lock_session');
    assert.equal(seen.at(-1), '0123456789abcdef01234567');
    assert.match(err.message, /not one of your active locks/);
    const unpinned = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey, fetch: spy });
    await unpinned.session();
    assert.equal(seen.at(-1), null, 'no header without a lockId');
  });

  it('errors carry the catalog code (error is a string here), requestId and details', async () => {
    const appKey = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.app.appKey });
    const err = await rejectsWith(appKey.session(), 403, 'user_wide_dev_key_required');
    assert.equal((err.body as { error: unknown }).error, 'user_wide_dev_key_required', '/api/apps/v1 spells error as the code string');
    assert.match(err.requestId!, /^req_/);
    await rejectsWith(createExternalClient({ baseUrl: srv.baseUrl, userKey: 'lk_usr_revokedorunknown' }).session(), 401, 'invalid_credentials');
    const invalid = await rejectsWith(x.logs.custom({ title: 'x'.repeat(181) }), 400, 'invalid_request');
    assert.ok(Array.isArray(invalid.details));
    await rejectsWith(x.action('add_time', 'soon'), 400, 'invalid_params');
  });

  it('wearer-favouring actions on a keyholder’s lock: role_not_allowed', async () => {
    const kh = await srv.world({ lock: { keyholder: true, durationSeconds: 3600 } });
    const client = createExternalClient({ baseUrl: srv.baseUrl, userKey: kh.wearer.userKey });
    assert.equal((await client.lock.applyTime(60)).action, 'add_time', 'adding time is fine');
    const err = await rejectsWith(client.lock.applyTime(-60), 403, 'role_not_allowed');
    assert.equal((err.body as { error: unknown }).error, 'role_not_allowed');
  });
});
