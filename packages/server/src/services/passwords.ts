import { dictionary } from '@zxcvbn-ts/language-common';
import { hash, verify, type Options as Argon2Options } from '@node-rs/argon2';
import { ApiError } from '../errors.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
// `algorithm: 2` is Argon2id (a const enum in the typings, which isolated modules cannot import).
const ARGON2: Argon2Options = { algorithm: 2 as Argon2Options['algorithm'], memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** An argon2id hash of a password (accounts, password-protected shared locks). */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** Whether `password` matches `hashed`; a hash that is not argon2 (the system account's "!") never does. */
export const verifyPassword = (hashed: string, password: string): Promise<boolean> => verify(hashed, password).catch(() => false);

/**
 * The ~49,000 most common passwords (zxcvbn-ts's `passwords-common` list: leaked-password
 * frequency lists), lower-cased. Loaded on first use, then a set look-up.
 */
let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase()) || common.has(password.trim().toLowerCase());
}

/** A new password must not be one of the common ones (400 `password_too_common`). */
export function checkNewPassword(password: string): void {
  if (isCommonPassword(password)) {
    throw new ApiError('password_too_common', 'This password is on a list of the most common passwords, which attackers try first: choose another', [
      { in: 'body', path: '/password', message: 'a common password' },
    ]);
  }
}
