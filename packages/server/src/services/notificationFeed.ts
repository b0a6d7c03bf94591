import type { Notification } from '@latch/protocol';
import { objectIdFloor, objectIdTime } from '../ids.js';
import { listNotificationsAfter, listNotificationsOfUsersAfter } from '../storage/notifications.js';
import { notificationView } from './notifications.js';
import type { ServiceDeps } from './deps.js';

export interface FeedOptions {
  /** How often the feed reads new notifications (one query per tick for every open stream). */
  pollMs?: number;
  /**
   * How far back each tick looks again. Ids sort by time, then by process: a notification
   * written in the same second by another process (a second server, `npm run worker`), or
   * committed late by a slow transaction, can sort below one already sent. Re-reading the last
   * few seconds and skipping what was sent delivers it anyway.
   */
  lagMs?: number;
  /** Rows read per query page. */
  pageSize?: number;
  /** False: the caller calls `tick` every `pollMs` (the live streams' one tick per process does). */
  ownTimer?: boolean;
  /** Where a failed read is reported (the next tick reads the same window again). */
  onError?: (err: unknown) => void;
}

interface Subscriber {
  userId: string;
  /** Nothing at or below this id is sent (the look-back floor where the stream started or resumed). */
  after: string;
  /** Ids sent that a later read can still return, so it does not send them twice. */
  sent: Set<string>;
  /** Rows that arrived while the catch-up read ran, sent once it is done (in id order). */
  pending: Notification[] | null;
  send(n: Notification): void;
}

const MAX_USERS_PER_QUERY = 500;

/**
 * Live notifications for every open event stream of this process, from one reader: each tick
 * reads the notifications of all subscribed users written since the last tick (plus the
 * look-back window) in one query, and hands each to its user's streams. Several server
 * processes on one database each run their own; nothing is shared in memory, so it works the
 * same with one process or many.
 */
export function createNotificationFeed({ db, clock }: Pick<ServiceDeps, 'db' | 'clock'>, opts: FeedOptions = {}) {
  const pollMs = opts.pollMs ?? 1000;
  const lagMs = opts.lagMs ?? 5000;
  const pageSize = opts.pageSize ?? 500;
  const byUser = new Map<string, Set<Subscriber>>();
  /** Where the previous tick's window started: the next one reads from there, so a late tick leaves no gap. */
  let windowStart: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;

  function deliver(sub: Subscriber, n: Notification) {
    if (n.id <= sub.after || sub.sent.has(n.id)) return;
    if (sub.pending) {
      sub.pending.push(n);
      return;
    }
    sub.sent.add(n.id);
    sub.send(n);
  }

  async function read(): Promise<void> {
    if (byUser.size === 0) {
      windowStart = null;
      return;
    }
    const now = clock.now();
    const floor = objectIdFloor(now - lagMs);
    const from = windowStart !== null && windowStart < floor ? windowStart : floor;
    const users = [...byUser.keys()];
    for (let i = 0; i < users.length; i += MAX_USERS_PER_QUERY) {
      const chunk = users.slice(i, i + MAX_USERS_PER_QUERY);
      let after = from;
      for (;;) {
        const rows = await listNotificationsOfUsersAfter(db, chunk, after, pageSize);
        for (const row of rows) {
          const view = notificationView(row);
          for (const sub of byUser.get(row.user_id) ?? []) deliver(sub, view);
        }
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    windowStart = floor;
    // The next read starts at `floor`: what sorts below it cannot come again, so stop remembering it.
    for (const subs of byUser.values()) for (const sub of subs) for (const id of sub.sent) if (id < floor) sub.sent.delete(id);
  }

  /** One read at a time; a tick that finds one running is skipped, not queued. */
  function tick(): Promise<void> {
    if (!running) {
      running = read().finally(() => {
        running = null;
      });
    }
    return running;
  }

  function ensureTimer() {
    if (!timer && opts.ownTimer !== false) {
      timer = setInterval(() => {
        tick().catch((err: unknown) => opts.onError?.(err));
      }, pollMs);
      timer.unref?.();
    }
  }

  return {
    /**
     * Streams `userId`'s new notifications to `send`. A fresh stream (`resume` null) gets what is
     * written from now on. A resumed one (`resume`: the last id the client had) first gets what
     * is already written after it, in id order, then new ones. Ids do not sort strictly by
     * commit time (see `lagMs`), so the resumed catch-up also reads the `lagMs` before that id
     * again: a row that sorts just below it but was committed after the client had it is not
     * lost, at the price of repeating a few the client may have had (clients drop ids they have
     * seen; the web UI does). Only the resume id itself is never repeated.
     */
    async subscribe(userId: string, resume: string | null, send: (n: Notification) => void): Promise<() => void> {
      const now = clock.now();
      // An id from the future is no resume point (it would hold back everything until then).
      const resumeAt = resume === null ? null : objectIdTime(resume);
      const fresh = resumeAt === null || resumeAt > now;
      const after = objectIdFloor((fresh ? now : resumeAt) - lagMs);
      const sub: Subscriber = { userId, after, sent: new Set(fresh ? [] : [resume!]), pending: [], send };
      let subs = byUser.get(userId);
      if (!subs) byUser.set(userId, (subs = new Set()));
      subs.add(sub);
      const unsubscribe = () => {
        subs!.delete(sub);
        if (subs!.size === 0 && byUser.get(userId) === subs) byUser.delete(userId);
        if (byUser.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
      try {
        // Catch up from `after`; the feed holds what it reads meanwhile. A fresh stream only
        // notes what is already there, so a later read of the look-back window skips it.
        const caughtUp: Notification[] = [];
        for (let cursor = after; ; ) {
          const rows = await listNotificationsAfter(db, userId, cursor, pageSize);
          for (const row of rows) {
            if (fresh) sub.sent.add(row.id);
            else caughtUp.push(notificationView(row));
          }
          if (rows.length < pageSize) break;
          cursor = rows[rows.length - 1]!.id;
        }
        const held = sub.pending!;
        sub.pending = null;
        for (const n of [...caughtUp, ...held].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) deliver(sub, n);
      } catch (err) {
        unsubscribe();
        throw err;
      }
      ensureTimer();
      return unsubscribe;
    },

    /** Reads once now (tests and the sandbox clock use it; the timer does it every `pollMs`). */
    tick,

    /** Open subscriptions (for the inspector and tests). */
    get size(): number {
      let n = 0;
      for (const subs of byUser.values()) n += subs.size;
      return n;
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      byUser.clear();
      await running?.catch(() => undefined);
    },
  };
}

export type NotificationFeed = ReturnType<typeof createNotificationFeed>;
