/**
 * How the memory challenge is registered with the platform (developer console,
 * `POST /api/developer/apps`) and what it writes into a session's metadata.
 */
import { DEFAULT_CONFIG, METRIC, winsBlocker } from './config.js';

export const SLUG = 'memory-challenge';
export const APP_NAME = 'Memory challenge';
/**
 * The app's unlock requirement (`initialMetadata.unlockRequirements`), for installs whose config
 * does not name its own: a lock's config (`unlockRequirements`, written by the setup page from
 * "Wins required") replaces it for that lock.
 */
export const REQUIRED_WINS = 3;
export const BLOCKER = winsBlocker(REQUIRED_WINS);

export interface HomeActionView {
  slug: string;
  title: string;
  description?: string;
  icon?: string;
  badge?: string;
  intent?: { type: string; title?: string; message?: string; payload?: unknown };
}

/** The home action on the lock page; clicking it opens the game with intent `play`. */
export const PLAY_ACTION: HomeActionView = {
  slug: 'play',
  title: 'Play memory challenge',
  // The same for every lock (initialMetadata is per app): each lock's count is in its requirement.
  description: 'Win memory games to unlock.',
  icon: 'gamepad-2',
  badge: 'Required',
  intent: { type: 'play', title: 'Memory challenge', message: 'Repeat the sequence to win a round.' },
};

/** Least privilege: everything the backend calls, nothing more (no files, no background grant). */
export const SCOPES = ['locks:write', 'state:write', 'metadata:write', 'logs:write', 'notifications:write', 'regular_actions:write', 'requirements:write'] as const;

/** The body of `POST /api/developer/apps` for an extension served from `origin`. */
export function appDefinition(origin: string) {
  return {
    slug: SLUG,
    name: APP_NAME,
    description: 'Remember a sequence of colours and repeat it. Wins remove time; a loss adds time or freezes the lock.',
    iframeUrl: `${origin}/game.html`,
    setupUrl: `${origin}/setup.html`,
    allowedOrigins: [origin],
    scopes: [...SCOPES],
    defaultConfig: DEFAULT_CONFIG as unknown as Record<string, unknown>,
    initialMetadata: {
      unlockRequirements: [{ metric: METRIC, requiredCount: REQUIRED_WINS, blocker: BLOCKER }],
      homeActions: [PLAY_ACTION],
    },
    regularActions: DEFAULT_CONFIG.regularActions as Record<string, unknown>,
    attemptLimit: DEFAULT_CONFIG.attemptLimit as unknown as Record<string, unknown>,
  };
}

/**
 * The metadata this extension wants on the lock after `wins` verified wins of the `needed` ones
 * (spec 001 step 8). The platform's progress-based requirement (this lock's `unlockRequirements`)
 * is what holds the lock: the extension adds no manual blocker (`unlockBlockers` stays empty,
 * which also clears one left by an older version). `homeActions`: the `play` action with its
 * intent while wins are missing, then a "complete" entry without an intent.
 */
export function desiredMetadata(wins: number, needed: number): { unlockBlockers: string[]; homeActions: HomeActionView[] } {
  const done = wins >= needed;
  const homeActions: HomeActionView[] = done
    ? [{ slug: PLAY_ACTION.slug, title: 'Memory challenge complete', description: `${wins} of ${needed} wins: the challenge no longer holds the lock.`, icon: 'check-circle', badge: 'Complete' }]
    : [{ ...PLAY_ACTION, description: `${wins} of ${needed} wins. Win ${needed - wins} more to unlock.` }];
  return { unlockBlockers: [], homeActions };
}
