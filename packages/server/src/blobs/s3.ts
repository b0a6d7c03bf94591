import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../config.js';
import { checkKey, type BlobStore } from './store.js';

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3-compatible bucket (AWS, MinIO, R2, Ceph, …). PutObject needs the length up
 * front, so an upload is first spooled to a temporary file (bounded memory whatever the size),
 * then sent with its Content-Length. Checksums are only sent where S3 requires them: several
 * S3-compatible servers do not understand the SDK's default streaming checksums.
 */
export function createS3BlobStore(cfg: S3Config, spoolDir = os.tmpdir()): BlobStore {
  const client = new S3Client({
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle,
    ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
    ...(cfg.accessKeyId && cfg.secretAccessKey ? { credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = cfg.bucket;

  return {
    kind: 's3',

    async write(key, source) {
      checkKey(key);
      const spool = path.join(spoolDir, `latch-spool-${randomBytes(8).toString('hex')}`);
      try {
        await pipeline(source, fs.createWriteStream(spool, { flags: 'wx' }));
        const size = (await stat(spool)).size;
        // PutObject is atomic: on failure no partial object exists.
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: fs.createReadStream(spool), ContentLength: size, ContentType: 'application/octet-stream' }));
        return size;
      } finally {
        await rm(spool, { force: true });
      }
    },

    async move(from, to, contentType) {
      checkKey(from);
      checkKey(to);
      await client.send(new CopyObjectCommand({ Bucket, Key: to, CopySource: `${Bucket}/${from}`, ContentType: contentType, MetadataDirective: 'REPLACE' }));
      await client.send(new DeleteObjectCommand({ Bucket, Key: from }));
    },

    async read(key) {
      checkKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!r.Body) return null;
        return { stream: r.Body as Readable, size: Number(r.ContentLength ?? 0) };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      checkKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },

    async exists(key) {
      checkKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },

    async close() {
      client.destroy();
    },
  };
}
