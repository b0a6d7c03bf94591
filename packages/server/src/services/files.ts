import type { DialectName } from '../db/connect.js';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import { FILE_CONTENT_TYPES, FILE_LIMITS, FILE_UPLOAD_FIELD, type ExtensionFile, type FileCapabilities, type FileContentType, type FileList } from '@latch/protocol';
import type { BlobStore } from '../blobs/index.js';
import type { ExtensionSessionRow, FileRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { findSessionForUpdate } from '../storage/extensionSessionState.js';
import { deleteFileOfSession, fileUsageOfSession, findFileById, findFileOfSession, insertFile, listFilesOfSession } from '../storage/files.js';
import { cancelJob, scheduleJob } from '../storage/jobs.js';
import { iso, type ServiceDeps } from './deps.js';
import type { JobContext } from './scheduler.js';

// ---------------------------------------------------------------------------------------------
// What the bytes are

interface Sniffed {
  contentType: FileContentType;
  ext: string;
}

/** Enough bytes to tell the four accepted formats apart. */
export const SNIFF_BYTES = 12;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type from its magic number, or null: the name and declared type are never trusted. */
export function sniffImage(b: Buffer): Sniffed | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG)) return { contentType: 'image/png', ext: 'png' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (b.length >= 6 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) return { contentType: 'image/gif', ext: 'gif' };
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return { contentType: 'image/webp', ext: 'webp' };
  return null;
}

/**
 * Sits between the upload stream and the blob store: holds back the first bytes until it knows
 * the type (refusing anything but the four image formats before a byte is stored), counts, and
 * fails the stream the moment it passes `cap`, so an oversized upload is never written out whole.
 */
class UploadGate extends Transform {
  sniffed: Sniffed | null = null;
  bytes = 0;
  readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(
    private readonly cap: number,
    private readonly overCap: (bytes: number) => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.cap) return cb(this.overCap(this.bytes));
    if (this.sniffed) {
      this.hash.update(chunk);
      return cb(null, chunk);
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return cb();
    this.release(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.sniffed) return cb();
    this.release(cb);
  }

  private release(cb: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const sniffed = sniffImage(head);
    if (!sniffed) {
      return cb(new ApiError('unsupported_media_type', head.length === 0 ? 'The file is empty' : `Only ${FILE_CONTENT_TYPES.join(', ')} are accepted; the bytes are none of them (the name and declared type do not count)`));
    }
    this.sniffed = sniffed;
    this.hash.update(head);
    cb(null, head);
  }
}

/** A whole small upload in memory: 413 `payload_too_large` past `cap` bytes. */
export async function readCapped(stream: NodeJS.ReadableStream, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) throw new ApiError('payload_too_large', `A picture may be at most ${cap} bytes`, { maxFileBytes: cap });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `[A-Za-z0-9._-]`, at most 80 characters, with the extension of the sniffed type. */
export function safeFilename(original: string | undefined, ext: string): string {
  const last = (original ?? '').split(/[\\/]/).pop() ?? '';
  const stem = last
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 80);
  return `${stem || 'image'}.${ext}`;
}

// ---------------------------------------------------------------------------------------------
// Signed URLs

export interface UrlSigner {
  url(fileId: string, now: number): { url: string; expiresAt: number };
  /** Throws 403 invalid_signature unless the pair is genuine and unexpired. */
  verify(fileId: string, expires: string | undefined, signature: string | undefined, now: number): { expiresAt: number };
}

export function createUrlSigner(secret: Buffer, publicUrl: string, ttlSeconds: number = FILE_LIMITS.urlTtlSeconds): UrlSigner {
  const mac = (fileId: string, expires: number) => createHmac('sha256', secret).update(`latch-file-url:v1:${fileId}:${expires}`).digest();
  return {
    url(fileId, now) {
      const expires = Math.floor(now / 1000) + ttlSeconds;
      const signature = mac(fileId, expires).toString('base64url');
      return { url: `${publicUrl}/api/files/${fileId}?expires=${expires}&signature=${signature}`, expiresAt: expires * 1000 };
    },
    verify(fileId, expires, signature, now) {
      const exp = /^\d{1,12}$/.test(expires ?? '') ? Number(expires) : NaN;
      const given = /^[A-Za-z0-9_-]{43}$/.test(signature ?? '') ? Buffer.from(signature!, 'base64url') : null;
      const want = Number.isFinite(exp) ? mac(fileId, exp) : null;
      if (!given || !want || given.length !== want.length || !timingSafeEqual(given, want)) {
        throw new ApiError('invalid_signature', 'The file URL is not one latch signed; ask for a fresh one (files.get)', { reason: 'invalid' });
      }
      if (now >= exp * 1000) throw new ApiError('invalid_signature', 'The file URL has expired; ask for a fresh one (files.get)', { reason: 'expired' });
      return { expiresAt: exp * 1000 };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The service

export const FILE_JOB = { reap: 'files.reap' } as const;
/** A crash between writing bytes and their row leaves them for this long before a job removes them. */
const REAP_AFTER_MS = 3600_000;
const reapKey = (fileId: string) => `files.reap:${fileId}`;

export interface UploadPart {
  fieldname: string;
  filename: string | undefined;
  file: Readable;
}

export function createFileService({
  db,
  clock,
  ids,
  dialect,
  store,
  signer,
  logger,
}: ServiceDeps & { dialect: DialectName; store: BlobStore; signer: UrlSigner; logger: FastifyBaseLogger }) {
  function view(row: FileRow): ExtensionFile {
    const { url, expiresAt } = signer.url(row.id, clock.now());
    return {
      id: row.id,
      fileId: row.id,
      sessionId: row.session_id,
      lockId: row.lock_id,
      filename: row.filename,
      contentType: row.content_type,
      size: Number(row.size),
      sha256: row.sha256,
      url,
      urlExpiresAt: iso(expiresAt),
      createdAt: iso(row.created_at),
    };
  }

  function quotaError(what: 'files' | 'bytes', used: { files: number; bytes: number }, adding = 0): ApiError {
    return what === 'files'
      ? new ApiError('quota_exceeded', `A session may hold at most ${FILE_LIMITS.maxFilesPerSession} files; delete some first`, { limit: 'files', max: FILE_LIMITS.maxFilesPerSession, used: used.files })
      : new ApiError('quota_exceeded', `A session may hold at most ${FILE_LIMITS.maxSessionBytes} bytes of files; delete some first`, { limit: 'bytes', max: FILE_LIMITS.maxSessionBytes, used: used.bytes, adding });
  }

  /** Removes blobs; the reap job stays as the safety net when a removal fails. */
  async function removeBlobs(fileId: string, keys: string[]): Promise<void> {
    try {
      for (const k of keys) await store.delete(k);
      await cancelJob(db, reapKey(fileId));
    } catch (err) {
      logger.warn({ err, fileId }, 'could not remove file bytes now; the reap job will retry');
    }
  }

  return {
    view,

    async capabilities(session: ExtensionSessionRow, canUpload: boolean): Promise<FileCapabilities> {
      return {
        enabled: true,
        acceptedContentTypes: [...FILE_CONTENT_TYPES],
        uploadField: FILE_UPLOAD_FIELD,
        maxFileBytes: FILE_LIMITS.maxFileBytes,
        maxFilesPerSession: FILE_LIMITS.maxFilesPerSession,
        maxSessionBytes: FILE_LIMITS.maxSessionBytes,
        urlTtlSeconds: FILE_LIMITS.urlTtlSeconds,
        usage: await fileUsageOfSession(db, session.id),
        canUpload,
      };
    },

    async list(session: ExtensionSessionRow): Promise<FileList> {
      const rows = await listFilesOfSession(db, session.id);
      return { files: rows.map(view), count: rows.length, totalBytes: rows.reduce((n, r) => n + Number(r.size), 0) };
    },

    async get(session: ExtensionSessionRow, fileId: string): Promise<ExtensionFile> {
      const row = await findFileOfSession(db, session.id, fileId);
      if (!row) throw notFound('File');
      return view(row);
    },

    /**
     * Streams one upload into the store and records it. Order: a reap job (the crash safety
     * net), bytes to a temporary key, a move to the final key, then the row with the quota
     * re-checked under the session's lock. Any failure removes every byte written.
     */
    async upload(session: ExtensionSessionRow, part: UploadPart): Promise<ExtensionFile> {
      if (part.fieldname !== FILE_UPLOAD_FIELD) throw new ApiError('invalid_request', `Send the image in the multipart field "${FILE_UPLOAD_FIELD}" (got "${part.fieldname}")`);
      const used = await fileUsageOfSession(db, session.id);
      if (used.files >= FILE_LIMITS.maxFilesPerSession) throw quotaError('files', used);
      if (used.bytes >= FILE_LIMITS.maxSessionBytes) throw quotaError('bytes', used);

      const fileId = ids.objectId();
      const tempKey = `tmp/${fileId}`;
      const finalKey = `sessions/${session.id}/${fileId}`;
      const now = clock.now();
      await scheduleJob(db, { id: ids.objectId(), kind: FILE_JOB.reap, key: reapKey(fileId), runAt: now + REAP_AFTER_MS, payload: { fileId, keys: [tempKey, finalKey] }, now });

      const cap = Math.min(FILE_LIMITS.maxFileBytes, FILE_LIMITS.maxSessionBytes - used.bytes);
      const gate = new UploadGate(cap, (bytes) =>
        bytes > FILE_LIMITS.maxFileBytes
          ? new ApiError('payload_too_large', `A file may be at most ${FILE_LIMITS.maxFileBytes} bytes`, { maxFileBytes: FILE_LIMITS.maxFileBytes })
          : quotaError('bytes', used, bytes),
      );
      let moved = false;
      try {
        // Both halves run at once: a failure on either side (the client going away, a cap)
        // destroys both, so the rest of the upload is neither read nor stored. Both are settled
        // before anything is cleaned up, so no write can land after the clean-up.
        const [piped, written] = await Promise.allSettled([pipeline(part.file, gate), store.write(tempKey, gate)]);
        if (piped.status === 'rejected' || written.status === 'rejected') {
          const errors = [piped, written].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
          const refusal = errors.find((e) => e instanceof ApiError);
          if (refusal) throw refusal;
          if (part.file.errored || piped.status === 'rejected') throw new ApiError('invalid_request', 'The upload was cut short or its multipart body is malformed');
          throw errors[0];
        }
        const size = written.value;
        const sniffed = gate.sniffed!;
        await store.move(tempKey, finalKey, sniffed.contentType);
        moved = true;
        const row: FileRow = {
          id: fileId,
          session_id: session.id,
          lock_id: session.lock_id,
          storage_key: finalKey,
          filename: safeFilename(part.filename, sniffed.ext),
          content_type: sniffed.contentType,
          size,
          sha256: gate.hash.digest('hex'),
          created_at: clock.now(),
        };
        await db.transaction().execute(async (tx) => {
          // Concurrent uploads to one session: the quota is decided under the session's lock.
          await findSessionForUpdate(tx, session.id, dialect);
          const current = await fileUsageOfSession(tx, session.id);
          if (current.files >= FILE_LIMITS.maxFilesPerSession) throw quotaError('files', current);
          if (current.bytes + size > FILE_LIMITS.maxSessionBytes) throw quotaError('bytes', current, size);
          await insertFile(tx, row);
          await cancelJob(tx, reapKey(fileId));
        });
        return view(row);
      } catch (err) {
        // Stop reading the rest of the upload (the route closes the connection).
        part.file.destroy();
        await removeBlobs(fileId, moved ? [finalKey, tempKey] : [tempKey]);
        throw err;
      }
    },

    /** Removes the row, then the bytes (a reap job finishes the bytes if that fails). */
    async remove(session: ExtensionSessionRow, fileId: string): Promise<{ ok: true; fileId: string; deleted: true }> {
      const row = await db.transaction().execute(async (tx) => {
        const r = await deleteFileOfSession(tx, session.id, fileId);
        if (!r) throw notFound('File');
        const now = clock.now();
        await scheduleJob(tx, { id: ids.objectId(), kind: FILE_JOB.reap, key: reapKey(fileId), runAt: now + 60_000, payload: { fileId, keys: [r.storage_key] }, now });
        return r;
      });
      await removeBlobs(fileId, [row.storage_key]);
      return { ok: true, fileId, deleted: true };
    },

    /** The bytes behind a signed URL. */
    async open(fileId: string, expires: string | undefined, signature: string | undefined) {
      const now = clock.now();
      const { expiresAt } = signer.verify(fileId, expires, signature, now);
      const row = await findFileById(db, fileId);
      if (!row) throw notFound('File');
      const blob = await store.read(row.storage_key);
      if (!blob) {
        logger.error({ fileId, key: row.storage_key }, 'file row without bytes');
        throw notFound('File');
      }
      return { row, blob, maxAgeSeconds: Math.max(0, Math.floor((expiresAt - now) / 1000)) };
    },

    jobHandlers: {
      /** Removes bytes no row refers to: a crashed upload's, or a deleted file's left-overs. */
      [FILE_JOB.reap]: async (job: JobContext, tx: Executor) => {
        const fileId = String(job.payload.fileId);
        const keys = Array.isArray(job.payload.keys) ? job.payload.keys.map(String) : [];
        const row = await findFileById(tx, fileId);
        for (const k of keys) if (k !== row?.storage_key) await store.delete(k);
      },
    },
  };
}

export type FileService = ReturnType<typeof createFileService>;
