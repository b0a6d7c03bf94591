import { sql, type Kysely, type Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required, timestamps } from './columns.js';

/** Users, login sessions, locks, extension apps and sessions, history, notifications. */
export const initial: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'users')
      .addColumn('username', 'varchar(32)', required)
      .addColumn('username_key', 'varchar(32)', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', required)
      .addColumn('profile', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('show_online_status', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('last_seen_at', 'bigint')
      .$call(timestamps)
      .execute();

    await entityTable(db, 'user_sessions')
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('csrf_token', 'varchar(64)', required)
      .$call(createdAt)
      .addColumn('expires_at', 'bigint', required)
      .addColumn('last_used_at', 'bigint', required)
      .execute();
    await createIndex(db, 'user_sessions_user_idx', 'user_sessions', ['user_id']);

    await entityTable(db, 'locks')
      .addColumn('wearer_id', ID, refTo('users'))
      .addColumn('keyholder_id', ID, (c) => c.references('users.id'))
      .addColumn('keyholder_status', 'varchar(16)')
      .addColumn('title', 'text', required)
      .addColumn('status', 'varchar(16)', required)
      .addColumn('started_at', 'bigint', required)
      .addColumn('ends_at', 'bigint')
      .addColumn('max_ends_at', 'bigint')
      .addColumn('frozen_at', 'bigint')
      .addColumn('hidden_timer', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ended_at', 'bigint')
      .addColumn('settings', 'text', required)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .$call(timestamps)
      .execute();
    await createIndex(db, 'locks_wearer_idx', 'locks', ['wearer_id', 'status', 'id']);
    await createIndex(db, 'locks_keyholder_idx', 'locks', ['keyholder_id', 'status', 'id']);

    await entityTable(db, 'extension_apps')
      .addColumn('owner_id', ID, refTo('users'))
      .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('name', 'text', required)
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('iframe_url', 'text')
      .addColumn('setup_url', 'text')
      .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('default_config', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('initial_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('regular_actions', 'text')
      .addColumn('extension_requirements', 'text')
      .addColumn('attempt_limit', 'text')
      .$call(timestamps)
      .execute();
    await createIndex(db, 'extension_apps_owner_idx', 'extension_apps', ['owner_id']);

    await entityTable(db, 'extension_sessions')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('app_id', ID, refTo('extension_apps'))
      .addColumn('config', 'text', required)
      .addColumn('metadata', 'text', required)
      .addColumn('state', 'text', required)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .$call(timestamps)
      .addColumn('removed_at', 'bigint')
      .execute();
    // One installed (not removed) session per extension per lock.
    await db.schema
      .createIndex('extension_sessions_active_uq')
      .on('extension_sessions')
      .columns(['lock_id', 'app_id'])
      .unique()
      .where(sql.ref('removed_at'), 'is', null)
      .execute();
    await createIndex(db, 'extension_sessions_app_idx', 'extension_sessions', ['app_id', 'id']);

    await entityTable(db, 'history_logs')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('type', 'varchar(64)', required)
      .addColumn('role', 'varchar(16)', required)
      .addColumn('actor_user_id', ID)
      .addColumn('extension_slug', 'varchar(64)')
      .addColumn('title', 'text', required)
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('icon', 'text')
      .addColumn('color', 'varchar(16)')
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .$call(createdAt)
      .execute();
    await createIndex(db, 'history_logs_lock_idx', 'history_logs', ['lock_id', 'id']);

    await entityTable(db, 'notifications')
      .addColumn('user_id', ID, refTo('users'))
      .addColumn('lock_id', ID)
      .addColumn('type', 'varchar(64)', required)
      .addColumn('title', 'text', required)
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('show_page_overlay', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .$call(createdAt)
      .addColumn('read_at', 'bigint')
      .execute();
    await createIndex(db, 'notifications_user_idx', 'notifications', ['user_id', 'id']);
  },
  async down(db: Kysely<any>) {
    for (const t of ['notifications', 'history_logs', 'extension_sessions', 'extension_apps', 'locks', 'user_sessions', 'users']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
