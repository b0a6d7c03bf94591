import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { withStatementCache } from '../src/db/connect.js';

/** The prepared-statement cache under Kysely's SQLite dialect (db/connect.ts). */
describe('SQLite statement cache', () => {
  const open = (size?: number) => {
    const handle = new SQLite(':memory:');
    handle.exec('create table t (id integer primary key, a text)');
    return { handle, db: withStatementCache(handle, size) };
  };

  it('hands back the same statement for the same SQL, and it runs again with new parameters', () => {
    const { db } = open();
    const insert = db.prepare('insert into t (a) values (?)');
    assert.equal(db.prepare('insert into t (a) values (?)'), insert);
    insert.run(['x']);
    db.prepare('insert into t (a) values (?)').run(['y']);
    const select = db.prepare('select a from t where id = ?');
    assert.deepEqual(select.all([1]), [{ a: 'x' }]);
    assert.deepEqual(db.prepare('select a from t where id = ?').all([2]), [{ a: 'y' }]);
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const { db } = open(2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    assert.equal(db.prepare('select 1'), one); // 1 is now the most recent
    db.prepare('select 3'); // evicts 2
    assert.equal(db.prepare('select 1'), one);
    assert.notEqual(db.prepare('select 2'), two);
  });

  it('a statement still being iterated is not handed out again', () => {
    const { db } = open();
    db.prepare('insert into t (a) values (?)').run(['x']);
    db.prepare('insert into t (a) values (?)').run(['y']);
    const first = db.prepare('select a from t order by id');
    const iter = first.iterate([]);
    assert.deepEqual(iter.next().value, { a: 'x' });
    const second = db.prepare('select a from t order by id');
    assert.notEqual(second, first);
    assert.deepEqual(second.all([]), [{ a: 'x' }, { a: 'y' }]);
    iter.return?.();
    assert.equal(db.prepare('select a from t order by id'), first);
  });

  it('a kept statement sees a schema change (a migration adding a column)', () => {
    const { handle, db } = open();
    db.prepare('insert into t (a) values (?)').run(['x']);
    const select = db.prepare('select * from t');
    assert.deepEqual(select.all([]), [{ id: 1, a: 'x' }]);
    handle.exec("alter table t add column b text not null default 'new'");
    assert.deepEqual(db.prepare('select * from t').all([]), [{ id: 1, a: 'x', b: 'new' }]);
  });
});
