import type { Kysely, Migration } from 'kysely';

/**
 * Chaster configuration pages (DECISIONS §14): a short-lived token (stored hashed) the web host
 * hands the app's configuration page. `session_id`/`lock_id` are null while a self-lock is being
 * created; `config` is then the pending config the page saved, read back by the creator.
 */
export const partnerConfigurations: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('partner_configurations')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull().references('extension_apps.id'))
      .addColumn('session_id', 'varchar(24)', (c) => c.references('extension_sessions.id'))
      .addColumn('lock_id', 'varchar(24)', (c) => c.references('locks.id'))
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('partner_configurations_expiry_idx').on('partner_configurations').column('expires_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('partner_configurations').execute();
  },
};
