import { Type } from '@sinclair/typebox';
import { ChasterActorBody, parseActor } from '../../../../dialects/chaster/index.js';
import { sessionCaller } from '../../../credentials.js';
import { route, type Access } from '../../../route.js';
import { ENGINE_ERRORS, SessionParams } from '../../schemas.js';
import type { App, RouteContext } from '../../../types.js';

/** A Chaster backend acting on one of its sessions with its developer token alone. */
const chasterWrite: Access = { surface: 'extension', mutation: true, bucket: 'action', sessionBound: true, appKeyAlone: true, scope: 'locks:write', dialect: 'chaster' };
const tags = ['extension sessions (Chaster)'];
const Created = { 201: Type.Null({ description: 'No body' }) };

/**
 * The interactions with latch's built-ins that only Chaster's API has (actor system page):
 * hygiene opening, verification pictures, the pillory's votes.
 */
export function chasterActorRoutes(app: App, ctx: Pick<RouteContext, 'engine'>) {
  app.post(
    '/api/extensions/sessions/:sessionId/temporary-opening/open',
    route({
      access: chasterWrite,
      errors: ENGINE_ERRORS,
      schema: {
        tags,
        summary: 'Hygiene opening: open the lock for the lock’s configured time, as the actor',
        description: '`hygienic_opening_not_enabled` (422) when the lock has no hygiene opening; `actor: keyholder` on a lock without one is 400.',
        params: SessionParams,
        body: ChasterActorBody,
        response: Created,
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      const { actor, launchRole } = parseActor(req.body, c.lock, c.app.slug);
      await ctx.engine.action(c.lock.id, actor, { kind: 'extension', launchRole }, 'hygienic_unlock.start', {});
      return reply.code(201).send();
    },
  );
}
