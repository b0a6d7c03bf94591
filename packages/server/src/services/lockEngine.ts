import type { LockRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { findLocksForUpdate } from '../storage/bulk.js';
import { LockEffectsBatch } from './bulkEffects.js';
import type { BatchJobHandler } from './scheduler.js';
import type { ActionName } from './lockActions.js';
import type { Actor, Effects } from './lockEffects.js';
import type { Via } from './lockPolicy.js';
import type { DialectName } from '../db/connect.js';
import type { ServiceDeps } from './deps.js';
import { createChange, JOB, result, type ActionResult } from './lockEngineCore.js';
import { createTimerOps, freezeEnd } from './lockEngineTimer.js';
import { createModuleJobs, createModuleOps, createTaskDecision, decideAction, pilloryEnd, type VerificationPicture } from './lockEngineModules.js';
import { createEndOps } from './lockEngineEnd.js';

export type { Via } from './lockPolicy.js';

export type { Actor, Effects } from './lockEffects.js';

export { formatDuration, JOB, type ActionResult } from './lockEngineCore.js';

/**
 * The lock engine (DECISIONS §5): every change is a read-modify-write of one lock row inside a
 * transaction (row-locked on PostgreSQL, version compare-and-swap everywhere), written to the
 * history with its actor in the same transaction, with timed ends as scheduler jobs.
 */
export function createLockEngine({ db, clock, ids, dialect }: ServiceDeps & { dialect: DialectName }) {
  const change = createChange({ db, clock, ids, dialect });
  const decideTaskAction = createTaskDecision({ ids });
  const moduleJobs = createModuleJobs(change);

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

    /** The wearer marks the open task done with its verification picture (already stored; see services/taskVerification.ts). */
    completeTaskWithPicture: (lockId: string, actor: Actor, via: Via, picture: VerificationPicture) =>
      change(lockId, actor, async (lock, now, t) => {
        const { fx, detail } = await decideTaskAction(lock, 'task.complete', { successful: true }, now, via, actor, t, picture);
        return { fx, result: result('task.complete', fx, detail) };
      }),

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

    ...createTimerOps(change),

    ...createModuleOps(change),

    ...createEndOps(change, { ids }),

    /**
     * Scheduler job handlers: each applies its timed end inside the job's transaction. Freeze and
     * pillory ends are batch kinds: many that fall due together (after a mass punishment) are
     * applied to their locks with one write per table (LockEffectsBatch), the same effects.
     */
    jobHandlers: {
      [JOB.unfreeze]: lockBatchJob(freezeEnd),
      [JOB.pilloryEnd]: lockBatchJob(pilloryEnd),
      ...moduleJobs,
    },
  };
}

export type LockEngine = ReturnType<typeof createLockEngine>;
