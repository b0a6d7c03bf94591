import { ApiError } from '../errors.js';
import type { LockRow } from '../db/types.js';

/**
 * Durations and limits of a lock (issue 14, Chaster's "Lock options" and "Lock settings"), as pure
 * rules: no storage, no clock, no randomness of their own. The engine and the lock service call
 * them; nothing else decides these things.
 *
 * - The initial duration is drawn between a minimum and a maximum (`minDate`/`maxDate` keep the range).
 * - The floor (`min_limit_date`, "minimum lock time"): no unlock before it, by anyone.
 * - The ceiling (`max_ends_at`, "limit lock time", Chaster `maxLimitDate`): the end never moves past
 *   it; only the wearer moves it, only later; removing it is final.
 * - `hide_time_logs`: time changes are left out of the history the wearer reads.
 */

export const TEN_YEARS_SECONDS = 10 * 365 * 86400;

/** What a lock (or a shared lock's template) asks for at creation, in seconds from the start. */
export interface DurationTerms {
  /** The end is drawn uniformly between these (equal: a fixed duration). */
  durationMinSeconds: number;
  durationMaxSeconds: number;
  /** Floor: the lock cannot be unlocked before start + this. */
  minLimitSeconds?: number | null;
  /** Ceiling: the end can never be later than start + this. */
  maxLimitSeconds?: number | null;
}

/** The request body's fields for the terms (lock creation and shared lock templates alike). */
export interface DurationInput {
  durationSeconds?: number;
  randomDuration?: { minSeconds: number; maxSeconds: number };
  /** The ceiling (limit lock time), from the start. */
  maxDurationSeconds?: number;
  /** The floor (minimum lock time), from the start. */
  minLimitDurationSeconds?: number;
}

/** The terms a body asks for, checked; `base` is where the fields sit in the body (error pointers). */
export function durationTerms(input: DurationInput, base = ''): DurationTerms {
  if ((input.durationSeconds === undefined) === (input.randomDuration === undefined)) {
    throw new ApiError('invalid_request', 'Give either durationSeconds or randomDuration', [{ in: 'body', path: `${base}/durationSeconds`, message: 'exactly one of durationSeconds and randomDuration' }]);
  }
  const range = input.randomDuration ?? { minSeconds: input.durationSeconds!, maxSeconds: input.durationSeconds! };
  const terms: DurationTerms = { durationMinSeconds: range.minSeconds, durationMaxSeconds: range.maxSeconds, minLimitSeconds: input.minLimitDurationSeconds ?? null, maxLimitSeconds: input.maxDurationSeconds ?? null };
  const fields: Record<string, string> = {
    durationMaxSeconds: input.randomDuration ? '/randomDuration/maxSeconds' : '/durationSeconds',
    maxLimitSeconds: '/maxDurationSeconds',
    minLimitSeconds: '/minLimitDurationSeconds',
  };
  checkDurationTerms(terms, (f) => `${base}${fields[f]}`);
  return terms;
}

/** The terms are coherent: range ordered, floor not above the ceiling, ceiling not below the range. */
export function checkDurationTerms(t: DurationTerms, at: (field: string) => string = (f) => `/${f}`): void {
  const bad = (field: string, message: string): never => {
    throw new ApiError('invalid_request', `${at(field).split('/').pop()} ${message}`, [{ in: 'body', path: at(field), message }]);
  };
  if (t.durationMaxSeconds < t.durationMinSeconds) bad('durationMaxSeconds', 'is below the minimum duration');
  const ceiling = t.maxLimitSeconds ?? null;
  const floor = t.minLimitSeconds ?? null;
  if (ceiling !== null && ceiling < t.durationMaxSeconds) bad('maxLimitSeconds', 'is below the longest initial duration');
  if (floor !== null && ceiling !== null && floor > ceiling) bad('minLimitSeconds', 'is above the limit lock time');
}

/** The initial duration: uniform in [min, max] seconds. `randomInt(a, b)` returns an integer in [a, b). */
export function drawDuration(t: Pick<DurationTerms, 'durationMinSeconds' | 'durationMaxSeconds'>, randomInt: (min: number, max: number) => number): number {
  if (t.durationMaxSeconds <= t.durationMinSeconds) return t.durationMinSeconds;
  return randomInt(t.durationMinSeconds, t.durationMaxSeconds + 1);
}

/** The dates a new lock stores for its terms, given the start and the drawn duration. */
export function termDates(t: DurationTerms, startedAt: number, drawnSeconds: number) {
  const at = (s: number | null | undefined) => (s === null || s === undefined ? null : startedAt + s * 1000);
  return {
    ends_at: startedAt + drawnSeconds * 1000,
    min_date: at(t.durationMinSeconds),
    max_date: at(t.durationMaxSeconds),
    min_limit_date: at(t.minLimitSeconds),
    max_ends_at: at(t.maxLimitSeconds),
  };
}

/** Where `endsAt` may go when time is added: never past the ceiling, never earlier than it was. */
export function capEndsAt(lock: Pick<LockRow, 'max_ends_at'>, wanted: number, current: number): number {
  return lock.max_ends_at === null ? wanted : Math.max(Math.min(wanted, lock.max_ends_at), current);
}

/** The floor still holds the lock at `now`. */
export function belowFloor(lock: Pick<LockRow, 'min_limit_date'>, now: number): boolean {
  return lock.min_limit_date !== null && now < lock.min_limit_date;
}

/** The ceiling only moves later, and only while there is one (who may move it: the policy table). */
export function checkMaxLimitChange(lock: Pick<LockRow, 'max_ends_at'>, until: number | null): void {
  if (lock.max_ends_at === null) throw new ApiError('conflict', 'This lock has no limit lock time (once removed, it cannot be set again)');
  if (until !== null && until <= lock.max_ends_at) {
    throw new ApiError('invalid_request', 'The limit lock time can only be moved later', [{ in: 'body', path: '/maxLimitDate', message: 'is not later than the current limit' }]);
  }
}

/** The floor is never above the ceiling (who may move it: the policy table). */
export function checkMinLimitChange(lock: Pick<LockRow, 'max_ends_at'>, until: number | null): void {
  if (until !== null && lock.max_ends_at !== null && until > lock.max_ends_at) {
    throw new ApiError('invalid_request', 'The minimum lock time cannot be later than the limit lock time', [{ in: 'body', path: '/minLimitDate', message: 'is after the limit lock time' }]);
  }
}

/** History entries that say how the time changed (hidden from the wearer with `hide_time_logs`). */
export const TIME_LOG_TYPES = ['time_added', 'time_removed', 'visitor_vote'] as const;

export function timeLogsHiddenFrom(lock: Pick<LockRow, 'hide_time_logs'>, role: 'wearer' | 'keyholder' | null): boolean {
  return lock.hide_time_logs === 1 && role === 'wearer';
}
