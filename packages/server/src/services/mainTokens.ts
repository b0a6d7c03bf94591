import { ApiError, notFound } from '../errors.js';
import type { LockRow, MainTokenRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import { findAppById } from '../storage/extensionApps.js';
import { findExtensionSession } from '../storage/extensionSessions.js';
import { findLockById } from '../storage/locks.js';
import { insertMainToken, revokeMainTokensOf } from '../storage/mainTokens.js';
import { iso, type ServiceDeps } from './deps.js';
import { roleOf } from './lockRules.js';

/** Launch tokens live 10 hours (spec 000). */
export const MAIN_TOKEN_TTL_MS = 10 * 3600_000;
/** A Chaster app's main page tokens live 12 hours (Chaster's main page docs, DECISIONS §14). */
export const CHASTER_MAIN_TOKEN_TTL_MS = 12 * 3600_000;
export const MAIN_TOKEN_PREFIX = 'mt_';

/**
 * Why a presented main token does not work, or null when it does: unknown; revoked or past its
 * lifetime; or issued for a role its user no longer holds on the lock (a declined keyholder
 * invitation, issue 16). `lock` is the token's lock as it is now.
 */
export function mainTokenProblem(
  token: MainTokenRow | null,
  lock: Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status'> | null,
  now: number,
): 'unknown' | 'expired' | 'role_lost' | null {
  if (!token) return 'unknown';
  if (token.revoked_at !== null || token.expires_at <= now) return 'expired';
  if (!lock || roleOf(lock, token.user_id) !== token.role) return 'role_lost';
  return null;
}

export function createMainTokenService({ db, clock, ids }: ServiceDeps) {
  return {
    /**
     * A participant opens an installed extension: a fresh token bound to (session, app, user,
     * role); with `rotate` (the default, the POST routes) the user's earlier tokens for this
     * session stop working. The GET routes pass `rotate: false`: a GET changes nothing that is
     * already there, so a cross-site navigation cannot kill an open extension (issue 16).
     */
    async issue(userId: string, sessionId: string, opts: { rotate?: boolean } = {}) {
      const session = await findExtensionSession(db, sessionId);
      const lock = session ? await findLockById(db, session.lock_id) : undefined;
      const role = lock ? roleOf(lock, userId) : null;
      if (!session || !lock || !role) throw notFound('Extension session');
      if (session.removed_at !== null) throw new ApiError('extension_not_enabled', 'The extension was removed from this lock');
      const app = await findAppById(db, session.app_id);
      const ttl = app?.dialect === 'chaster' ? CHASTER_MAIN_TOKEN_TTL_MS : MAIN_TOKEN_TTL_MS;
      const now = clock.now();
      const mainToken = ids.secret(MAIN_TOKEN_PREFIX);
      const row: MainTokenRow = {
        id: ids.objectId(),
        token_hash: hashSecret(mainToken),
        session_id: session.id,
        app_id: session.app_id,
        user_id: userId,
        role,
        created_at: now,
        expires_at: now + ttl,
        revoked_at: null,
      };
      await db.transaction().execute(async (tx) => {
        if (opts.rotate ?? true) await revokeMainTokensOf(tx, session.id, userId, now);
        await insertMainToken(tx, row);
      });
      return { mainToken, sessionId: session.id, lockId: lock.id, role, expiresAt: iso(row.expires_at) };
    },
  };
}

export type MainTokenService = ReturnType<typeof createMainTokenService>;
