import { Type } from '@sinclair/typebox';
import { ALL_SCOPES, CHASTER_WEBHOOK_EVENT_TYPES, ClockView, Habit, HttpUrl, LockHabitInput, ObjectId, SandboxWorld as World, WebhookBasicAuth } from '@latch/protocol';
import { isAdvanceable } from '../../clock.js';
import { ApiError } from '../../errors.js';
import { registerInspector } from '../inspector.js';
import { route, PUBLIC } from '../route.js';
import type { App, RouteContext } from '../types.js';

const ConfigObject = Type.Record(Type.String(), Type.Unknown());
const Url = HttpUrl;

const FixtureBody = Type.Object(
  {
    extension: Type.Optional(
      Type.Object(
        {
          dialect: Type.Optional(Type.Union([Type.Literal('chastify'), Type.Literal('chaster')], { description: 'chaster: the app speaks Chaster’s wire (DECISIONS §14); default chastify' })),
          slug: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
          iframeUrl: Type.Optional(Url),
          setupUrl: Type.Optional(Url),
          allowedOrigins: Type.Optional(Type.Array(Url, { maxItems: 20 })),
          scopes: Type.Optional(Type.Array(Type.Union(ALL_SCOPES.map((s) => Type.Literal(s))), { maxItems: ALL_SCOPES.length })),
          config: Type.Optional(ConfigObject),
          initialMetadata: Type.Optional(ConfigObject),
          regularActions: Type.Optional(ConfigObject),
          extensionRequirements: Type.Optional(Type.Unknown()),
          attemptLimit: Type.Optional(ConfigObject),
          habits: Type.Optional(Type.Array(Habit, { maxItems: 50, description: 'Penalties: habits the app declares (names unique)' })),
          webhooks: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  url: Url,
                  events: Type.Optional(Type.Array(Type.Union(CHASTER_WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e))), { minItems: 1, maxItems: CHASTER_WEBHOOK_EVENT_TYPES.length, uniqueItems: true })),
                  basicAuth: Type.Optional(WebhookBasicAuth),
                },
                { additionalProperties: false },
              ),
              { maxItems: 10, description: 'Chaster apps: webhook endpoints (DECISIONS §14 Sandbox), created before the lock; loopback URLs work in the sandbox' },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    lock: Type.Optional(
      Type.Object(
        {
          keyholder: Type.Optional(Type.Boolean({ default: true, description: 'false: a self-lock' })),
          title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
          durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 86400 })),
          maxDurationSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 * 365 * 86400, description: 'Limit lock time: start + this (none by default)' })),
          hiddenTimer: Type.Optional(Type.Boolean()),
          tasks: Type.Optional(Type.Boolean()),
          hygienicOpening: Type.Optional(Type.Boolean()),
          pillory: Type.Optional(Type.Boolean()),
          verificationPicture: Type.Optional(Type.Boolean({ default: false, description: 'The lock takes verification pictures (DECISIONS §14 Sandbox)' })),
          penalties: Type.Optional(Type.Boolean({ description: 'The lock tracks habits (penalties; DECISIONS §14 Sandbox); default: true when `habits` are given, else false' })),
          habits: Type.Optional(
            Type.Array(Type.Omit(LockHabitInput, ['extensionSlug']), { maxItems: 50, description: 'Habits of the fixture app enabled on the lock by its controller, as `PUT /api/locks/{lockId}/penalties` takes them' }),
          ),
          virtualDevice: Type.Optional(Type.Boolean()),
          combination: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The lock’s combination code (default: 6 random digits); never in the answer' })),
          background: Type.Optional(
            Type.Boolean({ description: 'The lock’s controller grants the app background access (`sessions:background`): its app key alone may call the session’s routes. Needs the scope (the default scopes include it)' }),
          ),
          trustKeyholder: Type.Optional(Type.Boolean({ description: 'The wearer trusts the keyholder with the extensions (default: only with `background`, which the keyholder grants)' })),
          keyholderAccepts: Type.Optional(Type.Boolean({ default: true, description: 'false: the keyholder invitation stays pending' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The sandbox (DECISIONS §13): registered only with LATCH_DEV=1, so these paths 404 otherwise. */
export function devRoutes(app: App, ctx: Pick<RouteContext, 'clock' | 'fixtures' | 'scheduler' | 'sandboxClock'>) {
  const inspector = registerInspector(app);
  app.get(
    '/api/dev/inspector',
    route({
      access: PUBLIC,
      schema: {
        tags: ['sandbox'],
        summary: 'Recent API calls (newest first), by request id',
        querystring: Type.Object({ requestId: Type.Optional(Type.String({ maxLength: 80 })), appId: Type.Optional(ObjectId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
      },
    }),
    async (req) => ({ results: inspector.recent(req.query) as unknown as Array<Record<string, unknown>> }),
  );

  const clockView = () => ({ now: new Date(ctx.clock.now()).toISOString(), nowMs: ctx.clock.now(), advanceable: isAdvanceable(ctx.clock) });

  app.post(
    '/api/dev/fixtures',
    route({
      access: PUBLIC,
      errors: ['conflict'],
      config: { idempotency: false },
      schema: {
        tags: ['sandbox'],
        summary: 'Build a fresh world (users, app, lock, session) and return every credential',
        body: FixtureBody,
        response: { 201: World },
      },
    }),
    async (req, reply) => reply.code(201).send(await ctx.fixtures.create(req.body)),
  );

  app.get('/api/dev/clock', route({ access: PUBLIC, schema: { tags: ['sandbox'], summary: 'The virtual clock', response: { 200: ClockView } } }), async () => clockView());

  app.post(
    '/api/dev/clock/advance',
    route({
      access: PUBLIC,
      errors: ['conflict'],
      schema: {
        tags: ['sandbox'],
        summary: 'Move the virtual clock forward',
        description: 'Every job that falls due runs, in time order, before this answers.',
        body: Type.Object({ seconds: Type.Integer({ minimum: 0, maximum: 366 * 86400 }) }, { additionalProperties: false }),
        response: { 200: ClockView },
      },
    }),
    async (req) => {
      if (!isAdvanceable(ctx.clock)) throw new ApiError('conflict', 'This server runs on the real clock');
      // Kept in the database first: a restart continues from here (issue 15).
      await ctx.sandboxClock.save(req.body.seconds * 1000);
      const jobsRun = await ctx.scheduler.advance(ctx.clock, req.body.seconds * 1000);
      await ctx.sandboxClock.save();
      return { ...clockView(), jobsRun };
    },
  );
}
