import type { NewNotification, NotificationRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertNotification(db: Executor, row: NewNotification): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export async function listNotifications(
  db: Executor,
  userId: string,
  opts: { limit: number; before?: string; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function countUnreadNotifications(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks the given notifications (or all when `ids` is undefined) of this user read. */
export async function markNotificationsRead(db: Executor, userId: string, now: number, ids?: string[]): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listNotificationsAfter(db: Executor, userId: string, afterId: string, limit: number): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
}

/** New notifications of several users at once, in id order (the live feed's one read per tick). */
export async function listNotificationsOfUsersAfter(db: Executor, userIds: string[], afterId: string, limit: number): Promise<NotificationRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('notifications').selectAll().where('user_id', 'in', userIds).where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
}
