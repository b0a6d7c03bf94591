import { ApiError } from '../errors.js';
import { fromJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import { iso } from './deps.js';
import type { HistoryInput } from './history.js';
import type { ActionName } from './lockActions.js';
import type { NotificationInput } from './notifications.js';
import { isTimezone, type Cadence } from './windows.js';

/** Requirement rules without storage: config parsing, punishments, a window's evaluated data (DECISIONS §7). */
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
  const raw = fromJson<{ extensionRequirements?: unknown }>(session.config, {}).extensionRequirements ?? app.extension_requirements;
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

/** What a missed window records, the same from the one-job and the batched path: a history entry and the wearer's notification. */
export function missedWindowRecords(w: {
  lock: { id: string; wearer_id: string };
  sessionId: string;
  extensionSlug: string;
  cfg: RequirementConfig;
  start: number;
  end: number;
  count: number;
  applied: AppliedPunishment | null;
}): { history: HistoryInput; notification: NotificationInput } {
  const { lock, sessionId, extensionSlug, cfg, applied } = w;
  const title = `Missed ${cfg.metric}: ${w.count} of ${cfg.requiredCount}`;
  return {
    history: {
      lockId: lock.id,
      type: 'requirement_missed',
      role: 'extension',
      extensionSlug,
      title,
      description: cfg.punishment.reason ?? '',
      payload: { sessionId, metric: cfg.metric, windowStart: iso(w.start), windowEnd: iso(w.end), count: w.count, requiredCount: cfg.requiredCount, punishment: applied },
    },
    notification: {
      userId: lock.wearer_id,
      lockId: lock.id,
      type: 'requirement_missed',
      title,
      message: applied && !applied.refused ? `Punishment: ${applied.name.replace('_', ' ')}` : 'No punishment applied',
      payload: { sessionId, extensionSlug, metric: cfg.metric },
    },
  };
}

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
