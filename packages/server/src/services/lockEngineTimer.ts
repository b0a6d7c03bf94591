import type { LockRow } from '../db/types.js';
import { capEndsAt, checkMaxLimitChange, checkMinLimitChange, checkVotesRequiredChange } from './lockLimits.js';
import type { Executor } from '../storage/executor.js';
import type { Actor, Effects } from './lockEffects.js';
import { activeOrThrow, empty, formatDuration, jobKey, JOB, type Change } from './lockEngineCore.js';
import { ApiError } from '../errors.js';
import { hasAcceptedKeyholder as hasKeyholder, inPillory, isFrozen, timerHiddenFrom, type LockRole } from './lockRules.js';

/** The timer: time added and removed, freezes, the limits around it, visitor votes. */

// --- pure decisions: (lock, params, now) → effects ---------------------------------------

export function addTime(lock: LockRow, seconds: number, now: number): Effects {
  const fx = empty();
  const reference = lock.frozen_at ?? now;
  const ends = lock.ends_at ?? reference;
  let next = Math.max(ends, reference) + seconds * 1000;
  next = capEndsAt(lock, next, ends);
  // endsAt may lie in the past (the timer had run out): the delta includes that catch-up,
  // the title says what the wearer gets.
  const delta = next - ends;
  const added = next - Math.max(ends, reference);
  fx.patch = { ends_at: next };
  fx.history.push({ type: 'time_added', title: `Added ${formatDuration(added / 1000)}`, payload: { requestedSeconds: seconds, addedSeconds: added / 1000, endsAtDeltaMs: delta, cappedByMaxLimit: added < seconds * 1000 } });
  return fx;
}

export function removeTime(lock: LockRow, seconds: number, now: number): Effects {
  const fx = empty();
  const reference = lock.frozen_at ?? now;
  const ends = lock.ends_at ?? reference;
  // Removing more than remains leaves 0; it is not an error (DECISIONS §5).
  const next = Math.min(ends, Math.max(reference, ends - seconds * 1000));
  const delta = next - ends;
  fx.patch = { ends_at: next };
  fx.history.push({ type: 'time_removed', title: `Removed ${formatDuration(-delta / 1000)}`, payload: { requestedSeconds: seconds, endsAtDeltaMs: delta } });
  return fx;
}

export function freeze(lock: LockRow, seconds: number, now: number): Effects {
  const fx = empty();
  const until = now + seconds * 1000;
  fx.patch = isFrozen(lock) ? { frozen_until: until } : { frozen_at: now, frozen_until: until };
  fx.schedule.push({ kind: JOB.unfreeze, key: jobKey.unfreeze(lock.id), runAt: until, payload: { lockId: lock.id } });
  fx.history.push({ type: isFrozen(lock) ? 'freeze_extended' : 'lock_frozen', title: `Frozen for ${formatDuration(seconds)}`, payload: { durationSeconds: seconds, frozenUntil: until } });
  return fx;
}

/** Ends a freeze at `at` (its scheduled end for the job, now for a manual unfreeze). */
export function unfreeze(lock: LockRow, at: number, automatic: boolean): Effects {
  const fx = empty();
  if (!isFrozen(lock)) return fx;
  const span = Math.max(0, at - lock.frozen_at!);
  fx.patch = {
    frozen_at: null,
    frozen_until: null,
    ends_at: lock.ends_at === null ? null : lock.ends_at + span,
    // The max limit moves with the timer: frozen time never counts, in either direction.
    max_ends_at: lock.max_ends_at === null ? null : lock.max_ends_at + span,
  };
  fx.cancel.push(jobKey.unfreeze(lock.id));
  fx.history.push({ type: 'lock_unfrozen', title: automatic ? 'Freeze ended' : 'Unfrozen', payload: { frozenForMs: span, endsAtDeltaMs: lock.ends_at === null ? 0 : span, automatic } });
  return fx;
}

/** A freeze's scheduled end: only the freeze this job was scheduled for, and only at its own end. */
export function freezeEnd(lock: LockRow, runAt: number): Effects {
  if (!isFrozen(lock) || lock.status !== 'locked' || lock.frozen_until === null || lock.frozen_until > runAt) return empty();
  return unfreeze(lock, lock.frozen_until, true);
}

export function createTimerOps(change: Change) {
  return {
    /**
     * The ceiling (limit lock time): the wearer moves it later (to a date, or by seconds, which a
     * wearer with a hidden timer can do without knowing the date) or removes it for good (null).
     * Freezes move it with the timer (see `unfreeze`). The answer hides the date as the lock view does.
     */
    changeMaxLimit(lockId: string, actor: Actor, role: LockRole, to: { until: number } | { bySeconds: number } | null): Promise<{ maxLimitDate: string | null }> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        const until = to === null ? null : 'until' in to ? to.until : (lock.max_ends_at ?? 0) + to.bySeconds * 1000;
        checkMaxLimitChange(lock, role, until);
        const fx = empty();
        fx.patch = { max_ends_at: until };
        fx.history.push(
          until === null
            ? { type: 'max_limit_removed', title: 'Limit lock time removed', payload: { previous: lock.max_ends_at } }
            : { type: 'max_limit_extended', title: `Limit lock time moved ${formatDuration((until - lock.max_ends_at!) / 1000)} later`, payload: { previous: lock.max_ends_at, maxLimitDate: until } },
        );
        const shown = until !== null && !timerHiddenFrom(lock, role);
        return { fx, result: { maxLimitDate: shown ? new Date(until).toISOString() : null } };
      });
    },

    /** The floor (minimum lock time): the accepted keyholder sets, moves or removes it, never above the ceiling. */
    changeMinLimit(lockId: string, actor: Actor, role: LockRole, until: number | null): Promise<{ minLimitDate: string | null }> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        checkMinLimitChange(lock, role, hasKeyholder(lock), until);
        const fx = empty();
        if (lock.min_limit_date === until) return { fx, result: { minLimitDate: until === null ? null : new Date(until).toISOString() } };
        fx.patch = { min_limit_date: until };
        fx.history.push({ type: 'min_limit_changed', title: until === null ? 'Minimum lock time removed' : 'Minimum lock time changed', payload: { previous: lock.min_limit_date, minLimitDate: until } });
        return { fx, result: { minLimitDate: until === null ? null : new Date(until).toISOString() } };
      });
    },

    /**
     * A visitor's vote on a shared link: time added or removed through the same rules as
     * `add_time`/`remove_time` (the ceiling caps it), logged as the visitor's. `record` writes the
     * vote in the same transaction: a second vote of the same visitor in the period fails there
     * and changes nothing.
     */
    visitorVote(lockId: string, choice: 'add' | 'remove', seconds: number, record: (tx: Executor, lock: LockRow) => Promise<void>): Promise<{ choice: 'add' | 'remove'; seconds: number }> {
      return change(lockId, { role: 'system' }, async (lock, now) => {
        activeOrThrow(lock);
        const fx = choice === 'add' ? addTime(lock, seconds, now) : removeTime(lock, seconds, now);
        const [entry] = fx.history;
        fx.history = [{ ...entry!, type: 'visitor_vote', title: `A visitor ${choice === 'add' ? 'added' : 'removed'} ${formatDuration(seconds)}`, payload: { ...(entry!.payload as object), choice, via: 'shared_link' } }];
        fx.patch = { ...fx.patch, visitor_votes: lock.visitor_votes + 1 };
        fx.after = (tx) => record(tx, lock);
        return { fx, result: { choice, seconds } };
      });
    },

    /**
     * A vote on the wearer's pillory adds time (issue 13). `record` writes the vote in the same
     * transaction, so a refused vote (pillory over, lock ended) leaves no trace.
     */
    pilloryVote(lockId: string, seconds: number, record: (tx: Executor, lock: LockRow) => Promise<void>): Promise<void> {
      return change(lockId, { role: 'system' }, async (lock, now) => {
        activeOrThrow(lock);
        if (!inPillory(lock, now)) throw new ApiError('pillory_not_active', 'The wearer is not in the pillory (any more)');
        const fx = addTime(lock, seconds, now);
        fx.history = fx.history.map((entry) => ({ ...entry, type: 'pillory_vote', title: `A pillory vote added ${formatDuration(seconds)}`, payload: { ...(entry.payload as object), via: 'pillory' } }));
        fx.after = (tx) => record(tx, lock);
        return { fx, result: undefined };
      });
    },

    /** The number of visitor votes the lock needs before it can be unlocked (the lock's controller). */
    setVisitorVotesRequired(lockId: string, actor: Actor, required: number): Promise<void> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        checkVotesRequiredChange(lock, hasKeyholder(lock), required);
        const fx = empty();
        if (required === lock.visitor_votes_required) return { fx, result: undefined };
        fx.patch = { visitor_votes_required: required };
        fx.history.push({ type: 'visitor_votes_required', title: `${required} visitor votes required to unlock`, payload: { previous: lock.visitor_votes_required, required } });
        return { fx, result: undefined };
      });
    },
  };
}
