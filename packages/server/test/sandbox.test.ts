import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, login, snapshot, suiteApp } from './helpers.js';

const HEX24 = /^[0-9a-f]{24}$/;

describe('sandbox (LATCH_DEV=1): fixtures and the virtual clock', () => {
  const t = suiteApp({ config: { dev: true } });

  it('builds a world with a keyholder who accepted, and every login works', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: {} });
    assert.equal(res.statusCode, 201, res.body);
    const w = res.json();
    for (const id of [w.wearer.id, w.keyholder.id, w.developer.id, w.app.id, w.lock.id, w.session.id]) assert.match(id, HEX24);
    assert.equal(w.baseUrl, 'http://latch.test');
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const lock = (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}`)).json();
    assert.equal(lock.keyholderStatus, 'accepted');
    assert.equal(lock.extensions[0].sessionId, w.session.id);
    assert.equal(lock.extensions[0].slug, w.app.slug);
    assert.deepEqual(lock.settings.tasks, { enabled: true });
    assert.equal(lock.settings.pillory.enabled, true);
    const keyholder = await login(t.app, w.keyholder.username, w.keyholder.password);
    assert.equal((await call(t.app, keyholder, 'GET', `/api/locks/${w.lock.id}`)).json().role, 'keyholder');
  });

  it('honours the fixture options: self-lock, title, duration, hidden timer, extension', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dev/fixtures',
      payload: {
        extension: { slug: 'my-ext', name: 'Mine', iframeUrl: 'https://ext.example/app', config: { level: 2 }, initialMetadata: { homeActions: [] } },
        lock: { keyholder: false, title: 'Solo', durationSeconds: 120, hiddenTimer: true, tasks: false },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const w = res.json();
    assert.equal(w.keyholder, null);
    assert.equal(w.app.slug, 'my-ext');
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const lock = (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}`)).json();
    assert.equal(lock.title, 'Solo');
    assert.equal(lock.keyholder, null);
    assert.equal(lock.timeRemainingSeconds, null, 'hidden from the wearer');
    assert.deepEqual(lock.settings.tasks, { enabled: false });
    assert.deepEqual(lock.extensions[0].config, { level: 2 });
    const app = await t.db.database.db.selectFrom('extension_apps').selectAll().where('slug', '=', 'my-ext').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(app.allowed_origins), ['https://ext.example']);
    // The slug is unique: a second world asking for it is a conflict, and leaves nothing behind.
    const before = await snapshot(t.db.database);
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { slug: 'my-ext' } } }), 409, 'conflict');
    const after = await snapshot(t.db.database);
    assert.equal(after.extension_apps, before.extension_apps);
    assert.equal(after.locks, before.locks);
  });

  it('refuses unknown fixture fields', async () => {
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { lock: { colour: 'red' } } }), 400, 'invalid_request');
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension: { scopes: ['everything'] } } }), 400, 'invalid_request');
  });

  it('moves the one clock forward: timers and session expiry follow it', async () => {
    const w = (await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { lock: { keyholder: false, durationSeconds: 7200 } } })).json();
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const before = (await t.app.inject({ method: 'GET', url: '/api/dev/clock' })).json();
    assert.equal(before.advanceable, true);
    const moved = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 3600 } });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().nowMs - before.nowMs, 3_600_000);
    assert.equal(new Date(moved.json().now).getTime(), moved.json().nowMs);
    assert.equal((await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}`)).json().timeRemainingSeconds, 3600);
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: -1 } }), 400, 'invalid_request');
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 1.5 } }), 400, 'invalid_request');
    expectError(await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: {} }), 400, 'invalid_request');
  });
});

describe('without LATCH_DEV the sandbox does not exist', () => {
  const t = suiteApp({ config: { dev: false } });

  for (const [method, url] of [
    ['POST', '/api/dev/fixtures'],
    ['GET', '/api/dev/clock'],
    ['POST', '/api/dev/clock/advance'],
  ] as const) {
    it(`${method} ${url} → 404 not_found`, async () => {
      const before = await snapshot(t.db.database);
      expectError(await t.app.inject({ method, url, payload: method === 'POST' ? { seconds: 60 } : undefined }), 404, 'not_found');
      assert.deepEqual(await snapshot(t.db.database), before);
    });
  }

  it('does not document sandbox routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/api/dev/')));
  });
});
