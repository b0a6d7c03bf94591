import type { RegularActionRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertRegularAction(db: Executor, row: RegularActionRow): Promise<void> {
  await db.insertInto('regular_actions').values(row).execute();
}

export async function listRecentRegularActions(db: Executor, sessionId: string, limit: number): Promise<RegularActionRow[]> {
  return db.selectFrom('regular_actions').selectAll().where('session_id', '=', sessionId).orderBy('id', 'desc').limit(limit).execute();
}
