import type { Kysely, Migration } from 'kysely';

/**
 * Two built-ins Chaster extensions drive (issue 13): verification pictures (asked for with a
 * code, uploaded by the wearer; the image lives in the blob store) and votes on a pillory (one
 * per signed-in user per pillory; `pillory_id` is the history entry that started the pillory).
 */
export const verificationPilloryVotes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('verification_pictures')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('code', 'varchar(16)', (c) => c.notNull())
      .addColumn('requested_role', 'varchar(16)', (c) => c.notNull())
      .addColumn('requested_user_id', 'varchar(24)')
      .addColumn('requested_extension', 'varchar(64)')
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('blob_key', 'varchar(200)')
      .addColumn('content_type', 'varchar(32)')
      .addColumn('submitted_at', 'bigint')
      .execute();
    await db.schema.createIndex('verification_pictures_lock').on('verification_pictures').columns(['lock_id', 'requested_at']).execute();

    await db.schema
      .createTable('pillory_votes')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('lock_id', 'varchar(24)', (c) => c.notNull().references('locks.id'))
      .addColumn('pillory_id', 'varchar(24)', (c) => c.notNull())
      .addColumn('voter_id', 'varchar(24)', (c) => c.notNull().references('users.id'))
      .addColumn('seconds', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('pillory_votes_once', ['pillory_id', 'voter_id'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('pillory_votes').execute();
    await db.schema.dropTable('verification_pictures').execute();
  },
};
