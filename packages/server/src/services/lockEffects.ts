import type { LockUpdate } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import type { HistoryInput } from './history.js';
import type { NotificationInput } from './notifications.js';

/** Who caused a change, as written to the lock history (DECISIONS §5). */
export interface Actor {
  role: 'wearer' | 'keyholder' | 'extension' | 'external' | 'system';
  userId?: string | null;
  extensionSlug?: string | null;
  /** The extension's name when it names itself in history titles ("Dice added time": Chaster's lock history). */
  name?: string | null;
}

/** What a decision about one lock does: applied in one transaction by the engine, or for many locks at once by LockEffectsBatch. */
export interface Effects {
  patch: LockUpdate;
  /** `byline`: what the entry says after a named actor's name ("added time"); the title then becomes the description. */
  history: Array<Omit<HistoryInput, 'lockId' | 'role' | 'actorUserId' | 'extensionSlug'> & { byline?: string }>;
  schedule: Array<{ kind: string; key: string; runAt: number; payload: unknown }>;
  cancel: string[];
  notify: Array<Omit<NotificationInput, 'lockId'>>;
  after?: (tx: Executor) => Promise<void>;
}

