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
 * Everything `chasterLock` reads about one lock (and `alsoUserIds`, e.g. a log's actor), on a handle or inside a transaction (a webhook
 * payload is built in its effect's, where the effect's own rows are already visible).
 */
export async function loadChasterLockInput(db: Executor, dialect: DialectName, lock: LockRow, now: number, alsoUserIds: string[] = []): Promise<ChasterLockInput> {
  const sessions = await findActiveSessionsOfLocks(db, [lock.id]);
  const apps = new Map((await findAppsByIds(db, [...new Set(sessions.map((s) => s.app_id))])).map((a) => [a.id, a]));
  const installs = sessions.filter((s) => apps.has(s.app_id)).map((s) => chasterInstall(s, apps.get(s.app_id)!, now));
  const ctx = await loadLockContext(db, dialect, [lock.id], [...new Set([lock.wearer_id, ...(lock.keyholder_id ? [lock.keyholder_id] : []), ...alsoUserIds])]);
  const blockers = ctx.blockersByLock.get(lock.id) ?? [];
  return { lock, users: ctx.users, installs, blockers, canBeUnlocked: unlockHolds(lock, blockers, now).length === 0, now };
}
