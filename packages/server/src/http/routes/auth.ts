import { Type } from '@sinclair/typebox';
import { Me, Password, Profile, Username } from '@latch/protocol';
import { meView } from '../../services/accounts.js';
import { ApiError } from '../../errors.js';
import { signedIn } from '../auth.js';
import { guardLogin, guardRegistration } from '../loginGuard.js';
import { LOGIN_WRITE, PUBLIC, route } from '../route.js';
import type { App, RouteContext } from '../types.js';

const Credentials = Type.Object({ username: Username, password: Password }, { additionalProperties: false });

/** Sign up, sign in, sign out: an httpOnly session cookie plus a CSRF token in the body. */
export function authRoutes(app: App, ctx: Pick<RouteContext, 'accounts' | 'rateLimiter' | 'clock' | 'cookies' | 'liveStreams'>) {
  app.post(
    '/api/auth/register',
    route({
      access: PUBLIC,
      errors: ['password_too_common', 'username_taken', 'csrf_token_invalid', 'rate_limited', 'payload_too_large', 'unsupported_media_type'],
      config: { idempotency: false },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account and sign in',
        body: Type.Object({ username: Username, password: Password, profile: Type.Optional(Profile) }, { additionalProperties: false }),
        response: { 201: Me },
      },
    }),
    async (req, reply) => {
      await guardRegistration(ctx.rateLimiter, req, reply);
      const login = await ctx.accounts.register(req.body);
      ctx.cookies.setSessionCookie(reply, login, ctx.clock.now());
      return reply.code(201).send(meView(login.user, login.csrfToken));
    },
  );

  app.post(
    '/api/auth/login',
    route({
      access: PUBLIC,
      errors: ['invalid_login', 'csrf_token_invalid', 'rate_limited', 'payload_too_large', 'unsupported_media_type'],
      config: { idempotency: false },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in (sets the session cookie)',
        description: 'Limited per client address and per account; after 5 wrong passwords in a row the account is locked for 1 s, then 2 s, 4 s, … (at most 15 min): 429 `rate_limited` with `Retry-After`.',
        body: Credentials,
        response: { 200: Me },
      },
    }),
    async (req, reply) => {
      const attempt = await guardLogin(ctx.rateLimiter, req, reply, req.body.username);
      let login;
      try {
        login = await ctx.accounts.login(req.body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid_login') await attempt.failed();
        throw err;
      }
      await attempt.succeeded();
      ctx.cookies.setSessionCookie(reply, login, ctx.clock.now());
      return meView(login.user, login.csrfToken);
    },
  );

  app.post(
    '/api/auth/logout',
    route({
      access: LOGIN_WRITE,
      schema: {
        tags: ['accounts'],
        summary: 'Sign out (ends this session)',
        response: { 204: Type.Null({ description: 'Signed out' }) },
      },
    }),
    async (req, reply) => {
      const { sessionTokenHash } = signedIn(req);
      await ctx.accounts.logout(sessionTokenHash);
      ctx.liveStreams.endSession(sessionTokenHash);
      ctx.cookies.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );
}
