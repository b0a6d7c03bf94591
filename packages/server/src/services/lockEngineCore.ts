import { ApiError, notFound } from '../errors.js';
import type { DialectName } from '../db/connect.js';
import type { LockRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { findLockForUpdate, updateLockIfVersion } from '../storage/locks.js';
import type { ServiceDeps } from './deps.js';
import { writeHistory } from './history.js';
import { writeNotification } from './notifications.js';
import type { Actor, Effects } from './lockEffects.js';
import { decide, policyRoleOf, type LockAction, type PolicyContext, type Via } from './lockPolicy.js';

/** What the lock engine's modules share (services/lockEngine.ts composes them). */

export const JOB = {
  unfreeze: 'lock.unfreeze',
  pilloryEnd: 'lock.pillory_end',
  hygienicEnd: 'lock.hygienic_end',
  taskTimerEnd: 'task.timer_end',
} as const;

export const jobKey = {
  unfreeze: (lockId: string) => `unfreeze:${lockId}`,
  pillory: (lockId: string) => `pillory:${lockId}`,
  hygienic: (lockId: string) => `hygienic:${lockId}`,
  task: (taskId: string) => `task:${taskId}`,
};

export interface ActionResult {
  action: string;
  /** false when the action left the lock as it was (e.g. unfreezing an unfrozen lock). */
  changed: boolean;
  detail: Record<string, unknown>;
}


/**
 * The policy table's verdict for `via` doing `action` on `lock` now; throws its error when denied.
 * The scheduler (`system`) is not restricted.
 */
export function authorize(via: Via, action: LockAction, lock: LockRow, now: number, extra: Omit<PolicyContext, 'lock' | 'settings' | 'now'> = {}): void {
  const role = policyRoleOf(via, lock);
  if (role === null) return;
  const verdict = decide(role, action, { lock, settings: lock.settings, now, ...extra });
  if (!verdict.allowed) throw new ApiError(verdict.code, verdict.message, verdict.code === 'unlock_not_allowed' ? { reasons: extra.holds ?? [] } : undefined);
}

export type EngineDeps = ServiceDeps & { dialect: DialectName };

export type Change = <T>(lockId: string, actor: Actor, decide: (lock: LockRow, now: number, tx: Executor) => Promise<{ fx: Effects; result: T }>, tx?: Executor) => Promise<T>;

export function empty(): Effects {
  return { patch: {}, history: [], schedule: [], cancel: [], notify: [] };
}

export function activeOrThrow(lock: LockRow) {
  if (lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
}

export function result(action: string, fx: Effects, detail: Record<string, unknown> = {}): ActionResult {
  return { action, changed: Object.keys(fx.patch).length > 0 || fx.history.length > 0, detail };
}

/** The engine's one write path: `change` over `apply` (DECISIONS §5). */
export function createChange({ db, clock, ids, dialect }: EngineDeps): Change {
  async function apply(tx: Executor, lock: LockRow, actor: Actor, now: number, fx: Effects): Promise<boolean> {
    const nothing = Object.keys(fx.patch).length === 0 && !fx.history.length && !fx.schedule.length && !fx.cancel.length && !fx.notify.length && !fx.after;
    if (nothing) return true;
    const ok = await updateLockIfVersion(tx, lock.id, lock.version, { ...fx.patch, updated_at: now });
    if (!ok) return false;
    for (const h of fx.history) {
      await writeHistory(tx, ids, now, { ...h, lockId: lock.id, role: actor.role, actorUserId: actor.userId ?? null, extensionSlug: actor.extensionSlug ?? null });
    }
    for (const key of fx.cancel) await cancelJob(tx, key);
    for (const j of fx.schedule) await scheduleJob(tx, { id: ids.objectId(), kind: j.kind, key: j.key, runAt: j.runAt, payload: j.payload, now });
    for (const n of fx.notify) await writeNotification(tx, ids, now, { ...n, lockId: lock.id });
    if (fx.after) await fx.after(tx);
    return true;
  }

  /**
   * Runs `decide` on the freshest lock and applies its effects atomically; a concurrent writer
   * that got there first makes it retry on the new row, so no update is lost. With `tx`, runs
   * inside the caller's transaction (a scheduler job) and fails instead of retrying.
   */
  async function change<T>(lockId: string, actor: Actor, decide: (lock: LockRow, now: number, tx: Executor) => Promise<{ fx: Effects; result: T }>, tx?: Executor): Promise<T> {
    const once = async (t: Executor) => {
      const lock = await findLockForUpdate(t, lockId, dialect);
      if (!lock) throw notFound('Lock');
      const now = clock.now();
      const { fx, result } = await decide(lock, now, t);
      return (await apply(t, lock, actor, now, fx)) ? { done: true as const, result } : { done: false as const };
    };
    if (tx) {
      const r = await once(tx);
      if (!r.done) throw new Error('lock changed concurrently; the job will retry');
      return r.result;
    }
    for (let attempt = 0; attempt < 25; attempt++) {
      const r = await db.transaction().execute(once);
      if (r.done) return r.result;
    }
    throw new ApiError('conflict', 'The lock is changing too fast; retry');
  }

  return change;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', rest || (!d && !h && !m) ? `${rest}s` : ''].filter(Boolean);
  return parts.join(' ');
}
