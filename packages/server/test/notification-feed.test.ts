import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '@latch/protocol';
import { createIdGenerator, type IdGenerator } from '../src/ids.js';
import { createNotificationFeed } from '../src/services/notificationFeed.js';
import { writeNotification } from '../src/services/notifications.js';
import type { Executor } from '../src/storage/executor.js';
import { TEST_DB, register, testApp, type TestApp } from './helpers.js';

/**
 * The live notification feed behind `GET /api/events`: one read per tick for every open stream
 * of the process, nothing lost when another process writes in the same second (its ids sort
 * below ones already sent) or when a tick comes late, nothing sent twice. Runs on SQLite, or on
 * PostgreSQL with LATCH_TEST_DB=postgres.
 */
describe(`live notification feed (${TEST_DB})`, () => {
  let t: TestApp;
  let queries = 0;
  /** The database, counting the reads made through it. */
  let db: Executor;

  before(async () => {
    t = await testApp();
    const real = t.db.database.db;
    db = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'selectFrom' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          queries++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Executor;
    processA = createIdGenerator(t.clock);
    processB = createIdGenerator(t.clock);
  });
  after(() => t.close());

  /** A feed whose timer never fires in a test: ticks are explicit. */
  const newFeed = () => createNotificationFeed({ db, clock: t.clock }, { pollMs: 3_600_000, lagMs: 5000 });
  /** Two processes writing to the same database: each its own random id part. */
  let processA: IdGenerator;
  let processB: IdGenerator;
  const write = (ids: IdGenerator, userId: string, title: string, id?: string) =>
    writeNotification(t.db.database.db, id ? { objectId: () => id, secret: ids.secret } : ids, t.clock.now(), { userId, type: 'test', title });

  function stream() {
    const got: Notification[] = [];
    return { got, send: (n: Notification) => got.push(n), titles: () => got.map((n) => n.title) };
  }

  it('two processes write in the same second, the higher id first: both reach the stream, once each', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const s = stream();
    const off = await feed.subscribe(u.userId, '', s.send);
    const [low, high] = [processA.objectId(), processB.objectId()].sort();
    await write(processB, u.userId, 'high', high);
    await feed.tick();
    assert.deepEqual(s.titles(), ['high']);
    // The lower id is committed after the higher one was already sent.
    await write(processA, u.userId, 'low', low);
    await feed.tick();
    await feed.tick();
    t.clock.advance(10_000);
    await feed.tick();
    assert.deepEqual(s.titles(), ['high', 'low']);
    off();
    await feed.close();
  });

  it('many streams cost one query per tick; each gets only its own user’s notifications; none when nobody listens', async () => {
    const feed = newFeed();
    const users = await Promise.all(Array.from({ length: 10 }, () => register(t.app)));
    const streams = users.flatMap((u) => Array.from({ length: 10 }, () => ({ u, s: stream() })));
    const offs = await Promise.all(streams.map(({ u, s }) => feed.subscribe(u.userId, '', s.send)));
    assert.equal(feed.size, 100);
    for (const [i, u] of users.entries()) await write(processA, u.userId, `for ${i}`);
    queries = 0;
    await feed.tick();
    assert.equal(queries, 1, 'one read for 100 streams');
    for (const { u, s } of streams) assert.deepEqual(s.titles(), [`for ${users.indexOf(u)}`]);

    for (const off of offs) off();
    assert.equal(feed.size, 0);
    await write(processA, users[0]!.userId, 'after everyone left');
    queries = 0;
    await feed.tick();
    assert.equal(queries, 0, 'no streams, no reads');
    assert.deepEqual(streams[0]!.s.titles(), ['for 0']);
    await feed.close();
  });

  it('resuming after an id: the catch-up sends what came after it, in order, then new ones; nothing at or below it', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) {
      t.clock.advance(1000);
      ids.push(await write(processA, u.userId, title));
    }
    const s = stream();
    const off = await feed.subscribe(u.userId, ids[0]!, s.send);
    assert.deepEqual(s.titles(), ['two', 'three']);
    t.clock.advance(1000);
    await write(processB, u.userId, 'four');
    await feed.tick();
    await feed.tick();
    assert.deepEqual(s.titles(), ['two', 'three', 'four']);
    assert.deepEqual(s.got.map((n) => n.id), [...s.got.map((n) => n.id)].sort());
    off();
    await feed.close();
  });

  it('a late tick (the clock moved 10 minutes between reads) loses nothing', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const s = stream();
    const off = await feed.subscribe(u.userId, '', s.send);
    await feed.tick();
    await write(processA, u.userId, 'before the jump');
    t.clock.advance(600_000);
    await write(processB, u.userId, 'after the jump');
    await feed.tick();
    assert.deepEqual(s.titles(), ['before the jump', 'after the jump']);
    off();
    await feed.close();
  });
});
