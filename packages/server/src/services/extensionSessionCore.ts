import type { DialectName } from '../db/connect.js';
import type { DeviceControl, Metadata } from '@latch/protocol';
import { ApiError } from '../errors.js';
import type { DeviceRow, DeviceStateRow, ExtensionSessionRow } from '../db/types.js';
import type { AttemptService } from './attempts.js';
import type { RegularActionService } from './regularActions.js';
import type { RequirementService } from './requirements.js';
import { loadLockContext, storedMetadata, requirementStatuses } from './lockContext.js';
import type { ServiceDeps } from './deps.js';
import { checkJsonDepth } from './freeFormJson.js';
import type { LockRole } from './lockRules.js';

/** What the extension session service's parts share (services/extensionSessions.ts composes them). */

// The storage-only reads moved to lockContext.ts (the Chaster webhook payloads read them in a transaction).
export * from './lockContext.js';

export const MAX_STATE_BYTES = 64 * 1024;
export const RESERVED_STATE_KEYS = ['attemptLimits'] as const;

export interface Viewer {
  /** The launch role (main token), the cookie user's role, or null (app key alone). */
  role: LockRole | null;
  credentialMayMutate: boolean;
}
/** Rejects keys MongoDB-era clients cannot store (`$…`, `a.b`) and pathological nesting. */
export function checkStateKeys(value: unknown, path = 'data', depth = 0): void {
  // The one free-form depth limit, checked once without recursion; the walk below then stays shallow.
  if (depth === 0) checkJsonDepth(value, '/data', 'State');
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkStateKeys(v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') || k.includes('.')) {
        throw new ApiError('invalid_state_key', `State key "${k}" at ${path} may not start with $ or contain a dot`, { path: `${path}.${k}` });
      }
      checkStateKeys(v, `${path}.${k}`, depth + 1);
    }
  }
}

/** RFC 7386 JSON merge patch: null deletes, objects merge, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

export const etagOf = (version: number) => `"${version}"`;
export function ifMatchHolds(ifMatch: string | undefined, version: number): boolean {
  if (ifMatch === undefined) return true;
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    // Strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
    .some((t) => t === '*' || t === etagOf(version));
}

export type SessionDeps = ServiceDeps & {
  dialect: DialectName;
  requirements: RequirementService;
  attempts: AttemptService;
  regularActions: RegularActionService;
  /** `deviceControl` per lock from the rows the lock context read (the device service). */
  devices: { controlOf(lockIds: string[], rows: { devices: DeviceRow[]; states: DeviceStateRow[] }): Promise<Map<string, DeviceControl>> };
};

/** The reads every part needs: blockers and requirement progress of locks, and a session's metadata view. */
export function createSessionCore({ db, dialect }: SessionDeps) {
  const lockContext = (lockIds: string[], userIds: string[] = [], withDevices = false) => loadLockContext(db, dialect, lockIds, userIds, withDevices);

  function metadataView(session: ExtensionSessionRow, ctx: Awaited<ReturnType<typeof lockContext>>): Metadata {
    const meta = storedMetadata(session);
    const aggregated = ctx.blockersByLock.get(session.lock_id) ?? [];
    return {
      unlockBlockers: meta.unlockBlockers,
      homeActions: meta.homeActions,
      unlockRequirements: requirementStatuses(meta, ctx.totals.get(session.id) ?? new Map()),
      aggregatedUnlockBlockers: aggregated,
      unlockBlocked: aggregated.length > 0,
    };
  }

  return { lockContext, metadataView };
}

export type SessionCore = ReturnType<typeof createSessionCore>;
