import { ApiError } from '../errors.js';
import type { LockRow } from '../db/types.js';
import type { AggregatedBlocker } from '@latch/protocol';
import type { ServiceDeps } from './deps.js';
import type { Actor } from './lockEffects.js';
import { authorize, type Via } from './lockPolicy.js';
import { activeOrThrow, empty, jobKey, type Change } from './lockEngineCore.js';
import { hasAcceptedKeyholder as hasKeyholder, sessionLockView, unlockHolds } from './lockRules.js';
import { emitWebhookEvent } from './webhookOutbox.js';

/** How a lock ends: unlocked under the policy, or deserted by the wearer. */
export function createEndOps(change: Change, { ids }: Pick<ServiceDeps, 'ids'>) {
  return {
    /** Unlocks as the policy says: the wearer when nothing holds the lock back, the keyholder at any time. */
    async unlock(lockId: string, actor: Actor, via: Via, blockers: AggregatedBlocker[]): Promise<{ unlockedAt: string }> {
      return change(lockId, actor, async (lock, now) => {
        activeOrThrow(lock);
        const holds = unlockHolds(lock, blockers, now);
        try {
          authorize(via, 'unlock', lock, now, { holds });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'unlock_not_allowed') throw new ApiError('unlock_not_allowed', `The lock cannot be unlocked yet: ${holds.join(', ')}`, { reasons: holds, blockers });
          throw err;
        }
        // The minimum lock time holds against the keyholder too ("regardless of other factors").
        if (holds.includes('min_lock_time')) throw new ApiError('unlock_not_allowed', `The lock cannot be unlocked yet: ${holds.join(', ')}`, { reasons: holds, blockers });
        // Allowed with other holds: the keyholder overrode them.
        const fx = empty();
        fx.patch = { status: 'unlocked', ended_at: now, frozen_at: null, frozen_until: null, pillory_until: null, pillory_reason: null, hygienic_started_at: null, hygienic_until: null };
        fx.cancel.push(jobKey.unfreeze(lock.id), jobKey.pillory(lock.id), jobKey.hygienic(lock.id));
        fx.history.push({ type: 'lock_unlocked', title: 'Unlocked', payload: { overriddenHolds: holds } });
        const other = actor.userId === lock.wearer_id ? (hasKeyholder(lock) ? lock.keyholder_id : null) : lock.wearer_id;
        if (other) fx.notify.push({ userId: other, type: 'lock_unlocked', title: 'Lock unlocked', message: `“${lock.title}” was unlocked` });
        // Every app on the lock hears of it, with the lock as its session reads show it (app key alone: no hidden timer).
        fx.after = (t) =>
          emitWebhookEvent(t, ids, now, 'lock.unlocked', { lockId: lock.id }, () => ({
            unlockedAt: new Date(now).toISOString(),
            unlockedBy: actor.role,
            overriddenHolds: holds,
            lock: sessionLockView({ ...lock, ...fx.patch } as LockRow, false),
          }));
        return { fx, result: { unlockedAt: new Date(now).toISOString() } };
      });
    },

    /**
     * The wearer archives a running lock: it is deserted (issue 14, Chaster's "Lock status"). It
     * ends now, whatever holds it; its combination is withheld (services/combinations.ts).
     */
    async desert(lockId: string, actor: Actor): Promise<{ desertedAt: number }> {
      return change(lockId, actor, async (lock, now) => {
        activeOrThrow(lock);
        const fx = empty();
        fx.patch = { status: 'deserted', ended_at: now, archived_at: now, frozen_at: null, frozen_until: null, pillory_until: null, pillory_reason: null, hygienic_started_at: null, hygienic_until: null };
        fx.cancel.push(jobKey.unfreeze(lock.id), jobKey.pillory(lock.id), jobKey.hygienic(lock.id));
        fx.history.push({ type: 'lock_deserted', title: 'Lock deserted', description: 'The wearer archived the lock while it was running: the combination is withheld' });
        if (hasKeyholder(lock)) fx.notify.push({ userId: lock.keyholder_id!, type: 'lock_deserted', title: 'Lock deserted', message: `The wearer deserted “${lock.title}”` });
        return { fx, result: { desertedAt: now } };
      });
    },
  };
}
