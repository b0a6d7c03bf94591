import { timingSafeEqual } from 'node:crypto';
import type { Me, Profile, PublicUser } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { bool, fromJson, int, toJson } from '../db/json.js';
import type { UserRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import { findUserById, findUserByUsername, insertUser, touchUserLastSeen, updateUserProfile } from '../storage/users.js';
import { deleteUserSession, findLiveSessionUser, insertUserSession } from '../storage/userSessions.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.js';


export interface AuthenticatedUser {
  user: UserRow;
  sessionTokenHash: string;
  csrfToken: string;
}

export interface LoginResult {
  user: UserRow;
  /** Goes into the httpOnly cookie; never stored in clear. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: number;
}

export function publicUser(row: UserRow): PublicUser {
  return { id: row.id, username: row.username, profile: fromJson<Profile>(row.profile, {}) };
}

export function meView(row: UserRow, csrfToken: string): Me {
  return {
    ...publicUser(row),
    showOnlineStatus: bool(row.show_online_status),
    lastSeenAt: isoOrNull(row.last_seen_at),
    createdAt: iso(row.created_at),
    csrfToken,
  };
}

/**
 * `dev`: the server runs the sandbox. Sandbox accounts (personas and fixture worlds, whose
 * passwords are public or handed to anyone who asks) sign in only then.
 */
export function createAccountService(deps: ServiceDeps & { sessionTtlMs: number; dev?: boolean }) {
  const { db, clock, ids } = deps;
  // Verifying against this when the user does not exist keeps "no such user" as slow as "wrong password".
  const dummyHash = hashPassword('latch-timing-equaliser');

  async function openSession(user: UserRow): Promise<LoginResult> {
    const now = clock.now();
    const sessionToken = ids.secret('ls_');
    const csrfToken = ids.secret('', 24);
    const expiresAt = now + deps.sessionTtlMs;
    await insertUserSession(db, {
      id: ids.objectId(),
      user_id: user.id,
      token_hash: hashSecret(sessionToken),
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_used_at: now,
    });
    return { user, sessionToken, csrfToken, expiresAt };
  }

  return {
    async register(input: { username: string; password: string; profile?: Profile }, opts: { sandbox?: boolean } = {}): Promise<LoginResult> {
      const now = clock.now();
      checkNewPassword(input.password);
      if (await findUserByUsername(db, input.username)) throw new ApiError('username_taken', `Username ${input.username} is taken`);
      const row: UserRow = {
        id: ids.objectId(),
        username: input.username,
        username_key: input.username.toLowerCase(),
        password_hash: await hashPassword(input.password),
        profile: toJson(input.profile ?? {}),
        show_online_status: 1,
        last_seen_at: now,
        created_at: now,
        updated_at: now,
        persona: opts.sandbox ? 1 : 0,
      };
      try {
        await insertUser(db, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiError('username_taken', `Username ${input.username} is taken`);
        throw err;
      }
      return openSession(row);
    },

    async login(input: { username: string; password: string }): Promise<LoginResult> {
      const user = await findUserByUsername(db, input.username);
      const check = (hashed: string) => verifyPassword(hashed, input.password);
      const ok = user ? await check(user.password_hash) : (await check(await dummyHash), false);
      if (!user || !ok) throw new ApiError('invalid_login', 'Wrong username or password');
      if (user.persona && !deps.dev) throw new ApiError('invalid_login', 'This is a sandbox account: it signs in only while latch runs the sandbox (LATCH_DEV=1)');
      await touchUserLastSeen(db, user.id, clock.now());
      return openSession(user);
    },

    async logout(sessionTokenHash: string): Promise<void> {
      await deleteUserSession(db, sessionTokenHash);
    },

    /** Resolves a session cookie; null when unknown or expired. */
    async authenticate(sessionToken: string): Promise<AuthenticatedUser | null> {
      const now = clock.now();
      const tokenHash = hashSecret(sessionToken);
      const live = await findLiveSessionUser(db, tokenHash, now);
      if (!live) return null;
      const { user, csrfToken } = live;
      if (user.persona && !deps.dev) return null;
      if (user.last_seen_at === null || user.last_seen_at < now - 60_000) {
        await touchUserLastSeen(db, user.id, now);
        user.last_seen_at = now;
      }
      return { user, sessionTokenHash: tokenHash, csrfToken };
    },

    async updateMe(userId: string, patch: { profile?: Profile; showOnlineStatus?: boolean }): Promise<UserRow> {
      const user = await findUserById(db, userId);
      if (!user) throw new ApiError('login_required', 'The account no longer exists');
      const profile = patch.profile ? toJson({ ...fromJson<Profile>(user.profile, {}), ...patch.profile }) : undefined;
      await updateUserProfile(
        db,
        userId,
        {
          ...(profile !== undefined ? { profile } : {}),
          ...(patch.showOnlineStatus !== undefined ? { show_online_status: int(patch.showOnlineStatus) } : {}),
        },
        clock.now(),
      );
      return (await findUserById(db, userId))!;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
