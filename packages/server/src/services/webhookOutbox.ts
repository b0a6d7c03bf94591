import type { WebhookEventType } from '@latch/protocol';
import { fromJson, toJson } from '../db/json.js';
import type { HistoryLogRow, WebhookDeliveryRow } from '../db/types.js';
import type { IdGenerator } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { scheduleJob } from '../storage/jobs.js';
import { insertWebhookDelivery } from '../storage/webhookDeliveries.js';
import { findEnabledEndpointsOfApps, findEnabledEndpointsOfLocks, type EventEndpoint } from '../storage/webhookEndpoints.js';
import { WEBHOOK_DIALECTS, type EventData, type Recipient } from './webhookDialects.js';

export const JOB_WEBHOOK_DELIVER = 'webhook.deliver';
/** One pending job per delivery: a redelivery moves it instead of adding a second one. */
export const webhookJobKey = (deliveryId: string) => `webhook:${deliveryId}`;

/** The app owning this session, or every app with an active session on this lock. */
export type EventTarget = { session: { id: string; lock_id: string; app_id: string } } | { lockId: string };

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
  await emitWebhookEvents(tx, ids, now, [{ type, target, data }]);
}

/** The outbox write for one event whose candidate endpoints are already known: each app's dialect builds its body. */
async function deliverToEndpoints(tx: Executor, ids: IdGenerator, now: number, event: PendingEvent, endpoints: EventEndpoint[]): Promise<void> {
  const { type, data, log } = event;
  const subscribed = endpoints.filter((e) => fromJson<string[]>(e.events, []).includes(type));
  if (subscribed.length === 0) return;
  const byApp = new Map<string, EventEndpoint[]>();
  for (const e of subscribed) byApp.set(e.app_id, [...(byApp.get(e.app_id) ?? []), e]);
  for (const group of byApp.values()) {
    const first = group[0]!;
    const recipient: Recipient = { appId: first.app_id, extensionSlug: first.app_slug, sessionId: first.session_id, lockId: first.lock_id };
    // One message per event and app: its endpoints share the webhook-id.
    const messageId = newMessageId(ids);
    const payload = await WEBHOOK_DIALECTS[first.app_dialect].body(tx, { type, recipient, data, ...(log ? { log } : {}), messageId, now });
    if (payload === null) continue;
    for (const e of group) await enqueueDelivery(tx, ids, now, { endpointId: e.id, messageId, type, payload });
  }
}

export interface PendingEvent {
  type: WebhookEventType;
  target: EventTarget;
  data: EventData;
  /** The history entry an `action_log.created` announces (dialects other than Chastify's build their own view of it). */
  log?: HistoryLogRow;
}

/**
 * `emitWebhookEvent` for many events of one transaction (a scheduler batch), in the given order:
 * the same deliveries, with the endpoints found by two queries for the whole list (apps of the
 * session targets, apps on the lock targets) instead of one per event.
 */
export async function emitWebhookEvents(tx: Executor, ids: IdGenerator, now: number, events: readonly PendingEvent[]): Promise<void> {
  if (events.length === 0) return;
  const appIds = new Set<string>();
  const lockIds = new Set<string>();
  for (const e of events) {
    if ('session' in e.target) appIds.add(e.target.session.app_id);
    else lockIds.add(e.target.lockId);
  }
  const ofApp = new Map<string, Array<Omit<EventEndpoint, 'session_id' | 'lock_id'>>>();
  for (const e of await findEnabledEndpointsOfApps(tx, [...appIds])) ofApp.set(e.app_id, [...(ofApp.get(e.app_id) ?? []), e]);
  const ofLock = new Map<string, EventEndpoint[]>();
  for (const e of await findEnabledEndpointsOfLocks(tx, [...lockIds])) ofLock.set(e.lock_id, [...(ofLock.get(e.lock_id) ?? []), e]);
  if (ofApp.size === 0 && ofLock.size === 0) return;
  for (const event of events) {
    const { target } = event;
    let endpoints: EventEndpoint[];
    if ('session' in target) {
      const { session } = target;
      endpoints = (ofApp.get(session.app_id) ?? []).map((x) => ({ ...x, session_id: session.id, lock_id: session.lock_id }));
    } else {
      endpoints = ofLock.get(target.lockId) ?? [];
    }
    if (endpoints.length) await deliverToEndpoints(tx, ids, now, event, endpoints);
  }
}
