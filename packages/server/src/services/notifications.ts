import type { Notification } from '@latch/protocol';
import type { NotificationRow } from '../db/types.js';
import { bool, fromJson, int, toJson } from '../db/json.js';
import type { IdGenerator } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { countUnreadNotifications, insertNotification, listNotifications, markNotificationsRead } from '../storage/notifications.js';
import { iso, isoOrNull, pageOf, type ServiceDeps } from './deps.js';

export interface NotificationInput {
  userId: string;
  lockId?: string | null;
  type: string;
  title: string;
  message?: string;
  showPageOverlay?: boolean;
  payload?: unknown;
}

export async function writeNotification(db: Executor, ids: IdGenerator, now: number, n: NotificationInput): Promise<string> {
  const row = notificationRow(ids, now, n);
  await insertNotification(db, row);
  return row.id;
}

/** The row `writeNotification` writes (batches insert many at once). */
export function notificationRow(ids: IdGenerator, now: number, n: NotificationInput): NotificationRow {
  return {
    id: ids.objectId(),
    user_id: n.userId,
    lock_id: n.lockId ?? null,
    type: n.type,
    title: n.title,
    message: n.message ?? '',
    show_page_overlay: int(n.showPageOverlay ?? false),
    payload: toJson(n.payload ?? {}),
    created_at: now,
    read_at: null,
  };
}

export function notificationView(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type,
    lockId: row.lock_id,
    title: row.title,
    message: row.message,
    showPageOverlay: bool(row.show_page_overlay),
    payload: fromJson(row.payload, {}),
    readAt: isoOrNull(row.read_at),
    createdAt: iso(row.created_at),
  };
}

export function createNotificationService({ db, clock }: ServiceDeps) {
  return {
    async list(userId: string, opts: { limit: number; before?: string; unreadOnly?: boolean }) {
      const { rows, hasMore } = await pageOf(opts.limit, (limit) => listNotifications(db, userId, { ...opts, limit }));
      return { results: rows.map(notificationView), unreadCount: await countUnreadNotifications(db, userId), hasMore };
    },
    /** Notifications newer than `afterId`, oldest first (the live stream). */
    async markRead(userId: string, ids?: string[]): Promise<{ updated: number }> {
      return { updated: await markNotificationsRead(db, userId, clock.now(), ids) };
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
