import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Scope } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import type { Clock } from '../clock.js';
import type { DeveloperKeyRow, ExtensionAppRow, ExtensionSessionRow, LockRow, MainTokenRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { findRequestCredentials, type RequestCredentials } from '../storage/credentials.js';
import { findAppById } from '../storage/extensionApps.js';
import { backgroundRole, effectiveScopes, requestedScopes } from '../services/extensionApps.js';
import { findActiveLocksOfWearer } from '../storage/locks.js';
import type { DeveloperKeyService } from '../services/developerKeys.js';
import { roleOf, type LockRole } from '../services/lockRules.js';
import { mainTokenProblem } from '../services/mainTokens.js';
import { rateLimitHeaders, type RateBucket, type RateLimiter } from '../ratelimit.js';

export const MAIN_TOKEN_HEADER = 'x-chastify-main-token';
export const LOCK_ID_HEADER = 'x-chastify-lock-id';

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
}

/** `app_key+background`: the app key alone on a session whose controller granted `sessions:background` (DECISIONS §10). */
export type CredentialKind = 'app_key+main_token' | 'app_key+background' | 'app_key' | 'main_token' | 'cookie' | 'user_key';

/** Credentials that may change a session: a backend with a launch, or with the lock's background grant. */
export function credentialMayMutate(c: ExtensionCaller): boolean {
  return c.credential === 'app_key+main_token' || c.credential === 'app_key+background';
}

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

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    credentials?: CredentialNeeds;
  }
}

/** The bound session of a session route's caller (the guard guarantees it). */
export function sessionCaller(req: FastifyRequest): ExtensionCaller & { session: ExtensionSessionRow; lock: LockRow } {
  const c = req.caller;
  if (!c || c.surface !== 'extension' || !c.session || !c.lock) throw new ApiError('missing_credentials', 'Send your credentials');
  return c as ExtensionCaller & { session: ExtensionSessionRow; lock: LockRow };
}

export function extensionCaller(req: FastifyRequest): ExtensionCaller {
  const c = req.caller;
  if (!c || c.surface !== 'extension') throw new ApiError('missing_credentials', 'Send your credentials');
  return c;
}

export function externalCaller(req: FastifyRequest): ExternalCaller & { lock: LockRow } {
  const c = req.caller;
  if (!c || c.surface !== 'apps' || !c.lock) throw new ApiError('missing_credentials', 'Send a user-wide developer key');
  return c as ExternalCaller & { lock: LockRow };
}

interface GuardDeps {
  db: Executor;
  clock: Clock;
  keys: DeveloperKeyService;
  rateLimiter: RateLimiter;
  /** The sandbox runs: keys of sandbox accounts are usable. */
  dev: boolean;
}

const BEARER = /^Bearer\s+([A-Za-z0-9_\-]{8,200})\s*$/i;

/**
 * The credential checks of DECISIONS §3, in exactly that order (first failure wins), for every
 * route that declares `config.credentials`. Runs before body parsing and validation, so a
 * caller without credentials learns nothing about the route's schema.
 *
 * Key, main token, session, lock and app are read in one statement of unique-index look-ups
 * (`findRequestCredentials`), fresh on every request: a revoked key or a replaced main token is
 * refused at once by every process, and nothing has to be invalidated (docs/decisions.md).
 */
export function registerCredentialGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.decorateRequest('caller', null);

  function lookup(keySecret: string | null, tokenSecret: string | undefined, sessionId: string | null): Promise<RequestCredentials> {
    return findRequestCredentials(deps.db, {
      keyHash: keySecret === null ? null : hashSecret(keySecret),
      tokenHash: tokenSecret === undefined ? null : hashSecret(tokenSecret),
      sessionId,
    });
  }

  /** The session, its lock and its app, or 404 when there is no such session. */
  function loaded(c: RequestCredentials) {
    if (!c.session || !c.lock || !c.app) throw notFound('Extension session');
    return { session: c.session, lock: c.lock, app: c.app };
  }

  function checkToken(c: RequestCredentials): MainTokenRow {
    const problem = mainTokenProblem(c.token, c.tokenLock, deps.clock.now());
    if (problem === 'unknown') throw new ApiError('invalid_main_token', 'The main token is not known; reopen the extension for a fresh one');
    if (problem === 'expired') throw new ApiError('main_token_expired', 'The main token expired or was replaced; reopen the extension for a fresh one');
    if (problem === 'role_lost') throw new ApiError('main_token_expired', 'The main token was issued for a role its user no longer holds on this lock; reopen the extension for a fresh one');
    return c.token!;
  }

  function enabled(session: ExtensionSessionRow) {
    if (session.removed_at !== null) throw new ApiError('extension_not_enabled', 'The extension is not enabled on this lock');
  }

  /** The route's `:sessionId` when it is bound to one session. */
  function boundSessionId(req: FastifyRequest, needs: CredentialNeeds): string | null {
    return needs.sessionBound ? ((req.params as { sessionId?: string }).sessionId ?? null) : null;
  }

  /** A caller without backend credentials (launch token or first-party cookie). */
  async function browserCaller(req: FastifyRequest, needs: CredentialNeeds, tokenSecret: string | undefined): Promise<ExtensionCaller> {
    const sessionId = boundSessionId(req, needs);
    if (tokenSecret !== undefined) {
      const c = await lookup(null, tokenSecret, sessionId);
      const token = checkToken(c);
      // A launch token alone only ever reads its own session; routes without one need a key.
      if (!needs.sessionBound) throw new ApiError('missing_credentials', 'Send Authorization: Bearer <app-scoped key>');
      if (token.session_id !== sessionId) throw new ApiError('session_mismatch', 'The main token belongs to another session');
      const { session, lock, app: extApp } = loaded(c);
      enabled(session);
      if (needs.mutation) throw serverCredentialsRequired(req);
      return { surface: 'extension', credential: 'main_token', keyId: null, tokenId: token.id, userId: token.user_id, role: token.role, app: extApp, session, lock };
    }
    const user = req.user?.user;
    if (user && sessionId !== null) {
      const { session, lock, app: extApp } = await lookup(null, undefined, sessionId);
      const role = lock ? roleOf(lock, user.id) : null;
      // A signed-in stranger has no credential for this session: same answer as none at all.
      if (session && lock && extApp && role) {
        enabled(session);
        if (needs.mutation) throw serverCredentialsRequired(req);
        return { surface: 'extension', credential: 'cookie', keyId: null, tokenId: null, userId: user.id, role, app: extApp, session, lock };
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
    const { session, lock, app: extApp } = loaded(c);
    const role = backgroundRole(session, extApp);
    if (!role) return null;
    enabled(session);
    return { surface: 'extension', credential: 'app_key+background', keyId: key.id, tokenId: null, userId: null, role, app: extApp, session, lock };
  }

  async function extensionBackendCaller(req: FastifyRequest, needs: CredentialNeeds, key: DeveloperKeyRow, hasToken: boolean, c: RequestCredentials): Promise<ExtensionCaller> {
    const sessionId = boundSessionId(req, needs);
    let tokenId: string | null = null;
    let userId: string | null = null;
    let role: LockRole | null = null;
    let launchSessionId: string | undefined;
    if (!hasToken) {
      if (needs.sessionBound) {
        const granted = backgroundCaller(c, key);
        if (granted) return granted;
      }
      if (!needs.appKeyAlone) throw new ApiError('main_token_required', `Send the launch token as ${MAIN_TOKEN_HEADER} (or have the lock grant your app background access)`);
    } else {
      const token = checkToken(c);
      if ((needs.sessionBound && token.session_id !== sessionId) || token.app_id !== key.app_id) {
        throw new ApiError('session_mismatch', 'The main token belongs to another session or app');
      }
      tokenId = token.id;
      userId = token.user_id;
      role = token.role;
      launchSessionId = token.session_id;
    }
    if (!needs.sessionBound) {
      const extApp = (await findAppById(deps.db, key.app_id!))!;
      return { surface: 'extension', credential: tokenId ? 'app_key+main_token' : 'app_key', keyId: key.id, tokenId, userId, role, app: extApp, session: null, lock: null, ...(launchSessionId ? { launchSessionId } : {}) };
    }
    const { session, lock, app: extApp } = loaded(c);
    if (session.app_id !== key.app_id) throw new ApiError('session_mismatch', 'This session belongs to another app');
    enabled(session);
    return { surface: 'extension', credential: tokenId ? 'app_key+main_token' : 'app_key', keyId: key.id, tokenId, userId, role, app: extApp, session, lock };
  }

  app.addHook('onRequest', async (req, reply) => {
    const needs = req.routeOptions.config.credentials;
    if (!needs) return;
    const authorization = req.headers.authorization;
    const rawToken = req.headers[MAIN_TOKEN_HEADER];
    const tokenSecret = typeof rawToken === 'string' && rawToken.trim() !== '' ? rawToken.trim() : undefined;

    let caller: Caller;
    if (authorization === undefined && needs.surface === 'extension') {
      caller = await browserCaller(req, needs, tokenSecret);
    } else {
      const m = authorization === undefined ? null : BEARER.exec(authorization);
      if (!m) throw new ApiError('missing_credentials', 'Send Authorization: Bearer <developer key>');
      const extension = needs.surface === 'extension';
      const c = await lookup(m[1]!, extension ? tokenSecret : undefined, extension ? boundSessionId(req, needs) : null);
      const key = c.key;
      // A sandbox account's key works only while the sandbox runs (issue 16: personas in production data).
      if (!key || key.revoked_at !== null || (c.keyOfSandboxAccount && !deps.dev)) throw new ApiError('invalid_credentials', 'The developer key is unknown or revoked');
      await deps.keys.noteUse(key);
      if (extension) {
        if (!key.app_id) throw new ApiError('app_scoped_key_required', 'Extension session routes need an app-scoped key (lk_app_…); user-wide keys are for /api/apps/v1');
        caller = await extensionBackendCaller(req, needs, key, tokenSecret !== undefined, c);
      } else {
        if (key.app_id) throw new ApiError('user_wide_dev_key_required', '/api/apps/v1 needs a user-wide key (lk_usr_…)');
        caller = { surface: 'apps', credential: 'user_key', keyId: key.id, userId: key.owner_id, lock: null };
      }
    }
    req.caller = caller;

    // The scopes approved for this installation (issue 16: new scopes wait for the lock's controller).
    if (needs.scope && caller.surface === 'extension' && !effectiveScopes(caller.app, caller.session).includes(needs.scope)) {
      const requested = requestedScopes(caller.app).includes(needs.scope);
      throw new ApiError('insufficient_scope', requested ? `The ${needs.scope} scope is not approved on this lock yet: its keyholder (or the wearer of a self-lock) approves new permissions` : `The app lacks the ${needs.scope} scope`);
    }

    await enforceRateLimit(deps.rateLimiter, req, reply, needs.bucket, credentialKey(caller));

    if (needs.mutation && caller.surface === 'extension' && caller.lock && caller.lock.status !== 'locked') {
      throw new ApiError('lock_ended', 'The lock is no longer active');
    }

    if (caller.surface === 'apps') caller.lock = await activeLockOf(caller.userId, req.headers[LOCK_ID_HEADER]);
  });

  /** The owner's most recent active lock as wearer, or the one `x-chastify-lock-id` names. */
  async function activeLockOf(userId: string, header: string | string[] | undefined): Promise<LockRow> {
    const locks = await findActiveLocksOfWearer(deps.db, userId);
    const wanted = typeof header === 'string' && header.trim() !== '' ? header.trim() : null;
    const lock = wanted ? locks.find((l) => l.id === wanted) : locks[0];
    if (!lock) {
      throw new ApiError(
        'no_active_lock_session',
        wanted ? `Lock ${wanted.slice(0, 24)} is not one of your active locks` : 'You have no active lock; start one first',
      );
    }
    return lock;
  }
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

/** Counts one request of `key` in `bucket`: sets the RateLimit headers, 429 `rate_limited` over the limit. */
export async function enforceRateLimit(limiter: RateLimiter, req: FastifyRequest, reply: FastifyReply, bucket: RateBucket, key: string): Promise<void> {
  const decision = await limiter.consume(bucket, key);
  if (decision.error) req.log.warn({ err: decision.error }, 'rate limiter unavailable; request let through');
  reply.headers(rateLimitHeaders(decision));
  if (!decision.allowed) {
    throw new ApiError('rate_limited', `Too many ${bucket} requests; retry in ${decision.resetSeconds} s`, { bucket, limit: decision.limit, retryAfterSeconds: decision.resetSeconds });
  }
}

function serverCredentialsRequired(req: FastifyRequest): ApiError {
  const path = req.routeOptions.url ?? req.url;
  return new ApiError(
    'server_credentials_required',
    `${req.method} ${path} changes the session: call it from your backend with Authorization: Bearer <app-scoped key> and ${MAIN_TOKEN_HEADER}`,
  );
}
