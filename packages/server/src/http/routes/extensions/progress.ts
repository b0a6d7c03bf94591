import { Type, type Static } from '@sinclair/typebox';
import { ObjectId, ProgressBody, UnlockRequirementStatus } from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { sessionCaller } from '../../credentials.js';
import { ChasterRegularActionBody } from '../../../dialects/chaster/requests.js';
import { byDialect, route, sessionRead, sessionWrite as write } from '../../route.js';
import { ChasterRegularActions } from './chaster/schemas.js';
import { SessionParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const read = sessionRead();

const RegularActionsView = Type.Object({
  mode: Type.Union([Type.Literal('unlimited'), Type.Literal('non_cumulative'), Type.Literal('cumulative')]),
  regularity: Type.Union([Type.Integer(), Type.Null()], { description: 'Seconds per window / per new action' }),
  regularitySeconds: Type.Union([Type.Integer(), Type.Null()]),
  maxActions: Type.Union([Type.Integer(), Type.Null()]),
  nbActionsRemaining: Type.Integer({ description: '-1 when unlimited' }),
  nextActionDate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  actions: Type.Array(Type.Object({ id: ObjectId, payload: Type.Unknown(), createdAt: Type.String({ format: 'date-time' }) })),
});

const Attempt = Type.Object({
  attemptId: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('failed'), Type.Literal('completed')]),
  startedAt: Type.String({ format: 'date-time' }),
  deadline: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  automatic: Type.Boolean(),
});
const AttemptBody = Type.Object({ metric: Type.String({ minLength: 1, maxLength: 64 }), attemptId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const FailAttemptBody = Type.Object(
  { ...AttemptBody.properties, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Shown in the lock history' })) },
  { additionalProperties: false },
);

/** Regular actions, attempt limits, trusted progress and required-progress windows (spec 001, DECISIONS §7). */
export function extensionProgressRoutes(app: App, ctx: Pick<RouteContext, 'regularActions' | 'attempts' | 'requirements' | 'sessions' | 'chaster'>) {
  app.get(
    '/api/extensions/sessions/:sessionId/regular-actions',
    route({
      access: sessionRead('read', { dialect: 'both' }),
      chaster: { response: { 200: ChasterRegularActions } },
      schema: { tags: ['extension sessions'], summary: 'Regular-action availability and recent actions (bridge: regularActions.get); a Chaster app gets chaster-js `GetRegularActionsRepDto`', params: SessionParams, response: { 200: RegularActionsView } },
    }),
    byDialect({
      chastify: async (req) => {
        const c = sessionCaller(req);
        return ctx.regularActions.get(c.session, c.app);
      },
      chaster: async (req) => {
        const c = sessionCaller(req);
        return ctx.chaster.regularActions(c.session, c.app);
      },
    }),
  );

  app.post(
    '/api/extensions/sessions/:sessionId/regular-actions',
    route({
      access: { ...write('regular_actions:write', 'action'), dialect: 'both' },
      errors: ['regular_action_unavailable', 'payload_too_large'],
      chaster: { body: ChasterRegularActionBody, response: { 201: ChasterRegularActions } },
      schema: {
        tags: ['extension sessions'],
        summary: 'Submit a trusted regular action',
        description:
          '422 `regular_action_unavailable` (with `details.nbActionsRemaining` and `details.nextActionDate`) when none is available. A Chaster app gets 201 with the GET object, and the 422 carries the docs’ message with `nbActionsRemaining`, `nextActionDate`, `regularity` and `mode` at top level.',
        params: SessionParams,
        body: Type.Object({ payload: Type.Optional(Type.Unknown({ description: '≤ 16 KiB of JSON' })) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            action: Type.Object({ id: ObjectId, payload: Type.Unknown(), createdAt: Type.String({ format: 'date-time' }) }),
            nbActionsRemaining: Type.Integer(),
            nextActionDate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          }),
        },
      },
    }),
    byDialect({
      chastify: async (req, reply) => {
        const c = sessionCaller(req);
        const out = await ctx.regularActions.submit(c.session.id, c.app, (req.body as { payload?: unknown }).payload ?? null);
        return reply.code(201).send(out);
      },
      chaster: async (req, reply) => {
        const c = sessionCaller(req);
        return reply.code(201).send(await ctx.chaster.submitRegularAction(c.session, c.app, (req.body as Static<typeof ChasterRegularActionBody>).payload));
      },
    }),
  );

  app.patch(
    '/api/extensions/sessions/:sessionId/regular-actions/config',
    route({
      access: write('regular_actions:write'),
      schema: {
        tags: ['extension sessions'],
        summary: 'Change the regular-action rule of this session',
        params: SessionParams,
        body: Type.Object(
          {
            mode: Type.Union([Type.Literal('unlimited'), Type.Literal('non_cumulative'), Type.Literal('cumulative')]),
            regularitySeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 86400 })),
            maxActions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RegularActionsView },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      if (req.body.mode !== 'unlimited' && req.body.regularitySeconds === undefined) throw new ApiError('invalid_request', 'regularitySeconds is required for this mode', [{ in: 'body', path: '/regularitySeconds', message: 'required' }]);
      return ctx.regularActions.configure(c.session.id, c.app, req.body);
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/attempts/start',
    route({
      access: write('requirements:write', 'action'),
      errors: ['unknown_metric', 'attempt_active'],
      schema: {
        tags: ['extension sessions'],
        summary: 'Start a timed attempt (the same attemptId again is idempotent)',
        params: SessionParams,
        body: AttemptBody,
        response: {
          200: Type.Object({ created: Type.Boolean(), attempt: Attempt }),
          201: Type.Object({ created: Type.Boolean(), attempt: Attempt }),
        },
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      const out = await ctx.attempts.start(c.session, c.app, req.body);
      return reply.code(out.created ? 201 : 200).send(out);
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/attempts/fail-expired',
    route({
      access: write('requirements:write', 'action'),
      errors: ['unknown_metric', 'attempt_not_found'],
      schema: {
        tags: ['extension sessions'],
        summary: 'Fail the attempt if its deadline has passed',
        description: '`{failed: true}` past the deadline, else `{failed: false, remainingSeconds}`.',
        params: SessionParams,
        body: AttemptBody,
        response: {
          200: Type.Object({ failed: Type.Boolean(), remainingSeconds: Type.Optional(Type.Integer()), attempt: Attempt }),
        },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      return ctx.attempts.failExpired(c.session, c.app, req.body);
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/attempts/fail',
    route({
      access: write('requirements:write', 'action'),
      errors: ['unknown_metric', 'attempt_not_found'],
      schema: {
        tags: ['extension sessions'],
        summary: 'Fail the running attempt now: your backend verified a loss (latch)',
        description:
          'Not in the Chastify API (spec 001 has start and fail-expired). Ends the attempt as failed at once, with a history entry carrying `reason`; the same attemptId again answers the same; a completed attempt is 409 `conflict`. With `startPolicy: availability` the next attempt starts when an action is available.',
        params: SessionParams,
        body: FailAttemptBody,
        response: {
          200: Type.Object({ failed: Type.Literal(true), attempt: Attempt }),
        },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      return ctx.attempts.fail(c.session, c.app, req.body);
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/requirements/progress',
    route({
      access: write('requirements:write', 'action'),
      errors: ['unknown_metric', 'window_closed'],
      schema: {
        tags: ['extension sessions'],
        summary: 'Record trusted progress for a metric',
        params: SessionParams,
        body: ProgressBody,
        response: {
          201: Type.Object({
            metric: Type.String(),
            amount: Type.Integer(),
            occurredAt: Type.String({ format: 'date-time' }),
            total: Type.Integer(),
            unlockRequirement: Type.Union([UnlockRequirementStatus, Type.Null()]),
            window: Type.Union([
              Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }), count: Type.Integer(), requiredCount: Type.Integer(), satisfied: Type.Boolean() }),
              Type.Null(),
            ]),
          }),
        },
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      return reply.code(201).send(await ctx.sessions.recordProgress(c.session, c.app, req.body));
    },
  );

  app.get(
    '/api/extensions/sessions/:sessionId/requirements',
    route({
      access: read,
      schema: {
        tags: ['extension sessions'],
        summary: 'Required-progress rule, the current window and evaluated windows',
        params: SessionParams,
        response: { 200: Type.Union([Type.Null(), Type.Record(Type.String(), Type.Unknown())]) },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      return ctx.requirements.windows(c.session, c.app);
    },
  );
}
