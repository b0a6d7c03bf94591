import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { RateLimiter } from '../ratelimit.js';
import { enforceRateLimit } from './credentials.js';

/**
 * Sign-in and sign-up limits (issue 16): per client address (`login_ip`, `register_ip`), per
 * account (`login`), and a growing lockout of an account after repeated wrong passwords
 * (`RateLimiter.loginFailures`). Every refusal is 429 `rate_limited` with `Retry-After`; nothing
 * waits on a timer, so a flood of guesses costs the server one counter look-up each.
 */
export async function guardRegistration(limiter: RateLimiter, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await enforceRateLimit(limiter, req, reply, 'register_ip', `ip:${req.ip}`);
}

export interface LoginAttempt {
  /** The password was wrong: count it against the account. */
  failed(): Promise<void>;
  /** Signed in: the account's failures are forgotten. */
  succeeded(): Promise<void>;
}

export async function guardLogin(limiter: RateLimiter, req: FastifyRequest, reply: FastifyReply, username: string): Promise<LoginAttempt> {
  const account = `account:${username.toLowerCase()}`;
  await enforceRateLimit(limiter, req, reply, 'login_ip', `ip:${req.ip}`);
  await enforceRateLimit(limiter, req, reply, 'login', account);
  const locked = await limiter.loginFailures.lockedFor(account);
  if (locked > 0) {
    throw new ApiError(
      'rate_limited',
      `Too many wrong passwords for this account; retry in ${locked} s`,
      { bucket: 'login_failures', retryAfterSeconds: locked },
      { 'Retry-After': String(locked) },
    );
  }
  return {
    failed: async () => void (await limiter.loginFailures.fail(account)),
    succeeded: () => limiter.loginFailures.clear(account),
  };
}
