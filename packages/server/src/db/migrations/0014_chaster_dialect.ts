import type { Kysely, Migration } from 'kysely';

/**
 * The per-app dialect (DECISIONS §14): which wire shapes `/api/extensions/*` speaks to the app's
 * credentials. Chaster apps get a public client id (`X-Chaster-Client-Id`), checked when sent.
 */
export const chasterDialect: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('extension_apps').addColumn('dialect', 'varchar(16)', (c) => c.notNull().defaultTo('chastify')).execute();
    await db.schema.alterTable('extension_apps').addColumn('client_id', 'varchar(64)').execute();
    await db.schema.createIndex('extension_apps_client_id_idx').unique().on('extension_apps').column('client_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('extension_apps_client_id_idx').execute();
    for (const c of ['client_id', 'dialect']) await db.schema.alterTable('extension_apps').dropColumn(c).execute();
  },
};
