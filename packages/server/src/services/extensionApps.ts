import type { ExtensionSummary, Habit, Scope } from '@latch/protocol';
import { DEFAULT_SCOPES } from '@latch/protocol';
import { checkAppName } from './reservedNames.js';
import { ApiError, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import { acceptedKeyholderId, controllerOf, type LockRole } from './lockRules.js';
import { findAppById, findAppBySlug, insertExtensionApp, listApps, listAppsOfOwner, updateExtensionApp } from '../storage/extensionApps.js';
import { iso, pageOf, type ServiceDeps } from './deps.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { appHasSessions, findRunningInstallsOfApp, countSessionsOfApp, listSessionsOfApp } from '../storage/extensionSessions.js';
import { writeNotification } from './notifications.js';
import { findLocksByIds } from '../storage/locks.js';
import { findUsersByIds } from '../storage/users.js';
import { configUnlockRequirements } from './requirementRules.js';
import { sessionConfigView } from './sessionConfig.js';
import { checkedJson } from './freeFormJson.js';

export type AppDialect = 'chastify' | 'chaster';

export interface NewAppInput {
  slug: string;
  /** The wire shapes its credentials get (DECISIONS §14); fixed once the app has a session. */
  dialect?: AppDialect;
  name: string;
  description?: string;
  iframeUrl?: string | null;
  setupUrl?: string | null;
  allowedOrigins?: string[];
  scopes?: Scope[];
  defaultConfig?: Record<string, unknown>;
  initialMetadata?: Record<string, unknown>;
  regularActions?: Record<string, unknown> | null;
  extensionRequirements?: unknown;
  attemptLimit?: Record<string, unknown> | null;
  /** Penalties (Chaster's built-in): habits locks may enable; names unique. */
  habits?: Habit[];
}

/** Whether a stored URL is http(s) with a real origin (never `javascript:`, `data:` or an opaque "null" origin). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== 'null';
  } catch {
    return false;
  }
}

/** 400 `invalid_request` naming the field for any app URL that is not http(s) (the routes' schemas say so too; services may be called without them). */
export function checkAppUrls(input: Pick<NewAppInput, 'iframeUrl' | 'setupUrl' | 'allowedOrigins'>, prefix = ''): void {
  const bad: Array<{ in: 'body'; path: string; message: string }> = [];
  for (const field of ['iframeUrl', 'setupUrl'] as const) {
    const v = input[field];
    if (v !== undefined && v !== null && !isHttpUrl(v)) bad.push({ in: 'body', path: `${prefix}/${field}`, message: 'must be an http(s) URL' });
  }
  input.allowedOrigins?.forEach((o, i) => {
    if (!isHttpUrl(o)) bad.push({ in: 'body', path: `${prefix}/allowedOrigins/${i}`, message: 'must be an http(s) origin' });
  });
  if (bad.length) throw new ApiError('invalid_request', `${bad[0]!.path.slice(1)} must be an http(s) URL`, bad);
}

/** The origins a launch may answer to: the registered ones, else the origins of the app's own URLs. */
export function originsOf(input: Pick<NewAppInput, 'iframeUrl' | 'setupUrl' | 'allowedOrigins'>): string[] {
  if (input.allowedOrigins && input.allowedOrigins.length) return [...new Set(input.allowedOrigins.map((o) => new URL(o).origin))];
  return [...new Set([input.iframeUrl, input.setupUrl].filter((u): u is string => !!u).map((u) => new URL(u).origin))];
}

export const BACKGROUND_SCOPE = 'sessions:background';

/** A Chaster app's client id: public (extensions send it in `X-Chaster-Client-Id`), so not hashed. */
function newClientId(ids: ServiceDeps['ids']): string {
  return ids.secret('cid_', 16);
}
/** The scopes the app asks for. */
export const requestedScopes = (app: Pick<ExtensionAppRow, 'scopes'>): string[] => app.scopes;

/** The scopes the lock's controller approved for this installation; null for rows without a record (built-ins). */
export const grantedScopes = (session: Pick<ExtensionSessionRow, 'granted_scopes'>): string[] | null => (session.granted_scopes === null ? null : fromJson<string[]>(session.granted_scopes, []));

/** Whether the app asks for background access (DECISIONS §10): only then can a lock grant it, and a grant counts only while it does. */
export function requestsBackground(app: ExtensionAppRow): boolean {
  return requestedScopes(app).includes(BACKGROUND_SCOPE);
}

/**
 * The scopes an installation may use (issue 16): what the app asks for now, narrowed to what the
 * lock's controller approved for this session (at install, or later with "Approve new
 * permissions"). A scope the developer adds after install applies only once approved; one they
 * drop stops at once. Without a session (or a row without a record: built-ins), the app's own.
 */
export function effectiveScopes(app: ExtensionAppRow, session: Pick<ExtensionSessionRow, 'granted_scopes'> | null): string[] {
  const requested = requestedScopes(app);
  const granted = session ? grantedScopes(session) : null;
  return granted === null ? requested : requested.filter((s) => granted.includes(s));
}

/** Scopes the app asks for that this installation's controller has not approved yet. */
export function pendingScopes(app: ExtensionAppRow, session: Pick<ExtensionSessionRow, 'granted_scopes'>): string[] {
  const granted = grantedScopes(session);
  return granted === null ? [] : requestedScopes(app).filter((s) => !granted.includes(s));
}

/**
 * The role a session's background grant acts with, or null when it has none that counts: never
 * granted, taken back, or the app no longer requests the scope.
 */
export function backgroundRole(session: ExtensionSessionRow, app: ExtensionAppRow): LockRole | null {
  if (session.app_id !== app.id || session.background_granted_at === null || !session.background_role) return null;
  return requestsBackground(app) ? session.background_role : null;
}

/**
 * Catalog lists go to every user: a default config larger than this is left out of them (null,
 * `defaultConfigOmitted`) and read whole from the single entry, so a list of 200 apps stays small.
 */
export const CATALOG_INLINE_CONFIG_BYTES = 4 * 1024;

export function extensionSummary(row: ExtensionAppRow, inList = false): ExtensionSummary {
  if (inList && Buffer.byteLength(toJson(row.default_config)) > CATALOG_INLINE_CONFIG_BYTES) {
    return { ...extensionSummary(row), defaultConfig: null, defaultConfigOmitted: true };
  }
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    iframeUrl: row.iframe_url,
    setupUrl: row.setup_url,
    defaultConfig: row.default_config,
    requestsBackground: requestsBackground(row),
    scopes: requestedScopes(row),
    dialect: row.dialect,
  };
}

/** The app's free-form JSON fields, each held to the one depth limit and the 64 KiB config cap. */
const APP_JSON_FIELDS = ['defaultConfig', 'initialMetadata', 'regularActions', 'extensionRequirements', 'attemptLimit'] as const;

/** 400 `invalid_request` naming the field when one nests too deep or is over 64 KiB (DECISIONS §2, issue 16). */
export function checkAppJson(input: Partial<Pick<NewAppInput, (typeof APP_JSON_FIELDS)[number]>>): void {
  for (const field of APP_JSON_FIELDS) if (input[field] !== undefined && input[field] !== null) checkedJson(input[field], `/${field}`, field);
}

/** 400 `invalid_request` when two habits of one app share a name (the routes' schema checks each habit's shape). */
export function checkHabits(habits: Habit[] | undefined, prefix = ''): void {
  const seen = new Set<string>();
  habits?.forEach((h, i) => {
    if (seen.has(h.name)) throw new ApiError('invalid_request', `habits/${i}/name: ${h.name} is declared twice`, [{ in: 'body', path: `${prefix}/habits/${i}/name`, message: 'must be unique' }]);
    seen.add(h.name);
  });
}

export function createExtensionAppService({ db, clock, ids }: ServiceDeps) {
  return {
    async create(ownerId: string, input: NewAppInput): Promise<ExtensionAppRow> {
      checkAppJson(input);
      checkHabits(input.habits);
      checkAppUrls(input);
      // Installs without a config use the default one: its platform-read keys must hold.
      checkAppName(input.name);
      if (input.defaultConfig) configUnlockRequirements(input.defaultConfig, '/defaultConfig', 'defaultConfig');
      const now = clock.now();
      const row: ExtensionAppRow = {
        id: ids.objectId(),
        owner_id: ownerId,
        slug: input.slug,
        name: input.name,
        description: input.description ?? '',
        iframe_url: input.iframeUrl ?? null,
        setup_url: input.setupUrl ?? null,
        allowed_origins: originsOf(input),
        scopes: input.scopes ?? DEFAULT_SCOPES,
        default_config: input.defaultConfig ?? {},
        initial_metadata: input.initialMetadata ?? {},
        regular_actions: input.regularActions || null,
        extension_requirements: input.extensionRequirements || null,
        attempt_limit: input.attemptLimit || null,
        habits: input.habits ?? [],
        created_at: now,
        updated_at: now,
        dialect: input.dialect ?? 'chastify',
        client_id: input.dialect === 'chaster' ? newClientId(ids) : null,
      };
      try {
        await insertExtensionApp(db, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiError('conflict', `An extension with slug ${input.slug} exists`);
        throw err;
      }
      return row;
    },

    /** The catalog a lock owner picks extensions from. */
    async catalog(limit = 200): Promise<ExtensionSummary[]> {
      return (await listApps(db, limit + 1))
        .filter((a) => a.id !== EXTERNAL_APP_ID)
        .slice(0, limit)
        .map((a) => extensionSummary(a, true));
    },

    /** One catalog entry, its default config whole. */
    async catalogEntry(slug: string): Promise<ExtensionSummary> {
      const row = await findAppBySlug(db, slug);
      if (!row || row.id === EXTERNAL_APP_ID) throw notFound('Extension');
      return extensionSummary(row);
    },

    /** The app row, for a session that refers to it. */
    async row(appId: string): Promise<ExtensionAppRow | undefined> {
      return findAppById(db, appId);
    },
  };
}

export type ExtensionAppService = ReturnType<typeof createExtensionAppService>;

export interface AppOwnerView extends ExtensionSummary {
  ownerId: string;
  dialect: AppDialect;
  clientId: string | null;
  allowedOrigins: string[];
  scopes: string[];
  initialMetadata: unknown;
  regularActions: unknown;
  extensionRequirements: unknown;
  attemptLimit: unknown;
  habits: Habit[];
  createdAt: string;
  updatedAt: string;
}

export function appOwnerView(row: ExtensionAppRow): AppOwnerView {
  return {
    ...extensionSummary(row),
    ownerId: row.owner_id,
    dialect: row.dialect,
    clientId: row.client_id,
    allowedOrigins: row.allowed_origins,
    scopes: requestedScopes(row),
    initialMetadata: row.initial_metadata,
    regularActions: row.regular_actions,
    extensionRequirements: row.extension_requirements,
    attemptLimit: row.attempt_limit,
    habits: row.habits,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The developer console's view of apps: only the owner sees or changes an app. */
export function createAppConsoleService({ db, clock, ids }: ServiceDeps) {
  async function owned(ownerId: string, appId: string): Promise<ExtensionAppRow> {
    const row = await findAppById(db, appId);
    if (!row || row.owner_id !== ownerId) throw notFound('App');
    return row;
  }

  /**
   * The app now asks for scopes it did not have: each running lock's controller is told, once
   * per change, and approves them on the lock page (until then they are unused there).
   */
  async function askForNewScopes(before: ExtensionAppRow, scopes: string[]) {
    const old = new Set(requestedScopes(before));
    const added = scopes.filter((s) => !old.has(s));
    if (added.length === 0) return;
    const now = clock.now();
    for (const install of await findRunningInstallsOfApp(db, before.id)) {
      const granted = grantedScopes(install);
      const waiting = added.filter((s) => !granted?.includes(s));
      if (granted === null || waiting.length === 0) continue;
      const controller = controllerOf(install);
      await writeNotification(db, ids, now, {
        userId: controller,
        lockId: install.lock_id,
        type: 'extension_scopes_requested',
        title: `${before.name} asks for new permissions`,
        message: `${waiting.join(', ')}: unused on your lock until you approve them (Manage extensions)`,
        payload: { sessionId: install.id, slug: before.slug, scopes: waiting },
      });
    }
  }
  return {
    async list(ownerId: string): Promise<AppOwnerView[]> {
      return (await listAppsOfOwner(db, ownerId)).map(appOwnerView);
    },
    async get(ownerId: string, appId: string): Promise<AppOwnerView> {
      return appOwnerView(await owned(ownerId, appId));
    },
    /** The app's sessions, for its developer: which locks run it, in what state (ascending ids). */
    async sessions(ownerId: string, appId: string, q: { status: 'locked' | 'unlocked' | 'deserted' | 'all'; limit: number; afterId?: string }) {
      const app = await owned(ownerId, appId);
      const filter = { appId, status: q.status };
      const { rows: page, hasMore } = await pageOf(q.limit, (limit) => listSessionsOfApp(db, { ...filter, limit, afterId: q.afterId }));
      const count = await countSessionsOfApp(db, filter);
      const locks = await findLocksByIds(db, page.map((r) => r.lock_id));
      const users = new Map((await findUsersByIds(db, [...new Set([...locks.values()].flatMap((l) => [l.wearer_id, l.keyholder_id].filter((x): x is string => !!x)))])).map((u) => [u.id, u.username]));
      return {
        count,
        hasMore,
        results: page.map((r) => {
          const lock = locks.get(r.lock_id)!;
          return {
            sessionId: r.id,
            lockId: lock.id,
            lockTitle: lock.title,
            lockStatus: lock.status,
            wearerUsername: users.get(lock.wearer_id) ?? null,
            keyholderUsername: acceptedKeyholderId(lock) ? (users.get(acceptedKeyholderId(lock)!) ?? null) : null,
            config: sessionConfigView(r.config, app),
            createdAt: iso(r.created_at),
            updatedAt: iso(r.updated_at),
          };
        }),
      };
    },

    async update(ownerId: string, appId: string, patch: Omit<Partial<NewAppInput>, 'slug'>): Promise<AppOwnerView> {
      const row = await owned(ownerId, appId);
      checkAppJson(patch);
      checkAppUrls(patch);
      checkHabits(patch.habits);
      if (patch.name !== undefined) checkAppName(patch.name);
      if (patch.defaultConfig) configUnlockRequirements(patch.defaultConfig, '/defaultConfig', 'defaultConfig');
      const dialect = patch.dialect !== undefined && patch.dialect !== row.dialect ? patch.dialect : undefined;
      // Its extensions' backends read one set of shapes per session: no switch under them.
      if (dialect && (await appHasSessions(db, appId))) throw new ApiError('conflict', `${row.name} is installed on locks: its dialect can no longer change`);
      const iframeUrl = patch.iframeUrl !== undefined ? patch.iframeUrl : row.iframe_url;
      const setupUrl = patch.setupUrl !== undefined ? patch.setupUrl : row.setup_url;
      // Origins that were derived from the old URLs follow the new URLs; hand-set ones stay.
      const stored = row.allowed_origins;
      const derived = JSON.stringify(stored) === JSON.stringify(originsOf({ iframeUrl: row.iframe_url, setupUrl: row.setup_url }));
      const origins =
        patch.allowedOrigins !== undefined
          ? originsOf({ iframeUrl, setupUrl, allowedOrigins: patch.allowedOrigins })
          : patch.iframeUrl !== undefined || patch.setupUrl !== undefined
            ? originsOf({ iframeUrl, setupUrl, allowedOrigins: derived ? [] : stored })
            : undefined;
      await updateExtensionApp(db, appId, {
        ...(dialect ? { dialect, ...(dialect === 'chaster' && !row.client_id ? { client_id: newClientId(ids) } : {}) } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.iframeUrl !== undefined ? { iframe_url: patch.iframeUrl } : {}),
        ...(patch.setupUrl !== undefined ? { setup_url: patch.setupUrl } : {}),
        ...(origins !== undefined ? { allowed_origins: origins } : {}),
        ...(patch.scopes !== undefined ? { scopes: patch.scopes } : {}),
        ...(patch.defaultConfig !== undefined ? { default_config: patch.defaultConfig } : {}),
        ...(patch.initialMetadata !== undefined ? { initial_metadata: patch.initialMetadata } : {}),
        ...(patch.regularActions !== undefined ? { regular_actions: patch.regularActions || null } : {}),
        ...(patch.extensionRequirements !== undefined ? { extension_requirements: patch.extensionRequirements || null } : {}),
        ...(patch.attemptLimit !== undefined ? { attempt_limit: patch.attemptLimit || null } : {}),
        ...(patch.habits !== undefined ? { habits: patch.habits } : {}),
        updated_at: clock.now(),
      });
      if (patch.scopes !== undefined) await askForNewScopes(row, patch.scopes);
      return appOwnerView(await owned(ownerId, appId));
    },
  };
}

export type AppConsoleService = ReturnType<typeof createAppConsoleService>;
