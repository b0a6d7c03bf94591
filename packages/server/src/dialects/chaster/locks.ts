import type { AggregatedBlocker } from '@latch/protocol';
import { bool } from '../../db/json.js';
import type { LockRow } from '../../db/types.js';
import { iso, isoOrNull } from '../../services/deps.js';
import type { ViewUser } from '../../storage/sessionView.js';
import { chasterMetadata, chasterParty, DEFAULT_EXTENSION_ICON, type ChasterInstall } from './sessions.js';
import { chasterUser } from './users.js';
import type { ChasterLock, ChasterRole } from './wire.js';

/**
 * Lock fields latch does not keep yet (or keeps elsewhere): their owners fill them as the
 * features land (issue 14: test locks, hidden time logs, trusted keyholder, combination safe,
 * random initial duration; verification pictures). Defaults: Chaster's "off".
 */
export type ChasterLockExtras = Partial<Pick<ChasterLock, 'minDate' | 'maxDate' | 'isTestLock' | 'hideTimeLogs' | 'trusted' | 'combination' | 'lastVerificationPicture'>>;

export interface ChasterLockInput {
  lock: LockRow;
  /** The wearer and (accepted) keyholder, at least. */
  users: Map<string, ViewUser>;
  /** Every enabled extension on the lock, in installation order. */
  installs: ChasterInstall[];
  /** Every extension blocker on the lock (services `blockersOf`). */
  blockers: AggregatedBlocker[];
  /** Whether the unlock button works now (services/unlock.ts `unlockHolds` is empty). */
  canBeUnlocked: boolean;
  now: number;
  extras?: ChasterLockExtras;
}

export interface ChasterLockViewer {
  /** Whose view: the `role` field, and `availableHomeActions` for the wearer. */
  role: ChasterRole;
  /** `lockForUser` of a wearer under a hidden timer: no `endDate` (DECISIONS §14). */
  hideTimer: boolean;
}

/** The lock as a partner backend reads it (no user: `GET …/sessions/:id`, webhooks): from its controller's side (the keyholder, else the wearer of a self-lock). */
export const partnerRole = (lock: LockRow): ChasterRole => (lock.keyholder_id && lock.keyholder_status === 'accepted' ? 'keyholder' : 'wearer');

/** A lock as Chaster's `LockForPublic`. `totalDuration` is milliseconds locked so far, as Chaster counts it. */
export function chasterLock(input: ChasterLockInput, viewer: ChasterLockViewer): ChasterLock {
  const { lock, users, installs, blockers, now } = input;
  const wearer = users.get(lock.wearer_id);
  if (!wearer) throw new Error(`chasterLock: wearer ${lock.wearer_id} not loaded`);
  const keyholderId = lock.keyholder_id && lock.keyholder_status === 'accepted' ? lock.keyholder_id : null;
  const keyholder = keyholderId ? users.get(keyholderId) : undefined;
  if (keyholderId && !keyholder) throw new Error(`chasterLock: keyholder ${keyholderId} not loaded`);
  const endDate = isoOrNull(lock.ends_at);
  const homeActions = installs.flatMap((i) => chasterMetadata(i.session.metadata).homeActions.map((a) => ({ extensionPartyId: i.session.id, ...a })));
  const limit = lock.max_ends_at;
  return {
    _id: lock.id,
    status: lock.status,
    title: lock.title,
    role: viewer.role,
    startDate: iso(lock.started_at),
    endDate: viewer.hideTimer ? null : endDate,
    minDate: endDate ?? iso(lock.started_at),
    maxDate: endDate ?? iso(lock.started_at),
    maxLimitDate: isoOrNull(limit),
    limitLockTime: limit !== null,
    canBeUnlockedByMaxLimitDate: limit !== null && now >= limit,
    displayRemainingTime: !bool(lock.hidden_timer),
    isAllowedToViewTime: !bool(lock.hidden_timer),
    isFrozen: lock.frozen_at !== null,
    frozenAt: isoOrNull(lock.frozen_at),
    totalDuration: Math.max(0, (lock.ended_at ?? now) - lock.started_at),
    canBeUnlocked: input.canBeUnlocked,
    extensionsAllowUnlocking: blockers.length === 0,
    reasonsPreventingUnlocking: blockers.map((b) => ({ reason: b.blocker, icon: DEFAULT_EXTENSION_ICON })),
    user: chasterUser(wearer, now),
    keyholder: keyholder ? chasterUser(keyholder, now) : null,
    sharedLock: null,
    extensions: installs.map(chasterParty),
    ...(viewer.role === 'wearer' ? { availableHomeActions: homeActions } : {}),
    combination: '',
    lastVerificationPicture: null,
    isTestLock: false,
    hideTimeLogs: false,
    trusted: false,
    allowSessionOffer: false,
    offerToken: null,
    unlockedAt: lock.status === 'unlocked' ? isoOrNull(lock.ended_at) : null,
    deletedAt: null,
    archivedAt: isoOrNull(lock.archived_at),
    keyholderArchivedAt: null,
    createdAt: iso(lock.created_at),
    updatedAt: iso(lock.updated_at),
    ...input.extras,
  } satisfies ChasterLock;
}

