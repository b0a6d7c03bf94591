import type { Kysely, Migration } from 'kysely';

/**
 * The retention sweep (services/retention.ts) finds expired rows by `expires_at`: indexes, so a
 * sweep that finds nothing reads nothing, and a backlog is taken batch by batch from the front.
 */
export const retentionIndexes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('user_sessions_expiry_idx').on('user_sessions').column('expires_at').execute();
    await db.schema.createIndex('main_tokens_expiry_idx').on('main_tokens').column('expires_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('main_tokens_expiry_idx').execute();
    await db.schema.dropIndex('user_sessions_expiry_idx').execute();
  },
};
