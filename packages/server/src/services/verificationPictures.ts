import { randomInt } from 'node:crypto';
import { FILE_CONTENT_TYPES, FILE_LIMITS, type VerificationPicture } from '@latch/protocol';
import { storeThenRecord, type BlobStore } from '../blobs/index.js';
import type { LockRow, VerificationPictureRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import { findOpenVerificationRequest, findVerificationPicture, insertVerificationPicture, listVerificationPictures, submitVerificationPicture } from '../storage/verificationPictures.js';
import { iso, type ServiceDeps } from './deps.js';
import { readAll, readPicture } from './files.js';
import { writeHistory } from './history.js';
import type { Actor } from './lockEffects.js';
import { activeOrThrow } from './lockEngineCore.js';
import { participantLock } from './lockContext.js';
import { authorize } from './lockPolicy.js';
import type { Via } from './lockPolicy.js';
import { roleOf } from './lockRules.js';

/** Letters and digits that cannot be mistaken for one another on a handwritten note. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
const LIST_LIMIT = 50;

/** Who asks for a picture: a person on the lock, or an extension acting for itself (actor system). */
export type VerificationRequester = Actor & { role: 'wearer' | 'keyholder' | 'extension' };

function view(row: VerificationPictureRow): VerificationPicture {
  return {
    id: row.id,
    lockId: row.lock_id,
    code: row.code,
    status: row.submitted_at === null ? 'requested' : 'submitted',
    requestedBy: { role: row.requested_role, userId: row.requested_user_id, extensionSlug: row.requested_extension },
    requestedAt: iso(row.requested_at),
    submittedAt: row.submitted_at === null ? null : iso(row.submitted_at),
    imageUrl: row.blob_key === null ? null : `/api/locks/${row.lock_id}/verification-pictures/${row.id}/image`,
    contentType: row.content_type,
  };
}

/**
 * Verification pictures (Chaster's built-in, issue 13): the keyholder, an extension or the wearer
 * asks for a picture with a fresh code; the wearer photographs the device with the code on a note
 * and uploads it; both participants see the pictures. Images obey the file rules of DECISIONS §11
 * (the four formats, decided from the bytes; the size cap) and live in the blob store.
 */
export function createVerificationPictureService({ db, clock, ids, store }: ServiceDeps & { store: BlobStore }) {
  function enabledOrThrow(lock: LockRow) {
    activeOrThrow(lock);
    if (!lock.settings.verificationPicture.enabled) throw new ApiError('verification_picture_not_enabled', 'Verification pictures are not enabled on this lock');
  }

  async function request(lock: LockRow, requester: VerificationRequester, via: Via): Promise<VerificationPicture> {
    const now = clock.now();
    authorize(via, 'verification_picture.request', lock, now);
    enabledOrThrow(lock);
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const row: VerificationPictureRow = {
      id: ids.objectId(),
      lock_id: lock.id,
      code,
      requested_role: requester.role,
      requested_user_id: requester.userId ?? null,
      requested_extension: requester.extensionSlug ?? null,
      requested_at: now,
      blob_key: null,
      content_type: null,
      submitted_at: null,
    };
    await db.transaction().execute(async (tx) => {
      await insertVerificationPicture(tx, row);
      await writeHistory(tx, ids, now, {
        lockId: lock.id,
        type: 'verification_picture_requested',
        role: requester.role,
        actorUserId: requester.userId ?? null,
        extensionSlug: requester.extensionSlug ?? null,
        title: 'Verification picture requested',
        description: `Code ${code}`,
        payload: { pictureId: row.id, code },
      });
    });
    return view(row);
  }

  return {
    /** `POST …/verification-picture/request` (Chaster) and the lock page's request: a fresh code for the wearer. */
    request,

    /** A participant on the lock page asks (the keyholder; the wearer of a self-lock asks themselves). */
    async requestAsUser(userId: string, lockId: string): Promise<VerificationPicture> {
      const lock = await participantLock(db, userId, lockId);
      return request(lock, { role: roleOf(lock, userId)!, userId }, { kind: 'first_party', userId });
    },

    /** The wearer answers the oldest open request with a picture. */
    async submit(userId: string, lockId: string, file: NodeJS.ReadableStream): Promise<VerificationPicture> {
      const lock = await participantLock(db, userId, lockId);
      const now = clock.now();
      authorize({ kind: 'first_party', userId }, 'verification_picture.submit', lock, now);
      enabledOrThrow(lock);
      const open = await findOpenVerificationRequest(db, lock.id);
      if (!open) throw new ApiError('conflict', 'No verification picture was requested');
      const { bytes, ...sniffed } = await readPicture(file);
      const picture = { blob_key: `verification/${lock.id}/${open.id}.${sniffed.ext}`, content_type: sniffed.contentType, submitted_at: now };
      await storeThenRecord(store, picture.blob_key, bytes, () =>
        db.transaction().execute(async (tx) => {
          // Two uploads racing for one request: the first wins, the second is told.
          if (!(await submitVerificationPicture(tx, open.id, picture))) throw new ApiError('conflict', 'This request was answered a moment ago');
          await writeHistory(tx, ids, now, { lockId: lock.id, type: 'verification_picture_submitted', role: 'wearer', actorUserId: userId, title: 'Verification picture sent', description: `Code ${open.code}`, payload: { pictureId: open.id } });
        }),
      );
      return view({ ...open, ...picture });
    },

    /** Requests and pictures, newest first, for the wearer and the keyholder. */
    async list(userId: string, lockId: string): Promise<VerificationPicture[]> {
      const lock = await participantLock(db, userId, lockId);
      authorize({ kind: 'first_party', userId }, 'verification_picture.view', lock, clock.now());
      return (await listVerificationPictures(db, lock.id, LIST_LIMIT)).map(view);
    },

    /** The bytes of one picture, under the same rule as the list. */
    async image(userId: string, lockId: string, pictureId: string): Promise<{ bytes: Buffer; contentType: string }> {
      const lock = await participantLock(db, userId, lockId);
      authorize({ kind: 'first_party', userId }, 'verification_picture.view', lock, clock.now());
      const row = await findVerificationPicture(db, lock.id, pictureId);
      const blob = row?.blob_key ? await store.read(row.blob_key) : null;
      if (!row || !blob) throw notFound('Verification picture');
      return { bytes: await readAll(blob.stream, Number.MAX_SAFE_INTEGER), contentType: row.content_type! };
    },
  };
}

export type VerificationPictureService = ReturnType<typeof createVerificationPictureService>;
