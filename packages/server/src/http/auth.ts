import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { csrfMatches, type AccountService, type AuthenticatedUser, type LoginResult } from '../services/accounts.js';

export const SESSION_COOKIE = 'latch_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in first-party user, resolved from the session cookie. */
    user: AuthenticatedUser | null;
  }
  interface FastifyContextConfig {
    /** `user`: a signed-in user is required (401 `login_required` otherwise). */
    auth?: 'user' | 'none';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * First-party authentication: an httpOnly, SameSite=Lax session cookie, plus CSRF protection
 * for every cookie-authenticated mutation: the `x-csrf-token` header must carry the session's
 * token (a cross-site form cannot set headers), and a browser `Origin` must be our own.
 */
export function registerFirstPartyAuth(app: FastifyInstance, opts: { accounts: AccountService; publicOrigin: string; secureCookies: boolean }) {
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (req) => {
    const mutation = !SAFE_METHODS.has(req.method);
    const origin = req.headers.origin;
    // A browser tells us where a request comes from; a mutation from another site is refused
    // even before we look at credentials (login CSRF included).
    if (mutation && origin !== undefined && origin !== opts.publicOrigin && req.url.startsWith('/api/') && !req.url.startsWith('/api/extensions/') && !req.url.startsWith('/api/apps/')) {
      throw new ApiError('csrf_token_invalid', `Requests from ${origin} may not change anything here`);
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.user = await opts.accounts.authenticate(token);
    if (req.routeOptions.config.auth === 'user') {
      if (!req.user) throw new ApiError('login_required', 'Sign in first');
      if (mutation) {
        const presented = req.headers[CSRF_HEADER];
        if (!csrfMatches(typeof presented === 'string' ? presented : undefined, req.user.csrfToken)) {
          throw new ApiError('csrf_token_invalid', `Send the csrfToken from GET /api/me as the ${CSRF_HEADER} header`);
        }
      }
    }
  });

  return {
    setSessionCookie(reply: FastifyReply, login: LoginResult, now: number) {
      reply.setCookie(SESSION_COOKIE, login.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        maxAge: Math.max(0, Math.floor((login.expiresAt - now) / 1000)),
      });
    },
    clearSessionCookie(reply: FastifyReply) {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies });
    },
  };
}

/** The signed-in user of a route declared with `config: { auth: 'user' }`. */
export function signedIn(req: FastifyRequest): AuthenticatedUser {
  if (!req.user) throw new ApiError('login_required', 'Sign in first');
  return req.user;
}
