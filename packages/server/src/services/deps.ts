import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/types.js';
import type { IdGenerator } from '../ids.js';

/** What every domain service is built from; nothing else is reached for globally. */
export interface ServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdGenerator;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));

/**
 * One page of a listing: `read` is asked for one row more than `limit`, which tells whether more
 * follow without a count.
 */
export async function pageOf<R>(limit: number, read: (limitPlusOne: number) => Promise<R[]>): Promise<{ rows: R[]; hasMore: boolean }> {
  const rows = await read(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
