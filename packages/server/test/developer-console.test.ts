import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_SCOPES } from '@latch/protocol';
import { call, expectError, fixtureWorld, login, register, type Session, snapshot, suiteApp, testApp, type TestApp } from './helpers.js';

const HEX24 = /^[0-9a-f]{24}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

interface World {
  wearer: { id: string; username: string; password: string; userKey: string };
  keyholder: { id: string; username: string; password: string; userKey: string } | null;
  developer: { id: string; username: string; password: string; userKey: string };
  app: { id: string; slug: string; appKey: string };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
}

async function fixture(t: TestApp, payload: object = {}): Promise<World> {
  return fixtureWorld(t.app, payload);
}

/** GET the extension session with an app key (and optionally a main token). */
function getSession(t: TestApp, sessionId: string, appKey: string, mainToken?: string) {
  return t.app.inject({
    method: 'GET',
    url: `/api/extensions/sessions/${sessionId}`,
    headers: { authorization: `Bearer ${appKey}`, ...(mainToken ? { 'x-chastify-main-token': mainToken } : {}) },
  });
}

/** Every row of every table of this test database, as JSON text per table. */
async function everyRow(t: TestApp): Promise<Record<string, string>> {
  const tables = await t.db.database.db.introspection.getTables({ withInternalKyselyTables: true });
  const mine = tables.filter((tb) => (t.db.pgSchema ? tb.schema === t.db.pgSchema : true) && !tb.isView);
  assert.ok(mine.some((tb) => tb.name === 'developer_keys'), 'introspection sees our tables');
  const out: Record<string, string> = {};
  for (const tb of mine) {
    out[tb.name] = JSON.stringify((await sql<Record<string, unknown>>`select * from ${sql.table(tb.name)}`.execute(t.db.database.db)).rows);
  }
  return out;
}

/** The tables whose rows contain `secret` anywhere. */
async function tablesHolding(t: TestApp, secret: string): Promise<string[]> {
  return Object.entries(await everyRow(t)).filter(([, rows]) => rows.includes(secret)).map(([name]) => name);
}

describe('developer console: apps', () => {
  const t = suiteApp();
  let dev: Session;
  let other: Session;
  before(async () => {
    dev = await register(t.app);
    other = await register(t.app);
  });

  it('creates an app (201), echoes the fields and derives allowedOrigins from the URLs', async () => {
    const body = {
      slug: 'my-timer',
      name: 'My Timer',
      description: 'Adds time',
      iframeUrl: 'https://ext.example/app/index.html?x=1',
      setupUrl: 'https://setup.example:8443/setup',
      scopes: ['state:write', 'logs:write'],
      defaultConfig: { level: 2, names: ['a'] },
      initialMetadata: { homeActions: [] },
      regularActions: { every: 3600 },
      extensionRequirements: { minDuration: 60 },
      attemptLimit: { max: 3 },
    };
    const res = await call(t.app, dev, 'POST', '/api/developer/apps', body);
    assert.equal(res.statusCode, 201, res.body);
    const a = res.json();
    assert.match(a.id, HEX24);
    assert.equal(a.ownerId, dev.userId);
    for (const k of ['slug', 'name', 'description', 'iframeUrl', 'setupUrl', 'scopes', 'defaultConfig', 'initialMetadata', 'regularActions', 'extensionRequirements', 'attemptLimit'] as const) {
      assert.deepEqual(a[k], body[k], k);
    }
    assert.deepEqual(a.allowedOrigins, ['https://ext.example', 'https://setup.example:8443']);
    assert.equal(a.createdAt, iso(t.clock.now()));
    assert.equal(a.updatedAt, iso(t.clock.now()));
    const again = await call(t.app, dev, 'GET', `/api/developer/apps/${a.id}`);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), a);
  });

  it('fills defaults: empty description, null URLs, no origins, the default scopes', async () => {
    const res = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'bare-app', name: 'Bare' });
    assert.equal(res.statusCode, 201, res.body);
    const a = res.json();
    assert.equal(a.description, '');
    assert.equal(a.iframeUrl, null);
    assert.equal(a.setupUrl, null);
    assert.deepEqual(a.allowedOrigins, []);
    assert.deepEqual(a.scopes, DEFAULT_SCOPES);
    assert.deepEqual(a.defaultConfig, {});
    // Explicit origins win over derived ones (and are normalised to origins).
    const explicit = await call(t.app, dev, 'POST', '/api/developer/apps', {
      slug: 'explicit-origins',
      name: 'E',
      iframeUrl: 'https://ext.example/a',
      allowedOrigins: ['https://cdn.example/some/path', 'https://cdn.example'],
    });
    assert.equal(explicit.statusCode, 201, explicit.body);
    assert.deepEqual(explicit.json().allowedOrigins, ['https://cdn.example']);
  });

  it('refuses a duplicate slug with 409 conflict and creates nothing', async () => {
    assert.equal((await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'taken-slug', name: 'A' })).statusCode, 201);
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, other, 'POST', '/api/developer/apps', { slug: 'taken-slug', name: 'B' }), 409, 'conflict');
    expectError(await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'taken-slug', name: 'C' }), 409, 'conflict');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('refuses bad slugs, non-http URLs, unknown fields and unknown scopes with 400', async () => {
    const before = await snapshot(t.db.database);
    const bad: Array<[string, object]> = [
      ['upper-case slug', { slug: 'Bad-Slug', name: 'x' }],
      ['slug with a space', { slug: 'bad slug', name: 'x' }],
      ['slug starting with -', { slug: '-bad', name: 'x' }],
      ['one-char slug', { slug: 'a', name: 'x' }],
      ['missing slug', { name: 'x' }],
      ['empty name', { slug: 'ok-slug', name: '' }],
      ['ftp iframeUrl', { slug: 'ok-slug', name: 'x', iframeUrl: 'ftp://ext.example/app' }],
      ['javascript setupUrl', { slug: 'ok-slug', name: 'x', setupUrl: 'javascript:alert(1)' }],
      ['relative iframeUrl', { slug: 'ok-slug', name: 'x', iframeUrl: '/app' }],
      ['data: origin', { slug: 'ok-slug', name: 'x', allowedOrigins: ['data:text/html,hi'] }],
      ['unknown scope', { slug: 'ok-slug', name: 'x', scopes: ['state:write', 'everything:write'] }],
      ['duplicate scope', { slug: 'ok-slug', name: 'x', scopes: ['state:write', 'state:write'] }],
    ];
    for (const [what, body] of bad) {
      const res = await call(t.app, dev, 'POST', '/api/developer/apps', body);
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      expectError(res, 400, 'invalid_request');
    }
    const unknown = expectError(await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'ok-slug', name: 'x', ownerId: other.userId }), 400, 'invalid_request');
    assert.ok(JSON.stringify(unknown.details).includes('ownerId'), JSON.stringify(unknown.details));
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('lists only my apps; another developer gets 404 on mine', async () => {
    const mineRes = await call(t.app, other, 'POST', '/api/developer/apps', { slug: 'others-app', name: 'Theirs' });
    assert.equal(mineRes.statusCode, 201);
    const theirs = mineRes.json();
    const list = (await call(t.app, dev, 'GET', '/api/developer/apps')).json().results as Array<{ slug: string; ownerId: string }>;
    assert.ok(list.length >= 3);
    assert.ok(list.every((a) => a.ownerId === dev.userId));
    assert.ok(!list.some((a) => a.slug === 'others-app'));
    const otherList = (await call(t.app, other, 'GET', '/api/developer/apps')).json().results as Array<{ slug: string }>;
    assert.deepEqual(otherList.map((a) => a.slug), ['others-app']);

    expectError(await call(t.app, dev, 'GET', `/api/developer/apps/${theirs.id}`), 404, 'not_found');
    expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${theirs.id}`, { name: 'Hijacked' }), 404, 'not_found');
    expectError(await call(t.app, dev, 'GET', `/api/developer/apps/${'0'.repeat(24)}`), 404, 'not_found');
    const unchanged = (await call(t.app, other, 'GET', `/api/developer/apps/${theirs.id}`)).json();
    assert.equal(unchanged.name, 'Theirs');
  });

  it('PATCH changes name and iframeUrl; slug cannot be patched', async () => {
    const a = (await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'patch-me', name: 'Old', iframeUrl: 'https://old.example/app' })).json();
    t.clock.advance(5000);
    const res = await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { name: 'New', description: 'now described' });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.name, 'New');
    assert.equal(p.description, 'now described');
    assert.equal(p.slug, 'patch-me');
    assert.equal(p.iframeUrl, 'https://old.example/app');
    assert.deepEqual(p.allowedOrigins, ['https://old.example'], 'untouched when no URL changed');
    assert.equal(p.createdAt, a.createdAt);
    assert.equal(p.updatedAt, iso(t.clock.now()));

    const before = await snapshot(t.db.database);
    const slug = expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { slug: 'renamed' }), 400, 'invalid_request');
    assert.ok(JSON.stringify(slug.details).includes('slug'), JSON.stringify(slug.details));
    expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { iframeUrl: 'ftp://x.example/' }), 400, 'invalid_request');
    expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { scopes: ['root'] }), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.equal((await call(t.app, dev, 'GET', `/api/developer/apps/${a.id}`)).json().slug, 'patch-me');
  });

  it('PATCH of a URL moves the derived allowedOrigins along (when origins are not given)', async () => {
    const a = (await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'origins-follow', name: 'O', iframeUrl: 'https://old.example/app' })).json();
    assert.deepEqual(a.allowedOrigins, ['https://old.example']);
    const res = await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { iframeUrl: 'https://new.example/app' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().iframeUrl, 'https://new.example/app');
    assert.deepEqual(res.json().allowedOrigins, ['https://new.example'], 'the origins follow the new iframeUrl');
  });

  it('PATCH with explicit allowedOrigins sets them', async () => {
    const a = (await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'origins-explicit', name: 'O', iframeUrl: 'https://old.example/app' })).json();
    const res = await call(t.app, dev, 'PATCH', `/api/developer/apps/${a.id}`, { iframeUrl: 'https://new.example/app', allowedOrigins: ['https://cdn.example'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().allowedOrigins, ['https://cdn.example']);
  });

  it('needs a login (401) and, with a cookie, the CSRF header (403)', async () => {
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, null, 'GET', '/api/developer/apps'), 401, 'login_required');
    expectError(await call(t.app, null, 'POST', '/api/developer/apps', { slug: 'anon-app', name: 'x' }), 401, 'login_required');
    expectError(await call(t.app, null, 'PATCH', `/api/developer/apps/${'0'.repeat(24)}`, { name: 'x' }), 401, 'login_required');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/developer/apps', headers: { cookie: dev.cookie }, payload: { slug: 'no-csrf', name: 'x' } });
    expectError(noCsrf, 403, 'csrf_token_invalid');
    const wrongCsrf = await t.app.inject({ method: 'POST', url: '/api/developer/apps', headers: { cookie: dev.cookie, 'x-csrf-token': other.csrfToken }, payload: { slug: 'no-csrf', name: 'x' } });
    expectError(wrongCsrf, 403, 'csrf_token_invalid');
    const mine = (await call(t.app, dev, 'GET', '/api/developer/apps')).json().results[0];
    const patchNoCsrf = await t.app.inject({ method: 'PATCH', url: `/api/developer/apps/${mine.id}`, headers: { cookie: dev.cookie }, payload: { name: 'csrf' } });
    expectError(patchNoCsrf, 403, 'csrf_token_invalid');
    assert.deepEqual(await snapshot(t.db.database), before);
  });
});

describe('developer console: keys', () => {
  const t = suiteApp();
  let w: World;
  let dev: Session;
  let stranger: Session;
  before(async () => {
    w = await fixture(t);
    dev = await login(t.app, w.developer.username, w.developer.password);
    stranger = await register(t.app);
  });

  async function createKey(as: Session, body: object) {
    const res = await call(t.app, as, 'POST', '/api/developer/keys', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; key: string; kind: string; appId: string | null; prefix: string; last4: string; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
  }

  it('creates an app-scoped key (lk_app_) and a user-wide key (lk_usr_), shown once', async () => {
    const app = await createKey(dev, { name: 'backend', appId: w.app.id });
    assert.match(app.id, HEX24);
    assert.match(app.key, /^lk_app_[A-Za-z0-9_-]{20,}$/);
    assert.equal(app.kind, 'app');
    assert.equal(app.appId, w.app.id);
    assert.equal(app.name, 'backend');
    assert.equal(app.prefix, 'lk_app_');
    assert.equal(app.last4, app.key.slice(-4));
    assert.equal(app.createdAt, iso(t.clock.now()));
    assert.equal(app.lastUsedAt, null);
    assert.equal(app.revokedAt, null);

    const usr = await createKey(dev, { name: 'scripts' });
    assert.match(usr.key, /^lk_usr_[A-Za-z0-9_-]{20,}$/);
    assert.equal(usr.kind, 'user');
    assert.equal(usr.appId, null);
    assert.equal(usr.prefix, 'lk_usr_');
    assert.equal(usr.last4, usr.key.slice(-4));
    const nullApp = await createKey(dev, { name: 'scripts 2', appId: null });
    assert.equal(nullApp.kind, 'user');
    assert.notEqual(nullApp.key, usr.key);
  });

  it('refuses an appId of someone else’s app (404) and creates nothing', async () => {
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, stranger, 'POST', '/api/developer/keys', { name: 'steal', appId: w.app.id }), 404, 'not_found');
    expectError(await call(t.app, stranger, 'POST', '/api/developer/keys', { name: 'ghost', appId: '0'.repeat(24) }), 404, 'not_found');
    expectError(await call(t.app, stranger, 'POST', '/api/developer/keys', { name: 'bad', appId: 'not-an-id' }), 400, 'invalid_request');
    expectError(await call(t.app, stranger, 'POST', '/api/developer/keys', { name: '' }), 400, 'invalid_request');
    expectError(await call(t.app, stranger, 'POST', '/api/developer/keys', { name: 'x', kind: 'app' }), 400, 'invalid_request');
    expectError(await call(t.app, null, 'POST', '/api/developer/keys', { name: 'anon' }), 401, 'login_required');
    expectError(await t.app.inject({ method: 'POST', url: '/api/developer/keys', headers: { cookie: stranger.cookie }, payload: { name: 'nocsrf' } }), 403, 'csrf_token_invalid');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.deepEqual((await call(t.app, stranger, 'GET', '/api/developer/keys')).json().results, []);
  });

  it('lists keys without the secret or its hash; the DB keeps only the SHA-256', async () => {
    const k = await createKey(dev, { name: 'listed', appId: w.app.id });
    const res = await call(t.app, dev, 'GET', '/api/developer/keys');
    assert.equal(res.statusCode, 200);
    const results = res.json().results as Array<Record<string, unknown>>;
    const entry = results.find((r) => r.id === k.id);
    assert.ok(entry);
    const { key: _key, ...view } = k;
    assert.deepEqual(entry, view);
    assert.ok(!res.body.includes(k.key), 'the full key never appears in the list');
    assert.ok(!res.body.includes(sha256(k.key)), 'nor its hash');
    assert.ok(!res.body.includes(k.key.slice('lk_app_'.length)), 'nor its random part');
    assert.ok(results.every((r) => !('key' in r) && !('keyHash' in r) && !('key_hash' in r)));
    // The fixture's own keys of this developer are listed too (app key + user-wide key).
    assert.ok(!res.body.includes(w.app.appKey) && !res.body.includes(w.developer.userKey));
    assert.ok(results.some((r) => r.name === 'sandbox app key'));

    const row = await t.db.database.db.selectFrom('developer_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
    assert.equal(row.key_hash, sha256(k.key));
    assert.match(row.key_hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes(k.key), 'no column holds the key');
    assert.ok(!JSON.stringify(row).includes(k.key.slice('lk_app_'.length)));
    const rows = JSON.stringify(await t.db.database.db.selectFrom('developer_keys').selectAll().execute());
    for (const secret of [k.key, w.app.appKey, w.developer.userKey, w.wearer.userKey]) assert.ok(!rows.includes(secret));
  });

  it('no table anywhere holds a key, even when created with an Idempotency-Key', async () => {
    const res = await call(t.app, dev, 'POST', '/api/developer/keys', { name: 'idempotent', appId: w.app.id }, { 'idempotency-key': 'create-key-1' });
    assert.equal(res.statusCode, 201, res.body);
    const key = res.json().key as string;
    const plain = await createKey(dev, { name: 'plain' });
    assert.deepEqual(await tablesHolding(t, plain.key), [], 'a plain key is nowhere in the database');
    assert.deepEqual(await tablesHolding(t, w.app.appKey), [], 'the fixture app key is nowhere in the database');
    assert.deepEqual(await tablesHolding(t, w.wearer.userKey), [], 'a fixture user key is nowhere in the database');
    assert.deepEqual(await tablesHolding(t, key), [], 'a key created with an Idempotency-Key is nowhere in the database either');
    // And a retry must not hand the secret out a second time.
    const replay = await call(t.app, dev, 'POST', '/api/developer/keys', { name: 'idempotent', appId: w.app.id }, { 'idempotency-key': 'create-key-1' });
    assert.ok(!replay.body.includes(key), `a replay shows the key again (${replay.statusCode}, idempotent-replayed: ${String(replay.headers['idempotent-replayed'])})`);
  });

  it('revoke: revokedAt set, the key stops authorizing at once', async () => {
    const k = await createKey(dev, { name: 'to revoke', appId: w.app.id });
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200);
    t.clock.advance(1000);
    const res = await call(t.app, dev, 'POST', `/api/developer/keys/${k.id}/revoke`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().revokedAt, iso(t.clock.now()));
    assert.equal(res.json().id, k.id);
    assert.ok(!res.body.includes(k.key));
    expectError(await getSession(t, w.session.id, k.key), 401, 'invalid_credentials');
    expectError(await getSession(t, w.session.id, k.key, w.mainTokens.wearer), 401, 'invalid_credentials');
    const listed = (await call(t.app, dev, 'GET', '/api/developer/keys')).json().results.find((r: { id: string }) => r.id === k.id);
    assert.equal(listed.revokedAt, iso(t.clock.now()));
    // The fixture's own app key is untouched.
    assert.equal((await getSession(t, w.session.id, w.app.appKey)).statusCode, 200);
  });

  it('delete: refused (409) while live, 204 once revoked, then gone', async () => {
    const k = await createKey(dev, { name: 'to delete', appId: w.app.id });
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, dev, 'DELETE', `/api/developer/keys/${k.id}`), 409, 'conflict');
    assert.deepEqual(await snapshot(t.db.database), before);
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200, 'a refused delete leaves the key working');
    assert.equal((await call(t.app, dev, 'POST', `/api/developer/keys/${k.id}/revoke`)).statusCode, 200);
    const del = await call(t.app, dev, 'DELETE', `/api/developer/keys/${k.id}`);
    assert.equal(del.statusCode, 204, del.body);
    assert.equal(del.body, '');
    const list = (await call(t.app, dev, 'GET', '/api/developer/keys')).json().results as Array<{ id: string }>;
    assert.ok(!list.some((r) => r.id === k.id));
    assert.equal(await t.db.database.db.selectFrom('developer_keys').select('id').where('id', '=', k.id).executeTakeFirst(), undefined);
    expectError(await call(t.app, dev, 'DELETE', `/api/developer/keys/${k.id}`), 404, 'not_found');
    expectError(await call(t.app, dev, 'POST', `/api/developer/keys/${k.id}/revoke`), 404, 'not_found');
    expectError(await getSession(t, w.session.id, k.key), 401, 'invalid_credentials');
  });

  it('another user cannot revoke or delete my key (404), and it keeps working', async () => {
    const k = await createKey(dev, { name: 'mine', appId: w.app.id });
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, stranger, 'POST', `/api/developer/keys/${k.id}/revoke`), 404, 'not_found');
    expectError(await call(t.app, stranger, 'DELETE', `/api/developer/keys/${k.id}`), 404, 'not_found');
    expectError(await call(t.app, null, 'POST', `/api/developer/keys/${k.id}/revoke`), 401, 'login_required');
    expectError(await call(t.app, null, 'DELETE', `/api/developer/keys/${k.id}`), 401, 'login_required');
    expectError(await t.app.inject({ method: 'POST', url: `/api/developer/keys/${k.id}/revoke`, headers: { cookie: dev.cookie } }), 403, 'csrf_token_invalid');
    assert.deepEqual(await snapshot(t.db.database), before);
    const row = await t.db.database.db.selectFrom('developer_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
    assert.equal(row.revoked_at, null);
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200);
    // Even a revoked key of mine stays mine: a stranger cannot delete it.
    assert.equal((await call(t.app, dev, 'POST', `/api/developer/keys/${k.id}/revoke`)).statusCode, 200);
    expectError(await call(t.app, stranger, 'DELETE', `/api/developer/keys/${k.id}`), 404, 'not_found');
    assert.ok((await call(t.app, dev, 'GET', '/api/developer/keys')).json().results.some((r: { id: string }) => r.id === k.id));
  });

  it('lastUsedAt: null before use, set by a use, written at most once a minute', async () => {
    const k = await createKey(dev, { name: 'usage', appId: w.app.id });
    const lastUsed = async () => ((await call(t.app, dev, 'GET', '/api/developer/keys')).json().results as Array<{ id: string; lastUsedAt: string | null }>).find((r) => r.id === k.id)!.lastUsedAt;
    assert.equal(await lastUsed(), null);
    t.clock.advance(10_000);
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200);
    const first = await lastUsed();
    assert.equal(first, iso(t.clock.now()));
    t.clock.advance(30_000);
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200);
    assert.equal(await lastUsed(), first, 'a second use within the minute does not rewrite it');
    t.clock.advance(31_000);
    assert.equal((await getSession(t, w.session.id, k.key)).statusCode, 200);
    const third = await lastUsed();
    assert.notEqual(third, first);
    assert.equal(third, iso(t.clock.now()));
    // A refused call with a revoked key does not touch it.
    assert.equal((await call(t.app, dev, 'POST', `/api/developer/keys/${k.id}/revoke`)).statusCode, 200);
    t.clock.advance(120_000);
    expectError(await getSession(t, w.session.id, k.key), 401, 'invalid_credentials');
    assert.equal(await lastUsed(), third);
  });
});

describe('main tokens: GET /api/extensions/sessions/:id/auth', () => {
  const t = suiteApp();
  let w: World;
  let wearer: Session;
  let keyholder: Session;
  before(async () => {
    w = await fixture(t);
    wearer = await login(t.app, w.wearer.username, w.wearer.password);
    keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
  });

  const auth = (as: Session | null, sessionId = w.session.id) => call(t.app, as, 'GET', `/api/extensions/sessions/${sessionId}/auth`);
  /** POST rotates (issue 16: a GET never revokes). */
  const rotate = (as: Session | null, sessionId = w.session.id) => call(t.app, as, 'POST', `/api/extensions/sessions/${sessionId}/auth`);

  it('issues a wearer token bound to the session, valid 10 h', async () => {
    const res = await auth(wearer);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'lockId', 'mainToken', 'role', 'sessionId']);
    assert.match(body.mainToken, /^mt_[A-Za-z0-9_-]{20,}$/);
    assert.equal(body.sessionId, w.session.id);
    assert.equal(body.lockId, w.lock.id);
    assert.equal(body.role, 'wearer');
    assert.equal(body.expiresAt, iso(t.clock.now() + 10 * 3600_000));
    const s = await getSession(t, w.session.id, w.app.appKey, body.mainToken);
    assert.equal(s.statusCode, 200, s.body);
    assert.equal(s.json().role, 'wearer');
    const row = await t.db.database.db.selectFrom('main_tokens').selectAll().where('token_hash', '=', sha256(body.mainToken)).executeTakeFirstOrThrow();
    assert.equal(row.user_id, w.wearer.id);
    assert.equal(row.session_id, w.session.id);
    assert.equal(row.app_id, w.app.id);
    assert.equal(row.role, 'wearer');
    assert.equal(row.expires_at, t.clock.now() + 10 * 3600_000);
    assert.ok(!JSON.stringify(await t.db.database.db.selectFrom('main_tokens').selectAll().execute()).includes(body.mainToken), 'only the hash is stored');
  });

  it('issues a keyholder token with role keyholder', async () => {
    const res = await auth(keyholder);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'keyholder');
    const s = await getSession(t, w.session.id, w.app.appKey, res.json().mainToken);
    assert.equal(s.statusCode, 200, s.body);
    assert.equal(s.json().role, 'keyholder');
  });

  it('a stranger gets 404, no login 401, and nothing is issued', async () => {
    const stranger = await register(t.app);
    const before = await snapshot(t.db.database);
    expectError(await auth(stranger), 404, 'not_found');
    expectError(await auth(wearer, '0'.repeat(24)), 404, 'not_found');
    expectError(await auth(null), 401, 'login_required');
    expectError(await call(t.app, null, 'GET', `/api/extensions/sessions/${w.session.id}/auth`, undefined, { cookie: 'latch_session=ls_forged' }), 401, 'login_required');
    // A developer key is no login.
    expectError(await call(t.app, null, 'GET', `/api/extensions/sessions/${w.session.id}/auth`, undefined, { authorization: `Bearer ${w.app.appKey}` }), 401, 'login_required');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('rotating (POST) revokes only that user’s previous token', async () => {
    const kh = (await auth(keyholder)).json().mainToken as string;
    const first = (await auth(wearer)).json().mainToken as string;
    assert.equal((await getSession(t, w.session.id, w.app.appKey, first)).statusCode, 200);
    const second = (await rotate(wearer)).json().mainToken as string;
    assert.notEqual(first, second);
    expectError(await getSession(t, w.session.id, w.app.appKey, first), 401, 'main_token_expired');
    assert.equal((await getSession(t, w.session.id, w.app.appKey, second)).statusCode, 200);
    const khRes = await getSession(t, w.session.id, w.app.appKey, kh);
    assert.equal(khRes.statusCode, 200, 'the keyholder’s token keeps working');
    assert.equal(khRes.json().role, 'keyholder');
    // The fixture's original wearer token was replaced too.
    expectError(await getSession(t, w.session.id, w.app.appKey, w.mainTokens.wearer), 401, 'main_token_expired');
  });

  it('works for 10 h, then 401 main_token_expired', async () => {
    const token = (await auth(wearer)).json().mainToken as string;
    t.clock.advance(10 * 3600_000 - 1000);
    assert.equal((await getSession(t, w.session.id, w.app.appKey, token)).statusCode, 200);
    // The main token alone (browser) also works on the safe GET.
    const alone = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { 'x-chastify-main-token': token } });
    assert.equal(alone.statusCode, 200, alone.body);
    t.clock.advance(1000);
    expectError(await getSession(t, w.session.id, w.app.appKey, token), 401, 'main_token_expired');
    expectError(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { 'x-chastify-main-token': token } }), 401, 'main_token_expired');
    // A fresh launch works again.
    const fresh = (await auth(wearer)).json().mainToken as string;
    assert.equal((await getSession(t, w.session.id, w.app.appKey, fresh)).statusCode, 200);
  });

  it('a forged token is invalid_main_token', async () => {
    expectError(await getSession(t, w.session.id, w.app.appKey, 'mt_forged_token_value'), 401, 'invalid_main_token');
  });

  it('rate-limits token issuance: the 4th within a minute at multiplier 0.1 → 429 with Retry-After', async () => {
    const limited = await testApp({ config: { rateLimitMultiplier: 0.1 } });
    try {
      const lw = await fixture(limited);
      const s = await login(limited.app, lw.wearer.username, lw.wearer.password);
      for (let i = 0; i < 3; i++) {
        const res = await call(limited.app, s, 'GET', `/api/extensions/sessions/${lw.session.id}/auth`);
        assert.equal(res.statusCode, 200, `call ${i + 1}: ${res.body}`);
        assert.equal(res.headers['ratelimit-limit'], '3');
      }
      const before = await snapshot(limited.db.database);
      const res = await call(limited.app, s, 'GET', `/api/extensions/sessions/${lw.session.id}/auth`);
      expectError(res, 429, 'rate_limited');
      const retryAfter = Number(res.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${res.headers['retry-after']}`);
      assert.deepEqual(await snapshot(limited.db.database), before, 'a refused request issues no token');
      // The budget is per user: the keyholder still gets one.
      const kh = await login(limited.app, lw.keyholder!.username, lw.keyholder!.password);
      assert.equal((await call(limited.app, kh, 'GET', `/api/extensions/sessions/${lw.session.id}/auth`)).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('sandbox fixtures hand out working credentials', () => {
  const t = suiteApp();

  it('returns an app key, user keys and main tokens of the right kinds, and they work', async () => {
    const w = await fixture(t);
    assert.match(w.app.appKey, /^lk_app_/);
    for (const u of [w.wearer, w.keyholder!, w.developer]) assert.match(u.userKey, /^lk_usr_/);
    assert.match(w.mainTokens.wearer, /^mt_/);
    assert.match(w.mainTokens.keyholder!, /^mt_/);

    const asWearer = await getSession(t, w.session.id, w.app.appKey, w.mainTokens.wearer);
    assert.equal(asWearer.statusCode, 200, asWearer.body);
    assert.equal(asWearer.json().role, 'wearer');
    assert.equal(asWearer.json().sessionId, w.session.id);
    assert.equal(asWearer.json().lockId, w.lock.id);
    assert.equal(asWearer.json().extension.appId, w.app.id);
    assert.equal(asWearer.json().extension.slug, w.app.slug);
    const asKeyholder = await getSession(t, w.session.id, w.app.appKey, w.mainTokens.keyholder!);
    assert.equal(asKeyholder.statusCode, 200, asKeyholder.body);
    assert.equal(asKeyholder.json().role, 'keyholder');

    // The keys are stored as hashes and belong to the right people.
    const keys = await t.db.database.db.selectFrom('developer_keys').selectAll().execute();
    const byHash = new Map(keys.map((k) => [k.key_hash, k]));
    assert.equal(byHash.get(sha256(w.app.appKey))?.owner_id, w.developer.id);
    assert.equal(byHash.get(sha256(w.app.appKey))?.app_id, w.app.id);
    assert.equal(byHash.get(sha256(w.wearer.userKey))?.owner_id, w.wearer.id);
    assert.equal(byHash.get(sha256(w.keyholder!.userKey))?.owner_id, w.keyholder!.id);
    assert.equal(byHash.get(sha256(w.developer.userKey))?.owner_id, w.developer.id);
    assert.equal(byHash.get(sha256(w.wearer.userKey))?.app_id, null);
    const tokens = await t.db.database.db.selectFrom('main_tokens').selectAll().execute();
    assert.equal(tokens.find((r) => r.token_hash === sha256(w.mainTokens.wearer))?.user_id, w.wearer.id);
    assert.equal(tokens.find((r) => r.token_hash === sha256(w.mainTokens.keyholder!))?.role, 'keyholder');

    // A user-wide key is not an app key.
    expectError(await getSession(t, w.session.id, w.wearer.userKey, w.mainTokens.wearer), 403, 'app_scoped_key_required');
    // Another world's app key does not open this session.
    const other = await fixture(t);
    expectError(await getSession(t, w.session.id, other.app.appKey, w.mainTokens.wearer), 403, 'session_mismatch');
    expectError(await getSession(t, w.session.id, other.app.appKey), 403, 'session_mismatch');
  });

  it('a self-lock has no keyholder token', async () => {
    const w = await fixture(t, { lock: { keyholder: false } });
    assert.equal(w.keyholder, null);
    assert.equal(w.mainTokens.keyholder, null);
    assert.match(w.mainTokens.wearer, /^mt_/);
    const res = await getSession(t, w.session.id, w.app.appKey, w.mainTokens.wearer);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().role, 'wearer');
  });
});

describe('developer console: sessions of my app', () => {
  const t = suiteApp();

  it('lists the locks running my app, with their state, filters by lock status and pages', async () => {
    const w = await fixture(t, { lock: { title: 'First' } });
    const dev = await login(t.app, w.developer.username, w.developer.password);
    // Two more locks install the same app (a self-lock wearer installs it).
    const installs: string[] = [w.session.id];
    for (const title of ['Second', 'Third']) {
      const wearer = await register(t.app);
      const lock = await call(t.app, wearer, 'POST', '/api/locks', { title, durationSeconds: 60, extensions: [{ slug: w.app.slug, config: { level: title.length } }] });
      assert.equal(lock.statusCode, 201, lock.body);
      installs.push(lock.json().extensions[0].sessionId);
    }
    const all = await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions`);
    assert.equal(all.statusCode, 200, all.body);
    assert.equal(all.json().count, 3);
    assert.deepEqual(all.json().results.map((r: { sessionId: string }) => r.sessionId), installs);
    const first = all.json().results[0];
    assert.equal(first.lockId, w.lock.id);
    assert.equal(first.lockTitle, 'First');
    assert.equal(first.lockStatus, 'locked');
    assert.equal(first.wearerUsername, w.wearer.username);
    assert.equal(first.keyholderUsername, w.keyholder!.username);
    assert.deepEqual(all.json().results[2].config, { level: 5 });

    const page = await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions?limit=2`);
    assert.equal(page.json().hasMore, true);
    const rest = await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions?limit=2&after=${page.json().results[1].sessionId}`);
    assert.deepEqual(rest.json().results.map((r: { sessionId: string }) => r.sessionId), [installs[2]]);

    // The keyholder unlocks the first lock: it leaves the `locked` filter.
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    assert.equal((await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/unlock`)).statusCode, 200);
    const locked = await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions?status=locked`);
    assert.equal(locked.json().count, 2);

    // Only the app's developer sees them.
    const stranger = await register(t.app);
    expectError(await call(t.app, stranger, 'GET', `/api/developer/apps/${w.app.id}/sessions`), 404, 'not_found');
    expectError(await call(t.app, null, 'GET', `/api/developer/apps/${w.app.id}/sessions`), 401, 'login_required');
    expectError(await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions?status=lost`), 400, 'invalid_request');
  });
});
