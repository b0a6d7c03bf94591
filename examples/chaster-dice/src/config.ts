/**
 * The dice's configuration: what the configuration page edits, what the lock stores as this
 * extension's `config`, what the backend reads from the session. Shared by the browser pages and
 * the backend: no Node or DOM APIs here.
 */

export interface DiceConfig {
  /** Rolls the wearer must make before the extension stops preventing the unlock. */
  rollsRequired: number;
  /** Time each pip adds: a roll of 4 adds 4 × this many seconds. */
  secondsPerPip: number;
}

export const DEFAULT_CONFIG: DiceConfig = { rollsRequired: 3, secondsPerPip: 600 };

export const LIMITS = {
  rollsRequired: [1, 20],
  secondsPerPip: [60, 3600],
} as const;

function int(v: unknown, fallback: number, [min, max]: readonly [number, number]): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}

/**
 * Any stored config (`{}`, an older version, a hand-written one) as a complete, in-range
 * `DiceConfig`: a config is lock-owner input, the backend never trusts it blindly.
 */
export function normalizeConfig(raw: unknown): DiceConfig {
  const c = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    rollsRequired: int(c.rollsRequired, DEFAULT_CONFIG.rollsRequired, LIMITS.rollsRequired),
    secondsPerPip: int(c.secondsPerPip, DEFAULT_CONFIG.secondsPerPip, LIMITS.secondsPerPip),
  };
}

/** `1800` → `30 min`, `5400` → `1 h 30 min`. */
export function humanSeconds(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || `${seconds} s`;
}

/** The one-line rule shown on the configuration page and the main page. */
export function describeConfig(c: DiceConfig): string {
  return `Roll the dice ${c.rollsRequired} time${c.rollsRequired === 1 ? '' : 's'} to unlock; each pip adds ${humanSeconds(c.secondsPerPip)}.`;
}

/** The reason preventing unlocking while rolls are missing (`metadata.reasonsPreventingUnlocking`). */
export function reasonFor(rollsLeft: number): string {
  return `Roll the dice ${rollsLeft} more time${rollsLeft === 1 ? '' : 's'}`;
}
