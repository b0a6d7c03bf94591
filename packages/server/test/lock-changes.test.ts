import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/connect.js';
import type { App } from '../src/http/types.js';
import { createIdGenerator } from '../src/ids.js';
import { findLockById, updateLockIfVersion } from '../src/storage/locks.js';
import { call, expectError, readEventStream, register, suiteApp, TEST_DB, testApp, type Session, type TestApp } from './helpers.js';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Reads `lock` events from a live lock page's stream (`GET /api/locks/:id/events`) over a real port. */
async function openLockEvents(base: string, lockId: string, s: Session) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/locks/${lockId}/events`, { headers: { cookie: s.cookie }, signal: ac.signal });
  assert.equal(res.status, 200);
  const events: Array<{ lockId: string }> = [];
  const waiters = new Set<() => void>();
  const reading = readEventStream(res.body, (e) => {
    if (e.event !== 'lock' || !e.data) return;
    events.push(JSON.parse(e.data));
    for (const w of waiters) w();
  });
  return {
    events,
    /** Resolves at the next `lock` event (the test's own timeout is the only limit). */
    next(): Promise<void> {
      return new Promise((resolve) => {
        const w = () => {
          waiters.delete(w);
          resolve();
        };
        waiters.add(w);
      });
    },
    async close() {
      ac.abort();
      await reading;
    },
  };
}

/**
 * Issue 14: a lock page is live. A change to a lock, made through one server process, reaches a
 * live page opened on another process sharing the database: through PostgreSQL LISTEN/NOTIFY,
 * through Redis pub/sub when REDIS_URL is set, and on one SQLite file without Redis through the
 * fallback poll of `PRAGMA data_version`.
 */
for (const redis of [false, true]) {
  const transport = redis ? 'redis' : TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
  describe(`lock changes reach a live lock page on another process (${TEST_DB}, via ${transport})`, () => {
    let t: TestApp;
    let otherDb: Database;
    let other: App;
    let otherBase: string;
    before(async () => {
      const config = redis ? { redisUrl: REDIS_URL } : {};
      t = await testApp({ config });
      otherDb = await t.db.reopen();
      other = await buildApp({ config: t.config, database: otherDb, clock: t.clock, ids: createIdGenerator(t.clock), logger: pino({ level: 'silent' }), runScheduler: false });
      otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await other.close();
      await otherDb.close();
      await t.close();
    });

    it('uses the expected transport on both processes', () => {
      assert.equal(t.app.ctx.lockChanges.transport, transport);
      assert.equal(other.ctx.lockChanges.transport, transport);
    });

    // The timeout only bounds a hang (no event ever arrives); the assertion is that it arrives.
    it('a freeze through process A arrives as a `lock` event on process B’s stream; only for that lock', { timeout: 120_000 }, async () => {
      const wearer = await register(t.app);
      const keyholder = await register(t.app);
      const lock = (await call(t.app, wearer, 'POST', '/api/locks', { title: 'Live', durationSeconds: 3600, keyholderUsername: keyholder.username })).json();
      const otherLock = (await call(t.app, wearer, 'POST', '/api/locks', { title: 'Quiet', durationSeconds: 3600 })).json();
      assert.equal((await call(t.app, keyholder, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true })).statusCode, 200);
      const page = await openLockEvents(otherBase, lock.id, wearer);
      const quiet = await openLockEvents(otherBase, otherLock.id, wearer);
      try {
        const arrived = page.next();
        const res = await call(t.app, keyholder, 'POST', `/api/locks/${lock.id}/actions`, { name: 'freeze' });
        assert.equal(res.statusCode, 200, res.body);
        await arrived;
        assert.equal(page.events.at(-1)!.lockId, lock.id);
        // The page refetches: process B sees the committed freeze.
        assert.ok((await call(other, wearer, 'GET', `/api/locks/${lock.id}`)).json().frozenAt);
        if (transport !== 'sqlite') assert.equal(quiet.events.length, 0, 'no event for a lock that did not change');
      } finally {
        await page.close();
        await quiet.close();
      }
    });
  });
}

describe(`lock changes are published after commit only (${TEST_DB})`, () => {
  const t = suiteApp();

  it('a rolled-back change publishes nothing; a committed one publishes once, after the commit', async () => {
    const wearer = await register(t.app);
    const lock = (await call(t.app, wearer, 'POST', '/api/locks', { title: 'Tx', durationSeconds: 3600 })).json();
    const db = t.db.database.db;
    const seen: string[] = [];
    const off = t.app.ctx.lockChanges.subscribe(lock.id, (c) => seen.push(c.lockId));
    try {
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          const row = (await findLockById(tx, lock.id))!;
          assert.ok(await updateLockIfVersion(tx, lock.id, row.version, { title: 'rolled back' }));
          throw new Error('roll back');
        }),
      );
      assert.deepEqual(seen, []);
      await db.transaction().execute(async (tx) => {
        const row = (await findLockById(tx, lock.id))!;
        assert.ok(await updateLockIfVersion(tx, lock.id, row.version, { title: 'committed' }));
        assert.deepEqual(seen, [], 'nothing before the commit');
      });
      assert.deepEqual(seen, [lock.id]);
    } finally {
      off();
    }
  });

  it('a stranger cannot open a lock’s stream (404 not_found)', async () => {
    const wearer = await register(t.app);
    const stranger = await register(t.app);
    const lock = (await call(t.app, wearer, 'POST', '/api/locks', { title: 'Mine', durationSeconds: 3600 })).json();
    expectError(await call(t.app, stranger, 'GET', `/api/locks/${lock.id}/events`), 404, 'not_found');
    expectError(await call(t.app, null, 'GET', `/api/locks/${lock.id}/events`), 401, 'login_required');
  });
});
