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

// Luxon builds an Intl.DateTimeFormat to validate a zone and computes zone offsets through Intl
// for every DateTime it makes: hundreds of microseconds per window, which the scheduler pays for
// every session it evaluates (issue 15). The answers below are cached; the caches are bounded.
const CACHE_LIMIT = 50_000;
const validZones = new Map<string, boolean>();
const unitStarts = new Map<string, number>();
const unitSteps = new Map<string, number>();
/** Every IANA zone's offset is a multiple of 15 minutes (since the 1970s): a local day or week starts on such a boundary. */
const BUCKET_MS = 15 * 60_000;

function remember<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export function isTimezone(zone: string): boolean {
  return remember(validZones, zone, () => IANAZone.isValidZone(zone));
}

type Unit = 'day' | 'week';

/** The local day/week start of `t` in `zone`: the same for every instant of one 15-minute UTC bucket. */
function unitStart(zone: string, unit: Unit, t: number): number {
  const bucket = Math.floor(t / BUCKET_MS);
  return remember(unitStarts, `${zone}|${unit}|${bucket}`, () => DateTime.fromMillis(t, { zone }).startOf(unit).toMillis());
}

/** `n` local days/weeks after the local unit start `base` (DST-correct: calendar units, not 24 h). */
function unitsAfter(zone: string, unit: Unit, base: number, n: number): number {
  return remember(unitSteps, `${zone}|${unit}|${base}|${n}`, () =>
    DateTime.fromMillis(base, { zone })
      .plus(unit === 'week' ? { weeks: n } : { days: n })
      .toMillis(),
  );
}

/**
 * The requirement window containing `t` (DECISIONS §7): local-calendar aligned in the cadence's
 * IANA timezone — days start at local midnight, weeks on Monday 00:00 — counted in steps of
 * `every` units from the window that contains `anchor` (the session start). DST-correct: a local
 * day may last 23 or 25 hours.
 */
export function windowAt(cadence: Cadence, anchor: number, t: number): Window {
  const unit: Unit = cadence.unit === 'week' ? 'week' : 'day';
  const base = unitStart(cadence.timezone, unit, anchor);
  const local = unitStart(cadence.timezone, unit, t);
  // Whole local units between two unit starts: a DST change moves the difference by an hour at most.
  const units = Math.round((local - base) / (unit === 'week' ? 7 * 86_400_000 : 86_400_000));
  const k = Math.floor(units / cadence.every);
  return {
    start: unitsAfter(cadence.timezone, unit, base, k * cadence.every),
    end: unitsAfter(cadence.timezone, unit, base, (k + 1) * cadence.every),
  };
}
