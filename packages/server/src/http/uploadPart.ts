import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FILE_UPLOAD_FIELD } from '@latch/protocol';
import { ApiError } from '../errors.js';

/**
 * The one file of a multipart upload (field "file"), handed to `handle`. A refused upload's rest
 * is not read: the connection is closed instead of drained.
 */
export async function withUploadedFile<T>(req: FastifyRequest, reply: FastifyReply, what: string, handle: (part: MultipartFile) => Promise<T>): Promise<T> {
  if (!req.isMultipart()) throw new ApiError('unsupported_media_type', `Send the ${what} as multipart/form-data in the field "${FILE_UPLOAD_FIELD}"`);
  try {
    let part: MultipartFile | undefined;
    try {
      part = await req.file();
    } catch (err) {
      throw (err as { statusCode?: number }).statusCode ? err : new ApiError('invalid_request', 'The multipart body is malformed');
    }
    if (!part) throw new ApiError('invalid_request', `The multipart body has no file; send it in the field "${FILE_UPLOAD_FIELD}"`);
    return await handle(part);
  } catch (err) {
    req.raw.unpipe();
    req.raw.pause();
    reply.header('connection', 'close');
    throw err;
  }
}
