import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtensionSessionRow, HistoryLogRow, LockRow } from '../../src/db/types.js';
import { ApiError } from '../../src/errors.js';
import { DEFAULT_LOCK_SETTINGS } from '../../src/storage/rows.js';
import type { ViewUser } from '../../src/storage/sessionView.js';
import {
  chasterActionLog,
  chasterErrorBody,
  chasterLock,
  chasterRegularActions,
  chasterSession,
  parseActor,
  parseChasterAction,
  parseCustomLog,
  parseSessionPatch,
  type ChasterInstall,
  type ChasterLockInput,
} from '../../src/dialects/chaster/index.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const H = 3_600_000;
const WEARER = '665b0000aaaaaaaaaa000001';
const KEYHOLDER = '665b0000aaaaaaaaaa000002';
const LOCK = '665b0000aaaaaaaaaa000003';
const SESSION = '665b0000aaaaaaaaaa000004';

function lockRow(over: Partial<LockRow> = {}): LockRow {
  return {
    id: LOCK, wearer_id: WEARER, keyholder_id: KEYHOLDER, keyholder_status: 'accepted', title: 'Weekend', status: 'locked',
    started_at: NOW - 2 * H, ends_at: NOW + 5 * H, max_ends_at: null, frozen_at: null, hidden_timer: 0, ended_at: null, settings: DEFAULT_LOCK_SETTINGS,
    version: 3, created_at: NOW - 2 * H, updated_at: NOW - H, pillory_until: null, pillory_reason: null, hygienic_until: null, task_points: 0,
    frozen_until: null, hygienic_started_at: null, archived_at: null, min_date: null, max_date: null, min_limit_date: null,
    hide_time_logs: 0, is_test_lock: 0, visitor_votes_required: 0, visitor_votes: 0, shared_lock_id: null, keyholder_trusted_at: null, ...over,
  };
}
const user = (id: string, username: string, profile = {}): ViewUser => ({ id, username, profile: JSON.stringify(profile), show_online_status: 1, last_seen_at: NOW - 60_000 });
const users = new Map([
  [WEARER, user(WEARER, 'john', { bio: 'Locked up', avatarUrl: 'https://img.test/j.png' })],
  [KEYHOLDER, user(KEYHOLDER, 'mistress')],
]);
function sessionRow(over: Partial<ExtensionSessionRow> = {}): ExtensionSessionRow {
  return {
    id: SESSION, lock_id: LOCK, app_id: '665b0000aaaaaaaaaa000005', config: '{"difficulty":3}',
    metadata: JSON.stringify({ unlockBlockers: ['Finish the game'], homeActions: [{ slug: 'play', title: 'Play', badge: '2' }], unlockRequirements: [] }),
    state: '{"score":7}', version: 2, state_version: 2, regular_actions_config: null, regular_actions_state: null, created_at: NOW - 2 * H, updated_at: NOW - H,
    removed_at: null, background_granted_at: null, background_granted_by: null, background_role: null, granted_scopes: null, ...over,
  };
}
const install = (over: Partial<ExtensionSessionRow> = {}): ChasterInstall => ({
  session: sessionRow(over),
  app: { slug: 'dice', name: 'Dice', description: 'Roll it' },
  regular: { mode: 'cumulative', regularity: 3600, nbActionsRemaining: 2, nextActionDate: null },
});
function input(over: Partial<ChasterLockInput> = {}): ChasterLockInput {
  return { lock: lockRow(), users, installs: [install()], blockers: [], canBeUnlocked: false, now: NOW, ...over };
}
const apiError = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;

describe('chaster wire: locks', () => {
  it('the complete lock shows the end date; lockForUser of a wearer under a hidden timer does not', () => {
    const hidden = input({ lock: lockRow({ hidden_timer: 1 }) });
    assert.equal(chasterLock(hidden, { role: 'wearer', hideTimer: false }).endDate, new Date(NOW + 5 * H).toISOString());
    const forWearer = chasterLock(hidden, { role: 'wearer', hideTimer: true });
    assert.equal(forWearer.endDate, null);
    assert.equal(forWearer.displayRemainingTime, false);
    assert.equal(forWearer.isAllowedToViewTime, false);
  });

  it('carries the lock fields an extension reads', () => {
    const l = chasterLock(input({ lock: lockRow({ frozen_at: NOW - H, max_ends_at: NOW + 48 * H }), canBeUnlocked: false }), { role: 'keyholder', hideTimer: false });
    assert.equal(l._id, LOCK);
    assert.equal(l.status, 'locked');
    assert.equal(l.title, 'Weekend');
    assert.equal(l.role, 'keyholder');
    assert.equal(l.startDate, new Date(NOW - 2 * H).toISOString());
    assert.equal(l.isFrozen, true);
    assert.equal(l.frozenAt, new Date(NOW - H).toISOString());
    assert.equal(l.maxLimitDate, new Date(NOW + 48 * H).toISOString());
    assert.equal(l.limitLockTime, true);
    assert.equal(l.canBeUnlockedByMaxLimitDate, false);
    assert.equal(l.totalDuration, 2 * H);
    assert.equal(l.user._id, WEARER);
    assert.equal(l.user.username, 'john');
    assert.equal(l.user.description, 'Locked up');
    assert.equal(l.user.avatarUrl, 'https://img.test/j.png');
    assert.equal(l.user.online, true);
    assert.equal(l.user.lastSeen, 60);
    assert.equal(l.keyholder?.username, 'mistress');
    assert.deepEqual(l.extensions.map((e) => [e._id, e.slug, e.displayName]), [[SESSION, 'dice', 'Dice']]);
    assert.equal(l.availableHomeActions, undefined, 'home actions are the wearer’s');
    assert.equal(l.isTestLock, false);
    assert.equal(l.trusted, false);
  });

  it('a pending keyholder is no keyholder; blockers are reasons; the wearer sees home actions with their party', () => {
    const l = chasterLock(
      input({ lock: lockRow({ keyholder_status: 'pending' }), blockers: [{ sessionId: SESSION, extensionSlug: 'dice', extensionName: 'Dice', kind: 'manual', blocker: 'Finish the game' }] }),
      { role: 'wearer', hideTimer: false },
    );
    assert.equal(l.keyholder, null);
    assert.deepEqual(l.reasonsPreventingUnlocking, [{ reason: 'Finish the game', icon: 'puzzle-piece' }]);
    assert.equal(l.extensionsAllowUnlocking, false);
    assert.deepEqual(l.availableHomeActions, [{ extensionPartyId: SESSION, slug: 'play', title: 'Play', description: '', icon: 'puzzle-piece', badge: '2' }]);
  });

  it('extras from features latch keeps elsewhere override the defaults', () => {
    const l = chasterLock(input({ extras: { isTestLock: true, trusted: true, hideTimeLogs: true } }), { role: 'wearer', hideTimer: false });
    assert.deepEqual([l.isTestLock, l.trusted, l.hideTimeLogs], [true, true, true]);
  });

  it('an unlocked lock has its unlock date and stops counting', () => {
    const l = chasterLock(input({ lock: lockRow({ status: 'unlocked', ended_at: NOW - H }) }), { role: 'wearer', hideTimer: false });
    assert.equal(l.unlockedAt, new Date(NOW - H).toISOString());
    assert.equal(l.totalDuration, H);
    assert.equal(l.archivedAt, null);
    assert.equal(chasterLock(input({ lock: lockRow({ status: 'unlocked', ended_at: NOW - H, archived_at: NOW }) }), { role: 'wearer', hideTimer: false }).archivedAt, new Date(NOW).toISOString());
  });
});

describe('chaster wire: sessions and regular actions', () => {
  it('a session: config as written, data is the state, metadata in Chaster names, the lock inside', () => {
    const lock = chasterLock(input(), { role: 'wearer', hideTimer: false });
    const s = chasterSession(install(), lock);
    assert.equal(s._id, SESSION);
    assert.equal(s.sessionId, SESSION);
    assert.equal(s.slug, 'dice');
    assert.deepEqual(s.config, { difficulty: 3 });
    assert.deepEqual(s.data, { score: 7 });
    assert.deepEqual(s.metadata, { reasonsPreventingUnlocking: ['Finish the game'], homeActions: [{ slug: 'play', title: 'Play', description: '', icon: 'puzzle-piece', badge: '2' }] });
    assert.equal(s.mode, 'cumulative');
    assert.equal(s.regularity, 3600);
    assert.equal(s.nbActionsRemaining, 2);
    assert.equal(s.lock, lock);
  });

  it('regular actions: unlimited is -1 with the current date as the next one (docs); actions keep date and payload', () => {
    const unlimited = chasterRegularActions({ mode: 'unlimited', regularity: null, nbActionsRemaining: -1, nextActionDate: null }, [], NOW);
    assert.deepEqual(unlimited, { mode: 'unlimited', regularity: 0, nbActionsRemaining: -1, nextActionDate: new Date(NOW).toISOString(), actions: [] });
    const spent = chasterRegularActions({ mode: 'non_cumulative', regularity: 3600, nbActionsRemaining: 0, nextActionDate: '2026-06-01T13:00:00.000Z' }, [{ payload: { diceRolled: 2 }, createdAt: '2026-06-01T11:30:00.000Z' }, { payload: null, createdAt: '2026-06-01T11:40:00.000Z' }], NOW);
    assert.equal(spent.nextActionDate, '2026-06-01T13:00:00.000Z');
    assert.deepEqual(spent.actions, [{ date: '2026-06-01T11:30:00.000Z', payload: { diceRolled: 2 } }, { date: '2026-06-01T11:40:00.000Z', payload: null }]);
  });
});

describe('chaster wire: logs', () => {
  const row = (over: Partial<HistoryLogRow>): HistoryLogRow => ({
    id: '665b0000aaaaaaaaaa000009', lock_id: LOCK, type: 'extension_custom', role: 'wearer', actor_user_id: null, extension_slug: 'dice',
    title: '%USER% picked a card', description: 'By %USER%', icon: 'cards', color: '#ff0000', payload: '{"sessionId":"x"}', created_at: NOW, ...over,
  });
  const ctx = (viewerUserId: string | null) => ({ lock: lockRow(), users, extensionNames: new Map([['dice', 'Dice']]), viewerUserId, now: NOW });

  it('%USER% is the role’s name, "You" for that user, the extension’s name for the extension', () => {
    assert.equal(chasterActionLog(row({}), ctx(KEYHOLDER)).title, 'john picked a card');
    assert.equal(chasterActionLog(row({}), ctx(WEARER)).title, 'You picked a card');
    assert.equal(chasterActionLog(row({}), ctx(WEARER)).description, 'By You');
    assert.equal(chasterActionLog(row({ role: 'keyholder' }), ctx(WEARER)).title, 'mistress picked a card');
    assert.equal(chasterActionLog(row({ role: 'keyholder' }), ctx(KEYHOLDER)).title, 'You picked a card');
    assert.equal(chasterActionLog(row({ role: 'extension' }), ctx(null)).title, 'Dice picked a card');
  });

  it('an extension’s custom entry carries its slug as prefix; platform entries are default with Chaster’s type', () => {
    const custom = chasterActionLog(row({}), ctx(null));
    assert.deepEqual([custom.prefix, custom.type, custom.role, custom.extension, custom.lock], ['dice', 'custom', 'user', 'dice', LOCK]);
    assert.deepEqual(custom.payload, { sessionId: 'x' });
    const added = chasterActionLog(row({ type: 'time_added', role: 'keyholder', actor_user_id: KEYHOLDER, extension_slug: null, title: 'Added 1 h' }), ctx(null));
    assert.deepEqual([added.prefix, added.type, added.role, added.extension, added.user?.username], ['default', 'time_changed', 'keyholder', undefined, 'mistress']);
    assert.equal(chasterActionLog(row({ type: 'device_attached', role: 'system', extension_slug: null }), ctx(null)).role, 'extension');
  });
});

describe('chaster wire: request bodies', () => {
  it('each lock action becomes an engine call', () => {
    assert.deepEqual(parseChasterAction({ action: { name: 'add_time', params: 300 } }), { name: 'add_time', params: 300 });
    assert.deepEqual(parseChasterAction({ action: { name: 'remove_time', params: 60 } }), { name: 'remove_time', params: 60 });
    // Chaster's freeze is open-ended: it lasts until unfrozen.
    for (const name of ['freeze', 'toggle_freeze'] as const) assert.deepEqual(parseChasterAction({ action: { name } }), { name, params: { untilUnfrozen: true } });
    assert.deepEqual(parseChasterAction({ action: { name: 'unfreeze' } }), { name: 'unfreeze', params: undefined });
    assert.deepEqual(parseChasterAction({ action: { name: 'pillory', params: { duration: 600, reason: 'Late' } } }), { name: 'pillory', params: { durationSeconds: 600, reason: 'Late' } });
    assert.deepEqual(parseChasterAction({ action: { name: 'pillory', params: { duration: 600 } } }), { name: 'pillory', params: { durationSeconds: 600 } });
    assert.deepEqual(parseChasterAction({ action: { name: 'set_display_remaining_time', params: false } }), { name: 'settings.patch', params: { hiddenTimer: true } });
  });

  it('bad actions are 4xx with the catalog codes', () => {
    assert.throws(() => parseChasterAction({ action: { name: 'add_time', params: '300' } }), apiError('invalid_params'));
    assert.throws(() => parseChasterAction({ action: { name: 'add_time', params: 1.5 } }), apiError('invalid_params'));
    assert.throws(() => parseChasterAction({ action: { name: 'add_time' } }), apiError('invalid_params'));
    assert.throws(() => parseChasterAction({ action: { name: 'pillory', params: { reason: 'x' } } }), apiError('invalid_params'));
    assert.throws(() => parseChasterAction({ action: { name: 'set_display_remaining_time', params: 'yes' } }), apiError('invalid_params'));
    assert.throws(() => parseChasterAction({ action: { name: 'settings.patch', params: {} } }), apiError('unknown_action'));
    assert.throws(() => parseChasterAction({ name: 'add_time', params: 300 }), apiError('invalid_request'));
    assert.throws(() => parseChasterAction([]), apiError('invalid_request'));
  });

  it('custom logs: user is the wearer, extension by default; admin and bad colours are refused', () => {
    assert.deepEqual(parseCustomLog({ title: '%USER% rolled', description: 'a 6', role: 'user', icon: 'dice', color: '#00ff00' }), { title: '%USER% rolled', description: 'a 6', role: 'wearer', icon: 'dice', color: '#00ff00' });
    assert.deepEqual(parseCustomLog({ title: 'Rolled', description: '' }), { title: 'Rolled', description: '', role: 'extension' });
    assert.throws(() => parseCustomLog({ title: 'x', description: '', role: 'admin' }), apiError('invalid_request'));
    assert.throws(() => parseCustomLog({ title: 'x', description: '', color: 'red' }), apiError('invalid_request'));
  });

  it('PATCH replaces each given field whole, in latch’s names', () => {
    assert.deepEqual(parseSessionPatch({ data: { a: 1 } }), { state: { a: 1 } });
    assert.deepEqual(parseSessionPatch({ config: {}, metadata: { reasonsPreventingUnlocking: ['Play first'], homeActions: [{ slug: 'go', title: 'Go', description: 'd', icon: 'play' }] } }), {
      config: {},
      metadata: { unlockBlockers: ['Play first'], homeActions: [{ slug: 'go', title: 'Go', description: 'd', icon: 'play' }] },
    });
    assert.throws(() => parseSessionPatch({ metadata: { reasonsPreventingUnlocking: Array(26).fill('x'), homeActions: [] } }), apiError('invalid_request'));
    assert.throws(() => parseSessionPatch({ data: [1] }), apiError('invalid_request'));
  });

  it('the actor system: keyholder on a lock without one is refused', () => {
    assert.deepEqual(parseActor({ actor: 'wearer' }, lockRow(), 'dice'), { actor: { role: 'wearer', userId: WEARER, extensionSlug: 'dice' }, launchRole: 'wearer' });
    assert.deepEqual(parseActor({ actor: 'keyholder' }, lockRow(), 'dice'), { actor: { role: 'keyholder', userId: KEYHOLDER, extensionSlug: 'dice' }, launchRole: 'keyholder' });
    assert.deepEqual(parseActor({ actor: 'extension' }, lockRow(), 'dice'), { actor: { role: 'extension', extensionSlug: 'dice' }, launchRole: null });
    assert.throws(() => parseActor({ actor: 'keyholder' }, lockRow({ keyholder_id: null, keyholder_status: null }), 'dice'), apiError('invalid_params'));
    assert.throws(() => parseActor({ actor: 'keyholder' }, lockRow({ keyholder_status: 'pending' }), 'dice'), apiError('invalid_params'));
    assert.throws(() => parseActor({}, lockRow(), 'dice'), apiError('invalid_request'));
  });
});

describe('chaster wire: errors', () => {
  it('NestJS fields with latch’s code and request id', () => {
    assert.deepEqual(chasterErrorBody(422, 'regular_action_unavailable', 'No action', 'req-1', undefined, { nbActionsRemaining: 0 }), {
      nbActionsRemaining: 0,
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'No action',
      code: 'regular_action_unavailable',
      requestId: 'req-1',
    });
    assert.equal(chasterErrorBody(404, 'not_found', 'Session not found', 'r').error, 'Not Found');
    assert.equal(chasterErrorBody(403, 'forbidden', 'x', 'r').error, 'Forbidden');
  });
});
