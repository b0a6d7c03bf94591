import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export interface IdGenerator {
  /** A 24-hex, ObjectId-shaped, time-ordered id (DECISIONS §2). */
  objectId(): string;
  /** An opaque secret with a readable prefix, e.g. `mt_…`. */
  secret(prefix: string, bytes?: number): string;
}

/**
 * ObjectId layout: 4-byte seconds from the injected clock, 5 random bytes fixed per generator,
 * 3-byte counter. Ids from one process sort by creation order, which search pagination relies on.
 */
export function createIdGenerator(clock: Clock): IdGenerator {
  const processPart = randomBytes(5).toString('hex');
  // Start in the lower half so the counter cannot wrap (and break ordering) below 8M ids a second.
  let counter = randomBytes(3).readUIntBE(0, 3) >>> 1;
  return {
    objectId() {
      counter = (counter + 1) % 0x1000000;
      const seconds = Math.floor(clock.now() / 1000) >>> 0;
      return seconds.toString(16).padStart(8, '0') + processPart + counter.toString(16).padStart(6, '0');
    },
    secret(prefix, bytes = 32) {
      return prefix + randomBytes(bytes).toString('base64url');
    },
  };
}

/** The smallest ObjectId of the second holding `ms`: every id made at or after `ms` sorts at or above it. */
export function objectIdFloor(ms: number): string {
  return (Math.floor(ms / 1000) >>> 0).toString(16).padStart(8, '0') + '0'.repeat(16);
}

/** The time (ms, to the second) an ObjectId was made at. */
export function objectIdTime(id: string): number {
  return parseInt(id.slice(0, 8), 16) * 1000;
}

/** Secrets are stored as SHA-256 only (DECISIONS §2); they are high-entropy, so no salt is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
