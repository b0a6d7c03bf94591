import { ApiError } from '../errors.js';
import { bool, int } from '../db/json.js';
import type { LockRow, TaskRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findOpenTask, insertTask, updateTask } from '../storage/tasks.js';
import type { ServiceDeps } from './deps.js';
import {
  HYGIENIC_RANGE,
  parseFreezeSeconds,
  parseOptionalDuration,
  parsePillory,
  parseSeconds,
  parseSettingsPatch,
  parseTaskAssignment,
  parseTaskCompletion,
  type ActionName,
} from './lockActions.js';
import { hasAcceptedKeyholder as hasKeyholder, inPillory, isFrozen } from './lockRules.js';
import { mergeSettings } from '../storage/rows.js';
import type { Actor, Effects } from './lockEffects.js';
import { authorize, type Via } from './lockPolicy.js';
import { activeOrThrow, empty, formatDuration, jobKey, JOB, type Change } from './lockEngineCore.js';
import { addTime, freeze, removeTime, unfreeze } from './lockEngineTimer.js';

/** The named actions and the modules behind them: pillory, hygienic opening, settings, tasks. */

export function decideAction(lock: LockRow, name: ActionName, params: unknown, now: number, via: Via): Effects {
  activeOrThrow(lock);
  authorize(via, name, lock, now, { params });
  const settings = lock.settings;
  switch (name) {
    case 'add_time':
      return addTime(lock, parseSeconds(params), now);
    case 'remove_time':
      return removeTime(lock, parseSeconds(params), now);
    case 'freeze':
      return freeze(lock, parseFreezeSeconds(params), now);
    case 'unfreeze':
      return unfreeze(lock, now, false);
    case 'toggle_freeze':
      return isFrozen(lock) ? unfreeze(lock, now, false) : freeze(lock, parseFreezeSeconds(params), now);
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
      fx.patch = { settings: mergeSettings(settings, rest), ...(hiddenTimer !== undefined ? { hidden_timer: int(hiddenTimer) } : {}) };
      fx.history.push({ type: 'settings_changed', title: 'Settings changed', payload: { changes: patch } });
      return fx;
    }
    default:
      throw new ApiError('unknown_action', `Unknown action ${String(name)}`);
  }
}

export function pilloryEnd(lock: LockRow, runAt: number): Effects {
  const fx = empty();
  if (lock.pillory_until !== null && lock.pillory_until <= runAt) {
    fx.patch = { pillory_until: null, pillory_reason: null };
    fx.history.push({ type: 'pillory_ended', title: 'Pillory ended', payload: { automatic: true } });
  }
  return fx;
}

/** A task's verification picture, already in the blob store. */
export interface VerificationPicture {
  blobKey: string;
  contentType: string;
}

/** Where the lock's participants read a task's verification picture. */
export const verificationPictureUrl = (lockId: string, taskId: string) => `/api/locks/${lockId}/tasks/${taskId}/verification-picture`;

/** A task that needs proof, reported done without it: the wearer is told to send the picture, anyone else that it is the wearer's to prove. */
function proofMissing(via: Via, lock: LockRow): ApiError {
  if (via.kind === 'first_party' && via.userId === lock.wearer_id) {
    return new ApiError('verification_picture_required', `This task is marked done with a verification picture: send it to POST /api/locks/${lock.id}/task/verification`);
  }
  return new ApiError('task_verification_required', 'This task needs a verification picture; only the wearer can complete it');
}

export function createTaskDecision({ ids }: Pick<ServiceDeps, 'ids'>) {
  /** `proof`: the wearer's verification picture, which completes the open task successfully. */
  async function decideTaskAction(lock: LockRow, name: 'task.assign' | 'task.start_timer' | 'task.complete', params: unknown, now: number, via: Via, actor: Actor, tx: Executor, proof?: VerificationPicture): Promise<{ fx: Effects; detail: Record<string, unknown> }> {
    activeOrThrow(lock);
    const open = await findOpenTask(tx, lock.id);
    authorize(via, name, lock, now, { params, openTask: !!open });
    if (proof) authorize(via, 'task.verify', lock, now, { openTask: !!open });
    const settings = lock.settings;
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
        verification_blob_key: null,
        verification_content_type: null,
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
    if (successful && bool(open.verification_required) && !proof) throw proofMissing(via, lock);
    if (successful && open.duration_seconds > 0 && (open.timer_ends_at === null || now < open.timer_ends_at)) {
      throw new ApiError('task_timer_not_finished', open.timer_ends_at === null ? 'Start the task timer first' : 'The task timer has not run out yet');
    }
    const picture = proof ? { verification_blob_key: proof.blobKey, verification_content_type: proof.contentType } : {};
    fx.after = (t) => updateTask(t, open.id, { status: successful ? 'completed' : 'failed', reason, finished_at: now, ...picture });
    if (successful) fx.patch = { task_points: lock.task_points + open.points };
    fx.cancel.push(jobKey.task(open.id));
    // The picture's address in the history: the keyholder (and the wearer) see it on the lock page.
    const shown = proof ? { verificationPicture: verificationPictureUrl(lock.id, open.id) } : {};
    fx.history.push({
      type: successful ? 'task_completed' : 'task_failed',
      title: successful ? `Task completed${proof ? ' with a verification picture' : ''} (+${open.points} points)` : 'Task failed',
      description: reason ?? '',
      payload: { taskId: open.id, points: successful ? open.points : 0, ...shown },
    });
    return { fx, detail: { taskId: open.id, successful, pointsAwarded: successful ? open.points : 0, taskPoints: lock.task_points + (successful ? open.points : 0), ...shown } };
  }

  return decideTaskAction;
}

export function createModuleOps(change: Change) {
  return {
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
  };
}

/** The hygienic opening's and the task timer's scheduled ends. */
export function createModuleJobs(change: Change) {
  return {
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
  };
}
