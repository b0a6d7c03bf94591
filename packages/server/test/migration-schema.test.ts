import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import type { Database } from '../src/db/connect.js';
import { MIGRATIONS } from '../src/db/migrate.js';
import { TEST_DB, testDatabase } from './helpers.js';

// Operators' databases already ran the shipped migrations: rewriting how one is written must not
// change what it creates. This pins the schema the migrations up to SHIPPED produce, per dialect.
// Migrations after it are not pinned here. Rewrite the file with LATCH_WRITE_SCHEMA=1 only when
// moving SHIPPED forward.
const SHIPPED = '0020_penalties';
const SNAPSHOT = path.join(import.meta.dirname, 'schema', `${SHIPPED}.${TEST_DB}.txt`);

async function schemaDump(database: Database): Promise<string> {
  if (database.dialect === 'sqlite') {
    const rows = await sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_master where name not like 'kysely_%' order by type, name`.execute(database.db);
    return rows.rows.map((r) => `${r.type} ${r.name}\n${r.sql ?? '(implicit)'}\n`).join('\n');
  }
  const schema = database.schema!;
  const columns = await sql<Record<string, unknown>>`select table_name, ordinal_position, column_name, data_type, character_maximum_length, is_nullable, column_default from information_schema.columns where table_schema = ${schema} and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(database.db);
  const indexes = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where schemaname = ${schema} and tablename not like 'kysely_%' order by indexname`.execute(database.db);
  const constraints = await sql<{ table: string; conname: string; def: string }>`select c.conrelid::regclass::text as table, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ${schema} and c.conrelid::regclass::text not like '%kysely_%' order by 1, 2`.execute(database.db);
  const lines = [
    ...columns.rows.map((r) => Object.values(r).map((v) => (v === null ? '-' : String(v))).join(' | ')),
    '',
    ...indexes.rows.map((r) => `${r.indexname}: ${r.indexdef}`),
    '',
    ...constraints.rows.map((r) => `${r.table} ${r.conname}: ${r.def}`),
  ];
  return lines.join('\n').replaceAll(`${schema}.`, '').replaceAll(`"${schema}".`, '') + '\n';
}

describe('the shipped migrations', () => {
  it(`create the same schema as when ${SHIPPED} shipped`, async () => {
    const db = await testDatabase();
    try {
      const migrator = new Migrator({ db: db.database.db, provider: { getMigrations: async () => MIGRATIONS }, ...(db.database.schema ? { migrationTableSchema: db.database.schema } : {}) });
      const result = await migrator.migrateTo(SHIPPED);
      assert.equal(result.error, undefined);
      const dump = await schemaDump(db.database);
      if (process.env.LATCH_WRITE_SCHEMA === '1') {
        fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
        fs.writeFileSync(SNAPSHOT, dump);
      }
      assert.equal(dump, fs.readFileSync(SNAPSHOT, 'utf8'));
    } finally {
      await db.database.close();
      await db.destroy();
    }
  });
});
