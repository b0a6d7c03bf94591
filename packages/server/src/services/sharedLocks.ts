import type { SharedLock as SharedLockView, SharedLockTemplate } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { SharedLockRow, UserRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { findAppsBySlugs } from '../storage/extensionApps.js';
import { deleteSharedLockOf, findSharedLockById, insertSharedLock, listSharedLocksOf, updateSharedLockOf } from '../storage/sharedLocks.js';
import { findUserById } from '../storage/users.js';
import { publicUser } from './accounts.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { checkJsonDepth, MAX_CONFIG_BYTES } from './freeFormJson.js';
import { durationTerms } from './lockLimits.js';
import type { LockService } from './locks.js';
import { hashPassword, verifyPassword } from './passwords.js';

/**
 * Shared locks (issue 14; Chaster's shared locks): a keyholder publishes a template as a link
 * `/shared/:id`, optionally behind a password (argon2id, like account passwords). A signed-in
 * wearer who opens it gets a lock with that keyholder already accepted: publishing the template is
 * the keyholder's consent, as on Chaster where loading a shared lock needs no second approval.
 */
export function createSharedLockService({ db, clock, ids }: ServiceDeps, locks: LockService) {
  function view(row: SharedLockRow, keyholder: UserRow, withTemplate: boolean): SharedLockView {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      keyholder: publicUser(keyholder),
      requiresPassword: row.password_hash !== null,
      disabled: row.disabled_at !== null,
      template: withTemplate ? fromJson<SharedLockTemplate>(row.template, {}) : null,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      disabledAt: isoOrNull(row.disabled_at),
    };
  }

  /** The template is checked as lock creation would check it, so loading it cannot fail on its terms. */
  async function checkTemplate(t: SharedLockTemplate): Promise<void> {
    durationTerms(t, '/template');
    const slugs = (t.extensions ?? []).map((e) => e.slug);
    if (new Set(slugs).size !== slugs.length) throw new ApiError('invalid_request', 'An extension can be installed once per lock', [{ in: 'body', path: '/template/extensions', message: 'duplicate slug' }]);
    const known = new Set((await findAppsBySlugs(db, slugs)).filter((a) => a.id !== EXTERNAL_APP_ID).map((a) => a.slug));
    const missing = slugs.filter((s) => !known.has(s));
    if (missing.length) throw new ApiError('invalid_request', `Unknown extension ${missing.join(', ')}`, missing.map((s) => ({ in: 'body', path: '/template/extensions', message: `unknown slug ${s}` })));
    for (const [i, e] of (t.extensions ?? []).entries()) {
      if (e.config === undefined) continue;
      checkJsonDepth(e.config, `/template/extensions/${i}/config`, `Config for ${e.slug}`);
      if (Buffer.byteLength(toJson(e.config)) > MAX_CONFIG_BYTES) throw new ApiError('invalid_request', `Config for ${e.slug} is larger than ${MAX_CONFIG_BYTES} bytes`, [{ in: 'body', path: `/template/extensions/${i}/config`, message: 'too large' }]);
    }
  }

  async function found(id: string): Promise<{ row: SharedLockRow; keyholder: UserRow }> {
    const row = await findSharedLockById(db, id);
    const keyholder = row ? await findUserById(db, row.keyholder_id) : undefined;
    if (!row || !keyholder) throw notFound('Shared lock');
    return { row, keyholder };
  }

  /** A wearer's way in: the owner always, anyone else with the password when there is one. */
  async function opened(user: UserRow, id: string, password: string | undefined): Promise<{ row: SharedLockRow; keyholder: UserRow }> {
    const { row, keyholder } = await found(id);
    if (row.keyholder_id === user.id) return { row, keyholder };
    if (row.disabled_at !== null) throw new ApiError('shared_lock_disabled', 'This shared lock is disabled by its keyholder');
    if (row.password_hash !== null && (password === undefined || !(await verifyPassword(row.password_hash, password)))) {
      throw new ApiError('shared_lock_password_invalid', password === undefined ? 'This shared lock needs its password' : 'Wrong password for this shared lock');
    }
    return { row, keyholder };
  }

  return {
    async publish(keyholder: UserRow, input: { name: string; description?: string; password?: string; template: SharedLockTemplate }): Promise<SharedLockView> {
      await checkTemplate(input.template);
      const now = clock.now();
      const row: SharedLockRow = {
        id: ids.objectId(),
        keyholder_id: keyholder.id,
        name: input.name,
        description: input.description ?? '',
        password_hash: input.password ? await hashPassword(input.password) : null,
        template: toJson(input.template),
        disabled_at: null,
        created_at: now,
        updated_at: now,
      };
      await insertSharedLock(db, row);
      return view(row, keyholder, true);
    },

    async listMine(keyholder: UserRow, page: { limit: number; before?: string }) {
      const rows = await listSharedLocksOf(db, keyholder.id, page.limit + 1, page.before);
      return { results: rows.slice(0, page.limit).map((r) => view(r, keyholder, true)), hasMore: rows.length > page.limit };
    },

    /** What the link shows a signed-in user before the password: the template only without one (or to its owner). */
    async preview(user: UserRow, id: string): Promise<SharedLockView> {
      const { row, keyholder } = await found(id);
      const mine = row.keyholder_id === user.id;
      if (!mine && row.disabled_at !== null) throw new ApiError('shared_lock_disabled', 'This shared lock is disabled by its keyholder');
      return view(row, keyholder, mine || row.password_hash === null);
    },

    /** The template, once the password is right. */
    async open(user: UserRow, id: string, password: string | undefined): Promise<SharedLockView> {
      const { row, keyholder } = await opened(user, id, password);
      return view(row, keyholder, true);
    },

    /** A lock for `wearer` from the template, with its keyholder accepted; `inTx` as for `locks.create` (the combination). */
    async load(wearer: UserRow, id: string, input: { password?: string; title?: string; isTestLock?: boolean }, inTx?: (tx: Executor, lockId: string) => Promise<void>) {
      const { row, keyholder } = await opened(wearer, id, input.password);
      const t = fromJson<SharedLockTemplate>(row.template, {});
      return locks.create(wearer, { ...t, title: input.title ?? row.name, isTestLock: input.isTestLock ?? false }, inTx, { sharedLockId: row.id, keyholder });
    },

    async setDisabled(keyholder: UserRow, id: string, disabled: boolean): Promise<SharedLockView> {
      const now = clock.now();
      const { row } = await found(id);
      if (row.keyholder_id !== keyholder.id) throw notFound('Shared lock');
      // Disabling again keeps the first date.
      const disabledAt = disabled ? (row.disabled_at ?? now) : null;
      if (!(await updateSharedLockOf(db, id, keyholder.id, { disabled_at: disabledAt, updated_at: now }))) throw notFound('Shared lock');
      return view({ ...row, disabled_at: disabledAt, updated_at: now }, keyholder, true);
    },

    /** Locks already loaded from it keep running: they only remember its id. */
    async remove(keyholder: UserRow, id: string): Promise<void> {
      if (!(await deleteSharedLockOf(db, id, keyholder.id))) throw notFound('Shared lock');
    },
  };
}

export type SharedLockService = ReturnType<typeof createSharedLockService>;
