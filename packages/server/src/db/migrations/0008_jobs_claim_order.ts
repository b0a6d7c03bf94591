import type { Kysely, Migration } from 'kysely';

/**
 * The scheduler claims due jobs `ORDER BY run_at, id LIMIT n`: with an index on run_at alone,
 * 100k jobs due at the same instant (one window end for every session) were sorted whole on
 * every claim. An index on (run_at, id) hands them over in order.
 */
export const jobsClaimOrder: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['run_at', 'id']).execute();
    await db.schema.dropIndex('jobs_due_idx').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['run_at']).execute();
    await db.schema.dropIndex('jobs_claim_idx').execute();
  },
};
