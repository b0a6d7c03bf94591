import type { LockRow } from '../db/types.js';
import { listHistoryLogs } from '../storage/historyLogs.js';
import { findLockById, listLocksForUser } from '../storage/locks.js';
import { findUsersByIds } from '../storage/users.js';
import type { LockRole } from './lockRules.js';
import { pageOf } from './deps.js';
import { historyView } from './history.js';
import { renderUserPlaceholder } from './userPlaceholder.js';
import { findAppsBySlugs } from '../storage/extensionApps.js';
import { TIME_LOG_TYPES, timeLogsHiddenFrom } from './lockLimits.js';
import type { LockCore, LockDeps } from './lockServiceCore.js';

/** A participant's reads: their locks, one lock, its history. */
export function createLockViews({ db }: LockDeps, { loadViews, participantLock, viewFor }: LockCore) {
  return {
    async list(userId: string, filter: { role?: LockRole; status?: LockRow['status']; limit: number; before?: string }) {
      const { rows, hasMore } = await pageOf(filter.limit, (limit) => listLocksForUser(db, { userId, ...filter, limit }));
      return { results: await loadViews(rows, userId), hasMore };
    },

    /** The stored row (for services that build their own views). */
    row: (lockId: string) => findLockById(db, lockId),

    get: viewFor,

    /** Throws `not_found` unless the user wears or holds (or is invited to hold) the lock. */
    async checkParticipant(userId: string, lockId: string): Promise<void> {
      await participantLock(userId, lockId);
    },

    async history(userId: string, lockId: string, page: { limit: number; before?: string }) {
      const { lock, role } = await participantLock(userId, lockId);
      const { rows, hasMore } = await pageOf(page.limit, (limit) => listHistoryLogs(db, lockId, limit, page.before, timeLogsHiddenFrom(lock, role) ? TIME_LOG_TYPES : []));
      const parties = [lock.wearer_id, ...(lock.keyholder_id ? [lock.keyholder_id] : [])];
      const userIds = [...new Set([...parties, ...rows.map((r) => r.actor_user_id).filter((x): x is string => !!x)])];
      const usernames = new Map((await findUsersByIds(db, userIds)).map((u) => [u.id, u.username]));
      const slugs = [...new Set(rows.flatMap((r) => (r.extension_slug && `${r.title}${r.description}`.includes('%USER%') ? [r.extension_slug] : [])))];
      const extensionNames = new Map(slugs.length ? (await findAppsBySlugs(db, slugs)).map((a) => [a.slug, a.name]) : []);
      const reader = { lock, usernames, extensionNames, viewerUserId: userId };
      return {
        results: rows.map((r) => historyView({ ...r, title: renderUserPlaceholder(r.title, r, reader), description: renderUserPlaceholder(r.description, r, reader) }, usernames)),
        hasMore,
      };
    },
  };
}
