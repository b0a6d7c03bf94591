import { randomInt } from 'node:crypto';
import { COMBINATION_DIGITS, DESERTION_RECOVERY_DAYS, type ArchiveResult, type CombinationInput, type CombinationPicture, type CombinationReveal } from '@latch/protocol';
import { storeThenRecord, type BlobStore } from '../blobs/index.js';
import type { CombinationRow, LockRow, UserRow } from '../db/types.js';
import { ApiError, notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { insertAuditLogs } from '../storage/auditLogs.js';
import { bindPicture, countUnboundPictures, findCombinationOfLock, findUnboundPicture, insertCombination, markCombinationRecovered, setLockArchived } from '../storage/combinations.js';
import { findLockById } from '../storage/locks.js';
import type { CombinationVault } from './combinationVault.js';
import { iso, type ServiceDeps } from './deps.js';
import { readAll, readPicture } from './files.js';
import { writeHistory } from './history.js';
import type { LockEngine } from './lockEngine.js';
import { roleOf } from './lockRules.js';
import { authorize } from './lockPolicy.js';

/** Pictures uploaded for locks not created yet, per user (an abandoned creation form leaves one). */
export const MAX_UNBOUND_PICTURES = 10;
const RECOVERY_MS = DESERTION_RECOVERY_DAYS * 86400_000;

/** A combination checked and sealed, waiting for its lock's transaction. */
export interface PreparedCombination {
  row: CombinationRow;
  /** Whether the row exists already (an uploaded picture) and only needs its lock. */
  uploaded: boolean;
  /** A generated code: shown to the wearer once, in the creation answer. */
  generated: string | null;
}

/** Who asked, for the audit row of a reveal or recovery. */
export interface Requester {
  requestId: string;
  method: string;
  route: string;
}

/**
 * The combination safe (issue 14): the lockbox code or picture is sealed at lock creation and
 * opened only for the wearer, once the lock is unlocked. A deserted lock (a running lock the
 * wearer archived) withholds it; as on Chaster, it can be recovered on purpose after
 * DESERTION_RECOVERY_DAYS, and that recovery is recorded for good.
 */
export function createCombinationService({ db, clock, ids, store, vault, engine }: ServiceDeps & { store: BlobStore; vault: CombinationVault; engine: LockEngine }) {
  function sealedRow(ownerId: string, kind: 'code' | 'picture', secret: Buffer, now: number): { row: CombinationRow; sealed: Buffer } {
    const id = ids.objectId();
    const key = vault.newKey(id);
    const sealed = key.encrypt(secret);
    return {
      row: { id, owner_id: ownerId, lock_id: null, kind, key_id: key.keyId, wrapped_key: key.wrappedKey, sealed_code: kind === 'code' ? sealed.toString('base64') : null, blob_key: null, content_type: null, created_at: now, recovered_at: null },
      sealed,
    };
  }

  /** The wearer's own lock and its combination: 404 to anyone not on the lock, 403 (`refusal`) to the keyholder. */
  async function wearersCombination(user: UserRow, lockId: string, refusal: string): Promise<{ lock: LockRow; combination: CombinationRow }> {
    const lock = await findLockById(db, lockId);
    const role = lock ? roleOf(lock, user.id) : null;
    if (!lock || !role) throw notFound('Lock');
    if (role !== 'wearer') throw new ApiError('forbidden', refusal);
    const combination = await findCombinationOfLock(db, lock.id);
    if (!combination) throw notFound('Combination of this lock');
    return { lock, combination };
  }

  /** The wearer's own lock and its combination, checked for a reveal (or a picture fetch). */
  async function openable(user: UserRow, lockId: string): Promise<{ lock: LockRow; combination: CombinationRow }> {
    const { lock, combination } = await wearersCombination(user, lockId, 'Only the wearer sees the combination');
    if (lock.status === 'locked') throw new ApiError('lock_not_unlocked', 'The combination is revealed once the lock is unlocked');
    if (lock.status === 'deserted' && combination.recovered_at === null) {
      const recoverableAt = (lock.ended_at ?? lock.updated_at) + RECOVERY_MS;
      throw new ApiError('combination_withheld', `This lock was deserted: its combination is withheld${recoverableAt > clock.now() ? ` until ${iso(recoverableAt)}` : '; recover it on purpose first'}`, { recoverableAt: iso(recoverableAt) });
    }
    return { lock, combination };
  }

  async function audit(tx: Executor, user: UserRow, lockId: string, req: Requester, action: string, now: number) {
    await insertAuditLogs(tx, [
      { id: ids.objectId(), app_id: null, lock_id: lockId, session_id: null, user_id: user.id, credential: 'session', credential_id: null, method: req.method, route: req.route, action, status: 200, outcome: 'success', error_code: null, request_id: req.requestId, created_at: now },
    ]);
  }

  return {
    /**
     * An uploaded combination picture (§11 image rules: sniffed from the bytes, ≤ 10 MiB),
     * sealed before a byte reaches the blob store. It waits for `POST /api/locks` to name it.
     */
    async uploadPicture(owner: UserRow, file: NodeJS.ReadableStream): Promise<CombinationPicture> {
      if ((await countUnboundPictures(db, owner.id)) >= MAX_UNBOUND_PICTURES) {
        throw new ApiError('quota_exceeded', `At most ${MAX_UNBOUND_PICTURES} combination pictures may wait for a lock; create a lock with one of them first`);
      }
      const { bytes, contentType } = await readPicture(file);
      const now = clock.now();
      const { row, sealed } = sealedRow(owner.id, 'picture', bytes, now);
      row.blob_key = `combinations/${row.id}.sealed`;
      row.content_type = contentType;
      await storeThenRecord(store, row.blob_key, sealed, () => insertCombination(db, row));
      return { pictureId: row.id, contentType, size: bytes.length, createdAt: iso(now) };
    },

    /** Checks and seals the creation form's combination before the lock is written. */
    async prepare(owner: UserRow, input: CombinationInput): Promise<PreparedCombination> {
      const now = clock.now();
      if (input.type === 'picture') {
        const row = await findUnboundPicture(db, owner.id, input.pictureId);
        if (!row) throw new ApiError('invalid_request', 'No such combination picture waiting for a lock (upload it first)', [{ in: 'body', path: '/combination/pictureId', message: 'unknown or already used' }]);
        return { row, uploaded: true, generated: null };
      }
      const digits = input.type === 'generate' ? (input.digits ?? COMBINATION_DIGITS.default) : 0;
      const code = input.type === 'code' ? input.code : Array.from({ length: digits }, () => String(randomInt(10))).join('');
      return { row: sealedRow(owner.id, 'code', Buffer.from(code, 'utf8'), now).row, uploaded: false, generated: input.type === 'generate' ? code : null };
    },

    /** Stores the prepared combination for `lockId` inside the lock's creation transaction. */
    async bind(tx: Executor, prepared: PreparedCombination, lockId: string): Promise<void> {
      if (!prepared.uploaded) return insertCombination(tx, { ...prepared.row, lock_id: lockId });
      if (!(await bindPicture(tx, prepared.row.id, lockId))) throw new ApiError('conflict', 'This combination picture was just used for another lock');
    },

    /** `GET /api/locks/:lockId/combination`: the wearer, once the lock is unlocked; audited. */
    async reveal(user: UserRow, lockId: string, req: Requester): Promise<CombinationReveal> {
      const { lock, combination } = await openable(user, lockId);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await writeHistory(tx, ids, now, { lockId: lock.id, type: 'combination_revealed', role: 'wearer', actorUserId: user.id, title: 'Combination viewed' });
        await audit(tx, user, lock.id, req, 'combination.reveal', now);
      });
      if (combination.kind === 'picture') return { type: 'picture', url: `/api/locks/${lock.id}/combination/picture`, contentType: combination.content_type ?? 'application/octet-stream' };
      const code = vault.decrypt(combination.id, { keyId: combination.key_id, wrappedKey: combination.wrapped_key }, Buffer.from(combination.sealed_code ?? '', 'base64'));
      return { type: 'code', code: code.toString('utf8') };
    },

    /** The picture's bytes, opened, under the same rule as the reveal. */
    async picture(user: UserRow, lockId: string): Promise<{ bytes: Buffer; contentType: string }> {
      const { combination } = await openable(user, lockId);
      if (combination.kind !== 'picture' || !combination.blob_key) throw notFound('Combination picture');
      const blob = await store.read(combination.blob_key);
      if (!blob) throw notFound('Combination picture');
      const sealed = await readAll(blob.stream, Number.MAX_SAFE_INTEGER);
      return { bytes: vault.decrypt(combination.id, { keyId: combination.key_id, wrappedKey: combination.wrapped_key }, sealed), contentType: combination.content_type ?? 'application/octet-stream' };
    },

    /**
     * The wearer of a deserted lock takes the combination back, on purpose, once the waiting
     * period is over; recorded in the history and the audit trail, and the lock stays deserted.
     */
    async recover(user: UserRow, lockId: string, req: Requester): Promise<{ lockId: string; recoveredAt: string }> {
      const { lock, combination } = await wearersCombination(user, lockId, 'Only the wearer recovers the combination');
      if (lock.status !== 'deserted') throw new ApiError('conflict', lock.status === 'locked' ? 'The lock is running: nothing to recover' : 'The lock was unlocked: view the combination instead');
      if (combination.recovered_at !== null) return { lockId: lock.id, recoveredAt: iso(combination.recovered_at) };
      const now = clock.now();
      const recoverableAt = (lock.ended_at ?? lock.updated_at) + RECOVERY_MS;
      if (now < recoverableAt) throw new ApiError('combination_withheld', `The combination of a deserted lock can be recovered from ${iso(recoverableAt)}`, { recoverableAt: iso(recoverableAt) });
      await db.transaction().execute(async (tx) => {
        if (!(await markCombinationRecovered(tx, combination.id, now))) return;
        await writeHistory(tx, ids, now, { lockId: lock.id, type: 'combination_recovered', role: 'wearer', actorUserId: user.id, title: 'Combination recovered after desertion' });
        await audit(tx, user, lock.id, req, 'combination.recover', now);
      });
      const after = await findCombinationOfLock(db, lock.id);
      return { lockId: lock.id, recoveredAt: iso(after?.recovered_at ?? now) };
    },

    /**
     * The wearer archives the lock. An unlocked lock is simply archived (its combination stays
     * viewable); a running one is deserted (engine.desert) and its combination withheld.
     */
    async archive(user: UserRow, lockId: string): Promise<ArchiveResult> {
      const lock = await findLockById(db, lockId);
      const role = lock ? roleOf(lock, user.id) : null;
      if (!lock || !role) throw notFound('Lock');
      authorize({ kind: 'first_party', userId: user.id }, lock.status === 'locked' ? 'desert' : 'archive', lock, clock.now());
      if (lock.archived_at !== null) throw new ApiError('conflict', 'The lock is already archived');
      if (lock.status === 'locked') {
        const { desertedAt } = await engine.desert(lock.id, { role: 'wearer', userId: user.id });
        return { lockId: lock.id, status: 'deserted', archivedAt: iso(desertedAt), deserted: true, combinationRecoverableAt: iso(desertedAt + RECOVERY_MS) };
      }
      const now = clock.now();
      const archived = await db.transaction().execute(async (tx) => {
        if (!(await setLockArchived(tx, lock.id, now))) return false;
        await writeHistory(tx, ids, now, { lockId: lock.id, type: 'lock_archived', role: 'wearer', actorUserId: user.id, title: 'Lock archived' });
        return true;
      });
      if (!archived) throw new ApiError('conflict', 'The lock changed meanwhile; reload and try again');
      return { lockId: lock.id, status: lock.status === 'deserted' ? 'deserted' : 'unlocked', archivedAt: iso(now), deserted: false, combinationRecoverableAt: null };
    },
  };
}

export type CombinationService = ReturnType<typeof createCombinationService>;
