import { Type } from '@sinclair/typebox';
import { ALL_SCOPES, HttpUrl, ObjectId } from '@latch/protocol';
import { isAdvanceable } from '../../clock.js';
import { saveSandboxClock } from '../../services/sandboxClock.js';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../openapi.js';
import { registerInspector } from '../inspector.js';
import type { App, RouteContext } from '../types.js';

const Account = Type.Object({ id: ObjectId, username: Type.String(), password: Type.String(), userKey: Type.String({ description: 'User-wide developer key (lk_usr_…)' }) });
const ConfigObject = Type.Record(Type.String(), Type.Unknown());
const Url = HttpUrl;

const FixtureBody = Type.Object(
  {
    extension: Type.Optional(
      Type.Object(
        {
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
          hiddenTimer: Type.Optional(Type.Boolean()),
          tasks: Type.Optional(Type.Boolean()),
          hygienicOpening: Type.Optional(Type.Boolean()),
          pillory: Type.Optional(Type.Boolean()),
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

const World = Type.Object({
  baseUrl: Type.String(),
  wearer: Account,
  keyholder: Type.Union([Account, Type.Null()]),
  developer: Account,
  app: Type.Object({ id: ObjectId, slug: Type.String(), appKey: Type.String({ description: 'App-scoped developer key (lk_app_…)' }) }),
  lock: Type.Object({ id: ObjectId }),
  session: Type.Object({ id: ObjectId }),
  mainTokens: Type.Object({ wearer: Type.String(), keyholder: Type.Union([Type.String(), Type.Null()]) }),
});

const ClockView = Type.Object({
  now: Type.String({ format: 'date-time' }),
  nowMs: Type.Integer(),
  advanceable: Type.Boolean(),
  jobsRun: Type.Optional(
    Type.Array(Type.Object({ id: ObjectId, kind: Type.String(), key: Type.String(), runAt: Type.String({ format: 'date-time' }), outcome: Type.String(), result: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "What the job reported, e.g. the retention sweep's rows removed per table" })) }), {
      description: 'The jobs that fell due and ran, in time order',
    }),
  ),
});

/** The sandbox (DECISIONS §13): registered only with LATCH_DEV=1, so these paths 404 otherwise. */
export function devRoutes(app: App, ctx: RouteContext) {
  const inspector = registerInspector(app);
  app.get(
    '/api/dev/inspector',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Recent API calls (newest first), by request id',
        querystring: Type.Object({ requestId: Type.Optional(Type.String({ maxLength: 80 })), appId: Type.Optional(ObjectId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
      },
    },
    async (req) => ({ results: inspector.recent(req.query) as unknown as Array<Record<string, unknown>> }),
  );

  const clockView = () => ({ now: new Date(ctx.clock.now()).toISOString(), nowMs: ctx.clock.now(), advanceable: isAdvanceable(ctx.clock) });

  app.post(
    '/api/dev/fixtures',
    {
      config: { idempotency: false },
      schema: {
        tags: ['sandbox'],
        summary: 'Build a fresh world (users, app, lock, session) and return every credential',
        body: FixtureBody,
        response: { 201: World, ...errorResponses(['conflict']) },
      },
    },
    async (req, reply) => reply.code(201).send(await ctx.fixtures.create(req.body)),
  );

  app.get('/api/dev/clock', { schema: { tags: ['sandbox'], summary: 'The virtual clock', response: { 200: ClockView } } }, async () => clockView());

  app.post(
    '/api/dev/clock/advance',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Move the virtual clock forward',
        description: 'Every job that falls due runs, in time order, before this answers.',
        body: Type.Object({ seconds: Type.Integer({ minimum: 0, maximum: 366 * 86400 }) }, { additionalProperties: false }),
        response: { 200: ClockView, ...errorResponses(['conflict']) },
      },
    },
    async (req) => {
      if (!isAdvanceable(ctx.clock)) throw new ApiError('conflict', 'This server runs on the real clock');
      // Kept in the database first: a restart continues from here (issue 15).
      await saveSandboxClock(ctx.db, ctx.clock, req.body.seconds * 1000);
      const jobsRun = await ctx.scheduler.advance(ctx.clock, req.body.seconds * 1000);
      await saveSandboxClock(ctx.db, ctx.clock);
      return { ...clockView(), jobsRun };
    },
  );
}
