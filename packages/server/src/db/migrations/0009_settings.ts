import type { Kysely, Migration } from 'kysely';
import { required } from './columns.js';

/**
 * Platform settings that must outlive the process, one row per key. First use: the sandbox's
 * virtual clock offset (issue 15), so a restarted `npm run dev` continues from the time its data
 * was moved to.
 */
export const settings: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'text', required)
      .addColumn('updated_at', 'bigint', required)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('settings').execute();
  },
};
