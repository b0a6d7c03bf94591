import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createIdGenerator, type IdGenerator } from '../src/ids.js';
import { writeNotification } from '../src/services/notifications.js';
import { login, openNotificationStream, register, suiteApp, TEST_DB, type Session } from './helpers.js';

/**
 * Issue 16 item 5: an event stream (`GET /api/events`) belongs to the login session that opened
 * it: it ends at logout and when the session expires, so nothing reaches a signed-out browser.
 * Over a real port: the stream is a long-lived response.
 */
describe(`event streams end with their login session (${TEST_DB}, real port)`, () => {
  const t = suiteApp();
  let base: string;
  let ids: IdGenerator;
  before(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ids = createIdGenerator(t.clock);
  });

  const open = (cookie: string) => openNotificationStream(base, cookie);

  const notify = (userId: string, title: string) => writeNotification(t.db.database.db, ids, t.clock.now(), { userId, type: 'test', title });

  async function logout(s: Session) {
    const res = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, origin: 'http://latch.test' } });
    assert.equal(res.status, 204);
  }

  it('logout ends that session’s streams at once; a notification sent after it does not arrive there, but does on the user’s other session', async () => {
    const u = await register(t.app);
    const elsewhere = await login(t.app, u.username, u.password);
    const mine = await open(u.cookie);
    const other = await open(elsewhere.cookie);
    await notify(u.userId, 'before logout');
    assert.ok(await mine.waitFor(() => mine.events.length === 1), 'the stream works before logout');
    assert.ok(await other.waitFor(() => other.events.length === 1));

    await logout(u);
    assert.ok(await mine.waitFor(() => mine.ended), 'the stream of the signed-out session ended');
    await notify(u.userId, 'after logout');
    assert.ok(await other.waitFor(() => other.events.length === 2), 'the other session still gets notifications');
    assert.deepEqual(mine.titles(), ['before logout']);
    assert.deepEqual(other.titles(), ['before logout', 'after logout']);
    assert.equal(other.ended, false);
    await mine.close();
    await other.close();
  });

  it('a session that expires (by the server clock) ends its streams', async () => {
    const u = await register(t.app);
    const s = await open(u.cookie);
    const keep = await register(t.app);
    t.clock.advance(t.config.sessionTtlMs + 1000);
    // A new session opened after the jump stays open.
    const fresh = await login(t.app, keep.username, keep.password);
    const staying = await open(fresh.cookie);
    assert.ok(await s.waitFor(() => s.ended), 'the expired session’s stream ended');
    await notify(u.userId, 'after expiry');
    await notify(keep.userId, 'for the live one');
    assert.ok(await staying.waitFor(() => staying.events.length === 1));
    assert.deepEqual(s.titles(), []);
    assert.equal(staying.ended, false);
    await s.close();
    await staying.close();
  });
});
