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
import type { LockEngine } from './lockEngine.js';
import type { ActionName } from './lockActions.js';
import { writeNotification } from './notifications.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { evaluateWindows } from './requirementBatch.js';
import type { BatchJobHandler, JobContext } from './scheduler.js';
import { isTimezone, windowAt, type Cadence } from './windows.js';

export interface Punishment {
  type: 'none' | 'add_time' | 'freeze' | 'pillory';
  seconds?: number;
  durationSeconds?: number;
  reason?: string;
}

export interface RequirementConfig {
  metric: string;
  requiredCount: number;
  cadence: Cadence;
  punishment: Punishment;
}

export const JOB_EVALUATE_WINDOW = 'requirement.evaluate';
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** A progress-based unlock requirement as stored in a session's metadata. */
export interface UnlockRequirement {
  metric: string;
  requiredCount: number;
  blocker?: string;
}

export const UNLOCK_REQUIREMENT_LIMITS = {
  entries: 20,
  /** The progress route's metric rule (`ProgressBody.metric`): 1–64 characters. */
  metricLength: 64,
  requiredCount: [1, 100_000],
  blockerLength: 200,
} as const;

/**
 * The installed config's `unlockRequirements`, which replace the app's
 * `initialMetadata.unlockRequirements` for that lock's session; undefined when the config does
 * not name the key. Anything malformed is 400 `invalid_request` naming the field, with
 * `pointer` the JSON pointer of the config in the request (e.g. `/extensions/0/config`).
 */
export function configUnlockRequirements(config: Record<string, unknown>, pointer: string, label: string): UnlockRequirement[] | undefined {
  if (!Object.prototype.hasOwnProperty.call(config, 'unlockRequirements')) return undefined;
  const raw = config.unlockRequirements;
  const L = UNLOCK_REQUIREMENT_LIMITS;
  const fail = (field: string, path: string, message: string): never => {
    throw new ApiError('invalid_request', `${label}: unlockRequirements${field} ${message}`, [{ in: 'body', path: `${pointer}/unlockRequirements${path}`, message }]);
  };
  if (!Array.isArray(raw)) return fail('', '', 'must be an array of {metric, requiredCount, blocker?}');
  if (raw.length > L.entries) fail('', '', `must have at most ${L.entries} entries`);
  const seen = new Set<string>();
  return raw.map((entry: unknown, i): UnlockRequirement => {
    const at = (key?: string) => [`[${i}]${key ? `.${key}` : ''}`, `/${i}${key ? `/${key}` : ''}`] as const;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return fail(...at(), 'must be an object {metric, requiredCount, blocker?}');
    const { metric, requiredCount, blocker } = entry as Record<string, unknown>;
    if (typeof metric !== 'string' || metric.length < 1 || metric.length > L.metricLength) fail(...at('metric'), `must be a string of 1 to ${L.metricLength} characters`);
    if (seen.has(metric as string)) fail(...at('metric'), `repeats the metric "${metric as string}" (each metric once)`);
    seen.add(metric as string);
    if (typeof requiredCount !== 'number' || !Number.isInteger(requiredCount) || requiredCount < L.requiredCount[0] || requiredCount > L.requiredCount[1]) {
      fail(...at('requiredCount'), `must be an integer from ${L.requiredCount[0]} to ${L.requiredCount[1]}`);
    }
    if (blocker !== undefined && (typeof blocker !== 'string' || blocker.length > L.blockerLength)) fail(...at('blocker'), `must be a string of at most ${L.blockerLength} characters`);
    return { metric: metric as string, requiredCount: requiredCount as number, ...(blocker ? { blocker: blocker as string } : {}) };
  });
}

/** `extensionRequirements` from the installed config, else the app's default (spec 001). */
export function requirementConfigOf(session: ExtensionSessionRow, app: ExtensionAppRow): RequirementConfig | null {
  const raw = fromJson<{ extensionRequirements?: unknown }>(session.config, {}).extensionRequirements ?? fromJson(app.extension_requirements, null);
  return parseRequirementConfig(raw);
}

export function parseRequirementConfig(raw: unknown): RequirementConfig | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (r.enabled === false) return null;
  if (typeof r.metric !== 'string' || !r.metric) return null;
  const requiredCount = Number(r.requiredCount ?? 1);
  const c = (r.cadence ?? {}) as Record<string, unknown>;
  const unit = c.unit === 'week' ? 'week' : c.unit === 'day' || c.unit === undefined ? 'day' : null;
  const every = Number(c.every ?? 1);
  const timezone = typeof c.timezone === 'string' ? c.timezone : 'UTC';
  if (!unit || !Number.isInteger(every) || every < 1 || every > 52 || !Number.isInteger(requiredCount) || requiredCount < 1 || !isTimezone(timezone)) return null;
  const p = (r.punishment ?? { type: 'none' }) as Record<string, unknown>;
  const type = ['none', 'add_time', 'freeze', 'pillory'].includes(String(p.type)) ? (p.type as Punishment['type']) : 'none';
  return {
    metric: r.metric,
    requiredCount,
    cadence: { every, unit, timezone },
    punishment: {
      type,
      ...(typeof p.seconds === 'number' ? { seconds: p.seconds } : {}),
      ...(typeof p.durationSeconds === 'number' ? { durationSeconds: p.durationSeconds } : {}),
      ...(typeof p.reason === 'string' ? { reason: p.reason } : {}),
    },
  };
}

/** The lock action a missed window applies. */
export function punishmentAction(p: Punishment): { name: ActionName; params: unknown } | null {
  switch (p.type) {
    case 'add_time':
      return { name: 'add_time', params: Math.max(1, Math.round(p.seconds ?? p.durationSeconds ?? 3600)) };
    case 'freeze':
      return { name: 'freeze', params: { durationSeconds: Math.round(p.durationSeconds ?? p.seconds ?? 3600) } };
    case 'pillory':
      return { name: 'pillory', params: { durationSeconds: Math.round(p.durationSeconds ?? p.seconds ?? 3600), reason: p.reason ?? 'Extension requirement missed' } };
    default:
      return null;
  }
}

/** A punishment as applied to a missed window (`refused`: the engine's code when it could not apply). */
export type AppliedPunishment = { name: string; params: unknown; refused?: string };

/** The `requirement.window_evaluated` webhook's data, the same from the one-job and the batched path. */
export function windowEvaluatedData(w: { metric: string; start: number; end: number; count: number; requiredCount: number; partial: boolean; applied: AppliedPunishment | null }) {
  return {
    window: {
      metric: w.metric,
      start: iso(w.start),
      end: iso(w.end),
      count: w.count,
      requiredCount: w.requiredCount,
      satisfied: w.count >= w.requiredCount,
      // The window the session started in is never punished.
      partial: w.partial,
      punished: !!w.applied && !w.applied.refused,
      punishment: w.applied,
    },
  };
}

/**
 * Required progress per day/week (spec 001, DECISIONS §7): windows evaluated exactly once by
 * the scheduler after they end, the first partial window never punished, a miss punished,
 * logged and notified in the same transaction as the window's guard row.
 */
export function createRequirementService({ db, clock, ids, engine, dialect = 'sqlite' }: ServiceDeps & { engine: LockEngine; dialect?: 'sqlite' | 'postgres' }) {
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
            try {
              await engine.actionIn(tx, lock.id, { role: 'extension', extensionSlug: app.slug }, action.name, action.params);
              applied = action;
            } catch (err) {
              // A punishment the lock cannot take now (already in the pillory…) is recorded, not retried forever.
              if (!(err instanceof ApiError)) throw err;
              applied = { ...action, refused: err.code };
            }
          }
          const title = `Missed ${cfg.metric}: ${count} of ${cfg.requiredCount}`;
          await writeHistory(tx, ids, now, {
            lockId: lock.id,
            type: 'requirement_missed',
            role: 'extension',
            extensionSlug: app.slug,
            title,
            description: cfg.punishment.reason ?? '',
            payload: { sessionId: session.id, metric: cfg.metric, windowStart: iso(start), windowEnd: iso(end), count, requiredCount: cfg.requiredCount, punishment: applied },
          });
          await writeNotification(tx, ids, now, {
            userId: lock.wearer_id,
            lockId: lock.id,
            type: 'requirement_missed',
            title,
            message: applied && !applied.refused ? `Punishment: ${applied.name.replace('_', ' ')}` : 'No punishment applied',
            payload: { sessionId: session.id, extensionSlug: app.slug, metric: cfg.metric },
          });
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
