import type { PilloryVotes } from '@latch/protocol';
import { isUniqueViolation } from '../db/errors.js';
import type { HistoryLogRow, LockRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import { findLockById, findLocksByIds } from '../storage/locks.js';
import { findHistoryEntry, findPilloriedLockIds, findPilloryStarts, insertPilloryVote, tallyPilloryVotes } from '../storage/pilloryVotes.js';
import { findUsersByIds } from '../storage/users.js';
import { iso, type ServiceDeps } from './deps.js';
import type { LockEngine } from './lockEngine.js';
import { participantLock } from './lockContext.js';
import { inPillory, roleOf } from './lockRules.js';

/** Time one vote adds to the lock (DECISIONS, issue 13: a fixed amount, like Chaster's pillory). */
export const PILLORY_VOTE_SECONDS = 600;
const PUBLIC_LIMIT = 50;

/**
 * Votes on the pillory (Chaster's pillory, issue 13): while a wearer is in the pillory, any
 * signed-in user other than the lock's participants may vote once on that pillory, and each vote
 * adds PILLORY_VOTE_SECONDS to the lock. A pillory is identified by the history entry that
 * started it (the `pillory` action), so its votes outlive it without a table of their own.
 */
export function createPilloryVoteService({ db, clock, ids }: ServiceDeps, engine: LockEngine) {
  /** The running pillory of each lock (its starting entry), for locks in the pillory now. */
  async function currentPillories(locks: LockRow[]): Promise<Map<string, HistoryLogRow>> {
    const now = clock.now();
    const pilloried = locks.filter((l) => l.status === 'locked' && inPillory(l, now));
    const starts = await findPilloryStarts(db, pilloried.map((l) => l.id));
    const current = new Map<string, HistoryLogRow>();
    for (const entry of starts) if (!current.has(entry.lock_id)) current.set(entry.lock_id, entry);
    return current;
  }

  async function views(locks: LockRow[]): Promise<PilloryVotes[]> {
    const current = await currentPillories(locks);
    const tallies = await tallyPilloryVotes(db, [...current.values()].map((e) => e.id));
    const users = new Map((await findUsersByIds(db, locks.map((l) => l.wearer_id))).map((u) => [u.id, u]));
    return locks.flatMap((lock) => {
      const start = current.get(lock.id);
      if (!start) return [];
      const tally = tallies.get(start.id) ?? { votes: 0, seconds: 0 };
      return [{
        id: start.id,
        lockId: lock.id,
        wearer: users.get(lock.wearer_id)?.username ?? '',
        reason: lock.pillory_reason,
        startedAt: iso(start.created_at),
        endsAt: iso(lock.pillory_until!),
        votes: tally.votes,
        secondsAdded: tally.seconds,
        secondsPerVote: PILLORY_VOTE_SECONDS,
      }];
    });
  }

  return {
    /** The lock's running pillory with its votes (empty when the wearer is not in the pillory); the module must be on. */
    async ofLock(lock: LockRow): Promise<PilloryVotes[]> {
      if (!lock.settings.pillory.enabled) throw new ApiError('pillory_not_enabled', 'Pillory is not enabled on this lock');
      return views([lock]);
    },

    /** The lock page: a participant reads the running pillory's votes. */
    async ofLockForUser(userId: string, lockId: string): Promise<PilloryVotes[]> {
      return views([await participantLock(db, userId, lockId)]);
    },

    /** The public pillory: everyone in it now, ending soonest first. */
    async pilloried(): Promise<PilloryVotes[]> {
      const lockIds = await findPilloriedLockIds(db, clock.now(), PUBLIC_LIMIT);
      const locks = await findLocksByIds(db, lockIds);
      return views(lockIds.flatMap((id) => locks.get(id) ?? []));
    },

    /** One signed-in user's vote on a running pillory: adds time once; the lock's participants cannot vote. */
    async vote(userId: string, pilloryId: string): Promise<PilloryVotes> {
      const start = await findHistoryEntry(db, pilloryId);
      const lock = start?.type === 'pillory_started' ? await findLockById(db, start.lock_id) : undefined;
      if (!start || !lock) throw notFound('Pillory');
      if (roleOf(lock, userId)) throw new ApiError('forbidden', 'The wearer and keyholder cannot vote on their own pillory');
      if ((await currentPillories([lock])).get(lock.id)?.id !== pilloryId) throw new ApiError('pillory_not_active', 'This pillory is over');
      await engine.pilloryVote(lock.id, PILLORY_VOTE_SECONDS, async (tx) => {
        try {
          await insertPilloryVote(tx, { id: ids.objectId(), lock_id: lock.id, pillory_id: pilloryId, voter_id: userId, seconds: PILLORY_VOTE_SECONDS, created_at: clock.now() });
        } catch (err) {
          if (isUniqueViolation(err)) throw new ApiError('already_voted', 'You already voted on this pillory');
          throw err;
        }
      });
      return (await views([(await findLockById(db, lock.id))!]))[0]!;
    },
  };
}

export type PilloryVoteService = ReturnType<typeof createPilloryVoteService>;
