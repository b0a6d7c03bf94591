import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

/**
 * The combination safe (issue 14): one sealed combination per lock (a code, or a picture whose
 * encrypted bytes are in the blob store), and when a lock was archived (a running lock archived
 * is deserted).
 */
export const safeCombination: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'combinations')
      .addColumn('owner_id', ID, refTo('users'))
      // Null while an uploaded picture waits for the lock it is created with.
      .addColumn('lock_id', ID, (c) => c.unique().references('locks.id'))
      .addColumn('kind', 'varchar(16)', required)
      .addColumn('key_id', 'varchar(32)', required)
      .addColumn('wrapped_key', 'text', required)
      .addColumn('sealed_code', 'text')
      .addColumn('blob_key', 'varchar(300)')
      .addColumn('content_type', 'varchar(64)')
      .$call(createdAt)
      .addColumn('recovered_at', 'bigint')
      .execute();
    await createIndex(db, 'combinations_owner_idx', 'combinations', ['owner_id', 'lock_id']);
    await db.schema.alterTable('locks').addColumn('archived_at', 'bigint').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('locks').dropColumn('archived_at').execute();
    await db.schema.dropTable('combinations').execute();
  },
};
