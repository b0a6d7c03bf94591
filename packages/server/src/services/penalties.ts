import type { Habit, LockHabitInput, LockPenalties, PenaltyPeriod, PenaltyPunishment } from '@latch/protocol';
import { isUniqueViolation } from '../db/errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, LockHabitRow, LockRow, PenaltyPeriodRow } from '../db/types.js';
import { ApiError } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { findAppById, findAppBySlug, findAppsByIds } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, findActiveSessionsOfLocks } from '../storage/extensionSessions.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { findLockById } from '../storage/locks.js';
import {
  cancelOngoingPeriods,
  countIntoPeriod,
  deleteLockHabits,
  findLockHabit,
  findLockHabitById,
  findOngoingPeriod,
  findPenaltyPeriod,
  insertLockHabit,
  insertPenaltyPeriod,
  listLockHabits,
  listPenaltyPeriods,
  settlePeriod,
  updateLockHabit,
} from '../storage/penalties.js';
import { iso, type ServiceDeps } from './deps.js';
import { writeHistory } from './history.js';
import { parsePillory, parseSeconds, punishmentRefusal, type ActionName } from './lockActions.js';
import type { Actor, LockEngine } from './lockEngine.js';
import { activeOrThrow } from './lockEngineCore.js';
import { participantLock } from './lockContext.js';
import { authorize } from './lockPolicy.js';
import { roleOf } from './lockRules.js';
import { writeNotification } from './notifications.js';
import type { JobHandler } from './scheduler.js';

export const JOB_PENALTY_PERIOD_END = 'penalty.period_end';
const jobKey = (periodId: string) => `penalty:${periodId}`;
/** Settled periods the lock page shows (ongoing ones always). */
const SETTLED_SHOWN = 20;

/** A punishment as the engine's call: Chaster's lock action in latch's action names and params. */
function engineCall(p: PenaltyPunishment): { name: ActionName; params: unknown } {
  switch (p.name) {
    case 'add_time':
      return { name: 'add_time', params: p.params };
    case 'freeze':
      // Chaster's freeze has no end: the keyholder unfreezes.
      return { name: 'freeze', params: { untilUnfrozen: true } };
    case 'pillory': {
      const q = (p.params ?? {}) as { duration?: unknown; reason?: unknown };
      return { name: 'pillory', params: { durationSeconds: q.duration, ...(q.reason !== undefined ? { reason: q.reason } : {}) } };
    }
  }
}

/** 400 `invalid_params` naming the punishment whose params the engine would refuse. */
function checkPunishment(p: PenaltyPunishment, path: string): void {
  try {
    const { name, params } = engineCall(p);
    if (name === 'add_time') parseSeconds(params);
    if (name === 'pillory') parsePillory(params);
    if (name === 'freeze' && p.params !== undefined) throw new ApiError('invalid_params', 'freeze takes no params');
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError('invalid_params', `${path}: ${err.message} (add_time: params = seconds; freeze: no params; pillory: params = {duration seconds, reason?})`, { path });
    throw err;
  }
}

type HabitType = Habit['type'];

/**
 * Penalties (Chaster's built-in, issue 13; docs/decisions.md "Penalties"): an app declares
 * habits; the lock's controller enables some with params and punishments; the app's backend
 * counts the wearer's actions. A recurring habit runs back-to-back periods of `frequency`
 * seconds from its enabling; a time-limit habit runs one period from `time-limit/create`. A
 * period that ends short of its count is punished once: its job moves it out of `ongoing` (the
 * guard) and applies the punishments through the engine in the same transaction.
 */
export function createPenaltyService({ db, clock, ids }: ServiceDeps, engine: LockEngine) {
  function enabledOrThrow(lock: LockRow) {
    activeOrThrow(lock);
    if (!lock.settings.penalties.enabled) throw new ApiError('penalties_not_enabled', 'Penalties are not enabled on this lock');
  }

  const declared = (app: Pick<ExtensionAppRow, 'habits'>, name: string): Habit | undefined => app.habits.find((h) => h.name === name);

  async function openPeriod(tx: Executor, habit: LockHabitRow, startsAt: number, seconds: number, required: number): Promise<PenaltyPeriodRow> {
    const row: PenaltyPeriodRow = {
      id: ids.objectId(),
      lock_id: habit.lock_id,
      habit_id: habit.id,
      app_id: habit.app_id,
      habit_name: habit.habit_name,
      status: 'ongoing',
      nb_required: required,
      nb_done: 0,
      punishments: habit.punishments,
      starts_at: startsAt,
      ends_at: startsAt + seconds * 1000,
      settled_at: null,
    };
    await insertPenaltyPeriod(tx, row);
    await scheduleJob(tx, { id: ids.objectId(), kind: JOB_PENALTY_PERIOD_END, key: jobKey(row.id), runAt: row.ends_at, payload: { periodId: row.id }, now: clock.now() });
    return row;
  }

  const openRecurring = (tx: Executor, habit: LockHabitRow, startsAt: number) => openPeriod(tx, habit, startsAt, habit.frequency_seconds!, habit.nb_actions!);

  function periodView(row: PenaltyPeriodRow, slugs: Map<string, string>): PenaltyPeriod {
    return {
      _id: row.id,
      status: row.status,
      startsAt: iso(row.starts_at),
      endsAt: iso(row.ends_at),
      habitName: row.habit_name,
      extensionSlug: slugs.get(row.app_id) ?? '',
      nbActionsDone: row.nb_done,
      nbActionsRequired: row.nb_required,
      punishments: fromJson<PenaltyPunishment[]>(row.punishments, []),
    };
  }

  async function view(lock: LockRow): Promise<LockPenalties> {
    const habits = await listLockHabits(db, lock.id);
    const periods = await listPenaltyPeriods(db, lock.id, SETTLED_SHOWN);
    const installed = (await findActiveSessionsOfLocks(db, [lock.id])).map((s) => s.app_id);
    const apps = new Map((await findAppsByIds(db, [...new Set([...habits, ...periods].map((r) => r.app_id).concat(installed))])).map((a) => [a.id, a]));
    const slugs = new Map([...apps.values()].map((a) => [a.id, a.slug]));
    return {
      habits: habits.flatMap((h) => {
        const app = apps.get(h.app_id);
        const decl = app && declared(app, h.habit_name);
        if (!app || !decl) return [];
        return [{
          habitName: h.habit_name,
          label: decl.label,
          extension: { slug: app.slug, displayName: app.name, icon: '' },
          paramsText: decl.paramsText,
          punishmentText: decl.punishmentText,
          recurringParams: h.type === 'recurring' ? { nbActions: h.nb_actions!, frequency: h.frequency_seconds! } : null,
          timeLimitParams: h.type === 'time_limit' ? { timeLimit: h.time_limit_seconds! } : null,
          punishments: fromJson<PenaltyPunishment[]>(h.punishments, []),
        }];
      }),
      // Periods stop with the lock: an ended lock shows none running (its job then cancels it).
      penaltyPeriods: periods.filter((p) => p.status !== 'ongoing' || lock.status === 'locked').map((p) => periodView(p, slugs)),
      available: installed.flatMap((appId) => {
        const app = apps.get(appId);
        if (!app) return [];
        return app.habits.map((habit) => ({ extensionSlug: app.slug, extensionName: app.name, habit, enabled: habits.some((h) => h.app_id === app.id && h.habit_name === habit.name) }));
      }),
    };
  }

  /** The enabled habit the extension names, of the type the route is for. */
  async function habitOf(lock: LockRow, app: ExtensionAppRow, habitName: string, type?: HabitType): Promise<LockHabitRow> {
    enabledOrThrow(lock);
    const decl = declared(app, habitName);
    if (!decl) {
      const names = app.habits.map((h) => h.name);
      throw new ApiError('unknown_habit', `${app.name} declares no habit "${habitName}"${names.length ? ` (its habits: ${names.join(', ')})` : ' (it declares none)'}`, { habitName });
    }
    const habit = await findLockHabit(db, lock.id, app.id, habitName);
    if (!habit) throw new ApiError('habit_not_enabled', `The habit "${habitName}" is not enabled on this lock`, { habitName });
    if (type && habit.type !== type) throw new ApiError('invalid_params', `The habit "${habitName}" is ${habit.type === 'recurring' ? 'recurring' : 'a time limit'}: time limits are created for time-limit habits only`, { habitName, type: habit.type });
    return habit;
  }

  /** Checks one enabled habit of the input against the lock's installed apps; its row's columns. */
  async function checkedHabit(lock: LockRow, input: LockHabitInput, path: string) {
    const app = await findAppBySlug(db, input.extensionSlug);
    if (!app || !(await findActiveSessionOfApp(db, lock.id, app.id))) throw new ApiError('invalid_request', `${path}/extensionSlug: ${input.extensionSlug} is not installed on this lock`, [{ in: 'body', path: `${path}/extensionSlug`, message: 'not installed on this lock' }]);
    const decl = declared(app, input.habitName);
    if (!decl) throw new ApiError('unknown_habit', `${app.name} declares no habit "${input.habitName}"`, { habitName: input.habitName });
    const wants = decl.type === 'recurring' ? 'recurringParams' : 'timeLimitParams';
    const other = decl.type === 'recurring' ? 'timeLimitParams' : 'recurringParams';
    if (!input[wants] || input[other]) throw new ApiError('invalid_request', `${path}: "${input.habitName}" is ${decl.type === 'recurring' ? 'recurring' : 'a time limit'}: send ${wants} only`, [{ in: 'body', path: `${path}/${wants}`, message: 'required for this habit type' }]);
    input.punishments.forEach((p, i) => checkPunishment(p, `${path}/punishments/${i}`));
    return {
      app,
      columns: {
        type: decl.type,
        nb_actions: input.recurringParams?.nbActions ?? null,
        frequency_seconds: input.recurringParams?.frequency ?? null,
        time_limit_seconds: input.timeLimitParams?.timeLimit ?? null,
        punishments: toJson(input.punishments),
      },
    };
  }

  return {
    /** The lock page: a participant reads the enabled habits and the periods. */
    async ofLockForUser(userId: string, lockId: string): Promise<LockPenalties> {
      return view(await participantLock(db, userId, lockId));
    },

    /**
     * The lock's controller sets the enabled habits (the whole list). A habit kept with other
     * params keeps its running period; the next one takes the new params. A habit left out
     * stops: its running period is cancelled. A new recurring habit's first period starts now.
     */
    async configure(userId: string, lockId: string, habits: LockHabitInput[]): Promise<LockPenalties> {
      const lock = await participantLock(db, userId, lockId);
      const now = clock.now();
      authorize({ kind: 'first_party', userId }, 'penalties.configure', lock, now);
      enabledOrThrow(lock);
      const seen = new Set<string>();
      const checked: Array<Awaited<ReturnType<typeof checkedHabit>>> = [];
      for (const [i, input] of habits.entries()) {
        const key = `${input.extensionSlug}/${input.habitName}`;
        if (seen.has(key)) throw new ApiError('invalid_request', `habits/${i}: ${key} is listed twice`, [{ in: 'body', path: `/habits/${i}`, message: 'listed twice' }]);
        seen.add(key);
        checked.push(await checkedHabit(lock, input, `/habits/${i}`));
      }
      await db.transaction().execute(async (tx) => {
        const existing = await listLockHabits(tx, lock.id);
        const kept = new Set<string>();
        for (const [i, { app, columns }] of checked.entries()) {
          const name = habits[i]!.habitName;
          const old = existing.find((h) => h.app_id === app.id && h.habit_name === name);
          if (old && old.type === columns.type) {
            kept.add(old.id);
            await updateLockHabit(tx, old.id, columns);
            continue;
          }
          if (old) {
            await cancelOngoingPeriods(tx, [old.id], now);
            await deleteLockHabits(tx, [old.id]);
            kept.add(old.id);
          }
          const row: LockHabitRow = { id: ids.objectId(), lock_id: lock.id, app_id: app.id, habit_name: name, ...columns, enabled_at: now };
          await insertLockHabit(tx, row);
          if (row.type === 'recurring') await openRecurring(tx, row, now);
        }
        const dropped = existing.filter((h) => !kept.has(h.id)).map((h) => h.id);
        await cancelOngoingPeriods(tx, dropped, now);
        await deleteLockHabits(tx, dropped);
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'penalties_configured',
          role: roleOf(lock, userId)!,
          actorUserId: userId,
          title: 'Penalties changed',
          description: habits.length ? habits.map((h) => h.habitName).join(', ') : 'No habit enabled',
          payload: { habits: habits.map((h) => ({ extensionSlug: h.extensionSlug, habitName: h.habitName })) },
        });
      });
      return view((await findLockById(db, lock.id))!);
    },

    /**
     * `POST …/penalties/increment`: `count` actions into the habit's ongoing period. A time
     * limit's period is validated at once. No period running (a time limit not created, or
     * already settled): 409 `conflict`.
     */
    async increment(lock: LockRow, app: ExtensionAppRow, habitName: string, count: number): Promise<void> {
      const habit = await habitOf(lock, app, habitName);
      const ongoing = await findOngoingPeriod(db, habit.id);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const row = ongoing && (await countIntoPeriod(tx, ongoing.id, count, habit.type === 'time_limit' ? { status: 'validated', at: now } : null));
        if (!row) throw new ApiError('conflict', habit.type === 'time_limit' ? `No time limit is running for "${habitName}": create one first` : `No period of "${habitName}" is running`, { habitName });
        if (habit.type === 'time_limit') await cancelJob(tx, jobKey(row.id));
      });
    },

    /** `POST …/penalties/time-limit/create`: one running time limit per habit (a second is 409 `conflict`). */
    async createTimeLimit(lock: LockRow, app: ExtensionAppRow, habitName: string): Promise<void> {
      const habit = await habitOf(lock, app, habitName, 'time_limit');
      const running = () => new ApiError('conflict', `A time limit is already running for "${habitName}"`, { habitName });
      if (await findOngoingPeriod(db, habit.id)) throw running();
      try {
        await db.transaction().execute((tx) => openPeriod(tx, habit, clock.now(), habit.time_limit_seconds!, 1));
      } catch (err) {
        // Two creates at once: the one-ongoing index lets one through.
        if (isUniqueViolation(err)) throw running();
        throw err;
      }
    },

    /** `POST …/penalties/time-limit/cancel`: the running time limit ends without punishment; none running: nothing to do. */
    async cancelTimeLimit(lock: LockRow, app: ExtensionAppRow, habitName: string): Promise<void> {
      const habit = await habitOf(lock, app, habitName, 'time_limit');
      const ongoing = await findOngoingPeriod(db, habit.id);
      if (!ongoing) return;
      await db.transaction().execute(async (tx) => {
        if (await settlePeriod(tx, ongoing.id, 'cancelled', clock.now())) await cancelJob(tx, jobKey(ongoing.id));
      });
    },

    jobHandlers: {
      /** A period's end: validated or punished (once, guarded by its status), and a recurring habit's next period. */
      [JOB_PENALTY_PERIOD_END]: (async (job, tx) => {
        const period = await findPenaltyPeriod(tx, String(job.payload.periodId));
        if (!period || period.status !== 'ongoing') return;
        const lock = await findLockById(tx, period.lock_id);
        const habit = await findLockHabitById(tx, period.habit_id);
        const app = await findAppById(tx, period.app_id);
        const decl = app && declared(app, period.habit_name);
        const now = clock.now();
        if (!lock || lock.status !== 'locked' || !habit || !app || !decl) {
          await settlePeriod(tx, period.id, 'cancelled', now);
          return;
        }
        // Turned off on the lock: nothing is judged, but a recurring habit keeps its rhythm for when it is back on.
        const judged = lock.settings.penalties.enabled;
        const status = !judged ? 'cancelled' : period.nb_done >= period.nb_required ? 'validated' : 'punished';
        if (!(await settlePeriod(tx, period.id, status, now))) return;
        if (status === 'punished') {
          const actor: Actor = { role: 'extension', extensionSlug: app.slug };
          const applied = [];
          for (const p of fromJson<PenaltyPunishment[]>(period.punishments, [])) {
            const { name, params } = engineCall(p);
            const refused = await punishmentRefusal(() => engine.actionIn(tx, lock.id, actor, name, params));
            applied.push(refused ? { ...p, applied: false, refused } : { ...p, applied: true });
          }
          const title = `Penalty: ${decl.label}`;
          const description = habit.type === 'recurring' ? `${period.nb_done} of ${period.nb_required} done in time` : 'Not done within the time limit';
          await writeHistory(tx, ids, now, {
            lockId: lock.id,
            type: 'penalty_punished',
            role: 'extension',
            extensionSlug: app.slug,
            title,
            description,
            payload: { periodId: period.id, habitName: period.habit_name, label: decl.label, nbActionsDone: period.nb_done, nbActionsRequired: period.nb_required, punishments: applied },
          });
          await writeNotification(tx, ids, now, { userId: lock.wearer_id, lockId: lock.id, type: 'penalty_punished', title, message: description, payload: { periodId: period.id, extensionSlug: app.slug, habitName: period.habit_name } });
        }
        if (habit.type === 'recurring') await openRecurring(tx, habit, period.ends_at);
      }) satisfies JobHandler,
    },
  };
}

export type PenaltyService = ReturnType<typeof createPenaltyService>;
