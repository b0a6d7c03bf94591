import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { IsoDate, Nullable, ObjectId } from '@latch/protocol';
import type { ErrorCode } from '@latch/protocol';
import { ChasterActorBody, chasterPilloryStatus, parseActor } from '../../../../dialects/chaster/index.js';
import { sessionCaller } from '../../../credentials.js';
import { route, type Access } from '../../../route.js';
import { ENGINE_ERRORS, SessionParams } from '../../schemas.js';
import type { App, RouteContext } from '../../../types.js';

/** A Chaster backend acting on one of its sessions with its developer token alone. */
const chasterWrite: Access = { surface: 'extension', mutation: true, bucket: 'action', sessionBound: true, appKeyAlone: true, scope: 'locks:write', dialect: 'chaster' };
/** … reading one of its sessions. */
const chasterSessionRead: Access = { surface: 'extension', mutation: false, bucket: 'read', sessionBound: true, appKeyAlone: true, dialect: 'chaster' };
const tags = ['extension sessions (Chaster)'];
type ParsedActor = ReturnType<typeof parseActor>;
type ChasterActorName = Static<typeof ChasterActorBody>['actor'];
const Created = { 201: Type.Null({ description: 'No body' }) };
const HabitName = Type.String({ minLength: 1, maxLength: 64, description: 'As declared in the developer console' });

/** Chaster's NestJS answers these POSTs 201 with an empty body (not a JSON `null`). */
export function created(reply: FastifyReply) {
  return reply.code(201).send();
}

/**
 * The interactions with latch's built-ins that only Chaster's API has (actor system page):
 * hygiene opening, verification pictures, the pillory's votes, penalties.
 */
export function chasterActorRoutes(app: App, ctx: Pick<RouteContext, 'engine' | 'verificationPictures' | 'pilloryVotes' | 'penalties'>) {
  /** `POST …/<path> {actor}` → 201 with no body: `act` does the interaction as the parsed actor. */
  function actorRoute(path: string, doc: { summary: string; description: string; errors: ErrorCode[] }, act: (c: ReturnType<typeof sessionCaller>, who: ParsedActor, named: ChasterActorName) => Promise<unknown>) {
    app.post(
      `/api/extensions/sessions/:sessionId/${path}`,
      route({
        access: chasterWrite,
        errors: doc.errors,
        schema: { tags, summary: doc.summary, description: doc.description, params: SessionParams, body: ChasterActorBody, response: Created },
      }),
      async (req, reply) => {
        const c = sessionCaller(req);
        await act(c, parseActor(req.body, c.lock, c.app.slug), req.body.actor);
        return created(reply);
      },
    );
  }

  actorRoute(
    'temporary-opening/open',
    {
      summary: 'Hygiene opening: open the lock for the lock’s configured time, as the actor',
      description: '`hygienic_opening_not_enabled` (422) when the lock has no hygiene opening; `actor: keyholder` on a lock without one is 400.',
      errors: ENGINE_ERRORS,
    },
    (c, { actor, launchRole }) => ctx.engine.action(c.lock.id, actor, { kind: 'extension', launchRole }, 'hygienic_unlock.start', {}),
  );

  actorRoute(
    'verification-picture/request',
    {
      summary: 'Ask the wearer for a verification picture (with a fresh code), as the actor',
      description: '`verification_picture_not_enabled` (422) when the lock does not take verification pictures; `actor: keyholder` on a lock without one is 400. The wearer uploads the picture on the lock page.',
      errors: ['invalid_params', 'lock_ended', 'verification_picture_not_enabled', 'role_not_allowed'],
    },
    (c, { actor, launchRole }, named) => ctx.verificationPictures.request(c.lock, { ...actor, role: named }, { kind: 'extension', launchRole }),
  );

  app.get(
    '/api/extensions/sessions/:sessionId/pillory/status',
    route({
      access: chasterSessionRead,
      errors: ['pillory_not_enabled'],
      schema: {
        tags,
        summary: 'The running pillory’s votes (empty when the wearer is not in the pillory)',
        params: SessionParams,
        response: {
          200: Type.Object({
            votes: Type.Array(
              Type.Object({ _id: ObjectId, nbVotes: Type.Integer(), totalDurationAdded: Type.Integer({ description: 'Seconds' }), voteEndsAt: IsoDate, reason: Nullable(Type.String()), createdAt: IsoDate }),
            ),
          }),
        },
      },
    }),
    async (req) => chasterPilloryStatus(await ctx.pilloryVotes.ofLock(sessionCaller(req).lock)),
  );

  /** `POST …/penalties/<path> {habitName, …}` → 201 with no body (penalties page). */
  function penaltyRoute<B extends TSchema>(path: string, doc: { summary: string; description: string; errors: ErrorCode[] }, body: B, act: (c: ReturnType<typeof sessionCaller>, body: Static<B>) => Promise<void>) {
    app.post(
      `/api/extensions/sessions/:sessionId/penalties/${path}`,
      route({ access: chasterWrite, errors: doc.errors, schema: { tags, summary: doc.summary, description: doc.description, params: SessionParams, body, response: Created } }),
      async (req, reply) => {
        await act(sessionCaller(req), req.body as Static<B>);
        return created(reply);
      },
    );
  }
  const PENALTY_ERRORS: ErrorCode[] = ['lock_ended', 'penalties_not_enabled', 'unknown_habit', 'habit_not_enabled'];
  const HABITS = '`unknown_habit` (400) for a name your app does not declare (developer console), `habit_not_enabled` (422) when the lock’s controller has not enabled it, `penalties_not_enabled` (422) when the lock has no penalties.';

  penaltyRoute(
    'increment',
    {
      summary: 'Count actions of a habit into its running period',
      description: `A time limit’s period is validated at once. 409 \`conflict\` when no period is running (a time limit not created, or already settled). ${HABITS}`,
      errors: [...PENALTY_ERRORS, 'conflict'],
    },
    Type.Object({ habitName: HabitName, count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })) }),
    (c, b) => ctx.penalties.increment(c.lock, c.app, b.habitName, b.count ?? 1),
  );

  penaltyRoute(
    'time-limit/create',
    {
      summary: 'Start a time limit for a time-limit habit: one action before it ends, or its punishments apply',
      description: `One running time limit per habit: a second is 409 \`conflict\`. A recurring habit is 400 \`invalid_params\`. ${HABITS}`,
      errors: [...PENALTY_ERRORS, 'conflict', 'invalid_params'],
    },
    Type.Object({ habitName: HabitName }),
    (c, b) => ctx.penalties.createTimeLimit(c.lock, c.app, b.habitName),
  );

  penaltyRoute(
    'time-limit/cancel',
    {
      summary: 'Cancel the running time limit of a habit (no punishment)',
      description: `Nothing running: 201 all the same (nothing to cancel). A recurring habit is 400 \`invalid_params\`. ${HABITS}`,
      errors: [...PENALTY_ERRORS, 'invalid_params'],
    },
    Type.Object({ habitName: HabitName }),
    (c, b) => ctx.penalties.cancelTimeLimit(c.lock, c.app, b.habitName),
  );
}
