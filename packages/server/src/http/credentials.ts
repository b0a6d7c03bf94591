import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { ExtensionSessionRow, LockRow } from '../db/types.js';
import { rateLimitHeaders, type RateBucket, type RateLimiter } from '../ratelimit.js';
import {
  CHASTER_CLIENT_ID_HEADER,
  MAIN_TOKEN_HEADER,
  credentialKey,
  resolveActingLock,
  resolveCaller,
  scopeRefusal,
  type ApiDialect,
  type Caller,
  type CallerDeps,
  type CredentialNeeds,
  type ExtensionCaller,
  type ExternalCaller,
  type RequestFacts,
} from '../services/callers.js';

export { MAIN_TOKEN_HEADER, credentialKey, credentialMayMutate, type Caller, type CredentialKind, type CredentialNeeds, type ExtensionCaller, type ExternalCaller } from '../services/callers.js';

export const LOCK_ID_HEADER = 'x-chastify-lock-id';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    /** The extension dialect whose wire shapes this request gets (errors included), once known. */
    apiDialect: ApiDialect | null;
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

interface GuardDeps extends CallerDeps {
  rateLimiter: RateLimiter;
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** What the request says about its caller, for `resolveCaller`. */
function requestFacts(req: FastifyRequest, needs: CredentialNeeds): RequestFacts {
  const token = headerValue(req, MAIN_TOKEN_HEADER)?.trim();
  return {
    needs,
    authorization: req.headers.authorization,
    mainToken: token === undefined || token === '' ? undefined : token,
    sessionId: needs.sessionBound ? ((req.params as { sessionId?: string }).sessionId ?? null) : null,
    userId: req.user?.user.id ?? null,
    route: `${req.method} ${req.routeOptions.url ?? req.url}`,
    chasterClientId: headerValue(req, CHASTER_CLIENT_ID_HEADER),
  };
}

/**
 * The credential checks of DECISIONS §3, in exactly that order (first failure wins), for every
 * route that declares `config.credentials`: who is calling (`resolveCaller`), the scope, the rate
 * limit, then the lock it acts on. Runs before body parsing and validation, so a caller without
 * credentials learns nothing about the route's schema.
 */
export function registerCredentialGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('apiDialect', null);
  app.addHook('onRequest', async (req, reply) => {
    const needs = req.routeOptions.config.credentials;
    if (!needs) return;
    const who = await resolveCaller(deps, requestFacts(req, needs));
    req.apiDialect = who.dialect;
    if (who.refusal) throw who.refusal;
    req.caller = who.caller;
    const scope = scopeRefusal(who.caller, needs);
    if (scope) throw scope;
    await enforceRateLimit(deps.rateLimiter, req, reply, needs.bucket, credentialKey(who.caller));
    const acting = await resolveActingLock(deps, who.caller, needs, headerValue(req, LOCK_ID_HEADER));
    if (acting.refusal) throw acting.refusal;
    req.caller = acting.caller;
  });
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
