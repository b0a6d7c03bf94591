import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ExtensionFile, FILE_CONTENT_TYPES, FILE_LIMITS, FILE_UPLOAD_FIELD, FileCapabilities, FileList, ObjectId, type ErrorCode } from '@latch/protocol';
import { requestedScopes } from '../../../services/extensionApps.js';
import { credentialMayMutate, sessionCaller } from '../../credentials.js';
import type { RateBucket } from '../../../ratelimit.js';
import { PUBLIC, route, sessionRead, sessionWrite } from '../../route.js';
import { uploadRoutes, withUploadedFile } from '../../uploadPart.js';
import { SessionParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const FileParams = Type.Object({ sessionId: ObjectId, fileId: ObjectId });
const read = sessionRead();
const write = (bucket: RateBucket) => sessionWrite('files:write', bucket);

const ACCEPTED = FILE_CONTENT_TYPES.join(', ');
// The service enforces the caps byte by byte; these are busboy's own backstops.
const UPLOAD_LIMITS = { limits: { fileSize: FILE_LIMITS.maxFileBytes + 1024 * 1024, files: 1, fields: 10, fieldSize: 1024, parts: 20, headerPairs: 100 } };

/**
 * Extension files (spec 000 `files.*`, DECISIONS §11): browser-safe reads like state, backend
 * uploads (multipart, streamed) and deletes, and the signed URLs that serve the bytes.
 */
export function fileRoutes(app: App, ctx: Pick<RouteContext, 'files'>) {
  app.get(
    '/api/extensions/sessions/:sessionId/files/capabilities',
    route({
      access: read,
      schema: {
        tags: ['extension sessions'],
        summary: 'What files this session accepts, and what it holds (bridge: files.capabilities)',
        params: SessionParams,
        response: { 200: FileCapabilities },
      },
    }),
    async (req) => {
      const c = sessionCaller(req);
      const canUpload = credentialMayMutate(c) && requestedScopes(c.app).includes('files:write');
      return ctx.files.capabilities(c.session, canUpload);
    },
  );

  app.get(
    '/api/extensions/sessions/:sessionId/files',
    route({
      access: read,
      schema: {
        tags: ['extension sessions'],
        summary: 'The session’s files, oldest first, each with a fresh signed URL (bridge: files.list)',
        params: SessionParams,
        response: { 200: FileList },
      },
    }),
    async (req) => ctx.files.list(sessionCaller(req).session),
  );

  app.get(
    '/api/extensions/sessions/:sessionId/files/:fileId',
    route({
      access: read,
      schema: {
        tags: ['extension sessions'],
        summary: 'One file with a fresh signed URL (bridge: files.get {fileId})',
        description: `Signed URLs expire after ${FILE_LIMITS.urlTtlSeconds} s: keep the file id (e.g. in state) and ask again for a fresh URL.`,
        params: FileParams,
        response: { 200: ExtensionFile },
      },
    }),
    async (req) => ctx.files.get(sessionCaller(req).session, req.params.fileId),
  );

  app.delete(
    '/api/extensions/sessions/:sessionId/files/:fileId',
    route({
      access: write('write'),
      schema: {
        tags: ['extension sessions'],
        summary: 'Delete a file: its row and its bytes',
        params: FileParams,
        response: { 200: Type.Object({ ok: Type.Literal(true), fileId: ObjectId, deleted: Type.Literal(true) }) },
      },
    }),
    async (req) => ctx.files.remove(sessionCaller(req).session, req.params.fileId),
  );

  uploadRoutes(app, UPLOAD_LIMITS, (child) => {
    child.post(
      '/api/extensions/sessions/:sessionId/files',
      route({
        access: write('upload'),
        errors: ['payload_too_large', 'unsupported_media_type', 'quota_exceeded'],
        schema: {
          tags: ['extension sessions'],
          summary: `Upload an image (multipart/form-data, field "${FILE_UPLOAD_FIELD}")`,
          description:
            `${ACCEPTED}, decided from the bytes (a \`.png\` that is really HTML is 415). ≤ ${FILE_LIMITS.maxFileBytes} bytes each (413 as soon as the stream passes it), ` +
            `≤ ${FILE_LIMITS.maxFilesPerSession} files and ${FILE_LIMITS.maxSessionBytes} bytes per session (409 \`quota_exceeded\`). The body is streamed to storage, never held in memory. ` +
            'With `Idempotency-Key`, a retry with the same key replays the first answer (the file bytes are not compared).',
          params: SessionParams,
          consumes: ['multipart/form-data'],
          response: { 201: ExtensionFile },
        },
      }),
      async (req, reply) => {
        const c = sessionCaller(req);
        const file = await withUploadedFile(req, reply, 'image', (part) => ctx.files.upload(c.session, { fieldname: part.fieldname, filename: part.filename, file: part.file }));
        return reply.code(201).send(file);
      },
    );
  });

  app.get(
    '/api/files/:fileId',
    route({
      access: PUBLIC,
      errors: ['invalid_signature', 'not_found'],
      schema: {
        tags: ['extension sessions'],
        summary: 'The bytes of an extension file, through a signed URL',
        description:
          `The URL comes from files.get/files.list/upload and expires after ${FILE_LIMITS.urlTtlSeconds} s (403 \`invalid_signature\`, also when tampered with). ` +
          'Served with the sniffed Content-Type, `X-Content-Type-Options: nosniff`, an inline Content-Disposition with a safe name, and a private cache lifetime up to the expiry.',
        params: Type.Object({ fileId: ObjectId }),
        querystring: Type.Object({ expires: Type.Optional(Type.String({ maxLength: 200 })), signature: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    }),
    async (req, reply) => {
      const { row, blob, maxAgeSeconds } = await ctx.files.open(req.params.fileId, req.query.expires, req.query.signature);
      const etag = `"${row.sha256}"`;
      // Bytes, not JSON: the reply is untyped past this point.
      const raw = reply as unknown as FastifyReply;
      raw.headers({
        'content-type': row.content_type,
        'x-content-type-options': 'nosniff',
        'content-disposition': `inline; filename="${row.filename}"`,
        'cache-control': `private, max-age=${maxAgeSeconds}, immutable`,
        etag,
        // The URL is the credential: any page holding it may use the image (canvas included).
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        'content-security-policy': "default-src 'none'; sandbox",
        'referrer-policy': 'no-referrer',
      });
      if (req.headers['if-none-match'] === etag) {
        blob.stream.destroy();
        return raw.code(304).send();
      }
      raw.header('content-length', String(blob.size));
      return raw.code(200).send(blob.stream);
    },
  );
}
