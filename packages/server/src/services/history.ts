import type { HistoryEntry } from '@latch/protocol';
import type { HistoryLogRow, NewHistoryLog } from '../db/types.js';
import { fromJson, toJson } from '../db/json.js';
import type { IdGenerator } from '../ids.js';
import { insertHistoryLog } from '../storage/historyLogs.js';
import type { Executor } from '../storage/executor.js';
import { findUserById } from '../storage/users.js';
import { iso } from './deps.js';
import { emitWebhookEvents, type PendingEvent } from './webhookOutbox.js';

export interface HistoryInput {
  lockId: string;
  type: string;
  role: NewHistoryLog['role'];
  actorUserId?: string | null;
  extensionSlug?: string | null;
  title: string;
  description?: string;
  icon?: string | null;
  color?: string | null;
  payload?: unknown;
}

/**
 * Every change to a lock is written here, in the same transaction as the change itself, and
 * announced to the webhooks of the apps on the lock (`action_log.created`) in that transaction.
 */
export async function writeHistory(db: Executor, ids: IdGenerator, now: number, entry: HistoryInput): Promise<string> {
  const row = historyRow(ids, now, entry);
  await insertHistoryLog(db, row);
  await emitWebhookEvents(db, ids, now, [historyEvent(row)]);
  return row.id;
}

/** The row `writeHistory` writes (batches insert many at once, then emit their `historyEvent`s). */
export function historyRow(ids: IdGenerator, now: number, entry: HistoryInput): HistoryLogRow {
  return {
    id: ids.objectId(),
    lock_id: entry.lockId,
    type: entry.type,
    role: entry.role,
    actor_user_id: entry.actorUserId ?? null,
    extension_slug: entry.extensionSlug ?? null,
    title: entry.title,
    description: entry.description ?? '',
    icon: entry.icon ?? null,
    color: entry.color ?? null,
    payload: toJson(entry.payload ?? {}),
    created_at: now,
  };
}

/** The `action_log.created` event of a history row. */
export function historyEvent(row: HistoryLogRow): PendingEvent {
  return {
    type: 'action_log.created',
    target: { lockId: row.lock_id },
    log: row,
    data: async (_to, tx) => {
      const actor = row.actor_user_id ? await findUserById(tx, row.actor_user_id) : undefined;
      // The entry as GET /api/locks/:lockId/history shows it.
      return { log: historyView(row, new Map(actor ? [[actor.id, actor.username]] : [])) };
    },
  };
}

export function historyView(row: HistoryLogRow, usernames: Map<string, string>): HistoryEntry {
  const hasActor = row.actor_user_id !== null || row.extension_slug !== null;
  return {
    id: row.id,
    lockId: row.lock_id,
    type: row.type,
    role: row.role,
    actor: hasActor
      ? {
          userId: row.actor_user_id,
          username: row.actor_user_id ? (usernames.get(row.actor_user_id) ?? null) : null,
          extensionSlug: row.extension_slug,
        }
      : null,
    title: row.title,
    description: row.description,
    icon: row.icon,
    color: row.color,
    payload: fromJson(row.payload, {}),
    createdAt: iso(row.created_at),
  };
}

