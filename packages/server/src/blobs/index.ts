import type { FilesConfig } from '../config.js';
import { createLocalBlobStore } from './local.js';
import { createS3BlobStore } from './s3.js';
import type { BlobStore } from './store.js';

export type { BlobStore } from './store.js';

/** The configured store: S3 when S3_BUCKET is set, else the local directory. */
export function createBlobStore(files: FilesConfig): BlobStore {
  return files.s3 ? createS3BlobStore(files.s3) : createLocalBlobStore(files.dir);
}
