import type { Kysely, Migration } from 'kysely';
import { createIndex } from './columns.js';

/**
 * The scheduler claims due jobs `ORDER BY run_at, id LIMIT n`: with an index on run_at alone,
 * 100k jobs due at the same instant (one window end for every session) were sorted whole on
 * every claim. An index on (run_at, id) hands them over in order.
 */
export const jobsClaimOrder: Migration = {
  async up(db: Kysely<any>) {
    await createIndex(db, 'jobs_claim_idx', 'jobs', ['run_at', 'id']);
    await db.schema.dropIndex('jobs_due_idx').execute();
  },
  async down(db: Kysely<any>) {
    await createIndex(db, 'jobs_due_idx', 'jobs', ['run_at']);
    await db.schema.dropIndex('jobs_claim_idx').execute();
  },
};
