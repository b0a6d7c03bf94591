import { Readable } from 'node:stream';
import type { FilesConfig, S3Config } from '../config.js';
import { createLocalBlobStore } from './local.js';
import type { BlobStore } from './store.js';

export type { BlobStore } from './store.js';

/**
 * Stores `bytes` at `key`, then runs `record` (the row that points at them); if recording fails
 * the bytes are removed again, so no blob is left without its row.
 */
export async function storeThenRecord<T>(store: BlobStore, key: string, bytes: Buffer, record: () => Promise<T>): Promise<T> {
  await store.write(key, Readable.from([bytes]));
  try {
    return await record();
  } catch (err) {
    await store.delete(key).catch(() => undefined);
    throw err;
  }
}

/** The configured store: S3 when S3_BUCKET is set, else the local directory. */
export function createBlobStore(files: FilesConfig): BlobStore {
  return files.s3 ? lazyS3BlobStore(files.s3) : createLocalBlobStore(files.dir);
}

/**
 * The S3 store, its SDK loaded on first use: the AWS SDK is the heaviest module of the server
 * and most installations never use it, so it stays out of start-up.
 */
function lazyS3BlobStore(cfg: S3Config): BlobStore {
  let store: Promise<BlobStore> | undefined;
  const get = () => (store ??= import('./s3.js').then((m) => m.createS3BlobStore(cfg)));
  return {
    kind: 's3',
    write: async (key, source) => (await get()).write(key, source),
    move: async (from, to, contentType) => (await get()).move(from, to, contentType),
    read: async (key) => (await get()).read(key),
    delete: async (key) => (await get()).delete(key),
    exists: async (key) => (await get()).exists(key),
    list: async (prefix) => (await get()).list(prefix),
    close: async () => {
      if (store) await (await store).close();
    },
  };
}
