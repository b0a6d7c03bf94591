import type { ExtensionAppRow, NewExtensionApp } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertExtensionApp(db: Executor, row: NewExtensionApp): Promise<void> {
  await db.insertInto('extension_apps').values(row).execute();
}

export async function findAppBySlug(db: Executor, slug: string): Promise<ExtensionAppRow | undefined> {
  return db.selectFrom('extension_apps').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findAppsBySlugs(db: Executor, slugs: string[]): Promise<ExtensionAppRow[]> {
  if (slugs.length === 0) return [];
  return db.selectFrom('extension_apps').selectAll().where('slug', 'in', slugs).execute();
}

export async function findAppsByIds(db: Executor, ids: string[]): Promise<ExtensionAppRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('extension_apps').selectAll().where('id', 'in', ids).execute();
}

export async function listApps(db: Executor, limit: number): Promise<ExtensionAppRow[]> {
  return db.selectFrom('extension_apps').selectAll().orderBy('name').orderBy('id').limit(limit).execute();
}

export async function findAppById(db: Executor, id: string): Promise<ExtensionAppRow | undefined> {
  return db.selectFrom('extension_apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAppsOfOwner(db: Executor, ownerId: string): Promise<ExtensionAppRow[]> {
  return db.selectFrom('extension_apps').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'desc').execute();
}

export async function updateExtensionApp(db: Executor, id: string, patch: Partial<Omit<ExtensionAppRow, 'id' | 'owner_id' | 'slug' | 'created_at'>>): Promise<void> {
  await db.updateTable('extension_apps').set(patch).where('id', '=', id).execute();
}

/** Every app's page URLs and allowed origins (the web UI's CSP `frame-src`). */
export async function listAppFrameSources(db: Executor): Promise<Array<Pick<ExtensionAppRow, 'iframe_url' | 'setup_url' | 'allowed_origins'>>> {
  return db.selectFrom('extension_apps').select(['iframe_url', 'setup_url', 'allowed_origins']).execute();
}
