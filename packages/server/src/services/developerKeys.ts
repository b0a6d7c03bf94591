import { ApiError, notFound } from '../errors.js';
import type { DeveloperKeyRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import { findAppById } from '../storage/extensionApps.js';
import {
  deleteRevokedDeveloperKey,
  findDeveloperKey,
  insertDeveloperKey,
  listDeveloperKeys,
  revokeDeveloperKey,
  touchDeveloperKey,
} from '../storage/developerKeys.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';

export const APP_KEY_PREFIX = 'lk_app_';
export const USER_KEY_PREFIX = 'lk_usr_';

export interface DeveloperKeyView {
  id: string;
  name: string;
  kind: 'app' | 'user';
  appId: string | null;
  prefix: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function developerKeyView(row: DeveloperKeyRow): DeveloperKeyView {
  return {
    id: row.id,
    name: row.name,
    kind: row.app_id ? 'app' : 'user',
    appId: row.app_id,
    prefix: row.prefix,
    last4: row.last4,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

/**
 * Developer API keys: app-scoped (`lk_app_…`, an extension backend) and user-wide (`lk_usr_…`,
 * the owner's scripts). Only the SHA-256 is stored; the key itself is returned once.
 */
export function createDeveloperKeyService({ db, clock, ids }: ServiceDeps) {
  return {
    async create(ownerId: string, input: { name: string; appId?: string | null }): Promise<{ key: string; view: DeveloperKeyView }> {
      if (input.appId) {
        const app = await findAppById(db, input.appId);
        // Another developer's app is indistinguishable from a missing one.
        if (!app || app.owner_id !== ownerId) throw notFound('App');
      }
      const prefix = input.appId ? APP_KEY_PREFIX : USER_KEY_PREFIX;
      const key = ids.secret(prefix);
      const row: DeveloperKeyRow = {
        id: ids.objectId(),
        owner_id: ownerId,
        app_id: input.appId ?? null,
        name: input.name,
        prefix,
        last4: key.slice(-4),
        key_hash: hashSecret(key),
        created_at: clock.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await insertDeveloperKey(db, row);
      return { key, view: developerKeyView(row) };
    },

    async list(ownerId: string): Promise<DeveloperKeyView[]> {
      return (await listDeveloperKeys(db, ownerId)).map(developerKeyView);
    },

    async revoke(ownerId: string, keyId: string): Promise<DeveloperKeyView> {
      const row = await findDeveloperKey(db, ownerId, keyId);
      if (!row) throw notFound('Key');
      await revokeDeveloperKey(db, keyId, clock.now());
      return developerKeyView((await findDeveloperKey(db, ownerId, keyId))!);
    },

    /** Only a revoked key can be deleted, so a live key is never removed by a slip. */
    async remove(ownerId: string, keyId: string): Promise<void> {
      const row = await findDeveloperKey(db, ownerId, keyId);
      if (!row) throw notFound('Key');
      if (row.revoked_at === null) throw new ApiError('conflict', 'Revoke the key before deleting it');
      await deleteRevokedDeveloperKey(db, keyId);
    },

    /** Records that a live key was used: `lastUsedAt` is written at most once a minute (DECISIONS §3). */
    async noteUse(row: DeveloperKeyRow): Promise<void> {
      const now = clock.now();
      if (row.last_used_at === null || row.last_used_at < now - 60_000) await touchDeveloperKey(db, row.id, now);
    },
  };
}

export type DeveloperKeyService = ReturnType<typeof createDeveloperKeyService>;
