import multipart, { type FastifyMultipartOptions, type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FILE_LIMITS, FILE_UPLOAD_FIELD, type ErrorCode } from '@latch/protocol';
import { ApiError } from '../errors.js';
import type { App } from './types.js';

/** Multipart limits for a route taking one picture (§11): one file, a few small fields. */
export const ONE_PICTURE: FastifyMultipartOptions = { limits: { fileSize: FILE_LIMITS.maxFileBytes + 1024, files: 1, fields: 5, fieldSize: 1024, parts: 10, headerPairs: 100 } };

/**
 * Declares the routes that take an upload: multipart is parsed for them only, so everywhere else
 * a multipart body stays a 415.
 */
export function uploadRoutes(app: App, limits: FastifyMultipartOptions, declare: (scoped: App) => void): void {
  app.register(async (scoped) => {
    await scoped.register(multipart, limits);
    declare(scoped as unknown as App);
  });
}

/**
 * The one file of a multipart upload (field "file"), handed to `handle`. A refused upload's rest
 * is not read: the connection is closed instead of drained. `missing`: the code when no file
 * came (default `invalid_request`).
 */
export async function withUploadedFile<T>(req: FastifyRequest, reply: FastifyReply, what: string, handle: (part: MultipartFile) => Promise<T>, missing: ErrorCode = 'invalid_request'): Promise<T> {
  if (!req.isMultipart()) throw new ApiError('unsupported_media_type', `Send the ${what} as multipart/form-data in the field "${FILE_UPLOAD_FIELD}"`);
  try {
    let part: MultipartFile | undefined;
    try {
      part = await req.file();
    } catch (err) {
      throw (err as { statusCode?: number }).statusCode ? err : new ApiError('invalid_request', 'The multipart body is malformed');
    }
    if (!part) throw new ApiError(missing, `The multipart body has no file; send the ${what} in the field "${FILE_UPLOAD_FIELD}"`);
    return await handle(part);
  } catch (err) {
    req.raw.unpipe();
    req.raw.pause();
    reply.header('connection', 'close');
    throw err;
  }
}

/** The picture of a first-party upload, which must come in the field "file"; `missing` as for `withUploadedFile`. */
export function withUploadedPicture<T>(req: FastifyRequest, reply: FastifyReply, what: string, handle: (file: NodeJS.ReadableStream) => Promise<T>, missing: ErrorCode = 'invalid_request'): Promise<T> {
  return withUploadedFile(
    req,
    reply,
    what,
    async (part) => {
      if (part.fieldname !== FILE_UPLOAD_FIELD) throw new ApiError('invalid_request', `Send the ${what} in the multipart field "${FILE_UPLOAD_FIELD}" (got "${part.fieldname}")`);
      return handle(part.file);
    },
    missing,
  );
}

/** Sends a private picture's bytes: never cached, never sniffed into something else, never run. */
export function sendPrivatePicture(reply: FastifyReply, picture: { bytes: Buffer; contentType: string }): FastifyReply {
  reply.headers({
    'content-type': picture.contentType,
    'content-length': String(picture.bytes.length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'referrer-policy': 'no-referrer',
  });
  return reply.code(200).send(picture.bytes);
}
