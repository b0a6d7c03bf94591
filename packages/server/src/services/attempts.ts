import type { DialectName } from '../db/connect.js';
import { ApiError } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findAppById } from '../storage/extensionApps.js';
import { findExtensionSession } from '../storage/extensionSessions.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { findLockById } from '../storage/locks.js';
import { iso, type ServiceDeps } from './deps.js';
import { writeHistory } from './history.js';
import type { RegularActionService } from './regularActions.js';
import { mutateSessionRow } from './sessionRows.js';
import { emitWebhookEvent } from './webhookOutbox.js';

export interface AttemptLimitConfig {
  metric: string;
  durationSeconds: number;
  startPolicy: 'activity' | 'availability';
}

export interface Attempt {
  attemptId: string;
  status: 'active' | 'failed' | 'completed';
  startedAt: string;
  deadline: string;
  endedAt: string | null;
  automatic: boolean;
}

export const JOB_ATTEMPT_EXPIRE = 'attempt.expire';
export const JOB_ATTEMPT_AUTOSTART = 'attempt.autostart';

export function attemptConfigOf(session: ExtensionSessionRow, app: ExtensionAppRow): AttemptLimitConfig | null {
  const raw = (fromJson<{ attemptLimit?: unknown }>(session.config, {}).attemptLimit ?? app.attempt_limit) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object' || raw.enabled === false || typeof raw.metric !== 'string') return null;
  const durationSeconds = Number(raw.durationSeconds);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 7 * 86400) return null;
  return { metric: raw.metric, durationSeconds, startPolicy: raw.startPolicy === 'availability' ? 'availability' : 'activity' };
}

type Limits = Record<string, Attempt>;
const limitsOf = (row: ExtensionSessionRow): Limits => {
  const data = fromJson<Record<string, unknown>>(row.state, {});
  return (data.attemptLimits && typeof data.attemptLimits === 'object' ? data.attemptLimits : {}) as Limits;
};
const withLimits = (row: ExtensionSessionRow, limits: Limits) => ({
  state: toJson({ ...fromJson<Record<string, unknown>>(row.state, {}), attemptLimits: limits }),
  state_version: row.state_version + 1,
});

/**
 * Attempt time limits (spec 001, DECISIONS §7): the platform keeps `data.attemptLimits.<metric>`
 * in the session state, fails an attempt at its deadline (a job), and with `startPolicy:
 * availability` starts one whenever none runs and a regular action is available.
 */
export function createAttemptService({ db, clock, ids, dialect, regularActions }: ServiceDeps & { dialect: DialectName; regularActions: RegularActionService }) {
  const mutate = <T>(sessionId: string, fn: Parameters<typeof mutateSessionRow<T>>[4], tx?: Executor) => mutateSessionRow(db, dialect, clock, sessionId, fn, tx);

  function configOrThrow(session: ExtensionSessionRow, app: ExtensionAppRow, metric: string): AttemptLimitConfig {
    const cfg = attemptConfigOf(session, app);
    if (!cfg || cfg.metric !== metric) throw new ApiError('unknown_metric', `No attempt limit is configured for metric "${metric}"`);
    return cfg;
  }

  async function begin(t: Executor, row: ExtensionSessionRow, cfg: AttemptLimitConfig, attemptId: string, automatic: boolean, now: number) {
    const deadline = now + cfg.durationSeconds * 1000;
    const attempt: Attempt = { attemptId, status: 'active', startedAt: iso(now), deadline: iso(deadline), endedAt: null, automatic };
    await scheduleJob(t, { id: ids.objectId(), kind: JOB_ATTEMPT_EXPIRE, key: `attempt:${row.id}:${cfg.metric}`, runAt: deadline, payload: { sessionId: row.id, metric: cfg.metric, attemptId }, now });
    return attempt;
  }

  /**
   * An attempt becomes failed, with one history entry: past its deadline as of the deadline
   * (however it is noticed), or now when the backend verified a loss (`lost`).
   */
  async function recordFailure(t: Executor, row: ExtensionSessionRow, metric: string, current: Attempt, lost?: { reason: string | null }): Promise<Attempt> {
    const failed: Attempt = { ...current, status: 'failed', endedAt: lost ? iso(clock.now()) : current.deadline };
    const app = await findAppById(t, row.app_id);
    await cancelJob(t, `attempt:${row.id}:${metric}`);
    await writeHistory(t, ids, clock.now(), {
      lockId: row.lock_id,
      type: 'attempt_failed',
      role: 'extension',
      extensionSlug: app?.slug ?? null,
      title: lost ? `Attempt failed (${metric})` : `Attempt timed out (${metric})`,
      ...(lost?.reason ? { description: lost.reason } : {}),
      payload: { sessionId: row.id, metric, attemptId: current.attemptId, deadline: current.deadline, ...(lost ? { reason: lost.reason } : {}) },
    });
    await emitWebhookEvent(t, ids, clock.now(), 'attempt.failed', { session: row }, () => ({ metric, attempt: failed }));
    return failed;
  }

  /** With `availability`, start an attempt when none runs and an action is available; else wake up when one will be. */
  async function maybeAutoStart(t: Executor, sessionId: string) {
    const session = await findExtensionSession(t, sessionId);
    const app = session ? await findAppById(t, session.app_id) : undefined;
    const lock = session ? await findLockById(t, session.lock_id) : undefined;
    if (!session || !app || !lock || session.removed_at !== null || lock.status !== 'locked') return;
    const cfg = attemptConfigOf(session, app);
    if (!cfg || cfg.startPolicy !== 'availability') return;
    if (limitsOf(session)[cfg.metric]?.status === 'active') return;
    const a = regularActions.availabilityOf(session, app);
    const now = clock.now();
    if (a.remaining === 0) {
      if (a.nextActionAt !== null) {
        await scheduleJob(t, { id: ids.objectId(), kind: JOB_ATTEMPT_AUTOSTART, key: `attempt-auto:${session.id}`, runAt: a.nextActionAt, payload: { sessionId: session.id }, now });
      }
      return;
    }
    await mutate(
      session.id,
      async (row) => {
        const limits = limitsOf(row);
        if (limits[cfg.metric]?.status === 'active') return { patch: {}, result: null };
        const attempt = await begin(t, row, cfg, `auto-${ids.objectId()}`, true, now);
        return { patch: withLimits(row, { ...limits, [cfg.metric]: attempt }), result: null };
      },
      t,
    );
  }

  return {
    maybeAutoStart,

    async start(session: ExtensionSessionRow, app: ExtensionAppRow, body: { metric: string; attemptId: string }) {
      const cfg = configOrThrow(session, app, body.metric);
      return db.transaction().execute(async (tx) =>
        mutate(
          session.id,
          async (row) => {
            const now = clock.now();
            const limits = limitsOf(row);
            const current = limits[cfg.metric];
            // The same attempt id again is a retry, not a second attempt, whatever became of it.
            if (current?.attemptId === body.attemptId) return { patch: {}, result: { created: false, attempt: current } };
            if (current?.status === 'active' && Date.parse(current.deadline) > now) {
              throw new ApiError('attempt_active', `Attempt ${current.attemptId} is still running until ${current.deadline}`, { attempt: current });
            }
            // One that ran out but was not failed yet (the scheduler lags) is failed first, on record.
            if (current?.status === 'active') await recordFailure(tx, row, cfg.metric, current);
            const attempt = await begin(tx, row, cfg, body.attemptId, false, now);
            return { patch: withLimits(row, { ...limits, [cfg.metric]: attempt }), result: { created: true, attempt } };
          },
          tx,
        ),
      );
    },

    async failExpired(session: ExtensionSessionRow, app: ExtensionAppRow, body: { metric: string; attemptId: string }) {
      const cfg = configOrThrow(session, app, body.metric);
      type FailResult = { failed: boolean; remainingSeconds?: number; attempt: Attempt; changed: boolean };
      return db.transaction().execute(async (tx) => {
        const out = await mutate<FailResult>(
          session.id,
          async (row) => {
            const now = clock.now();
            const limits = limitsOf(row);
            const current = limits[cfg.metric];
            if (!current || current.attemptId !== body.attemptId) throw new ApiError('attempt_not_found', `No attempt ${body.attemptId} for ${cfg.metric}`);
            if (current.status === 'failed') return { patch: {}, result: { failed: true, attempt: current, changed: false } };
            if (current.status === 'completed') return { patch: {}, result: { failed: false, remainingSeconds: 0, attempt: current, changed: false } };
            const deadline = Date.parse(current.deadline);
            if (now < deadline) return { patch: {}, result: { failed: false, remainingSeconds: Math.ceil((deadline - now) / 1000), attempt: current, changed: false } };
            const failed = await recordFailure(tx, row, cfg.metric, current);
            return { patch: withLimits(row, { ...limits, [cfg.metric]: failed }), result: { failed: true, attempt: failed, changed: true } };
          },
          tx,
        );
        if (out.changed) await maybeAutoStart(tx, session.id);
        const { changed: _changed, ...rest } = out;
        return rest;
      });
    },

    /**
     * A verified loss ends the running attempt now, as failed (a latch addition to spec 001's
     * start and fail-expired). The same attempt again answers as before; one that already
     * completed cannot fail (409 `conflict`); one past its deadline fails as timed out.
     */
    async fail(session: ExtensionSessionRow, app: ExtensionAppRow, body: { metric: string; attemptId: string; reason?: string }) {
      const cfg = configOrThrow(session, app, body.metric);
      return db.transaction().execute(async (tx) => {
        const out = await mutate<{ attempt: Attempt; changed: boolean }>(
          session.id,
          async (row) => {
            const limits = limitsOf(row);
            const current = limits[cfg.metric];
            if (!current || current.attemptId !== body.attemptId) throw new ApiError('attempt_not_found', `No attempt ${body.attemptId} for ${cfg.metric}`);
            if (current.status === 'failed') return { patch: {}, result: { attempt: current, changed: false } };
            if (current.status === 'completed') throw new ApiError('conflict', `Attempt ${body.attemptId} was already completed (at ${current.endedAt})`, { attempt: current });
            const timedOut = Date.parse(current.deadline) <= clock.now();
            const failed = await recordFailure(tx, row, cfg.metric, current, timedOut ? undefined : { reason: body.reason ?? null });
            return { patch: withLimits(row, { ...limits, [cfg.metric]: failed }), result: { attempt: failed, changed: true } };
          },
          tx,
        );
        if (out.changed) await maybeAutoStart(tx, session.id);
        return { failed: true as const, attempt: out.attempt };
      });
    },

    /** Verified progress for the metric completes the running attempt. */
    async completeOnProgress(sessionId: string, metric: string) {
      await db.transaction().execute(async (tx) => {
        const done = await mutate(
          sessionId,
          async (row) => {
            const limits = limitsOf(row);
            const current = limits[metric];
            if (!current || current.status !== 'active') return { patch: {}, result: false };
            await cancelJob(tx, `attempt:${row.id}:${metric}`);
            return { patch: withLimits(row, { ...limits, [metric]: { ...current, status: 'completed', endedAt: iso(clock.now()) } }), result: true };
          },
          tx,
        );
        if (done) await maybeAutoStart(tx, sessionId);
      });
    },

    jobHandlers: {
      [JOB_ATTEMPT_EXPIRE]: async (job: { runAt: number; payload: Record<string, unknown> }, tx: Executor) => {
        const sessionId = String(job.payload.sessionId);
        const metric = String(job.payload.metric);
        const failed = await mutate(
          sessionId,
          async (row) => {
            const limits = limitsOf(row);
            const current = limits[metric];
            if (!current || current.attemptId !== job.payload.attemptId || current.status !== 'active' || Date.parse(current.deadline) > job.runAt) return { patch: {}, result: false };
            const next = await recordFailure(tx, row, metric, current);
            return { patch: withLimits(row, { ...limits, [metric]: next }), result: true };
          },
          tx,
        );
        if (failed) await maybeAutoStart(tx, sessionId);
      },
      [JOB_ATTEMPT_AUTOSTART]: async (job: { payload: Record<string, unknown> }, tx: Executor) => {
        await maybeAutoStart(tx, String(job.payload.sessionId));
      },
    },
  };
}

export type AttemptService = ReturnType<typeof createAttemptService>;
