import { MAIN_TOKEN_HEADER, type Scope } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import type { Clock } from '../clock.js';
import type { DeveloperKeyRow, ExtensionAppRow, ExtensionSessionRow, LockRow, MainTokenRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import type { RateBucket } from '../ratelimit.js';
import type { Executor } from '../storage/executor.js';
import { findRequestCredentials, type RequestCredentials } from '../storage/credentials.js';
import { findAppById } from '../storage/extensionApps.js';
import { findActiveLocksOfWearer } from '../storage/locks.js';
import type { DeveloperKeyService } from './developerKeys.js';
import { backgroundRole, effectiveScopes, requestedScopes } from './extensionApps.js';
import { roleOf, type LockRole } from './lockRules.js';
import { mainTokenProblem } from './mainTokens.js';

/** What a route declares about who may call it (DECISIONS §3). */
export interface CredentialNeeds {
  surface: 'extension' | 'apps';
  /** Changes something: main-token-alone and cookie callers get `server_credentials_required`, ended locks `lock_ended`. */
  mutation: boolean;
  bucket: RateBucket;
  scope?: Scope;
  /** The route has a `:sessionId` the credentials must match. */
  sessionBound: boolean;
  /** The app key may call it without a main token (search, GET session). */
  appKeyAlone?: boolean;
  /** GET session: the credential statement also reads the view of the session's lock (`lockViewReadWith`). */
  lockView?: boolean;
  /**
   * Which extension dialect has this route (DECISIONS §14): absent = Chastify's API only,
   * `chaster` = Chaster's only, `both` = a path both share (the caller's app picks the shapes).
   * Another dialect's app finds no such route (404).
   */
  dialect?: 'chaster' | 'both';
}

export type ApiDialect = ExtensionAppRow['dialect'];

/** The Chaster client id header: when sent, it must be the app's client id (DECISIONS §14). */
export const CHASTER_CLIENT_ID_HEADER = 'x-chaster-client-id';

/** `app_key+background`: the app key alone on a session whose controller granted `sessions:background` (DECISIONS §10). */
export type CredentialKind = 'app_key+main_token' | 'app_key+background' | 'app_key' | 'main_token' | 'cookie' | 'user_key';

export interface ExtensionCaller {
  surface: 'extension';
  credential: CredentialKind;
  keyId: string | null;
  tokenId: string | null;
  /** The user who launched the extension (main token) or is signed in (cookie). */
  userId: string | null;
  /** The launch role; for a background grant, the role of whoever granted it. */
  role: LockRole | null;
  app: ExtensionAppRow;
  /** Null only on routes that are not bound to one session (search). */
  session: ExtensionSessionRow | null;
  lock: LockRow | null;
  /** On search with a main token: the session it was issued for (the only one it may change). */
  launchSessionId?: string;
}

export interface ExternalCaller {
  surface: 'apps';
  credential: 'user_key';
  keyId: string;
  userId: string;
  /** The key owner's active lock this request acts on (resolved last, DECISIONS §3/§6). */
  lock: LockRow | null;
}

export type Caller = ExtensionCaller | ExternalCaller;

/** A caller, or the refusal the first failing check of DECISIONS §3 gives (its code is in the catalog). */
export type CallerResolution = { caller: Caller; refusal?: never } | { refusal: ApiError; caller?: never };

/** `resolveCaller`'s answer, with the dialect the caller's app speaks once it is known (errors take its shape). */
export type CallerIdentification = CallerResolution & { dialect: ApiDialect | null };

/** Credentials that may change a session: a backend with a launch, or with the lock's background grant. */
export function credentialMayMutate(c: ExtensionCaller): boolean {
  return c.credential === 'app_key+main_token' || c.credential === 'app_key+background' || (c.credential === 'app_key' && c.app.dialect === 'chaster');
}

/**
 * The identity a credential's budget and idempotency keys belong to (DECISIONS §3, §12): an app
 * key with a main token is one credential per launch, so one busy wearer cannot spend the whole
 * app's budget, and the same key under two launches has two key spaces.
 */
export function credentialKey(c: Caller): string {
  const token = c.surface === 'extension' && c.tokenId ? `token:${c.tokenId}` : null;
  if (c.keyId) return token ? `key:${c.keyId}:${token}` : `key:${c.keyId}`;
  return token ?? `user:${c.userId}`;
}

export interface CallerDeps {
  db: Executor;
  clock: Clock;
  keys: DeveloperKeyService;
  /** The sandbox runs: keys of sandbox accounts are usable. */
  dev: boolean;
}

/** What the request says about its caller, read from the HTTP request by the guard. */
export interface RequestFacts {
  needs: CredentialNeeds;
  /** The `Authorization` header as sent. */
  authorization: string | undefined;
  /** The main token header, trimmed; undefined when absent or blank. */
  mainToken: string | undefined;
  /** The route's `:sessionId` on a session-bound route, else null. */
  sessionId: string | null;
  /** The signed-in first-party user (cookie), if any. */
  userId: string | null;
  /** `METHOD /route/pattern`, for the message of `server_credentials_required`. */
  route: string;
  /** `X-Chaster-Client-Id` as sent, if any. */
  chasterClientId: string | undefined;
}

export { MAIN_TOKEN_HEADER };

const BEARER = /^Bearer\s+([A-Za-z0-9_\-]{8,200})\s*$/i;

/**
 * Who is calling (DECISIONS §3): the credential checks up to the session, in exactly that order,
 * first failure wins. Key, main token, session, lock and app are read in one statement of
 * unique-index look-ups (`findRequestCredentials`), fresh on every request: a revoked key or a
 * replaced main token is refused at once by every process (docs/decisions.md).
 */
export async function resolveCaller(deps: CallerDeps, facts: RequestFacts): Promise<CallerIdentification> {
  const seen: { dialect: ApiDialect | null } = { dialect: facts.needs.dialect === 'chaster' ? 'chaster' : null };
  try {
    const caller = await identify(deps, facts, seen);
    // latch's own web UI (cookie) reads every installed extension's session the same way, whatever the app speaks.
    if (caller.surface === 'extension' && caller.credential !== 'cookie') {
      seen.dialect = caller.app.dialect;
      checkDialect(caller.app, facts);
    }
    return { caller, dialect: seen.dialect };
  } catch (err) {
    if (err instanceof ApiError) return { refusal: err, dialect: seen.dialect };
    throw err;
  }
}

/** Each app speaks its own dialect's routes only; a route of the other dialect is not there for it. */
function checkDialect(app: ExtensionAppRow, facts: RequestFacts): void {
  const has = facts.needs.dialect === 'both' || (facts.needs.dialect === 'chaster') === (app.dialect === 'chaster');
  if (!has) throw new ApiError('not_found', `No route ${facts.route} in the ${app.dialect === 'chaster' ? 'Chaster' : 'Chastify'} API, which ${app.slug} speaks`);
}

/** The scopes approved for this installation (issue 16: new scopes wait for the lock's controller); null when the route needs none or has it. */
export function scopeRefusal(caller: Caller, needs: CredentialNeeds): ApiError | null {
  if (!needs.scope || caller.surface !== 'extension' || effectiveScopes(caller.app, caller.session).includes(needs.scope)) return null;
  const requested = requestedScopes(caller.app).includes(needs.scope);
  return new ApiError(
    'insufficient_scope',
    requested ? `The ${needs.scope} scope is not approved on this lock yet: its keyholder (or the wearer of a self-lock) approves new permissions` : `The app lacks the ${needs.scope} scope`,
  );
}

/**
 * The last checks of DECISIONS §3, after the rate limit: a mutation needs an active lock
 * (`lock_ended`), and a script acts on its owner's active lock as wearer, the most recent or the
 * one `x-chastify-lock-id` names (`no_active_lock_session`).
 */
export async function resolveActingLock(deps: Pick<CallerDeps, 'db'>, caller: Caller, needs: CredentialNeeds, lockIdHeader: string | undefined): Promise<CallerResolution> {
  if (caller.surface === 'extension') {
    if (needs.mutation && caller.lock && caller.lock.status !== 'locked') return { refusal: new ApiError('lock_ended', 'The lock is no longer active') };
    return { caller };
  }
  const locks = await findActiveLocksOfWearer(deps.db, caller.userId);
  const wanted = lockIdHeader !== undefined && lockIdHeader.trim() !== '' ? lockIdHeader.trim() : null;
  const lock = wanted ? locks.find((l) => l.id === wanted) : locks[0];
  if (!lock) {
    return { refusal: new ApiError('no_active_lock_session', wanted ? `Lock ${wanted.slice(0, 24)} is not one of your active locks` : 'You have no active lock; start one first') };
  }
  return { caller: { ...caller, lock } };
}

async function identify(deps: CallerDeps, facts: RequestFacts, seen: { dialect: ApiDialect | null }): Promise<Caller> {
  const { needs } = facts;
  if (facts.authorization === undefined && needs.surface === 'extension') return browserCaller(deps, facts);
  const m = facts.authorization === undefined ? null : BEARER.exec(facts.authorization);
  if (!m) throw new ApiError('missing_credentials', 'Send Authorization: Bearer <developer key>');
  const extension = needs.surface === 'extension';
  const c = await lookup(deps, m[1]!, extension ? facts.mainToken : undefined, extension ? facts.sessionId : null, facts.needs.lockView);
  const key = c.key;
  // A sandbox account's key works only while the sandbox runs (issue 16: personas in production data).
  if (!key || key.revoked_at !== null || (c.keyOfSandboxAccount && !deps.dev)) throw new ApiError('invalid_credentials', 'The developer key is unknown or revoked');
  await deps.keys.noteUse(key);
  if (extension) {
    if (!key.app_id) throw new ApiError('app_scoped_key_required', 'Extension session routes need an app-scoped key (lk_app_…); user-wide keys are for /api/apps/v1');
    if (c.keyApp?.dialect === 'chaster') {
      seen.dialect = 'chaster';
      return chasterBackendCaller(deps, facts, key, c);
    }
    return extensionBackendCaller(deps, facts, key, c);
  }
  if (key.app_id) throw new ApiError('user_wide_dev_key_required', '/api/apps/v1 needs a user-wide key (lk_usr_…)');
  return { surface: 'apps', credential: 'user_key', keyId: key.id, userId: key.owner_id, lock: null };
}

function lookup(deps: CallerDeps, keySecret: string | null, tokenSecret: string | undefined, sessionId: string | null, withLockView = false): Promise<RequestCredentials> {
  return findRequestCredentials(deps.db, {
    keyHash: keySecret === null ? null : hashSecret(keySecret),
    tokenHash: tokenSecret === undefined ? null : hashSecret(tokenSecret),
    sessionId,
    withLockView,
  });
}

/** The session, its lock and its app, or 404 when there is no such session. */
function loaded(c: RequestCredentials) {
  if (!c.session || !c.lock || !c.app) throw notFound('Extension session');
  return { session: c.session, lock: c.lock, app: c.app };
}

function checkToken(deps: CallerDeps, c: RequestCredentials): MainTokenRow {
  const problem = mainTokenProblem(c.token, c.tokenLock, deps.clock.now());
  if (problem === 'unknown') throw new ApiError('invalid_main_token', 'The main token is not known; reopen the extension for a fresh one');
  if (problem === 'expired') throw new ApiError('main_token_expired', 'The main token expired or was replaced; reopen the extension for a fresh one');
  if (problem === 'role_lost') throw new ApiError('main_token_expired', 'The main token was issued for a role its user no longer holds on this lock; reopen the extension for a fresh one');
  return c.token!;
}

function enabled(session: ExtensionSessionRow) {
  if (session.removed_at !== null) throw new ApiError('extension_not_enabled', 'The extension is not enabled on this lock');
}

function serverCredentialsRequired(facts: RequestFacts): ApiError {
  return new ApiError(
    'server_credentials_required',
    `${facts.route} changes the session: call it from your backend with Authorization: Bearer <app-scoped key> and ${MAIN_TOKEN_HEADER}`,
  );
}

/** A caller without backend credentials (launch token or first-party cookie). */
async function browserCaller(deps: CallerDeps, facts: RequestFacts): Promise<ExtensionCaller> {
  const { needs, sessionId } = facts;
  if (facts.mainToken !== undefined) {
    const c = await lookup(deps, null, facts.mainToken, sessionId);
    const token = checkToken(deps, c);
    // A launch token alone only ever reads its own session; routes without one need a key.
    if (!needs.sessionBound) throw new ApiError('missing_credentials', 'Send Authorization: Bearer <app-scoped key>');
    if (token.session_id !== sessionId) throw new ApiError('session_mismatch', 'The main token belongs to another session');
    const { session, lock, app } = loaded(c);
    enabled(session);
    if (needs.mutation) throw serverCredentialsRequired(facts);
    return { surface: 'extension', credential: 'main_token', keyId: null, tokenId: token.id, userId: token.user_id, role: token.role, app, session, lock };
  }
  if (facts.userId !== null && sessionId !== null) {
    const { session, lock, app } = await lookup(deps, null, undefined, sessionId);
    const role = lock ? roleOf(lock, facts.userId) : null;
    // A signed-in stranger has no credential for this session: same answer as none at all.
    if (session && lock && app && role) {
      enabled(session);
      if (needs.mutation) throw serverCredentialsRequired(facts);
      return { surface: 'extension', credential: 'cookie', keyId: null, tokenId: null, userId: facts.userId, role, app, session, lock };
    }
  }
  throw new ApiError('missing_credentials', 'Send Authorization: Bearer <developer key> (and x-chastify-main-token for session routes)');
}

/**
 * The app key alone on the addressed session when it granted background access (DECISIONS §10),
 * while the app still requests `sessions:background`. Anything else is null: the caller then
 * gets the answer it would without grants (`main_token_required`), whatever the session is.
 */
function backgroundCaller(c: RequestCredentials, key: DeveloperKeyRow): ExtensionCaller | null {
  const found = c.session;
  if (!found || found.app_id !== key.app_id || found.background_granted_at === null) return null;
  const { session, lock, app } = loaded(c);
  const role = backgroundRole(session, app);
  if (!role) return null;
  enabled(session);
  return { surface: 'extension', credential: 'app_key+background', keyId: key.id, tokenId: null, userId: null, role, app, session, lock };
}

/**
 * A Chaster-dialect backend (DECISIONS §14): the developer token alone may call every route of its
 * own app's sessions, changes included; `X-Chaster-Client-Id`, when sent, must be the app's; another
 * app's session is not there for it (404). A main token it sends is not needed and not consulted.
 */
async function chasterBackendCaller(deps: CallerDeps, facts: RequestFacts, key: DeveloperKeyRow, c: RequestCredentials): Promise<ExtensionCaller> {
  if (facts.chasterClientId !== undefined && facts.chasterClientId !== c.keyApp!.client_id) {
    throw new ApiError('forbidden', `${CHASTER_CLIENT_ID_HEADER} is not the client id of this developer token's app`);
  }
  const base = { surface: 'extension', credential: 'app_key', keyId: key.id, tokenId: null, userId: null, role: null } as const;
  if (!facts.needs.sessionBound) return { ...base, app: (await findAppById(deps.db, key.app_id!))!, session: null, lock: null };
  const { session, lock, app } = loaded(c);
  if (session.app_id !== key.app_id) throw notFound('Extension session');
  enabled(session);
  return { ...base, app, session, lock };
}

async function extensionBackendCaller(deps: CallerDeps, facts: RequestFacts, key: DeveloperKeyRow, c: RequestCredentials): Promise<ExtensionCaller> {
  const { needs, sessionId } = facts;
  let tokenId: string | null = null;
  let userId: string | null = null;
  let role: LockRole | null = null;
  let launchSessionId: string | undefined;
  if (facts.mainToken === undefined) {
    if (needs.sessionBound) {
      const granted = backgroundCaller(c, key);
      if (granted) return granted;
    }
    if (!needs.appKeyAlone) throw new ApiError('main_token_required', `Send the launch token as ${MAIN_TOKEN_HEADER} (or have the lock grant your app background access)`);
  } else {
    const token = checkToken(deps, c);
    if ((needs.sessionBound && token.session_id !== sessionId) || token.app_id !== key.app_id) {
      throw new ApiError('session_mismatch', 'The main token belongs to another session or app');
    }
    tokenId = token.id;
    userId = token.user_id;
    role = token.role;
    launchSessionId = token.session_id;
  }
  if (!needs.sessionBound) {
    const app = (await findAppById(deps.db, key.app_id!))!;
    return { surface: 'extension', credential: tokenId ? 'app_key+main_token' : 'app_key', keyId: key.id, tokenId, userId, role, app, session: null, lock: null, ...(launchSessionId ? { launchSessionId } : {}) };
  }
  const { session, lock, app } = loaded(c);
  if (session.app_id !== key.app_id) throw new ApiError('session_mismatch', 'This session belongs to another app');
  enabled(session);
  return { surface: 'extension', credential: tokenId ? 'app_key+main_token' : 'app_key', keyId: key.id, tokenId, userId, role, app, session, lock };
}
