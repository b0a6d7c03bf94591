/**
 * The game's configuration: what the setup page produces, what the lock stores as this
 * extension's config, what the backend reads (through `GET …/sessions/:id`, never from the
 * iframe). Shared by the browser pages and the backend: no Node or DOM APIs here.
 */

/** The metric the platform counts for the unlock requirement, the attempt limit and progress. */
export const METRIC = 'memory_win';

/** The pads of the game, in the order they are drawn. */
export const COLORS = ['red', 'green', 'blue', 'yellow'] as const;
export type Color = (typeof COLORS)[number];

export type PunishmentType = 'add_time' | 'freeze';

/** A progress-based unlock requirement, as latch reads it from the config (replacing the app's own for this lock). */
export interface WinsRequirement {
  metric: typeof METRIC;
  requiredCount: number;
  blocker: string;
}

export interface GameConfig {
  /** Wins needed before the extension stops holding the lock: the setup page's field, mirrored in `unlockRequirements`. */
  requiredWins: number;
  /**
   * Read by the platform itself (DECISIONS §7): this lock's progress-based unlock requirement,
   * `requiredWins` wins of `memory_win`. It replaces the app's `initialMetadata` requirement (3
   * wins) for this lock, so the platform holds the lock and counts the wins; the backend reads
   * the count back from the session's metadata.
   */
  unlockRequirements: [WinsRequirement];
  /** What a lost game costs: `add_time` seconds, or a `freeze` of that many seconds (60–86400). */
  punishment: { type: PunishmentType; seconds: number };
  /** Seconds removed from the timer per win (0: none). */
  rewardSeconds: number;
  /** Pads to remember per game. */
  sequenceLength: number;
  /**
   * Read by the platform itself (DECISIONS §7): how often a game may be played. `unlimited`, or a
   * bucket of `maxActions` games refilled one per `regularitySeconds`.
   */
  regularActions: { mode: 'unlimited' } | { mode: 'cumulative'; regularitySeconds: number; maxActions: number };
  /** Read by the platform itself: the time a started round has to be won before it fails. */
  attemptLimit: { enabled: true; metric: typeof METRIC; durationSeconds: number; startPolicy: 'activity' };
}

/** The blocker the lock page shows until enough wins: `Win 3 memory games to unlock`. */
export function winsBlocker(wins: number): string {
  return `Win ${wins} memory game${wins === 1 ? '' : 's'} to unlock`;
}

/** The config's `unlockRequirements` for a number of wins. */
export function winsRequirement(wins: number): [WinsRequirement] {
  return [{ metric: METRIC, requiredCount: wins, blocker: winsBlocker(wins) }];
}

export const DEFAULT_CONFIG: GameConfig = {
  requiredWins: 3,
  unlockRequirements: winsRequirement(3),
  punishment: { type: 'add_time', seconds: 1800 },
  rewardSeconds: 600,
  sequenceLength: 5,
  regularActions: { mode: 'unlimited' },
  attemptLimit: { enabled: true, metric: METRIC, durationSeconds: 300, startPolicy: 'activity' },
};

export const LIMITS = {
  requiredWins: [1, 20],
  punishmentSeconds: [60, 86400],
  rewardSeconds: [0, 86400],
  sequenceLength: [3, 9],
  cooldownSeconds: [60, 86400],
  maxActions: [1, 10],
  attemptSeconds: [30, 3600],
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function int(v: unknown, fallback: number, [min, max]: readonly [number, number]): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

/**
 * Any stored config (an old version, a hand-written one, `{}`) as a complete, in-range
 * `GameConfig`. The backend runs every config it reads through this: a config is lock-owner
 * input, not something to trust blindly.
 */
export function normalizeConfig(raw: unknown): GameConfig {
  const c = isObject(raw) ? raw : {};
  const p = isObject(c.punishment) ? c.punishment : {};
  const ra = isObject(c.regularActions) ? c.regularActions : {};
  const al = isObject(c.attemptLimit) ? c.attemptLimit : {};
  const d = DEFAULT_CONFIG;
  // `requiredWins` is the setup page's field; a hand-written config may name only the requirement.
  const requirement = Array.isArray(c.unlockRequirements) ? c.unlockRequirements.find((r): r is Record<string, unknown> => isObject(r) && r.metric === METRIC) : undefined;
  const requiredWins = int(c.requiredWins ?? requirement?.requiredCount, d.requiredWins, LIMITS.requiredWins);
  return {
    requiredWins,
    unlockRequirements: winsRequirement(requiredWins),
    punishment: {
      type: p.type === 'freeze' ? 'freeze' : 'add_time',
      seconds: int(p.seconds, d.punishment.seconds, LIMITS.punishmentSeconds),
    },
    rewardSeconds: int(c.rewardSeconds, d.rewardSeconds, LIMITS.rewardSeconds),
    sequenceLength: int(c.sequenceLength, d.sequenceLength, LIMITS.sequenceLength),
    regularActions:
      ra.mode === 'cumulative' || ra.mode === 'non_cumulative'
        ? {
            mode: 'cumulative',
            regularitySeconds: int(ra.regularitySeconds, 3600, LIMITS.cooldownSeconds),
            maxActions: int(ra.maxActions, 3, LIMITS.maxActions),
          }
        : { mode: 'unlimited' },
    attemptLimit: { enabled: true, metric: METRIC, durationSeconds: int(al.durationSeconds, d.attemptLimit.durationSeconds, LIMITS.attemptSeconds), startPolicy: 'activity' },
  };
}

/** `1800` → `30 min`, `5400` → `1 h 30 min`, `45` → `45 s`. */
export function humanSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}
