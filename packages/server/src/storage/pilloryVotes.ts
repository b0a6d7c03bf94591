import type { Insertable } from 'kysely';
import type { HistoryLogRow, PilloryVotesTable } from '../db/types.js';
import type { Executor } from './executor.js';

/** One vote; the unique (pillory, voter) key refuses a second one. */
export async function insertPilloryVote(db: Executor, row: Insertable<PilloryVotesTable>): Promise<void> {
  await db.insertInto('pillory_votes').values(row).execute();
}

/** The history entries that started the lock's pillories, newest first (a pillory's id is its entry's). */
export async function findPilloryStarts(db: Executor, lockIds: string[]): Promise<HistoryLogRow[]> {
  if (lockIds.length === 0) return [];
  return db.selectFrom('history_logs').selectAll().where('lock_id', 'in', lockIds).where('type', '=', 'pillory_started').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findHistoryEntry(db: Executor, id: string): Promise<HistoryLogRow | undefined> {
  return db.selectFrom('history_logs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Votes and seconds added, per pillory. */
export async function tallyPilloryVotes(db: Executor, pilloryIds: string[]): Promise<Map<string, { votes: number; seconds: number }>> {
  if (pilloryIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('pillory_votes')
    .select((eb) => ['pillory_id', eb.fn.countAll<number | string>().as('votes'), eb.fn.sum<number | string>('seconds').as('seconds')])
    .where('pillory_id', 'in', pilloryIds)
    .groupBy('pillory_id')
    .execute();
  return new Map(rows.map((r) => [r.pillory_id, { votes: Number(r.votes), seconds: Number(r.seconds) }]));
}

/** Locks whose wearer is in the pillory now. */
export async function findPilloriedLockIds(db: Executor, now: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('locks').select('id').where('status', '=', 'locked').where('pillory_until', '>', now).orderBy('pillory_until', 'asc').limit(limit).execute();
  return rows.map((r) => r.id);
}
