import { fromJson } from '../../db/json.js';
import type { HistoryLogRow, LockRow } from '../../db/types.js';
import { iso } from '../../services/deps.js';
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

/**
 * `%USER%` as the custom logs page says: the wearer's or keyholder's name for their role (the
 * extension's name for `extension`), "You" for the reader who holds that role.
 */
export function renderUserPlaceholder(text: string, row: Pick<HistoryLogRow, 'role' | 'extension_slug'>, ctx: ChasterLogContext): string {
  if (!text.includes('%USER%')) return text;
  const keyholderId = ctx.lock.keyholder_id && ctx.lock.keyholder_status === 'accepted' ? ctx.lock.keyholder_id : null;
  const userId = row.role === 'wearer' ? ctx.lock.wearer_id : row.role === 'keyholder' ? keyholderId : null;
  const name =
    userId !== null
      ? userId === ctx.viewerUserId
        ? 'You'
        : (ctx.users.get(userId)?.username ?? row.role)
      : ((row.extension_slug && ctx.extensionNames.get(row.extension_slug)) ?? row.extension_slug ?? 'latch');
  return text.replaceAll('%USER%', name);
}

/** A history entry as Chaster's `ActionLogForPublic`: an extension's own entries carry its slug as prefix. */
export function chasterActionLog(row: HistoryLogRow, ctx: ChasterLogContext): ChasterActionLog {
  const custom = row.type === 'extension_custom' && row.extension_slug !== null;
  const actor = row.actor_user_id ? ctx.users.get(row.actor_user_id) : undefined;
  return {
    _id: row.id,
    lock: row.lock_id,
    type: custom ? 'custom' : (DEFAULT_TYPES[row.type] ?? row.type),
    prefix: custom ? row.extension_slug! : 'default',
    role: chasterLogRole(row.role),
    ...(row.extension_slug !== null ? { extension: row.extension_slug } : {}),
    ...(actor ? { user: chasterUser(actor, ctx.now) } : {}),
    title: renderUserPlaceholder(row.title, row, ctx),
    description: renderUserPlaceholder(row.description, row, ctx),
    icon: row.icon,
    color: row.color,
    payload: fromJson<Record<string, unknown>>(row.payload, {}),
    createdAt: iso(row.created_at),
  } satisfies ChasterActionLog;
}
