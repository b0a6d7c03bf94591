import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiError } from '../errors.js';

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
