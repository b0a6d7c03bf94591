/**
 * The one clock of the process (DECISIONS §2): nothing reads `Date.now()` directly.
 * In the sandbox it is a virtual clock the developer can move forward.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Real time plus an offset that only grows: timers keep ticking while the developer fast-forwards. */
export class VirtualClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.base.now() + this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
    return this.now();
  }
}

/** A clock that stands still until told to move: for deterministic tests. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 5, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

export function isAdvanceable(clock: Clock): clock is Clock & { advance(ms: number): number } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}
