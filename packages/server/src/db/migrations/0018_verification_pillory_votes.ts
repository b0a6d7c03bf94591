import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required } from './columns.js';

/**
 * Two built-ins Chaster extensions drive (issue 13): verification pictures (asked for with a
 * code, uploaded by the wearer; the image lives in the blob store) and votes on a pillory (one
 * per signed-in user per pillory; `pillory_id` is the history entry that started the pillory).
 */
export const verificationPilloryVotes: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'verification_pictures')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('code', 'varchar(16)', required)
      .addColumn('requested_role', 'varchar(16)', required)
      .addColumn('requested_user_id', ID)
      .addColumn('requested_extension', 'varchar(64)')
      .addColumn('requested_at', 'bigint', required)
      .addColumn('blob_key', 'varchar(200)')
      .addColumn('content_type', 'varchar(32)')
      .addColumn('submitted_at', 'bigint')
      .execute();
    await createIndex(db, 'verification_pictures_lock', 'verification_pictures', ['lock_id', 'requested_at']);

    await entityTable(db, 'pillory_votes')
      .addColumn('lock_id', ID, refTo('locks'))
      .addColumn('pillory_id', ID, required)
      .addColumn('voter_id', ID, refTo('users'))
      .addColumn('seconds', 'integer', required)
      .$call(createdAt)
      .addUniqueConstraint('pillory_votes_once', ['pillory_id', 'voter_id'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('pillory_votes').execute();
    await db.schema.dropTable('verification_pictures').execute();
  },
};
