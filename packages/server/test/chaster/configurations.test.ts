import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { call, expectError, fixtureWorld, login, register, testApp } from '../helpers.js';
import { chasterHarness, failure, type ChasterHarness } from './harness.js';

const HOUR = 3600_000;

describe('Chaster configuration pages (issue 13)', () => {
  let h: ChasterHarness;
  before(async () => {
    h = await chasterHarness({ extension: { config: { tasks: ['Task 1'] }, setupUrl: 'https://config.example/config', allowedOrigins: ['https://config.example'] } });
  });
  after(() => h.close());

  const wearer = () => login(h.t.app, h.world.wearer.username, h.world.wearer.password);
  const keyholder = () => login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);

  it('the fixtures’ token (keyholder editing the running session): getConfiguration gives the session’s config and context', async () => {
    const { data } = await h.api.getConfiguration(h.world.configurationToken!);
    assert.deepEqual(data.config, { tasks: ['Task 1'] });
    assert.equal(data.role, 'keyholder');
    assert.equal(data.user, h.world.keyholder!.id);
    assert.equal(data.sessionId, h.world.session.id);
    assert.equal(data.extensionSlug, h.world.app.slug);
    assert.ok(!Number.isNaN(Date.parse(data.createdAt)));
  });

  it('updateConfiguration replaces the running session’s config whole; the session reads it back', async () => {
    const kh = await keyholder();
    const issued = (await call(h.t.app, kh, 'POST', '/api/partner-configurations', { slug: h.world.app.slug, lockId: h.world.lock.id })).json();
    assert.equal(issued.role, 'keyholder');
    assert.equal(issued.configurationUrl, 'https://config.example/config');
    assert.deepEqual(issued.allowedOrigins, ['https://config.example']);
    const { data } = await h.api.updateConfiguration(issued.partnerConfigurationToken, { config: { cards: 3 } });
    assert.deepEqual(data.config, { cards: 3 });
    assert.equal(data.sessionId, h.world.session.id);
    const session = (await h.api.getExtensionSession(h.world.session.id)).data.session;
    assert.deepEqual(session.config, { cards: 3 }, 'replaced, not merged');
    assert.deepEqual((await h.api.getConfiguration(issued.partnerConfigurationToken)).data.config, { cards: 3 });
  });

  it('at self-lock creation: the wearer’s token has no session; the saved config is read back and goes into the new lock', async () => {
    const me = await register(h.t.app);
    const res = await call(h.t.app, me, 'POST', '/api/partner-configurations', { slug: h.world.app.slug });
    assert.equal(res.statusCode, 201, res.body);
    const issued = res.json();
    assert.deepEqual([issued.role, issued.sessionId, issued.lockId], ['wearer', null, null]);
    const read = (await h.api.getConfiguration(issued.partnerConfigurationToken)).data;
    assert.deepEqual([read.role, read.user, read.sessionId, read.config], ['wearer', me.userId, null, { tasks: ['Task 1'] }]);
    await h.api.updateConfiguration(issued.partnerConfigurationToken, { config: { tasks: ['Mine'] } });

    const pending = (await call(h.t.app, me, 'GET', `/api/partner-configurations/${issued.id}`)).json();
    assert.deepEqual(pending, { id: issued.id, extensionSlug: h.world.app.slug, config: { tasks: ['Mine'] } });
    expectError(await call(h.t.app, await register(h.t.app), 'GET', `/api/partner-configurations/${issued.id}`), 404, 'not_found');

    const lock = (await call(h.t.app, me, 'POST', '/api/locks', { title: 'Configured', durationSeconds: 3600, extensions: [{ slug: h.world.app.slug, config: pending.config }] })).json();
    const sessionId = lock.extensions[0].sessionId;
    assert.deepEqual((await h.api.getExtensionSession(sessionId)).data.session.config, { tasks: ['Mine'] });
  });

  it('the form’s config seeds a creation token (the page opened again)', async () => {
    const me = await register(h.t.app);
    const issued = (await call(h.t.app, me, 'POST', '/api/partner-configurations', { slug: h.world.app.slug, config: { tasks: ['Again'] } })).json();
    assert.deepEqual((await h.api.getConfiguration(issued.partnerConfigurationToken)).data.config, { tasks: ['Again'] });
  });

  it('another app’s developer token finds no such configuration (404), a Chastify app’s key no such route (404)', async () => {
    const other = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' } });
    const foreign = await failure(h.apiWith(other.app.appKey).getConfiguration(h.world.configurationToken!));
    assert.deepEqual([foreign.status, foreign.body.code, foreign.body.error], [404, 'not_found', 'Not Found']);
    const foreignPut = await failure(h.apiWith(other.app.appKey).updateConfiguration(h.world.configurationToken!, { config: { stolen: true } }));
    assert.equal(foreignPut.status, 404);
    const chastify = await fixtureWorld(h.t.app);
    assert.equal((await failure(h.apiWith(chastify.app.appKey).getConfiguration(h.world.configurationToken!))).status, 404);
    assert.equal((await failure(h.api.getConfiguration('pct_unknown'))).status, 404);
    assert.equal(chastify.configurationToken, undefined, 'Chastify worlds have no configuration token');
  });

  it('a config that is not an object is 400 in Chaster’s error shape, and changes nothing', async () => {
    const before = (await h.api.getConfiguration(h.world.configurationToken!)).data.config;
    const res = await fetch(`${h.baseUrl}/api/extensions/configurations/${h.world.configurationToken}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.world.app.appKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config: [1, 2] }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual([res.status, body.statusCode, body.code], [400, 400, 'invalid_request']);
    assert.deepEqual((await h.api.getConfiguration(h.world.configurationToken!)).data.config, before);
  });

  it('only the lock’s controller gets a token for a running session; a Chastify extension has none', async () => {
    expectError(await call(h.t.app, await wearer(), 'POST', '/api/partner-configurations', { slug: h.world.app.slug, lockId: h.world.lock.id }), 403, 'forbidden');
    expectError(await call(h.t.app, await register(h.t.app), 'POST', '/api/partner-configurations', { slug: h.world.app.slug, lockId: h.world.lock.id }), 404, 'not_found');
    const chastify = await fixtureWorld(h.t.app);
    expectError(await call(h.t.app, await register(h.t.app), 'POST', '/api/partner-configurations', { slug: chastify.app.slug }), 404, 'not_found');
  });

  it('a configuration token lives 1 h; a Chaster main page token 12 h', async () => {
    const kh = await keyholder();
    const token = (await call(h.t.app, kh, 'POST', '/api/partner-configurations', { slug: h.world.app.slug, lockId: h.world.lock.id })).json().partnerConfigurationToken;
    const mainToken = (await call(h.t.app, kh, 'POST', `/api/locks/${h.world.lock.id}/extensions/${h.world.session.id}/launch`, {})).json().mainToken;
    h.t.clock.advance(HOUR - 1000);
    await h.api.getConfiguration(token);
    h.t.clock.advance(1000);
    assert.equal((await failure(h.api.getConfiguration(token))).status, 404);
    h.t.clock.advance(10 * HOUR);
    assert.equal((await h.api.getSessionAuth(mainToken, h.world.app.clientId!)).data.role, 'keyholder', '11 h later');
    h.t.clock.advance(HOUR);
    assert.equal((await failure(h.api.getSessionAuth(mainToken, h.world.app.clientId!))).body.code, 'main_token_expired');
  });

  it('the tokens in Chaster’s paths and answers never reach the request log', async () => {
    let log = '';
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const t = await testApp({ logStream: stream });
    try {
      const world = await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
      const auth = { authorization: `Bearer ${world.app.appKey}` };
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/extensions/configurations/${world.configurationToken}`, headers: auth })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/extensions/auth/sessions/${world.mainTokens.wearer}`, headers: auth })).statusCode, 200);
      assert.match(log, /\/api\/extensions\/configurations\/\[redacted\]/, 'the request was logged');
      assert.ok(!log.includes(world.configurationToken!), 'configuration token in the log');
      assert.ok(!log.includes(world.mainTokens.wearer), 'main token in the log');
    } finally {
      await t.close();
    }
  });
});
