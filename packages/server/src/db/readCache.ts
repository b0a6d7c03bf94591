import type { Kysely } from 'kysely';
import { runFixed, type FixedStatement } from './prepared.js';

/**
 * Where a database handle stands: a number that changes whenever anything in the database may
 * have changed, or null when that cannot be told right now (a transaction is open on the
 * connection). See `sqliteWriteGeneration` in connect.ts.
 */
export interface ReadGeneration {
  /** Where the database stands now (checks for other processes' commits). */
  (): number | null;
  /**
   * This connection's own writes only: enough after a read, since rows newer than the generation
   * they are kept under (another process committed in between) move the next `()` on anyway.
   */
  ownWrites(): number;
}

/** Entries kept per database handle (least recently used go first). */
export const READ_CACHE_SIZE = 1000;

interface Entry {
  generation: number;
  value: unknown;
}

interface ReadCache {
  generation: ReadGeneration;
  entries: Map<string, Entry>;
  hits: number;
  misses: number;
}

const caches = new WeakMap<object, ReadCache>();

/**
 * Lets `cachedRead` keep results for this handle. Only the SQLite handle registers: its
 * generation covers every write of this process (counted where statements are prepared) and
 * every commit of any other connection or process (`PRAGMA data_version`), so a kept result is
 * used only while the database is exactly as it was when the result was read.
 */
export function enableReadCache(db: Kysely<any>, generation: ReadGeneration): void {
  caches.set(db, { generation, entries: new Map(), hits: 0, misses: 0 });
}

/** Hits and misses so far (metrics); null when the handle keeps no results. */
export function readCacheStats(db: Kysely<any>): { hits: number; misses: number; size: number } | null {
  const cache = caches.get(db);
  return cache ? { hits: cache.hits, misses: cache.misses, size: cache.entries.size } : null;
}

/**
 * Runs a read whose result depends on the database alone (no clock, no caller state in the text)
 * and turns its rows into a value with `map`. A value read earlier with the same parameters is
 * answered again when nothing in the database can have changed since: exact, never a window of
 * staleness, so a revoked key or a replaced main token is refused at the next request on every
 * process. On PostgreSQL, inside a transaction, or while a transaction is open on the
 * connection, the statement simply runs.
 *
 * A kept value is shared between requests, so it is deeply frozen (on the miss that reads it
 * too, so a caller that tries to change it fails on every request, not only on a hit).
 */
export async function cachedRead<T>(db: Kysely<any>, statement: FixedStatement, parameters: readonly (string | null)[], map: (rows: unknown[]) => T): Promise<T> {
  const cache = caches.get(db);
  if (!cache) return map((await runFixed<unknown>(db, statement, parameters)).rows);
  const before = cache.generation();
  if (before === null) return map((await runFixed<unknown>(db, statement, parameters)).rows);
  const key = cacheKey(statement, parameters);
  const kept = cache.entries.get(key);
  if (kept && kept.generation === before) {
    cache.hits++;
    // Most recently used last.
    cache.entries.delete(key);
    cache.entries.set(key, kept);
    return kept.value as T;
  }
  cache.misses++;
  const value = deepFreeze(map((await runFixed<unknown>(db, statement, parameters)).rows));
  // Kept only if this process wrote nothing between the generation read above and the statement
  // (rows newer than `before` because another process committed in between are kept under
  // `before`, but the next lookup sees that commit and moves past them).
  if (cache.generation.ownWrites() === before) {
    cache.entries.delete(key);
    cache.entries.set(key, { generation: before, value });
    if (cache.entries.size > READ_CACHE_SIZE) cache.entries.delete(cache.entries.keys().next().value!);
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

const statementIds = new WeakMap<FixedStatement, string>();
let statementCount = 0;

function cacheKey(statement: FixedStatement, parameters: readonly (string | null)[]): string {
  let key = statementIds.get(statement);
  if (key === undefined) {
    key = String(statementCount++);
    statementIds.set(statement, key);
  }
  // \u0000 cannot occur in an id or a hash; null and '' stay distinct.
  for (const p of parameters) key += p === null ? '\u0000n' : `\u0000s${p}`;
  return key;
}
