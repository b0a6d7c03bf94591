import type { ExtensionAppRow } from '../db/types.js';
import type { Executor } from './executor.js';
import { appColumns, appOf } from './rows.js';

export async function insertExtensionApp(db: Executor, app: ExtensionAppRow): Promise<void> {
  await db.insertInto('extension_apps').values(appColumns(app)).execute();
}

export async function findAppBySlug(db: Executor, slug: string): Promise<ExtensionAppRow | undefined> {
  const row = await db.selectFrom('extension_apps').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && appOf(row);
}

export async function findAppsBySlugs(db: Executor, slugs: string[]): Promise<ExtensionAppRow[]> {
  if (slugs.length === 0) return [];
  return (await db.selectFrom('extension_apps').selectAll().where('slug', 'in', slugs).execute()).map(appOf);
}

export async function findAppsByIds(db: Executor, ids: string[]): Promise<ExtensionAppRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('extension_apps').selectAll().where('id', 'in', ids).execute()).map(appOf);
}

export async function listApps(db: Executor, limit: number): Promise<ExtensionAppRow[]> {
  return (await db.selectFrom('extension_apps').selectAll().orderBy('name').orderBy('id').limit(limit).execute()).map(appOf);
}

export async function findAppById(db: Executor, id: string): Promise<ExtensionAppRow | undefined> {
  const row = await db.selectFrom('extension_apps').selectAll().where('id', '=', id).executeTakeFirst();
  return row && appOf(row);
}

export async function listAppsOfOwner(db: Executor, ownerId: string): Promise<ExtensionAppRow[]> {
  return (await db.selectFrom('extension_apps').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'desc').execute()).map(appOf);
}

export async function updateExtensionApp(db: Executor, id: string, patch: Partial<Omit<ExtensionAppRow, 'id' | 'owner_id' | 'slug' | 'created_at'>>): Promise<void> {
  await db.updateTable('extension_apps').set(appColumns(patch)).where('id', '=', id).execute();
}

/** Every app's page URLs and allowed origins (the web UI's CSP `frame-src`). */
export async function listAppFrameSources(db: Executor): Promise<Array<Pick<ExtensionAppRow, 'iframe_url' | 'setup_url' | 'allowed_origins'>>> {
  return (await db.selectFrom('extension_apps').select(['iframe_url', 'setup_url', 'allowed_origins']).execute()).map(appOf);
}
