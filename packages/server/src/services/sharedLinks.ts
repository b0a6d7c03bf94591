import { randomInt } from 'node:crypto';
import type { PublicSharedLink as PublicSharedLinkView, SharedLink as SharedLinkView } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { bool, int } from '../db/json.js';
import type { LockRow, SharedLinkRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import { findLockById } from '../storage/locks.js';
import { countSharedLinkVote, findSharedLinkById, findSharedLinkOfLock, insertSharedLink, insertSharedLinkVote, updateSharedLink } from '../storage/sharedLinks.js';
import { findUserById } from '../storage/users.js';
import { iso, type ServiceDeps } from './deps.js';
import type { LockEngine } from './lockEngine.js';
import { authorize } from './lockPolicy.js';
import { remainingSeconds, roleOf } from './lockRules.js';

type SharedLinkSettings = Omit<SharedLinkView, 'id' | 'lockId' | 'votes' | 'createdAt' | 'updatedAt'>;

export const DEFAULT_SHARED_LINK: Omit<SharedLinkSettings, 'requiredVotes'> = { enabled: true, addSeconds: 3600, removeSeconds: 3600, allowRandom: false, periodSeconds: 86400, signedInOnly: false };

function linkView(row: SharedLinkRow, lock: Pick<LockRow, 'visitor_votes_required'>): SharedLinkView {
  return {
    id: row.id,
    lockId: row.lock_id,
    enabled: bool(row.enabled),
    addSeconds: row.add_seconds,
    removeSeconds: row.remove_seconds,
    allowRandom: bool(row.allow_random),
    periodSeconds: row.period_seconds,
    signedInOnly: bool(row.signed_in_only),
    votes: row.votes,
    requiredVotes: lock.visitor_votes_required,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Shared links for visitors (Chaster's "Shared links"): a public page of a running lock where
 * anyone votes to add or remove time, once per period per visitor (the signed-in user, else the
 * client address, kept only as a hash salted with the link id). Votes change the lock through the engine, so the
 * limit lock time caps them like any added time.
 */
export function createSharedLinkService({ db, clock, ids }: ServiceDeps, engine: LockEngine) {
  async function participantLock(userId: string, lockId: string) {
    const lock = await findLockById(db, lockId);
    const role = lock ? roleOf(lock, userId) : null;
    if (!lock || !role) throw notFound('Lock');
    return { lock, role };
  }

  return {
    async get(userId: string, lockId: string): Promise<SharedLinkView | null> {
      const { lock } = await participantLock(userId, lockId);
      const row = await findSharedLinkOfLock(db, lockId);
      return row ? linkView(row, lock) : null;
    },

    /** The lock's controller (its keyholder once accepted, else the wearer) sets the link up or changes it: the policy table says who. */
    async configure(userId: string, lockId: string, patch: Partial<SharedLinkSettings>): Promise<SharedLinkView> {
      const { lock, role } = await participantLock(userId, lockId);
      const via = { kind: 'first_party', userId } as const;
      const now = clock.now();
      authorize(via, 'shared_link.configure', lock, now);
      if (lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
      const current = await findSharedLinkOfLock(db, lockId);
      const { requiredVotes, ...settings } = patch;
      const s = { ...(current ? linkView(current, lock) : DEFAULT_SHARED_LINK), ...settings };
      if (s.addSeconds === 0 && s.removeSeconds === 0) {
        throw new ApiError('invalid_request', 'Visitors must be able to add or remove some time', [{ in: 'body', path: '/addSeconds', message: 'addSeconds and removeSeconds are both 0' }]);
      }
      // On the lock row: the unlock rules read it there (services/unlock.ts).
      if (requiredVotes !== undefined) await engine.setVisitorVotesRequired(lockId, { role, userId }, via, requiredVotes);
      const votesRequired = { visitor_votes_required: requiredVotes ?? lock.visitor_votes_required };
      const columns = { enabled: int(s.enabled), add_seconds: s.addSeconds, remove_seconds: s.removeSeconds, allow_random: int(s.allowRandom), period_seconds: s.periodSeconds, signed_in_only: int(s.signedInOnly), updated_at: now };
      if (current) {
        await updateSharedLink(db, current.id, columns);
        return linkView({ ...current, ...columns }, votesRequired);
      }
      const row: SharedLinkRow = { id: ids.objectId(), lock_id: lockId, votes: 0, created_at: now, ...columns };
      try {
        await insertSharedLink(db, row);
      } catch (err) {
        // Set up by another request at the same moment: change that one instead.
        if (isUniqueViolation(err)) return this.configure(userId, lockId, patch);
        throw err;
      }
      return linkView(row, votesRequired);
    },

    async publicView(linkId: string): Promise<PublicSharedLinkView> {
      const link = await findSharedLinkById(db, linkId);
      const lock = link ? await findLockById(db, link.lock_id) : undefined;
      const wearer = lock ? await findUserById(db, lock.wearer_id) : undefined;
      if (!link || !lock || !wearer) throw notFound('Shared link');
      return {
        id: link.id,
        lockTitle: lock.title,
        wearer: wearer.username,
        status: lock.status,
        frozen: lock.frozen_at !== null,
        // A visitor sees no more than the wearer does (DECISIONS §4).
        timeRemainingSeconds: bool(lock.hidden_timer) ? null : remainingSeconds(lock, clock.now()),
        addSeconds: link.add_seconds,
        removeSeconds: link.remove_seconds,
        allowRandom: bool(link.allow_random),
        periodSeconds: link.period_seconds,
        signedInOnly: bool(link.signed_in_only),
        votes: link.votes,
        requiredVotes: lock.visitor_votes_required,
        enabled: bool(link.enabled),
      };
    },

    /** One visitor's vote. `visitor.userId` when signed in; `ip` otherwise identifies them. */
    async vote(linkId: string, visitor: { userId: string | null; ip: string }, wanted: 'add' | 'remove' | 'random'): Promise<{ choice: 'add' | 'remove'; seconds: number; nextVoteAt: string }> {
      const link = await findSharedLinkById(db, linkId);
      if (!link || !bool(link.enabled)) throw notFound('Shared link');
      if (bool(link.signed_in_only) && !visitor.userId) throw new ApiError('login_required', 'Sign in to vote on this link');
      const lock = await findLockById(db, link.lock_id);
      if (!lock) throw notFound('Shared link');
      if (visitor.userId && roleOf(lock, visitor.userId)) throw new ApiError('forbidden', 'The wearer and keyholder cannot vote on their own lock');
      const possible = (['add', 'remove'] as const).filter((c) => (c === 'add' ? link.add_seconds : link.remove_seconds) > 0);
      if (wanted === 'random' && !bool(link.allow_random)) throw new ApiError('invalid_request', 'This link has no random vote', [{ in: 'body', path: '/choice', message: 'random is not allowed' }]);
      const choice = wanted === 'random' ? possible[randomInt(possible.length)]! : wanted;
      if (!possible.includes(choice)) throw new ApiError('invalid_request', `Visitors cannot ${choice} time on this link`, [{ in: 'body', path: '/choice', message: `${choice} is off` }]);
      const seconds = choice === 'add' ? link.add_seconds : link.remove_seconds;
      const now = clock.now();
      const periodMs = link.period_seconds * 1000;
      const period = Math.floor(now / periodMs);
      const nextVoteAt = iso((period + 1) * periodMs);
      const visitorKey = hashSecret(`${link.id}:${visitor.userId ? `user:${visitor.userId}` : `ip:${visitor.ip}`}`);
      await engine.visitorVote(lock.id, choice, seconds, async (tx) => {
        try {
          await insertSharedLinkVote(tx, { id: ids.objectId(), link_id: link.id, visitor_key: visitorKey, period, choice, seconds, created_at: now });
        } catch (err) {
          if (isUniqueViolation(err)) throw new ApiError('already_voted', 'You already voted on this link; come back later', { nextVoteAt });
          throw err;
        }
        await countSharedLinkVote(tx, link.id);
      });
      return { choice, seconds, nextVoteAt };
    },
  };
}

export type SharedLinkService = ReturnType<typeof createSharedLinkService>;
