import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

export const SYSTEM_USER_ID = '000000000000000000000001';
// The built-in app of /api/apps/v1 (services/builtinApps.ts); a migration keeps its own copy of the id.
const EXTERNAL_APP_ID = '000000000000000000000002';

/** The lock engine: task runs, timed ends as jobs, freeze end and hygienic opening start. */
export const engine: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'jobs')
      .addColumn('kind', 'varchar(64)', required)
      // One pending job per key: scheduling again moves it instead of adding a second.
      .addColumn('key', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('run_at', 'bigint', required)
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
      .addColumn('locked_by', 'varchar(64)')
      .addColumn('locked_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('failed_at', 'bigint')
      .$call(createdAt)
      .execute();
    await createIndex(db, 'jobs_due_idx', 'jobs', ['run_at']);

    await entityTable(db, 'tasks')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('text', 'text', required)
      .addColumn('points', 'integer', required)
      .addColumn('verification_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duration_seconds', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'varchar(16)', required)
      .addColumn('assigned_by', 'varchar(16)', required)
      .addColumn('extension_slug', 'varchar(64)')
      .addColumn('timer_started_at', 'bigint')
      .addColumn('timer_ends_at', 'bigint')
      .addColumn('reason', 'text')
      .$call(createdAt)
      .addColumn('finished_at', 'bigint')
      .execute();
    await createIndex(db, 'tasks_lock_idx', 'tasks', ['lock_id', 'status']);

    await db.schema.alterTable('locks').addColumn('frozen_until', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('hygienic_started_at', 'bigint').execute();
    // The state's own revision (its ETag): metadata writes bump `version` but not this.
    await db.schema.alterTable('extension_sessions').addColumn('state_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();

    // The built-in "External programs" app: /api/apps/v1 state and metadata live in its session
    // on each lock, so a script's blockers count like any extension's. Its owner is a system
    // account that cannot sign in (no password hash verifies).
    await db.insertInto('users').values({ id: SYSTEM_USER_ID, username: 'latch', username_key: 'latch', password_hash: '!', profile: '{"displayName":"latch"}', show_online_status: 0, last_seen_at: null, created_at: 0, updated_at: 0 }).execute();
    await db
      .insertInto('extension_apps')
      .values({ id: EXTERNAL_APP_ID, owner_id: SYSTEM_USER_ID, slug: 'external-api', name: 'External programs', description: 'Scripts using a user-wide key on /api/apps/v1', iframe_url: null, setup_url: null, allowed_origins: '[]', scopes: '[]', default_config: '{}', initial_metadata: '{}', regular_actions: null, extension_requirements: null, attempt_limit: null, created_at: 0, updated_at: 0 })
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.deleteFrom('extension_sessions').where('app_id', '=', EXTERNAL_APP_ID).execute();
    await db.deleteFrom('extension_apps').where('id', '=', EXTERNAL_APP_ID).execute();
    await db.deleteFrom('users').where('id', '=', SYSTEM_USER_ID).execute();
    await db.schema.alterTable('extension_sessions').dropColumn('state_version').execute();
    await db.schema.alterTable('locks').dropColumn('hygienic_started_at').execute();
    await db.schema.alterTable('locks').dropColumn('frozen_until').execute();
    await db.schema.dropTable('tasks').execute();
    await db.schema.dropTable('jobs').execute();
  },
};
