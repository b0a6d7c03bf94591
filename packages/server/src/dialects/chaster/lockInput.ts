import type { DialectName } from '../../db/connect.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../../db/types.js';
import { loadLockContext } from '../../services/lockContext.js';
import { unlockHolds } from '../../services/lockRules.js';
import { regularConfigOf, regularSummary } from '../../services/regularActionRules.js';
import { findAppsByIds } from '../../storage/extensionApps.js';
import type { Executor } from '../../storage/executor.js';
import { findActiveSessionsOfLocks } from '../../storage/extensionSessions.js';
import type { ChasterLockInput } from './locks.js';
import type { ChasterInstall } from './sessions.js';

/** One installation as the Chaster mappers read it, with its regular actions at `now`. */
export function chasterInstall(session: ExtensionSessionRow, app: ExtensionAppRow, now: number): ChasterInstall {
  const { regularitySeconds } = regularConfigOf(session, app);
  const { mode, nbActionsRemaining, nextActionDate } = regularSummary(session, app, now);
  return { session, app, regular: { mode, regularity: mode === 'unlimited' ? null : regularitySeconds, nbActionsRemaining, nextActionDate } };
}

/**
 * Everything `chasterLock` reads about each of these locks (and `alsoUserIds`, e.g. a log's actor),
 * in a fixed number of reads whatever their count, on a handle or inside a transaction (a webhook
 * payload is built in its effect's, where the effect's own rows are already visible).
 */
export async function loadChasterLockInputs(db: Executor, dialect: DialectName, locks: LockRow[], now: number, alsoUserIds: string[] = []): Promise<Map<string, ChasterLockInput>> {
  const lockIds = locks.map((l) => l.id);
  const sessions = await findActiveSessionsOfLocks(db, lockIds);
  const apps = new Map((await findAppsByIds(db, [...new Set(sessions.map((s) => s.app_id))])).map((a) => [a.id, a]));
  const userIds = new Set([...locks.flatMap((l) => [l.wearer_id, ...(l.keyholder_id ? [l.keyholder_id] : [])]), ...alsoUserIds]);
  const ctx = await loadLockContext(db, dialect, lockIds, [...userIds]);
  return new Map(
    locks.map((lock) => {
      const installs = sessions.filter((s) => s.lock_id === lock.id && apps.has(s.app_id)).map((s) => chasterInstall(s, apps.get(s.app_id)!, now));
      const blockers = ctx.blockersByLock.get(lock.id) ?? [];
      return [lock.id, { lock, users: ctx.users, installs, blockers, canBeUnlocked: unlockHolds(lock, blockers, now).length === 0, now }];
    }),
  );
}

/** `loadChasterLockInputs` for one lock. */
export async function loadChasterLockInput(db: Executor, dialect: DialectName, lock: LockRow, now: number, alsoUserIds: string[] = []): Promise<ChasterLockInput> {
  return (await loadChasterLockInputs(db, dialect, [lock], now, alsoUserIds)).get(lock.id)!;
}
