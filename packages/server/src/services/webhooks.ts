import type { DialectName } from '../db/connect.js';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from '@latch/protocol';
import type { Clock } from '../clock.js';
import { bool, fromJson, int, toJson } from '../db/json.js';
import type { ExtensionAppRow, WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import { objectIdFloor } from '../ids.js';
import type { Executor } from '../storage/executor.js';
import { findAppById } from '../storage/extensionApps.js';
import {
  deleteOldWebhookDeliveries,
  findWebhookDelivery,
  findWebhookDeliveryById,
  findWebhookDeliveryForUpdate,
  insertWebhookAttempt,
  listWebhookAttempts,
  listWebhookDeliveries,
  updateWebhookDelivery,
} from '../storage/webhookDeliveries.js';
import {
  clearEndpointFailing,
  countWebhookEndpoints,
  disableFailingEndpoint,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  findWebhookEndpointById,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  lockAppForEndpoints,
  lockEndpointForRecord,
  startEndpointFailing,
  updateWebhookEndpoint,
} from '../storage/webhookEndpoints.js';
import { iso, isoOrNull, pageOf, type ServiceDeps } from './deps.js';
import { writeNotification } from './notifications.js';
import type { ExternalJobHandler, JobContext } from './scheduler.js';
import type { CombinationVault } from './combinationVault.js';
import { basicAuthHeader, sealBasicAuth, type BasicAuth } from './webhookBasicAuth.js';
import { WEBHOOK_DIALECTS } from './webhookDialects.js';
import { enqueueDelivery, JOB_WEBHOOK_DELIVER, newMessageId, scheduleDeliveryAttempt } from './webhookOutbox.js';
import { sendWebhook, webhookUrlProblem, type AttemptResult, type WebhookUrlPolicy } from './webhookTransport.js';

export { WEBHOOK_RETRY_DELAYS_MS } from './webhookDialects.js';
export const MAX_ENDPOINTS_PER_APP = 10;
/** After a rotation, deliveries are signed with the old secret too for this long. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600_000;
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Finished deliveries (and their attempts) older than this leave the log (pending ones never do). */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 86400_000;
/** At most this many old deliveries are removed per finished delivery: the log shrinks without one long delete. */
const PRUNE_BATCH = 50;
/** An endpoint whose deliveries have all ended failed for this long is turned off (and its owner told). */
export const WEBHOOK_AUTO_DISABLE_AFTER_MS = 5 * 86400_000;

export interface EndpointView {
  id: string;
  appId: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  description: string;
  /** Until then deliveries also carry a signature made with the secret before the last rotation. */
  previousSecretExpiresAt: string | null;
  /** Since when every delivery has ended failed (null while healthy). */
  failingSince: string | null;
  /** Why latch turned the endpoint off by itself (null otherwise). */
  disabledReason: string | null;
  /** Whether attempts carry Basic auth (the credentials are never shown again). */
  hasBasicAuth: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  status: WebhookDeliveryRow['status'];
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastResponse: string | null;
  createdAt: string;
}

export interface AttemptView {
  attempt: number;
  attemptedAt: string;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  response: string | null;
}

function endpointView(row: WebhookEndpointRow, now: number): EndpointView {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    events: fromJson<WebhookEventType[]>(row.events, []),
    enabled: bool(row.enabled),
    description: row.description,
    previousSecretExpiresAt: row.previous_secret && row.previous_secret_until !== null && row.previous_secret_until > now ? iso(row.previous_secret_until) : null,
    failingSince: isoOrNull(row.failing_since),
    disabledReason: row.disabled_reason,
    hasBasicAuth: row.basic_auth !== null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function deliveryView(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms,
    lastResponse: row.last_response,
    createdAt: iso(row.created_at),
  };
}

function attemptView(row: WebhookAttemptRow): AttemptView {
  return {
    attempt: row.attempt,
    attemptedAt: iso(row.attempted_at),
    succeeded: bool(row.succeeded),
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    response: row.response,
  };
}

/** A Standard Webhooks secret: `whsec_` + 32 random bytes, base64. */
const newSecret = () => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');

export interface NewEndpointInput {
  url: string;
  events?: WebhookEventType[];
  enabled?: boolean;
  description?: string;
  /** Chaster apps: credentials sent to the receiver; null removes them. */
  basicAuth?: BasicAuth | null;
}

/** What one delivery job did outside the database, for `record` to commit. */
type SendOutcome = { kind: 'skip' } | { kind: 'disabled' } | { kind: 'sent'; attemptedAt: number; result: AttemptResult; retryDelaysMs: readonly number[] };

/**
 * Webhooks per app (DECISIONS §10): the developer console's endpoints, delivery log and
 * redelivery, and the `webhook.deliver` job that sends one attempt and schedules the next.
 */
export function createWebhookService({
  db,
  clock,
  ids,
  dialect,
  wallClock,
  policy,
  timeoutMs,
  attemptLimitMs,
  vault,
  logger,
}: ServiceDeps & {
  dialect: DialectName;
  wallClock: Clock;
  policy: WebhookUrlPolicy;
  /** The platform's attempt timeout (a dialect may have its own). */
  timeoutMs: number;
  /** No attempt, whatever its dialect's timeout, may last longer (half the job lease). */
  attemptLimitMs: number;
  /** Seals Basic auth passwords at rest. */
  vault: CombinationVault;
  logger: FastifyBaseLogger;
}) {
  async function ownedApp(ownerId: string, appId: string): Promise<ExtensionAppRow> {
    const app = await findAppById(db, appId);
    // Another developer's app is indistinguishable from a missing one.
    if (!app || app.owner_id !== ownerId) throw notFound('App');
    return app;
  }

  async function ownedEndpoint(ownerId: string, appId: string, endpointId: string): Promise<{ app: ExtensionAppRow; endpoint: WebhookEndpointRow }> {
    const app = await ownedApp(ownerId, appId);
    const endpoint = await findWebhookEndpoint(db, appId, endpointId);
    if (!endpoint) throw notFound('Webhook endpoint');
    return { app, endpoint };
  }

  async function ownedDelivery(ownerId: string, appId: string, endpointId: string, deliveryId: string) {
    const { app, endpoint } = await ownedEndpoint(ownerId, appId, endpointId);
    const delivery = await findWebhookDelivery(db, endpointId, deliveryId);
    if (!delivery) throw notFound('Delivery');
    return { app, endpoint, delivery };
  }

  function checkUrl(url: string) {
    const problem = webhookUrlProblem(url, policy);
    if (problem) throw new ApiError('invalid_request', `The webhook URL ${problem}`, [{ in: 'body', path: '/url', message: problem }]);
  }

  /** What the app's dialect lets an endpoint subscribe to and carry; the 400s change nothing. */
  function checkForDialect(dialect: ExtensionAppRow['dialect'], input: Partial<NewEndpointInput>) {
    const allowed = WEBHOOK_DIALECTS[dialect].events;
    const foreign = (input.events ?? []).filter((e) => !allowed.includes(e));
    if (foreign.length) {
      throw new ApiError('invalid_request', `A ${dialect} app's endpoint may subscribe to ${allowed.join(', ')} only`, [{ in: 'body', path: '/events', message: `not a ${dialect} event: ${foreign.join(', ')}` }]);
    }
    if (input.basicAuth && dialect !== 'chaster') {
      throw new ApiError('invalid_request', 'Basic auth is for Chaster-dialect apps (Chastify receivers verify the signature)', [{ in: 'body', path: '/basicAuth', message: 'only for chaster apps' }]);
    }
  }

  function refuseDisabled(endpoint: WebhookEndpointRow) {
    if (!bool(endpoint.enabled)) throw new ApiError('conflict', 'The endpoint is disabled: enable it first');
  }

  /**
   * A delivery ended failed (all its attempts): starts the endpoint's failing streak, or, when
   * the streak is 5 days old, turns the endpoint off and tells the app's owner, once. Any success
   * ends the streak; turning the endpoint on again by hand starts afresh.
   */
  async function noteFailedDelivery(tx: Executor, endpointId: string): Promise<void> {
    const now = clock.now();
    if (await startEndpointFailing(tx, endpointId, now)) return;
    const endpoint = await findWebhookEndpointById(tx, endpointId);
    if (!endpoint || endpoint.failing_since === null) return;
    const reason = `Turned off by latch: every delivery has failed since ${iso(endpoint.failing_since)}`;
    if (!(await disableFailingEndpoint(tx, endpointId, now - WEBHOOK_AUTO_DISABLE_AFTER_MS, reason, now))) return;
    const app = await findAppById(tx, endpoint.app_id);
    if (!app) return;
    await writeNotification(tx, ids, now, {
      userId: app.owner_id,
      type: 'webhook_endpoint_disabled',
      title: `Webhook endpoint of ${app.name} turned off`,
      message: `${endpoint.url}: every delivery has failed for 5 days. Fix the receiver, then turn the endpoint on again in the developer console (and redeliver what it missed).`,
      payload: { appId: app.id, endpointId, url: endpoint.url, failingSince: iso(endpoint.failing_since) },
    });
    logger.warn({ appId: app.id, endpointId, failingSince: endpoint.failing_since }, 'webhook endpoint turned off after 5 days of failed deliveries');
  }

  /** The secrets a delivery is signed with now: the current one, and the previous one during its grace period. */
  function secretsOf(endpoint: WebhookEndpointRow, now: number): string[] {
    const previous = endpoint.previous_secret && endpoint.previous_secret_until !== null && endpoint.previous_secret_until > now ? [endpoint.previous_secret] : [];
    return [endpoint.secret, ...previous];
  }

  const deliver: ExternalJobHandler<SendOutcome> = {
    async send(job: JobContext): Promise<SendOutcome> {
      const delivery = await findWebhookDeliveryById(db, String(job.payload.deliveryId));
      // Succeeded or given up (or deleted with its endpoint): never sent again by a stale job.
      if (!delivery || delivery.status !== 'pending') return { kind: 'skip' };
      const endpoint = await findWebhookEndpointById(db, delivery.endpoint_id);
      if (!endpoint) return { kind: 'skip' };
      if (!bool(endpoint.enabled)) return { kind: 'disabled' };
      const app = await findAppById(db, endpoint.app_id);
      if (!app) return { kind: 'skip' };
      const rules = WEBHOOK_DIALECTS[app.dialect];
      const attemptedAt = clock.now();
      const result = await sendWebhook({
        url: endpoint.url,
        payload: delivery.payload,
        messageId: delivery.message_id,
        secrets: secretsOf(endpoint, attemptedAt),
        policy,
        timeoutMs: Math.min(rules.timeoutMs ?? timeoutMs, attemptLimitMs),
        authorization: basicAuthHeader(vault, endpoint.id, endpoint.basic_auth),
        wallClock,
      });
      logger.debug({ deliveryId: delivery.id, endpointId: endpoint.id, eventType: delivery.event_type, statusCode: result.statusCode, ok: result.ok }, 'webhook attempt');
      return { kind: 'sent', attemptedAt, result, retryDelaysMs: rules.retryDelaysMs };
    },

    async record(job: JobContext, tx: Executor, outcome: SendOutcome): Promise<void> {
      if (outcome.kind === 'skip') return;
      const deliveryId = String(job.payload.deliveryId);
      const unlocked = await findWebhookDeliveryById(tx, deliveryId);
      if (!unlocked) return;
      await lockEndpointForRecord(tx, unlocked.endpoint_id, dialect);
      const delivery = await findWebhookDeliveryForUpdate(tx, deliveryId, dialect);
      if (!delivery || delivery.status !== 'pending') return;
      if (outcome.kind === 'disabled') {
        await updateWebhookDelivery(tx, delivery.id, { status: 'failed', next_attempt_at: null, last_error: 'not sent: the endpoint is disabled' });
        return;
      }
      const { result, attemptedAt, retryDelaysMs } = outcome;
      const attempt = delivery.attempts + 1;
      await insertWebhookAttempt(tx, {
        id: ids.objectId(),
        delivery_id: delivery.id,
        attempt,
        attempted_at: attemptedAt,
        succeeded: int(result.ok),
        status_code: result.statusCode,
        error: result.error,
        duration_ms: result.durationMs,
        response: result.response,
      });
      const last = {
        attempts: attempt,
        last_attempt_at: attemptedAt,
        last_status_code: result.statusCode,
        last_error: result.error,
        last_duration_ms: result.durationMs,
        last_response: result.response,
      };
      const step = Math.max(0, Math.floor(Number(job.payload.step) || 0));
      if (step < retryDelaysMs.length && !result.ok) {
        const now = clock.now();
        const next = now + retryDelaysMs[step]!;
        await updateWebhookDelivery(tx, delivery.id, { ...last, next_attempt_at: next });
        await scheduleDeliveryAttempt(tx, ids, now, delivery.id, step + 1, next);
        return;
      }
      await updateWebhookDelivery(tx, delivery.id, { ...last, status: result.ok ? 'succeeded' : 'failed', next_attempt_at: null });
      if (result.ok) await clearEndpointFailing(tx, delivery.endpoint_id);
      else await noteFailedDelivery(tx, delivery.endpoint_id);
      // Retention: each finished delivery takes a few expired ones of its endpoint with it (never
      // itself: a redelivered old one stays readable until the next), so the log stays about
      // 30 days long without a sweeper job.
      await deleteOldWebhookDeliveries(tx, delivery.endpoint_id, objectIdFloor(clock.now() - WEBHOOK_LOG_RETENTION_MS), delivery.id, PRUNE_BATCH);
    },
  };

  return {
    /** What `create` would refuse for an app of this dialect (400), checked before anything is written (fixtures). */
    checkNew(dialect: ExtensionAppRow['dialect'], input: NewEndpointInput): void {
      checkUrl(input.url);
      checkForDialect(dialect, input);
    },

    async list(ownerId: string, appId: string): Promise<{ results: EndpointView[] }> {
      await ownedApp(ownerId, appId);
      const now = clock.now();
      return { results: (await listWebhookEndpoints(db, appId)).map((r) => endpointView(r, now)) };
    },

    async get(ownerId: string, appId: string, endpointId: string): Promise<EndpointView> {
      return endpointView((await ownedEndpoint(ownerId, appId, endpointId)).endpoint, clock.now());
    },

    /** The secret is in this answer (and a rotation's) only. */
    async create(ownerId: string, appId: string, input: NewEndpointInput): Promise<EndpointView & { secret: string }> {
      const app = await ownedApp(ownerId, appId);
      checkUrl(input.url);
      checkForDialect(app.dialect, input);
      const now = clock.now();
      const id = ids.objectId();
      const row: WebhookEndpointRow = {
        id,
        app_id: appId,
        url: input.url,
        secret: newSecret(),
        previous_secret: null,
        previous_secret_until: null,
        events: toJson(input.events ?? WEBHOOK_DIALECTS[app.dialect].events),
        enabled: int(input.enabled ?? true),
        description: input.description ?? '',
        failing_since: null,
        disabled_reason: null,
        basic_auth: input.basicAuth ? sealBasicAuth(vault, id, input.basicAuth) : null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (tx) => {
        if (!(await lockAppForEndpoints(tx, appId, dialect))) throw notFound('App');
        if ((await countWebhookEndpoints(tx, appId)) >= MAX_ENDPOINTS_PER_APP) {
          throw new ApiError('conflict', `An app may have at most ${MAX_ENDPOINTS_PER_APP} webhook endpoints; delete one first`, { limit: MAX_ENDPOINTS_PER_APP });
        }
        await insertWebhookEndpoint(tx, row);
      });
      return { ...endpointView(row, now), secret: row.secret };
    },

    async update(ownerId: string, appId: string, endpointId: string, patch: Partial<NewEndpointInput>): Promise<EndpointView> {
      const { app } = await ownedEndpoint(ownerId, appId, endpointId);
      if (patch.url !== undefined) checkUrl(patch.url);
      checkForDialect(app.dialect, patch);
      await updateWebhookEndpoint(db, endpointId, {
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: toJson(patch.events) } : {}),
        // Turning it on (or off) by hand starts afresh: no streak, no automatic reason.
        ...(patch.enabled !== undefined ? { enabled: int(patch.enabled), failing_since: null, disabled_reason: null } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.basicAuth !== undefined ? { basic_auth: patch.basicAuth ? sealBasicAuth(vault, endpointId, patch.basicAuth) : null } : {}),
        updated_at: clock.now(),
      });
      return endpointView((await ownedEndpoint(ownerId, appId, endpointId)).endpoint, clock.now());
    },

    /** Deletes the endpoint with its delivery log; its pending deliveries are not sent. */
    async remove(ownerId: string, appId: string, endpointId: string): Promise<void> {
      await ownedEndpoint(ownerId, appId, endpointId);
      if (!(await deleteWebhookEndpoint(db, endpointId))) throw notFound('Webhook endpoint');
    },

    /** A new secret at once; the old one keeps signing (as a second signature) for 24 h. */
    async rotateSecret(ownerId: string, appId: string, endpointId: string): Promise<EndpointView & { secret: string }> {
      const { endpoint } = await ownedEndpoint(ownerId, appId, endpointId);
      const now = clock.now();
      const secret = newSecret();
      await updateWebhookEndpoint(db, endpointId, { secret, previous_secret: endpoint.secret, previous_secret_until: now + PREVIOUS_SECRET_GRACE_MS, updated_at: now });
      return { ...endpointView((await ownedEndpoint(ownerId, appId, endpointId)).endpoint, now), secret };
    },

    async deliveries(ownerId: string, appId: string, endpointId: string, page: { limit: number; before?: string; status?: WebhookDeliveryRow['status'] }) {
      await ownedEndpoint(ownerId, appId, endpointId);
      const { rows, hasMore } = await pageOf(page.limit, (limit) => listWebhookDeliveries(db, endpointId, { ...page, limit }));
      return { results: rows.map(deliveryView), hasMore };
    },

    async delivery(ownerId: string, appId: string, endpointId: string, deliveryId: string) {
      const { delivery } = await ownedDelivery(ownerId, appId, endpointId, deliveryId);
      return { ...deliveryView(delivery), payload: fromJson<unknown>(delivery.payload, null), attempts: (await listWebhookAttempts(db, delivery.id)).map(attemptView) };
    },

    /** A new attempt chain for the same message (same webhook-id and bytes), due now. */
    async redeliver(ownerId: string, appId: string, endpointId: string, deliveryId: string): Promise<DeliveryView> {
      const { endpoint, delivery } = await ownedDelivery(ownerId, appId, endpointId, deliveryId);
      refuseDisabled(endpoint);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await updateWebhookDelivery(tx, delivery.id, { status: 'pending', next_attempt_at: now });
        await scheduleDeliveryAttempt(tx, ids, now, delivery.id, 0, now);
      });
      return deliveryView((await findWebhookDeliveryById(db, delivery.id))!);
    },

    /** A `webhook.test` event to this endpoint alone, whatever it subscribes to. */
    async test(ownerId: string, appId: string, endpointId: string): Promise<DeliveryView> {
      const { app, endpoint } = await ownedEndpoint(ownerId, appId, endpointId);
      refuseDisabled(endpoint);
      const now = clock.now();
      const messageId = newMessageId(ids);
      const payload = WEBHOOK_DIALECTS[app.dialect].testBody({ endpointId: endpoint.id, appId: app.id, extensionSlug: app.slug, messageId, now });
      const row = await db.transaction().execute((tx) => enqueueDelivery(tx, ids, now, { endpointId: endpoint.id, messageId, type: WEBHOOK_TEST_EVENT, payload }));
      return deliveryView(row);
    },

    jobHandlers: { [JOB_WEBHOOK_DELIVER]: deliver },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
