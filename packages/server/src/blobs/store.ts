import type { Readable } from 'node:stream';

/**
 * Where extension file bytes live (DECISIONS §11): a local directory by default, any
 * S3-compatible bucket when configured. Keys are `[A-Za-z0-9._/-]` paths without `..`.
 *
 * The file service keeps rows and bytes in step with it: bytes are written to a temporary key,
 * moved to their final key, and only then is the row inserted; every failure removes what was
 * written, and a job reaps what a crash leaves behind.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /**
   * Streams `source` to `key`, resolving with the byte count once every byte is durably stored.
   * If the source fails (a client that went away, a size cap), nothing is left at `key`.
   */
  write(key: string, source: Readable): Promise<number>;
  /** Moves a finished blob to its final key. */
  move(from: string, to: string, contentType: string): Promise<void>;
  /** The bytes at `key`, or null when there are none. */
  read(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix` (diagnostics and tests). */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,299}$/;

export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
  return key;
}
