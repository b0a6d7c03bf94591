import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { LockSettingsInput } from '@latch/protocol';
import { ApiError } from '../errors.js';

export { ACTION_NAMES, isActionName, type ActionName } from '@latch/protocol';

export const FREEZE_DEFAULT_SECONDS = 3600;
export const FREEZE_RANGE = [60, 86400] as const;
export const PILLORY_RANGE = [60, 604800] as const;
export const HYGIENIC_RANGE = [60, 86400] as const;
export const TASK_DURATION_RANGE = [60, 86400] as const;
const MAX_TIME_CHANGE = 10 * 365 * 86400;

const bad = (message: string, details?: unknown) => new ApiError('invalid_params', message, details);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function intIn(value: unknown, [min, max]: readonly [number, number], name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw bad(`${name} must be an integer from ${min} to ${max}`, { param: name, min, max });
  }
  return value;
}

/** `add_time`/`remove_time`: an integer, or `{seconds}` / `{deltaSeconds}`. */
/**
 * Applies an automatic punishment (a missed requirement window, a penalty) through `apply`: null
 * when it was applied, else the engine's code when the lock cannot take it now (already in the
 * pillory, pillory off…), which is recorded, not retried forever.
 */
export async function punishmentRefusal(apply: () => unknown): Promise<string | null> {
  try {
    await apply();
    return null;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err.code;
  }
}

export function parseSeconds(params: unknown): number {
  const raw = isObject(params) ? (params.seconds ?? params.deltaSeconds) : params;
  return intIn(raw, [1, MAX_TIME_CHANGE], 'seconds');
}

/** Optional `{durationSeconds}` in a range, with a default. */
export function parseOptionalDuration(params: unknown, range: readonly [number, number], fallback: number): number {
  if (params === undefined || params === null) return fallback;
  if (!isObject(params)) throw bad('params must be an object');
  if (params.durationSeconds === undefined || params.durationSeconds === null) return fallback;
  return intIn(params.durationSeconds, range, 'durationSeconds');
}

/**
 * `freeze`'s params: `{durationSeconds}` (default 1 h), or `{untilUnfrozen: true}` for a freeze
 * with no end (Chaster's `freeze`): null.
 */
export function parseFreezeSeconds(params: unknown): number | null {
  if (isObject(params) && params.untilUnfrozen !== undefined) {
    if (params.untilUnfrozen !== true) throw bad('untilUnfrozen must be true when given', { param: 'untilUnfrozen' });
    if (params.durationSeconds !== undefined) throw bad('Send durationSeconds or untilUnfrozen, not both', { param: 'untilUnfrozen' });
    return null;
  }
  return parseOptionalDuration(params, FREEZE_RANGE, FREEZE_DEFAULT_SECONDS);
}

export function parsePillory(params: unknown): { durationSeconds: number; reason: string | null } {
  if (!isObject(params)) throw bad('pillory needs params {durationSeconds, reason?}');
  const durationSeconds = intIn(params.durationSeconds, PILLORY_RANGE, 'durationSeconds');
  if (params.reason !== undefined && params.reason !== null && (typeof params.reason !== 'string' || params.reason.length > 500)) {
    throw bad('reason must be a string of at most 500 characters');
  }
  return { durationSeconds, reason: (params.reason as string | undefined) ?? null };
}

export interface TaskAssignment {
  text: string;
  points: number;
  verificationRequired: boolean;
  durationSeconds: number;
  actor: 'wearer' | 'keyholder' | 'extension' | null;
}

function taskDuration(seconds: unknown, name: string): number {
  if (seconds === undefined || seconds === null || seconds === 0) return 0;
  return intIn(seconds, TASK_DURATION_RANGE, name);
}

/**
 * `task.assign` in all three shapes the docs use (DECISIONS §5):
 * `{taskText, points, verificationRequired, durationSeconds}`, `{taskText, points, durationMinutes, actor}`
 * and Chaster's `{task:{task, points, verificationRequired, duration}, actor}`.
 */
export function parseTaskAssignment(params: unknown): TaskAssignment {
  if (!isObject(params)) throw bad('task.assign needs params with taskText (or Chaster’s {task:{task,…}})');
  const chaster = isObject(params.task) ? params.task : null;
  const text = chaster ? chaster.task : params.taskText;
  if (typeof text !== 'string' || text.trim() === '' || text.length > 2000) throw bad('taskText must be a non-empty string of at most 2000 characters');
  const rawPoints = chaster ? chaster.points : params.points;
  if (rawPoints !== undefined && (typeof rawPoints !== 'number' || !Number.isFinite(rawPoints))) throw bad('points must be a number');
  const points = Math.min(100, Math.max(0, Math.round((rawPoints as number | undefined) ?? 0)));
  const verification = chaster ? chaster.verificationRequired : params.verificationRequired;
  if (verification !== undefined && typeof verification !== 'boolean') throw bad('verificationRequired must be a boolean');
  let durationSeconds: number;
  if (chaster) durationSeconds = taskDuration(chaster.duration, 'duration');
  else if (params.durationMinutes !== undefined && params.durationMinutes !== null) {
    if (typeof params.durationMinutes !== 'number' || !Number.isInteger(params.durationMinutes)) throw bad('durationMinutes must be an integer');
    durationSeconds = taskDuration(params.durationMinutes * 60, 'durationMinutes');
  } else durationSeconds = taskDuration(params.durationSeconds, 'durationSeconds');
  const actor = params.actor;
  if (actor !== undefined && actor !== 'wearer' && actor !== 'keyholder' && actor !== 'extension') throw bad('actor must be wearer, keyholder or extension');
  return { text, points, verificationRequired: verification === true, durationSeconds, actor: (actor as TaskAssignment['actor']) ?? null };
}

/** `task.complete`: `{successful}` (Chastify) or `{isCompleted}` (Chaster), `reason?`. */
export function parseTaskCompletion(params: unknown): { successful: boolean; reason: string | null } {
  if (!isObject(params)) throw bad('task.complete needs params {successful} or {isCompleted}');
  const v = params.successful ?? params.isCompleted;
  if (typeof v !== 'boolean') throw bad('successful (or isCompleted) must be a boolean');
  if (params.reason !== undefined && params.reason !== null && (typeof params.reason !== 'string' || params.reason.length > 500)) throw bad('reason must be a string of at most 500 characters');
  return { successful: v, reason: (params.reason as string | undefined) ?? null };
}

/** Keys `settings.patch` may change; `trustExternalPrograms` is the keyholder's alone (first-party only). */
const SettingsPatch = Type.Composite([Type.Omit(LockSettingsInput, ['trustExternalPrograms']), Type.Object({ hiddenTimer: Type.Optional(Type.Boolean()) })], { additionalProperties: false });
const FirstPartySettingsPatch = Type.Composite([LockSettingsInput, Type.Object({ hiddenTimer: Type.Optional(Type.Boolean()) })], { additionalProperties: false });

export type SettingsPatchInput = LockSettingsInput & { hiddenTimer?: boolean };

export function parseSettingsPatch(params: unknown, allowTrust: boolean): SettingsPatchInput {
  const schema = allowTrust ? FirstPartySettingsPatch : SettingsPatch;
  if (!isObject(params) || !Value.Check(schema, params)) {
    const errors = isObject(params) ? [...Value.Errors(schema, params)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.message })) : [{ path: '/', message: 'must be an object' }];
    throw bad(`settings.patch accepts only ${Object.keys(schema.properties).join(', ')}`, errors);
  }
  return params as SettingsPatchInput;
}
