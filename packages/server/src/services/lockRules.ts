import type { AggregatedBlocker, LockSettings, LockSettingsInput, SessionLock } from '@latch/protocol';
import { bool, fromJson } from '../db/json.js';
import type { LockRow } from '../db/types.js';
import { iso, isoOrNull } from './deps.js';
import { belowFloor } from './lockLimits.js';

/**
 * The lock's rules that need no storage: who a user is on a lock, its settings, its timer and
 * what holds it back (DECISIONS §4, §5). Services and the policy table read locks through these.
 */

export type LockRole = 'wearer' | 'keyholder';

type Parties = Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status'>;

/** The keyholder once they accepted the invitation (a pending or declined one holds nothing). */
export function acceptedKeyholderId(lock: Parties): string | null {
  return lock.keyholder_id && lock.keyholder_status === 'accepted' ? lock.keyholder_id : null;
}

export const hasAcceptedKeyholder = (lock: Parties): boolean => acceptedKeyholderId(lock) !== null;

/** An invitation waits for the invitee's answer. */
export const invitationPending = (lock: Parties): boolean => !!lock.keyholder_id && lock.keyholder_status === 'pending';

/** The caller's role on a lock, or null when they are not part of it (a pending invitee is the keyholder). */
export function roleOf(lock: Parties, userId: string): LockRole | null {
  if (lock.wearer_id === userId) return 'wearer';
  if (lock.keyholder_id === userId && (lock.keyholder_status === 'pending' || lock.keyholder_status === 'accepted')) return 'keyholder';
  return null;
}

/** Who decides about the lock: the keyholder once they accepted, else the wearer (a self-lock). */
export function controllerOf(lock: Parties): string {
  return acceptedKeyholderId(lock) ?? lock.wearer_id;
}

/** A hidden timer is hidden from the wearer only (DECISIONS §4), on a self-lock too. */
export function timerHiddenFrom(lock: Pick<LockRow, 'hidden_timer'>, role: LockRole | null): boolean {
  return bool(lock.hidden_timer) && role === 'wearer';
}

export const DEFAULT_LOCK_SETTINGS: LockSettings = {
  tasks: { enabled: false },
  hygienicOpening: { enabled: false, durationSeconds: 900 },
  pillory: { enabled: false, maxDurationSeconds: 86400 },
  requiredTaskPoints: 0,
  trustExternalPrograms: false,
  verificationPicture: { enabled: false },
};

export function mergeSettings(base: LockSettings, patch: LockSettingsInput = {}): LockSettings {
  return {
    tasks: { ...base.tasks, ...patch.tasks },
    hygienicOpening: { ...base.hygienicOpening, ...patch.hygienicOpening },
    pillory: { ...base.pillory, ...patch.pillory },
    requiredTaskPoints: patch.requiredTaskPoints ?? base.requiredTaskPoints,
    trustExternalPrograms: patch.trustExternalPrograms ?? base.trustExternalPrograms,
    verificationPicture: { ...base.verificationPicture, ...patch.verificationPicture },
  };
}

/** The lock's settings, decoded from its row (the one place that does). Missing keys take their defaults. */
export function lockSettings(lock: Pick<LockRow, 'settings'>): LockSettings {
  return mergeSettings(DEFAULT_LOCK_SETTINGS, fromJson<LockSettingsInput>(lock.settings, {}));
}

export const isFrozen = (lock: Pick<LockRow, 'frozen_at'>): boolean => lock.frozen_at !== null;
export const inPillory = (lock: Pick<LockRow, 'pillory_until'>, now: number): boolean => lock.pillory_until !== null && lock.pillory_until > now;

/** Remaining seconds: held constant while frozen (DECISIONS §5). */
export function remainingSeconds(lock: Pick<LockRow, 'ends_at' | 'frozen_at'>, now: number): number | null {
  if (lock.ends_at === null) return null;
  const reference = lock.frozen_at ?? now;
  return Math.max(0, Math.ceil((lock.ends_at - reference) / 1000));
}

/** A session's `lock` object (spec 000), as the extension session reads and webhook events show it. */
export function sessionLockView(lock: LockRow, hideTimer: boolean): SessionLock {
  return {
    _id: lock.id,
    title: lock.title,
    status: lock.status,
    startDate: iso(lock.started_at),
    endDate: isoOrNull(lock.ended_at),
    endsAt: hideTimer ? null : isoOrNull(lock.ends_at),
    frozenAt: isoOrNull(lock.frozen_at),
    hiddenTimer: bool(lock.hidden_timer),
    wearerId: lock.wearer_id,
    keyholderId: acceptedKeyholderId(lock),
  };
}

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

export function unlockHolds(lock: LockRow, blockers: AggregatedBlocker[], now: number): UnlockHold[] {
  const holds: UnlockHold[] = [];
  if (lock.status !== 'locked') holds.push('not_locked');
  if (isFrozen(lock)) holds.push('frozen');
  if ((remainingSeconds(lock, now) ?? 0) > 0) holds.push('time_remaining');
  if (blockers.some((b) => b.kind === 'manual')) holds.push('extension_blocker');
  if (blockers.some((b) => b.kind === 'requirement')) holds.push('requirement_unsatisfied');
  if (lock.task_points < lockSettings(lock).requiredTaskPoints) holds.push('task_points');
  if (inPillory(lock, now)) holds.push('pillory');
  if (belowFloor(lock, now)) holds.push('min_lock_time');
  if (lock.visitor_votes < lock.visitor_votes_required) holds.push('visitor_votes');
  return holds;
}
