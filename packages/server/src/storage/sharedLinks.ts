import { sql, type Insertable, type Updateable } from 'kysely';
import type { SharedLinkRow, SharedLinksTable, SharedLinkVotesTable } from '../db/types.js';
import type { Executor } from './executor.js';

export async function findSharedLinkById(db: Executor, id: string): Promise<SharedLinkRow | undefined> {
  return db.selectFrom('shared_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSharedLinkOfLock(db: Executor, lockId: string): Promise<SharedLinkRow | undefined> {
  return db.selectFrom('shared_links').selectAll().where('lock_id', '=', lockId).executeTakeFirst();
}

export async function insertSharedLink(db: Executor, row: Insertable<SharedLinksTable>): Promise<void> {
  await db.insertInto('shared_links').values(row).execute();
}

export async function updateSharedLink(db: Executor, id: string, patch: Updateable<SharedLinksTable>): Promise<void> {
  await db.updateTable('shared_links').set(patch).where('id', '=', id).execute();
}

/** One vote; the unique (link, visitor, period) key refuses a second one in the same period. */
export async function insertSharedLinkVote(db: Executor, row: Insertable<SharedLinkVotesTable>): Promise<void> {
  await db.insertInto('shared_link_votes').values(row).execute();
}

export async function countSharedLinkVote(db: Executor, id: string): Promise<void> {
  await db.updateTable('shared_links').set({ votes: sql`votes + 1` }).where('id', '=', id).execute();
}
