import type { DialectName } from '../db/connect.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertWebhookDelivery(db: Executor, row: WebhookDeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

export async function findWebhookDelivery(db: Executor, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).where('endpoint_id', '=', endpointId).executeTakeFirst();
}

export async function findWebhookDeliveryById(db: Executor, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads a delivery to record an attempt; on PostgreSQL the row stays locked until commit. */
export async function findWebhookDeliveryForUpdate(db: Executor, id: string, dialect: DialectName): Promise<WebhookDeliveryRow | undefined> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** One page of an endpoint's deliveries, newest first (`before`: the last id of the previous page). */
export async function listWebhookDeliveries(
  db: Executor,
  endpointId: string,
  page: { limit: number; before?: string; status?: WebhookDeliveryRow['status'] },
): Promise<WebhookDeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (page.before) q = q.where('id', '<', page.before);
  if (page.status) q = q.where('status', '=', page.status);
  return q.orderBy('id', 'desc').limit(page.limit).execute();
}

export async function updateWebhookDelivery(db: Executor, id: string, patch: Partial<Omit<WebhookDeliveryRow, 'id' | 'endpoint_id' | 'message_id' | 'event_type' | 'payload' | 'created_at'>>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();
}

export async function insertWebhookAttempt(db: Executor, row: WebhookAttemptRow): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

export async function listWebhookAttempts(db: Executor, deliveryId: string): Promise<WebhookAttemptRow[]> {
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').orderBy('id').execute();
}

/**
 * Deletes up to `limit` finished (not pending) deliveries of an endpoint whose ids sort below
 * `beforeId` (ids are time-ordered), except `keepId`; their attempts go with them (cascade).
 * Returns how many.
 */
export async function deleteOldWebhookDeliveries(db: Executor, endpointId: string, beforeId: string, keepId: string, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).where('id', '<', beforeId).where('id', '!=', keepId).where('status', '!=', 'pending').orderBy('id').limit(limit),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
