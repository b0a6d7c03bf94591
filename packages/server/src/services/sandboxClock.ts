import { VirtualClock, type Clock } from '../clock.js';
import type { Executor } from '../storage/executor.js';
import { getSetting, putSetting } from '../storage/settings.js';

/**
 * The sandbox's virtual clock survives a restart (issue 15): its offset from real time is kept in
 * the database. Without it a restarted `npm run dev` jumped back to real time while its data
 * (lock ends, windows, jobs) stayed in the future it had been moved to.
 *
 * The offset, not the virtual time, is stored: time keeps passing while the sandbox is stopped,
 * as it does while it runs. Only a `VirtualClock` is kept (tests' manual clocks are their own).
 */
const KEY = 'sandbox.clock_offset_ms';

/** Moves a fresh virtual clock forward to the offset stored by the previous run (never back). */
export async function resumeSandboxClock(db: Executor, clock: Clock): Promise<void> {
  if (!(clock instanceof VirtualClock)) return;
  const stored = Number(await getSetting(db, KEY));
  if (Number.isFinite(stored) && stored > clock.offsetMs) clock.advance(stored - clock.offsetMs);
}

/**
 * Stores the offset the clock will have after moving `aheadMs` further. Called with the full
 * step before an advance runs its jobs (so a process stopped mid-advance never restarts behind
 * data already moved forward) and with 0 after it.
 */
export async function saveSandboxClock(db: Executor, clock: Clock, aheadMs = 0): Promise<void> {
  if (!(clock instanceof VirtualClock)) return;
  await putSetting(db, KEY, String(clock.offsetMs + aheadMs), clock.now());
}

/** The sandbox clock's persistence for the dev routes. */
export function createSandboxClockService({ db, clock }: { db: Executor; clock: Clock }) {
  return {
    save: (aheadMs = 0) => saveSandboxClock(db, clock, aheadMs),
  };
}

export type SandboxClockService = ReturnType<typeof createSandboxClockService>;
