import type { DialectName } from '../db/connect.js';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { JobRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { deleteClaimedJobs } from '../storage/bulk.js';
import { claimDueJobs, deleteClaimedJob, nextDueTime, releaseFailedJob, renewJobLease } from '../storage/jobs.js';

export interface JobContext {
  id: string;
  kind: string;
  key: string;
  /** When the job was due: effects use this, not the processing time (a late run must not stretch a freeze). */
  runAt: number;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * A handler applies its effect inside `tx`, the same transaction that removes the job: exactly
 * once. What it returns (a count, say) is reported with the job in `RanJob.result`.
 */
export type JobHandler = (job: JobContext, tx: Executor) => Promise<void | Record<string, unknown>>;

/**
 * A job whose effect is outside the database (a webhook's HTTP request): `send` runs outside
 * any transaction, while this worker holds the job's lease (renewed just before, and the job is
 * dropped when another worker took it over), then `record` commits the outcome together with
 * the job's removal. One claim, one send: two workers never send the same attempt, unless a
 * lease runs out mid-send (the lease must outlast `send`).
 */
export interface ExternalJobHandler<T = unknown> {
  send(job: JobContext): Promise<T>;
  record(job: JobContext, tx: Executor, outcome: T): Promise<void>;
}

/**
 * A kind run set-based: `batch` applies the effects of many due jobs of this kind (in time order)
 * inside one transaction, the one that removes them, so the batch commits whole or not at all;
 * `one` is the same effect for a single job (the path a batch falls back to when it fails, job by
 * job with the usual retries, and for a batch of one).
 */
export interface BatchJobHandler {
  batch(jobs: JobContext[], tx: Executor): Promise<void>;
  one: JobHandler;
}

type AnyHandler = JobHandler | ExternalJobHandler | BatchJobHandler;

const isExternal = (h: AnyHandler | undefined): h is ExternalJobHandler => !!h && typeof h === 'object' && 'send' in h;
const isBatch = (h: AnyHandler | undefined): h is BatchJobHandler => !!h && typeof h === 'object' && 'batch' in h;

/** How many external jobs (HTTP requests) of one batch run at once. */
const EXTERNAL_CONCURRENCY = 8;

export interface SchedulerDeps {
  db: Executor;
  clock: Clock;
  dialect: DialectName;
  logger: FastifyBaseLogger;
  handlers: Record<string, AnyHandler>;
  workerId?: string;
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
  /** Jobs of a batch kind run per transaction, and the claim size while all due jobs are of batch kinds (default 500; 1 = every job alone, as other kinds). */
  bulkBatchSize?: number;
}

export interface RanJob {
  id: string;
  kind: string;
  key: string;
  runAt: string;
  outcome: 'done' | 'retry' | 'failed' | 'lost';
  /** What the handler reported (e.g. rows removed by the retention sweep). */
  result?: Record<string, unknown>;
}

class LeaseLost extends Error {}

/** Exponential backoff, 2 s … 10 min. */
export const backoffMs = (attempts: number) => Math.min(600_000, 2000 * 2 ** Math.max(0, attempts - 1));

/**
 * The durable scheduler over the jobs table (DECISIONS §8): claims are atomic leases, effects
 * commit together with the job's removal, failures retry with backoff, and a crashed worker's
 * lease expires so another worker finishes the job.
 */
export function createScheduler(deps: SchedulerDeps) {
  const workerId = deps.workerId ?? `w_${randomBytes(6).toString('hex')}`;
  const leaseMs = deps.leaseMs ?? 60_000;
  const batchSize = deps.batchSize ?? 50;
  const grouping = (deps.bulkBatchSize ?? 500) > 1;
  const bulkBatchSize = Math.max(batchSize, deps.bulkBatchSize ?? 500);
  let timer: NodeJS.Timeout | null = null;
  // A poll tick while a batch runs is skipped, not queued: a long drain would otherwise leave a
  // tick per poll interval waiting behind it, which a shutdown then has to sit through.
  let polling = false;
  // Set by stop(): a drain finishes the batch it claimed and claims no more.
  let stopping = false;
  // One batch at a time per process: the poller and the virtual clock never interleave.
  let running: Promise<unknown> = Promise.resolve();
  // Told about every job run (metrics: throughput and lag per kind).
  const observers = new Set<(ran: RanJob[]) => void>();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = running.then(fn, fn);
    running = next.catch(() => undefined);
    return next;
  };

  const contextOf = (job: JobRow): JobContext => ({
    id: job.id,
    kind: job.kind,
    key: job.key,
    runAt: Number(job.run_at),
    payload: JSON.parse(job.payload || '{}') as Record<string, unknown>,
    attempts: job.attempts,
  });
  const ranOf = (job: JobRow) => ({ id: job.id, kind: job.kind, key: job.key, runAt: new Date(Number(job.run_at)).toISOString() });

  async function runOne(job: JobRow): Promise<RanJob> {
    const ctx = contextOf(job);
    const ran = ranOf(job);
    const registered = deps.handlers[job.kind];
    const handler = isBatch(registered) ? registered.one : registered;
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      if (isExternal(handler)) {
        // Still ours? Then it stays ours for a full lease while the outside effect runs.
        if (!(await renewJobLease(deps.db, job.id, workerId, deps.clock.now() + leaseMs))) throw new LeaseLost();
        const outcome = await handler.send(ctx);
        await deps.db.transaction().execute(async (tx) => {
          if (!(await deleteClaimedJob(tx, job.id, workerId))) throw new LeaseLost();
          await handler.record(ctx, tx, outcome);
        });
      } else {
        const result = await deps.db.transaction().execute(async (tx) => {
          if (!(await deleteClaimedJob(tx, job.id, workerId))) throw new LeaseLost();
          return handler(ctx, tx);
        });
        if (result) return { ...ran, outcome: 'done', result };
      }
      return { ...ran, outcome: 'done' };
    } catch (err) {
      if (err instanceof LeaseLost) return { ...ran, outcome: 'lost' };
      const now = deps.clock.now();
      const retryAt = job.attempts >= job.max_attempts ? null : now + backoffMs(job.attempts);
      deps.logger.error({ err, job: ran, attempts: job.attempts }, retryAt === null ? 'job failed for good' : 'job failed; will retry');
      await releaseFailedJob(deps.db, job, workerId, err instanceof Error ? err.message : String(err), retryAt, now);
      return { ...ran, outcome: retryAt === null ? 'failed' : 'retry' };
    }
  }

  /**
   * Consecutive claimed jobs of one batch kind, set-based: one transaction removes those this
   * worker still holds and applies all their effects. Should the batch fail, it rolls back whole
   * and its jobs run one by one (each with its own retries), so one bad job cannot hold up the rest.
   */
  async function runGroup(jobs: JobRow[], handler: BatchJobHandler): Promise<RanJob[]> {
    if (jobs.length === 1) return [await runOne(jobs[0]!)];
    try {
      const mine = await deps.db.transaction().execute(async (tx) => {
        const held = await deleteClaimedJobs(tx, jobs.map((j) => j.id), workerId);
        await handler.batch(jobs.filter((j) => held.has(j.id)).map(contextOf), tx);
        return held;
      });
      return jobs.map((j) => ({ ...ranOf(j), outcome: mine.has(j.id) ? 'done' : 'lost' }));
    } catch (err) {
      deps.logger.warn({ err, kind: jobs[0]!.kind, jobs: jobs.length }, 'job batch failed; running its jobs one by one');
      const out: RanJob[] = [];
      for (const job of jobs) out.push(await runOne(job));
      return out;
    }
  }

  /** Runs every job due now (batch after batch), in time order. */
  async function drain(): Promise<RanJob[]> {
    const ran: RanJob[] = [];
    // A claim as large as bulkBatchSize only while the due jobs are all of batch kinds.
    let limit = batchSize;
    for (;;) {
      if (stopping) return ran;
      const batch = await claimDueJobs(deps.db, deps.dialect, { workerId, now: deps.clock.now(), leaseMs, limit });
      if (batch.length === 0) return ran;
      // Database jobs in time order: runs of one batch kind together, the others one by one;
      // outside effects (HTTP) after them, several at once, so one slow receiver does not hold up
      // the rest of the batch.
      const external = batch.filter((j) => isExternal(deps.handlers[j.kind]));
      const done: RanJob[] = [];
      for (let i = 0; i < batch.length; ) {
        const job = batch[i]!;
        const handler = deps.handlers[job.kind];
        let end = i + 1;
        if (grouping && isBatch(handler)) {
          while (end < batch.length && batch[end]!.kind === job.kind && end - i < bulkBatchSize) end++;
          done.push(...(await runGroup(batch.slice(i, end), handler)));
        } else if (!isExternal(handler)) done.push(await runOne(job));
        i = end;
      }
      done.push(...(await inParallel(external, EXTERNAL_CONCURRENCY, runOne)));
      for (const observe of observers) observe(done);
      ran.push(...done);
      if (batch.length < limit) return ran;
      limit = grouping && batch.every((j) => isBatch(deps.handlers[j.kind])) ? bulkBatchSize : batchSize;
    }
  }

  return {
    workerId,
    runDue: () => exclusive(drain),
    /** Calls `fn` with each batch of jobs run (by the poller, `runDue` or `advance`); returns the unsubscribe. */
    observe(fn: (ran: RanJob[]) => void): () => void {
      observers.add(fn);
      return () => observers.delete(fn);
    },

    /**
     * The sandbox's fast-forward: steps the virtual clock from due job to due job so each runs
     * at its own time, in order, then lands on the target.
     */
    async advance(clock: Clock & { advance(ms: number): number }, ms: number): Promise<RanJob[]> {
      return exclusive(async () => {
        const target = clock.now() + ms;
        const ran: RanJob[] = [...(await drain())];
        for (;;) {
          const t = await nextDueTime(deps.db, target);
          if (t === null) break;
          if (t > clock.now()) clock.advance(t - clock.now());
          const batch = await drain();
          ran.push(...batch);
          // A job that keeps failing is re-scheduled later: stop stepping once nothing ran.
          if (batch.length === 0 && t <= clock.now()) break;
        }
        if (target > clock.now()) clock.advance(target - clock.now());
        ran.push(...(await drain()));
        return ran;
      });
    },

    start(pollMs = deps.pollMs ?? 1000) {
      if (timer) return;
      stopping = false;
      timer = setInterval(() => {
        if (polling) return;
        polling = true;
        void exclusive(drain)
          .catch((err) => deps.logger.error({ err }, 'scheduler poll failed'))
          .finally(() => {
            polling = false;
          });
      }, pollMs);
      timer.unref();
    },

    /** Stops polling and waits for the batch in hand only: unclaimed due jobs stay for the next worker. */
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

/** `fn` over `items` with at most `limit` running at once; results in input order. */
async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
