import { CHASTER_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, type WebhookEventType } from '@latch/protocol';
import { toJson } from '../db/json.js';
import { isPostgres } from '../db/prepared.js';
import type { HistoryLogRow } from '../db/types.js';
// Only a function from the dialect (hoisted): the dialect's module imports services that import this one.
import { chasterWebhookEvent } from '../dialects/chaster/webhooks.js';
import type { Executor } from '../storage/executor.js';
import { iso } from './deps.js';

/**
 * What differs between the webhooks of a Chastify and a Chaster app (DECISIONS §10, §14), in this
 * one table: the events an endpoint may subscribe to, the body of an event, the retry schedule
 * and the attempt timeout. Endpoints, the outbox, signatures, the delivery log and the transport
 * are shared.
 */

/** Whom an event is for: one app's session on one lock. */
export interface Recipient {
  appId: string;
  extensionSlug: string;
  sessionId: string;
  lockId: string;
}

/** Builds a Chastify event's `data` for one recipient; runs only when someone subscribed, inside the effect's transaction. */
export type EventData = (recipient: Recipient, tx: Executor) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** One event for one recipient, as the outbox hands it to the recipient app's dialect. */
export interface DialectEvent {
  type: WebhookEventType;
  recipient: Recipient;
  data: EventData;
  /** The history entry an `action_log.created` announces. */
  log?: HistoryLogRow;
  messageId: string;
  now: number;
}

/** The Standard Webhooks payload, serialized once: every attempt sends (and signs) these bytes. */
export function webhookPayload(type: string, now: number, data: Record<string, unknown>): string {
  return toJson({ type, timestamp: iso(now), data });
}

export interface WebhookDialect {
  /** What an endpoint may subscribe to (and does when it names nothing). */
  events: readonly WebhookEventType[];
  /** After a failed attempt, the next waits this long; after the last, the delivery has failed. */
  retryDelaysMs: readonly number[];
  /** One attempt's limit; null: the platform's (`WebhooksConfig.timeoutMs`). */
  timeoutMs: number | null;
  /** The serialized body of one event, or null when the dialect has no such event. */
  body(tx: Executor, event: DialectEvent): Promise<string | null>;
  /** The body of the console's "Send test": in the dialect's envelope, so a receiver written for it parses it. */
  testBody(test: TestEvent): string;
}

/** What the console's "Send test" says, whatever the dialect's envelope. */
export interface TestEvent {
  endpointId: string;
  appId: string;
  extensionSlug: string;
  messageId: string;
  now: number;
}

const TEST_MESSAGE = 'A test event from latch: your endpoint is reachable and can verify the signature.';

/** After a failed attempt, the next one waits this long; after the last, the delivery has failed (7 attempts in about 17.6 h). */
export const WEBHOOK_RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000];

export const WEBHOOK_DIALECTS: Record<'chastify' | 'chaster', WebhookDialect> = {
  chastify: {
    events: WEBHOOK_EVENT_TYPES,
    retryDelaysMs: WEBHOOK_RETRY_DELAYS_MS,
    timeoutMs: null,
    async body(tx, { type, recipient, data, now }) {
      return webhookPayload(type, now, { sessionId: recipient.sessionId, lockId: recipient.lockId, extensionSlug: recipient.extensionSlug, ...(await data(recipient, tx)) });
    },
    testBody: ({ endpointId, appId, extensionSlug, now }) => webhookPayload(WEBHOOK_TEST_EVENT, now, { endpointId, appId, extensionSlug, message: TEST_MESSAGE }),
  },
  chaster: {
    // The events of Chaster's webhooks page: a Chaster app's endpoints subscribe to these (all by default).
    events: CHASTER_WEBHOOK_EVENT_TYPES,
    // Retries after 1, 2, 3 and 4 minutes ("each attempt delayed by 60 seconds longer than the previous one").
    retryDelaysMs: [60_000, 120_000, 180_000, 240_000],
    // "fails to receive a response within 10 seconds".
    timeoutMs: 10_000,
    async body(tx, { type, recipient, log, messageId, now }) {
      const event = await chasterWebhookEvent(tx, isPostgres(tx) ? 'postgres' : 'sqlite', { type, sessionId: recipient.sessionId, ...(log ? { log } : {}), requestId: messageId, now });
      return event && toJson(event);
    },
    // Chaster's envelope (`{event, data, sentAt, requestId}`) around an event Chaster does not send: a receiver
    // switching on `event` ignores it, one logging bodies sees the shape its real events will have.
    testBody: ({ endpointId, extensionSlug, messageId, now }) =>
      toJson({ event: WEBHOOK_TEST_EVENT, data: { endpointId, extension: { slug: extensionSlug }, message: TEST_MESSAGE }, sentAt: iso(now), requestId: messageId }),
  },
};
