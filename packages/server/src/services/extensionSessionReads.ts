import type { AggregatedBlocker, ExtensionSession, LockData, Profile } from '@latch/protocol';
import { BRIDGE_READ_ACTIONS } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { bool, fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../db/types.js';
import { findAppsByIds } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, findExtensionSession, insertExtensionSession, countSessionsOfApp, listSessionsOfApp } from '../storage/extensionSessions.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { isUniqueViolation } from '../db/errors.js';
import { findLocksByIds } from '../storage/locks.js';
import type { ViewUser } from '../storage/sessionView.js';
import { lockViewReadWith } from '../storage/credentials.js';
import { lockContextOf } from './lockContext.js';
import { iso, pageOf } from './deps.js';
import { sessionConfigView } from './sessionConfig.js';
import { acceptedKeyholderId, remainingSeconds, sessionLockView, timerHiddenFrom, unlockHolds, type LockRole } from './lockRules.js';
import { backgroundRole, effectiveScopes } from './extensionApps.js';
import type { SessionCore, SessionDeps, Viewer } from './extensionSessionCore.js';

/** Reading sessions: their views, blockers, the app's search, the external programs' session. */

export function lockData(lock: LockRow, users: Map<string, ViewUser>, blockers: AggregatedBlocker[], taskAssigned: boolean, viewer: Viewer, now: number): LockData {
  const settings = lock.settings;
  const hidden = timerHiddenFrom(lock, viewer.role);
  const wearer = users.get(lock.wearer_id)!;
  const keyholder = acceptedKeyholderId(lock) ? users.get(acceptedKeyholderId(lock)!) : undefined;
  const profile = (u: ViewUser | undefined) => (u ? fromJson<Profile>(u.profile, {}) : {});
  const lastSeen = (u: ViewUser | undefined) => (u && bool(u.show_online_status) ? u.last_seen_at : null);
  const holds = unlockHolds(lock, blockers, now);
  const end = lock.ended_at ?? now;
  return {
    frozen: lock.frozen_at !== null,
    unlockable: holds.length === 0,
    trusted: settings.trustExternalPrograms,
    taskAssigned,
    timeLockedSeconds: Math.max(0, Math.floor((end - lock.started_at) / 1000)),
    timeRemainingSeconds: hidden ? null : remainingSeconds(lock, now),
    maxTimeRemainingSeconds: hidden || lock.max_ends_at === null ? null : Math.max(0, Math.ceil((lock.max_ends_at - (lock.frozen_at ?? now)) / 1000)),
    taskPoints: lock.task_points,
    taskPointsRequired: settings.requiredTaskPoints,
    lockTitle: lock.title,
    wearerUsername: wearer.username,
    wearerDisplayName: profile(wearer).displayName ?? null,
    wearerAvatarUrl: profile(wearer).avatarUrl ?? null,
    keyholderUsername: keyholder?.username ?? null,
    keyholderDisplayName: profile(keyholder).displayName ?? null,
    keyholderAvatarUrl: profile(keyholder).avatarUrl ?? null,
    wearerLastSeenTimestamp: lastSeen(wearer),
    keyholderLastSeenTimestamp: lastSeen(keyholder),
    locked: lock.status === 'locked',
    inPillory: lock.pillory_until !== null && lock.pillory_until > now,
    hygienicOpening: lock.hygienic_started_at !== null,
    unlockBlockedReasons: holds,
  };
}

export function createSessionReads({ db, clock, ids, regularActions, devices }: SessionDeps, { lockContext, metadataView }: SessionCore) {
  /** `viewer`: one for all rows, or each row's own (search). */
  async function sessionViews(rows: Array<{ session: ExtensionSessionRow; lock: LockRow; app: ExtensionAppRow }>, viewerOrEach: Viewer | ((session: ExtensionSessionRow) => Viewer)): Promise<ExtensionSession[]> {
    const now = clock.now();
    const lockIds = [...new Set(rows.map((r) => r.lock.id))];
    const userIds = [...new Set(rows.flatMap((r) => [r.lock.wearer_id, r.lock.keyholder_id].filter((x): x is string => !!x)))];
    // One statement: blockers, progress, tasks, participants and devices; for GET session the
    // credential check read them already (its lock, wearer and keyholder are this row's).
    const read = rows.length === 1 ? lockViewReadWith(rows[0]!.session) : undefined;
    const ctx = read ? lockContextOf(read) : await lockContext(lockIds, userIds, true);
    const deviceControl = await devices.controlOf(lockIds, ctx.devices);
    const users = ctx.users;
    return rows.map(({ session, lock, app }) => {
      const viewer = typeof viewerOrEach === 'function' ? viewerOrEach(session) : viewerOrEach;
      const hidden = timerHiddenFrom(lock, viewer.role);
      return {
        sessionId: session.id,
        lockId: lock.id,
        role: viewer.role,
        status: session.removed_at !== null ? 'removed' : lock.status,
        extension: { slug: app.slug, name: app.name, appId: app.id },
        config: sessionConfigView(session.config, app),
        metadata: metadataView(session, ctx),
        lock: sessionLockView(lock, hidden),
        lockData: lockData(lock, users, ctx.blockersByLock.get(lock.id) ?? [], ctx.openTasks.has(lock.id), viewer, now),
        regularActions: regularActions.summary(session, app),
        deviceControl: deviceControl.get(lock.id)!,
        capabilities: {
          scopes: effectiveScopes(app, session),
          backendMutations: viewer.credentialMayMutate,
          background: session.removed_at === null && backgroundRole(session, app) !== null,
          bridgeReadActions: [...BRIDGE_READ_ACTIONS],
        },
        startDate: iso(lock.started_at),
        createdAt: iso(lock.started_at),
        updatedAt: iso(session.updated_at),
      };
    });
  }

  return {
    sessionViews,

    row: (sessionId: string) => findExtensionSession(db, sessionId),

    /** The lock's built-in "External programs" session (created on first use by a script). */
    async externalSession(lock: LockRow): Promise<{ session: ExtensionSessionRow; app: ExtensionAppRow }> {
      const app = (await findAppsByIds(db, [EXTERNAL_APP_ID]))[0]!;
      for (let attempt = 0; attempt < 2; attempt++) {
        const existing = await findActiveSessionOfApp(db, lock.id, EXTERNAL_APP_ID);
        if (existing) return { session: existing, app };
        const now = clock.now();
        const row: ExtensionSessionRow = { id: ids.objectId(), lock_id: lock.id, app_id: EXTERNAL_APP_ID, config: '{}', metadata: toJson({ unlockBlockers: [], homeActions: [], unlockRequirements: [] }), state: '{}', version: 1, state_version: 1, regular_actions_config: null, regular_actions_state: null, created_at: now, updated_at: now, removed_at: null, background_granted_at: null, background_granted_by: null, background_role: null, granted_scopes: null };
        try {
          await insertExtensionSession(db, row);
          return { session: row, app };
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      throw new ApiError('conflict', 'Could not create the external session; retry');
    },

    /** Whether the lock can be unlocked now, and what holds it (the lock page's unlock button). */
    async unlockInfo(lock: LockRow) {
      const blockers = (await lockContext([lock.id])).blockersByLock.get(lock.id) ?? [];
      const reasons = unlockHolds(lock, blockers, clock.now());
      return { unlockable: reasons.length === 0, reasons, blockers };
    },

    /** Every extension blocker on each of these locks (for the lock views' allowed actions). */
    async blockersOfLocks(lockIds: string[]): Promise<Map<string, AggregatedBlocker[]>> {
      return (await lockContext(lockIds)).blockersByLock;
    },

    /** Every extension blocker on a lock (for unlock attempts and the lock page). */
    async blockersOf(lockId: string): Promise<AggregatedBlocker[]> {
      return (await lockContext([lockId])).blockersByLock.get(lockId) ?? [];
    },

    async get(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow, viewer: Viewer): Promise<ExtensionSession> {
      return (await sessionViews([{ session, lock, app }], viewer))[0]!;
    },

    /**
     * The app's sessions, ascending by id. Each is seen as the searcher's credentials would see
     * it alone: with a main token, its own session as the launch (role, may mutate); with the
     * app key alone, a session that granted background access as the grant (its role, may
     * mutate); any other as the backend without a launch (no role, read only).
     */
    async search(app: ExtensionAppRow, q: { status: 'locked' | 'unlocked' | 'deserted' | 'all'; limit: number; paginationLastId?: string | null }, searcher: { launchSessionId: string | null; role: LockRole | null }) {
      const filter = { appId: app.id, status: q.status };
      const { rows: page, hasMore } = await pageOf(q.limit, (limit) => listSessionsOfApp(db, { ...filter, limit, afterId: q.paginationLastId }));
      const count = await countSessionsOfApp(db, filter);
      const locks = await findLocksByIds(db, page.map((r) => r.lock_id));
      const withLocks = page.map((session) => ({ session, lock: locks.get(session.lock_id)!, app }));
      const viewerOf = (session: ExtensionSessionRow): Viewer => {
        if (searcher.launchSessionId !== null) {
          return session.id === searcher.launchSessionId ? { role: searcher.role, credentialMayMutate: true } : { role: null, credentialMayMutate: false };
        }
        const granted = backgroundRole(session, app);
        return granted ? { role: granted, credentialMayMutate: true } : { role: null, credentialMayMutate: false };
      };
      const views = await sessionViews(withLocks, viewerOf);
      return { count, hasMore, results: views.map((v) => ({ ...v, paginationId: v.sessionId })) };
    },
  };
}
