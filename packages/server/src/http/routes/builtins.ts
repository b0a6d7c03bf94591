import { Type } from '@sinclair/typebox';
import { FILE_CONTENT_TYPES, FILE_LIMITS, FILE_UPLOAD_FIELD, LockHabitInput, LockPenalties, ObjectId, PilloryVotes, VerificationPicture } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { LOGIN_READ, LOGIN_WRITE, PUBLIC, route } from '../route.js';
import { ONE_PICTURE, sendPrivatePicture, uploadRoutes, withUploadedPicture } from '../uploadPart.js';
import type { App, RouteContext } from '../types.js';

const LockParams = Type.Object({ lockId: ObjectId });
const PictureParams = Type.Object({ lockId: ObjectId, pictureId: ObjectId });
const verificationTags = ['verification pictures'];
const pilloryTags = ['pillory'];
const penaltyTags = ['penalties'];

/**
 * The first-party side of the built-ins Chaster extensions drive (issue 13): verification
 * pictures on the lock page, votes on the pillory, penalties.
 */
export function builtinRoutes(app: App, ctx: Pick<RouteContext, 'verificationPictures' | 'pilloryVotes' | 'penalties'>) {
  app.get(
    '/api/locks/:lockId/verification-pictures',
    route({
      access: LOGIN_READ,
      errors: ['not_found', 'forbidden'],
      schema: { tags: verificationTags, summary: 'The lock’s verification requests and pictures, newest first (wearer and keyholder)', params: LockParams, response: { 200: Type.Object({ results: Type.Array(VerificationPicture) }) } },
    }),
    async (req) => ({ results: await ctx.verificationPictures.list(signedIn(req).user.id, req.params.lockId) }),
  );

  app.post(
    '/api/locks/:lockId/verification-pictures/request',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'lock_ended', 'verification_picture_not_enabled'],
      schema: { tags: verificationTags, summary: 'Ask the wearer for a verification picture: a fresh code to show on it', params: LockParams, response: { 201: VerificationPicture } },
    }),
    async (req, reply) => reply.code(201).send(await ctx.verificationPictures.requestAsUser(signedIn(req).user.id, req.params.lockId)),
  );

  uploadRoutes(app, ONE_PICTURE, (child) => {
    child.post(
      '/api/locks/:lockId/verification-pictures',
      route({
        access: LOGIN_WRITE,
        errors: ['not_found', 'forbidden', 'lock_ended', 'verification_picture_not_enabled', 'conflict', 'invalid_request', 'payload_too_large', 'unsupported_media_type'],
        schema: {
          tags: verificationTags,
          summary: `The wearer answers the oldest open request with a picture (multipart/form-data, field "${FILE_UPLOAD_FIELD}")`,
          description: `${FILE_CONTENT_TYPES.join(', ')}, decided from the bytes; ≤ ${FILE_LIMITS.maxFileBytes} bytes. 409 \`conflict\` when nothing was requested.`,
          consumes: ['multipart/form-data'],
          params: LockParams,
          response: { 201: VerificationPicture },
        },
      }),
      async (req, reply) => {
        const userId = signedIn(req).user.id;
        const picture = await withUploadedPicture(req, reply, 'picture', (file) => ctx.verificationPictures.submit(userId, req.params.lockId, file));
        return reply.code(201).send(picture);
      },
    );
  });

  app.get(
    '/api/locks/:lockId/verification-pictures/:pictureId/image',
    route({
      access: LOGIN_READ,
      errors: ['not_found', 'forbidden'],
      schema: { tags: verificationTags, summary: 'The bytes of one verification picture (wearer and keyholder)', params: PictureParams },
    }),
    async (req, reply) => sendPrivatePicture(reply, await ctx.verificationPictures.image(signedIn(req).user.id, req.params.lockId, req.params.pictureId)),
  );

  app.get(
    '/api/locks/:lockId/pillory/votes',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: { tags: pilloryTags, summary: 'The running pillory of the lock and its votes (empty when not in the pillory)', params: LockParams, response: { 200: Type.Object({ results: Type.Array(PilloryVotes) }) } },
    }),
    async (req) => ({ results: await ctx.pilloryVotes.ofLockForUser(signedIn(req).user.id, req.params.lockId) }),
  );

  app.get(
    '/api/pillory',
    route({
      access: PUBLIC,
      schema: { tags: pilloryTags, summary: 'Everyone in the pillory now, ending soonest first (no sign-in needed)', response: { 200: Type.Object({ results: Type.Array(PilloryVotes) }) } },
    }),
    async () => ({ results: await ctx.pilloryVotes.pilloried() }),
  );

  app.post(
    '/api/pillory/:pilloryId/votes',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'already_voted', 'pillory_not_active', 'lock_ended'],
      schema: {
        tags: pilloryTags,
        summary: 'Vote on a pillory: adds time to the lock, once per user and pillory',
        description: 'Signed-in users other than the lock’s wearer and keyholder. 409 `already_voted` for a second vote.',
        params: Type.Object({ pilloryId: ObjectId }),
        response: { 201: PilloryVotes },
      },
    }),
    async (req, reply) => reply.code(201).send(await ctx.pilloryVotes.vote(signedIn(req).user.id, req.params.pilloryId)),
  );

  app.get(
    '/api/locks/:lockId/penalties',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: penaltyTags,
        summary: 'The lock’s enabled habits and their periods (Chaster’s PenaltySessionForPublic; wearer and keyholder)',
        description: 'Periods: the running ones, then the latest 20 settled, newest first.',
        params: LockParams,
        response: { 200: LockPenalties },
      },
    }),
    async (req) => ctx.penalties.ofLockForUser(signedIn(req).user.id, req.params.lockId),
  );

  app.put(
    '/api/locks/:lockId/penalties',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'lock_ended', 'penalties_not_enabled', 'unknown_habit', 'invalid_params', 'invalid_request'],
      schema: {
        tags: penaltyTags,
        summary: 'Enable habits of the lock’s extensions, with their params and punishments (the whole list; the lock’s controller)',
        description:
          'Each habit: `recurringParams {nbActions, frequency}` (a recurring habit: periods of `frequency` seconds back to back from now) or `timeLimitParams {timeLimit}` (a time-limit habit: started by the extension), and 1–5 punishments (`add_time` seconds, `freeze`, `pillory {duration, reason?}`), applied when a period ends short. A habit left out stops (its running period is cancelled); one kept with new params takes them from its next period.',
        params: LockParams,
        body: Type.Object({ habits: Type.Array(LockHabitInput, { maxItems: 50 }) }, { additionalProperties: false }),
        response: { 200: LockPenalties },
      },
    }),
    async (req) => ctx.penalties.configure(signedIn(req).user.id, req.params.lockId, req.body.habits),
  );
}
