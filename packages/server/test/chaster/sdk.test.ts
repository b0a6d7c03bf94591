import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureWorld } from '../helpers.js';
import { chasterHarness, failure, type ChasterHarness } from './harness.js';

describe('chaster-js against latch (issue 13)', () => {
  let h: ChasterHarness;
  before(async () => {
    h = await chasterHarness({ lock: { hiddenTimer: true } });
  });
  after(() => h.close());

  it('auth exchange, wearer: role, user, the session with its complete lock, lockForUser without the hidden end date', async () => {
    const { data } = await h.api.getSessionAuth(h.world.mainTokens.wearer, h.world.app.clientId!);
    assert.equal(data.role, 'wearer');
    assert.equal(data.userId, h.world.wearer.id);
    assert.equal(data.session.sessionId, h.world.session.id);
    assert.equal(data.session._id, h.world.session.id);
    assert.equal(data.session.slug, h.world.app.slug);
    assert.deepEqual(data.session.data, {});
    assert.deepEqual([data.session.mode, data.session.nbActionsRemaining, data.session.nextActionDate], ['unlimited', -1, null]);
    assert.deepEqual(data.session.metadata, { reasonsPreventingUnlocking: [], homeActions: [] });
    assert.equal(data.session.lock._id, h.world.lock.id);
    assert.equal(typeof data.session.lock.endDate, 'string', 'the session’s lock is complete');
    assert.equal(data.lockForUser._id, h.world.lock.id);
    assert.equal(data.lockForUser.endDate, null, 'hidden from the wearer');
    assert.equal(data.lockForUser.displayRemainingTime, false);
    assert.equal(data.lockForUser.user.username, h.world.wearer.username);
    assert.equal(data.lockForUser.keyholder?.username, h.world.keyholder!.username);
    assert.deepEqual(data.lockForUser.extensions.map((e) => e._id), [h.world.session.id]);
  });

  it('auth exchange, keyholder: sees the end date', async () => {
    const { data } = await h.api.getSessionAuth(h.world.mainTokens.keyholder!, h.world.app.clientId!);
    assert.equal(data.role, 'keyholder');
    assert.equal(data.userId, h.world.keyholder!.id);
    assert.equal(typeof data.lockForUser.endDate, 'string');
  });

  it('a wrong client id is 403, in NestJS’s error shape with latch’s code', async () => {
    const { status, body } = await failure(h.api.getSessionAuth(h.world.mainTokens.wearer, 'cid_someone-else'));
    assert.equal(status, 403);
    assert.equal(body.statusCode, 403);
    assert.equal(body.error, 'Forbidden');
    assert.equal(body.code, 'forbidden');
    assert.equal(typeof body.message, 'string');
    assert.equal(typeof body.requestId, 'string');
  });

  it('an unknown main token is 401; another app’s token, or a Chastify app’s key, finds nothing (404)', async () => {
    assert.equal((await failure(h.api.getSessionAuth('mt_nope', h.world.app.clientId!))).body.code, 'invalid_main_token');
    const other = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' } });
    const foreign = await failure(h.apiWith(other.app.appKey).getSessionAuth(h.world.mainTokens.wearer, other.app.clientId!));
    assert.deepEqual([foreign.status, foreign.body.code, foreign.body.error], [404, 'not_found', 'Not Found']);
    const chastify = await fixtureWorld(h.t.app);
    const wrongDialect = await failure(h.apiWith(chastify.app.appKey).getSessionAuth(chastify.mainTokens.wearer, 'x'));
    assert.deepEqual([wrongDialect.status, wrongDialect.body.code], [404, 'not_found']);
  });

  it('a bad developer token is 401 in the Chaster shape on a Chaster route', async () => {
    const { status, body } = await failure(h.apiWith('lk_app_not-a-key').getSessionAuth(h.world.mainTokens.wearer, h.world.app.clientId!));
    assert.deepEqual([status, body.code, body.statusCode, body.error], [401, 'invalid_credentials', 401, 'Unauthorized']);
  });

  it('GET …/sessions/:id with the developer token alone answers {session}; another app’s session is 404, a wrong client id 403', async () => {
    const { data } = await h.api.getExtensionSession(h.world.session.id);
    assert.equal(data.session.sessionId, h.world.session.id);
    assert.equal(data.session.lock._id, h.world.lock.id);
    assert.equal(typeof data.session.lock.endDate, 'string', 'a partner backend reads the complete lock');
    const other = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' } });
    const foreign = await failure(h.apiWith(other.app.appKey).getExtensionSession(h.world.session.id));
    assert.deepEqual([foreign.status, foreign.body.code, foreign.body.error, foreign.body.statusCode], [404, 'not_found', 'Not Found', 404]);
    const res = await fetch(`${h.baseUrl}/api/extensions/sessions/${h.world.session.id}`, { headers: { authorization: `Bearer ${h.world.app.appKey}`, 'x-chaster-client-id': 'cid_wrong' } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'Forbidden');
  });

  it('the same path still answers a Chastify app in Chastify’s shape, and each app finds only its own dialect’s routes', async () => {
    const chastify = await fixtureWorld(h.t.app);
    const res = await fetch(`${h.baseUrl}/api/extensions/sessions/${chastify.session.id}`, { headers: { authorization: `Bearer ${chastify.app.appKey}`, 'x-chastify-main-token': chastify.mainTokens.wearer } });
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200);
    assert.deepEqual([body.sessionId, body.session], [chastify.session.id, undefined]);
    // Chastify's state route is not part of Chaster's API: a Chaster app does not find it.
    const state = await fetch(`${h.baseUrl}/api/extensions/sessions/${h.world.session.id}/state`, { headers: { authorization: `Bearer ${h.world.app.appKey}` } });
    const refused = (await state.json()) as Record<string, unknown>;
    assert.deepEqual([state.status, refused.code, refused.error], [404, 'not_found', 'Not Found']);
  });
});
