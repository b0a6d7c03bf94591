import type { FastifyBaseLogger } from 'fastify';
import { objectIdFloor } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { ensureJob, findJobByKey, insertJob } from '../storage/jobs.js';
import {
  deleteExpiredIdempotencyBatch,
  deleteExpiredMainTokenBatch,
  deleteExpiredUserSessionBatch,
  deleteFailedJobBatch,
  deleteExpiredPartnerConfigurationBatch,
  deleteOldWebhookDeliveryBatch,
  deleteSettledPenaltyPeriodBatch,
} from '../storage/retention.js';
import type { ServiceDeps } from './deps.js';
import type { JobContext } from './scheduler.js';
import { WEBHOOK_LOG_RETENTION_MS } from './webhooks.js';

export const RETENTION_JOB_KIND = 'maintenance.retention';
/** One sweep job for the whole database: the unique key keeps it single across processes. */
export const RETENTION_JOB_KEY = 'maintenance:retention';
/** How often the sweep runs when there is no backlog. */
export const RETENTION_INTERVAL_MS = 3600_000;
/** At most this many rows per table in one run (one transaction); a full batch runs again at once. */
export const RETENTION_BATCH = 500;
/**
 * An expired main token is kept this long past its expiry, so a client holding it is told
 * `main_token_expired` (what to do: relaunch) rather than `invalid_main_token` for a week.
 */
export const MAIN_TOKEN_GRACE_MS = 7 * 86_400_000;
/** A job that failed for good stays readable (its `last_error`) this long. */
export const FAILED_JOB_RETENTION_MS = 30 * 86_400_000;
/**
 * A settled penalty period stays on the lock page this long (an hourly habit settles 24 a day);
 * a punished one is in the lock's history for good.
 */
export const PENALTY_PERIOD_RETENTION_MS = 30 * 86_400_000;

export type RetentionCounts = Record<'idempotencyRecords' | 'userSessions' | 'mainTokens' | 'partnerConfigurations' | 'webhookDeliveries' | 'failedJobs' | 'penaltyPeriods', number>;

export interface RetentionRun {
  removed: RetentionCounts;
  total: number;
  /** A table gave a full batch: the next run follows at once. */
  more: boolean;
}

/**
 * The retention sweep (docs/decisions.md, Retention): one recurring job on the scheduler removes
 * rows past their retention. Each run takes at most a batch per table inside the job's own
 * transaction and reschedules itself in that same transaction, exactly once: soon after, when a
 * batch came back full (a backlog is worked off in short transactions), else an interval later.
 */
export function createRetentionService(deps: ServiceDeps & { logger: FastifyBaseLogger; batchSize?: number }) {
  const { db, clock, ids, logger } = deps;
  const batch = deps.batchSize ?? RETENTION_BATCH;
  const totals: RetentionCounts = { idempotencyRecords: 0, userSessions: 0, mainTokens: 0, partnerConfigurations: 0, webhookDeliveries: 0, failedJobs: 0, penaltyPeriods: 0 };
  let runs = 0;

  async function sweep(tx: Executor, now: number): Promise<RetentionRun> {
    const removed: RetentionCounts = {
      idempotencyRecords: await deleteExpiredIdempotencyBatch(tx, now, batch),
      userSessions: await deleteExpiredUserSessionBatch(tx, now, batch),
      mainTokens: await deleteExpiredMainTokenBatch(tx, now - MAIN_TOKEN_GRACE_MS, batch),
      partnerConfigurations: await deleteExpiredPartnerConfigurationBatch(tx, now, batch),
      webhookDeliveries: await deleteOldWebhookDeliveryBatch(tx, objectIdFloor(now - WEBHOOK_LOG_RETENTION_MS), now - WEBHOOK_LOG_RETENTION_MS, batch),
      failedJobs: await deleteFailedJobBatch(tx, now - FAILED_JOB_RETENTION_MS, batch),
      penaltyPeriods: await deleteSettledPenaltyPeriodBatch(tx, now - PENALTY_PERIOD_RETENTION_MS, batch),
    };
    const counts = Object.values(removed);
    return { removed, total: counts.reduce((a, b) => a + b, 0), more: counts.some((n) => n >= batch) };
  }

  return {
    /**
     * Makes sure the sweep job exists (every server and worker calls this at start; the unique
     * key makes it one job). A sweep job that failed for good is revived.
     */
    async ensureScheduled(): Promise<void> {
      const now = clock.now();
      await ensureJob(db, { id: ids.objectId(), kind: RETENTION_JOB_KIND, key: RETENTION_JOB_KEY, runAt: now, payload: {}, now });
    },

    /** When the next sweep is due (null: not scheduled). */
    async nextRunAt(): Promise<number | null> {
      const job = await findJobByKey(db, RETENTION_JOB_KEY);
      return job ? Number(job.run_at) : null;
    },

    /** Rows removed since this process started, per table, and how many runs it made. */
    stats(): { runs: number; removed: RetentionCounts } {
      return { runs, removed: { ...totals } };
    },

    jobHandlers: {
      [RETENTION_JOB_KIND]: async (_job: JobContext, tx: Executor) => {
        const now = clock.now();
        const run = await sweep(tx, now);
        await insertJob(tx, { id: ids.objectId(), kind: RETENTION_JOB_KIND, key: RETENTION_JOB_KEY, runAt: run.more ? now : now + RETENTION_INTERVAL_MS, payload: {}, now });
        runs++;
        for (const [k, n] of Object.entries(run.removed)) totals[k as keyof RetentionCounts] += n;
        logger.info({ removed: run.removed, total: run.total, more: run.more }, 'retention sweep');
        return { removed: run.removed, total: run.total, more: run.more };
      },
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
