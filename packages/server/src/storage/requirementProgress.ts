import type { Executor } from './executor.js';
import { noteLockChanged } from '../db/lockChanges.js';

export async function insertRequirementProgress(
  db: Executor,
  row: { id: string; session_id: string; metric: string; amount: number; occurred_at: number; created_at: number },
  lockId: string,
): Promise<void> {
  await db.insertInto('requirement_progress').values(row).execute();
  noteLockChanged(db, lockId);
}

/** All-time progress per (session, metric): what progress-based unlock requirements count. */
export async function sumProgress(db: Executor, sessionIds: string[]): Promise<Array<{ session_id: string; metric: string; total: number }>> {
  if (sessionIds.length === 0) return [];
  const rows = await db
    .selectFrom('requirement_progress')
    .select(['session_id', 'metric', (eb) => eb.fn.sum<number>('amount').as('total')])
    .where('session_id', 'in', sessionIds)
    .groupBy(['session_id', 'metric'])
    .execute();
  return rows.map((r) => ({ session_id: r.session_id, metric: r.metric, total: Number(r.total) }));
}

/** Progress for one metric that happened in [from, to). */
export async function sumProgressBetween(db: Executor, sessionId: string, metric: string, from: number, to: number): Promise<number> {
  const r = await db
    .selectFrom('requirement_progress')
    .select((eb) => eb.fn.sum<number>('amount').as('total'))
    .where('session_id', '=', sessionId)
    .where('metric', '=', metric)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .executeTakeFirst();
  return Number(r?.total ?? 0);
}
