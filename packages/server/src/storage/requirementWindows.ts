import type { RequirementWindowRow } from '../db/types.js';
import type { Executor } from './executor.js';

/** The exactly-once guard: false when this window was already evaluated. */
export async function insertWindowOnce(db: Executor, row: RequirementWindowRow): Promise<boolean> {
  const r = await db
    .insertInto('requirement_windows')
    .values(row)
    .onConflict((oc) => oc.columns(['session_id', 'metric', 'window_start']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findEvaluatedWindow(db: Executor, sessionId: string, metric: string, windowStart: number): Promise<RequirementWindowRow | undefined> {
  return db
    .selectFrom('requirement_windows')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('metric', '=', metric)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
}

export async function listWindows(db: Executor, sessionId: string, limit: number): Promise<RequirementWindowRow[]> {
  return db.selectFrom('requirement_windows').selectAll().where('session_id', '=', sessionId).orderBy('window_start', 'desc').limit(limit).execute();
}
