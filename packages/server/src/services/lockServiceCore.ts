import type { DialectName } from '../db/connect.js';
import type { AggregatedBlocker, InstalledExtension, Lock } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { bool, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow, TaskRow, UserRow } from '../db/types.js';
import { findOpenTasksOfLocks } from '../storage/tasks.js';
import type { Executor } from '../storage/executor.js';
import { findAppsByIds, findAppBySlug } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, findActiveSessionsOfLocks, insertExtensionSession } from '../storage/extensionSessions.js';
import { findLockById } from '../storage/locks.js';
import { findUsersByIds } from '../storage/users.js';
import { publicUser } from './accounts.js';
import { remainingSeconds, roleOf, timerHiddenFrom, unlockHolds, type LockRole } from './lockRules.js';
import { allowedActions, decide, policyRoleOf, type LockAction } from './lockPolicy.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { checkJsonDepth, MAX_CONFIG_BYTES } from './freeFormJson.js';
import { sessionConfigView } from './sessionConfig.js';
import { writeHistory } from './history.js';
import { configUnlockRequirements } from './requirementRules.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { BACKGROUND_SCOPE, effectiveScopes, pendingScopes, requestsBackground } from './extensionApps.js';

/** What the lock service's parts share (services/locks.ts composes them): install checks, the lock view, the participant's reads. */

/** Extension config (and state) larger than this is refused: it rides along on every session read. */
export { MAX_CONFIG_BYTES };

export interface ExtensionChoice {
  slug: string;
  config?: Record<string, unknown>;
  /** Grant the app background access to this session (it must request `sessions:background`). */
  background?: boolean;
}

/** A background grant needs the app to request it: refused before anything is written. */
export function checkBackgroundRequest(app: ExtensionAppRow, wanted: boolean | undefined, pointer: string) {
  if (wanted && !requestsBackground(app)) {
    throw new ApiError('invalid_request', `${app.name} does not ask for background access (${BACKGROUND_SCOPE})`, [{ in: 'body', path: pointer, message: 'the app does not request sessions:background' }]);
  }
}

/** The first-party view of an installed extension. */
export function installedView(s: ExtensionSessionRow, app: ExtensionAppRow): InstalledExtension {
  return {
    sessionId: s.id,
    slug: app.slug,
    name: app.name,
    appId: app.id,
    config: sessionConfigView(s.config, app),
    createdAt: iso(s.created_at),
    requestsBackground: requestsBackground(app),
    background: s.background_granted_at !== null && s.background_role ? { grantedAt: iso(s.background_granted_at), role: s.background_role } : null,
    scopes: effectiveScopes(app, s),
    pendingScopes: pendingScopes(app, s),
  };
}

/** A session about to be created: its config and its first metadata, both checked. */
export interface PreparedInstall {
  config: string;
  metadata: string;
}

/**
 * The installed config (the one given, else the app's default) and the session's first
 * metadata. The app's `initialMetadata` seeds it, so blockers exist before the first open; the
 * config's `unlockRequirements`, when present, replace the app's for this lock. `pointer` is
 * where the config sits in the request body, for the error details.
 */
export function prepareInstall(app: ExtensionAppRow, config: Record<string, unknown> | undefined, pointer: string): PreparedInstall {
  const effective = config ?? app.default_config;
  checkJsonDepth(effective, pointer, config ? `Config for ${app.slug}` : `Default config of ${app.slug}`);
  const text = toJson(effective);
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ApiError('invalid_request', `Config for ${app.slug} is larger than ${MAX_CONFIG_BYTES} bytes`, { slug: app.slug });
  }
  const label = config ? `Config for ${app.slug}` : `Default config of ${app.slug}`;
  const override = effective && typeof effective === 'object' && !Array.isArray(effective) ? configUnlockRequirements(effective, pointer, label) : undefined;
  const initial = app.initial_metadata;
  return {
    config: text,
    metadata: toJson({
      unlockBlockers: [],
      homeActions: Array.isArray(initial.homeActions) ? initial.homeActions : [],
      unlockRequirements: override ?? (Array.isArray(initial.unlockRequirements) ? initial.unlockRequirements : []),
    }),
  };
}

export interface LockHooks {
  /** A session was created (in its transaction): schedules its requirement windows, attempts… */
  sessionCreated?: (tx: Executor, session: ExtensionSessionRow, app: ExtensionAppRow) => Promise<void>;
  /** The extension blockers of these locks (whether the viewer may unlock now). */
  blockersOf?: (lockIds: string[]) => Promise<Map<string, AggregatedBlocker[]>>;
}

export type LockDeps = ServiceDeps & { dialect: DialectName };

/** The helpers every part of the lock service uses, over one set of dependencies. */
export function createLockCore({ db, clock, ids }: LockDeps, hooks: LockHooks = {}) {
  async function installInTx(tx: Executor, lock: LockRow, app: ExtensionAppRow, prepared: PreparedInstall, actorId: string, actorRole: LockRole, now: number, background = false) {
    const id = ids.objectId();
    const row: ExtensionSessionRow = {
      id,
      lock_id: lock.id,
      app_id: app.id,
      config: prepared.config,
      metadata: prepared.metadata,
      state: '{}',
      version: 1,
      state_version: 1,
      regular_actions_config: null,
      regular_actions_state: null,
      created_at: now,
      updated_at: now,
      removed_at: null,
      background_granted_at: background ? now : null,
      background_granted_by: background ? actorId : null,
      background_role: background ? actorRole : null,
      // What the installer approved: the scopes the app asks for now (shown at install).
      granted_scopes: toJson(app.scopes),
    };
    try {
      await insertExtensionSession(tx, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('extension_already_installed', `${app.slug} is already installed on this lock`);
      throw err;
    }
    if (hooks.sessionCreated) await hooks.sessionCreated(tx, row, app);
    await emitWebhookEvent(tx, ids, now, 'extension_session.created', { session: row }, () => ({ config: sessionConfigView(row.config, app), createdAt: iso(now) }));
    await writeHistory(tx, ids, now, {
      lockId: lock.id,
      type: 'extension_installed',
      role: actorRole,
      actorUserId: actorId,
      extensionSlug: app.slug,
      title: `Extension ${app.name} added`,
      description: background ? `With background access: it may act on this lock while nobody has it open (as the ${actorRole})` : undefined,
      payload: { sessionId: id, slug: app.slug, background },
    });
    return row;
  }

  async function loadViews(rows: LockRow[], viewerId: string): Promise<Lock[]> {
    const now = clock.now();
    const userIds = [...new Set(rows.flatMap((l) => [l.wearer_id, l.keyholder_id].filter((x): x is string => !!x)))];
    const users = new Map((await findUsersByIds(db, userIds)).map((u) => [u.id, u]));
    const sessions = (await findActiveSessionsOfLocks(db, rows.map((l) => l.id))).filter((s) => s.app_id !== EXTERNAL_APP_ID);
    const apps = new Map((await findAppsByIds(db, [...new Set(sessions.map((s) => s.app_id))])).map((a) => [a.id, a]));
    const tasks = new Map((await findOpenTasksOfLocks(db, rows.map((l) => l.id))).map((t) => [t.lock_id, t]));
    const blockers = hooks.blockersOf ? await hooks.blockersOf(rows.filter((l) => l.status === 'locked').map((l) => l.id)) : new Map<string, AggregatedBlocker[]>();
    return rows.map((lock) => {
      const role = roleOf(lock, viewerId) ?? 'wearer';
      const extensions: InstalledExtension[] = sessions
        .filter((s) => s.lock_id === lock.id)
        .map((s) => installedView(s, apps.get(s.app_id)!));
      const task = tasks.get(lock.id) ?? null;
      const policyRole = policyRoleOf({ kind: 'first_party', userId: viewerId }, lock) ?? 'stranger';
      const allowed = allowedActions(policyRole, { lock, settings: lock.settings, now, openTask: task !== null, holds: unlockHolds(lock, blockers.get(lock.id) ?? [], now) });
      return lockView(lock, role, users, extensions, now, task, allowed);
    });
  }

  /** The running session of the extension `slug` on `lock` (404 when it is not installed there). */
  async function installedOn(lock: LockRow, slug: string): Promise<{ app: ExtensionAppRow; session: ExtensionSessionRow }> {
    const found = await findAppBySlug(db, slug);
    const app = found && found.id !== EXTERNAL_APP_ID ? found : undefined;
    const session = app ? await findActiveSessionOfApp(db, lock.id, app.id) : undefined;
    if (!app || !session) throw notFound(`Extension ${slug} on this lock`);
    return { app, session };
  }

  async function participantLock(userId: string, lockId: string): Promise<{ lock: LockRow; role: LockRole }> {
    const lock = await findLockById(db, lockId);
    const role = lock ? roleOf(lock, userId) : null;
    // Someone else's lock is indistinguishable from a missing one.
    if (!lock || !role) throw notFound('Lock');
    return { lock, role };
  }

  async function viewFor(userId: string, lockId: string): Promise<Lock> {
    const { lock } = await participantLock(userId, lockId);
    return (await loadViews([lock], userId))[0]!;
  }

  /**
   * The lock, once the policy table lets `userId` do `action` on it (its error otherwise), and
   * the user's role there. Only `archive` works on a lock that is over.
   */
  async function lockFor(userId: string, lockId: string, action: LockAction): Promise<{ lock: LockRow; role: LockRole }> {
    const lock = await findLockById(db, lockId);
    if (!lock) throw notFound('Lock');
    const verdict = decide(policyRoleOf({ kind: 'first_party', userId }, lock)!, action, { lock, settings: lock.settings, now: clock.now() });
    if (!verdict.allowed) throw new ApiError(verdict.code, verdict.message);
    if (action !== 'archive' && lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
    return { lock, role: roleOf(lock, userId)! };
  }

  return { installInTx, loadViews, installedOn, participantLock, viewFor, lockFor };
}

export type LockCore = ReturnType<typeof createLockCore>;

export function lockView(lock: LockRow, role: LockRole, users: Map<string, UserRow>, extensions: InstalledExtension[], now: number, task: TaskRow | null, allowed: LockAction[]): Lock {
  const hidden = timerHiddenFrom(lock, role);
  const keyholder = lock.keyholder_id ? users.get(lock.keyholder_id) : undefined;
  return {
    id: lock.id,
    title: lock.title,
    status: lock.status,
    wearer: publicUser(users.get(lock.wearer_id)!),
    keyholder: keyholder ? publicUser(keyholder) : null,
    keyholderStatus: lock.keyholder_status,
    keyholderTrusted: lock.keyholder_trusted_at !== null,
    role,
    allowedActions: allowed,
    startDate: iso(lock.started_at),
    endsAt: hidden ? null : isoOrNull(lock.ends_at),
    endDate: isoOrNull(lock.ended_at),
    frozenAt: isoOrNull(lock.frozen_at),
    timeRemainingSeconds: hidden ? null : remainingSeconds(lock, now),
    hiddenTimer: bool(lock.hidden_timer),
    maxEndsAt: hidden ? null : isoOrNull(lock.max_ends_at),
    minDate: isoOrNull(lock.min_date),
    maxDate: isoOrNull(lock.max_date),
    minLimitDate: isoOrNull(lock.min_limit_date),
    limitLockTime: lock.max_ends_at !== null,
    hideTimeLogs: bool(lock.hide_time_logs),
    isTestLock: bool(lock.is_test_lock),
    sharedLockId: lock.shared_lock_id,
    settings: lock.settings,
    frozenUntil: isoOrNull(lock.frozen_until),
    pillory: lock.pillory_until !== null && lock.pillory_until > now ? { until: iso(lock.pillory_until), reason: lock.pillory_reason } : null,
    hygienicOpening:
      lock.hygienic_started_at !== null && lock.hygienic_until !== null
        ? { startedAt: iso(lock.hygienic_started_at), relockBy: iso(lock.hygienic_until), overdue: now > lock.hygienic_until }
        : null,
    taskPoints: lock.task_points,
    currentTask: task
      ? {
          id: task.id,
          text: task.text,
          points: task.points,
          durationSeconds: task.duration_seconds,
          verificationRequired: bool(task.verification_required),
          timerEndsAt: isoOrNull(task.timer_ends_at),
          assignedBy: task.extension_slug ?? task.assigned_by,
          createdAt: iso(task.created_at),
        }
      : null,
    extensions,
    createdAt: iso(lock.created_at),
    updatedAt: iso(lock.updated_at),
    // The server's clock (virtual in the sandbox): clients count down against it, not theirs.
    serverNow: iso(now),
    archivedAt: isoOrNull(lock.archived_at),
  };
}
