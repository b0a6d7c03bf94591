import { sql, type Kysely, type Migration } from 'kysely';
import { ID, createIndex, entityTable, refTo, required } from './columns.js';

/**
 * Penalties (Chaster's built-in, issue 13): habits an app declares (`extension_apps.habits`),
 * the ones a lock's controller enables with their params and punishments (`lock_habits`), and
 * their periods (`penalty_periods`). At most one period per enabled habit is ongoing (the
 * partial unique index): a second time limit, or a period opened twice, is refused by the database.
 */
export const penalties: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('extension_apps').addColumn('habits', 'text', (c) => c.notNull().defaultTo('[]')).execute();

    await entityTable(db, 'lock_habits')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('app_id', ID, refTo('extension_apps'))
      .addColumn('habit_name', 'varchar(20)', required)
      .addColumn('type', 'varchar(16)', required)
      .addColumn('nb_actions', 'integer')
      .addColumn('frequency_seconds', 'integer')
      .addColumn('time_limit_seconds', 'integer')
      .addColumn('punishments', 'text', required)
      .addColumn('enabled_at', 'bigint', required)
      .addUniqueConstraint('lock_habits_once', ['lock_id', 'app_id', 'habit_name'])
      .execute();

    await entityTable(db, 'penalty_periods')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('habit_id', ID, required)
      .addColumn('app_id', ID, required)
      .addColumn('habit_name', 'varchar(20)', required)
      .addColumn('status', 'varchar(16)', required)
      .addColumn('nb_required', 'integer', required)
      .addColumn('nb_done', 'integer', required)
      .addColumn('punishments', 'text', required)
      .addColumn('starts_at', 'bigint', required)
      .addColumn('ends_at', 'bigint', required)
      .addColumn('settled_at', 'bigint')
      .execute();
    await createIndex(db, 'penalty_periods_lock', 'penalty_periods', ['lock_id', 'starts_at']);
    await db.schema.createIndex('penalty_periods_one_ongoing').on('penalty_periods').columns(['habit_id']).unique().where(sql.ref('status'), '=', 'ongoing').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('penalty_periods').execute();
    await db.schema.dropTable('lock_habits').execute();
    await db.schema.alterTable('extension_apps').dropColumn('habits').execute();
  },
};
