import { storeThenRecord, type BlobStore } from '../blobs/index.js';
import type { UserRow } from '../db/types.js';
import { notFound } from '../errors.js';
import { findLockById } from '../storage/locks.js';
import { findTaskOfLock } from '../storage/tasks.js';
import type { ServiceDeps } from './deps.js';
import { readAll, readPicture } from './files.js';
import type { LockEngine } from './lockEngine.js';
import { authorize } from './lockPolicy.js';
import { roleOf } from './lockRules.js';

/**
 * Task verification pictures (issue 14, Chaster's "verification picture"): the wearer marks the
 * open task done by sending a picture (the image rules of DECISIONS §11), kept in the blob store
 * with the task; the lock's participants see it from the history.
 */
export function createTaskVerificationService({ db, clock, ids, store, engine }: Pick<ServiceDeps, 'db' | 'clock' | 'ids'> & { store: BlobStore; engine: LockEngine }) {
  async function participantLock(user: UserRow, lockId: string) {
    const lock = await findLockById(db, lockId);
    const role = lock ? roleOf(lock, user.id) : null;
    if (!lock || !role) throw notFound('Lock');
    return { lock, role };
  }

  return {
    /** The wearer's picture completes the open task; the engine checks the policy and the task again in its transaction. */
    async complete(user: UserRow, lockId: string, file: NodeJS.ReadableStream) {
      const { lock, role } = await participantLock(user, lockId);
      const via = { kind: 'first_party', userId: user.id } as const;
      // Refused before a byte is stored: only the wearer proves a task.
      authorize(via, 'task.verify', lock, clock.now(), { openTask: true });
      const { bytes, contentType, ext } = await readPicture(file);
      const blobKey = `task-verifications/${lockId}/${ids.objectId()}.${ext}`;
      return storeThenRecord(store, blobKey, bytes, () => engine.completeTaskWithPicture(lockId, { role, userId: user.id }, via, { blobKey, contentType }));
    },

    /** A task's verification picture, to the lock's wearer and keyholder. */
    async picture(user: UserRow, lockId: string, taskId: string): Promise<{ bytes: Buffer; contentType: string }> {
      await participantLock(user, lockId);
      const task = await findTaskOfLock(db, lockId, taskId);
      const blob = task?.verification_blob_key ? await store.read(task.verification_blob_key) : null;
      if (!task || !blob) throw notFound('Verification picture');
      return { bytes: await readAll(blob.stream, Number.MAX_SAFE_INTEGER), contentType: task.verification_content_type ?? 'application/octet-stream' };
    },
  };
}

export type TaskVerificationService = ReturnType<typeof createTaskVerificationService>;
