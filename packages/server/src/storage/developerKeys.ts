import type { DeveloperKeyRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertDeveloperKey(db: Executor, row: DeveloperKeyRow): Promise<void> {
  await db.insertInto('developer_keys').values(row).execute();
}

/** With `owner_persona`: 1 when the key belongs to a sandbox account (usable in dev mode only). */
export async function findDeveloperKey(db: Executor, ownerId: string, id: string): Promise<DeveloperKeyRow | undefined> {
  return db.selectFrom('developer_keys').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
}

export async function listDeveloperKeys(db: Executor, ownerId: string): Promise<DeveloperKeyRow[]> {
  return db.selectFrom('developer_keys').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'desc').execute();
}

export async function revokeDeveloperKey(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('developer_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function deleteRevokedDeveloperKey(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('developer_keys').where('id', '=', id).where('revoked_at', 'is not', null).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Written at most once a minute per key, so authenticated reads stay cheap. */
export async function touchDeveloperKey(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('developer_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}
