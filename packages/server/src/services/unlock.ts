import type { AggregatedBlocker, LockSettings } from '@latch/protocol';
import type { LockRow } from '../db/types.js';
import { remainingSeconds } from './locks.js';
import { belowFloor } from './lockLimits.js';

/** Why a lock cannot be unlocked now (DECISIONS §5); empty means unlockable. */
export type UnlockHold =
  | 'not_locked'
  | 'frozen'
  | 'time_remaining'
  | 'extension_blocker'
  | 'requirement_unsatisfied'
  | 'task_points'
  | 'pillory'
  | 'min_lock_time'
  | 'visitor_votes';

export function unlockHolds(lock: LockRow, settings: LockSettings, blockers: AggregatedBlocker[], now: number): UnlockHold[] {
  const holds: UnlockHold[] = [];
  if (lock.status !== 'locked') holds.push('not_locked');
  if (lock.frozen_at !== null) holds.push('frozen');
  if ((remainingSeconds(lock, now) ?? 0) > 0) holds.push('time_remaining');
  if (blockers.some((b) => b.kind === 'manual')) holds.push('extension_blocker');
  if (blockers.some((b) => b.kind === 'requirement')) holds.push('requirement_unsatisfied');
  if (lock.task_points < settings.requiredTaskPoints) holds.push('task_points');
  if (lock.pillory_until !== null && lock.pillory_until > now) holds.push('pillory');
  if (belowFloor(lock, now)) holds.push('min_lock_time');
  if (lock.visitor_votes < lock.visitor_votes_required) holds.push('visitor_votes');
  return holds;
}
