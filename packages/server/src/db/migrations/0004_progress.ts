import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

/** Regular actions, required-progress windows, attempt limits. */
export const progress: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'regular_actions')
      .addColumn('session_id', ID, refTo('extension_sessions'))
      .addColumn('payload', 'text', required)
      .$call(createdAt)
      .execute();
    await createIndex(db, 'regular_actions_session_idx', 'regular_actions', ['session_id', 'id']);

    // One row per evaluated window: written in the same transaction as its punishment, so a
    // window is punished exactly once however many schedulers race for it.
    await entityTable(db, 'requirement_windows')
      .addColumn('session_id', ID, refTo('extension_sessions'))
      .addColumn('metric', 'varchar(64)', required)
      .addColumn('window_start', 'bigint', required)
      .addColumn('window_end', 'bigint', required)
      .addColumn('required_count', 'integer', required)
      .addColumn('count', 'integer', required)
      .addColumn('partial', 'integer', required)
      .addColumn('punished', 'integer', required)
      .addColumn('punishment', 'text')
      .addColumn('evaluated_at', 'bigint', required)
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
