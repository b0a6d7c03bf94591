import { Type } from '@sinclair/typebox';
import {
  ObjectId,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENTS,
  WebhookDeliveryDetail as DeliveryDetail,
  WebhookDeliveryView as DeliveryView,
  WebhookBasicAuth,
  WebhookEndpointView as EndpointView,
} from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import type { App, RouteContext } from '../../types.js';

const tags = ['developer console'];

const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e)),
  { description: WEBHOOK_EVENT_TYPES.map((e) => `\`${e}\`: ${WEBHOOK_EVENTS[e]}`).join('\n\n') },
);
const Fields = {
  url: Type.String({
    format: 'uri',
    maxLength: 2048,
    pattern: '^https?://',
    description: 'Where deliveries are POSTed. Outside the sandbox: https, and no loopback, private, link-local or other non-public address (checked again at every connection), unless the operator set WEBHOOK_ALLOW_PRIVATE_NETWORKS=1.',
  }),
  events: Type.Array(EventType, {
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
    description: 'The event types to send (default: all of the app’s dialect). A Chaster app’s endpoints take Chaster’s four: `extension_session.created|updated|deleted`, `action_log.created`',
  }),
  enabled: Type.Boolean({ description: 'A disabled endpoint receives nothing (default true)' }),
  description: Type.String({ maxLength: 500 }),
  basicAuth: Type.Union(
    [WebhookBasicAuth, Type.Null()],
    { description: 'Chaster apps: sent as `Authorization: Basic` with every attempt (stored encrypted, never shown again; see `hasBasicAuth`). null removes it.' },
  ),
};

const Status = DeliveryView.properties.status;
const WithSecret = Type.Intersect([
  EndpointView,
  Type.Object({ secret: Type.String({ description: 'The `whsec_…` signing secret: shown in this response only' }) }),
]);

const AppParams = Type.Object({ appId: ObjectId });
const EndpointParams = Type.Object({ appId: ObjectId, endpointId: ObjectId });
const DeliveryParams = Type.Object({ appId: ObjectId, endpointId: ObjectId, deliveryId: ObjectId });
const NoBody = Type.Object({}, { additionalProperties: false });

/** The developer console's webhooks (DECISIONS §10): endpoints per app, the delivery log, redelivery and test events. Only the app's owner. */
export function webhookRoutes(app: App, ctx: Pick<RouteContext, 'webhooks'>) {
  // Answers that hold a secret shown once are never stored for an Idempotency-Key replay.
  const noReplay = { idempotency: false };
  const base = '/api/developer/apps/:appId/webhooks';

  app.get(
    base,
    route({ access: LOGIN_READ, errors: ['not_found'], schema: { tags, summary: 'The webhook endpoints of my app', params: AppParams, response: { 200: Type.Object({ results: Type.Array(EndpointView) }) } } }),
    async (req) => ctx.webhooks.list(signedIn(req).user.id, req.params.appId),
  );

  app.post(
    base,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'conflict'],
      config: noReplay,
      schema: {
        tags,
        summary: 'Add a webhook endpoint (at most 10 per app)',
        description: 'Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `secret` of this response, which is not shown again (rotate it to get a new one).',
        params: AppParams,
        body: Type.Object(
          { url: Fields.url, events: Type.Optional(Fields.events), enabled: Type.Optional(Fields.enabled), description: Type.Optional(Fields.description), basicAuth: Type.Optional(Fields.basicAuth) },
          { additionalProperties: false },
        ),
        response: { 201: WithSecret },
      },
    }),
    async (req, reply) => reply.code(201).send(await ctx.webhooks.create(signedIn(req).user.id, req.params.appId, req.body)),
  );

  app.get(
    `${base}/:endpointId`,
    route({ access: LOGIN_READ, errors: ['not_found'], schema: { tags, summary: 'One webhook endpoint (never its secret)', params: EndpointParams, response: { 200: EndpointView } } }),
    async (req) => ctx.webhooks.get(signedIn(req).user.id, req.params.appId, req.params.endpointId),
  );

  app.patch(
    `${base}/:endpointId`,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      schema: {
        tags,
        summary: 'Change a webhook endpoint’s URL, events, description, Basic auth, or turn it on or off',
        params: EndpointParams,
        body: Type.Partial(Type.Object(Fields), { additionalProperties: false }),
        response: { 200: EndpointView },
      },
    }),
    async (req) => ctx.webhooks.update(signedIn(req).user.id, req.params.appId, req.params.endpointId, req.body),
  );

  app.delete(
    `${base}/:endpointId`,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery log (pending deliveries are not sent)',
        params: EndpointParams,
        response: { 204: Type.Null({ description: 'Deleted' }) },
      },
    }),
    async (req, reply) => {
      await ctx.webhooks.remove(signedIn(req).user.id, req.params.appId, req.params.endpointId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/:endpointId/rotate-secret`,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found'],
      config: noReplay,
      schema: {
        tags,
        summary: 'Replace the signing secret (shown in this response only)',
        description: 'For 24 hours deliveries carry two signatures, one per secret (space-separated in `webhook-signature`), so receivers can switch without losing messages.',
        params: EndpointParams,
        body: NoBody,
        response: { 200: WithSecret },
      },
    }),
    async (req) => ctx.webhooks.rotateSecret(signedIn(req).user.id, req.params.appId, req.params.endpointId),
  );

  app.post(
    `${base}/:endpointId/test`,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'conflict'],
      schema: {
        tags,
        summary: 'Send a `webhook.test` event to this endpoint',
        description: 'Queued like any delivery (the answer is the pending delivery; read it again for the outcome). 409 `conflict` when the endpoint is disabled.',
        params: EndpointParams,
        body: NoBody,
        response: { 202: DeliveryView },
      },
    }),
    async (req, reply) => reply.code(202).send(await ctx.webhooks.test(signedIn(req).user.id, req.params.appId, req.params.endpointId)),
  );

  app.get(
    `${base}/:endpointId/deliveries`,
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags,
        summary: 'The delivery log of an endpoint, newest first',
        params: EndpointParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            before: Type.Optional(ObjectId),
            status: Type.Optional(Status),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ results: Type.Array(DeliveryView), hasMore: Type.Boolean() }) },
      },
    }),
    async (req) =>
      ctx.webhooks.deliveries(signedIn(req).user.id, req.params.appId, req.params.endpointId, {
        limit: req.query.limit ?? 50,
        ...(req.query.before ? { before: req.query.before } : {}),
        ...(req.query.status ? { status: req.query.status } : {}),
      }),
  );

  app.get(
    `${base}/:endpointId/deliveries/:deliveryId`,
    route({ access: LOGIN_READ, errors: ['not_found'], schema: { tags, summary: 'One delivery: its payload and every attempt', params: DeliveryParams, response: { 200: DeliveryDetail } } }),
    async (req) => ctx.webhooks.delivery(signedIn(req).user.id, req.params.appId, req.params.endpointId, req.params.deliveryId),
  );

  app.post(
    `${base}/:endpointId/deliveries/:deliveryId/redeliver`,
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'conflict'],
      schema: {
        tags,
        summary: 'Send a delivery again: a new chain of attempts with the same `webhook-id` and body',
        description: '409 `conflict` when the endpoint is disabled.',
        params: DeliveryParams,
        body: NoBody,
        response: { 202: DeliveryView },
      },
    }),
    async (req, reply) => reply.code(202).send(await ctx.webhooks.redeliver(signedIn(req).user.id, req.params.appId, req.params.endpointId, req.params.deliveryId)),
  );
}
