import type { Kysely, Migration } from 'kysely';

/** Developer keys, main tokens, the audit trail, idempotency records, requirement progress. */
export const credentials: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('developer_keys')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('owner_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      // null: a user-wide key (External API); else bound to one app.
      .addColumn('app_id', 'varchar(24)', (c) => c.references('extension_apps.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
      .addColumn('last4', 'varchar(4)', (c) => c.notNull())
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('developer_keys_owner_idx').on('developer_keys').columns(['owner_id', 'id']).execute();

    await db.schema
      .createTable('main_tokens')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('session_id', 'varchar(24)', (c) => c.notNull().references('extension_sessions.id'))
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull().references('extension_apps.id'))
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('main_tokens_session_user_idx').on('main_tokens').columns(['session_id', 'user_id']).execute();

    await db.schema
      .createTable('audit_logs')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(24)')
      .addColumn('lock_id', 'varchar(24)')
      .addColumn('session_id', 'varchar(24)')
      .addColumn('user_id', 'varchar(24)')
      .addColumn('credential', 'varchar(32)', (c) => c.notNull())
      .addColumn('credential_id', 'varchar(24)')
      .addColumn('method', 'varchar(8)', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('action', 'varchar(64)')
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('error_code', 'varchar(64)')
      .addColumn('request_id', 'varchar(80)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_logs_app_idx').on('audit_logs').columns(['app_id', 'id']).execute();
    await db.schema.createIndex('audit_logs_lock_idx').on('audit_logs').columns(['lock_id', 'id']).execute();

    await db.schema
      .createTable('idempotency_records')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('scope', 'varchar(80)', (c) => c.notNull())
      .addColumn('idem_key', 'varchar(255)', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('response', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('idempotency_records_scope_key_uq', ['scope', 'idem_key'])
      .execute();
    await db.schema.createIndex('idempotency_records_expiry_idx').on('idempotency_records').column('expires_at').execute();

    await db.schema
      .createTable('requirement_progress')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('session_id', 'varchar(24)', (c) => c.notNull().references('extension_sessions.id'))
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('requirement_progress_session_idx').on('requirement_progress').columns(['session_id', 'metric', 'occurred_at']).execute();

    // Some lock engine fields needed by lockData before the engine lands fully.
    await db.schema.alterTable('locks').addColumn('pillory_until', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('pillory_reason', 'text').execute();
    await db.schema.alterTable('locks').addColumn('hygienic_until', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('task_points', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  async down(db: Kysely<any>) {
    for (const c of ['pillory_until', 'pillory_reason', 'hygienic_until', 'task_points']) await db.schema.alterTable('locks').dropColumn(c).execute();
    for (const t of ['requirement_progress', 'idempotency_records', 'audit_logs', 'main_tokens', 'developer_keys']) await db.schema.dropTable(t).execute();
  },
};
