import type { WebhookEventType } from '@latch/protocol';
import { fromJson, toJson } from '../db/json.js';
import type { WebhookDeliveryRow } from '../db/types.js';
import type { IdGenerator } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { scheduleJob } from '../storage/jobs.js';
import { insertWebhookDelivery } from '../storage/webhookDeliveries.js';
import { findEnabledEndpointsOfApp, findEnabledEndpointsOfLock, type EventEndpoint } from '../storage/webhookEndpoints.js';
import { iso } from './deps.js';

export const JOB_WEBHOOK_DELIVER = 'webhook.deliver';
/** One pending job per delivery: a redelivery moves it instead of adding a second one. */
export const webhookJobKey = (deliveryId: string) => `webhook:${deliveryId}`;

/** Whom an event is for: one app's session on one lock. */
export interface Recipient {
  appId: string;
  extensionSlug: string;
  sessionId: string;
  lockId: string;
}

/** The app owning this session, or every app with an active session on this lock. */
export type EventTarget = { session: { id: string; lock_id: string; app_id: string } } | { lockId: string };

/** Builds the event's `data` for one recipient; runs only when someone subscribed, inside the effect's transaction. */
export type EventData = (recipient: Recipient, tx: Executor) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The Standard Webhooks payload, serialized once: every attempt sends (and signs) these bytes. */
export function webhookPayload(type: string, now: number, data: Record<string, unknown>): string {
  return toJson({ type, timestamp: iso(now), data });
}

/** Puts the delivery's next attempt on the schedule (`step` = how many attempts this chain has made). */
export async function scheduleDeliveryAttempt(tx: Executor, ids: IdGenerator, now: number, deliveryId: string, step: number, runAt: number): Promise<void> {
  await scheduleJob(tx, { id: ids.objectId(), kind: JOB_WEBHOOK_DELIVER, key: webhookJobKey(deliveryId), runAt, payload: { deliveryId, step }, now });
}

/** One delivery row (pending, due now) and its job. */
export async function enqueueDelivery(
  tx: Executor,
  ids: IdGenerator,
  now: number,
  d: { endpointId: string; messageId: string; type: string; payload: string },
): Promise<WebhookDeliveryRow> {
  const row: WebhookDeliveryRow = {
    id: ids.objectId(),
    endpoint_id: d.endpointId,
    message_id: d.messageId,
    event_type: d.type,
    payload: d.payload,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    last_duration_ms: null,
    last_response: null,
    created_at: now,
  };
  await insertWebhookDelivery(tx, row);
  await scheduleDeliveryAttempt(tx, ids, now, row.id, 0, now);
  return row;
}

export const newMessageId = (ids: IdGenerator) => `msg_${ids.objectId()}`;

/**
 * The webhook outbox (DECISIONS §10): called inside the transaction of the effect itself, it
 * writes one pending delivery per enabled endpoint subscribed to `type` and schedules its job,
 * so a rolled-back effect sends nothing and a committed one is delivered at least once. Costs
 * one indexed query; without a subscribed endpoint it writes nothing and never builds `data`.
 */
export async function emitWebhookEvent(tx: Executor, ids: IdGenerator, now: number, type: WebhookEventType, target: EventTarget, data: EventData): Promise<void> {
  const endpoints: EventEndpoint[] =
    'session' in target
      ? (await findEnabledEndpointsOfApp(tx, target.session.app_id)).map((e) => ({ ...e, session_id: target.session.id, lock_id: target.session.lock_id }))
      : await findEnabledEndpointsOfLock(tx, target.lockId);
  const subscribed = endpoints.filter((e) => fromJson<string[]>(e.events, []).includes(type));
  if (subscribed.length === 0) return;
  const byApp = new Map<string, EventEndpoint[]>();
  for (const e of subscribed) byApp.set(e.app_id, [...(byApp.get(e.app_id) ?? []), e]);
  for (const group of byApp.values()) {
    const first = group[0]!;
    const recipient: Recipient = { appId: first.app_id, extensionSlug: first.app_slug, sessionId: first.session_id, lockId: first.lock_id };
    const body = await data(recipient, tx);
    const payload = webhookPayload(type, now, { sessionId: recipient.sessionId, lockId: recipient.lockId, extensionSlug: recipient.extensionSlug, ...body });
    // One message per event and app: its endpoints share the webhook-id.
    const messageId = newMessageId(ids);
    for (const e of group) await enqueueDelivery(tx, ids, now, { endpointId: e.id, messageId, type, payload });
  }
}
