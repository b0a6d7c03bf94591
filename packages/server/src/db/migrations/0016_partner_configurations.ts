import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

/**
 * Chaster configuration pages (DECISIONS §14): a short-lived token (stored hashed) the web host
 * hands the app's configuration page. `session_id`/`lock_id` are null while a self-lock is being
 * created; `config` is then the pending config the page saved, read back by the creator.
 */
export const partnerConfigurations: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'partner_configurations')
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('app_id', ID, refTo('extension_apps'))
      .addColumn('session_id', ID, (c) => c.references('extension_sessions.id'))
      .addColumn('lock_id', ID, (c) => c.references('locks.id'))
      .addColumn('role', 'varchar(16)', required)
      .addColumn('user_id', ID, refTo('users'))
      .addColumn('config', 'text', required)
      .$call(createdAt)
      .addColumn('expires_at', 'bigint', required)
      .execute();
    await createIndex(db, 'partner_configurations_expiry_idx', 'partner_configurations', ['expires_at']);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('partner_configurations').execute();
  },
};
