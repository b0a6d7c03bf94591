import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ArchiveResult, CombinationPicture, CombinationReveal, DESERTION_RECOVERY_DAYS, FILE_CONTENT_TYPES, FILE_LIMITS, FILE_UPLOAD_FIELD, IsoDate, ObjectId, type ErrorCode } from '@latch/protocol';
import { ApiError } from '../../../errors.js';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { ONE_PICTURE, sendPrivatePicture, uploadRoutes, withUploadedPicture } from '../../uploadPart.js';
import type { App, RouteContext } from '../../types.js';
import { LockParams } from '../schemas.js';

const REVEAL_ERRORS: ErrorCode[] = ['not_found', 'forbidden', 'lock_not_unlocked', 'combination_withheld'];

const requester = (req: FastifyRequest) => ({ requestId: req.id, method: req.method, route: req.routeOptions.url ?? req.url });

/**
 * The combination safe (issue 14): the picture upload of the creation form, the wearer's reveal
 * once the lock is unlocked, archiving (a running lock archived is deserted) and the recovery of
 * a deserted lock's combination after the waiting period.
 */
export function combinationRoutes(app: App, ctx: Pick<RouteContext, 'combinations' | 'locks' | 'devices'>) {
  uploadRoutes(app, ONE_PICTURE, (child) => {
    child.post(
      '/api/combinations/pictures',
      route({
        access: LOGIN_WRITE,
        errors: ['invalid_request', 'payload_too_large', 'unsupported_media_type', 'quota_exceeded'],
        schema: {
          tags: ['locks'],
          summary: `Upload a combination picture for a lock about to be created (multipart/form-data, field "${FILE_UPLOAD_FIELD}")`,
          description: `${FILE_CONTENT_TYPES.join(', ')}, decided from the bytes; ≤ ${FILE_LIMITS.maxFileBytes} bytes. Sealed before it is stored; name its \`pictureId\` in \`POST /api/locks\` \`combination: {type:"picture", pictureId}\`. Nobody can read it back before that lock is unlocked.`,
          consumes: ['multipart/form-data'],
          response: { 201: CombinationPicture },
        },
      }),
      async (req, reply) => {
        const user = signedIn(req).user;
        const picture = await withUploadedPicture(req, reply, 'picture', (file) => ctx.combinations.uploadPicture(user, file));
        return reply.code(201).send(picture);
      },
    );
  });

  app.get(
    '/api/locks/:lockId/combination',
    route({
      access: LOGIN_READ,
      errors: REVEAL_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'The combination, to its wearer, once the lock is unlocked ("View the combination")',
        description:
          `The wearer only (the keyholder 403 \`forbidden\`, anyone else 404). While the lock runs: 409 \`lock_not_unlocked\`. A deserted lock withholds it (409 \`combination_withheld\`, \`details.recoverableAt\`) until it is recovered, ${DESERTION_RECOVERY_DAYS} days after the desertion. Archived locks still answer. Every reveal is recorded in the history and the audit trail. A picture comes as a same-origin URL that needs the session cookie.`,
        params: LockParams,
        response: { 200: CombinationReveal },
      },
    }),
    async (req, reply) => {
      const reveal = await ctx.combinations.reveal(signedIn(req).user, req.params.lockId, requester(req));
      reply.header('cache-control', 'no-store');
      return reveal;
    },
  );

  app.get(
    '/api/locks/:lockId/combination/picture',
    route({
      access: LOGIN_READ,
      errors: REVEAL_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'The bytes of the combination picture, under the same rule as the reveal',
        params: LockParams,
      },
    }),
    async (req, reply) => {
      return sendPrivatePicture(reply, await ctx.combinations.picture(signedIn(req).user, req.params.lockId));
    },
  );

  app.post(
    '/api/locks/:lockId/combination/recover',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'conflict', 'combination_withheld'],
      schema: {
        tags: ['locks'],
        summary: `Recover the combination of a deserted lock (the wearer, ${DESERTION_RECOVERY_DAYS} days after the desertion)`,
        description: 'Irreversible and recorded for good: the lock stays deserted. Before the waiting period is over, 409 `combination_withheld` with `details.recoverableAt`.',
        params: LockParams,
        response: {
          200: Type.Object({ lockId: ObjectId, recoveredAt: IsoDate }),
        },
      },
    }),
    async (req) => ctx.combinations.recover(signedIn(req).user, req.params.lockId, requester(req)),
  );

  app.post(
    '/api/locks/:lockId/archive',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'conflict', 'lock_ended'],
      schema: {
        tags: ['locks'],
        summary: 'Archive the lock (the wearer); a running lock archived is deserted',
        description: `An unlocked lock is archived and its combination stays viewable. A running lock is deserted: it ends now, whatever holds it, the keyholder is told, and its combination is withheld for ${DESERTION_RECOVERY_DAYS} days, then recoverable on purpose. Irreversible. Archiving twice is 409 \`conflict\`.`,
        params: LockParams,
        response: { 200: ArchiveResult },
      },
    }),
    async (req) => {
      const user = signedIn(req).user;
      const result = await ctx.combinations.archive(user, req.params.lockId);
      if (result.deserted) {
        // Nothing keeps running on a deserted lock, as after an unlock.
        const row = await ctx.locks.row(result.lockId);
        if (row) await ctx.devices.command(row, { role: 'wearer', userId: user.id }, 'all.stop', undefined).catch((err: unknown) => req.log.warn({ err }, 'stopping devices after desertion failed'));
      }
      return result;
    },
  );
}
