import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { inCommitGroup } from '../src/db/commitGroup.js';
import type { Database } from '../src/db/connect.js';
import { TEST_DB, testDatabase, type TestDatabase } from './helpers.js';

/**
 * Writes handed to `inCommitGroup` in one turn of the event loop (db/commitGroup.ts): on SQLite
 * they share one transaction; on either database each caller learns its own write's outcome only
 * once it is committed, and one failing write changes nothing for the others.
 */
describe(`commit group (${TEST_DB})`, () => {
  let t: TestDatabase;
  let other: Database;
  before(async () => {
    t = await testDatabase();
    await sql`create table grouped (id integer primary key, v text not null)`.execute(t.database.db);
    // A second handle on the same data: it sees committed rows only.
    other = await t.reopen();
  });
  after(async () => {
    await other.close();
    await t.database.close();
    await t.destroy();
  });

  const insert = (id: number, v: string) => inCommitGroup(t.database.db, async (w) => (await sql`insert into grouped (id, v) values (${id}, ${v})`.execute(w), id));
  const committed = async (ids: number[]) =>
    (await sql<{ id: number }>`select id from grouped where id in (${sql.join(ids)}) order by id`.execute(other.db)).rows.map((r) => Number(r.id));

  it('every write of a turn is committed, and visible elsewhere, once its promise resolves', async () => {
    const ids = [1, 2, 3, 4, 5];
    const seen = await Promise.all(ids.map(async (id) => (await insert(id, `v${id}`), committed([id]))));
    assert.deepEqual(seen, ids.map((id) => [id]));
  });

  it('a failing write is refused alone; the others of its turn land', async () => {
    const results = await Promise.allSettled([insert(10, 'a'), insert(1, 'duplicate key'), insert(11, 'b')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(await committed([1, 10, 11]), [1, 10, 11]);
    const one = await sql<{ v: string }>`select v from grouped where id = 1`.execute(other.db);
    assert.equal(one.rows[0]!.v, 'v1', 'the refused write changed nothing');
  });

  it('a write that sees an earlier write of the same turn', async () => {
    const bump = () =>
      inCommitGroup(t.database.db, async (w) => {
        await sql`update grouped set v = v || '+' where id = 10`.execute(w);
        return (await sql<{ v: string }>`select v from grouped where id = 10`.execute(w)).rows[0]!.v;
      });
    const seen = await Promise.all([bump(), bump(), bump()]);
    // SQLite runs them in order in one transaction; PostgreSQL runs them side by side.
    if (TEST_DB === 'sqlite') assert.deepEqual(seen, ['a+', 'a++', 'a+++']);
    const final = await sql<{ v: string }>`select v from grouped where id = 10`.execute(other.db);
    assert.equal(final.rows[0]!.v, 'a+++');
  });
});
