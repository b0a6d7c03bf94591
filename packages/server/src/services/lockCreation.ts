import type { Lock, LockSettingsInput } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { bool, int } from '../db/json.js';
import type { LockRow, UserRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findAppsBySlugs } from '../storage/extensionApps.js';
import { insertLock } from '../storage/locks.js';
import { findUserByUsername } from '../storage/users.js';
import { DEFAULT_LOCK_SETTINGS, mergeSettings } from '../storage/rows.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { writeHistory } from './history.js';
import { writeNotification } from './notifications.js';
import { randomInt } from 'node:crypto';
import { drawDuration, durationTerms, termDates, type DurationInput } from './lockLimits.js';
import { checkBackgroundRequest, prepareInstall, type ExtensionChoice, type LockCore, type LockDeps } from './lockServiceCore.js';

export interface CreateLockInput extends DurationInput {
  title: string;
  hiddenTimer?: boolean;
  hideTimeLogs?: boolean;
  isTestLock?: boolean;
  keyholderUsername?: string;
  settings?: LockSettingsInput;
  extensions?: ExtensionChoice[];
}

/** Creating a lock: its terms drawn, its extensions installed, its keyholder invited, in one transaction. */
/** What a lock starts without: no freeze, pillory, hygienic opening, task points, end or archive; first version. */
export const UNTOUCHED_LOCK = {
  frozen_at: null,
  frozen_until: null,
  pillory_until: null,
  pillory_reason: null,
  hygienic_until: null,
  hygienic_started_at: null,
  task_points: 0,
  ended_at: null,
  archived_at: null,
  version: 1,
} as const;

export function createLockCreation({ db, clock, ids }: LockDeps, { installInTx, loadViews }: LockCore) {
  return {
    /**
     * A new lock worn by `wearer`. `inTx` runs in the lock's creation transaction (the combination
     * is stored with it). `from` is for a lock loaded from a shared lock: its keyholder comes in
     * already accepted (publishing the template was their consent).
     */
    async create(wearer: UserRow, input: CreateLockInput, inTx?: (tx: Executor, lockId: string) => Promise<void>, from?: { sharedLockId: string; keyholder: UserRow }): Promise<Lock> {
      const now = clock.now();
      let keyholder: UserRow | undefined = from?.keyholder;
      if (from && from.keyholder.id === wearer.id) throw new ApiError('invalid_request', 'You published this shared lock: you cannot be your own keyholder');
      if (input.keyholderUsername !== undefined) {
        keyholder = await findUserByUsername(db, input.keyholderUsername);
        if (!keyholder) throw new ApiError('invalid_request', `No user named ${input.keyholderUsername}`, [{ in: 'body', path: '/keyholderUsername', message: 'unknown user' }]);
        if (keyholder.id === wearer.id) throw new ApiError('invalid_request', 'You cannot be your own keyholder; leave keyholderUsername out for a self-lock', [{ in: 'body', path: '/keyholderUsername', message: 'is the wearer' }]);
      }
      const terms = durationTerms(input);
      const choices = input.extensions ?? [];
      const slugs = choices.map((c) => c.slug);
      if (new Set(slugs).size !== slugs.length) throw new ApiError('invalid_request', 'An extension can be installed once per lock', [{ in: 'body', path: '/extensions', message: 'duplicate slug' }]);
      const apps = new Map((await findAppsBySlugs(db, slugs)).filter((a) => a.id !== EXTERNAL_APP_ID).map((a) => [a.slug, a]));
      const missing = slugs.filter((s) => !apps.has(s));
      if (missing.length) throw new ApiError('invalid_request', `Unknown extension ${missing.join(', ')}`, missing.map((s) => ({ in: 'body', path: '/extensions', message: `unknown slug ${s}` })));
      // Every config is checked before anything is written.
      const prepared = choices.map((c, i) => prepareInstall(apps.get(c.slug)!, c.config, `/extensions/${i}/config`));
      choices.forEach((c, i) => checkBackgroundRequest(apps.get(c.slug)!, c.background, `/extensions/${i}/background`));

      // Drawn by the server: with a hidden timer the wearer never learns it (DECISIONS §4).
      const drawn = drawDuration(terms, randomInt);
      const lock: LockRow = {
        id: ids.objectId(),
        wearer_id: wearer.id,
        keyholder_id: keyholder?.id ?? null,
        keyholder_status: keyholder ? (from ? 'accepted' : 'pending') : null,
        keyholder_trusted_at: null,
        title: input.title,
        status: 'locked',
        started_at: now,
        ...termDates(terms, now, drawn),
        hide_time_logs: int(input.hideTimeLogs ?? false),
        is_test_lock: int(input.isTestLock ?? false),
        visitor_votes_required: 0,
        visitor_votes: 0,
        shared_lock_id: from?.sharedLockId ?? null,
        hidden_timer: int(input.hiddenTimer ?? false),
        settings: mergeSettings(DEFAULT_LOCK_SETTINGS, input.settings),
        created_at: now,
        updated_at: now,
        ...UNTOUCHED_LOCK,
      };
      await db.transaction().execute(async (tx) => {
        await insertLock(tx, lock);
        if (inTx) await inTx(tx, lock.id);
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'lock_started',
          role: 'wearer',
          actorUserId: wearer.id,
          title: 'Lock started',
          description: from ? `From the shared lock of ${keyholder!.username}` : keyholder ? `Keyholder ${keyholder.username} invited` : 'Self-lock',
          payload: {
            // The drawn duration is the keyholder's to know when the timer is hidden.
            durationSeconds: lock.hidden_timer ? null : drawn,
            randomDuration: terms.durationMinSeconds !== terms.durationMaxSeconds ? { minSeconds: terms.durationMinSeconds, maxSeconds: terms.durationMaxSeconds } : null,
            maxDurationSeconds: terms.maxLimitSeconds ?? null,
            minLimitDurationSeconds: terms.minLimitSeconds ?? null,
            hiddenTimer: bool(lock.hidden_timer),
            hideTimeLogs: bool(lock.hide_time_logs),
            isTestLock: bool(lock.is_test_lock),
            sharedLockId: lock.shared_lock_id,
          },
        });
        for (const [i, c] of choices.entries()) await installInTx(tx, lock, apps.get(c.slug)!, prepared[i]!, wearer.id, 'wearer', now, c.background === true);
        if (keyholder) {
          await writeNotification(tx, ids, now, {
            userId: keyholder.id,
            lockId: lock.id,
            type: from ? 'shared_lock_loaded' : 'keyholder_invitation',
            title: from ? 'Shared lock loaded' : 'Keyholder invitation',
            message: from ? `${wearer.username} locked with your shared lock: you hold the key of “${lock.title}”` : `${wearer.username} asks you to hold the key of “${lock.title}”`,
          });
        }
      });
      return (await loadViews([lock], wearer.id))[0]!;
    },
  };
}
