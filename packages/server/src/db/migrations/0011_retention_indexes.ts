import type { Kysely, Migration } from 'kysely';
import { createIndex } from './columns.js';

/**
 * The retention sweep (services/retention.ts) finds expired rows by `expires_at`: indexes, so a
 * sweep that finds nothing reads nothing, and a backlog is taken batch by batch from the front.
 */
export const retentionIndexes: Migration = {
  async up(db: Kysely<any>) {
    await createIndex(db, 'user_sessions_expiry_idx', 'user_sessions', ['expires_at']);
    await createIndex(db, 'main_tokens_expiry_idx', 'main_tokens', ['expires_at']);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('main_tokens_expiry_idx').execute();
    await db.schema.dropIndex('user_sessions_expiry_idx').execute();
  },
};
