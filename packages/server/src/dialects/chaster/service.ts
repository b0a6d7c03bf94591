import type { Static } from '@sinclair/typebox';
import { ApiError, notFound } from '../../errors.js';
import type { DialectName } from '../../db/connect.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../../db/types.js';
import { hashSecret } from '../../ids.js';
import { TIME_LOG_TYPES, timeLogsHiddenFrom } from '../../services/lockLimits.js';
import { acceptedKeyholderId, timerHiddenFrom } from '../../services/lockRules.js';
import type { ExtensionSessionService } from '../../services/extensionSessions.js';
import { mainTokenProblem } from '../../services/mainTokens.js';
import type { RegularActionService } from '../../services/regularActions.js';
import type { Clock } from '../../clock.js';
import { findRequestCredentials } from '../../storage/credentials.js';
import { pageOf } from '../../services/deps.js';
import { countSessionsOfApp, listSessionsOfApp } from '../../storage/extensionSessions.js';
import { findAppsBySlugs } from '../../storage/extensionApps.js';
import type { Executor } from '../../storage/executor.js';
import { countHistoryLogs, pageOfHistory, type HistoryFilter } from '../../storage/historyLogs.js';
import { findLocksByIds } from '../../storage/locks.js';
import { findUsersByIds } from '../../storage/users.js';
import { chasterInstall, loadChasterLockInputs } from './lockInput.js';
import { chasterLock, partnerRole, type ChasterLockInput } from './locks.js';
import { chasterActionLog } from './logs.js';
import type { ChasterLogSearchBody } from './requests.js';
import { chasterRegularActions, chasterSession, NO_REGULAR_ACTION_MESSAGE } from './sessions.js';
import type { ChasterAuth, ChasterHistoryPage, ChasterRegularActions, ChasterRole, ChasterSession, ChasterSessionSearch } from './wire.js';

/**
 * The Chaster dialect's reads over the shared services: each loads latch's domain values and
 * hands them to the pure mappers of this folder.
 */
export function createChasterService({ db, clock, dialect }: { db: Executor; clock: Clock; dialect: DialectName }, svc: { sessions: ExtensionSessionService; regularActions: RegularActionService }) {
  const lockInputs = (locks: LockRow[]) => loadChasterLockInputs(db, dialect, locks, clock.now());
  const lockInput = async (lock: LockRow) => (await lockInputs([lock])).get(lock.id)!;

  /** The session with its complete lock, as a partner backend reads it. */
  function partnerSession(input: ChasterLockInput, session: ExtensionSessionRow, app: ExtensionAppRow): ChasterSession {
    const install = input.installs.find((i) => i.session.id === session.id) ?? chasterInstall(session, app, clock.now());
    return chasterSession(install, chasterLock(input, { role: partnerRole(input.lock), hideTimer: false }));
  }

  async function regularActions(session: ExtensionSessionRow, app: ExtensionAppRow): Promise<ChasterRegularActions> {
    const view = await svc.regularActions.get(session, app);
    // Oldest first, as the docs' example lists them.
    const actions = [...view.actions].reverse();
    return chasterRegularActions({ mode: view.mode, regularity: view.regularity, nbActionsRemaining: view.nbActionsRemaining, nextActionDate: view.nextActionDate }, actions, clock.now());
  }

  return {
    /** `GET /api/extensions/sessions/:id` for a Chaster app: `{session}` with its complete lock. */
    async session(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow): Promise<{ session: ChasterSession }> {
      return { session: partnerSession(await lockInput(lock), session, app) };
    },

    /**
     * `POST /api/extensions/sessions/search` (chaster-js `GetSessionsRepDto`): the app's sessions
     * ascending by id after `paginationLastId`; each result's `paginationId` is its id.
     */
    async search(app: ExtensionAppRow, q: { status: 'locked' | 'unlocked' | 'deserted' | 'all'; limit: number; paginationLastId: string | null }): Promise<ChasterSessionSearch> {
      const filter = { appId: app.id, status: q.status };
      const { rows: page, hasMore } = await pageOf(q.limit, (limit) => listSessionsOfApp(db, { ...filter, limit, afterId: q.paginationLastId }));
      const count = await countSessionsOfApp(db, filter);
      const locks = await findLocksByIds(db, [...new Set(page.map((r) => r.lock_id))]);
      const inputs = await lockInputs([...locks.values()]);
      const results = page.map((session) => ({ ...partnerSession(inputs.get(session.lock_id)!, session, app), paginationId: session.id }));
      return { count, hasMore, results } satisfies ChasterSessionSearch;
    },

    /** `GET …/regular-actions` in Chaster's shape. */
    regularActions,

    /**
     * `POST …/regular-actions {payload}`: 201 with the same object as GET; none left is 422 with the
     * docs' message and the rule's fields (chaster-js `SubmitRegularActionErrorDto`).
     */
    async submitRegularAction(session: ExtensionSessionRow, app: ExtensionAppRow, payload: Record<string, unknown>): Promise<ChasterRegularActions> {
      try {
        await svc.regularActions.submit(session.id, app, payload);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 'regular_action_unavailable') throw err;
        const now = await regularActions((await svc.sessions.row(session.id)) ?? session, app);
        throw new ApiError('regular_action_unavailable', NO_REGULAR_ACTION_MESSAGE, err.details, undefined, { nbActionsRemaining: now.nbActionsRemaining, nextActionDate: now.nextActionDate, regularity: now.regularity, mode: now.mode });
      }
      return regularActions((await svc.sessions.row(session.id)) ?? session, app);
    },

    /**
     * `POST …/logs/search` (chaster-js `GetPartnerLogsDto` → `GetHistoryRepDto`): the lock's history
     * newest first as `role` sees it (hidden time logs stay hidden from the wearer), `%USER%` of
     * that role's user rendered "You".
     */
    async searchLogs(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow, q: Static<typeof ChasterLogSearchBody>): Promise<ChasterHistoryPage> {
      const limit = q.limit ?? 15;
      const reader = q.role === 'visitor' ? null : q.role;
      const filter: HistoryFilter = {
        lockId: session.lock_id,
        // A visitor sees no more than the wearer.
        withoutTypes: timeLogsHiddenFrom(lock, reader ?? 'wearer') ? TIME_LOG_TYPES : [],
        ...(q.showOnlyExtensionActions ? { extensionSlug: app.slug } : {}),
      };
      const [rows, count] = await Promise.all([pageOfHistory(db, filter, limit + 1, q.lastId), countHistoryLogs(db, filter)]);
      const page = rows.slice(0, limit);
      const userIds = [lock.wearer_id, ...(lock.keyholder_id ? [lock.keyholder_id] : []), ...page.flatMap((r) => (r.actor_user_id ? [r.actor_user_id] : []))];
      const slugs = [...new Set(page.flatMap((r) => (r.extension_slug ? [r.extension_slug] : [])))];
      const [users, apps] = await Promise.all([findUsersByIds(db, [...new Set(userIds)]), findAppsBySlugs(db, slugs)]);
      const viewerUserId = reader === 'wearer' ? lock.wearer_id : reader === 'keyholder' ? acceptedKeyholderId(lock) : null;
      const ctx = { lock, users: new Map(users.map((u) => [u.id, u])), extensionNames: new Map(apps.map((a) => [a.slug, a.name])), viewerUserId, now: clock.now() };
      return { results: page.map((r) => chasterActionLog(r, ctx)), count, hasMore: rows.length > limit } satisfies ChasterHistoryPage;
    },

    /**
     * `GET /api/extensions/auth/sessions/:mainToken` (main page): who opened the extension and
     * on which session. The token must be one of this app's; another app's is not found.
     */
    async auth(app: ExtensionAppRow, mainToken: string): Promise<ChasterAuth> {
      const { token, tokenLock } = await findRequestCredentials(db, { keyHash: null, tokenHash: hashSecret(mainToken), sessionId: null });
      const problem = mainTokenProblem(token, tokenLock, clock.now());
      if (problem === 'unknown') throw new ApiError('invalid_main_token', 'The main token is not known; reopen the extension for a fresh one');
      if (token!.app_id !== app.id) throw notFound('Extension session');
      if (problem) throw new ApiError('main_token_expired', 'The main token expired or was replaced; reopen the extension for a fresh one');
      const { session, lock } = await findRequestCredentials(db, { keyHash: null, tokenHash: null, sessionId: token!.session_id });
      if (!session || !lock) throw notFound('Extension session');
      if (session.removed_at !== null) throw new ApiError('extension_not_enabled', 'The extension is not enabled on this lock');
      const input = await lockInput(lock);
      const role: ChasterRole = token!.role;
      const install = input.installs.find((i) => i.session.id === session.id) ?? chasterInstall(session, app, clock.now());
      return {
        role,
        userId: token!.user_id,
        session: chasterSession(install, chasterLock(input, { role, hideTimer: false })),
        lockForUser: chasterLock(input, { role, hideTimer: timerHiddenFrom(lock, role) }),
      } satisfies ChasterAuth;
    },
  };
}

export type ChasterService = ReturnType<typeof createChasterService>;
