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
