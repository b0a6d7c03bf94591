import type { Executor } from './executor.js';

/**
 * Batched deletes of rows past their retention (services/retention.ts). Each removes at most
 * `limit` rows, chosen by a sub-select, so one call is one short statement however large the
 * backlog is; the caller repeats while a call comes back full.
 */

/** The tables whose rows end at a time in one column, and that column. */
const ENDS_AT = {
  idempotency_records: 'expires_at',
  user_sessions: 'expires_at',
  partner_configurations: 'expires_at',
  main_tokens: 'expires_at',
  penalty_periods: 'settled_at',
} as const;

/** At most `limit` rows of `table` whose end (its `ENDS_AT` column) is at or before `before`. */
async function deleteEndedBatch(db: Executor, table: keyof typeof ENDS_AT, before: number, limit: number): Promise<number> {
  // One statement shape for every table: Kysely cannot type a table chosen at run time, so it is named as one of them.
  const t = table as 'main_tokens';
  const column = ENDS_AT[table] as 'expires_at';
  const r = await db
    .deleteFrom(t)
    .where('id', 'in', (eb) => eb.selectFrom(t).select('id').where(column, '<=', before).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export const deleteExpiredIdempotencyBatch = (db: Executor, now: number, limit: number) => deleteEndedBatch(db, 'idempotency_records', now, limit);

export const deleteExpiredUserSessionBatch = (db: Executor, now: number, limit: number) => deleteEndedBatch(db, 'user_sessions', now, limit);

/** Configuration page tokens that expired (a page opened with one is told 404, as for an unknown token). */
export const deleteExpiredPartnerConfigurationBatch = (db: Executor, now: number, limit: number) => deleteEndedBatch(db, 'partner_configurations', now, limit);

/** Penalty periods settled before `before` (ongoing ones have no `settled_at`); a punishment stays in the lock's history. */
export const deleteSettledPenaltyPeriodBatch = (db: Executor, before: number, limit: number) => deleteEndedBatch(db, 'penalty_periods', before, limit);

/** Main tokens that expired before `before` (revoked ones too: a revoked token's expiry still comes). */
export const deleteExpiredMainTokenBatch = (db: Executor, before: number, limit: number) => deleteEndedBatch(db, 'main_tokens', before, limit);

/**
 * Finished webhook deliveries created before `beforeId` (ids are time-ordered) whose last attempt
 * is older than `attemptedBefore` too (an old delivery sent again stays readable); their attempts
 * go with them (ON DELETE CASCADE).
 */
export async function deleteOldWebhookDeliveryBatch(db: Executor, beforeId: string, attemptedBefore: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('id', '<', beforeId)
        .where('status', '!=', 'pending')
        .where((w) => w.or([w('last_attempt_at', 'is', null), w('last_attempt_at', '<', attemptedBefore)]))
        .orderBy('id')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Jobs that failed for good before `before` (kept a while for inspection, then dropped). */
export async function deleteFailedJobBatch(db: Executor, before: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where('id', 'in', (eb) => eb.selectFrom('jobs').select('id').where('failed_at', 'is not', null).where('failed_at', '<=', before).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
