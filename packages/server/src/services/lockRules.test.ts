import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockRow } from '../db/types.js';
import { DEFAULT_LOCK_SETTINGS, lockOf } from '../storage/rows.js';
import { controllerOf, hasAcceptedKeyholder, invitationPending, remainingSeconds, roleOf, sessionLockView, timerHiddenFrom, unlockHolds } from './lockRules.js';

const T0 = Date.UTC(2026, 0, 1);

function lock(over: Partial<LockRow> = {}): LockRow {
  return {
    id: 'l1', wearer_id: 'w', keyholder_id: null, keyholder_status: null, title: 'Test', status: 'locked',
    started_at: T0, ends_at: T0 + 3600_000, max_ends_at: null, frozen_at: null, frozen_until: null, hidden_timer: 0, ended_at: null,
    settings: DEFAULT_LOCK_SETTINGS, version: 1, created_at: T0, updated_at: T0,
    pillory_until: null, pillory_reason: null, hygienic_started_at: null, hygienic_until: null, task_points: 0,
    ...over,
  } as LockRow;
}

test('roles: the wearer, a pending or accepted keyholder; a declined one and strangers are nobody', () => {
  assert.equal(roleOf(lock(), 'w'), 'wearer');
  assert.equal(roleOf(lock({ keyholder_id: 'k', keyholder_status: 'pending' }), 'k'), 'keyholder');
  assert.equal(roleOf(lock({ keyholder_id: 'k', keyholder_status: 'accepted' }), 'k'), 'keyholder');
  assert.equal(roleOf(lock({ keyholder_id: 'k', keyholder_status: 'declined' }), 'k'), null);
  assert.equal(roleOf(lock(), 'x'), null);
});

test('only an accepted keyholder controls the lock; a pending invitation leaves it with the wearer', () => {
  const pending = lock({ keyholder_id: 'k', keyholder_status: 'pending' });
  const accepted = lock({ keyholder_id: 'k', keyholder_status: 'accepted' });
  assert.equal(controllerOf(pending), 'w');
  assert.equal(controllerOf(accepted), 'k');
  assert.equal(hasAcceptedKeyholder(pending), false);
  assert.equal(invitationPending(pending), true);
  assert.equal(invitationPending(accepted), false);
  assert.equal(sessionLockView(pending, false).keyholderId, null);
  assert.equal(sessionLockView(accepted, false).keyholderId, 'k');
});

test('the remaining time is held while frozen and never negative', () => {
  assert.equal(remainingSeconds(lock(), T0 + 600_000), 3000);
  assert.equal(remainingSeconds(lock({ frozen_at: T0 + 600_000 }), T0 + 1800_000), 3000);
  assert.equal(remainingSeconds(lock(), T0 + 7200_000), 0);
  assert.equal(remainingSeconds(lock({ ends_at: null }), T0), null);
});

test('a hidden timer is hidden from the wearer only', () => {
  assert.equal(timerHiddenFrom(lock({ hidden_timer: 1 }), 'wearer'), true);
  assert.equal(timerHiddenFrom(lock({ hidden_timer: 1 }), 'keyholder'), false);
  assert.equal(timerHiddenFrom(lock(), 'wearer'), false);
});

test('stored settings decode with defaults for what the row lacks', () => {
  const { settings } = lockOf({ ...lock(), settings: JSON.stringify({ tasks: { enabled: true } }) });
  assert.equal(settings.tasks.enabled, true);
  assert.equal(settings.pillory.maxDurationSeconds, DEFAULT_LOCK_SETTINGS.pillory.maxDurationSeconds);
});

test('unlock holds name every reason at once', () => {
  const held = lock({ frozen_at: T0, pillory_until: T0 + 60_000, task_points: 1, settings: { ...DEFAULT_LOCK_SETTINGS, requiredTaskPoints: 5 } });
  const blockers = [{ kind: 'manual' }, { kind: 'requirement' }] as Parameters<typeof unlockHolds>[1];
  assert.deepEqual(unlockHolds(held, blockers, T0 + 1000).sort(), ['extension_blocker', 'frozen', 'pillory', 'requirement_unsatisfied', 'task_points', 'time_remaining']);
  assert.deepEqual(unlockHolds(lock(), [], T0 + 3600_000), []);
  assert.deepEqual(unlockHolds(lock({ status: 'unlocked' }), [], T0 + 3600_000), ['not_locked']);
});
