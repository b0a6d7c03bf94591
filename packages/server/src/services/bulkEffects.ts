import type { HistoryLogRow, LockRow, NotificationRow } from '../db/types.js';
import type { IdGenerator } from '../ids.js';
import { BULK_LOCK_COLUMNS, cancelJobs, insertRows, scheduleJobs, updateLocksBulk, type BulkLockUpdate } from '../storage/bulk.js';
import type { Executor } from '../storage/executor.js';
import type { NewJob } from '../storage/jobs.js';
import { historyEvent, historyRow } from './history.js';
import type { Actor, Effects } from './lockEffects.js';
import { notificationRow } from './notifications.js';
import { emitWebhookEvents, type PendingEvent } from './webhookOutbox.js';

/**
 * The lock engine's effects for a whole scheduler batch (set-based scheduler, docs/decisions.md):
 * `apply` does to the in-memory lock row what the engine's `apply` does to the database row —
 * the same patch, history (with its `action_log.created` event), cancelled and scheduled jobs and
 * notifications, in the same order — and `flush` writes everything with one statement per table.
 * Lock rows are written with a compare-and-swap on the version read: a lock changed by someone
 * else meanwhile fails the batch (the scheduler then runs its jobs one by one).
 */
export class LockEffectsBatch {
  private readonly locks = new Map<string, LockRow>();
  private readonly changed = new Map<string, { version: number; changes: number }>();
  readonly history: HistoryLogRow[] = [];
  readonly notifications: NotificationRow[] = [];
  readonly jobs = new Map<string, NewJob | null>();
  readonly events: PendingEvent[] = [];

  constructor(
    private readonly ids: IdGenerator,
    private readonly now: number,
    locks: Iterable<LockRow>,
  ) {
    for (const l of locks) this.locks.set(l.id, l);
  }

  /** The lock as the batch has changed it so far. */
  lock(id: string): LockRow | undefined {
    return this.locks.get(id);
  }

  /** Throws (failing the batch) for an effect a batch cannot write: one outside BULK_LOCK_COLUMNS, or one with its own writes. */
  apply(lockId: string, actor: Actor, fx: Effects): void {
    const lock = this.locks.get(lockId);
    if (!lock) throw new Error(`lock ${lockId} is not in this batch`);
    const nothing = Object.keys(fx.patch).length === 0 && !fx.history.length && !fx.schedule.length && !fx.cancel.length && !fx.notify.length && !fx.after;
    if (nothing) return;
    if (fx.after || Object.keys(fx.patch).some((c) => !(BULK_LOCK_COLUMNS as readonly string[]).includes(c))) {
      throw new Error(`a batched lock change may set only ${BULK_LOCK_COLUMNS.join(', ')}`);
    }
    const c = this.changed.get(lockId) ?? { version: lock.version, changes: 0 };
    c.changes++;
    this.changed.set(lockId, c);
    this.locks.set(lockId, { ...lock, ...fx.patch, version: lock.version + 1, updated_at: this.now } as LockRow);
    for (const h of fx.history) this.addHistory(historyRow(this.ids, this.now, { ...h, lockId, role: actor.role, actorUserId: actor.userId ?? null, extensionSlug: actor.extensionSlug ?? null }));
    for (const key of fx.cancel) this.jobs.set(key, null);
    for (const j of fx.schedule) this.jobs.set(j.key, { id: this.ids.objectId(), kind: j.kind, key: j.key, runAt: j.runAt, payload: j.payload, now: this.now });
    for (const n of fx.notify) this.notifications.push(notificationRow(this.ids, this.now, { ...n, lockId }));
  }

  addHistory(row: HistoryLogRow): void {
    this.history.push(row);
    this.events.push(historyEvent(row));
  }

  async flush(tx: Executor): Promise<void> {
    const updates: BulkLockUpdate[] = [...this.changed].map(([id, c]) => {
      const l = this.locks.get(id)!;
      return { id, version: c.version, changes: c.changes, ends_at: l.ends_at, max_ends_at: l.max_ends_at, frozen_at: l.frozen_at, frozen_until: l.frozen_until, pillory_until: l.pillory_until, pillory_reason: l.pillory_reason };
    });
    if ((await updateLocksBulk(tx, updates, this.now)) !== updates.length) throw new Error('a lock changed concurrently; the batch runs again job by job');
    await insertRows(tx, 'history_logs', this.history);
    await cancelJobs(tx, [...this.jobs].filter(([, j]) => j === null).map(([key]) => key));
    await scheduleJobs(tx, [...this.jobs.values()].filter((j): j is NewJob => j !== null));
    await insertRows(tx, 'notifications', this.notifications);
    await emitWebhookEvents(tx, this.ids, this.now, this.events);
  }
}
