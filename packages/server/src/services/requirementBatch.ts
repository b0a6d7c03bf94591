import type { DialectName } from '../db/connect.js';
import { int, toJson } from '../db/json.js';
import type { Clock } from '../clock.js';
import type { ExtensionAppRow, ExtensionSessionRow, RequirementWindowRow } from '../db/types.js';
import type { IdGenerator } from '../ids.js';
import { findAppsByIds, findLocksForUpdate, findSessionsByIds, insertWindowsOnce, progressOfSessions } from '../storage/bulk.js';
import type { Executor } from '../storage/executor.js';
import { LockEffectsBatch } from './bulkEffects.js';
import { historyRow } from './history.js';
import { punishmentRefusal } from './lockActions.js';
import type { LockEngine } from './lockEngine.js';
import { notificationRow } from './notifications.js';
import { JOB_EVALUATE_WINDOW, missedWindowRecords, punishmentAction, requirementConfigOf, windowEvaluatedData, type AppliedPunishment, type RequirementConfig } from './requirementRules.js';
import type { JobContext } from './scheduler.js';
import { windowAt } from './windows.js';

interface Evaluation {
  job: JobContext;
  session: ExtensionSessionRow;
  app: ExtensionAppRow;
  lockId: string;
  cfg: RequirementConfig;
  start: number;
  end: number;
  count: number;
  partial: boolean;
  missed: boolean;
  guard: RequirementWindowRow;
}

/**
 * The `requirement.evaluate` jobs of one scheduler batch, set-based (DECISIONS §7/§8): the same
 * effects as the one-job handler for every window, in the jobs' order, with a fixed number of
 * statements for the whole batch — sessions, locks (row-locked on PostgreSQL), apps and progress
 * read once; guard rows, lock changes, history, notifications, jobs and webhook deliveries written
 * once each. The guard rows' unique key keeps every window evaluated once; a lock changed by
 * someone else since it was read fails the batch (compare-and-swap), which the scheduler then
 * reruns job by job.
 */
export async function evaluateWindows(
  deps: { clock: Clock; ids: IdGenerator; engine: LockEngine; dialect: DialectName },
  jobs: JobContext[],
  tx: Executor,
): Promise<void> {
  if (jobs.length === 0) return;
  const { clock, ids, engine, dialect } = deps;
  const now = clock.now();

  const sessions = new Map((await findSessionsByIds(tx, [...new Set(jobs.map((j) => String(j.payload.sessionId)))])).map((s) => [s.id, s]));
  const live = [...sessions.values()].filter((s) => s.removed_at === null);
  const locks = new Map((await findLocksForUpdate(tx, [...new Set(live.map((s) => s.lock_id))], dialect)).map((l) => [l.id, l]));
  const apps = new Map((await findAppsByIds(tx, [...new Set(live.map((s) => s.app_id))])).map((a) => [a.id, a]));

  // The windows to evaluate (the one-job handler's early returns: nothing happens for the others).
  const todo: Array<Omit<Evaluation, 'count' | 'partial' | 'missed' | 'guard'>> = [];
  const configs = new Map<string, RequirementConfig | null>();
  for (const job of jobs) {
    const session = sessions.get(String(job.payload.sessionId));
    if (!session || session.removed_at !== null) continue;
    const lock = locks.get(session.lock_id);
    const app = apps.get(session.app_id);
    if (!lock || !app || lock.status !== 'locked') continue;
    // The same install config of the same app is parsed once per batch.
    const cfgKey = `${app.id}\u0000${session.config}`;
    let cfg = configs.get(cfgKey);
    if (cfg === undefined) configs.set(cfgKey, (cfg = requirementConfigOf(session, app)));
    if (!cfg) continue;
    todo.push({ job, session, app, lockId: lock.id, cfg, start: Number(job.payload.windowStart), end: Number(job.payload.windowEnd) });
  }
  if (todo.length === 0) return;

  // Progress of every window, from one read.
  const from = Math.min(...todo.map((t) => t.start));
  const to = Math.max(...todo.map((t) => t.end));
  const progress = new Map<string, Array<{ metric: string; amount: number; occurred_at: number }>>();
  for (const p of await progressOfSessions(tx, [...new Set(todo.map((t) => t.session.id))], from, to)) {
    const list = progress.get(p.session_id);
    if (list) list.push(p);
    else progress.set(p.session_id, [p]);
  }

  const evaluations: Evaluation[] = todo.map((t) => {
    let count = 0;
    for (const p of progress.get(t.session.id) ?? []) if (p.metric === t.cfg.metric && p.occurred_at >= t.start && p.occurred_at < t.end) count += p.amount;
    const partial = t.start < t.session.created_at;
    const missed = !partial && count < t.cfg.requiredCount;
    const action = missed ? punishmentAction(t.cfg.punishment) : null;
    const guard: RequirementWindowRow = {
      id: ids.objectId(),
      session_id: t.session.id,
      metric: t.cfg.metric,
      window_start: t.start,
      window_end: t.end,
      required_count: t.cfg.requiredCount,
      count,
      partial: int(partial),
      punished: int(!!action),
      punishment: action ? toJson(action) : null,
      evaluated_at: now,
    };
    return { ...t, count, partial, missed, guard };
  });

  // The exactly-once guard: a window already evaluated (by an earlier run) gets no second effect.
  const fresh = new Set<string>();
  const guardKey = (sessionId: string, metric: string, start: number) => `${sessionId}\u0000${metric}\u0000${start}`;
  for (const r of await insertWindowsOnce(tx, evaluations.map((e) => e.guard))) fresh.add(guardKey(r.session_id, r.metric, r.window_start));

  // Effects, window by window in job order, on the in-memory lock rows.
  const effects = new LockEffectsBatch(ids, now, locks.values());

  for (const e of evaluations) {
    const { session, app, cfg, start, end, count, partial } = e;
    if (fresh.has(guardKey(session.id, cfg.metric, start))) {
      let applied: AppliedPunishment | null = null;
      if (e.missed) {
        const action = punishmentAction(cfg.punishment);
        const lock = effects.lock(e.lockId)!;
        if (action) {
          const refused = await punishmentRefusal(() => effects.apply(lock.id, { role: 'extension', extensionSlug: app.slug }, engine.planSystemAction(lock, action.name as 'add_time' | 'freeze' | 'pillory', action.params, now)));
          applied = refused ? { ...action, refused } : action;
        }
        const records = missedWindowRecords({ lock, sessionId: session.id, extensionSlug: app.slug, cfg, start, end, count, applied });
        effects.addHistory(historyRow(ids, now, records.history));
        effects.notifications.push(notificationRow(ids, now, records.notification));
      }
      const punishedWith = applied;
      effects.events.push({
        type: 'requirement.window_evaluated',
        target: { session },
        data: () => windowEvaluatedData({ metric: cfg.metric, start, end, count, requiredCount: cfg.requiredCount, partial, applied: punishedWith }),
      });
    }
    // The next window goes on the schedule (also when this one had been evaluated already).
    const next = windowAt(cfg.cadence, session.created_at, end);
    effects.jobs.set(`req:${session.id}`, {
      id: ids.objectId(),
      kind: JOB_EVALUATE_WINDOW,
      key: `req:${session.id}`,
      runAt: next.end,
      payload: { sessionId: session.id, metric: cfg.metric, windowStart: next.start, windowEnd: next.end },
      now,
    });
  }

  await effects.flush(tx);
}
