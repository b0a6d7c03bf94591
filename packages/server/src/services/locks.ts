import type { DialectName } from '../db/connect.js';
import type { AggregatedBlocker, InstalledExtension, Lock, LockSettingsInput } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { bool, fromJson, int, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow, LockUpdate, TaskRow, UserRow } from '../db/types.js';
import { findOpenTasksOfLocks } from '../storage/tasks.js';
import type { IdGenerator } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { findAppsByIds, findAppsBySlugs, findAppBySlug } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, findActiveSessionsOfLocks, insertExtensionSession, markSessionRemoved, setSessionBackground, setSessionGrantedScopes } from '../storage/extensionSessions.js';
import { listHistoryLogs } from '../storage/historyLogs.js';
import { revokeMainTokensOfUserOnLock } from '../storage/mainTokens.js';
import { findLockById, insertLock, listLocksForUser, updateLockIfVersion } from '../storage/locks.js';
import { findUserByUsername, findUsersByIds } from '../storage/users.js';
import { publicUser } from './accounts.js';
import { DEFAULT_LOCK_SETTINGS, lockSettings, mergeSettings, remainingSeconds, roleOf, timerHiddenFrom, unlockHolds, type LockRole } from './lockRules.js';
import { allowedActions, decide, policyRoleOf, type LockAction } from './lockPolicy.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { iso, isoOrNull, pageOf, type ServiceDeps } from './deps.js';
import { checkJsonDepth, MAX_CONFIG_BYTES } from './freeFormJson.js';
import { appScheduledDefault, SCHEDULED_CONFIG_KEYS, sessionConfigView } from './sessionConfig.js';
import { historyView, writeHistory } from './history.js';
import { writeNotification } from './notifications.js';
import { configUnlockRequirements } from './requirementRules.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { mutateSessionRow } from './sessionRows.js';
import { randomInt } from 'node:crypto';
import { drawDuration, durationTerms, termDates, TIME_LOG_TYPES, timeLogsHiddenFrom, type DurationInput } from './lockLimits.js';
import { BACKGROUND_SCOPE, effectiveScopes, grantedScopes, pendingScopes, requestedScopes, requestsBackground } from './extensionApps.js';

/** Extension config (and state) larger than this is refused: it rides along on every session read. */
export { MAX_CONFIG_BYTES };

export interface ExtensionChoice {
  slug: string;
  config?: Record<string, unknown>;
  /** Grant the app background access to this session (it must request `sessions:background`). */
  background?: boolean;
}

/** A background grant needs the app to request it: refused before anything is written. */
function checkBackgroundRequest(app: ExtensionAppRow, wanted: boolean | undefined, pointer: string) {
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

export interface CreateLockInput extends DurationInput {
  title: string;
  hiddenTimer?: boolean;
  hideTimeLogs?: boolean;
  isTestLock?: boolean;
  keyholderUsername?: string;
  settings?: LockSettingsInput;
  extensions?: ExtensionChoice[];
}

/** A session about to be created: its config and its first metadata, both checked. */
interface PreparedInstall {
  config: string;
  metadata: string;
}

/**
 * The installed config (the one given, else the app's default) and the session's first
 * metadata. The app's `initialMetadata` seeds it, so blockers exist before the first open; the
 * config's `unlockRequirements`, when present, replace the app's for this lock. `pointer` is
 * where the config sits in the request body, for the error details.
 */
function prepareInstall(app: ExtensionAppRow, config: Record<string, unknown> | undefined, pointer: string): PreparedInstall {
  const effective = config ?? fromJson<Record<string, unknown>>(app.default_config, {});
  checkJsonDepth(effective, pointer, config ? `Config for ${app.slug}` : `Default config of ${app.slug}`);
  const text = toJson(effective);
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ApiError('invalid_request', `Config for ${app.slug} is larger than ${MAX_CONFIG_BYTES} bytes`, { slug: app.slug });
  }
  const label = config ? `Config for ${app.slug}` : `Default config of ${app.slug}`;
  const override = effective && typeof effective === 'object' && !Array.isArray(effective) ? configUnlockRequirements(effective, pointer, label) : undefined;
  const initial = fromJson<{ unlockRequirements?: unknown[]; homeActions?: unknown[] }>(app.initial_metadata, {});
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

export function createLockService({ db, clock, ids, dialect }: ServiceDeps & { dialect: DialectName }, hooks: LockHooks = {}) {
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
      granted_scopes: app.scopes,
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
      const allowed = allowedActions(policyRole, { lock, settings: lockSettings(lock), now, openTask: task !== null, holds: unlockHolds(lock, blockers.get(lock.id) ?? [], now) });
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
    const verdict = decide(policyRoleOf({ kind: 'first_party', userId }, lock)!, action, { lock, settings: lockSettings(lock), now: clock.now() });
    if (!verdict.allowed) throw new ApiError(verdict.code, verdict.message);
    if (action !== 'archive' && lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
    return { lock, role: roleOf(lock, userId)! };
  }

  interface PartyChange {
    patch: LockUpdate;
    /** Whose launch tokens end with the change: they carry a role that user no longer holds (issue 16). */
    revokeTokensOf?: string;
    history: { type: string; title: string };
    notify: { userId: string; type: string; title: string; message: string };
  }

  /** Who holds the key changes (invitation answered or withdrawn, keyholder trusted or resigned): one write, logged and told. */
  async function changeParties(user: UserRow, lockId: string, action: LockAction, decideChange: (lock: LockRow, role: LockRole) => PartyChange | null): Promise<void> {
    const { lock, role } = await lockFor(user.id, lockId, action);
    const change = decideChange(lock, role);
    if (change) {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await updateLockIfVersion(tx, lock.id, lock.version, { ...change.patch, updated_at: now }))) throw new ApiError('conflict', 'The lock changed meanwhile; reload and try again');
        if (change.revokeTokensOf) await revokeMainTokensOfUserOnLock(tx, lock.id, change.revokeTokensOf, now);
        await writeHistory(tx, ids, now, { lockId: lock.id, type: change.history.type, role, actorUserId: user.id, title: change.history.title });
        await writeNotification(tx, ids, now, { ...change.notify, lockId: lock.id });
      });
    }
  }

  return {
    /**
     * A new lock worn by `wearer`. `inTx` runs in the lock's creation transaction (the combination
     * is stored with it). `from` is for a lock loaded from a shared lock: its keyholder comes in
     * already accepted (publishing the template was their consent).
     */
    async create(wearer: UserRow, input: CreateLockInput, inTx?: (tx: Executor, lockId: string) => Promise<void>, from?: { sharedLockId: string; keyholder: UserRow }): Promise<Lock> {
      const now = clock.now();
      let keyholder: UserRow | undefined = from?.keyholder;
      if (from && from.keyholder.id === wearer.id) throw new ApiError('invalid_request', 'You published this shared lock: you cannot be your own keyholder');
      if (input.keyholderUsername !== undefined) {
        keyholder = await findUserByUsername(db, input.keyholderUsername);
        if (!keyholder) throw new ApiError('invalid_request', `No user named ${input.keyholderUsername}`, [{ in: 'body', path: '/keyholderUsername', message: 'unknown user' }]);
        if (keyholder.id === wearer.id) throw new ApiError('invalid_request', 'You cannot be your own keyholder; leave keyholderUsername out for a self-lock', [{ in: 'body', path: '/keyholderUsername', message: 'is the wearer' }]);
      }
      const terms = durationTerms(input);
      const choices = input.extensions ?? [];
      const slugs = choices.map((c) => c.slug);
      if (new Set(slugs).size !== slugs.length) throw new ApiError('invalid_request', 'An extension can be installed once per lock', [{ in: 'body', path: '/extensions', message: 'duplicate slug' }]);
      const apps = new Map((await findAppsBySlugs(db, slugs)).filter((a) => a.id !== EXTERNAL_APP_ID).map((a) => [a.slug, a]));
      const missing = slugs.filter((s) => !apps.has(s));
      if (missing.length) throw new ApiError('invalid_request', `Unknown extension ${missing.join(', ')}`, missing.map((s) => ({ in: 'body', path: '/extensions', message: `unknown slug ${s}` })));
      // Every config is checked before anything is written.
      const prepared = choices.map((c, i) => prepareInstall(apps.get(c.slug)!, c.config, `/extensions/${i}/config`));
      choices.forEach((c, i) => checkBackgroundRequest(apps.get(c.slug)!, c.background, `/extensions/${i}/background`));

      // Drawn by the server: with a hidden timer the wearer never learns it (DECISIONS §4).
      const drawn = drawDuration(terms, randomInt);
      const lock: LockRow = {
        id: ids.objectId(),
        wearer_id: wearer.id,
        keyholder_id: keyholder?.id ?? null,
        keyholder_status: keyholder ? (from ? 'accepted' : 'pending') : null,
        keyholder_trusted_at: null,
        title: input.title,
        status: 'locked',
        started_at: now,
        ...termDates(terms, now, drawn),
        hide_time_logs: int(input.hideTimeLogs ?? false),
        is_test_lock: int(input.isTestLock ?? false),
        visitor_votes_required: 0,
        visitor_votes: 0,
        shared_lock_id: from?.sharedLockId ?? null,
        frozen_at: null,
        hidden_timer: int(input.hiddenTimer ?? false),
        ended_at: null,
        settings: toJson(mergeSettings(DEFAULT_LOCK_SETTINGS, input.settings)),
        version: 1,
        created_at: now,
        updated_at: now,
        pillory_until: null,
        pillory_reason: null,
        hygienic_until: null,
        task_points: 0,
        frozen_until: null,
        hygienic_started_at: null,
        archived_at: null,
      };
      await db.transaction().execute(async (tx) => {
        await insertLock(tx, lock);
        if (inTx) await inTx(tx, lock.id);
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'lock_started',
          role: 'wearer',
          actorUserId: wearer.id,
          title: 'Lock started',
          description: from ? `From the shared lock of ${keyholder!.username}` : keyholder ? `Keyholder ${keyholder.username} invited` : 'Self-lock',
          payload: {
            // The drawn duration is the keyholder's to know when the timer is hidden.
            durationSeconds: lock.hidden_timer ? null : drawn,
            randomDuration: terms.durationMinSeconds !== terms.durationMaxSeconds ? { minSeconds: terms.durationMinSeconds, maxSeconds: terms.durationMaxSeconds } : null,
            maxDurationSeconds: terms.maxLimitSeconds ?? null,
            minLimitDurationSeconds: terms.minLimitSeconds ?? null,
            hiddenTimer: bool(lock.hidden_timer),
            hideTimeLogs: bool(lock.hide_time_logs),
            isTestLock: bool(lock.is_test_lock),
            sharedLockId: lock.shared_lock_id,
          },
        });
        for (const [i, c] of choices.entries()) await installInTx(tx, lock, apps.get(c.slug)!, prepared[i]!, wearer.id, 'wearer', now, c.background === true);
        if (keyholder) {
          await writeNotification(tx, ids, now, {
            userId: keyholder.id,
            lockId: lock.id,
            type: from ? 'shared_lock_loaded' : 'keyholder_invitation',
            title: from ? 'Shared lock loaded' : 'Keyholder invitation',
            message: from ? `${wearer.username} locked with your shared lock: you hold the key of “${lock.title}”` : `${wearer.username} asks you to hold the key of “${lock.title}”`,
          });
        }
      });
      return (await loadViews([lock], wearer.id))[0]!;
    },

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

    /** The invited keyholder accepts (takes control) or declines (the lock stays a self-lock). */
    async answerInvitation(user: UserRow, lockId: string, accept: boolean): Promise<{ lockId: string; keyholderStatus: 'accepted' | 'declined' }> {
      await changeParties(user, lockId, accept ? 'invitation.accept' : 'invitation.decline', (lock) => ({
        patch: { keyholder_status: accept ? 'accepted' : 'declined' },
        // Launch tokens carry the role they were issued for: a declined invitee keeps none (issue 16).
        revokeTokensOf: accept ? undefined : user.id,
        history: { type: accept ? 'keyholder_accepted' : 'keyholder_declined', title: accept ? `${user.username} is now the keyholder` : `${user.username} declined to be the keyholder` },
        notify: {
          userId: lock.wearer_id,
          type: accept ? 'keyholder_accepted' : 'keyholder_declined',
          title: accept ? 'Keyholder accepted' : 'Keyholder declined',
          message: accept ? `${user.username} now holds the key of “${lock.title}”` : `${user.username} declined; “${lock.title}” stays a self-lock`,
        },
      }));
      return { lockId, keyholderStatus: accept ? 'accepted' : 'declined' };
    },

    /** The wearer takes back an invitation nobody answered: the lock stays a self-lock. */
    async withdrawInvitation(user: UserRow, lockId: string): Promise<Lock> {
      await changeParties(user, lockId, 'invitation.withdraw', (lock) => ({
        patch: { keyholder_status: 'withdrawn' },
        revokeTokensOf: lock.keyholder_id!,
        history: { type: 'keyholder_invitation_withdrawn', title: `${user.username} withdrew the keyholder invitation` },
        notify: { userId: lock.keyholder_id!, type: 'keyholder_invitation_withdrawn', title: 'Invitation withdrawn', message: `${user.username} withdrew the invitation to hold the key of “${lock.title}”` },
      }));
      return viewFor(user.id, lockId);
    },

    /** The wearer trusts the keyholder with the extensions (Chaster's "Trust my keyholder"); irreversible, so trusting again changes nothing. */
    async trustKeyholder(user: UserRow, lockId: string): Promise<Lock> {
      await changeParties(user, lockId, 'keyholder.trust', (lock) =>
        lock.keyholder_trusted_at !== null
          ? null
          : {
              patch: { keyholder_trusted_at: clock.now() },
              history: { type: 'keyholder_trusted', title: `${user.username} trusts the keyholder with the extensions` },
              notify: { userId: lock.keyholder_id!, type: 'keyholder_trusted', title: 'You are trusted', message: `${user.username} trusts you with the extensions of “${lock.title}”` },
            },
      );
      return viewFor(user.id, lockId);
    },

    /** The keyholder gives the key back: the lock becomes a self-lock and their launch tokens end. */
    async resignKeyholder(user: UserRow, lockId: string): Promise<{ lockId: string; keyholderStatus: 'resigned' }> {
      await changeParties(user, lockId, 'keyholder.resign', (lock) => ({
        patch: { keyholder_status: 'resigned' },
        revokeTokensOf: user.id,
        history: { type: 'keyholder_resigned', title: `${user.username} resigned as the keyholder` },
        notify: { userId: lock.wearer_id, type: 'keyholder_resigned', title: 'Keyholder resigned', message: `${user.username} no longer holds the key of “${lock.title}”: it is a self-lock now` },
      }));
      return { lockId, keyholderStatus: 'resigned' };
    },

    async installExtension(user: UserRow, lockId: string, choice: ExtensionChoice): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.install');
      const app = await findAppBySlug(db, choice.slug);
      if (!app || app.id === EXTERNAL_APP_ID) throw notFound(`Extension ${choice.slug}`);
      if (await findActiveSessionOfApp(db, lock.id, app.id)) throw new ApiError('extension_already_installed', `${app.slug} is already installed on this lock`);
      const prepared = prepareInstall(app, choice.config, '/config');
      checkBackgroundRequest(app, choice.background, '/background');
      const now = clock.now();
      const row = await db.transaction().execute((tx) => installInTx(tx, lock, app, prepared, user.id, role, now, choice.background === true));
      return installedView(row, app);
    },

    /**
     * The lock's controller approves scopes the app added after it was installed here (issue 16).
     * `scopes` are the ones the page showed: each must be one the app asks for now (409 `conflict`
     * otherwise: the app changed since); approving what is already approved changes nothing.
     */
    async approveScopes(user: UserRow, lockId: string, slug: string, scopes: string[]): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      const requested = requestedScopes(app);
      const gone = scopes.filter((s) => !requested.includes(s));
      if (gone.length > 0) throw new ApiError('conflict', `${app.name} no longer asks for ${gone.join(', ')}: reload and review its permissions again`, { scopes: gone });
      const pending = pendingScopes(app, session);
      const approving = [...new Set(scopes)].filter((s) => pending.includes(s));
      if (approving.length === 0) return installedView(session, app);
      const granted = [...new Set([...(grantedScopes(session) ?? []), ...approving])];
      const now = clock.now();
      const updated = await db.transaction().execute(async (tx) => {
        const row = await setSessionGrantedScopes(tx, session.id, toJson(granted), now);
        if (!row) return undefined;
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'extension_scopes_approved',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: `${app.name} got new permissions`,
          description: approving.join(', '),
          payload: { sessionId: session.id, slug: app.slug, scopes: approving },
        });
        return row;
      });
      if (!updated) throw notFound(`Extension ${slug} on this lock`);
      return installedView(updated, app);
    },

    /**
     * Gives or takes back an installed extension's background access (the lock's controller).
     * Taking it back is immediate: the next app-key-only call gets `main_token_required`.
     */
    async setBackground(user: UserRow, lockId: string, slug: string, granted: boolean): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      checkBackgroundRequest(app, granted, '/granted');
      const now = clock.now();
      const grant = granted ? { at: now, by: user.id, role } : null;
      const updated = await db.transaction().execute(async (tx) => {
        const row = await setSessionBackground(tx, session.id, grant, now);
        // Already as asked (maybe by a request at the same moment): nothing to record.
        if (!row) return undefined;
        await emitWebhookEvent(tx, ids, now, 'extension_session.updated', { session: row }, () => ({ change: 'background', background: installedView(row, app).background }));
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: granted ? 'extension_background_granted' : 'extension_background_revoked',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: granted ? `${app.name} may act in the background` : `${app.name} no longer acts in the background`,
          description: granted ? `It may act on this lock while nobody has it open (as the ${role})` : undefined,
          payload: { sessionId: session.id, slug: app.slug },
        });
        return row;
      });
      if (updated) return installedView(updated, app);
      const current = await findActiveSessionOfApp(db, lock.id, app.id);
      if (!current) throw notFound(`Extension ${slug} on this lock`);
      return installedView(current, app);
    },

    /**
     * Replaces an installed extension's config (the lock's controller, through the app's setup
     * page). Its `unlockRequirements` take effect at once (progress so far counts against the new
     * numbers). The keys latch schedules work from (`extensionRequirements`, `attemptLimit`,
     * `regularActions`) cannot change on a running lock: windows, rounds and buckets already
     * run under them. Remove and add the extension for that.
     */
    async changeConfig(user: UserRow, lockId: string, slug: string, config: Record<string, unknown>): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      // The config the page read back carries the app's defaults for the scheduled keys
      // (sessionConfigView): sent back unchanged, they are not an override, so not stored.
      const before = fromJson<Record<string, unknown>>(session.config, {});
      const echoed = SCHEDULED_CONFIG_KEYS.filter((k) => before[k] === undefined && config[k] !== undefined && toJson(config[k]) === toJson(appScheduledDefault(app, k)));
      if (echoed.length) config = Object.fromEntries(Object.entries(config).filter(([k]) => !(echoed as string[]).includes(k)));
      const prepared = prepareInstall(app, config, '/config');
      const row = await mutateSessionRow(db, dialect, clock, session.id, async (current) => {
        if (current.removed_at !== null) throw notFound(`Extension ${slug} on this lock`);
        const before = fromJson<Record<string, unknown>>(current.config, {});
        const changed = SCHEDULED_CONFIG_KEYS.filter((k) => toJson(before[k] ?? null) !== toJson(config[k] ?? null));
        if (changed.length) {
          throw new ApiError(
            'invalid_request',
            `${changed.join(', ')} cannot change on a running lock (latch already schedules work from ${changed.length === 1 ? 'it' : 'them'}); remove the extension and add it again`,
            changed.map((k) => ({ in: 'body', path: `/config/${k}`, message: 'cannot change on a running lock' })),
          );
        }
        if (current.config === prepared.config) return { patch: {}, result: current };
        const metadata = toJson({ ...fromJson<Record<string, unknown>>(current.metadata, {}), unlockRequirements: fromJson<{ unlockRequirements: unknown }>(prepared.metadata, { unlockRequirements: [] }).unlockRequirements });
        const now = clock.now();
        return {
          patch: { config: prepared.config, metadata },
          result: { ...current, config: prepared.config, metadata, version: current.version + 1, updated_at: now },
          async after(tx) {
            await emitWebhookEvent(tx, ids, now, 'extension_session.updated', { session: current }, () => ({ change: 'config', config }));
            await writeHistory(tx, ids, now, {
              lockId: lock.id,
              type: 'extension_config_changed',
              role,
              actorUserId: user.id,
              extensionSlug: app.slug,
              title: `${app.name} settings changed`,
              payload: { sessionId: session.id, slug: app.slug },
            });
          },
        };
      });
      return installedView(row, app);
    },

    async removeExtension(user: UserRow, lockId: string, slug: string): Promise<void> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.remove');
      const { app, session } = await installedOn(lock, slug);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await markSessionRemoved(tx, session.id, now))) throw notFound(`Extension ${slug} on this lock`);
        await emitWebhookEvent(tx, ids, now, 'extension_session.deleted', { session }, () => ({ removedAt: iso(now) }));
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'extension_removed',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: `Extension ${app.name} removed`,
          payload: { sessionId: session.id, slug: app.slug },
        });
      });
    },

    async history(userId: string, lockId: string, page: { limit: number; before?: string }) {
      const { lock, role } = await participantLock(userId, lockId);
      const { rows, hasMore } = await pageOf(page.limit, (limit) => listHistoryLogs(db, lockId, limit, page.before, timeLogsHiddenFrom(lock, role) ? TIME_LOG_TYPES : []));
      const actorIds = [...new Set(rows.map((r) => r.actor_user_id).filter((x): x is string => !!x))];
      const usernames = new Map((await findUsersByIds(db, actorIds)).map((u) => [u.id, u.username]));
      return { results: rows.map((r) => historyView(r, usernames)), hasMore };
    },
  };
}

export type LockService = ReturnType<typeof createLockService>;

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
    settings: lockSettings(lock),
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
