import type { DialectName } from '../db/connect.js';
import type { ServiceDeps } from './deps.js';
import { createLockCore, type LockHooks } from './lockServiceCore.js';
import { createLockCreation } from './lockCreation.js';
import { createLockViews } from './lockViews.js';
import { createLockParties } from './lockParties.js';
import { createLockExtensions } from './lockExtensions.js';

export { installedView, lockView, MAX_CONFIG_BYTES, type ExtensionChoice, type LockHooks } from './lockServiceCore.js';
export type { CreateLockInput } from './lockCreation.js';

/** The lock service: creation, the participant's reads, the parties, the extensions on a lock (each in its module). */
export function createLockService({ db, clock, ids, dialect }: ServiceDeps & { dialect: DialectName }, hooks: LockHooks = {}) {
  const deps = { db, clock, ids, dialect };
  const core = createLockCore(deps, hooks);
  return {
    ...createLockCreation(deps, core),
    ...createLockViews(deps, core),
    ...createLockParties(deps, core),
    ...createLockExtensions(deps, core),
  };
}

export type LockService = ReturnType<typeof createLockService>;
