import type { DialectName } from '../db/connect.js';
import type { WebhookEndpointRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertWebhookEndpoint(db: Executor, row: WebhookEndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function findWebhookEndpoint(db: Executor, appId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
}

export async function findWebhookEndpointById(db: Executor, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhookEndpoints(db: Executor, appId: string): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('app_id', '=', appId).orderBy('id').execute();
}

export async function countWebhookEndpoints(db: Executor, appId: string): Promise<number> {
  const r = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function updateWebhookEndpoint(db: Executor, id: string, patch: Partial<Omit<WebhookEndpointRow, 'id' | 'app_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('webhook_endpoints').set(patch).where('id', '=', id).execute();
}

/** Deletes the endpoint; its deliveries and their attempts go with it (ON DELETE CASCADE). */
export async function deleteWebhookEndpoint(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** An enabled endpoint that may receive an event, with who it is for. */
export interface EventEndpoint {
  id: string;
  app_id: string;
  events: string;
  app_slug: string;
  /** The app's dialect: which body its endpoints get (services/webhookDialects.ts). */
  app_dialect: 'chastify' | 'chaster';
  session_id: string;
  lock_id: string;
}

/**
 * Serializes changes to one app's endpoints (PostgreSQL: a row lock on the app; SQLite has one
 * writer), so two parallel creates cannot both pass the per-app cap.
 */
export async function lockAppForEndpoints(db: Executor, appId: string, dialect: DialectName): Promise<boolean> {
  let q = db.selectFrom('extension_apps').select('id').where('id', '=', appId);
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * Locks an endpoint's row before one of its deliveries is (PostgreSQL; SQLite has one writer):
 * deleting an endpoint locks it and then, by cascade, its deliveries, so recording an attempt
 * (which may update the endpoint) must take them in the same order or the two could deadlock.
 * `FOR NO KEY UPDATE` still lets new deliveries reference the endpoint meanwhile.
 */
export async function lockEndpointForRecord(db: Executor, id: string, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.selectFrom('webhook_endpoints').select('id').where('id', '=', id).forNoKeyUpdate().execute();
}

/** A delivery succeeded: the endpoint is healthy again. */
export async function clearEndpointFailing(db: Executor, id: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', id).where('failing_since', 'is not', null).execute();
}

/** A delivery ended failed: starts the failing streak unless one runs. True when this call started it. */
export async function startEndpointFailing(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('webhook_endpoints').set({ failing_since: now }).where('id', '=', id).where('failing_since', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Turns an endpoint failing since `failingBefore` or earlier off; true only for the call that did it. */
export async function disableFailingEndpoint(db: Executor, id: string, failingBefore: number, reason: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set({ enabled: 0, disabled_reason: reason, updated_at: now })
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .where('failing_since', '<=', failingBefore)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The enabled endpoints of these apps, in one indexed query (empty for apps without endpoints). */
export async function findEnabledEndpointsOfApps(db: Executor, appIds: readonly string[]): Promise<Array<Omit<EventEndpoint, 'session_id' | 'lock_id'>>> {
  if (appIds.length === 0) return [];
  return db
    .selectFrom('webhook_endpoints')
    .innerJoin('extension_apps', 'extension_apps.id', 'webhook_endpoints.app_id')
    .select(['webhook_endpoints.id', 'webhook_endpoints.app_id', 'webhook_endpoints.events', 'extension_apps.slug as app_slug', 'extension_apps.dialect as app_dialect'])
    .where('webhook_endpoints.app_id', 'in', [...appIds])
    .where('webhook_endpoints.enabled', '=', 1)
    .orderBy('webhook_endpoints.id')
    .execute();
}

/** The enabled endpoints of every app with an active (not removed) session on these locks, in one query. */
export async function findEnabledEndpointsOfLocks(db: Executor, lockIds: readonly string[]): Promise<EventEndpoint[]> {
  if (lockIds.length === 0) return [];
  return db
    .selectFrom('extension_sessions')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.app_id', 'extension_sessions.app_id')
    .innerJoin('extension_apps', 'extension_apps.id', 'extension_sessions.app_id')
    .select([
      'webhook_endpoints.id',
      'webhook_endpoints.app_id',
      'webhook_endpoints.events',
      'extension_apps.slug as app_slug',
      'extension_apps.dialect as app_dialect',
      'extension_sessions.id as session_id',
      'extension_sessions.lock_id',
    ])
    .where('extension_sessions.lock_id', 'in', [...lockIds])
    .where('extension_sessions.removed_at', 'is', null)
    .where('webhook_endpoints.enabled', '=', 1)
    .orderBy('webhook_endpoints.id')
    .execute();
}
