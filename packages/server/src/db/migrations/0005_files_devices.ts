import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required, timestamps } from './columns.js';

/** Extension files (rows; the bytes live in the blob store) and devices with their live state. */
export const filesDevices: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'files')
      .addColumn('session_id', ID, refTo('extension_sessions'))
      .addColumn('lock_id', ID, refTo('locks'))
      // Where the bytes are in the blob store; written only once the bytes are there.
      .addColumn('storage_key', 'varchar(300)', required)
      .addColumn('filename', 'varchar(200)', required)
      .addColumn('content_type', 'varchar(64)', required)
      .addColumn('size', 'bigint', required)
      .addColumn('sha256', 'varchar(64)', required)
      .$call(createdAt)
      .execute();
    await createIndex(db, 'files_session_idx', 'files', ['session_id', 'id']);

    await entityTable(db, 'devices')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('kind', 'varchar(16)', required)
      .addColumn('name', 'varchar(80)', required)
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_by', ID)
      .$call(timestamps)
      .execute();
    await createIndex(db, 'devices_lock_idx', 'devices', ['lock_id']);

    // One row per device and channel (shock, vibration, random, berserk): what the device is
    // doing, shared by every server process; timed channels end through scheduler jobs.
    await db.schema
      .createTable('device_state')
      .addColumn('device_id', ID, (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('channel', 'varchar(16)', required)
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('intensity', 'integer')
      .addColumn('frequency', 'integer')
      .addColumn('min_intensity', 'integer')
      .addColumn('max_intensity', 'integer')
      .addColumn('message', 'text')
      .addColumn('started_at', 'bigint')
      .addColumn('ends_at', 'bigint')
      .addColumn('updated_at', 'bigint', required)
      .addPrimaryKeyConstraint('device_state_pk', ['device_id', 'channel'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('device_state').execute();
    await db.schema.dropTable('devices').execute();
    await db.schema.dropTable('files').execute();
  },
};
