import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, ObjectId } from './schemas.js';

/** Extension files (spec 000 `files.*`, DECISIONS §11): images only, sniffed from their bytes. */
export const FILE_LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxFilesPerSession: 100,
  maxSessionBytes: 100 * 1024 * 1024,
  urlTtlSeconds: 600,
} as const;

export const FILE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

/** The multipart field an upload is sent in. */
export const FILE_UPLOAD_FIELD = 'file';

export const FileCapabilities = Type.Object({
  enabled: Type.Boolean(),
  acceptedContentTypes: Type.Array(Type.String(), { description: 'Decided from the bytes, never from the file name or the part’s Content-Type' }),
  uploadField: Type.String({ description: 'multipart/form-data field that carries the file' }),
  maxFileBytes: Type.Integer(),
  maxFilesPerSession: Type.Integer(),
  maxSessionBytes: Type.Integer(),
  urlTtlSeconds: Type.Integer({ description: 'How long a signed URL stays valid; refresh with files.get' }),
  usage: Type.Object({ files: Type.Integer(), bytes: Type.Integer() }),
  canUpload: Type.Boolean({ description: 'These credentials may upload and delete (backend credentials and the files:write scope)' }),
});
export type FileCapabilities = Static<typeof FileCapabilities>;

export const ExtensionFile = Type.Object({
  id: ObjectId,
  fileId: ObjectId,
  sessionId: ObjectId,
  lockId: ObjectId,
  filename: Type.String({ description: 'A safe name: [A-Za-z0-9._-], with the extension of the sniffed type' }),
  contentType: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  sha256: Type.String(),
  url: Type.String({ description: 'Signed URL for the bytes; expires at urlExpiresAt' }),
  urlExpiresAt: IsoDate,
  createdAt: IsoDate,
});
export type ExtensionFile = Static<typeof ExtensionFile>;

export const FileList = Type.Object({
  files: Type.Array(ExtensionFile),
  count: Type.Integer(),
  totalBytes: Type.Integer(),
});
export type FileList = Static<typeof FileList>;
