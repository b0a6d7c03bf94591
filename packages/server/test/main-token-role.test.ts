/**
 * Issue 16, item 2: a main token carries the role it was issued for (DECISIONS §3: bound to
 * session, app, user and role), and it works only while its user still holds that role on the
 * lock. A pending keyholder invitee gets a `keyholder` token; once they decline, the token must
 * stop reading the lock and adding time at once, not 10 hours later.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, suiteApp } from './helpers.js';

const MAIN_TOKEN = 'x-chastify-main-token';

describe('main tokens follow the holder’s current role on the lock (issue 16 item 2)', () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });

  /** A lock with the app installed and a keyholder invited (pending), and that invitee's launch token. */
  async function pendingInvitee() {
    const w = await fixtureWorld(t.app, {});
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const lockRes = await call(t.app, wearer, 'POST', '/api/locks', { title: 'Invited', durationSeconds: 3600, keyholderUsername: w.keyholder!.username, extensions: [{ slug: w.app.slug }] });
    assert.equal(lockRes.statusCode, 201, lockRes.body);
    const lock = lockRes.json() as { id: string; extensions: Array<{ sessionId: string }> };
    const sessionId = lock.extensions[0]!.sessionId;
    const invitee = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const auth = await call(t.app, invitee, 'GET', `/api/extensions/sessions/${sessionId}/auth`);
    assert.equal(auth.statusCode, 200, auth.body);
    assert.equal(auth.json().role, 'keyholder');
    const backend = { authorization: `Bearer ${w.app.appKey}`, [MAIN_TOKEN]: auth.json().mainToken as string };
    return { w, lock, sessionId, invitee, backend, token: auth.json().mainToken as string };
  }

  const endsAt = async (sessionId: string, headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers })).json().lockData.timeRemainingSeconds as number;

  it('a pending invitee’s token works; after declining it neither reads the lock nor adds time, with the key or alone', async () => {
    const { w, lock, sessionId, invitee, backend, token } = await pendingInvitee();
    // While the invitation is pending the invitee is the lock's keyholder-to-be (DECISIONS §4).
    const read = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: backend });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().role, 'keyholder');

    const declined = await call(t.app, invitee, 'POST', `/api/locks/${lock.id}/invitation`, { accept: false });
    assert.equal(declined.statusCode, 200, declined.body);

    const wearerToken = { authorization: `Bearer ${w.app.appKey}` };
    const wearer = await login(t.app, w.wearer.username, w.wearer.password);
    const wAuth = (await call(t.app, wearer, 'GET', `/api/extensions/sessions/${sessionId}/auth`)).json();
    const remainingBefore = await endsAt(sessionId, { ...wearerToken, [MAIN_TOKEN]: wAuth.mainToken });

    expectError(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: backend }), 401, 'main_token_expired');
    expectError(
      await t.app.inject({ method: 'POST', url: `/api/extensions/sessions/${sessionId}/action`, headers: backend, payload: { name: 'add_time', params: 3600 } }),
      401,
      'main_token_expired',
    );
    expectError(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: { [MAIN_TOKEN]: token } }), 401, 'main_token_expired');
    // No time was added.
    assert.ok((await endsAt(sessionId, { ...wearerToken, [MAIN_TOKEN]: wAuth.mainToken })) <= remainingBefore);
    // And the former invitee cannot get a new one.
    assert.equal((await call(t.app, invitee, 'GET', `/api/extensions/sessions/${sessionId}/auth`)).statusCode, 404);
  });

  it('declining revokes the invitee’s tokens for the lock, and the role is re-checked on every use even for a token left unrevoked', async () => {
    const { lock, sessionId, invitee, backend, token } = await pendingInvitee();
    assert.equal((await call(t.app, invitee, 'POST', `/api/locks/${lock.id}/invitation`, { accept: false })).statusCode, 200);
    const db = t.db.database.db;
    const row = await db.selectFrom('main_tokens').select(['revoked_at', 'role']).where('session_id', '=', sessionId).where('user_id', '=', invitee.userId).executeTakeFirstOrThrow();
    assert.notEqual(row.revoked_at, null, 'declining revokes the token');
    // Defence in depth: even a token whose revocation was lost is refused while its role is gone.
    await db.updateTable('main_tokens').set({ revoked_at: null }).where('session_id', '=', sessionId).where('user_id', '=', invitee.userId).execute();
    expectError(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: backend }), 401, 'main_token_expired');
    expectError(await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}/state`, headers: { [MAIN_TOKEN]: token } }), 401, 'main_token_expired');
  });

  it('accepting keeps the invitee’s token working (same role)', async () => {
    const { lock, sessionId, invitee, backend } = await pendingInvitee();
    assert.equal((await call(t.app, invitee, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true })).statusCode, 200);
    const read = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${sessionId}`, headers: backend });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().role, 'keyholder');
  });
});
