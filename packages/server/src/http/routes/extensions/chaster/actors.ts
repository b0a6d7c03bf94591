import { Type, type Static } from '@sinclair/typebox';
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

/** Chaster's NestJS answers these POSTs 201 with an empty body (not a JSON `null`). */
export function created(reply: FastifyReply) {
  return reply.code(201).send();
}

/**
 * The interactions with latch's built-ins that only Chaster's API has (actor system page):
 * hygiene opening, verification pictures, the pillory's votes.
 */
export function chasterActorRoutes(app: App, ctx: Pick<RouteContext, 'engine' | 'verificationPictures' | 'pilloryVotes'>) {
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
}
