import type { ErrorCode, LockSettings } from '@latch/protocol';
import type { LockRow } from '../db/types.js';
import { ApiError } from '../errors.js';
import { ACTION_NAMES, parseFreezeSeconds, type ActionName } from './lockActions.js';
import { hasAcceptedKeyholder, inPillory, invitationPending, isFrozen, type LockRole, type UnlockHold } from './lockRules.js';

/**
 * Who may do what on a lock (issue 14, DECISIONS §4): one table, as data, that every route and
 * service consults. A row is who is asking (by how they reach the lock); a column is a lock
 * action; a cell allows, denies with an error code of the closed catalog, or allows only when
 * named conditions hold. Whether the lock is still running and whether a module is on are not
 * the table's business: the engine checks those (`lock_ended`, `pillory_not_enabled`, …).
 */

export const LOCK_ACTIONS = [
  ...ACTION_NAMES,
  'hygienic.relock',
  'unlock',
  'archive',
  'desert',
  'invitation.accept',
  'invitation.decline',
  'invitation.withdraw',
  'keyholder.trust',
  'keyholder.resign',
  'extension.install',
  'extension.configure',
  'extension.remove',
  'max_limit.extend',
  'max_limit.remove',
  'min_limit.change',
  'shared_link.configure',
  'shared_link.lower_votes',
  'task.verify',
  // Verification pictures (issue 13): asked for by the keyholder, an extension or (rarely) the wearer; sent by the wearer.
  'verification_picture.request',
  'verification_picture.submit',
  'verification_picture.view',
  // Penalties (issue 13): the lock's controller enables habits of its extensions.
  'penalties.configure',
] as const;
export type LockAction = (typeof LOCK_ACTIONS)[number];

/**
 * First-party rows (the web UI's API): `self_wearer` wears a lock without a keyholder; `wearer`
 * wears one with a keyholder, invited (pending) or accepted; `invitee` is invited and has not
 * answered; `keyholder` accepted; `trusted_keyholder` accepted and trusted by the wearer;
 * `stranger` is none of them. Then the extension launches (by the launch role) and the
 * `/api/apps/v1` scripts, which act as the wearer.
 */
export const POLICY_ROLES = ['self_wearer', 'wearer', 'invitee', 'keyholder', 'trusted_keyholder', 'stranger', 'extension_wearer', 'extension_keyholder', 'apps_v1'] as const;
export type PolicyRole = (typeof POLICY_ROLES)[number];
export const FIRST_PARTY_ROLES = ['self_wearer', 'wearer', 'invitee', 'keyholder', 'trusted_keyholder', 'stranger'] as const satisfies readonly PolicyRole[];

/** What a cell needs to know about the lock now. `params` are the action's; `openTask`, `holds` where known. */
export interface PolicyContext {
  lock: LockRow;
  settings: LockSettings;
  now: number;
  params?: unknown;
  openTask?: boolean;
  holds?: UnlockHold[];
}

/** Actions that favour the wearer (DECISIONS §4), given the lock and the action's params. */
export function favoursWearer(action: LockAction, ctx: PolicyContext): boolean {
  switch (action) {
    case 'freeze': {
      // Re-arming a freeze to end sooner than set is an early unfreeze.
      if (!isFrozen(ctx.lock) || ctx.lock.frozen_until === null) return false;
      try {
        const seconds = parseFreezeSeconds(ctx.params);
        // An open-ended freeze never ends sooner.
        return seconds !== null && ctx.now + seconds * 1000 < ctx.lock.frozen_until;
      } catch {
        return false;
      }
    }
    case 'toggle_freeze':
      return isFrozen(ctx.lock);
    case 'remove_time':
    case 'unfreeze':
    case 'pillory.end':
    case 'hygienic_unlock.start':
    case 'settings.patch':
    case 'task.complete':
      return true;
    default:
      return false;
  }
}

const trustsScripts = (ctx: PolicyContext) => !hasAcceptedKeyholder(ctx.lock) || ctx.settings.trustExternalPrograms;

/** The named conditions a cell may require (all of them). */
export const CONDITIONS = {
  invitation_pending: (ctx: PolicyContext) => invitationPending(ctx.lock),
  keyholder_accepted: (ctx: PolicyContext) => hasAcceptedKeyholder(ctx.lock),
  no_accepted_keyholder: (ctx: PolicyContext) => !hasAcceptedKeyholder(ctx.lock),
  unlockable: (ctx: PolicyContext) => ctx.holds !== undefined && ctx.holds.length === 0,
  not_favouring_freeze: (ctx: PolicyContext) => !favoursWearer('freeze', ctx),
  not_frozen: (ctx: PolicyContext) => !isFrozen(ctx.lock),
  no_open_task: (ctx: PolicyContext) => ctx.openTask === false,
  // DECISIONS §4: scripts may favour the wearer only where there is no keyholder, or one who trusts them.
  scripts_trusted: trustsScripts,
  scripts_trusted_or_not_favouring_freeze: (ctx: PolicyContext) => trustsScripts(ctx) || !favoursWearer('freeze', ctx),
  scripts_trusted_or_not_frozen: (ctx: PolicyContext) => trustsScripts(ctx) || !isFrozen(ctx.lock),
  // Replacing an open task with an easier one favours the wearer.
  scripts_trusted_or_no_open_task: (ctx: PolicyContext) => trustsScripts(ctx) || ctx.openTask === false,
} as const;
export type Condition = keyof typeof CONDITIONS;

export type Rule = 'allow' | { deny: ErrorCode; message?: string } | { when: Condition[]; otherwise: ErrorCode; message?: string };

const allow = 'allow' as const;
const deny = (code: ErrorCode, message?: string): Rule => ({ deny: code, ...(message ? { message } : {}) });
const when = (conditions: Condition[], otherwise: ErrorCode, message?: string): Rule => ({ when: conditions, otherwise, ...(message ? { message } : {}) });

const FAVOURS_YOU = 'That would favour you: only your keyholder, your extensions or your own scripts may do it';
const KEYHOLDER_DECIDES = 'Your keyholder controls this lock';
const ACCEPT_FIRST = 'Accept the invitation before acting on this lock';
const NOT_TRUSTED = 'The wearer has not trusted you with the extensions of this lock';
const ONLY_INVITEE = 'Only the invited keyholder can answer the invitation';
const NO_INVITATION = 'No invitation is waiting for an answer';
const ONLY_WEARER = 'Only the wearer can do this';
const ONLY_WEARER_CEILING = 'Only the wearer can change the limit lock time';
const ONLY_KEYHOLDER_FLOOR = 'Only the keyholder can change the minimum lock time';
const KEYHOLDER_LINK = 'The keyholder sets up the shared link of this lock';
const KEYHOLDER_VOTES = 'Only a keyholder can lower the number of votes required';
const WEARER_PROOF = 'The wearer sends the verification picture of their task';
const SCRIPTS = (what: string) => `${what} favours the wearer: the keyholder has not allowed external programs to do it`;

/** The keyholder's column values, trusted or not (extensions differ). */
function keyholderRow(trusted: boolean): Record<LockAction, Rule> {
  const extensions = trusted ? allow : deny('forbidden', NOT_TRUSTED);
  return {
    add_time: allow,
    remove_time: allow,
    freeze: allow,
    pillory: allow,
    unfreeze: allow,
    toggle_freeze: allow,
    'settings.patch': allow,
    'task.assign': allow,
    'task.start_timer': allow,
    'task.complete': allow,
    'hygienic_unlock.start': allow,
    'pillory.end': allow,
    'hygienic.relock': deny('forbidden', 'Only the wearer relocks'),
    unlock: allow,
    archive: deny('forbidden', 'Only the wearer archives a lock'),
    desert: deny('forbidden', ONLY_WEARER),
    'invitation.accept': deny('conflict', 'The invitation was already accepted'),
    'invitation.decline': deny('conflict', 'The invitation was already accepted'),
    'invitation.withdraw': deny('forbidden', ONLY_WEARER),
    'keyholder.trust': deny('forbidden', ONLY_WEARER),
    'keyholder.resign': allow,
    'extension.install': extensions,
    'extension.configure': extensions,
    'extension.remove': extensions,
    // The ceiling is the wearer's safety measure (Chaster's "Lock settings").
    'max_limit.extend': deny('forbidden', ONLY_WEARER_CEILING),
    'max_limit.remove': deny('forbidden', ONLY_WEARER_CEILING),
    'min_limit.change': allow,
    'shared_link.configure': allow,
    'shared_link.lower_votes': allow,
    'task.verify': deny('forbidden', WEARER_PROOF),
    'verification_picture.request': allow,
    'verification_picture.submit': deny('forbidden', 'Only the wearer sends verification pictures'),
    'verification_picture.view': allow,
    'penalties.configure': allow,
  };
}

/** An extension launch: every engine action (DECISIONS §4 restricts only a wearer launch's settings.patch); the rest is not on its API. */
function extensionRow(launch: LockRole): Partial<Record<LockAction, Rule>> {
  const engine: Partial<Record<LockAction, Rule>> = Object.fromEntries(ACTION_NAMES.map((a) => [a, allow])) as Record<ActionName, Rule>;
  engine['verification_picture.request'] = allow;
  if (launch === 'wearer') engine['settings.patch'] = when(['no_accepted_keyholder'], 'role_not_allowed', 'A wearer launch may not change the settings of a lock that has a keyholder');
  return engine;
}

export const POLICY: Record<PolicyRole, Partial<Record<LockAction, Rule>>> = {
  self_wearer: {
    add_time: allow,
    remove_time: deny('role_not_allowed', FAVOURS_YOU),
    freeze: when(['not_favouring_freeze'], 'role_not_allowed', FAVOURS_YOU),
    pillory: allow,
    unfreeze: deny('role_not_allowed', FAVOURS_YOU),
    toggle_freeze: when(['not_frozen'], 'role_not_allowed', FAVOURS_YOU),
    'settings.patch': deny('role_not_allowed', FAVOURS_YOU),
    'task.assign': when(['no_open_task'], 'role_not_allowed', 'A task is open: finish it before giving yourself another'),
    'task.start_timer': allow,
    'task.complete': allow,
    'hygienic_unlock.start': allow,
    'pillory.end': deny('role_not_allowed', FAVOURS_YOU),
    'hygienic.relock': allow,
    unlock: when(['unlockable'], 'unlock_not_allowed'),
    // Archiving a running lock deserts it: the combination is withheld (the combination safe).
    archive: allow,
    desert: allow,
    'invitation.accept': deny('forbidden', ONLY_INVITEE),
    'invitation.decline': deny('forbidden', ONLY_INVITEE),
    'invitation.withdraw': deny('conflict', NO_INVITATION),
    'keyholder.trust': deny('conflict', 'This lock has no keyholder'),
    'keyholder.resign': deny('forbidden', 'Only the keyholder can resign'),
    'extension.install': allow,
    'extension.configure': allow,
    'extension.remove': allow,
    'max_limit.extend': allow,
    'max_limit.remove': allow,
    'min_limit.change': deny('forbidden', ONLY_KEYHOLDER_FLOOR),
    'shared_link.configure': allow,
    // Fewer votes would let the wearer out sooner.
    'shared_link.lower_votes': deny('forbidden', KEYHOLDER_VOTES),
    'task.verify': allow,
    'verification_picture.request': allow,
    'verification_picture.submit': allow,
    'verification_picture.view': allow,
    // The controller of a self-lock, as for its extensions.
    'penalties.configure': allow,
  },
  wearer: {
    // While the invitation waits, the lock is still the wearer's alone: what does not favour them stays theirs.
    add_time: when(['invitation_pending'], 'role_not_allowed', KEYHOLDER_DECIDES),
    remove_time: deny('role_not_allowed', FAVOURS_YOU),
    freeze: when(['invitation_pending', 'not_favouring_freeze'], 'role_not_allowed', KEYHOLDER_DECIDES),
    pillory: when(['invitation_pending'], 'role_not_allowed', KEYHOLDER_DECIDES),
    unfreeze: deny('role_not_allowed', FAVOURS_YOU),
    toggle_freeze: when(['invitation_pending', 'not_frozen'], 'role_not_allowed', KEYHOLDER_DECIDES),
    'settings.patch': deny('role_not_allowed', FAVOURS_YOU),
    'task.assign': when(['invitation_pending', 'no_open_task'], 'role_not_allowed', KEYHOLDER_DECIDES),
    // The wearer does the task: starting its timer and reporting it are theirs.
    'task.start_timer': allow,
    'task.complete': allow,
    'hygienic_unlock.start': deny('role_not_allowed', KEYHOLDER_DECIDES),
    'pillory.end': deny('role_not_allowed', FAVOURS_YOU),
    'hygienic.relock': allow,
    unlock: when(['unlockable'], 'unlock_not_allowed'),
    // The wearer's way out of any lock, at the price of the combination (withheld, recoverable later).
    archive: allow,
    desert: allow,
    'invitation.accept': deny('forbidden', ONLY_INVITEE),
    'invitation.decline': deny('forbidden', ONLY_INVITEE),
    'invitation.withdraw': when(['invitation_pending'], 'conflict', 'Your keyholder already accepted'),
    'keyholder.trust': when(['keyholder_accepted'], 'conflict', 'Your keyholder has not accepted yet'),
    'keyholder.resign': deny('forbidden', 'Only the keyholder can resign'),
    'extension.install': when(['invitation_pending'], 'forbidden', 'Your keyholder manages the extensions of this lock'),
    'extension.configure': when(['invitation_pending'], 'forbidden', 'Your keyholder manages the extensions of this lock'),
    'extension.remove': when(['invitation_pending'], 'forbidden', 'Your keyholder manages the extensions of this lock'),
    'max_limit.extend': allow,
    'max_limit.remove': allow,
    'min_limit.change': deny('forbidden', ONLY_KEYHOLDER_FLOOR),
    // Until the keyholder accepts, the lock's shared link is the wearer's, as on a self-lock.
    'shared_link.configure': when(['invitation_pending'], 'forbidden', KEYHOLDER_LINK),
    'shared_link.lower_votes': deny('forbidden', KEYHOLDER_VOTES),
    // The wearer proves their task done with a picture (the keyholder sees it).
    'task.verify': allow,
    // Asking for a picture of oneself takes nothing away from the keyholder.
    'verification_picture.request': allow,
    'verification_picture.submit': allow,
    'verification_picture.view': allow,
    'penalties.configure': when(['invitation_pending'], 'forbidden', 'Your keyholder sets the penalties of this lock'),
  },
  invitee: {
    ...(Object.fromEntries(LOCK_ACTIONS.map((a) => [a, deny('forbidden', ACCEPT_FIRST)])) as Record<LockAction, Rule>),
    'invitation.accept': allow,
    'invitation.decline': allow,
  },
  keyholder: keyholderRow(false),
  trusted_keyholder: keyholderRow(true),
  // Someone else's lock is indistinguishable from a missing one.
  stranger: Object.fromEntries(LOCK_ACTIONS.map((a) => [a, deny('not_found', 'Lock not found')])) as Record<LockAction, Rule>,
  extension_wearer: extensionRow('wearer'),
  extension_keyholder: extensionRow('keyholder'),
  apps_v1: {
    add_time: allow,
    remove_time: when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('remove_time')),
    freeze: when(['scripts_trusted_or_not_favouring_freeze'], 'role_not_allowed', SCRIPTS('Shortening a freeze')),
    pillory: allow,
    unfreeze: when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('unfreeze')),
    toggle_freeze: when(['scripts_trusted_or_not_frozen'], 'role_not_allowed', SCRIPTS('Unfreezing')),
    'settings.patch': when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('settings.patch')),
    'task.assign': when(['scripts_trusted_or_no_open_task'], 'role_not_allowed', 'A task is open: the keyholder has not allowed external programs to replace it'),
    'task.start_timer': allow,
    'task.complete': when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('task.complete')),
    'hygienic_unlock.start': when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('hygienic_unlock.start')),
    'pillory.end': when(['scripts_trusted'], 'role_not_allowed', SCRIPTS('pillory.end')),
  },
};

export type Verdict = { allowed: true } | { allowed: false; code: ErrorCode; message: string };

/** The table's answer for one cell now. An action a row does not list is not on that caller's API: 403 `forbidden`. */
export function decide(role: PolicyRole, action: LockAction, ctx: PolicyContext): Verdict {
  const rule = POLICY[role][action];
  if (rule === undefined) return { allowed: false, code: 'forbidden', message: `${action} is not available here` };
  if (rule === 'allow') return { allowed: true };
  if ('deny' in rule) return { allowed: false, code: rule.deny, message: rule.message ?? `${action} is not allowed` };
  if (rule.when.every((c) => CONDITIONS[c](ctx))) return { allowed: true };
  return { allowed: false, code: rule.otherwise, message: rule.message ?? `${action} is not allowed now` };
}

/** Where a request came from, for the table's row. */
export type Via =
  | { kind: 'extension'; launchRole: LockRole | null }
  | { kind: 'external' }
  | { kind: 'first_party'; userId: string }
  | { kind: 'system' };

/** The row of a caller; null for the scheduler (`system`), which the table does not restrict. */
export function policyRoleOf(via: Via, lock: Pick<LockRow, 'wearer_id' | 'keyholder_id' | 'keyholder_status' | 'keyholder_trusted_at'>): PolicyRole | null {
  switch (via.kind) {
    case 'system':
      return null;
    case 'external':
      return 'apps_v1';
    // Without a launch role (an app acting for itself) nothing of §4's wearer rule applies.
    case 'extension':
      return via.launchRole === 'wearer' ? 'extension_wearer' : 'extension_keyholder';
    case 'first_party': {
      if (lock.wearer_id === via.userId) return invitationPending(lock) || hasAcceptedKeyholder(lock) ? 'wearer' : 'self_wearer';
      if (lock.keyholder_id !== via.userId) return 'stranger';
      if (lock.keyholder_status === 'pending') return 'invitee';
      if (lock.keyholder_status === 'accepted') return lock.keyholder_trusted_at !== null ? 'trusted_keyholder' : 'keyholder';
      return 'stranger';
    }
  }
}

/**
 * The table's verdict for `via` doing `action` on `lock` now; throws its error when denied.
 * The scheduler (`system`) is not restricted.
 */
export function authorize(via: Via, action: LockAction, lock: LockRow, now: number, extra: Omit<PolicyContext, 'lock' | 'settings' | 'now'> = {}): void {
  const role = policyRoleOf(via, lock);
  if (role === null) return;
  const verdict = decide(role, action, { lock, settings: lock.settings, now, ...extra });
  if (!verdict.allowed) throw new ApiError(verdict.code, verdict.message, verdict.code === 'unlock_not_allowed' ? { reasons: extra.holds ?? [] } : undefined);
}

/**
 * Whether the lock's state lets an action do anything now (running, module on, something to
 * end): not a matter of who asks, so not in the table, but the lock page shows only what would work.
 */
function stateAllows(action: LockAction, ctx: PolicyContext): boolean {
  const { lock, settings, now } = ctx;
  if (action === 'archive') return true;
  if (lock.status !== 'locked') return false;
  switch (action) {
    case 'pillory':
      return settings.pillory.enabled && !inPillory(lock, now);
    case 'pillory.end':
      return inPillory(lock, now);
    case 'unfreeze':
      return isFrozen(lock);
    case 'hygienic_unlock.start':
      return settings.hygienicOpening.enabled && lock.hygienic_started_at === null;
    case 'hygienic.relock':
      return lock.hygienic_started_at !== null;
    case 'task.assign':
      return settings.tasks.enabled;
    case 'verification_picture.request':
    case 'verification_picture.submit':
      return settings.verificationPicture.enabled;
    case 'penalties.configure':
      return settings.penalties.enabled;
    case 'task.start_timer':
    case 'task.complete':
    case 'task.verify':
      return settings.tasks.enabled && ctx.openTask === true;
    case 'keyholder.trust':
      return lock.keyholder_trusted_at === null;
    case 'max_limit.extend':
    case 'max_limit.remove':
      return lock.max_ends_at !== null;
    case 'shared_link.lower_votes':
      return lock.visitor_votes_required > 0;
    default:
      return true;
  }
}

/** The actions `role` may perform on the lock now: the table's allowed cells whose state lets them act. */
export function allowedActions(role: PolicyRole, ctx: PolicyContext): LockAction[] {
  return LOCK_ACTIONS.filter((a) => POLICY[role][a] !== undefined && decide(role, a, ctx).allowed && stateAllows(a, ctx));
}
