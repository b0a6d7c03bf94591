import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, register, snapshot, suiteApp, type Session } from './helpers.js';

/**
 * An app's defaultConfig is capped like an installed config (64 KiB serialized, 400 naming the
 * field), and catalog lists, which every user loads, leave default configs over 4 KiB out
 * (`defaultConfigOmitted`); `GET /api/extensions/:slug` has them whole.
 */
const sized = (bytes: number) => ({ blob: 'x'.repeat(bytes - '{"blob":""}'.length) });

describe(`app defaultConfig size (${TEST_DB})`, () => {
  const t = suiteApp({ config: { rateLimitMultiplier: 100, bodyLimit: 2 * 1024 * 1024 } });
  let dev: Session;
  before(async () => {
    dev = await register(t.app);
  });

  const slug = () => `cfg-${Math.random().toString(36).slice(2, 10)}`;

  it('900 KB and 64 KiB + 1 byte are refused at registration and on change; 64 KiB is accepted', async () => {
    const before = await snapshot(t.db.database);
    for (const bytes of [900_000, 64 * 1024 + 1]) {
      const res = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: slug(), name: 'Big', defaultConfig: sized(bytes) });
      assert.equal(expectError(res, 400, 'invalid_request').details[0].path, '/defaultConfig');
    }
    assert.deepEqual(await snapshot(t.db.database), before);
    const created = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: slug(), name: 'Exactly', defaultConfig: sized(64 * 1024) });
    assert.equal(created.statusCode, 201, created.body.slice(0, 300));
    const patched = await call(t.app, dev, 'PATCH', `/api/developer/apps/${created.json().id}`, { defaultConfig: sized(900_000) });
    assert.equal(expectError(patched, 400, 'invalid_request').details[0].path, '/defaultConfig');
    const initial = await call(t.app, dev, 'PATCH', `/api/developer/apps/${created.json().id}`, { initialMetadata: sized(64 * 1024 + 1) });
    assert.equal(expectError(initial, 400, 'invalid_request').details[0].path, '/initialMetadata');
  });

  it('the catalog list stays small: large default configs are left out and read from the entry; installing without a config applies it whole', async () => {
    const big = sized(60 * 1024);
    const slugs = [slug(), slug(), slug()];
    for (const s of slugs) assert.equal((await call(t.app, dev, 'POST', '/api/developer/apps', { slug: s, name: s, defaultConfig: big })).statusCode, 201);
    const small = slug();
    assert.equal((await call(t.app, dev, 'POST', '/api/developer/apps', { slug: small, name: small, defaultConfig: { level: 2 } })).statusCode, 201);

    const list = await call(t.app, dev, 'GET', '/api/extensions');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.length < 16 * 1024, `the catalog is ${list.body.length} bytes`);
    const entries = list.json().results as Array<{ slug: string; defaultConfig: unknown; defaultConfigOmitted?: boolean }>;
    for (const s of slugs) assert.deepEqual(entries.find((e) => e.slug === s)?.defaultConfig, null);
    assert.equal(entries.find((e) => e.slug === slugs[0])?.defaultConfigOmitted, true);
    assert.deepEqual(entries.find((e) => e.slug === small)?.defaultConfig, { level: 2 });
    assert.equal(entries.find((e) => e.slug === small)?.defaultConfigOmitted, undefined);

    const one = await call(t.app, dev, 'GET', `/api/extensions/${slugs[0]}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json().defaultConfig, big);
    expectError(await call(t.app, dev, 'GET', '/api/extensions/no-such-extension'), 404, 'not_found');
    expectError(await call(t.app, null, 'GET', `/api/extensions/${slugs[0]}`), 401, 'login_required');

    const lock = await call(t.app, dev, 'POST', '/api/locks', { title: 'L', durationSeconds: 600, extensions: [{ slug: slugs[0] }] });
    assert.equal(lock.statusCode, 201, lock.body.slice(0, 300));
    assert.deepEqual((lock.json().extensions as Array<{ config: unknown }>)[0]!.config, big);
  });
});
