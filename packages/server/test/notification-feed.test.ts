import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '@latch/protocol';
import { createIdGenerator, type IdGenerator } from '../src/ids.js';
import { createNotificationFeed } from '../src/services/notificationFeed.js';
import { writeNotification } from '../src/services/notifications.js';
import type { Executor } from '../src/storage/executor.js';
import { TEST_DB, call, expectError, openNotificationStream, register, suiteApp, testApp, type TestApp } from './helpers.js';

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
    const off = await feed.subscribe(u.userId, null, s.send);
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
    const offs = await Promise.all(streams.map(({ u, s }) => feed.subscribe(u.userId, null, s.send)));
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

  it('resuming after an id: the catch-up sends what came after it, in order, then new ones; never the id itself', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    t.clock.advance(10_000); // nothing of an earlier test within the look-back
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

  it('a fresh stream sends only what is written after it opened, including a lower id committed later in the same second', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const [low, high] = [processA.objectId(), processB.objectId()].sort();
    await write(processB, u.userId, 'already there', high);
    const s = stream();
    const off = await feed.subscribe(u.userId, null, s.send);
    await feed.tick();
    assert.deepEqual(s.titles(), []);
    await write(processA, u.userId, 'committed late', low);
    await feed.tick();
    assert.deepEqual(s.titles(), ['committed late']);
    off();
    await feed.close();
  });

  it('a reconnect (Last-Event-ID) loses nothing that sorts just below the last id but was committed after the client had it', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    t.clock.advance(10_000);
    const [low, high] = [processA.objectId(), processB.objectId()].sort();
    const first = stream();
    const off = await feed.subscribe(u.userId, null, first.send);
    await write(processB, u.userId, 'high', high);
    await feed.tick();
    assert.deepEqual(first.titles(), ['high']);
    off(); // the connection drops
    await write(processA, u.userId, 'low, committed late', low);
    t.clock.advance(1000);
    const again = stream();
    const off2 = await feed.subscribe(u.userId, first.got.at(-1)!.id, again.send);
    assert.deepEqual(again.titles(), ['low, committed late'], 'the resume id itself is not sent again');
    await feed.tick();
    assert.deepEqual(again.titles(), ['low, committed late']);
    off2();
    await feed.close();
  });

  it('a Last-Event-ID from the future (forged or from another clock) is treated as a fresh stream, not as a wait', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const s = stream();
    const off = await feed.subscribe(u.userId, 'ffffffff0000000000000000', s.send);
    await write(processA, u.userId, 'now');
    await feed.tick();
    assert.deepEqual(s.titles(), ['now']);
    off();
    await feed.close();
  });

  it('a late tick (the clock moved 10 minutes between reads) loses nothing', async () => {
    const feed = newFeed();
    const u = await register(t.app);
    const s = stream();
    const off = await feed.subscribe(u.userId, null, s.send);
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

describe(`GET /api/events (${TEST_DB})`, () => {
  const t = suiteApp();
  let base: string;
  let ids: IdGenerator;
  before(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ids = createIdGenerator(t.clock);
  });

  const open = (cookie: string, lastEventId?: string) => openNotificationStream(base, cookie, lastEventId);

  it('needs a login', async () => {
    expectError(await call(t.app, null, 'GET', '/api/events'), 401, 'login_required');
  });

  it('streams new notifications with their ids; a reconnect with Last-Event-ID gets what it missed, not the last one again', async () => {
    const u = await register(t.app);
    const other = await register(t.app);
    await writeNotification(t.db.database.db, ids, t.clock.now(), { userId: u.userId, type: 'test', title: 'before the stream' });
    t.clock.advance(10_000);
    const first = await open(u.cookie);
    await writeNotification(t.db.database.db, ids, t.clock.now(), { userId: other.userId, type: 'test', title: 'not mine' });
    await writeNotification(t.db.database.db, ids, t.clock.now(), { userId: u.userId, type: 'test', title: 'one' });
    assert.deepEqual(await first.until(1), ['one']);
    assert.match(first.events[0]!.id, /^[0-9a-f]{24}$/);
    await first.close();

    t.clock.advance(1000);
    await writeNotification(t.db.database.db, ids, t.clock.now(), { userId: u.userId, type: 'test', title: 'two, while away' });
    const again = await open(u.cookie, first.events[0]!.id);
    assert.deepEqual(await again.until(1), ['two, while away']);
    await writeNotification(t.db.database.db, ids, t.clock.now(), { userId: u.userId, type: 'test', title: 'three' });
    assert.deepEqual(await again.until(2), ['two, while away', 'three']);
    await again.close();
  });
});
