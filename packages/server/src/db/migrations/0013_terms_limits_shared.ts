import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required, timestamps } from './columns.js';

/**
 * Durations and limits of a lock (issue 14), named after the Chaster lock fields they back
 * (DECISIONS §14): `min_date`/`max_date` (the initial range the end was drawn from), `min_limit_date`
 * (the floor: no unlock before it), `hide_time_logs`, `is_test_lock`; the ceiling is the existing
 * `max_ends_at` (Chaster `maxLimitDate`), the display of the timer the existing `hidden_timer`.
 * Shared locks (templates a keyholder publishes as a link) and shared links (visitors vote time).
 */
export const termsLimitsShared: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('locks').addColumn('min_date', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('max_date', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('min_limit_date', 'bigint').execute();
    await db.schema.alterTable('locks').addColumn('hide_time_logs', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('locks').addColumn('is_test_lock', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Chaster's "number of visits required": no unlock before this many visitor votes.
    await db.schema.alterTable('locks').addColumn('visitor_votes_required', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('locks').addColumn('visitor_votes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // The shared lock a lock was created from (kept when the shared lock is deleted: no foreign key).
    await db.schema.alterTable('locks').addColumn('shared_lock_id', ID).execute();

    await entityTable(db, 'shared_locks')
      .addColumn('keyholder_id', ID, refTo('users'))
      .addColumn('name', 'text', required)
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      // argon2id, like account passwords; null = no password.
      .addColumn('password_hash', 'text')
      .addColumn('template', 'text', required)
      .addColumn('disabled_at', 'bigint')
      .$call(timestamps)
      .execute();
    await createIndex(db, 'shared_locks_keyholder_idx', 'shared_locks', ['keyholder_id', 'id']);

    await entityTable(db, 'shared_links')
      .addColumn('lock_id', ID, (c) => c.notNull().unique().references('locks.id'))
      .addColumn('enabled', 'integer', required)
      .addColumn('add_seconds', 'integer', required)
      .addColumn('remove_seconds', 'integer', required)
      .addColumn('allow_random', 'integer', required)
      .addColumn('period_seconds', 'integer', required)
      .addColumn('signed_in_only', 'integer', required)
      .addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0))
      .$call(timestamps)
      .execute();

    await entityTable(db, 'shared_link_votes')
      .addColumn('link_id', ID, refTo('shared_links'))
      // A hash of the visitor (signed-in user, else client address): one vote per period.
      .addColumn('visitor_key', 'varchar(64)', required)
      .addColumn('period', 'bigint', required)
      .addColumn('choice', 'varchar(8)', required)
      .addColumn('seconds', 'integer', required)
      .$call(createdAt)
      .addUniqueConstraint('shared_link_votes_once', ['link_id', 'visitor_key', 'period'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('shared_link_votes').execute();
    await db.schema.dropTable('shared_links').execute();
    await db.schema.dropTable('shared_locks').execute();
    for (const c of ['visitor_votes', 'visitor_votes_required', 'shared_lock_id', 'is_test_lock', 'hide_time_logs', 'min_limit_date', 'max_date', 'min_date']) await db.schema.alterTable('locks').dropColumn(c).execute();
  },
};
