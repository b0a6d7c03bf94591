import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Penalties (Chaster's built-in, issue 13): habits an app declares (`extension_apps.habits`),
 * the ones a lock's controller enables with their params and punishments (`lock_habits`), and
 * their periods (`penalty_periods`). At most one period per enabled habit is ongoing (the
 * partial unique index): a second time limit, or a period opened twice, is refused by the database.
 */
export const penalties: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('extension_apps').addColumn('habits', 'text', (c) => c.notNull().defaultTo('[]')).execute();

    await db.schema
      .createTable('lock_habits')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull().references('extension_apps.id'))
      .addColumn('habit_name', 'varchar(20)', (c) => c.notNull())
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('nb_actions', 'integer')
      .addColumn('frequency_seconds', 'integer')
      .addColumn('time_limit_seconds', 'integer')
      .addColumn('punishments', 'text', (c) => c.notNull())
      .addColumn('enabled_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('lock_habits_once', ['lock_id', 'app_id', 'habit_name'])
      .execute();

    await db.schema
      .createTable('penalty_periods')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('habit_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('habit_name', 'varchar(20)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('nb_required', 'integer', (c) => c.notNull())
      .addColumn('nb_done', 'integer', (c) => c.notNull())
      .addColumn('punishments', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('settled_at', 'bigint')
      .execute();
    await db.schema.createIndex('penalty_periods_lock').on('penalty_periods').columns(['lock_id', 'starts_at']).execute();
    await db.schema.createIndex('penalty_periods_one_ongoing').on('penalty_periods').columns(['habit_id']).unique().where(sql.ref('status'), '=', 'ongoing').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('penalty_periods').execute();
    await db.schema.dropTable('lock_habits').execute();
    await db.schema.alterTable('extension_apps').dropColumn('habits').execute();
  },
};
