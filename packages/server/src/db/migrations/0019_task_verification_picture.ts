import type { Kysely, Migration } from 'kysely';

/**
 * A task's verification picture (issue 14): the wearer marks a task that requires one done by
 * sending it. The bytes live in the blob store under `verification_blob_key`; null = none sent.
 */
export const taskVerificationPicture: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('tasks').addColumn('verification_blob_key', 'text').execute();
    await db.schema.alterTable('tasks').addColumn('verification_content_type', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('tasks').dropColumn('verification_content_type').execute();
    await db.schema.alterTable('tasks').dropColumn('verification_blob_key').execute();
  },
};
