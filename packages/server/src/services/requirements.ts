import type { DialectName } from '../db/connect.js';
import { ApiError } from '../errors.js';
import { fromJson, int, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findAppById } from '../storage/extensionApps.js';
import { findExtensionSession } from '../storage/extensionSessions.js';
import { scheduleJob } from '../storage/jobs.js';
import { findLockById } from '../storage/locks.js';
import { insertRequirementProgress, sumProgressBetween } from '../storage/requirementProgress.js';
import { findEvaluatedWindow, insertWindowOnce, listWindows } from '../storage/requirementWindows.js';
import { iso, type ServiceDeps } from './deps.js';
import { writeHistory } from './history.js';
import { punishmentRefusal } from './lockActions.js';
import type { LockEngine } from './lockEngine.js';
import { writeNotification } from './notifications.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { evaluateWindows } from './requirementBatch.js';
import type { BatchJobHandler, JobContext } from './scheduler.js';
import { windowAt } from './windows.js';
import { FUTURE_TOLERANCE_MS, JOB_EVALUATE_WINDOW, missedWindowRecords, punishmentAction, requirementConfigOf, windowEvaluatedData, type AppliedPunishment, type RequirementConfig } from './requirementRules.js';

export function createRequirementService({ db, clock, ids, engine, dialect = 'sqlite' }: ServiceDeps & { engine: LockEngine; dialect?: DialectName }) {
  async function scheduleEvaluation(tx: Executor, session: ExtensionSessionRow, cfg: RequirementConfig, at: number) {
    const w = windowAt(cfg.cadence, session.created_at, at);
    await scheduleJob(tx, {
      id: ids.objectId(),
      kind: JOB_EVALUATE_WINDOW,
      key: `req:${session.id}`,
      runAt: w.end,
      payload: { sessionId: session.id, metric: cfg.metric, windowStart: w.start, windowEnd: w.end },
      now: clock.now(),
    });
  }

  return {
    /** Called when a session is created: the first window's evaluation goes on the schedule. */
    async onSessionCreated(tx: Executor, session: ExtensionSessionRow, app: ExtensionAppRow) {
      const cfg = requirementConfigOf(session, app);
      if (cfg) await scheduleEvaluation(tx, session, cfg, session.created_at);
    },

    /** Trusted progress; the metric must be one this session counts. */
    async record(session: ExtensionSessionRow, app: ExtensionAppRow, known: Set<string>, body: { metric: string; amount?: number; occurredAt?: string }) {
      const now = clock.now();
      const cfg = requirementConfigOf(session, app);
      if (cfg) known.add(cfg.metric);
      if (!known.has(body.metric)) throw new ApiError('unknown_metric', `Metric "${body.metric}" is not configured for this session`, { known: [...known] });
      const occurredAt = body.occurredAt ? Date.parse(body.occurredAt) : now;
      if (occurredAt > now + FUTURE_TOLERANCE_MS) {
        throw new ApiError('invalid_request', 'occurredAt may be at most 5 minutes in the future', [{ in: 'body', path: '/occurredAt', message: 'too far in the future' }]);
      }
      if (cfg && cfg.metric === body.metric) {
        const w = windowAt(cfg.cadence, session.created_at, occurredAt);
        if (await findEvaluatedWindow(db, session.id, cfg.metric, w.start)) {
          throw new ApiError('window_closed', `The window ${iso(w.start)} – ${iso(w.end)} was already evaluated`, { windowStart: iso(w.start), windowEnd: iso(w.end) });
        }
      }
      const amount = body.amount ?? 1;
      await insertRequirementProgress(db, { id: ids.objectId(), session_id: session.id, metric: body.metric, amount, occurred_at: occurredAt, created_at: now }, session.lock_id);
      let window = null;
      if (cfg && cfg.metric === body.metric) {
        const w = windowAt(cfg.cadence, session.created_at, occurredAt);
        const count = await sumProgressBetween(db, session.id, cfg.metric, w.start, w.end);
        window = { start: iso(w.start), end: iso(w.end), count, requiredCount: cfg.requiredCount, satisfied: count >= cfg.requiredCount };
      }
      return { amount, occurredAt, window };
    },

    async windows(session: ExtensionSessionRow, app: ExtensionAppRow) {
      const cfg = requirementConfigOf(session, app);
      if (!cfg) return null;
      const now = clock.now();
      const w = windowAt(cfg.cadence, session.created_at, now);
      const count = await sumProgressBetween(db, session.id, cfg.metric, w.start, w.end);
      return {
        metric: cfg.metric,
        requiredCount: cfg.requiredCount,
        cadence: cfg.cadence,
        punishment: cfg.punishment,
        current: { start: iso(w.start), end: iso(w.end), count, satisfied: count >= cfg.requiredCount, partial: w.start < session.created_at },
        evaluated: (await listWindows(db, session.id, 20)).map((r) => ({
          start: iso(r.window_start),
          end: iso(r.window_end),
          count: r.count,
          requiredCount: r.required_count,
          partial: r.partial === 1,
          punished: r.punished === 1,
          punishment: fromJson(r.punishment, null),
        })),
      };
    },

    jobHandlers: {
      [JOB_EVALUATE_WINDOW]: {
        /** Many due windows in one transaction: the same effects as `one` for each, written set-based. */
        batch: (jobs: JobContext[], tx: Executor) => evaluateWindows({ clock, ids, engine, dialect }, jobs, tx),
        one: async (job: { runAt: number; payload: Record<string, unknown> }, tx: Executor) => {
        const session = await findExtensionSession(tx, String(job.payload.sessionId));
        if (!session || session.removed_at !== null) return;
        const lock = await findLockById(tx, session.lock_id);
        const app = await findAppById(tx, session.app_id);
        if (!lock || !app || lock.status !== 'locked') return;
        const cfg = requirementConfigOf(session, app);
        if (!cfg) return;
        const start = Number(job.payload.windowStart);
        const end = Number(job.payload.windowEnd);
        const now = clock.now();
        const count = await sumProgressBetween(tx, session.id, cfg.metric, start, end);
        const partial = start < session.created_at;
        const missed = !partial && count < cfg.requiredCount;
        const action = missed ? punishmentAction(cfg.punishment) : null;
        let applied: AppliedPunishment | null = null;
        const fresh = await insertWindowOnce(tx, {
          id: ids.objectId(),
          session_id: session.id,
          metric: cfg.metric,
          window_start: start,
          window_end: end,
          required_count: cfg.requiredCount,
          count,
          partial: int(partial),
          punished: int(!!action),
          punishment: action ? toJson(action) : null,
          evaluated_at: now,
        });
        if (fresh && missed) {
          if (action) {
            const refused = await punishmentRefusal(() => engine.actionIn(tx, lock.id, { role: 'extension', extensionSlug: app.slug }, action.name, action.params));
            applied = refused ? { ...action, refused } : action;
          }
          const records = missedWindowRecords({ lock, sessionId: session.id, extensionSlug: app.slug, cfg, start, end, count, applied });
          await writeHistory(tx, ids, now, records.history);
          await writeNotification(tx, ids, now, records.notification);
        }
        if (fresh) {
          await emitWebhookEvent(tx, ids, now, 'requirement.window_evaluated', { session }, () =>
            windowEvaluatedData({ metric: cfg.metric, start, end, count, requiredCount: cfg.requiredCount, partial, applied }),
          );
        }
        await scheduleEvaluation(tx, session, cfg, end);
        },
      } satisfies BatchJobHandler,
    },
  };
}

export type RequirementService = ReturnType<typeof createRequirementService>;
