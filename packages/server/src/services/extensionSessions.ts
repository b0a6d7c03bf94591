import type { DialectName } from '../db/connect.js';
import type {
  AggregatedBlocker,
  DeviceControl,
  ExtensionSession,
  HomeAction,
  LockData,
  Metadata,
  MetadataPatch,
  Profile,
  UnlockRequirementStatus,
} from '@latch/protocol';
import { BRIDGE_READ_ACTIONS } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { bool, fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findAppsByIds } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, findExtensionSession, insertExtensionSession, searchSessionsOfApp } from '../storage/extensionSessions.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { isUniqueViolation } from '../db/errors.js';
import { mutateSessionRow, type SessionChange } from './sessionRows.js';
import { sumProgress } from '../storage/requirementProgress.js';
import { attemptConfigOf, type AttemptService } from './attempts.js';
import type { RegularActionService } from './regularActions.js';
import type { RequirementService } from './requirements.js';
import { findLocksByIds } from '../storage/locks.js';
import { findLockViewRows, type ViewUser } from '../storage/sessionView.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { sessionConfigView } from './sessionConfig.js';
import { checkJsonDepth } from './freeFormJson.js';
import { writeHistory } from './history.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { acceptedKeyholderId, controllerOf, lockSettings, remainingSeconds, sessionLockView, timerHiddenFrom, unlockHolds, type LockRole } from './lockRules.js';
import { writeNotification } from './notifications.js';
import { backgroundRole, effectiveScopes } from './extensionApps.js';

/** Stored per session: the extension's own metadata. */
interface StoredMetadata {
  unlockBlockers: string[];
  homeActions: HomeAction[];
  unlockRequirements: Array<{ metric: string; requiredCount: number; blocker?: string }>;
}

export const MAX_STATE_BYTES = 64 * 1024;
export const RESERVED_STATE_KEYS = ['attemptLimits'] as const;

export interface Viewer {
  /** The launch role (main token), the cookie user's role, or null (app key alone). */
  role: LockRole | null;
  credentialMayMutate: boolean;
}

function storedMetadata(session: Pick<ExtensionSessionRow, 'metadata'>): StoredMetadata {
  const m = fromJson<Partial<StoredMetadata>>(session.metadata, {});
  return {
    unlockBlockers: Array.isArray(m.unlockBlockers) ? m.unlockBlockers : [],
    homeActions: Array.isArray(m.homeActions) ? m.homeActions : [],
    unlockRequirements: Array.isArray(m.unlockRequirements) ? m.unlockRequirements.filter((r) => r && typeof r.metric === 'string') : [],
  };
}

function requirementStatuses(meta: StoredMetadata, totals: Map<string, number>): UnlockRequirementStatus[] {
  return meta.unlockRequirements.map((r) => {
    const requiredCount = Math.max(1, Math.floor(Number(r.requiredCount) || 1));
    const count = totals.get(r.metric) ?? 0;
    return {
      metric: r.metric,
      requiredCount,
      blocker: r.blocker || `${r.metric}: ${requiredCount} required`,
      count,
      satisfied: count >= requiredCount,
    };
  });
}

/** Rejects keys MongoDB-era clients cannot store (`$…`, `a.b`) and pathological nesting. */
export function checkStateKeys(value: unknown, path = 'data', depth = 0): void {
  // The one free-form depth limit, checked once without recursion; the walk below then stays shallow.
  if (depth === 0) checkJsonDepth(value, '/data', 'State');
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkStateKeys(v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') || k.includes('.')) {
        throw new ApiError('invalid_state_key', `State key "${k}" at ${path} may not start with $ or contain a dot`, { path: `${path}.${k}` });
      }
      checkStateKeys(v, `${path}.${k}`, depth + 1);
    }
  }
}

/** RFC 7386 JSON merge patch: null deletes, objects merge, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

export const etagOf = (version: number) => `"${version}"`;

function ifMatchHolds(ifMatch: string | undefined, version: number): boolean {
  if (ifMatch === undefined) return true;
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    // Strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
    .some((t) => t === '*' || t === etagOf(version));
}

export function createExtensionSessionService({
  db,
  clock,
  ids,
  dialect,
  requirements,
  attempts,
  regularActions,
  devices,
}: ServiceDeps & {
  dialect: DialectName;
  requirements: RequirementService;
  attempts: AttemptService;
  regularActions: RegularActionService;
  /** `deviceControl` per lock (the device service). */
  devices: { controlOf(lockIds: string[]): Promise<Map<string, DeviceControl>> };
}) {
  /**
   * Blockers of every enabled extension on these locks, with requirement progress, which locks
   * have an open task, and (`userIds`) those users: one statement (storage/sessionView.ts).
   */
  async function lockContext(lockIds: string[], userIds: string[] = []) {
    const rows = await findLockViewRows(db, dialect, lockIds, userIds);
    const totals = new Map<string, Map<string, number>>();
    for (const r of rows.progress) {
      if (!totals.has(r.session_id)) totals.set(r.session_id, new Map());
      totals.get(r.session_id)!.set(r.metric, r.total);
    }
    const openTasks = new Set(rows.openTaskLockIds);
    const blockersByLock = new Map<string, AggregatedBlocker[]>();
    for (const s of rows.sessions) {
      const meta = storedMetadata(s);
      const list = blockersByLock.get(s.lock_id) ?? [];
      for (const b of meta.unlockBlockers) list.push({ sessionId: s.id, extensionSlug: s.slug, extensionName: s.name, kind: 'manual', blocker: b });
      for (const r of requirementStatuses(meta, totals.get(s.id) ?? new Map())) {
        if (!r.satisfied) list.push({ sessionId: s.id, extensionSlug: s.slug, extensionName: s.name, kind: 'requirement', blocker: r.blocker, metric: r.metric, count: r.count, requiredCount: r.requiredCount });
      }
      blockersByLock.set(s.lock_id, list);
    }
    return { blockersByLock, totals, openTasks, users: new Map(rows.users.map((u) => [u.id, u])) };
  }

  function metadataView(session: ExtensionSessionRow, ctx: Awaited<ReturnType<typeof lockContext>>): Metadata {
    const meta = storedMetadata(session);
    const aggregated = ctx.blockersByLock.get(session.lock_id) ?? [];
    return {
      unlockBlockers: meta.unlockBlockers,
      homeActions: meta.homeActions,
      unlockRequirements: requirementStatuses(meta, ctx.totals.get(session.id) ?? new Map()),
      aggregatedUnlockBlockers: aggregated,
      unlockBlocked: aggregated.length > 0,
    };
  }

  function lockData(lock: LockRow, users: Map<string, ViewUser>, blockers: AggregatedBlocker[], taskAssigned: boolean, viewer: Viewer, now: number): LockData {
    const settings = lockSettings(lock);
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

  /** `viewer`: one for all rows, or each row's own (search). */
  async function sessionViews(rows: Array<{ session: ExtensionSessionRow; lock: LockRow; app: ExtensionAppRow }>, viewerOrEach: Viewer | ((session: ExtensionSessionRow) => Viewer)): Promise<ExtensionSession[]> {
    const now = clock.now();
    const lockIds = [...new Set(rows.map((r) => r.lock.id))];
    const userIds = [...new Set(rows.flatMap((r) => [r.lock.wearer_id, r.lock.keyholder_id].filter((x): x is string => !!x)))];
    // Independent reads: on PostgreSQL they go out on two pooled connections at once.
    const [ctx, deviceControl] = await Promise.all([lockContext(lockIds, userIds), devices.controlOf(lockIds)]);
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

  const mutateSession = <T>(sessionId: string, change: SessionChange<T>) => mutateSessionRow(db, dialect, clock, sessionId, change);

  function stateOf(row: ExtensionSessionRow): Record<string, unknown> {
    return fromJson<Record<string, unknown>>(row.state, {});
  }

  function checkedState(next: Record<string, unknown>): string {
    const text = toJson(next);
    if (Buffer.byteLength(text) > MAX_STATE_BYTES) throw new ApiError('state_too_large', `State may be at most ${MAX_STATE_BYTES} bytes serialized; this would be ${Buffer.byteLength(text)}`);
    return text;
  }

  function refuseReserved(data: Record<string, unknown>) {
    for (const k of RESERVED_STATE_KEYS) {
      if (Object.hasOwn(data, k)) throw new ApiError('reserved_key', `data.${k} is managed by the platform; use the attempts endpoints`, { key: k });
    }
  }

  /** `extension_session.updated` for a state write: the new state as GET …/state shows it. */
  function stateUpdated(tx: Executor, row: ExtensionSessionRow, data: Record<string, unknown>, version: number) {
    return emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: row }, () => ({ change: 'state', state: { data, etag: etagOf(version) } }));
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
      const { rows, count } = await searchSessionsOfApp(db, { appId: app.id, status: q.status, limit: q.limit + 1, afterId: q.paginationLastId ?? null });
      const page = rows.slice(0, q.limit);
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
      return { count, hasMore: rows.length > q.limit, results: views.map((v) => ({ ...v, paginationId: v.sessionId })) };
    },

    getState(session: ExtensionSessionRow) {
      return { data: stateOf(session), version: session.state_version };
    },

    async putState(sessionId: string, data: Record<string, unknown>, ifMatch?: string) {
      checkStateKeys(data);
      refuseReserved(data);
      return mutateSession(sessionId, async (row) => {
        if (!ifMatchHolds(ifMatch, row.state_version)) throw new ApiError('precondition_failed', `If-Match does not match the current ETag ${etagOf(row.state_version)}`);
        const current = stateOf(row);
        // PUT replaces everything the extension owns; platform-managed keys stay.
        const next: Record<string, unknown> = { ...data };
        for (const k of RESERVED_STATE_KEYS) if (Object.hasOwn(current, k)) next[k] = current[k];
        const version = row.state_version + 1;
        return { patch: { state: checkedState(next), state_version: version }, result: { data: next, version }, after: (tx) => stateUpdated(tx, row, next, version) };
      });
    },

    async patchState(sessionId: string, patch: Record<string, unknown>, ifMatch?: string) {
      checkStateKeys(patch);
      refuseReserved(patch);
      return mutateSession(sessionId, async (row) => {
        if (!ifMatchHolds(ifMatch, row.state_version)) throw new ApiError('precondition_failed', `If-Match does not match the current ETag ${etagOf(row.state_version)}`);
        const next = mergePatch(stateOf(row), patch) as Record<string, unknown>;
        const version = row.state_version + 1;
        return { patch: { state: checkedState(next), state_version: version }, result: { data: next, version }, after: (tx) => stateUpdated(tx, row, next, version) };
      });
    },

    async getMetadata(session: ExtensionSessionRow): Promise<Metadata> {
      return metadataView(session, await lockContext([session.lock_id]));
    },

    /** Replaces only the arrays the patch names, in this extension's metadata only. */
    async patchMetadata(sessionId: string, patch: MetadataPatch): Promise<Metadata> {
      patch.homeActions?.forEach((a, i) => checkJsonDepth(a.intent?.payload, `/homeActions/${i}/intent/payload`, `homeActions[${i}].intent.payload`));
      if (patch.homeActions) {
        const slugs = patch.homeActions.map((a) => a.slug);
        const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
        if (dup) throw new ApiError('invalid_request', `Home action slug "${dup}" appears twice`, [{ in: 'body', path: '/homeActions', message: `duplicate slug ${dup}` }]);
      }
      const row = await mutateSession(sessionId, async (r) => {
        const meta = storedMetadata(r);
        const next: StoredMetadata = {
          ...meta,
          ...(patch.unlockBlockers ? { unlockBlockers: patch.unlockBlockers } : {}),
          ...(patch.homeActions ? { homeActions: patch.homeActions } : {}),
        };
        const metadata = toJson(next);
        const after = (tx: Executor) =>
          emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: r }, () => ({
            change: 'metadata',
            metadata: { unlockBlockers: next.unlockBlockers, homeActions: next.homeActions },
          }));
        return { patch: { metadata }, result: { ...r, metadata, version: r.version + 1 }, after };
      });
      return metadataView(row, await lockContext([row.lock_id]));
    },

    async customLog(session: ExtensionSessionRow, app: ExtensionAppRow, body: { title: string; description?: string; icon?: string; color?: string; role?: 'extension' | 'wearer' | 'keyholder' }) {
      const now = clock.now();
      // One transaction: the entry and its webhook deliveries stand or fall together.
      const id = await db.transaction().execute((tx) => writeHistory(tx, ids, now, {
        lockId: session.lock_id,
        type: 'extension_custom',
        role: body.role ?? 'extension',
        extensionSlug: app.slug,
        title: body.title,
        description: body.description ?? '',
        icon: body.icon ?? null,
        color: body.color ?? null,
        payload: { sessionId: session.id },
      }));
      return { id, lockId: session.lock_id, type: 'extension_custom', role: body.role ?? 'extension', extensionSlug: app.slug, title: body.title, description: body.description ?? '', icon: body.icon ?? null, color: body.color ?? null, createdAt: iso(now) };
    },

    async customNotification(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow, body: { title: string; message?: string; showPageOverlay?: boolean; target?: 'wearer' | 'keyholder' | 'both' }) {
      const target = body.target ?? 'wearer';
      // A self-lock's wearer is their own keyholder.
      const keyholderId = controllerOf(lock);
      const recipients = [...new Set(target === 'wearer' ? [lock.wearer_id] : target === 'keyholder' ? [keyholderId] : [lock.wearer_id, keyholderId])];
      const now = clock.now();
      const created = await db.transaction().execute(async (tx) => {
        const out: Array<{ id: string; userId: string }> = [];
        for (const userId of recipients) {
          const id = await writeNotification(tx, ids, now, {
            userId,
            lockId: lock.id,
            type: 'extension_app_message',
            title: body.title,
            message: body.message ?? '',
            showPageOverlay: body.showPageOverlay ?? false,
            payload: { sessionId: session.id, extensionSlug: app.slug, extensionName: app.name },
          });
          out.push({ id, userId });
        }
        return out;
      });
      return { type: 'extension_app_message' as const, target, notifications: created, createdAt: iso(now) };
    },

    /** Trusted progress for a metric this session knows (unlock requirement or required progress). */
    async recordProgress(session: ExtensionSessionRow, app: ExtensionAppRow, body: { metric: string; amount?: number; occurredAt?: string }) {
      const meta = storedMetadata(session);
      const attemptMetric = attemptConfigOf(session, app)?.metric;
      const known = new Set([...meta.unlockRequirements.map((r) => r.metric), ...(attemptMetric ? [attemptMetric] : [])]);
      const recorded = await requirements.record(session, app, known, body);
      if (attemptMetric === body.metric) await attempts.completeOnProgress(session.id, body.metric);
      const totals = new Map((await sumProgress(db, [session.id])).map((r) => [r.metric, r.total]));
      const requirement = requirementStatuses(meta, totals).find((r) => r.metric === body.metric) ?? null;
      return {
        metric: body.metric,
        amount: recorded.amount,
        occurredAt: iso(recorded.occurredAt),
        total: totals.get(body.metric) ?? recorded.amount,
        unlockRequirement: requirement,
        window: recorded.window,
      };
    },
  };
}

export type ExtensionSessionService = ReturnType<typeof createExtensionSessionService>;
