import type { Kysely, Migration } from 'kysely';

/** Extension files (rows; the bytes live in the blob store) and devices with their live state. */
export const filesDevices: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('files')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('session_id', 'varchar(24)', (c) => c.notNull().references('extension_sessions.id'))
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      // Where the bytes are in the blob store; written only once the bytes are there.
      .addColumn('storage_key', 'varchar(300)', (c) => c.notNull())
      .addColumn('filename', 'varchar(200)', (c) => c.notNull())
      .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('files_session_idx').on('files').columns(['session_id', 'id']).execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('name', 'varchar(80)', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_by', 'varchar(24)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_lock_idx').on('devices').columns(['lock_id']).execute();

    // One row per device and channel (shock, vibration, random, berserk): what the device is
    // doing, shared by every server process; timed channels end through scheduler jobs.
    await db.schema
      .createTable('device_state')
      .addColumn('device_id', 'varchar(24)', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('channel', 'varchar(16)', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('intensity', 'integer')
      .addColumn('frequency', 'integer')
      .addColumn('min_intensity', 'integer')
      .addColumn('max_intensity', 'integer')
      .addColumn('message', 'text')
      .addColumn('started_at', 'bigint')
      .addColumn('ends_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_state_pk', ['device_id', 'channel'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('device_state').execute();
    await db.schema.dropTable('devices').execute();
    await db.schema.dropTable('files').execute();
  },
};
