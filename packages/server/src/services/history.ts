import type { HistoryEntry } from '@latch/protocol';
import type { HistoryLogRow, NewHistoryLog } from '../db/types.js';
import { fromJson, toJson } from '../db/json.js';
import type { IdGenerator } from '../ids.js';
import { insertHistoryLog } from '../storage/historyLogs.js';
import type { Executor } from '../storage/executor.js';
import { iso } from './deps.js';

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

/** Every change to a lock is written here, in the same transaction as the change itself. */
export async function writeHistory(db: Executor, ids: IdGenerator, now: number, entry: HistoryInput): Promise<string> {
  const id = ids.objectId();
  await insertHistoryLog(db, {
    id,
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
  });
  return id;
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
