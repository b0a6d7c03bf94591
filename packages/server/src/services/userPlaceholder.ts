import type { HistoryLogRow, LockRow } from '../db/types.js';

/** Who reads a history entry, for `%USER%` in custom logs (DECISIONS §14). */
export interface PlaceholderReader {
  lock: Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status'>;
  /** Usernames by user id (the lock's wearer and keyholder at least). */
  usernames: Map<string, string>;
  /** Extension names by slug, for `%USER%` in an extension's own entries. */
  extensionNames: Map<string, string>;
  /** The reader: `%USER%` of their own role renders as "You". Null: a backend. */
  viewerUserId: string | null;
}

/**
 * `%USER%` as Chaster's custom logs page says: the wearer's or keyholder's name for the entry's
 * role (the extension's name for `extension`), "You" for the reader who holds that role. Every
 * reader of the history sees it rendered, the lock page as much as an extension's log search.
 */
export function renderUserPlaceholder(text: string, row: Pick<HistoryLogRow, 'role' | 'extension_slug'>, reader: PlaceholderReader): string {
  if (!text.includes('%USER%')) return text;
  const { lock } = reader;
  const keyholderId = lock.keyholder_id && lock.keyholder_status === 'accepted' ? lock.keyholder_id : null;
  const userId = row.role === 'wearer' ? lock.wearer_id : row.role === 'keyholder' ? keyholderId : null;
  const name =
    userId !== null
      ? userId === reader.viewerUserId
        ? 'You'
        : (reader.usernames.get(userId) ?? row.role)
      : ((row.extension_slug && reader.extensionNames.get(row.extension_slug)) ?? row.extension_slug ?? 'latch');
  return text.replaceAll('%USER%', name);
}
