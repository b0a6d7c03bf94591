import type { Lock } from '@latch/protocol';
import { ApiError } from '../errors.js';
import type { LockRow, LockUpdate, UserRow } from '../db/types.js';
import { revokeMainTokensOfUserOnLock } from '../storage/mainTokens.js';
import { updateLockIfVersion } from '../storage/locks.js';
import type { LockRole } from './lockRules.js';
import type { LockAction } from './lockPolicy.js';
import { writeHistory } from './history.js';
import { writeNotification } from './notifications.js';
import type { LockCore, LockDeps } from './lockServiceCore.js';

/** Who holds the key: invitations answered or withdrawn, the keyholder trusted or resigned. */
export function createLockParties({ db, clock, ids }: LockDeps, { lockFor, viewFor }: LockCore) {
  interface PartyChange {
    patch: LockUpdate;
    /** Whose launch tokens end with the change: they carry a role that user no longer holds (issue 16). */
    revokeTokensOf?: string;
    history: { type: string; title: string };
    notify: { userId: string; type: string; title: string; message: string };
  }

  /** Who holds the key changes (invitation answered or withdrawn, keyholder trusted or resigned): one write, logged and told. */
  async function changeParties(user: UserRow, lockId: string, action: LockAction, decideChange: (lock: LockRow, role: LockRole) => PartyChange | null): Promise<void> {
    const { lock, role } = await lockFor(user.id, lockId, action);
    const change = decideChange(lock, role);
    if (change) {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await updateLockIfVersion(tx, lock.id, lock.version, { ...change.patch, updated_at: now }))) throw new ApiError('conflict', 'The lock changed meanwhile; reload and try again');
        if (change.revokeTokensOf) await revokeMainTokensOfUserOnLock(tx, lock.id, change.revokeTokensOf, now);
        await writeHistory(tx, ids, now, { lockId: lock.id, type: change.history.type, role, actorUserId: user.id, title: change.history.title });
        await writeNotification(tx, ids, now, { ...change.notify, lockId: lock.id });
      });
    }
  }

  return {
    /** The invited keyholder accepts (takes control) or declines (the lock stays a self-lock). */
    async answerInvitation(user: UserRow, lockId: string, accept: boolean): Promise<{ lockId: string; keyholderStatus: 'accepted' | 'declined' }> {
      await changeParties(user, lockId, accept ? 'invitation.accept' : 'invitation.decline', (lock) => ({
        patch: { keyholder_status: accept ? 'accepted' : 'declined' },
        // Launch tokens carry the role they were issued for: a declined invitee keeps none (issue 16).
        revokeTokensOf: accept ? undefined : user.id,
        history: { type: accept ? 'keyholder_accepted' : 'keyholder_declined', title: accept ? `${user.username} is now the keyholder` : `${user.username} declined to be the keyholder` },
        notify: {
          userId: lock.wearer_id,
          type: accept ? 'keyholder_accepted' : 'keyholder_declined',
          title: accept ? 'Keyholder accepted' : 'Keyholder declined',
          message: accept ? `${user.username} now holds the key of “${lock.title}”` : `${user.username} declined; “${lock.title}” stays a self-lock`,
        },
      }));
      return { lockId, keyholderStatus: accept ? 'accepted' : 'declined' };
    },

    /** The wearer takes back an invitation nobody answered: the lock stays a self-lock. */
    async withdrawInvitation(user: UserRow, lockId: string): Promise<Lock> {
      await changeParties(user, lockId, 'invitation.withdraw', (lock) => ({
        patch: { keyholder_status: 'withdrawn' },
        revokeTokensOf: lock.keyholder_id!,
        history: { type: 'keyholder_invitation_withdrawn', title: `${user.username} withdrew the keyholder invitation` },
        notify: { userId: lock.keyholder_id!, type: 'keyholder_invitation_withdrawn', title: 'Invitation withdrawn', message: `${user.username} withdrew the invitation to hold the key of “${lock.title}”` },
      }));
      return viewFor(user.id, lockId);
    },

    /** The wearer trusts the keyholder with the extensions (Chaster's "Trust my keyholder"); irreversible, so trusting again changes nothing. */
    async trustKeyholder(user: UserRow, lockId: string): Promise<Lock> {
      await changeParties(user, lockId, 'keyholder.trust', (lock) =>
        lock.keyholder_trusted_at !== null
          ? null
          : {
              patch: { keyholder_trusted_at: clock.now() },
              history: { type: 'keyholder_trusted', title: `${user.username} trusts the keyholder with the extensions` },
              notify: { userId: lock.keyholder_id!, type: 'keyholder_trusted', title: 'You are trusted', message: `${user.username} trusts you with the extensions of “${lock.title}”` },
            },
      );
      return viewFor(user.id, lockId);
    },

    /** The keyholder gives the key back: the lock becomes a self-lock and their launch tokens end. */
    async resignKeyholder(user: UserRow, lockId: string): Promise<{ lockId: string; keyholderStatus: 'resigned' }> {
      await changeParties(user, lockId, 'keyholder.resign', (lock) => ({
        patch: { keyholder_status: 'resigned' },
        revokeTokensOf: user.id,
        history: { type: 'keyholder_resigned', title: `${user.username} resigned as the keyholder` },
        notify: { userId: lock.wearer_id, type: 'keyholder_resigned', title: 'Keyholder resigned', message: `${user.username} no longer holds the key of “${lock.title}”: it is a self-lock now` },
      }));
      return { lockId, keyholderStatus: 'resigned' };
    },
  };
}
