import type { FileRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertFile(db: Executor, row: FileRow): Promise<void> {
  await db.insertInto('files').values(row).execute();
}

export async function findFileById(db: Executor, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFileOfSession(db: Executor, sessionId: string, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
}

export async function listFilesOfSession(db: Executor, sessionId: string): Promise<FileRow[]> {
  return db.selectFrom('files').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
}

/** How many files and bytes a session holds (the quota). */
export async function fileUsageOfSession(db: Executor, sessionId: string): Promise<{ files: number; bytes: number }> {
  const r = await db
    .selectFrom('files')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('size').as('bytes')])
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return { files: Number(r?.n ?? 0), bytes: Number(r?.bytes ?? 0) };
}

export async function deleteFileOfSession(db: Executor, sessionId: string, id: string): Promise<FileRow | undefined> {
  const row = await findFileOfSession(db, sessionId, id);
  if (!row) return undefined;
  const r = await db.deleteFrom('files').where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1 ? row : undefined;
}
