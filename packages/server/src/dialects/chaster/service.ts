import { ApiError, notFound } from '../../errors.js';
import type { DialectName } from '../../db/connect.js';
import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../../db/types.js';
import { hashSecret } from '../../ids.js';
import { timerHiddenFrom } from '../../services/lockRules.js';
import { mainTokenProblem } from '../../services/mainTokens.js';
import type { Clock } from '../../clock.js';
import { findRequestCredentials } from '../../storage/credentials.js';
import type { Executor } from '../../storage/executor.js';
import { chasterInstall, loadChasterLockInput } from './lockInput.js';
import { chasterLock, partnerRole } from './locks.js';
import { chasterSession } from './sessions.js';
import type { ChasterAuth, ChasterRole, ChasterSession } from './wire.js';

/**
 * The Chaster dialect's reads over the shared services: each loads latch's domain values and
 * hands them to the pure mappers of this folder.
 */
export function createChasterService({ db, clock, dialect }: { db: Executor; clock: Clock; dialect: DialectName }) {
  const lockInput = (lock: LockRow) => loadChasterLockInput(db, dialect, lock, clock.now());

  return {
    /** `GET /api/extensions/sessions/:id` for a Chaster app: `{session}` with its complete lock. */
    async session(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow): Promise<{ session: ChasterSession }> {
      const input = await lockInput(lock);
      const install = input.installs.find((i) => i.session.id === session.id) ?? chasterInstall(session, app, clock.now());
      return { session: chasterSession(install, chasterLock(input, { role: partnerRole(lock), hideTimer: false })) };
    },

    /**
     * `GET /api/extensions/auth/sessions/:mainToken` (main page): who opened the extension and
     * on which session. The token must be one of this app's; another app's is not found.
     */
    async auth(app: ExtensionAppRow, mainToken: string): Promise<ChasterAuth> {
      const { token, tokenLock } = await findRequestCredentials(db, { keyHash: null, tokenHash: hashSecret(mainToken), sessionId: null });
      const problem = mainTokenProblem(token, tokenLock, clock.now());
      if (problem === 'unknown') throw new ApiError('invalid_main_token', 'The main token is not known; reopen the extension for a fresh one');
      if (token!.app_id !== app.id) throw notFound('Extension session');
      if (problem) throw new ApiError('main_token_expired', 'The main token expired or was replaced; reopen the extension for a fresh one');
      const { session, lock } = await findRequestCredentials(db, { keyHash: null, tokenHash: null, sessionId: token!.session_id });
      if (!session || !lock) throw notFound('Extension session');
      if (session.removed_at !== null) throw new ApiError('extension_not_enabled', 'The extension is not enabled on this lock');
      const input = await lockInput(lock);
      const role: ChasterRole = token!.role;
      const install = input.installs.find((i) => i.session.id === session.id) ?? chasterInstall(session, app, clock.now());
      return {
        role,
        userId: token!.user_id,
        session: chasterSession(install, chasterLock(input, { role, hideTimer: false })),
        lockForUser: chasterLock(input, { role, hideTimer: timerHiddenFrom(lock, role) }),
      } satisfies ChasterAuth;
    },
  };
}

export type ChasterService = ReturnType<typeof createChasterService>;
