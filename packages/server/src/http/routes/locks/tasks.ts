import { Type } from '@sinclair/typebox';
import { FILE_CONTENT_TYPES, FILE_LIMITS, FILE_UPLOAD_FIELD, ObjectId } from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { ONE_PICTURE, sendPrivatePicture, uploadRoutes, withUploadedPicture } from '../../uploadPart.js';
import { LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

/** The wearer's verification picture of a task (issue 14): sent to mark it done, seen by the lock's participants. */
export function taskVerificationRoutes(app: App, ctx: Pick<RouteContext, 'taskVerification'>) {
  uploadRoutes(app, ONE_PICTURE, (child) => {
    child.post(
      '/api/locks/:lockId/task/verification',
      route({
        access: LOGIN_WRITE,
        errors: ['invalid_request', 'verification_picture_required', 'payload_too_large', 'unsupported_media_type', 'not_found', 'forbidden', 'lock_ended', 'tasks_not_enabled', 'no_active_task', 'task_timer_not_finished', 'conflict'],
        schema: {
          tags: ['locks'],
          summary: `The wearer marks the open task done with its verification picture (multipart/form-data, field "${FILE_UPLOAD_FIELD}")`,
          description: `${FILE_CONTENT_TYPES.join(', ')}, decided from the bytes; ≤ ${FILE_LIMITS.maxFileBytes} bytes. No file: 400 \`verification_picture_required\`. The wearer only (the keyholder 403). The picture is kept with the task and shown in the history (\`payload.verificationPicture\`) to the wearer and keyholder.`,
          consumes: ['multipart/form-data'],
          params: LockParams,
          response: {
            200: Type.Object({ taskId: ObjectId, successful: Type.Literal(true), pointsAwarded: Type.Integer(), taskPoints: Type.Integer(), verificationPicture: Type.String({ description: 'Where the wearer and keyholder read it' }) }),
          },
        },
      }),
      async (req, reply) => {
        const user = signedIn(req).user;
        const done = await withUploadedPicture(req, reply, 'verification picture', (file) => ctx.taskVerification.complete(user, req.params.lockId, file), 'verification_picture_required');
        return done.detail as { taskId: string; successful: true; pointsAwarded: number; taskPoints: number; verificationPicture: string };
      },
    );
  });

  app.get(
    '/api/locks/:lockId/tasks/:taskId/verification-picture',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'A task’s verification picture, to the lock’s wearer and keyholder',
        params: Type.Object({ lockId: ObjectId, taskId: ObjectId }),
      },
    }),
    async (req, reply) => sendPrivatePicture(reply, await ctx.taskVerification.picture(signedIn(req).user, req.params.lockId, req.params.taskId)),
  );
}
