/**
 * The exact read cache (db/readCache.ts): a result is answered again only while nothing in the
 * database can have changed: a write of this process (any table), a commit of another connection
 * or process, and an open transaction all make the next read run its statement.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../src/db/connect.js';
import { fixedStatement } from '../src/db/prepared.js';
import { cachedRead, READ_CACHE_SIZE } from '../src/db/readCache.js';
import { testDatabase, TEST_DB, type TestDatabase } from './helpers.js';

const NAMES = fixedStatement('read_cache_test_names', 'select name from rc_names where id = ?');
const namesOf = (rows: unknown[]) => ({ names: (rows as Array<{ name: string }>).map((r) => r.name) });

describe(`read cache (${TEST_DB})`, () => {
  let t: TestDatabase;
  let db: Database['db'];
  before(async () => {
    t = await testDatabase();
    db = t.database.db;
    await sql`create table rc_names (id text not null, name text not null)`.execute(db);
    await sql`create table rc_other (n integer not null)`.execute(db);
    await sql`insert into rc_names (id, name) values ('a', 'first')`.execute(db);
  });
  after(async () => {
    await t.database.close();
    await t.destroy();
  });

  const read = (id: string) => cachedRead(db, NAMES, [id], namesOf);
  const stats = () => t.database.readCacheStats!()!;

  if (TEST_DB === 'postgres') {
    it('PostgreSQL keeps nothing: every read runs its statement', async () => {
      assert.equal(t.database.readCacheStats, undefined);
      assert.deepEqual(await read('a'), { names: ['first'] });
      await sql`update rc_names set name = 'changed' where id = 'a'`.execute(db);
      assert.deepEqual(await read('a'), { names: ['changed'] });
      await sql`update rc_names set name = 'first' where id = 'a'`.execute(db);
    });
    return;
  }

  it('answers a repeated read from the cache while nothing was written, with a frozen value', async () => {
    const first = await read('a');
    const { hits, misses } = stats();
    const second = await read('a');
    assert.equal(second, first, 'the same value');
    assert.equal(stats().hits, hits + 1);
    assert.equal(stats().misses, misses);
    assert.ok(Object.isFrozen(second) && Object.isFrozen(second.names));
    assert.throws(() => (second.names as string[]).push('x'), TypeError);
  });

  it('a write of this process to any table makes the next read fresh', async () => {
    await read('a');
    await sql`insert into rc_other (n) values (1)`.execute(db);
    const misses = stats().misses;
    assert.deepEqual(await read('a'), { names: ['first'] });
    assert.equal(stats().misses, misses + 1);
    await sql`update rc_names set name = 'second' where id = 'a'`.execute(db);
    assert.deepEqual(await read('a'), { names: ['second'] });
  });

  it('a commit of another connection (another process) makes the next read fresh', async () => {
    await read('a');
    await read('a');
    const other = await t.reopen();
    try {
      await sql`update rc_names set name = 'from elsewhere' where id = 'a'`.execute(other.db);
    } finally {
      await other.close();
    }
    assert.deepEqual(await read('a'), { names: ['from elsewhere'] });
  });

  it('while a transaction is open on the connection, reads run their statement and are not kept', async () => {
    await read('a');
    const { hits } = stats();
    await db.transaction().execute(async (trx) => {
      await sql`update rc_names set name = 'in transaction' where id = 'a'`.execute(trx);
      assert.deepEqual(await cachedRead(trx, NAMES, ['a'], namesOf), { names: ['in transaction'] });
      throw new Error('roll back');
    }).catch((err: Error) => assert.equal(err.message, 'roll back'));
    assert.deepEqual(await read('a'), { names: ['from elsewhere'] }, 'the rolled-back write is not seen');
    assert.equal(stats().hits, hits, 'nothing was answered from the cache across the transaction');
  });

  it('parameters are part of the key (null and "" differ); the oldest entries go beyond the size', async () => {
    await sql`insert into rc_names (id, name) values ('', 'empty id')`.execute(db);
    assert.deepEqual(await cachedRead(db, NAMES, [''], namesOf), { names: ['empty id'] });
    assert.deepEqual(await cachedRead(db, NAMES, [null], namesOf), { names: [] });
    for (let i = 0; i <= READ_CACHE_SIZE; i++) await read(`missing-${i}`);
    assert.equal(stats().size, READ_CACHE_SIZE);
    const { misses } = stats();
    await read('missing-0');
    assert.equal(stats().misses, misses + 1, 'the least recently used entry was dropped');
  });
});
