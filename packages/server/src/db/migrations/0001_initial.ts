import { sql, type Kysely, type Migration } from 'kysely';

/** Users, login sessions, locks, extension apps and sessions, history, notifications. */
export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('username', 'varchar(32)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(32)', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('profile', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('show_online_status', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('last_seen_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_sessions')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_sessions_user_idx').on('user_sessions').column('user_id').execute();

    await db.schema
      .createTable('locks')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('wearer_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('keyholder_id', 'varchar(24)', (c) => c.references('users.id'))
      .addColumn('keyholder_status', 'varchar(16)')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint')
      .addColumn('max_ends_at', 'bigint')
      .addColumn('frozen_at', 'bigint')
      .addColumn('hidden_timer', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ended_at', 'bigint')
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('locks_wearer_idx').on('locks').columns(['wearer_id', 'status', 'id']).execute();
    await db.schema.createIndex('locks_keyholder_idx').on('locks').columns(['keyholder_id', 'status', 'id']).execute();

    await db.schema
      .createTable('extension_apps')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('owner_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
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
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('extension_apps_owner_idx').on('extension_apps').column('owner_id').execute();

    await db.schema
      .createTable('extension_sessions')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull().references('extension_apps.id'))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
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
    await db.schema.createIndex('extension_sessions_app_idx').on('extension_sessions').columns(['app_id', 'id']).execute();

    await db.schema
      .createTable('history_logs')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_user_id', 'varchar(24)')
      .addColumn('extension_slug', 'varchar(64)')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('icon', 'text')
      .addColumn('color', 'varchar(16)')
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('history_logs_lock_idx').on('history_logs').columns(['lock_id', 'id']).execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('lock_id', 'varchar(24)')
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('show_page_overlay', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('read_at', 'bigint')
      .execute();
    await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    for (const t of ['notifications', 'history_logs', 'extension_sessions', 'extension_apps', 'locks', 'user_sessions', 'users']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
