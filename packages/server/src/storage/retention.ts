import type { Executor } from './executor.js';

/**
 * Batched deletes of rows past their retention (services/retention.ts). Each removes at most
 * `limit` rows, chosen by a sub-select, so one call is one short statement however large the
 * backlog is; the caller repeats while a call comes back full.
 */

export async function deleteExpiredIdempotencyBatch(db: Executor, now: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_records')
    .where('id', 'in', (eb) => eb.selectFrom('idempotency_records').select('id').where('expires_at', '<=', now).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredUserSessionBatch(db: Executor, now: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('user_sessions')
    .where('id', 'in', (eb) => eb.selectFrom('user_sessions').select('id').where('expires_at', '<=', now).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Configuration page tokens that expired (a page opened with one is told 404, as for an unknown token). */
export async function deleteExpiredPartnerConfigurationBatch(db: Executor, now: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('partner_configurations')
    .where('id', 'in', (eb) => eb.selectFrom('partner_configurations').select('id').where('expires_at', '<=', now).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Penalty periods settled before `before` (ongoing ones have no `settled_at`); a punishment stays in the lock's history. */
export async function deleteSettledPenaltyPeriodBatch(db: Executor, before: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('penalty_periods')
    .where('id', 'in', (eb) => eb.selectFrom('penalty_periods').select('id').where('settled_at', '<=', before).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Main tokens that expired before `before` (revoked ones too: a revoked token's expiry still comes). */
export async function deleteExpiredMainTokenBatch(db: Executor, before: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('main_tokens')
    .where('id', 'in', (eb) => eb.selectFrom('main_tokens').select('id').where('expires_at', '<=', before).limit(limit))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

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
