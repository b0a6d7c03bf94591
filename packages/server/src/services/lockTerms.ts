import type { UserRow } from '../db/types.js';
import { notFound } from '../errors.js';
import { findLockById } from '../storage/locks.js';
import type { ServiceDeps } from './deps.js';
import type { LockEngine } from './lockEngine.js';
import { roleOf } from './lockRules.js';

/** The lock settings page's limits: who is asking, then the engine applies the policy table and the rule (services/lockLimits.ts). */
export function createLockTermsService({ db }: Pick<ServiceDeps, 'db'>, engine: LockEngine) {
  async function participant(user: UserRow, lockId: string) {
    const lock = await findLockById(db, lockId);
    const role = lock ? roleOf(lock, user.id) : null;
    if (!lock || !role) throw notFound('Lock');
    return role;
  }
  return {
    async changeMaxLimit(user: UserRow, lockId: string, to: { until: number } | { bySeconds: number } | null) {
      const role = await participant(user, lockId);
      return engine.changeMaxLimit(lockId, { role, userId: user.id }, { kind: 'first_party', userId: user.id }, to);
    },
    async changeMinLimit(user: UserRow, lockId: string, until: number | null) {
      const role = await participant(user, lockId);
      return engine.changeMinLimit(lockId, { role, userId: user.id }, { kind: 'first_party', userId: user.id }, until);
    },
  };
}

export type LockTermsService = ReturnType<typeof createLockTermsService>;
