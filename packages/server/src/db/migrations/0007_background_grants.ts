import type { Kysely, Migration } from 'kysely';
import { ID } from './columns.js';

/**
 * Background grants (DECISIONS §10): the lock's controller lets an app that requests
 * `sessions:background` act on this session with its app key alone, no launch needed. The grant
 * acts with the role of whoever gave it, so it never carries more than they had.
 */
export const backgroundGrants: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('extension_sessions').addColumn('background_granted_at', 'bigint').execute();
    await db.schema.alterTable('extension_sessions').addColumn('background_granted_by', ID).execute();
    await db.schema.alterTable('extension_sessions').addColumn('background_role', 'varchar(16)').execute();
  },
  async down(db: Kysely<any>) {
    for (const c of ['background_granted_at', 'background_granted_by', 'background_role']) await db.schema.alterTable('extension_sessions').dropColumn(c).execute();
  },
};
