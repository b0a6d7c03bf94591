import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
// Type only: the PostgreSQL driver is loaded when a postgres:// URL is opened (start-up on SQLite stays light).
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { DB } from './types.js';
import { nameHotStatements, returnsArrayRows } from './prepared.js';
import { enableReadCache, readCacheStats, type ReadGeneration } from './readCache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Where the data lives, without credentials (for start-up messages). */
  describe: string;
  /** PostgreSQL: the schema our tables live in (migration bookkeeping goes there too). */
  schema?: string;
  /** PostgreSQL: the connection pool's counts right now (metrics). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** SQLite: how often the exact read cache (db/readCache.ts) answered without running a statement. */
  readCacheStats?(): { hits: number; misses: number; size: number } | null;
  /** PostgreSQL: a new client outside the pool (connected), for `LISTEN`, which holds its connection. */
  connectClient?(): Promise<pg.Client>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: put every table in this schema (tests use one schema per app). */
  pgSchema?: string;
  pgPoolSize?: number;
}

const INT8_OID = 20;

const loadPg = async (): Promise<typeof pg> => (await import('pg')).default;

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  return openSqlite(sqlitePath(url));
}

function sqlitePath(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:') return ':memory:';
  const p = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  if (!p) throw new Error(`DATABASE_URL has no SQLite file path: ${url}`);
  return path.resolve(p);
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('foreign_keys = ON');
  // FULL: an acknowledged commit survives power loss too, not only a process crash.
  handle.pragma('synchronous = FULL');
  // A separate worker process may hold the write lock for a moment.
  handle.pragma('busy_timeout = 5000');
  const writes = writeGeneration(handle);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(handle, STATEMENT_CACHE_SIZE, writes.prepared) }) });
  enableReadCache(db, writes.generation);
  return {
    db,
    dialect: 'sqlite',
    readCacheStats: () => readCacheStats(db),
    describe: `SQLite ${file}`,
    close: () => db.destroy(),
  };
}

/** How many prepared statements the SQLite connection keeps (queries with `in (?, ?, …)` vary). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and preparing was the largest single cost of a request on
 * SQLite (more than running the query). A better-sqlite3 statement can be run again and again
 * (queries run synchronously, one at a time), so the most recently used ones are kept. SQLite
 * re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(handle: SQLite.Database, size = STATEMENT_CACHE_SIZE, prepared: (stmt: SQLite.Statement) => void = () => {}): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => handle.close(),
    prepare(sqlText: string) {
      const kept = cache.get(sqlText);
      // A statement still being iterated (a streamed query) cannot run again until it is done.
      if (kept && !kept.busy) {
        cache.delete(sqlText);
        cache.set(sqlText, kept);
        prepared(kept);
        return kept;
      }
      const stmt = handle.prepare(sqlText);
      prepared(stmt);
      if (returnsArrayRows(sqlText)) stmt.raw(true);
      if (!kept) {
        cache.set(sqlText, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

/**
 * The SQLite connection's write generation (db/readCache.ts): it moves before any statement that
 * may write runs on this connection (Kysely prepares every statement it runs, synchronously
 * followed by running it, through `withStatementCache`), and when `PRAGMA data_version` says
 * another connection or process committed. Null while a transaction is open on the connection:
 * its snapshot may predate another process's commit, and its own writes are not committed yet.
 */
function writeGeneration(handle: SQLite.Database): { prepared: (stmt: SQLite.Statement) => void; generation: ReadGeneration } {
  let generation = 0;
  const dataVersion = handle.prepare('PRAGMA data_version').pluck();
  let seen = dataVersion.get();
  const current = () => {
    if (handle.inTransaction || !handle.open) return null;
    const now = dataVersion.get();
    if (now !== seen) {
      seen = now;
      generation++;
    }
    return generation;
  };
  return {
    prepared(stmt) {
      if (!stmt.readonly) generation++;
    },
    generation: Object.assign(current, { ownWrites: () => generation }),
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const schema = options.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    // Epoch-ms columns are BIGINT; they fit a JS number exactly until the year 287396.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('connect', nameHotStatements);
  let currentSchema: string;
  const client = await pool.connect();
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    let current = (await client.query<{ s: string | null }>('select current_schema() as s')).rows[0]!.s;
    if (current === null) {
      // A search_path (e.g. `?options=-c search_path=tenant_a`) naming a schema that does not exist yet.
      const first = (await client.query<{ p: string }>("select current_setting('search_path') as p")).rows[0]!.p.split(',')[0]!.trim().replace(/^"|"$/g, '');
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(first)) throw new Error(`search_path schema "${first}" does not exist`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${first}`);
      current = (await client.query<{ s: string | null }>('select current_schema() as s')).rows[0]!.s;
    }
    currentSchema = current!;
  } finally {
    client.release();
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    db,
    dialect: 'postgres',
    schema: currentSchema,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async connectClient() {
      const listener = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
      await listener.connect();
      return listener;
    },
    describe: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}${schema ? ` (schema ${schema})` : ''}`,
    close: () => db.destroy(),
  };
}

/**
 * Arbitrary key of the PostgreSQL advisory lock that serializes our schema changes (migrations,
 * dropping a test schema) across every process on the database.
 */
const SCHEMA_CHANGE_LOCK = 7_413_201_926;

/**
 * Runs `fn` while holding the database-wide schema-change lock (PostgreSQL; SQLite has one writer
 * anyway). The lock is held on a connection of its own, so `fn` may use the pool freely.
 */
export async function withSchemaChangeLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.dialect !== 'postgres') return fn();
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    }
  });
}

/** Drops a test schema and everything in it (under the schema-change lock, see above). */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    // Ending the session releases the lock too.
    await client.end();
  }
}

export { sql };
