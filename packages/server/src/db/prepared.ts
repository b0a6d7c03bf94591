import { CompiledQuery, PostgresAdapter, type Kysely, type QueryResult } from 'kysely';
import type pg from 'pg';

/** SQL texts of the hot statements → their names as PostgreSQL prepared statements. */
const NAMED = new Map<string, string>();
/** Texts (both dialects) whose rows come back as arrays of column values, in select-list order. */
const ARRAY_ROWS = new Set<string>();

/** A statement whose text is fixed, for both dialects: built once, run without Kysely's query builder. */
export interface FixedStatement {
  sqlite: string;
  postgres: string;
}

/**
 * Registers a hot statement written with `?` placeholders (none may appear elsewhere in the text).
 * On PostgreSQL it runs as a named prepared statement: parsed and planned once per connection, not
 * on every request. On SQLite the connection's statement cache (connect.ts) already keeps it.
 */
export function fixedStatement(name: string, text: string): FixedStatement {
  let n = 0;
  const postgres = text.replace(/\?/g, () => `$${++n}`);
  const taken = [...NAMED].find(([t, nm]) => nm === `latch_${name}` && t !== postgres);
  if (taken) throw new Error(`prepared statement name latch_${name} is used by two texts`);
  NAMED.set(postgres, `latch_${name}`);
  return { sqlite: text, postgres };
}

/**
 * Makes a fixed statement return each row as an array of its column values in select-list order
 * (better-sqlite3 raw mode, pg `rowMode: 'array'`): a wide row (the credential statement's ~100
 * columns) is read without building an object with a key per column.
 */
export function withArrayRows(statement: FixedStatement): FixedStatement {
  ARRAY_ROWS.add(statement.sqlite);
  ARRAY_ROWS.add(statement.postgres);
  return statement;
}

/** Whether a SQL text was registered by `withArrayRows` (the SQLite statement cache sets raw mode). */
export const returnsArrayRows = (text: string): boolean => ARRAY_ROWS.has(text);

/**
 * `column in (…)` for a list of `count` values: on PostgreSQL one array parameter (`= any(?)`), so
 * one prepared statement serves any count; on SQLite one placeholder per value.
 */
export const inList = (dialect: 'sqlite' | 'postgres', column: string, count: number): string =>
  dialect === 'postgres' ? `${column} = any(?)` : `${column} in (${Array.from({ length: count }, () => '?').join(', ')})`;

/** The parameters of an `inList`. */
export const listParams = (dialect: 'sqlite' | 'postgres', values: readonly string[]): unknown[] => (dialect === 'postgres' ? [values] : [...values]);

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Runs a fixed statement on a database handle or transaction. */
export function runFixed<R>(db: Kysely<any>, statement: FixedStatement, parameters: readonly unknown[]): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  const compiled = CompiledQuery.raw(executor.adapter instanceof PostgresAdapter ? statement.postgres : statement.sqlite, parameters as unknown[]);
  // Plugins see it like any other query (bench/query-count.ts counts there); the text is not rebuilt.
  executor.transformQuery(compiled.query, compiled.queryId);
  return executor.executeQuery<R>(compiled);
}

/**
 * Makes a pooled pg client send the registered hot statements by name (pg prepares a name once
 * per connection, then only binds and executes it). Kysely calls `query(text, values)`.
 */
export function nameHotStatements(client: pg.PoolClient): void {
  const query = client.query as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = function (this: pg.PoolClient, ...args: unknown[]) {
    const [text, values] = args;
    if (typeof text === 'string' && args.length === 2) {
      const name = NAMED.get(text);
      if (name) return query.call(this, { name, text, values, ...(ARRAY_ROWS.has(text) ? { rowMode: 'array' } : {}) });
    }
    return query.apply(this, args);
  };
}
