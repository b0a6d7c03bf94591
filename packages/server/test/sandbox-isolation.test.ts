import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig, testConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { App } from '../src/http/types.js';
import { createIdGenerator } from '../src/ids.js';
import { PERSONA_PASSWORD, PERSONAS } from '../src/services/fixtures.js';
import { isReservedAppName } from '../src/services/reservedNames.js';
import { call, expectError, fixtureWorld, login, register, snapshot, suiteApp, TEST_DB, testDatabase, type TestDatabase } from './helpers.js';

/** Issue 16 item 12: the sandbox keeps to itself. */
describe('the sandbox uses its own database by default', () => {
  it('LATCH_DEV=1 without DATABASE_URL → data/sandbox.db; without LATCH_DEV → data/latch.db; DATABASE_URL always wins', () => {
    const cwd = '/srv/latch';
    assert.equal(loadConfig({ LATCH_DEV: '1' }, cwd).databaseUrl, `sqlite:${path.join(cwd, 'data', 'sandbox.db')}`);
    assert.equal(loadConfig({ LATCH_DEV: 'true' }, cwd).databaseUrl, `sqlite:${path.join(cwd, 'data', 'sandbox.db')}`);
    assert.equal(loadConfig({}, cwd).databaseUrl, `sqlite:${path.join(cwd, 'data', 'latch.db')}`);
    assert.equal(loadConfig({ LATCH_DEV: '1', DATABASE_URL: 'sqlite:/tmp/x.db' }, cwd).databaseUrl, 'sqlite:/tmp/x.db');
  });
});

describe(`sandbox accounts sign in only in dev mode (${TEST_DB})`, () => {
  let db: TestDatabase;
  const clock = new ManualClock();
  const open = async (dev: boolean): Promise<App> => {
    const app = await buildApp({ config: testConfig({ publicUrl: 'http://latch.test', dev }), database: db.database, clock, ids: createIdGenerator(clock), logger: pino({ level: 'silent' }), runScheduler: false });
    await app.ready();
    return app;
  };
  let devWorld: {
    personaCookie: string;
    fixtureUser: { username: string; password: string };
    keys: { persona: string; app: string; real: string };
    real: { username: string; password: string; cookie: string };
  };

  before(async () => {
    db = await testDatabase();
    await migrateToLatest(db.database);
    // `npm run dev` on this database: personas, a fixture world, and a real account made there.
    const dev = await open(true);
    await dev.ctx.fixtures.personas();
    const w = await fixtureWorld(dev);
    const persona = await login(dev, PERSONAS.wearer, PERSONA_PASSWORD);
    const real = await register(dev, 'real_person', 'a long good passphrase');
    const realKey = await call(dev, real, 'POST', '/api/developer/keys', { name: 'my script' });
    assert.equal(realKey.statusCode, 201, realKey.body);
    devWorld = {
      personaCookie: persona.cookie,
      fixtureUser: { username: w.wearer.username, password: w.wearer.password },
      keys: { persona: w.wearer.userKey, app: w.app.appKey, real: realKey.json().key },
      real: { username: real.username, password: real.password, cookie: real.cookie },
    };
    await dev.close();
  });
  after(async () => {
    await db.database.close();
    await db.destroy();
  });

  it('started later without LATCH_DEV: personas and fixture accounts are refused (401 invalid_login), their old sessions are gone; real accounts work', async () => {
    const app = await open(false);
    try {
      for (const username of Object.values(PERSONAS)) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PERSONA_PASSWORD } });
        const body = expectError(res, 401, 'invalid_login');
        assert.match(body.message, /sandbox/);
        assert.equal(res.headers['set-cookie'], undefined);
      }
      expectError(await app.inject({ method: 'POST', url: '/api/auth/login', payload: devWorld.fixtureUser }), 401, 'invalid_login');
      expectError(await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: devWorld.personaCookie } }), 401, 'login_required');
      // The person who signed up in the sandbox is a real account.
      assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: devWorld.real.username, password: devWorld.real.password } })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: devWorld.real.cookie } })).statusCode, 200);
      // The sandbox accounts' developer keys are refused too; a real account's key works.
      expectError(await app.inject({ method: 'GET', url: '/api/apps/v1/session', headers: { authorization: `Bearer ${devWorld.keys.persona}` } }), 401, 'invalid_credentials');
      expectError(await app.inject({ method: 'POST', url: '/api/extensions/sessions/search', headers: { authorization: `Bearer ${devWorld.keys.app}` }, payload: {} }), 401, 'invalid_credentials');
      expectError(await app.inject({ method: 'GET', url: '/api/apps/v1/session', headers: { authorization: `Bearer ${devWorld.keys.real}` } }), 409, 'no_active_lock_session');
    } finally {
      await app.close();
    }
  });

  it('back in dev mode the personas sign in again', async () => {
    const app = await open(true);
    try {
      assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: PERSONAS.keyholder, password: PERSONA_PASSWORD } })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('marks sandbox accounts in the database and nobody else', async () => {
    const rows = await db.database.db.selectFrom('users').select(['username', 'persona']).execute();
    const marked = new Set(rows.filter((r) => Number(r.persona) === 1).map((r) => r.username));
    for (const u of Object.values(PERSONAS)) assert.ok(marked.has(u), u);
    assert.ok(marked.has(devWorld.fixtureUser.username));
    assert.ok(!marked.has('real_person'));
    assert.ok(!marked.has('latch'));
  });
});

describe('app names that imitate built-ins are refused', () => {
  const t = suiteApp();

  const app = (name: string, slug = `app-${Math.random().toString(36).slice(2, 8)}`) => ({ slug, name, iframeUrl: 'https://ext.example/app' });

  it('registration: 400 reserved_name for "External programs" and look-alikes, nothing created', async () => {
    const dev = await register(t.app);
    const before = await snapshot(t.db.database);
    for (const name of ['External programs', 'external  PROGRAMS', 'External-Programs', 'Ｅｘｔｅｒｎａｌ ｐｒｏｇｒａｍｓ', 'Éxternal programs', 'External program', 'External programs (official)', 'External API', 'latch', 'Latch system', 'System', 'Wearer', 'Keyholder']) {
      const body = expectError(await call(t.app, dev, 'POST', '/api/developer/apps', app(name)), 400, 'reserved_name');
      assert.match(body.message, /built-in/);
    }
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('rename: 400 reserved_name, the name stays', async () => {
    const dev = await register(t.app);
    const created = await call(t.app, dev, 'POST', '/api/developer/apps', app('Memory game'));
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    expectError(await call(t.app, dev, 'PATCH', `/api/developer/apps/${id}`, { name: 'External programs' }), 400, 'reserved_name');
    assert.equal((await call(t.app, dev, 'GET', `/api/developer/apps/${id}`)).json().name, 'Memory game');
    assert.equal((await call(t.app, dev, 'PATCH', `/api/developer/apps/${id}`, { name: 'Memory game 2' })).statusCode, 200);
  });

  it('ordinary names pass', () => {
    for (const name of ['Memory challenge', 'Sandbox Extension', 'Externally timed tasks', 'Program of the day', 'Dice']) assert.equal(isReservedAppName(name), false, name);
  });
});
