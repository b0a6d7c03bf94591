import type { Kysely, Migration } from 'kysely';

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
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('settings').execute();
  },
};
