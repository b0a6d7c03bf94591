import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_NAMES } from '../src/services/lockActions.js';
import { call, expectError, fixtureWorld, login, register, type Session, snapshot, suiteApp, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * The web UI's own lock controls (DECISIONS §4, §5): keyholder actions, unlocking and what holds
 * a lock, hygienic openings and timed ends run by the scheduler when the virtual clock jumps.
 */

interface RanJob {
  id: string;
  kind: string;
  key: string;
  runAt: string;
  outcome: string;
}

interface HistoryItem {
  type: string;
  role: string;
  actor: { userId: string | null; username: string | null; extensionSlug: string | null } | null;
  title: string;
  description: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

interface NotificationItem {
  type: string;
  lockId: string | null;
  title: string;
  message: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const sorted = (xs: string[]) => [...xs].sort();

async function fixture(t: TestApp, payload: object = {}): Promise<World> {
  return fixtureWorld(t.app, payload);
}

/** The world's wearer and keyholder, signed in to the web UI. */
async function people(t: TestApp, w: World): Promise<{ we: Session; kh: Session }> {
  const we = await login(t.app, w.wearer.username, w.wearer.password);
  const kh = w.keyholder ? await login(t.app, w.keyholder.username, w.keyholder.password) : we;
  return { we, kh };
}

const act = (t: TestApp, as: Session | null, lockId: string, name: string, params?: unknown) =>
  call(t.app, as, 'POST', `/api/locks/${lockId}/actions`, params === undefined ? { name } : { name, params });

async function ok(res: { statusCode: number; body: string; json(): unknown }, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json() as Record<string, any>;
}

async function status(t: TestApp, as: Session, lockId: string) {
  return ok(await call(t.app, as, 'GET', `/api/locks/${lockId}/status`));
}

async function nowMs(t: TestApp): Promise<number> {
  return (await ok(await t.app.inject({ method: 'GET', url: '/api/dev/clock' }))).nowMs as number;
}

async function advance(t: TestApp, seconds: number): Promise<{ nowMs: number; jobsRun: RanJob[] }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
  return (await ok(res)) as { nowMs: number; jobsRun: RanJob[] };
}

/** Jobs of one lock among those an advance ran. */
const jobsOf = (jobs: RanJob[], lockId: string) => jobs.filter((j) => j.key.endsWith(`:${lockId}`));

async function history(t: TestApp, as: Session, lockId: string): Promise<HistoryItem[]> {
  return (await ok(await call(t.app, as, 'GET', `/api/locks/${lockId}/history?limit=100`))).results as HistoryItem[];
}

async function inbox(t: TestApp, as: Session, lockId: string): Promise<NotificationItem[]> {
  const all = (await ok(await call(t.app, as, 'GET', '/api/notifications?limit=100'))).results as NotificationItem[];
  return all.filter((n) => n.lockId === lockId);
}

/** An extension backend call with the app key and a main token. */
function ext(t: TestApp, w: World, method: 'GET' | 'POST' | 'PATCH', path: string, payload: unknown, mainToken: string) {
  return t.app.inject({
    method,
    url: `/api/extensions/sessions/${w.session.id}${path}`,
    headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** The stored lock row: "nothing changed" means it is identical before and after. */
async function lockRow(t: TestApp, lockId: string) {
  return t.db.database.db.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow();
}

/** Plausible, valid params for every action, so a refusal is about the role and nothing else. */
const VALID_PARAMS: Record<(typeof ACTION_NAMES)[number], unknown> = {
  add_time: { seconds: 600 },
  remove_time: { seconds: 600 },
  freeze: { durationSeconds: 600 },
  pillory: { durationSeconds: 600, reason: 'self-service' },
  unfreeze: undefined,
  toggle_freeze: undefined,
  'settings.patch': { requiredTaskPoints: 0 },
  'task.assign': { taskText: 'Do it', points: 5 },
  'task.start_timer': undefined,
  'task.complete': { successful: true },
  'hygienic_unlock.start': { durationSeconds: 900 },
  'pillory.end': undefined,
};

describe('lock control: keyholder actions from the web UI', () => {
  const t = suiteApp();

  it('the keyholder adds time, freezes, pillories, assigns a task and patches settings; the Lock view shows each', async () => {
    const w = await fixture(t, { lock: { durationSeconds: 86400 } });
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    const t0 = await nowMs(t);

    const added = await ok(await act(t, kh, lockId, 'add_time', { seconds: 3600 }));
    assert.equal(added.ok, true);
    assert.equal(added.action, 'add_time');
    assert.equal(added.changed, true);
    assert.equal(added.lock.timeRemainingSeconds, 90000);
    assert.equal(added.lock.role, 'keyholder');
    assert.equal(added.lock.endsAt, iso(t0 + 90000_000));

    const frozen = await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 600 }));
    assert.equal(frozen.lock.frozenAt, iso(t0));
    assert.equal(frozen.lock.frozenUntil, iso(t0 + 600_000));
    assert.ok(frozen.lock.unlock.reasons.includes('frozen'));
    await advance(t, 100);
    assert.equal((await status(t, we, lockId)).timeRemainingSeconds, 90000, 'remaining is held while frozen');

    const unfrozen = await ok(await act(t, kh, lockId, 'unfreeze'));
    assert.equal(unfrozen.changed, true);
    assert.equal(unfrozen.lock.frozenAt, null);
    assert.equal(unfrozen.lock.frozenUntil, null);
    assert.equal(unfrozen.lock.timeRemainingSeconds, 90000);
    assert.equal(unfrozen.lock.endsAt, iso(t0 + 90100_000), 'the frozen span moved the end');
    const again = await ok(await act(t, kh, lockId, 'unfreeze'));
    assert.equal(again.changed, false, 'unfreeze is idempotent');

    const pilloried = await ok(await act(t, kh, lockId, 'pillory', { durationSeconds: 300, reason: 'Missed the check-in' }));
    assert.deepEqual(pilloried.lock.pillory, { until: iso(t0 + 100_000 + 300_000), reason: 'Missed the check-in' });
    expectError(await act(t, kh, lockId, 'pillory', { durationSeconds: 300 }), 409, 'pillory_active');

    const assigned = await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'Write 100 lines', points: 7 }));
    assert.equal(typeof assigned.detail.taskId, 'string');
    const task = assigned.lock.currentTask;
    assert.equal(task.id, assigned.detail.taskId);
    assert.equal(task.text, 'Write 100 lines');
    assert.equal(task.points, 7);
    assert.equal(task.durationSeconds, 0);
    assert.equal(task.verificationRequired, false);
    assert.equal(task.timerEndsAt, null);
    assert.equal(task.assignedBy, 'keyholder');
    assert.equal((await status(t, we, lockId)).currentTask.id, task.id, 'the wearer sees the task');
    assert.ok((await inbox(t, we, lockId)).some((n) => n.type === 'task_assigned'));

    const trusted = await ok(await act(t, kh, lockId, 'settings.patch', { trustExternalPrograms: true }));
    assert.equal(trusted.lock.settings.trustExternalPrograms, true);
    assert.equal(trusted.lock.settings.pillory.enabled, true, 'other settings are kept');

    const hidden = await ok(await act(t, kh, lockId, 'settings.patch', { hiddenTimer: true }));
    assert.equal(hidden.lock.hiddenTimer, true);
    assert.equal(hidden.lock.timeRemainingSeconds, 90000, 'the keyholder still sees the timer');
    const wearerView = await status(t, we, lockId);
    assert.equal(wearerView.hiddenTimer, true);
    assert.equal(wearerView.timeRemainingSeconds, null);
    assert.equal(wearerView.endsAt, null);
    assert.equal((await ok(await call(t.app, we, 'GET', `/api/locks/${lockId}`))).timeRemainingSeconds, null);

    const entries = await history(t, kh, lockId);
    const mine = entries.filter((h) => ['time_added', 'lock_frozen', 'lock_unfrozen', 'pillory_started', 'task_assigned', 'settings_changed'].includes(h.type));
    assert.deepEqual(
      mine.map((h) => h.type),
      ['settings_changed', 'settings_changed', 'task_assigned', 'pillory_started', 'lock_unfrozen', 'lock_frozen', 'time_added'],
      'one entry per change (the no-op unfreeze wrote none), newest first',
    );
    for (const h of mine) {
      assert.equal(h.role, 'keyholder', h.type);
      assert.equal(h.actor?.username, w.keyholder!.username, h.type);
      assert.equal(h.actor?.userId, w.keyholder!.id, h.type);
    }
    assert.equal(mine.find((h) => h.type === 'pillory_started')!.description, 'Missed the check-in');
    assert.deepEqual(mine[0]!.payload.changes, { hiddenTimer: true });
    assert.deepEqual(mine[1]!.payload.changes, { trustExternalPrograms: true });
  });

  it('the wearer of a keyholder lock may take no action but working on their task, and nothing changes', async () => {
    const w = await fixture(t);
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    // Give the state-dependent actions something to act on, so only the role can refuse them.
    await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'Open task', points: 1 }));
    await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 600 }));

    const rows = await snapshot(t.db.database);
    const row = await lockRow(t, lockId);
    // Starting the task timer and reporting the task are the wearer's (a separate test below).
    for (const name of ACTION_NAMES.filter((n) => n !== 'task.start_timer' && n !== 'task.complete')) {
      expectError(await act(t, we, lockId, name, VALID_PARAMS[name]), 403, 'role_not_allowed');
    }
    assert.deepEqual(await snapshot(t.db.database), rows);
    assert.deepEqual(await lockRow(t, lockId), row);
    const view = await status(t, we, lockId);
    assert.equal(view.role, 'wearer');
    assert.ok(view.frozenAt, 'still frozen');
    assert.equal(view.currentTask.text, 'Open task');
  });

  it('the wearer of a keyholder lock starts the timer of and reports their own task', async () => {
    const w = await fixture(t);
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'Plank', points: 4, durationSeconds: 60 }));
    await ok(await act(t, we, lockId, 'task.start_timer'));
    expectError(await act(t, we, lockId, 'task.complete', { successful: true }), 409, 'task_timer_not_finished');
    t.clock.advance(60_000);
    const done = await ok(await act(t, we, lockId, 'task.complete', { successful: true }));
    assert.equal(done.lock.taskPoints, 4);
    const entry = (await history(t, we, lockId)).find((h) => h.type === 'task_completed');
    assert.equal(entry?.role, 'wearer');
    // A task that needs proof is marked done with its picture (task-verification.test.ts), not by this action.
    await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'Photo', points: 2, verificationRequired: true }));
    expectError(await act(t, we, lockId, 'task.complete', { successful: true }), 400, 'verification_picture_required');
  });

  it('the wearer of a self-lock acts on their own lock, but takes nothing that favours them (issue 14)', async () => {
    const w = await fixture(t, { lock: { keyholder: false, durationSeconds: 7200 } });
    assert.equal(w.keyholder, null);
    const { we } = await people(t, w);
    const lockId = w.lock.id;
    expectError(await act(t, we, lockId, 'remove_time', 1800), 403, 'role_not_allowed');
    assert.equal((await ok(await act(t, we, lockId, 'add_time', { deltaSeconds: 600 }))).lock.timeRemainingSeconds, 7800);
    assert.ok((await ok(await act(t, we, lockId, 'toggle_freeze'))).lock.frozenAt);
    expectError(await act(t, we, lockId, 'toggle_freeze'), 403, 'role_not_allowed');
    expectError(await act(t, we, lockId, 'unfreeze'), 403, 'role_not_allowed');
    expectError(await act(t, we, lockId, 'settings.patch', { trustExternalPrograms: true }), 403, 'role_not_allowed');
    await ok(await act(t, we, lockId, 'task.assign', { taskText: 'Stretch', points: 3 }));
    expectError(await act(t, we, lockId, 'task.assign', { taskText: 'Easier', points: 0 }), 403, 'role_not_allowed');
    const done = await ok(await act(t, we, lockId, 'task.complete', { successful: true }));
    assert.equal(done.lock.taskPoints, 3);
    assert.equal(done.lock.currentTask, null);
    const after = await status(t, we, lockId);
    assert.ok(after.frozenAt, 'still frozen');
    assert.equal(after.timeRemainingSeconds, 7800);
    const entries = (await history(t, we, lockId)).filter((h) => ['time_added', 'time_removed', 'lock_frozen', 'lock_unfrozen', 'settings_changed', 'task_assigned', 'task_completed'].includes(h.type));
    assert.deepEqual(entries.map((h) => h.type).sort(), ['lock_frozen', 'task_assigned', 'task_completed', 'time_added']);
    for (const h of entries) {
      assert.equal(h.role, 'wearer', h.type);
      assert.equal(h.actor?.username, w.wearer.username, h.type);
    }
  });

  it('modules that are off refuse with 422; removing more than remains leaves 0; concurrent changes all land', async () => {
    const off = await fixture(t, { lock: { pillory: false, tasks: false, hygienicOpening: false } });
    const { kh: offKh } = await people(t, off);
    expectError(await act(t, offKh, off.lock.id, 'pillory', { durationSeconds: 600 }), 422, 'pillory_not_enabled');
    expectError(await act(t, offKh, off.lock.id, 'task.assign', { taskText: 'x', points: 1 }), 422, 'tasks_not_enabled');
    expectError(await act(t, offKh, off.lock.id, 'hygienic_unlock.start'), 422, 'hygienic_opening_not_enabled');

    const w = await fixture(t, { lock: { durationSeconds: 3600 } });
    const { kh } = await people(t, w);
    const lockId = w.lock.id;
    expectError(await act(t, kh, lockId, 'pillory', { durationSeconds: 86401 }), 400, 'invalid_params');
    expectError(await act(t, kh, lockId, 'pillory.end'), 409, 'pillory_not_active');
    const removed = await ok(await act(t, kh, lockId, 'remove_time', { seconds: 7200 }));
    assert.equal(removed.lock.timeRemainingSeconds, 0);
    const results = await Promise.all(Array.from({ length: 10 }, () => act(t, kh, lockId, 'add_time', 60)));
    for (const r of results) assert.equal(r.statusCode, 200, r.body);
    assert.equal((await status(t, kh, lockId)).timeRemainingSeconds, 600, 'no add_time was lost');
    assert.equal((await history(t, kh, lockId)).filter((h) => h.type === 'time_added').length, 10);
  });

  it('a stranger gets 404 everywhere; a mutation without the CSRF header is 403 csrf_token_invalid; nothing changes', async () => {
    const w = await fixture(t);
    const { we, kh } = await people(t, w);
    const stranger = await register(t.app);
    const lockId = w.lock.id;
    const rows = await snapshot(t.db.database);
    const row = await lockRow(t, lockId);

    expectError(await act(t, stranger, lockId, 'add_time', 60), 404, 'not_found');
    expectError(await call(t.app, stranger, 'GET', `/api/locks/${lockId}/status`), 404, 'not_found');
    expectError(await call(t.app, stranger, 'POST', `/api/locks/${lockId}/unlock`), 404, 'not_found');
    expectError(await call(t.app, stranger, 'POST', `/api/locks/${lockId}/hygienic/relock`), 404, 'not_found');
    expectError(await act(t, kh, '0123456789abcdef01234567', 'add_time', 60), 404, 'not_found');
    expectError(await call(t.app, null, 'GET', `/api/locks/${lockId}/status`), 401, 'login_required');
    expectError(await act(t, null, lockId, 'add_time', 60), 401, 'login_required');

    const noCsrf = (as: Session, url: string, payload?: object) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: as.cookie }, ...(payload ? { payload } : {}) });
    expectError(await noCsrf(kh, `/api/locks/${lockId}/actions`, { name: 'add_time', params: 60 }), 403, 'csrf_token_invalid');
    expectError(await noCsrf(kh, `/api/locks/${lockId}/unlock`), 403, 'csrf_token_invalid');
    expectError(await noCsrf(we, `/api/locks/${lockId}/hygienic/relock`), 403, 'csrf_token_invalid');
    expectError(await call(t.app, kh, 'POST', `/api/locks/${lockId}/actions`, { name: 'add_time', params: 60 }, { 'x-csrf-token': 'wrong' }), 403, 'csrf_token_invalid');

    expectError(await act(t, kh, lockId, 'self_destruct'), 400, 'unknown_action');
    expectError(await act(t, kh, lockId, 'add_time', { seconds: -5 }), 400, 'invalid_params');
    expectError(await act(t, kh, lockId, 'freeze', { durationSeconds: 10 }), 400, 'invalid_params');
    expectError(await act(t, kh, lockId, 'pillory', { durationSeconds: 604801 }), 400, 'invalid_params');

    assert.deepEqual(await snapshot(t.db.database), rows);
    assert.deepEqual(await lockRow(t, lockId), row);
  });
});

describe('lock control: settings.patch validation', () => {
  const t = suiteApp();

  it('refuses unknown keys and wrong types with 400 invalid_params and details', async () => {
    const w = await fixture(t);
    const { kh } = await people(t, w);
    const lockId = w.lock.id;
    const rows = await snapshot(t.db.database);
    const row = await lockRow(t, lockId);

    const cases: Array<{ params: unknown; path: string }> = [
      { params: { colour: 'red' }, path: '/colour' },
      { params: { requiredTaskPoints: 'ten' }, path: '/requiredTaskPoints' },
      { params: { requiredTaskPoints: -1 }, path: '/requiredTaskPoints' },
      { params: { hygienicOpening: { enabled: 'yes' } }, path: '/hygienicOpening/enabled' },
      { params: { pillory: { maxDurationSeconds: 10 } }, path: '/pillory/maxDurationSeconds' },
      { params: { tasks: { enabled: true, extra: 1 } }, path: '/tasks/extra' },
      { params: { hiddenTimer: 'no' }, path: '/hiddenTimer' },
      { params: { trustExternalPrograms: 1 }, path: '/trustExternalPrograms' },
    ];
    for (const c of cases) {
      const body = expectError(await act(t, kh, lockId, 'settings.patch', c.params), 400, 'invalid_params');
      assert.ok(Array.isArray(body.details) && body.details.length > 0, `details for ${JSON.stringify(c.params)}: ${JSON.stringify(body)}`);
      assert.ok(
        body.details.some((d: { path: string; message: string }) => d.path === c.path && typeof d.message === 'string'),
        `details name ${c.path}: ${JSON.stringify(body.details)}`,
      );
    }
    const missing = expectError(await act(t, kh, lockId, 'settings.patch'), 400, 'invalid_params');
    assert.deepEqual(missing.details, [{ path: '/', message: 'must be an object' }]);
    expectError(await act(t, kh, lockId, 'settings.patch', [1, 2]), 400, 'invalid_params');

    assert.deepEqual(await snapshot(t.db.database), rows);
    assert.deepEqual(await lockRow(t, lockId), row);
  });

  it('trustExternalPrograms is first-party only: the extension route refuses it even for the keyholder', async () => {
    const w = await fixture(t);
    const { kh } = await people(t, w);
    const lockId = w.lock.id;
    const row = await lockRow(t, lockId);
    const res = await ext(t, w, 'POST', '/action', { name: 'settings.patch', params: { trustExternalPrograms: true } }, w.mainTokens.keyholder!);
    const body = expectError(res, 400, 'invalid_params');
    assert.ok(Array.isArray(body.details));
    assert.deepEqual(await lockRow(t, lockId), row);
    assert.equal((await status(t, kh, lockId)).settings.trustExternalPrograms, false);

    // The same route accepts the other keys from a keyholder launch.
    const fine = await ext(t, w, 'POST', '/action', { name: 'settings.patch', params: { requiredTaskPoints: 4 } }, w.mainTokens.keyholder!);
    assert.equal(fine.statusCode, 200, fine.body);
    assert.equal((await status(t, kh, lockId)).settings.requiredTaskPoints, 4);
    // And the web UI may set trust.
    assert.equal((await ok(await act(t, kh, lockId, 'settings.patch', { trustExternalPrograms: true }))).lock.settings.trustExternalPrograms, true);
  });
});

describe('lock control: unlocking', () => {
  const t = suiteApp();

  const WINS = { initialMetadata: { unlockRequirements: [{ metric: 'wins', requiredCount: 2 }] } };

  it('holds the wearer back for every reason, says which, and unlocks once all are cleared', async () => {
    const w = await fixture(t, { extension: WINS, lock: { durationSeconds: 3600 } });
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    const unlock = (as: Session) => call(t.app, as, 'POST', `/api/locks/${lockId}/unlock`);

    // At first: time remains and the requirement is open.
    let refused = expectError(await unlock(we), 409, 'unlock_not_allowed');
    assert.deepEqual(sorted(refused.details.reasons), sorted(['time_remaining', 'requirement_unsatisfied']));

    await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 600 }));
    await ok(await act(t, kh, lockId, 'pillory', { durationSeconds: 300, reason: 'Attitude' }));
    await ok(await act(t, kh, lockId, 'settings.patch', { requiredTaskPoints: 10 }));
    await ok(await ext(t, w, 'PATCH', '/metadata', { unlockBlockers: ['Finish the puzzle'] }, w.mainTokens.wearer));

    const all = ['frozen', 'time_remaining', 'extension_blocker', 'requirement_unsatisfied', 'task_points', 'pillory'];
    const rows = await snapshot(t.db.database);
    const row = await lockRow(t, lockId);
    refused = expectError(await unlock(we), 409, 'unlock_not_allowed');
    assert.deepEqual(sorted(refused.details.reasons), sorted(all));
    assert.ok(Array.isArray(refused.details.blockers));
    assert.deepEqual(sorted(refused.details.blockers.map((b: { kind: string }) => b.kind)), ['manual', 'requirement']);
    assert.deepEqual(await snapshot(t.db.database), rows, 'a refused unlock writes nothing');
    assert.deepEqual(await lockRow(t, lockId), row);

    for (const as of [we, kh]) {
      const view = await status(t, as, lockId);
      assert.equal(view.unlock.unlockable, false);
      assert.deepEqual(sorted(view.unlock.reasons), sorted(all));
      const manual = view.unlock.blockers.find((b: { kind: string }) => b.kind === 'manual');
      const requirement = view.unlock.blockers.find((b: { kind: string }) => b.kind === 'requirement');
      assert.deepEqual(manual, { sessionId: w.session.id, extensionSlug: w.app.slug, extensionName: 'Sandbox Extension', kind: 'manual', blocker: 'Finish the puzzle' });
      assert.equal(requirement.extensionSlug, w.app.slug);
      assert.equal(requirement.count, 0);
      assert.equal(requirement.requiredCount, 2);
      assert.equal(view.pillory.reason, 'Attitude');
      assert.equal(view.taskPoints, 0);
    }

    const reasons = async () => sorted((await status(t, we, lockId)).unlock.reasons);
    const refusedFor = async (expected: string[]) => {
      const body = expectError(await unlock(we), 409, 'unlock_not_allowed');
      assert.deepEqual(sorted(body.details.reasons), sorted(expected));
      assert.deepEqual(await reasons(), sorted(expected));
    };

    // The pillory ends by itself.
    await advance(t, 300);
    await refusedFor(['frozen', 'time_remaining', 'extension_blocker', 'requirement_unsatisfied', 'task_points']);
    // The freeze ends by itself.
    await advance(t, 300);
    await refusedFor(['time_remaining', 'extension_blocker', 'requirement_unsatisfied', 'task_points']);
    const view = await status(t, we, lockId);
    assert.equal(view.frozenAt, null);
    assert.equal(view.timeRemainingSeconds, 3600 - 0, 'the frozen 600 s did not count');
    // The time runs out.
    await advance(t, 3600);
    await refusedFor(['extension_blocker', 'requirement_unsatisfied', 'task_points']);
    // The extension lifts its blocker.
    await ok(await ext(t, w, 'PATCH', '/metadata', { unlockBlockers: [] }, w.mainTokens.wearer));
    await refusedFor(['requirement_unsatisfied', 'task_points']);
    // Progress: one win is not enough, two are.
    await ok(await ext(t, w, 'POST', '/requirements/progress', { metric: 'wins' }, w.mainTokens.wearer), 201);
    assert.equal((await status(t, we, lockId)).unlock.blockers[0].count, 1);
    await refusedFor(['requirement_unsatisfied', 'task_points']);
    await ok(await ext(t, w, 'POST', '/requirements/progress', { metric: 'wins' }, w.mainTokens.wearer), 201);
    await refusedFor(['task_points']);
    // Tasks: 6 points are not enough, 6 + 4 are.
    await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'First', points: 6 }));
    assert.equal((await ok(await act(t, kh, lockId, 'task.complete', { successful: true }))).lock.taskPoints, 6);
    await refusedFor(['task_points']);
    await ok(await act(t, kh, lockId, 'task.assign', { taskText: 'Second', points: 4 }));
    assert.equal((await ok(await act(t, kh, lockId, 'task.complete', { successful: true }))).lock.taskPoints, 10);

    const free = await status(t, we, lockId);
    assert.deepEqual(free.unlock, { unlockable: true, reasons: [], blockers: [] });

    const at = await nowMs(t);
    const unlocked = await ok(await unlock(we));
    assert.equal(unlocked.status, 'unlocked');
    assert.equal(unlocked.endDate, iso(at));
    assert.equal(unlocked.unlock.unlockable, false);
    assert.deepEqual(unlocked.unlock.reasons, ['not_locked']);

    const entry = (await history(t, we, lockId)).find((h) => h.type === 'lock_unlocked')!;
    assert.equal(entry.role, 'wearer');
    assert.equal(entry.actor?.username, w.wearer.username);
    assert.deepEqual(entry.payload.overriddenHolds, []);
    const note = (await inbox(t, kh, lockId)).filter((n) => n.type === 'lock_unlocked');
    assert.equal(note.length, 1, 'the keyholder is told');
    assert.equal((await inbox(t, we, lockId)).filter((n) => n.type === 'lock_unlocked').length, 0, 'not the one who unlocked');

    // An ended lock takes no more actions and no second unlock.
    const rowsAfter = await snapshot(t.db.database);
    expectError(await act(t, kh, lockId, 'add_time', 60), 409, 'lock_ended');
    expectError(await act(t, kh, lockId, 'settings.patch', { requiredTaskPoints: 0 }), 409, 'lock_ended');
    expectError(await act(t, we, lockId, 'freeze'), 409, 'lock_ended');
    expectError(await unlock(we), 409, 'lock_ended');
    expectError(await unlock(kh), 409, 'lock_ended');
    expectError(await call(t.app, we, 'POST', `/api/locks/${lockId}/hygienic/relock`), 409, 'lock_ended');
    assert.deepEqual(await snapshot(t.db.database), rowsAfter);
    assert.equal((await status(t, kh, lockId)).status, 'unlocked');
  });

  it('the keyholder unlocks at any time, overriding every hold; the wearer is told and timed ends are cancelled', async () => {
    const w = await fixture(t, { extension: WINS, lock: { durationSeconds: 86400 } });
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 600 }));
    await ok(await act(t, kh, lockId, 'pillory', { durationSeconds: 300 }));
    await ok(await act(t, kh, lockId, 'hygienic_unlock.start', { durationSeconds: 900 }));
    await ok(await act(t, kh, lockId, 'settings.patch', { requiredTaskPoints: 10 }));
    await ok(await ext(t, w, 'PATCH', '/metadata', { unlockBlockers: ['Nope'] }, w.mainTokens.wearer));
    const holds = ['frozen', 'time_remaining', 'extension_blocker', 'requirement_unsatisfied', 'task_points', 'pillory'];
    expectError(await call(t.app, we, 'POST', `/api/locks/${lockId}/unlock`), 409, 'unlock_not_allowed');

    const at = await nowMs(t);
    const unlocked = await ok(await call(t.app, kh, 'POST', `/api/locks/${lockId}/unlock`));
    assert.equal(unlocked.status, 'unlocked');
    assert.equal(unlocked.endDate, iso(at));
    assert.equal(unlocked.frozenAt, null);
    assert.equal(unlocked.pillory, null);
    assert.equal(unlocked.hygienicOpening, null);

    const entry = (await history(t, kh, lockId)).find((h) => h.type === 'lock_unlocked')!;
    assert.equal(entry.role, 'keyholder');
    assert.equal(entry.actor?.username, w.keyholder!.username);
    assert.deepEqual(sorted(entry.payload.overriddenHolds as string[]), sorted(holds));
    assert.equal((await inbox(t, we, lockId)).filter((n) => n.type === 'lock_unlocked').length, 1, 'the wearer is told');
    assert.equal((await inbox(t, kh, lockId)).filter((n) => n.type === 'lock_unlocked').length, 0);

    const { jobsRun } = await advance(t, 2000);
    assert.deepEqual(jobsOf(jobsRun, lockId), [], 'no timed end runs for an unlocked lock');
    const types = (await history(t, kh, lockId)).map((h) => h.type);
    assert.ok(!types.includes('lock_unfrozen') && !types.includes('pillory_ended') && !types.includes('hygienic_opening_overdue'), types.join(','));
    expectError(await act(t, kh, lockId, 'add_time', 60), 409, 'lock_ended');
    expectError(await call(t.app, kh, 'POST', `/api/locks/${lockId}/unlock`), 409, 'lock_ended');
  });

  it('the wearer of a self-lock is held like anyone else, and no one is notified when they unlock', async () => {
    const w = await fixture(t, { lock: { keyholder: false, durationSeconds: 120 } });
    const { we } = await people(t, w);
    const lockId = w.lock.id;
    const refused = expectError(await call(t.app, we, 'POST', `/api/locks/${lockId}/unlock`), 409, 'unlock_not_allowed');
    assert.deepEqual(refused.details.reasons, ['time_remaining']);
    await advance(t, 120);
    const unlocked = await ok(await call(t.app, we, 'POST', `/api/locks/${lockId}/unlock`));
    assert.equal(unlocked.status, 'unlocked');
    assert.equal((await inbox(t, we, lockId)).filter((n) => n.type === 'lock_unlocked').length, 0);
  });
});

describe('lock control: hygienic opening', () => {
  const t = suiteApp();

  it('the keyholder enables it, starts it; the wearer relocks on time, then late', async () => {
    const w = await fixture(t, { lock: { hygienicOpening: false } });
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    const relock = (as: Session) => call(t.app, as, 'POST', `/api/locks/${lockId}/hygienic/relock`);

    expectError(await act(t, kh, lockId, 'hygienic_unlock.start', { durationSeconds: 900 }), 422, 'hygienic_opening_not_enabled');
    const enabled = await ok(await act(t, kh, lockId, 'settings.patch', { hygienicOpening: { enabled: true } }));
    assert.deepEqual(enabled.lock.settings.hygienicOpening, { enabled: true, durationSeconds: 900 });

    // Relocking with nothing running is a conflict.
    expectError(await relock(we), 409, 'conflict');

    let t0 = await nowMs(t);
    const started = await ok(await act(t, kh, lockId, 'hygienic_unlock.start', { durationSeconds: 900 }));
    assert.deepEqual(started.lock.hygienicOpening, { startedAt: iso(t0), relockBy: iso(t0 + 900_000), overdue: false });
    assert.deepEqual((await status(t, we, lockId)).hygienicOpening, { startedAt: iso(t0), relockBy: iso(t0 + 900_000), overdue: false });
    expectError(await act(t, kh, lockId, 'hygienic_unlock.start', { durationSeconds: 900 }), 409, 'hygienic_opening_active');
    expectError(await relock(kh), 403, 'forbidden');

    await advance(t, 600);
    const onTime = await ok(await relock(we));
    assert.equal(onTime.late, false);
    assert.equal(onTime.lock.hygienicOpening, null);
    expectError(await relock(we), 409, 'conflict');
    // The relock cancelled the end: nothing turns overdue later.
    const { jobsRun } = await advance(t, 1000);
    assert.deepEqual(jobsOf(jobsRun, lockId), []);

    t0 = await nowMs(t);
    await ok(await act(t, kh, lockId, 'hygienic_unlock.start', { durationSeconds: 900 }));
    const jumped = await advance(t, 1000);
    assert.deepEqual(
      jobsOf(jumped.jobsRun, lockId).map((j) => ({ kind: j.kind, key: j.key, runAt: j.runAt, outcome: j.outcome })),
      [{ kind: 'lock.hygienic_end', key: `hygienic:${lockId}`, runAt: iso(t0 + 900_000), outcome: 'done' }],
    );
    const overdue = (await history(t, kh, lockId)).find((h) => h.type === 'hygienic_opening_overdue');
    assert.ok(overdue, 'the job wrote the overdue entry');
    assert.equal(overdue.role, 'system');
    assert.equal(overdue.createdAt, iso(t0 + 900_000), 'written at the end, not at the end of the jump');
    assert.equal((await inbox(t, we, lockId)).filter((n) => n.type === 'hygienic_opening_overdue').length, 1);
    assert.equal((await inbox(t, kh, lockId)).filter((n) => n.type === 'hygienic_opening_overdue').length, 1);
    assert.deepEqual((await status(t, we, lockId)).hygienicOpening, { startedAt: iso(t0), relockBy: iso(t0 + 900_000), overdue: true });

    const late = await ok(await relock(we));
    assert.equal(late.late, true);
    assert.equal(late.lock.hygienicOpening, null);
    const lateNotes = (await inbox(t, kh, lockId)).filter((n) => n.type === 'hygienic_relocked_late');
    assert.equal(lateNotes.length, 1, 'the keyholder hears about the late relock (and only about this one)');
    const relocks = (await history(t, kh, lockId)).filter((h) => h.type === 'hygienic_relocked');
    assert.deepEqual(
      relocks.map((h) => h.payload),
      [
        { late: true, lateByMs: 100_000 },
        { late: false, lateByMs: 0 },
      ],
    );
    for (const h of relocks) {
      assert.equal(h.role, 'wearer');
      assert.equal(h.actor?.username, w.wearer.username);
    }
    expectError(await relock(we), 409, 'conflict');
  });

  it('the fixture enables it by default; the default duration comes from the settings', async () => {
    const w = await fixture(t);
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    assert.equal((await status(t, kh, lockId)).settings.hygienicOpening.enabled, true);
    await ok(await act(t, kh, lockId, 'settings.patch', { hygienicOpening: { durationSeconds: 120 } }));
    const t0 = await nowMs(t);
    const started = await ok(await act(t, kh, lockId, 'hygienic_unlock.start'));
    assert.equal(started.lock.hygienicOpening.relockBy, iso(t0 + 120_000));
    expectError(await act(t, we, lockId, 'hygienic_unlock.start'), 403, 'role_not_allowed');
    assert.equal((await ok(await call(t.app, we, 'POST', `/api/locks/${lockId}/hygienic/relock`))).late, false);
  });
});

describe('lock control: timed ends when the clock jumps', () => {
  const t = suiteApp();

  it('a freeze and a pillory end at their own times within one long jump, in time order', async () => {
    const w = await fixture(t, { lock: { durationSeconds: 7 * 86400 } });
    const { we, kh } = await people(t, w);
    const lockId = w.lock.id;
    const t0 = await nowMs(t);
    await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 3600 }));
    await ok(await act(t, kh, lockId, 'pillory', { durationSeconds: 600, reason: 'Jump' }));
    const before = (await status(t, kh, lockId)).timeRemainingSeconds as number;
    assert.equal(before, 7 * 86400);

    const jumped = await advance(t, 86400);
    assert.equal(jumped.nowMs, t0 + 86400_000);
    const mine = jobsOf(jumped.jobsRun, lockId);
    assert.deepEqual(
      mine.map((j) => ({ kind: j.kind, key: j.key, runAt: j.runAt, outcome: j.outcome })),
      [
        { kind: 'lock.pillory_end', key: `pillory:${lockId}`, runAt: iso(t0 + 600_000), outcome: 'done' },
        { kind: 'lock.unfreeze', key: `unfreeze:${lockId}`, runAt: iso(t0 + 3600_000), outcome: 'done' },
      ],
    );
    const times = jumped.jobsRun.map((j) => Date.parse(j.runAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'jobsRun is in time order');

    for (const as of [we, kh]) {
      const view = await status(t, as, lockId);
      assert.equal(view.frozenAt, null);
      assert.equal(view.frozenUntil, null);
      assert.equal(view.pillory, null);
      assert.equal(view.timeRemainingSeconds, before - (86400 - 3600), 'only the unfrozen time counted');
      assert.equal(view.endsAt, iso(t0 + 7 * 86400_000 + 3600_000));
    }

    const entries = await history(t, kh, lockId);
    const unfrozen = entries.find((h) => h.type === 'lock_unfrozen')!;
    assert.equal(unfrozen.role, 'system');
    assert.deepEqual(unfrozen.payload, { frozenForMs: 3600_000, endsAtDeltaMs: 3600_000, automatic: true });
    assert.equal(unfrozen.createdAt, iso(t0 + 3600_000));
    const ended = entries.find((h) => h.type === 'pillory_ended')!;
    assert.equal(ended.role, 'system');
    assert.deepEqual(ended.payload, { automatic: true });
    assert.equal(ended.createdAt, iso(t0 + 600_000));
    assert.ok(entries.findIndex((h) => h.type === 'lock_unfrozen') < entries.findIndex((h) => h.type === 'pillory_ended'), 'newest first: unfreeze after pillory end');
  });

  it('re-freezing re-arms the end: the freeze lasts until the new end, once', async () => {
    const w = await fixture(t, { lock: { durationSeconds: 7 * 86400 } });
    const { kh } = await people(t, w);
    const lockId = w.lock.id;
    const t0 = await nowMs(t);
    await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 3600 }));
    await advance(t, 1000);
    const refrozen = await ok(await act(t, kh, lockId, 'freeze', { durationSeconds: 3600 }));
    assert.equal(refrozen.lock.frozenAt, iso(t0), 'still frozen since the first freeze');
    assert.equal(refrozen.lock.frozenUntil, iso(t0 + 4600_000));
    const jumped = await advance(t, 86400);
    assert.deepEqual(
      jobsOf(jumped.jobsRun, lockId).map((j) => [j.key, j.runAt]),
      [[`unfreeze:${lockId}`, iso(t0 + 4600_000)]],
    );
    const view = await status(t, kh, lockId);
    assert.equal(view.frozenAt, null);
    assert.equal(view.timeRemainingSeconds, 7 * 86400 - (1000 + 86400 - 4600));
    assert.equal((await history(t, kh, lockId)).filter((h) => h.type === 'lock_unfrozen').length, 1);
  });
});

describe('lock control: a keyholder who has not accepted yet', () => {
  const t = suiteApp();

  async function pendingLock() {
    const wearer = await register(t.app);
    const invitee = await register(t.app);
    const lock = await ok(await call(t.app, wearer, 'POST', '/api/locks', { title: 'Pending', durationSeconds: 60, keyholderUsername: invitee.username }), 201);
    assert.equal(lock.keyholderStatus, 'pending');
    return { wearer, invitee, lockId: lock.id as string };
  }

  it('may not act on the lock before accepting the invitation', async () => {
    const { invitee, lockId } = await pendingLock();
    const row = await lockRow(t, lockId);
    const addTime = await act(t, invitee, lockId, 'add_time', { seconds: 86400 });
    assert.equal(addTime.statusCode, 403, `a pending keyholder added a day: ${addTime.statusCode} ${addTime.body}`);
    assert.deepEqual(await lockRow(t, lockId), row);
  });

  it('may not unlock the lock before accepting the invitation', async () => {
    const { invitee, lockId } = await pendingLock();
    await advance(t, 60);
    const unlocked = await call(t.app, invitee, 'POST', `/api/locks/${lockId}/unlock`);
    assert.equal(unlocked.statusCode, 403, `a pending keyholder unlocked the lock: ${unlocked.statusCode} ${unlocked.body}`);
    assert.equal((await lockRow(t, lockId)).status, 'locked');
  });
});
