import type { Kysely, Migration } from 'kysely';

/**
 * The combination safe (issue 14): one sealed combination per lock (a code, or a picture whose
 * encrypted bytes are in the blob store), and when a lock was archived (a running lock archived
 * is deserted).
 */
export const safeCombination: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('combinations')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('owner_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      // Null while an uploaded picture waits for the lock it is created with.
      .addColumn('lock_id', 'varchar(24)', (c) => c.unique().references('locks.id'))
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('key_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('sealed_code', 'text')
      .addColumn('blob_key', 'varchar(300)')
      .addColumn('content_type', 'varchar(64)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('recovered_at', 'bigint')
      .execute();
    await db.schema.createIndex('combinations_owner_idx').on('combinations').columns(['owner_id', 'lock_id']).execute();
    await db.schema.alterTable('locks').addColumn('archived_at', 'bigint').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('locks').dropColumn('archived_at').execute();
    await db.schema.dropTable('combinations').execute();
  },
};
