import { DateTime, IANAZone } from 'luxon';

export interface Cadence {
  every: number;
  unit: 'day' | 'week';
  timezone: string;
}

export interface Window {
  start: number;
  end: number;
}

export function isTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The requirement window containing `t` (DECISIONS §7): local-calendar aligned in the cadence's
 * IANA timezone — days start at local midnight, weeks on Monday 00:00 — counted in steps of
 * `every` units from the window that contains `anchor` (the session start). DST-correct: a local
 * day may last 23 or 25 hours.
 */
export function windowAt(cadence: Cadence, anchor: number, t: number): Window {
  const unit = cadence.unit === 'week' ? 'week' : 'day';
  const base = DateTime.fromMillis(anchor, { zone: cadence.timezone }).startOf(unit);
  const local = DateTime.fromMillis(t, { zone: cadence.timezone }).startOf(unit);
  const units = Math.round(local.diff(base, unit === 'week' ? 'weeks' : 'days').as(unit === 'week' ? 'weeks' : 'days'));
  const k = Math.floor(units / cadence.every);
  const step = (n: number) => (unit === 'week' ? { weeks: n } : { days: n });
  return {
    start: base.plus(step(k * cadence.every)).toMillis(),
    end: base.plus(step((k + 1) * cadence.every)).toMillis(),
  };
}
