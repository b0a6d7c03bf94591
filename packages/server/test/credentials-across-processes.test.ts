/**
 * Issue 15: a revoked key or a replaced main token is refused immediately by ANOTHER server
 * process on the same database (two apps on one PostgreSQL schema, or two on one SQLite file:
 * `LATCH_TEST_DB` picks), after both processes have served that credential (anything a process
 * keeps from earlier requests is warm: on SQLite the read cache of db/readCache.ts holds the
 * credential statement's result on both).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/connect.js';
import type { App } from '../src/http/types.js';
import { createIdGenerator } from '../src/ids.js';
import { call, expectError, fixtureWorld, login, testApp, type TestApp } from './helpers.js';

const MAIN_TOKEN = 'x-chastify-main-token';

describe('credentials revoked on one process are refused at once on another (issue 15)', () => {
  let t: TestApp;
  let otherDb: Database;
  let other: App;
  before(async () => {
    t = await testApp({ config: { dev: true, rateLimitMultiplier: 100 } });
    // A second process: its own connection(s), app, caches and rate limiter; the same data.
    otherDb = await t.db.reopen();
    other = await buildApp({ config: t.config, database: otherDb, clock: t.clock, ids: createIdGenerator(t.clock), logger: pino({ level: 'silent' }), runScheduler: false });
    await other.ready();
  });
  after(async () => {
    await other.close();
    await otherDb.close();
    await t.close();
  });

  const get = (app: App, sessionId: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers });
  const patch = (app: App, sessionId: string, headers: Record<string, string>) =>
    app.inject({ method: 'PATCH', url: `/api/extensions/sessions/${sessionId}/state`, headers, payload: { data: { n: 1 } } });

  /**
   * Serves the credentials on both processes several times, so whatever either keeps is warm,
   * ending with reads (a write moves the read cache on): on SQLite the last GET on each process
   * is answered from its read cache, which is then what the revocation must get past.
   */
  async function warm(sessionId: string, headers: Record<string, string>) {
    for (let i = 0; i < 3; i++) {
      for (const app of [t.app, other]) {
        assert.equal((await get(app, sessionId, headers)).statusCode, 200);
        assert.equal((await patch(app, sessionId, headers)).statusCode, 200);
      }
    }
    for (const [app, database] of [[t.app, t.db.database], [other, otherDb]] as const) {
      assert.equal((await get(app, sessionId, headers)).statusCode, 200);
      const hitsBefore = database.readCacheStats?.()?.hits;
      assert.equal((await get(app, sessionId, headers)).statusCode, 200);
      if (hitsBefore !== undefined) assert.equal(database.readCacheStats!()!.hits, hitsBefore + 1, 'the warm GET was answered from the read cache');
    }
  }

  it('a key revoked in the developer console on one process is 401 invalid_credentials on the other at its next request', async () => {
    const w = await fixtureWorld(t.app, {});
    const headers = { authorization: `Bearer ${w.app.appKey}`, [MAIN_TOKEN]: w.mainTokens.wearer };
    await warm(w.session.id, headers);
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const keys = (await call(t.app, dev, 'GET', '/api/developer/keys')).json().results as Array<{ id: string; appId: string | null }>;
    const appKey = keys.find((k) => k.appId === w.app.id)!;
    assert.equal((await call(t.app, dev, 'POST', `/api/developer/keys/${appKey.id}/revoke`)).statusCode, 200);
    expectError(await get(other, w.session.id, headers), 401, 'invalid_credentials');
    expectError(await patch(other, w.session.id, headers), 401, 'invalid_credentials');
    expectError(await get(t.app, w.session.id, headers), 401, 'invalid_credentials');
  });

  it('a main token replaced by a fresh launch on one process is 401 main_token_expired on the other; the fresh one works there', async () => {
    const w = await fixtureWorld(t.app, {});
    const old = { authorization: `Bearer ${w.app.appKey}`, [MAIN_TOKEN]: w.mainTokens.wearer };
    await warm(w.session.id, old);
    assert.equal((await get(other, w.session.id, { [MAIN_TOKEN]: w.mainTokens.wearer })).statusCode, 200);
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const fresh = (await call(t.app, wearer, 'GET', `/api/extensions/sessions/${w.session.id}/auth`)).json().mainToken as string;
    expectError(await get(other, w.session.id, old), 401, 'main_token_expired');
    expectError(await patch(other, w.session.id, old), 401, 'main_token_expired');
    expectError(await get(other, w.session.id, { [MAIN_TOKEN]: w.mainTokens.wearer }), 401, 'main_token_expired');
    assert.equal((await get(other, w.session.id, { ...old, [MAIN_TOKEN]: fresh })).statusCode, 200);
  });

  it('a keyholder invitee’s token is refused on the other process as soon as they decline (issue 16 item 2)', async () => {
    const w = await fixtureWorld(t.app, {});
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const lock = (await call(t.app, wearer, 'POST', '/api/locks', { title: 'Invited', durationSeconds: 3600, keyholderUsername: w.keyholder!.username, extensions: [{ slug: w.app.slug }] })).json();
    const sessionId = lock.extensions[0].sessionId as string;
    const invitee = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const token = (await call(t.app, invitee, 'GET', `/api/extensions/sessions/${sessionId}/auth`)).json().mainToken as string;
    const headers = { authorization: `Bearer ${w.app.appKey}`, [MAIN_TOKEN]: token };
    await warm(sessionId, headers);
    assert.equal((await call(t.app, invitee, 'POST', `/api/locks/${lock.id}/invitation`, { accept: false })).statusCode, 200);
    expectError(await get(other, sessionId, headers), 401, 'main_token_expired');
  });
});
