import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';

/** A database handle or an open transaction: storage functions accept either. */
export type Executor = Kysely<DB>;
