import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { windowAt, type Cadence } from '../src/services/windows.js';

/**
 * windowAt caches local day/week starts per 15-minute UTC bucket (issue 15: luxon cost up to
 * 0.8 ms per window). It must answer exactly as the uncached calculation (DECISIONS §7) — here
 * across DST zones and zones whose offsets are half or three-quarter hours.
 */
function uncached(cadence: Cadence, anchor: number, t: number) {
  const unit = cadence.unit === 'week' ? 'week' : 'day';
  const base = DateTime.fromMillis(anchor, { zone: cadence.timezone }).startOf(unit);
  const local = DateTime.fromMillis(t, { zone: cadence.timezone }).startOf(unit);
  const units = Math.round(local.diff(base, unit === 'week' ? 'weeks' : 'days').as(unit === 'week' ? 'weeks' : 'days'));
  const k = Math.floor(units / cadence.every);
  const step = (n: number) => (unit === 'week' ? { weeks: n } : { days: n });
  return { start: base.plus(step(k * cadence.every)).toMillis(), end: base.plus(step((k + 1) * cadence.every)).toMillis() };
}

describe('requirement windows with cached local unit starts', () => {
  it('agree with the uncached calculation on 20,000 instants across DST and odd-offset zones', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Beirut', 'Pacific/Chatham', 'America/St_Johns'];
    // A fixed pseudo-random sequence: the same instants every run.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const cadence: Cadence = { every: 1 + (i % 3), unit: i % 5 === 0 ? 'week' : 'day', timezone: zones[i % zones.length]! };
      const anchor = Date.UTC(2025, 0, 1) + Math.floor(next() * 2 * 365 * 86_400_000);
      const t = anchor + Math.floor(next() * 120 * 86_400_000);
      const got = windowAt(cadence, anchor, t);
      const want = uncached(cadence, anchor, t);
      if (got.start !== want.start || got.end !== want.end) wrong.push(`${JSON.stringify(cadence)} ${anchor} ${t}`);
    }
    assert.deepEqual(wrong.slice(0, 5), []);
  });
});
