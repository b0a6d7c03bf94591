import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

/** Developer keys, main tokens, the audit trail, idempotency records, requirement progress. */
export const credentials: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'developer_keys')
      .addColumn('owner_id', ID, refTo('users'))
      // null: a user-wide key (External API); else bound to one app.
      .addColumn('app_id', ID, (c) => c.references('extension_apps.id'))
      .addColumn('name', 'text', required)
      .addColumn('prefix', 'varchar(16)', required)
      .addColumn('last4', 'varchar(4)', required)
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
      .$call(createdAt)
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await createIndex(db, 'developer_keys_owner_idx', 'developer_keys', ['owner_id', 'id']);

    await entityTable(db, 'main_tokens')
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('session_id', ID, refTo('extension_sessions'))
      .addColumn('app_id', ID, refTo('extension_apps'))
      .addColumn('user_id', ID, refTo('users'))
      .addColumn('role', 'varchar(16)', required)
      .$call(createdAt)
      .addColumn('expires_at', 'bigint', required)
      .addColumn('revoked_at', 'bigint')
      .execute();
    await createIndex(db, 'main_tokens_session_user_idx', 'main_tokens', ['session_id', 'user_id']);

    await entityTable(db, 'audit_logs')
      .addColumn('app_id', ID)
      .addColumn('lock_id', ID)
      .addColumn('session_id', ID)
      .addColumn('user_id', ID)
      .addColumn('credential', 'varchar(32)', required)
      .addColumn('credential_id', ID)
      .addColumn('method', 'varchar(8)', required)
      .addColumn('route', 'text', required)
      .addColumn('action', 'varchar(64)')
      .addColumn('status', 'integer', required)
      .addColumn('outcome', 'varchar(16)', required)
      .addColumn('error_code', 'varchar(64)')
      .addColumn('request_id', 'varchar(80)', required)
      .$call(createdAt)
      .execute();
    await createIndex(db, 'audit_logs_app_idx', 'audit_logs', ['app_id', 'id']);
    await createIndex(db, 'audit_logs_lock_idx', 'audit_logs', ['lock_id', 'id']);

    await entityTable(db, 'idempotency_records')
      .addColumn('scope', 'varchar(80)', required)
      .addColumn('idem_key', 'varchar(255)', required)
      .addColumn('fingerprint', 'varchar(64)', required)
      .addColumn('status', 'integer')
      .addColumn('response', 'text')
      .$call(createdAt)
      .addColumn('expires_at', 'bigint', required)
      .addUniqueConstraint('idempotency_records_scope_key_uq', ['scope', 'idem_key'])
      .execute();
    await createIndex(db, 'idempotency_records_expiry_idx', 'idempotency_records', ['expires_at']);

    await entityTable(db, 'requirement_progress')
      .addColumn('session_id', ID, refTo('extension_sessions'))
      .addColumn('metric', 'varchar(64)', required)
      .addColumn('amount', 'integer', required)
      .addColumn('occurred_at', 'bigint', required)
      .$call(createdAt)
      .execute();
    await createIndex(db, 'requirement_progress_session_idx', 'requirement_progress', ['session_id', 'metric', 'occurred_at']);

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
