import type { Kysely, Migration } from 'kysely';

/** Regular actions, required-progress windows, attempt limits. */
export const progress: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('regular_actions')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('session_id', 'varchar(24)', (c) => c.notNull().references('extension_sessions.id'))
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('regular_actions_session_idx').on('regular_actions').columns(['session_id', 'id']).execute();

    // One row per evaluated window: written in the same transaction as its punishment, so a
    // window is punished exactly once however many schedulers race for it.
    await db.schema
      .createTable('requirement_windows')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('session_id', 'varchar(24)', (c) => c.notNull().references('extension_sessions.id'))
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('window_end', 'bigint', (c) => c.notNull())
      .addColumn('required_count', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('partial', 'integer', (c) => c.notNull())
      .addColumn('punished', 'integer', (c) => c.notNull())
      .addColumn('punishment', 'text')
      .addColumn('evaluated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('requirement_windows_uq', ['session_id', 'metric', 'window_start'])
      .execute();

    // Regular-action configuration set at runtime (PATCH …/regular-actions/config), and the
    // cumulative token bucket; both null until used.
    await db.schema.alterTable('extension_sessions').addColumn('regular_actions_config', 'text').execute();
    await db.schema.alterTable('extension_sessions').addColumn('regular_actions_state', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('extension_sessions').dropColumn('regular_actions_state').execute();
    await db.schema.alterTable('extension_sessions').dropColumn('regular_actions_config').execute();
    await db.schema.dropTable('requirement_windows').execute();
    await db.schema.dropTable('regular_actions').execute();
  },
};
