import { ApiError } from '../errors.js';

/**
 * Names of latch's own parts, as people see them: the built-in "External programs" app (scripts
 * on /api/apps/v1, `external-api`), the system account `latch`, and the actor labels of history
 * entries. An extension app named like one of them could pass itself off as the platform.
 */
const RESERVED = ['external programs', 'external program', 'external api', 'external apps', 'external', 'latch', 'latch system', 'system', 'platform', 'wearer', 'keyholder'];

/** Lower case, compatibility forms folded (full-width, ligatures), accents and punctuation gone. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function isReservedAppName(name: string): boolean {
  const n = normalizeName(name);
  const compact = n.replace(/ /g, '');
  return RESERVED.some((r) => n === r || compact === r.replace(/ /g, '')) || /^external ?programs?\b/.test(n) || /^latch\b/.test(n);
}

/** 400 `reserved_name` when an app name imitates a built-in. */
export function checkAppName(name: string, pointer = '/name'): void {
  if (isReservedAppName(name)) {
    throw new ApiError('reserved_name', `"${name}" imitates a built-in part of latch; choose another name`, [{ in: 'body', path: pointer, message: 'a reserved name' }]);
  }
}
