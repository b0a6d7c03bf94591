import type { DialectName } from '../db/connect.js';
import { ApiError, notFound } from '../errors.js';
import { bool, int, toJson } from '../db/json.js';
import type { LockRow, TaskRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findLocksForUpdate } from '../storage/bulk.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { findLockForUpdate, updateLockIfVersion } from '../storage/locks.js';
import { findOpenTask, insertTask, updateTask } from '../storage/tasks.js';
import { LockEffectsBatch } from './bulkEffects.js';
import type { ServiceDeps } from './deps.js';
import type { BatchJobHandler } from './scheduler.js';
import { writeHistory } from './history.js';
import {
  FREEZE_DEFAULT_SECONDS,
  FREEZE_RANGE,
  HYGIENIC_RANGE,
  parseOptionalDuration,
  parsePillory,
  parseSeconds,
  parseSettingsPatch,
  parseTaskAssignment,
  parseTaskCompletion,
  type ActionName,
} from './lockActions.js';
import { hasAcceptedKeyholder as hasKeyholder, inPillory, isFrozen, lockSettings as settingsOf, mergeSettings, sessionLockView, timerHiddenFrom, unlockHolds, type LockRole } from './lockRules.js';
import { writeNotification, type NotificationInput } from './notifications.js';
import { capEndsAt, checkMaxLimitChange, checkMinLimitChange, checkVotesRequiredChange } from './lockLimits.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import type { AggregatedBlocker } from '@latch/protocol';
import type { Actor, Effects } from './lockEffects.js';
import { decide, policyRoleOf, type LockAction, type PolicyContext, type Via } from './lockPolicy.js';

export type { Via } from './lockPolicy.js';

export type { Actor, Effects } from './lockEffects.js';

export const JOB = {
  unfreeze: 'lock.unfreeze',
  pilloryEnd: 'lock.pillory_end',
  hygienicEnd: 'lock.hygienic_end',
  taskTimerEnd: 'task.timer_end',
} as const;

const jobKey = {
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
  const verdict = decide(role, action, { lock, settings: settingsOf(lock), now, ...extra });
  if (!verdict.allowed) throw new ApiError(verdict.code, verdict.message, verdict.code === 'unlock_not_allowed' ? { reasons: extra.holds ?? [] } : undefined);
}

/**
 * The lock engine (DECISIONS §5): every change is a read-modify-write of one lock row inside a
 * transaction (row-locked on PostgreSQL, version compare-and-swap everywhere), written to the
 * history with its actor in the same transaction, with timed ends as scheduler jobs.
 */
export function createLockEngine({ db, clock, ids, dialect }: ServiceDeps & { dialect: DialectName }) {
  function empty(): Effects {
    return { patch: {}, history: [], schedule: [], cancel: [], notify: [] };
  }

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

  function activeOrThrow(lock: LockRow) {
    if (lock.status !== 'locked') throw new ApiError('lock_ended', 'The lock is no longer active');
  }

  function result(action: string, fx: Effects, detail: Record<string, unknown> = {}): ActionResult {
    return { action, changed: Object.keys(fx.patch).length > 0 || fx.history.length > 0, detail };
  }

  // --- pure decisions: (lock, params, now) → effects ---------------------------------------

  function addTime(lock: LockRow, seconds: number, now: number): Effects {
    const fx = empty();
    const reference = lock.frozen_at ?? now;
    const ends = lock.ends_at ?? reference;
    let next = Math.max(ends, reference) + seconds * 1000;
    next = capEndsAt(lock, next, ends);
    // endsAt may lie in the past (the timer had run out): the delta includes that catch-up,
    // the title says what the wearer gets.
    const delta = next - ends;
    const added = next - Math.max(ends, reference);
    fx.patch = { ends_at: next };
    fx.history.push({ type: 'time_added', title: `Added ${formatDuration(added / 1000)}`, payload: { requestedSeconds: seconds, addedSeconds: added / 1000, endsAtDeltaMs: delta, cappedByMaxLimit: added < seconds * 1000 } });
    return fx;
  }

  function removeTime(lock: LockRow, seconds: number, now: number): Effects {
    const fx = empty();
    const reference = lock.frozen_at ?? now;
    const ends = lock.ends_at ?? reference;
    // Removing more than remains leaves 0; it is not an error (DECISIONS §5).
    const next = Math.min(ends, Math.max(reference, ends - seconds * 1000));
    const delta = next - ends;
    fx.patch = { ends_at: next };
    fx.history.push({ type: 'time_removed', title: `Removed ${formatDuration(-delta / 1000)}`, payload: { requestedSeconds: seconds, endsAtDeltaMs: delta } });
    return fx;
  }

  function freeze(lock: LockRow, seconds: number, now: number): Effects {
    const fx = empty();
    const until = now + seconds * 1000;
    fx.patch = isFrozen(lock) ? { frozen_until: until } : { frozen_at: now, frozen_until: until };
    fx.schedule.push({ kind: JOB.unfreeze, key: jobKey.unfreeze(lock.id), runAt: until, payload: { lockId: lock.id } });
    fx.history.push({ type: isFrozen(lock) ? 'freeze_extended' : 'lock_frozen', title: `Frozen for ${formatDuration(seconds)}`, payload: { durationSeconds: seconds, frozenUntil: until } });
    return fx;
  }

  /** Ends a freeze at `at` (its scheduled end for the job, now for a manual unfreeze). */
  function unfreeze(lock: LockRow, at: number, automatic: boolean): Effects {
    const fx = empty();
    if (!isFrozen(lock)) return fx;
    const span = Math.max(0, at - lock.frozen_at!);
    fx.patch = {
      frozen_at: null,
      frozen_until: null,
      ends_at: lock.ends_at === null ? null : lock.ends_at + span,
      // The max limit moves with the timer: frozen time never counts, in either direction.
      max_ends_at: lock.max_ends_at === null ? null : lock.max_ends_at + span,
    };
    fx.cancel.push(jobKey.unfreeze(lock.id));
    fx.history.push({ type: 'lock_unfrozen', title: automatic ? 'Freeze ended' : 'Unfrozen', payload: { frozenForMs: span, endsAtDeltaMs: lock.ends_at === null ? 0 : span, automatic } });
    return fx;
  }

  function decideAction(lock: LockRow, name: ActionName, params: unknown, now: number, via: Via): Effects {
    activeOrThrow(lock);
    authorize(via, name, lock, now, { params });
    const settings = settingsOf(lock);
    switch (name) {
      case 'add_time':
        return addTime(lock, parseSeconds(params), now);
      case 'remove_time':
        return removeTime(lock, parseSeconds(params), now);
      case 'freeze':
        return freeze(lock, parseOptionalDuration(params, FREEZE_RANGE, FREEZE_DEFAULT_SECONDS), now);
      case 'unfreeze':
        return unfreeze(lock, now, false);
      case 'toggle_freeze':
        return isFrozen(lock) ? unfreeze(lock, now, false) : freeze(lock, parseOptionalDuration(params, FREEZE_RANGE, FREEZE_DEFAULT_SECONDS), now);
      case 'pillory': {
        const p = parsePillory(params);
        if (!settings.pillory.enabled) throw new ApiError('pillory_not_enabled', 'Pillory is not enabled on this lock');
        if (inPillory(lock, now)) throw new ApiError('pillory_active', 'The wearer is already in the pillory');
        if (p.durationSeconds > settings.pillory.maxDurationSeconds) {
          throw new ApiError('invalid_params', `This lock allows at most ${settings.pillory.maxDurationSeconds} s of pillory`, { param: 'durationSeconds', max: settings.pillory.maxDurationSeconds });
        }
        const fx = empty();
        const until = now + p.durationSeconds * 1000;
        fx.patch = { pillory_until: until, pillory_reason: p.reason };
        fx.schedule.push({ kind: JOB.pilloryEnd, key: jobKey.pillory(lock.id), runAt: until, payload: { lockId: lock.id } });
        fx.history.push({ type: 'pillory_started', title: `In the pillory for ${formatDuration(p.durationSeconds)}`, description: p.reason ?? '', payload: { durationSeconds: p.durationSeconds, reason: p.reason, until } });
        return fx;
      }
      case 'pillory.end': {
        if (!inPillory(lock, now)) throw new ApiError('pillory_not_active', 'The wearer is not in the pillory');
        const fx = empty();
        fx.patch = { pillory_until: null, pillory_reason: null };
        fx.cancel.push(jobKey.pillory(lock.id));
        fx.history.push({ type: 'pillory_ended', title: 'Pillory ended', payload: { automatic: false } });
        return fx;
      }
      case 'hygienic_unlock.start': {
        const seconds = parseOptionalDuration(params, HYGIENIC_RANGE, settings.hygienicOpening.durationSeconds);
        if (!settings.hygienicOpening.enabled) throw new ApiError('hygienic_opening_not_enabled', 'Hygienic opening is not enabled on this lock');
        if (lock.hygienic_started_at !== null) throw new ApiError('hygienic_opening_active', 'A hygienic opening is already running');
        const fx = empty();
        const until = now + seconds * 1000;
        fx.patch = { hygienic_started_at: now, hygienic_until: until };
        fx.schedule.push({ kind: JOB.hygienicEnd, key: jobKey.hygienic(lock.id), runAt: until, payload: { lockId: lock.id } });
        fx.history.push({ type: 'hygienic_opening_started', title: `Hygienic opening for ${formatDuration(seconds)}`, payload: { durationSeconds: seconds, relockBy: until } });
        return fx;
      }
      case 'settings.patch': {
        const patch = parseSettingsPatch(params, via.kind === 'first_party');
        const { hiddenTimer, ...rest } = patch;
        const fx = empty();
        fx.patch = { settings: toJson(mergeSettings(settings, rest)), ...(hiddenTimer !== undefined ? { hidden_timer: int(hiddenTimer) } : {}) };
        fx.history.push({ type: 'settings_changed', title: 'Settings changed', payload: { changes: patch } });
        return fx;
      }
      default:
        throw new ApiError('unknown_action', `Unknown action ${String(name)}`);
    }
  }

  async function decideTaskAction(lock: LockRow, name: 'task.assign' | 'task.start_timer' | 'task.complete', params: unknown, now: number, via: Via, actor: Actor, tx: Executor): Promise<{ fx: Effects; detail: Record<string, unknown> }> {
    activeOrThrow(lock);
    const open = await findOpenTask(tx, lock.id);
    authorize(via, name, lock, now, { params, openTask: !!open });
    const settings = settingsOf(lock);
    // Parameter errors first (400), then the module and task-state preconditions.
    const assignment = name === 'task.assign' ? parseTaskAssignment(params) : null;
    const completion = name === 'task.complete' ? parseTaskCompletion(params) : null;
    if (!settings.tasks.enabled) throw new ApiError('tasks_not_enabled', 'Tasks are not enabled on this lock');
    const fx = empty();
    if (assignment) {
      const task: TaskRow = {
        id: ids.objectId(),
        lock_id: lock.id,
        text: assignment.text,
        points: assignment.points,
        verification_required: int(assignment.verificationRequired),
        duration_seconds: assignment.durationSeconds,
        status: 'open',
        assigned_by: assignment.actor ?? actor.role,
        extension_slug: actor.extensionSlug ?? null,
        timer_started_at: null,
        timer_ends_at: null,
        reason: null,
        created_at: now,
        finished_at: null,
      };
      fx.after = async (t) => {
        if (open) await updateTask(t, open.id, { status: 'replaced', finished_at: now });
        await insertTask(t, task);
      };
      if (open) fx.cancel.push(jobKey.task(open.id));
      fx.history.push({ type: 'task_assigned', title: `Task assigned: ${assignment.text.slice(0, 120)}`, payload: { taskId: task.id, points: task.points, durationSeconds: task.duration_seconds, verificationRequired: assignment.verificationRequired, replacedTaskId: open?.id ?? null } });
      fx.notify.push({ userId: lock.wearer_id, type: 'task_assigned', title: 'New task', message: assignment.text.slice(0, 200) });
      return { fx, detail: { taskId: task.id, points: task.points, durationSeconds: task.duration_seconds, verificationRequired: assignment.verificationRequired } };
    }
    if (!open) throw new ApiError('no_active_task', 'There is no open task');
    if (name === 'task.start_timer') {
      if (open.duration_seconds <= 0) throw new ApiError('task_has_no_duration', 'The open task has no timer');
      const endsAt = now + open.duration_seconds * 1000;
      fx.after = (t) => updateTask(t, open.id, { timer_started_at: now, timer_ends_at: endsAt });
      fx.schedule.push({ kind: JOB.taskTimerEnd, key: jobKey.task(open.id), runAt: endsAt, payload: { lockId: lock.id, taskId: open.id } });
      fx.history.push({ type: 'task_timer_started', title: `Task timer started (${formatDuration(open.duration_seconds)})`, payload: { taskId: open.id, endsAt } });
      return { fx, detail: { taskId: open.id, timerEndsAt: new Date(endsAt).toISOString() } };
    }
    const { successful, reason } = completion!;
    if (successful && bool(open.verification_required)) throw new ApiError('task_verification_required', 'This task needs a verification picture; only the wearer can complete it');
    if (successful && open.duration_seconds > 0 && (open.timer_ends_at === null || now < open.timer_ends_at)) {
      throw new ApiError('task_timer_not_finished', open.timer_ends_at === null ? 'Start the task timer first' : 'The task timer has not run out yet');
    }
    fx.after = (t) => updateTask(t, open.id, { status: successful ? 'completed' : 'failed', reason, finished_at: now });
    if (successful) fx.patch = { task_points: lock.task_points + open.points };
    fx.cancel.push(jobKey.task(open.id));
    fx.history.push({ type: successful ? 'task_completed' : 'task_failed', title: successful ? `Task completed (+${open.points} points)` : 'Task failed', description: reason ?? '', payload: { taskId: open.id, points: successful ? open.points : 0 } });
    return { fx, detail: { taskId: open.id, successful, pointsAwarded: successful ? open.points : 0, taskPoints: lock.task_points + (successful ? open.points : 0) } };
  }

  /** A freeze's scheduled end: only the freeze this job was scheduled for, and only at its own end. */
  function freezeEnd(lock: LockRow, runAt: number): Effects {
    if (!isFrozen(lock) || lock.status !== 'locked' || lock.frozen_until === null || lock.frozen_until > runAt) return empty();
    return unfreeze(lock, lock.frozen_until, true);
  }

  function pilloryEnd(lock: LockRow, runAt: number): Effects {
    const fx = empty();
    if (lock.pillory_until !== null && lock.pillory_until <= runAt) {
      fx.patch = { pillory_until: null, pillory_reason: null };
      fx.history.push({ type: 'pillory_ended', title: 'Pillory ended', payload: { automatic: true } });
    }
    return fx;
  }

  /** A job that changes one lock (`payload.lockId`) by a pure decision: one by one through `change`, or many at once. */
  function lockBatchJob(decide: (lock: LockRow, runAt: number) => Effects): BatchJobHandler {
    return {
      one: async (job, tx) => {
        await change(String(job.payload.lockId), { role: 'system' }, async (lock) => ({ fx: decide(lock, job.runAt), result: null }), tx);
      },
      batch: async (jobs, tx) => {
        const locks = await findLocksForUpdate(tx, [...new Set(jobs.map((j) => String(j.payload.lockId)))], dialect);
        const effects = new LockEffectsBatch(ids, clock.now(), locks);
        for (const job of jobs) {
          const lock = effects.lock(String(job.payload.lockId));
          // Missing lock: the one-by-one path reports it (the batch falls back to it).
          if (!lock) throw new Error(`lock ${String(job.payload.lockId)} not found`);
          effects.apply(lock.id, { role: 'system' }, decide(lock, job.runAt));
        }
        await effects.flush(tx);
      },
    };
  }

  function runAction(lockId: string, actor: Actor, via: Via, name: ActionName, params: unknown, tx?: Executor): Promise<ActionResult> {
    return change(
      lockId,
      actor,
      async (lock, now, t) => {
        if (name === 'task.assign' || name === 'task.start_timer' || name === 'task.complete') {
          const { fx, detail } = await decideTaskAction(lock, name, params, now, via, actor, t);
          return { fx, result: result(name, fx, detail) };
        }
        const fx = decideAction(lock, name, params, now, via);
        return { fx, result: result(name, fx) };
      },
      tx,
    );
  }

  return {
    /** One named action (spec 000) by an actor, under the role policy of where it came from. */
    action: (lockId: string, actor: Actor, via: Via, name: ActionName, params: unknown) => runAction(lockId, actor, via, name, params),

    /** The same inside a caller's transaction (a scheduled punishment commits with its guard row). */
    actionIn: (tx: Executor, lockId: string, actor: Actor, name: ActionName, params: unknown) => runAction(lockId, actor, { kind: 'system' }, name, params, tx),

    /**
     * For set-based jobs (a batch of requirement windows): what a system action would do to this
     * lock row, without writing anything. The caller applies the effects as `actionIn` would (the
     * same patch, history, jobs and notifications) and writes many locks at once. Throws the
     * ApiError the action would refuse with. Task actions (which read and write tasks) are not planned.
     */
    planSystemAction(lock: LockRow, name: Exclude<ActionName, 'task.assign' | 'task.start_timer' | 'task.complete'>, params: unknown, now: number): Effects {
      return decideAction(lock, name, params, now, { kind: 'system' });
    },

    /**
     * The ceiling (limit lock time): the wearer moves it later (to a date, or by seconds, which a
     * wearer with a hidden timer can do without knowing the date) or removes it for good (null).
     * Freezes move it with the timer (see `unfreeze`). The answer hides the date as the lock view does.
     */
    changeMaxLimit(lockId: string, actor: Actor, role: LockRole, to: { until: number } | { bySeconds: number } | null): Promise<{ maxLimitDate: string | null }> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        const until = to === null ? null : 'until' in to ? to.until : (lock.max_ends_at ?? 0) + to.bySeconds * 1000;
        checkMaxLimitChange(lock, role, until);
        const fx = empty();
        fx.patch = { max_ends_at: until };
        fx.history.push(
          until === null
            ? { type: 'max_limit_removed', title: 'Limit lock time removed', payload: { previous: lock.max_ends_at } }
            : { type: 'max_limit_extended', title: `Limit lock time moved ${formatDuration((until - lock.max_ends_at!) / 1000)} later`, payload: { previous: lock.max_ends_at, maxLimitDate: until } },
        );
        const shown = until !== null && !timerHiddenFrom(lock, role);
        return { fx, result: { maxLimitDate: shown ? new Date(until).toISOString() : null } };
      });
    },

    /** The floor (minimum lock time): the accepted keyholder sets, moves or removes it, never above the ceiling. */
    changeMinLimit(lockId: string, actor: Actor, role: LockRole, until: number | null): Promise<{ minLimitDate: string | null }> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        checkMinLimitChange(lock, role, hasKeyholder(lock), until);
        const fx = empty();
        if (lock.min_limit_date === until) return { fx, result: { minLimitDate: until === null ? null : new Date(until).toISOString() } };
        fx.patch = { min_limit_date: until };
        fx.history.push({ type: 'min_limit_changed', title: until === null ? 'Minimum lock time removed' : 'Minimum lock time changed', payload: { previous: lock.min_limit_date, minLimitDate: until } });
        return { fx, result: { minLimitDate: until === null ? null : new Date(until).toISOString() } };
      });
    },

    /**
     * A visitor's vote on a shared link: time added or removed through the same rules as
     * `add_time`/`remove_time` (the ceiling caps it), logged as the visitor's. `record` writes the
     * vote in the same transaction: a second vote of the same visitor in the period fails there
     * and changes nothing.
     */
    visitorVote(lockId: string, choice: 'add' | 'remove', seconds: number, record: (tx: Executor, lock: LockRow) => Promise<void>): Promise<{ choice: 'add' | 'remove'; seconds: number }> {
      return change(lockId, { role: 'system' }, async (lock, now) => {
        activeOrThrow(lock);
        const fx = choice === 'add' ? addTime(lock, seconds, now) : removeTime(lock, seconds, now);
        const [entry] = fx.history;
        fx.history = [{ ...entry!, type: 'visitor_vote', title: `A visitor ${choice === 'add' ? 'added' : 'removed'} ${formatDuration(seconds)}`, payload: { ...(entry!.payload as object), choice, via: 'shared_link' } }];
        fx.patch = { ...fx.patch, visitor_votes: lock.visitor_votes + 1 };
        fx.after = (tx) => record(tx, lock);
        return { fx, result: { choice, seconds } };
      });
    },

    /** The number of visitor votes the lock needs before it can be unlocked (the lock's controller). */
    setVisitorVotesRequired(lockId: string, actor: Actor, required: number): Promise<void> {
      return change(lockId, actor, async (lock) => {
        activeOrThrow(lock);
        checkVotesRequiredChange(lock, hasKeyholder(lock), required);
        const fx = empty();
        if (required === lock.visitor_votes_required) return { fx, result: undefined };
        fx.patch = { visitor_votes_required: required };
        fx.history.push({ type: 'visitor_votes_required', title: `${required} visitor votes required to unlock`, payload: { previous: lock.visitor_votes_required, required } });
        return { fx, result: undefined };
      });
    },

    /** The wearer closes a hygienic opening; late when past its end. */
    async relock(lockId: string, actor: Actor, via: Via): Promise<{ late: boolean }> {
      return change(lockId, actor, async (lock, now) => {
        activeOrThrow(lock);
        authorize(via, 'hygienic.relock', lock, now);
        if (lock.hygienic_started_at === null) throw new ApiError('conflict', 'No hygienic opening is running');
        const late = lock.hygienic_until !== null && now > lock.hygienic_until;
        const fx = empty();
        fx.patch = { hygienic_started_at: null, hygienic_until: null };
        fx.cancel.push(jobKey.hygienic(lock.id));
        fx.history.push({ type: 'hygienic_relocked', title: late ? 'Relocked late after a hygienic opening' : 'Relocked after a hygienic opening', payload: { late, lateByMs: late ? now - lock.hygienic_until! : 0 } });
        if (late && hasKeyholder(lock)) fx.notify.push({ userId: lock.keyholder_id!, type: 'hygienic_relocked_late', title: 'Late relock', message: `Relocked ${formatDuration((now - lock.hygienic_until!) / 1000)} late` });
        return { fx, result: { late } };
      });
    },

    /** Unlocks as the policy says: the wearer when nothing holds the lock back, the keyholder at any time. */
    async unlock(lockId: string, actor: Actor, via: Via, blockers: AggregatedBlocker[]): Promise<{ unlockedAt: string }> {
      return change(lockId, actor, async (lock, now) => {
        activeOrThrow(lock);
        const holds = unlockHolds(lock, blockers, now);
        try {
          authorize(via, 'unlock', lock, now, { holds });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'unlock_not_allowed') throw new ApiError('unlock_not_allowed', `The lock cannot be unlocked yet: ${holds.join(', ')}`, { reasons: holds, blockers });
          throw err;
        }
        // The minimum lock time holds against the keyholder too ("regardless of other factors").
        if (holds.includes('min_lock_time')) throw new ApiError('unlock_not_allowed', `The lock cannot be unlocked yet: ${holds.join(', ')}`, { reasons: holds, blockers });
        // Allowed with other holds: the keyholder overrode them.
        const fx = empty();
        fx.patch = { status: 'unlocked', ended_at: now, frozen_at: null, frozen_until: null, pillory_until: null, pillory_reason: null, hygienic_started_at: null, hygienic_until: null };
        fx.cancel.push(jobKey.unfreeze(lock.id), jobKey.pillory(lock.id), jobKey.hygienic(lock.id));
        fx.history.push({ type: 'lock_unlocked', title: 'Unlocked', payload: { overriddenHolds: holds } });
        const other = actor.userId === lock.wearer_id ? (hasKeyholder(lock) ? lock.keyholder_id : null) : lock.wearer_id;
        if (other) fx.notify.push({ userId: other, type: 'lock_unlocked', title: 'Lock unlocked', message: `“${lock.title}” was unlocked` });
        // Every app on the lock hears of it, with the lock as its session reads show it (app key alone: no hidden timer).
        fx.after = (t) =>
          emitWebhookEvent(t, ids, now, 'lock.unlocked', { lockId: lock.id }, () => ({
            unlockedAt: new Date(now).toISOString(),
            unlockedBy: actor.role,
            overriddenHolds: holds,
            lock: sessionLockView({ ...lock, ...fx.patch } as LockRow, false),
          }));
        return { fx, result: { unlockedAt: new Date(now).toISOString() } };
      });
    },

    /**
     * The wearer archives a running lock: it is deserted (issue 14, Chaster's "Lock status"). It
     * ends now, whatever holds it; its combination is withheld (services/combinations.ts).
     */
    async desert(lockId: string, actor: Actor): Promise<{ desertedAt: number }> {
      return change(lockId, actor, async (lock, now) => {
        activeOrThrow(lock);
        const fx = empty();
        fx.patch = { status: 'deserted', ended_at: now, archived_at: now, frozen_at: null, frozen_until: null, pillory_until: null, pillory_reason: null, hygienic_started_at: null, hygienic_until: null };
        fx.cancel.push(jobKey.unfreeze(lock.id), jobKey.pillory(lock.id), jobKey.hygienic(lock.id));
        fx.history.push({ type: 'lock_deserted', title: 'Lock deserted', description: 'The wearer archived the lock while it was running: the combination is withheld' });
        if (hasKeyholder(lock)) fx.notify.push({ userId: lock.keyholder_id!, type: 'lock_deserted', title: 'Lock deserted', message: `The wearer deserted “${lock.title}”` });
        return { fx, result: { desertedAt: now } };
      });
    },

    /**
     * Scheduler job handlers: each applies its timed end inside the job's transaction. Freeze and
     * pillory ends are batch kinds: many that fall due together (after a mass punishment) are
     * applied to their locks with one write per table (LockEffectsBatch), the same effects.
     */
    jobHandlers: {
      [JOB.unfreeze]: lockBatchJob(freezeEnd),
      [JOB.pilloryEnd]: lockBatchJob(pilloryEnd),
      [JOB.hygienicEnd]: async (job: { runAt: number; payload: Record<string, unknown> }, tx: Executor) => {
        await change(String(job.payload.lockId), { role: 'system' }, async (lock) => {
          const fx = empty();
          if (lock.status === 'locked' && lock.hygienic_started_at !== null && lock.hygienic_until !== null && lock.hygienic_until <= job.runAt) {
            fx.history.push({ type: 'hygienic_opening_overdue', title: 'Hygienic opening time is up: relock now', payload: { relockBy: lock.hygienic_until } });
            fx.notify.push({ userId: lock.wearer_id, type: 'hygienic_opening_overdue', title: 'Relock now', message: 'Your hygienic opening time is up' });
            if (hasKeyholder(lock)) fx.notify.push({ userId: lock.keyholder_id!, type: 'hygienic_opening_overdue', title: 'Relock overdue', message: `The hygienic opening of “${lock.title}” is over and not relocked yet` });
          }
          return { fx, result: null };
        }, tx);
      },
      [JOB.taskTimerEnd]: async (job: { runAt: number; payload: Record<string, unknown> }, tx: Executor) => {
        await change(String(job.payload.lockId), { role: 'system' }, async (lock, _now, t) => {
          const fx = empty();
          const open = await findOpenTask(t, lock.id);
          if (open && open.id === job.payload.taskId && open.timer_ends_at !== null && open.timer_ends_at <= job.runAt) {
            fx.history.push({ type: 'task_timer_finished', title: 'Task timer finished', payload: { taskId: open.id } });
            fx.notify.push({ userId: lock.wearer_id, type: 'task_timer_finished', title: 'Task timer finished', message: open.text.slice(0, 200) });
          }
          return { fx, result: null };
        }, tx);
      },
    },
  };
}

export type LockEngine = ReturnType<typeof createLockEngine>;

export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', rest || (!d && !h && !m) ? `${rest}s` : ''].filter(Boolean);
  return parts.join(' ');
}
