import { fromJson } from '../../db/json.js';
import type { HistoryLogRow, LockRow } from '../../db/types.js';
import { iso } from '../../services/deps.js';
import { renderUserPlaceholder, type PlaceholderReader } from '../../services/userPlaceholder.js';
import type { ViewUser } from '../../storage/sessionView.js';
import { chasterUser } from './users.js';
import type { ChasterActionLog } from './wire.js';

/** latch history types that have a Chaster `default` action-log type of the same meaning (reference: action logs). */
const DEFAULT_TYPES: Record<string, string> = {
  lock_started: 'locked',
  lock_unlocked: 'unlocked',
  time_added: 'time_changed',
  time_removed: 'time_changed',
  lock_frozen: 'lock_frozen',
  freeze_extended: 'lock_frozen',
  lock_unfrozen: 'lock_unfrozen',
  pillory_started: 'pillory_in',
  pillory_ended: 'pillory_out',
  task_assigned: 'tasks_task_assigned',
  hygienic_opening_started: 'temporary_opening_opened',
  hygienic_relocked: 'temporary_opening_locked',
  hygienic_relocked_late: 'temporary_opening_locked_late',
};

/** Chaster's log roles: the wearer is `user`; scripts, scheduled effects and extensions are `extension`. */
export function chasterLogRole(role: HistoryLogRow['role']): ChasterActionLog['role'] {
  return role === 'wearer' ? 'user' : role === 'keyholder' ? 'keyholder' : 'extension';
}

export interface ChasterLogContext {
  lock: Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status'>;
  users: Map<string, ViewUser>;
  /** Extension names by slug, for `%USER%` in an extension's entries. */
  extensionNames: Map<string, string>;
  /** Who reads the entry: `%USER%` of their own role renders as "You". Null: a backend. */
  viewerUserId: string | null;
  now: number;
}

/** A history entry as Chaster's `ActionLogForPublic`: an extension's own entries carry its slug as prefix. */
export function chasterActionLog(row: HistoryLogRow, ctx: ChasterLogContext): ChasterActionLog {
  const custom = row.type === 'extension_custom' && row.extension_slug !== null;
  const actor = row.actor_user_id ? ctx.users.get(row.actor_user_id) : undefined;
  const reader: PlaceholderReader = { lock: ctx.lock, usernames: new Map([...ctx.users].map(([id, u]) => [id, u.username])), extensionNames: ctx.extensionNames, viewerUserId: ctx.viewerUserId };
  return {
    _id: row.id,
    lock: row.lock_id,
    type: custom ? 'custom' : (DEFAULT_TYPES[row.type] ?? row.type),
    prefix: custom ? row.extension_slug! : 'default',
    role: chasterLogRole(row.role),
    ...(row.extension_slug !== null ? { extension: row.extension_slug } : {}),
    ...(actor ? { user: chasterUser(actor, ctx.now) } : {}),
    title: renderUserPlaceholder(row.title, row, reader),
    description: renderUserPlaceholder(row.description, row, reader),
    icon: row.icon,
    color: row.color,
    payload: fromJson<Record<string, unknown>>(row.payload, {}),
    createdAt: iso(row.created_at),
  } satisfies ChasterActionLog;
}
