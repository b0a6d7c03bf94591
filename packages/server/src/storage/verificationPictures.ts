import type { Insertable } from 'kysely';
import type { VerificationPictureRow, VerificationPicturesTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertVerificationPicture(db: Executor, row: Insertable<VerificationPicturesTable>): Promise<void> {
  await db.insertInto('verification_pictures').values(row).execute();
}

/** Newest first. */
export async function listVerificationPictures(db: Executor, lockId: string, limit: number): Promise<VerificationPictureRow[]> {
  return db.selectFrom('verification_pictures').selectAll().where('lock_id', '=', lockId).orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findVerificationPicture(db: Executor, lockId: string, id: string): Promise<VerificationPictureRow | undefined> {
  return db.selectFrom('verification_pictures').selectAll().where('lock_id', '=', lockId).where('id', '=', id).executeTakeFirst();
}

/** The oldest request the wearer has not answered yet. */
export async function findOpenVerificationRequest(db: Executor, lockId: string): Promise<VerificationPictureRow | undefined> {
  return db.selectFrom('verification_pictures').selectAll().where('lock_id', '=', lockId).where('submitted_at', 'is', null).orderBy('requested_at', 'asc').orderBy('id', 'asc').executeTakeFirst();
}

/** Answers one request; false when another upload answered it first. */
export async function submitVerificationPicture(db: Executor, id: string, picture: { blob_key: string; content_type: string; submitted_at: number }): Promise<boolean> {
  const res = await db.updateTable('verification_pictures').set(picture).where('id', '=', id).where('submitted_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
