import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, suiteApp, TEST_DB, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Lock actions from an extension backend (`POST …/action` and the Chaster task routes), replayed
 * with the request bodies of the spec text verbatim: spec 001 "Rewards"/"Punishments", spec 000
 * "Backend action examples", spec 002 parameter rules, spec 003 Chaster task routes; and every
 * precondition error of DECISIONS §5, each leaving the lock exactly as it was.
 * Runs on SQLite, or on PostgreSQL with LATCH_TEST_DB=postgres.
 */

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
type Who = 'wearer' | 'keyholder';

describe(`spec lock actions (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });

  const world = (body?: Record<string, unknown>) => fixtureWorld(t.app, body);

  /** A backend call with app key + main token; a string payload is sent as-is (verbatim spec JSON). */
  function ext(w: World, method: 'GET' | 'POST', path: string, payload?: unknown, who: Who = 'wearer') {
    const token = who === 'wearer' ? w.mainTokens.wearer : w.mainTokens.keyholder!;
    return t.app.inject({
      method,
      url: `/api/extensions/sessions/${w.session.id}${path}`,
      headers: {
        authorization: `Bearer ${w.app.appKey}`,
        'x-chastify-main-token': token,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  }

  const act = (w: World, body: unknown, who: Who = 'wearer') => ext(w, 'POST', '/action', body, who);

  function ok(res: Res, status = 200) {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  }

  /** Asserts the /api/extensions error shape: `error` is `{code, message}`. */
  function refusedWith(res: Res, status: number, code: string) {
    const body = expectError(res, status, code);
    assert.deepEqual(body.error, { code, message: body.message }, res.body);
    return body;
  }

  async function lockData(w: World) {
    return ok(await ext(w, 'GET', '')).lockData;
  }

  async function lockRow(id: string) {
    return t.db.database.db.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function tasksOf(id: string) {
    return t.db.database.db.selectFrom('tasks').selectAll().where('lock_id', '=', id).orderBy('id').execute();
  }

  async function historyRows(id: string) {
    return t.db.database.db.selectFrom('history_logs').selectAll().where('lock_id', '=', id).orderBy('id').execute();
  }

  /** The lock as the wearer sees it on the first-party API. */
  async function lockView(w: World, who: Who = 'wearer') {
    const acc = who === 'wearer' ? w.wearer : w.keyholder!;
    const s = await login(t.app, acc.username, acc.password);
    return ok(await call(t.app, s, 'GET', `/api/locks/${w.lock.id}`));
  }

  async function history(w: World) {
    const s = await login(t.app, w.wearer.username, w.wearer.password);
    return ok(await call(t.app, s, 'GET', `/api/locks/${w.lock.id}/history?limit=100`)).results as Array<{
      type: string;
      role: string;
      actor: { userId: string | null; extensionSlug: string | null } | null;
      title: string;
      description: string;
      payload: Record<string, unknown>;
    }>;
  }

  /** The newest history entry of a type, asserted to be written by this extension. */
  async function extensionEntry(w: World, type: string) {
    const entry = (await history(w)).find((e) => e.type === type);
    assert.ok(entry, `no ${type} entry in ${JSON.stringify(await history(w))}`);
    assert.equal(entry.role, 'extension');
    assert.equal(entry.actor?.extensionSlug, w.app.slug);
    return entry;
  }

  /** A refusal: the status and code, and the lock row, its tasks and its history unchanged. */
  async function refused(w: World, send: () => Promise<Res>, status: number, code: string) {
    const before = { lock: await lockRow(w.lock.id), tasks: await tasksOf(w.lock.id), history: await historyRows(w.lock.id) };
    const res = await send();
    refusedWith(res, status, code);
    const after = { lock: await lockRow(w.lock.id), tasks: await tasksOf(w.lock.id), history: await historyRows(w.lock.id) };
    assert.deepEqual(after, before, `${code}: the refusal changed the lock`);
  }

  const now = () => t.clock.now();
  const advance = async (seconds: number) => ok(await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } }));

  describe('spec 001 Rewards, verbatim', () => {
    it('remove_time 600: timeRemainingSeconds −600 exactly, history by the extension', async () => {
      const w = await world();
      const before = await lockData(w);
      assert.equal(before.timeRemainingSeconds, 86400);
      const res = ok(
        await act(
          w,
          `{
"name": "remove_time",
"params": 600
}`,
        ),
      );
      assert.equal(res.ok, true);
      assert.equal(res.action, 'remove_time');
      assert.equal(res.changed, true);
      assert.equal(res.lockData.timeRemainingSeconds, 86400 - 600);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400 - 600);
      const entry = await extensionEntry(w, 'time_removed');
      assert.equal(entry.payload.requestedSeconds, 600);
      assert.equal(entry.payload.endsAtDeltaMs, -600_000);
    });

    it('hygienic_unlock.start {durationSeconds: 900}: hygienicOpening true, relock due in 900 s', async () => {
      const w = await world();
      assert.equal((await lockData(w)).hygienicOpening, false);
      const res = ok(
        await act(
          w,
          `{
"name": "hygienic_unlock.start",
"params": {
"durationSeconds": 900
}
}`,
        ),
      );
      assert.equal(res.lockData.hygienicOpening, true);
      const ld = await lockData(w);
      assert.equal(ld.hygienicOpening, true);
      assert.equal(ld.timeRemainingSeconds, 86400, 'a hygienic opening does not move the timer');
      const view = await lockView(w);
      assert.equal(view.hygienicOpening.startedAt, new Date(now()).toISOString());
      assert.equal(view.hygienicOpening.relockBy, new Date(now() + 900_000).toISOString());
      const entry = await extensionEntry(w, 'hygienic_opening_started');
      assert.equal(entry.payload.durationSeconds, 900);
    });

    it('notifications/custom: the wearer gets an extension_app_message', async () => {
      const w = await world();
      const res = ok(
        await ext(
          w,
          'POST',
          '/notifications/custom',
          `{
"title": "Challenge complete",
"message": "Your extension reward was applied.",
"target": "wearer"
}`,
        ),
        201,
      );
      assert.equal(res.type, 'extension_app_message');
      assert.deepEqual(
        res.notifications.map((n: { userId: string }) => n.userId),
        [w.wearer.id],
      );
      const s = await login(t.app, w.wearer.username, w.wearer.password);
      const mine = ok(await call(t.app, s, 'GET', '/api/notifications')).results.filter((n: { type: string }) => n.type === 'extension_app_message');
      assert.equal(mine.length, 1);
      assert.equal(mine[0].title, 'Challenge complete');
      assert.equal(mine[0].message, 'Your extension reward was applied.');
      assert.equal(mine[0].showPageOverlay, false);
      // Only the target is told.
      const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
      assert.equal(ok(await call(t.app, keyholder, 'GET', '/api/notifications')).results.filter((n: { type: string }) => n.type === 'extension_app_message').length, 0);
    });
  });

  describe('spec 001 Punishments, verbatim', () => {
    it('add_time 1800: timeRemainingSeconds +1800 exactly', async () => {
      const w = await world();
      const res = ok(
        await act(
          w,
          `{
"name": "add_time",
"params": 1800
}`,
        ),
      );
      assert.equal(res.lockData.timeRemainingSeconds, 86400 + 1800);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400 + 1800);
      const entry = await extensionEntry(w, 'time_added');
      assert.equal(entry.payload.endsAtDeltaMs, 1_800_000);
    });

    it('freeze {durationSeconds: 3600}: frozen, frozenUntil now+3600, the timer holds while frozen', async () => {
      const w = await world();
      const res = ok(
        await act(
          w,
          `{
"name": "freeze",
"params": {
"durationSeconds": 3600
}
}`,
        ),
      );
      assert.equal(res.lockData.frozen, true);
      assert.ok(res.lockData.unlockBlockedReasons.includes('frozen'));
      assert.equal((await lockData(w)).frozen, true);
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 3600_000).toISOString());
      await extensionEntry(w, 'lock_frozen');
      await advance(600);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400, 'frozen: remaining is held');
      // The scheduler ends the freeze at its end; the frozen span is added to the timer.
      await advance(3000);
      const ld = await lockData(w);
      assert.equal(ld.frozen, false);
      assert.equal(ld.timeRemainingSeconds, 86400);
    });

    it('task.assign {actor, taskText, points: 5, durationMinutes: 30}: taskAssigned, a 30-minute task', async () => {
      const w = await world();
      assert.equal((await lockData(w)).taskAssigned, false);
      const res = ok(
        await act(
          w,
          `{
"name": "task.assign",
"params": {
"actor": "extension",
"taskText": "Write a short reflection about the missed requirement.",
"points": 5,
"durationMinutes": 30
}
}`,
        ),
      );
      assert.equal(res.lockData.taskAssigned, true);
      assert.equal(res.detail.points, 5);
      assert.equal(res.detail.durationSeconds, 1800);
      assert.equal((await lockData(w)).taskAssigned, true);
      const task = (await lockView(w)).currentTask;
      assert.equal(task.text, 'Write a short reflection about the missed requirement.');
      assert.equal(task.points, 5);
      assert.equal(task.durationSeconds, 1800);
      assert.equal(task.verificationRequired, false);
      // The lock page names the extension that assigned it; the row keeps the spec's actor.
      assert.equal(task.assignedBy, w.app.slug);
      assert.equal((await tasksOf(w.lock.id))[0]!.assigned_by, 'extension');
      await extensionEntry(w, 'task_assigned');
    });

    it('pillory {durationSeconds: 3600, reason}: inPillory, with the reason', async () => {
      const w = await world();
      assert.equal((await lockData(w)).inPillory, false);
      const res = ok(
        await act(
          w,
          `{
"name": "pillory",
"params": {
"durationSeconds": 3600,
"reason": "Extension requirement missed"
}
}`,
        ),
      );
      assert.equal(res.lockData.inPillory, true);
      assert.ok(res.lockData.unlockBlockedReasons.includes('pillory'));
      assert.equal((await lockData(w)).inPillory, true);
      const view = await lockView(w);
      assert.deepEqual(view.pillory, { until: new Date(now() + 3600_000).toISOString(), reason: 'Extension requirement missed' });
      const entry = await extensionEntry(w, 'pillory_started');
      assert.equal(entry.description, 'Extension requirement missed');
      // It ends by itself after 3600 s.
      await advance(3600);
      assert.equal((await lockData(w)).inPillory, false);
    });
  });

  describe('spec 000 backend action examples', () => {
    it('add_time with params <deltaSeconds>', async () => {
      const w = await world();
      const res = ok(await act(w, '{ "name": "add_time", "params": 300 }'));
      assert.equal(res.lockData.timeRemainingSeconds, 86400 + 300);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400 + 300);
      await extensionEntry(w, 'time_added');
    });

    it('freeze 900, then unfreeze {}: the frozen span is not counted', async () => {
      const w = await world();
      const frozen = ok(await act(w, '{ "name": "freeze", "params": { "durationSeconds": 900 } }'));
      assert.equal(frozen.lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 900_000).toISOString());
      await advance(300);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400);
      const res = ok(await act(w, '{ "name": "unfreeze", "params": {} }'));
      assert.equal(res.changed, true);
      assert.equal(res.lockData.frozen, false);
      assert.equal(res.lockData.timeRemainingSeconds, 86400);
      const ld = await lockData(w);
      assert.equal(ld.frozen, false);
      assert.equal((await lockView(w)).frozenUntil, null);
      await extensionEntry(w, 'lock_unfrozen');
      await advance(100);
      assert.equal((await lockData(w)).timeRemainingSeconds, 86400 - 100, 'the timer runs again');
      // Unfreeze is idempotent.
      const again = ok(await act(w, '{ "name": "unfreeze", "params": {} }'));
      assert.equal(again.changed, false);
    });

    it('settings.patch { ... } from the keyholder launch; trustExternalPrograms is not an extension key', async () => {
      const w = await world();
      const res = ok(await act(w, '{ "name": "settings.patch", "params": { "requiredTaskPoints": 20 } }', 'keyholder'));
      assert.equal(res.lockData.taskPointsRequired, 20);
      assert.ok(res.lockData.unlockBlockedReasons.includes('task_points'));
      assert.equal((await lockData(w)).taskPointsRequired, 20);
      assert.equal((await lockView(w)).settings.requiredTaskPoints, 20);
      await extensionEntry(w, 'settings_changed');
      await refused(w, () => act(w, { name: 'settings.patch', params: { trustExternalPrograms: true } }, 'keyholder'), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'settings.patch', params: { colour: 'red' } }, 'keyholder'), 400, 'invalid_params');
    });

    it('task.assign → task.start_timer {} → task.complete { successful: true }', async () => {
      const w = await world();
      ok(await act(w, { name: 'task.assign', params: { taskText: 'Hold a plank', points: 7, durationSeconds: 120 } }));
      const started = ok(await act(w, '{ "name": "task.start_timer", "params": {} }'));
      assert.equal(started.detail.timerEndsAt, new Date(now() + 120_000).toISOString());
      assert.equal((await lockView(w)).currentTask.timerEndsAt, new Date(now() + 120_000).toISOString());
      await extensionEntry(w, 'task_timer_started');
      await advance(120);
      const done = ok(await act(w, '{ "name": "task.complete", "params": { "successful": true } }'));
      assert.equal(done.detail.successful, true);
      assert.equal(done.detail.pointsAwarded, 7);
      assert.equal(done.lockData.taskPoints, 7);
      assert.equal(done.lockData.taskAssigned, false);
      const ld = await lockData(w);
      assert.equal(ld.taskPoints, 7);
      assert.equal(ld.taskAssigned, false);
      assert.equal((await lockView(w)).currentTask, null);
      await extensionEntry(w, 'task_completed');
    });

    it('hygienic_unlock.start 900', async () => {
      const w = await world();
      const res = ok(await act(w, '{ "name": "hygienic_unlock.start", "params": { "durationSeconds": 900 } }'));
      assert.equal(res.lockData.hygienicOpening, true);
      assert.equal((await lockView(w)).hygienicOpening.relockBy, new Date(now() + 900_000).toISOString());
    });

    it('pillory.end {}', async () => {
      const w = await world();
      ok(await act(w, { name: 'pillory', params: { durationSeconds: 600 } }));
      const res = ok(await act(w, '{ "name": "pillory.end", "params": {} }'));
      assert.equal(res.lockData.inPillory, false);
      assert.equal((await lockData(w)).inPillory, false);
      assert.equal((await lockView(w)).pillory, null);
      const entry = await extensionEntry(w, 'pillory_ended');
      assert.equal(entry.payload.automatic, false);
    });
  });

  describe('spec 002 parameter rules', () => {
    it('freeze without durationSeconds → 3600 by default (params {} or absent)', async () => {
      const w = await world();
      ok(
        await act(
          w,
          `{
"name": "freeze",
"params": {}
}`,
        ),
      );
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 3600_000).toISOString());
      const w2 = await world();
      ok(await act(w2, { name: 'freeze' }));
      assert.equal((await lockView(w2)).frozenUntil, new Date(now() + 3600_000).toISOString());
    });

    it('freeze 59 and 86401 → 400 invalid_params; 60 and 86400 are fine', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'freeze', params: { durationSeconds: 59 } }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'freeze', params: { durationSeconds: 86401 } }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'freeze', params: { durationSeconds: 'soon' } }), 400, 'invalid_params');
      ok(await act(w, { name: 'freeze', params: { durationSeconds: 60 } }));
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 60_000).toISOString());
      // Freezing a frozen lock re-arms the timer.
      ok(await act(w, { name: 'freeze', params: { durationSeconds: 86400 } }));
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 86400_000).toISOString());
    });

    it('pillory (spec 002 example) works; without durationSeconds → 400', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'pillory', params: { reason: 'Missed scheduled check-in' } }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'pillory', params: {} }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'pillory' }), 400, 'invalid_params');
      const res = ok(
        await act(
          w,
          `{
"name": "pillory",
"params": {
"durationSeconds": 600,
"reason": "Missed scheduled check-in"
}
}`,
        ),
      );
      assert.equal(res.lockData.inPillory, true);
      assert.deepEqual((await lockView(w)).pillory, { until: new Date(now() + 600_000).toISOString(), reason: 'Missed scheduled check-in' });
    });

    it('task.assign, Chastify shape {taskText, points, verificationRequired, durationSeconds: 1800}', async () => {
      const w = await world();
      const res = ok(
        await act(
          w,
          `{
"name": "task.assign",
"params": {
"taskText": "Clean your room",
"points": 10,
"verificationRequired": true,
"durationSeconds": 1800
}
}`,
        ),
      );
      assert.equal(res.lockData.taskAssigned, true);
      assert.deepEqual({ points: res.detail.points, durationSeconds: res.detail.durationSeconds, verificationRequired: res.detail.verificationRequired }, { points: 10, durationSeconds: 1800, verificationRequired: true });
      const task = (await lockView(w)).currentTask;
      assert.equal(task.text, 'Clean your room');
      assert.equal(task.verificationRequired, true);
      assert.equal(task.durationSeconds, 1800);
    });

    it('points 500 are clamped to 100 and −3 to 0; durationSeconds 30 → 400; assign replaces the open task', async () => {
      const w = await world();
      const high = ok(await act(w, { name: 'task.assign', params: { taskText: 'Big', points: 500 } }));
      assert.equal(high.detail.points, 100);
      assert.equal((await lockView(w)).currentTask.points, 100);
      const low = ok(await act(w, { name: 'task.assign', params: { taskText: 'Small', points: -3 } }));
      assert.equal(low.detail.points, 0);
      const view = await lockView(w);
      assert.equal(view.currentTask.points, 0);
      assert.equal(view.currentTask.text, 'Small');
      const tasks = await tasksOf(w.lock.id);
      assert.deepEqual(
        tasks.map((r) => r.status),
        ['replaced', 'open'],
      );
      await refused(w, () => act(w, { name: 'task.assign', params: { taskText: 'Short', durationSeconds: 30 } }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'task.assign', params: { taskText: 'Long', durationSeconds: 86401 } }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'task.assign', params: { points: 3 } }), 400, 'invalid_params');
      // Without points or duration: 0 points, no timer, completable at once.
      const bare = ok(await act(w, { name: 'task.assign', params: { taskText: 'Just do it' } }));
      assert.equal(bare.detail.points, 0);
      assert.equal(bare.detail.durationSeconds, 0);
      ok(await act(w, { name: 'task.complete', params: { successful: true } }));
    });

    it('task.complete {successful: false, reason} → failed, no points', async () => {
      const w = await world();
      ok(await act(w, { name: 'task.assign', params: { taskText: 'Clean your room', points: 10, durationSeconds: 1800 } }));
      const res = ok(
        await act(
          w,
          `{
"name": "task.complete",
"params": {
"successful": false,
"reason": "Did not finish in time"
}
}`,
        ),
      );
      assert.equal(res.detail.successful, false);
      assert.equal(res.detail.pointsAwarded, 0);
      assert.equal(res.lockData.taskAssigned, false);
      assert.equal(res.lockData.taskPoints, 0);
      const tasks = await tasksOf(w.lock.id);
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0]!.status, 'failed');
      assert.equal(tasks[0]!.reason, 'Did not finish in time');
      const entry = await extensionEntry(w, 'task_failed');
      assert.equal(entry.description, 'Did not finish in time');
      assert.equal((await lockData(w)).taskAssigned, false);
    });

    it('hygienic_unlock.start without durationSeconds uses the lock default (900 s); 59 → 400', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'hygienic_unlock.start', params: { durationSeconds: 59 } }), 400, 'invalid_params');
      ok(await act(w, { name: 'hygienic_unlock.start', params: {} }));
      assert.equal((await lockView(w)).hygienicOpening.relockBy, new Date(now() + 900_000).toISOString());
    });

    it('toggle_freeze freezes (default 3600) and then unfreezes', async () => {
      const w = await world();
      const on = ok(await act(w, { name: 'toggle_freeze', params: {} }));
      assert.equal(on.lockData.frozen, true);
      assert.equal((await lockView(w)).frozenUntil, new Date(now() + 3600_000).toISOString());
      const off = ok(await act(w, { name: 'toggle_freeze' }));
      assert.equal(off.lockData.frozen, false);
      assert.equal((await lockView(w)).frozenUntil, null);
    });

    it('pillory.end when not in pillory → 409 pillory_not_active', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'pillory.end', params: {} }), 409, 'pillory_not_active');
    });
  });

  describe('spec 003 Chaster task routes', () => {
    it('POST tasks/assign (verbatim), then tasks/complete isCompleted: true → points added', async () => {
      const w = await world();
      const res = ok(
        await ext(
          w,
          'POST',
          '/tasks/assign',
          `{
"task": {
"task": "Complete 50 push-ups",
"points": 10,
"verificationRequired": false,
"duration": 0
},
"actor": "extension"
}`,
        ),
      );
      assert.equal(res.action, 'task.assign');
      assert.equal(res.lockData.taskAssigned, true);
      assert.equal(res.detail.points, 10);
      assert.equal(res.detail.durationSeconds, 0);
      const task = (await lockView(w)).currentTask;
      assert.equal(task.text, 'Complete 50 push-ups');
      assert.equal(task.assignedBy, w.app.slug);
      assert.equal((await tasksOf(w.lock.id))[0]!.assigned_by, 'extension');
      await extensionEntry(w, 'task_assigned');
      // No timer: completable at once.
      const done = ok(
        await ext(
          w,
          'POST',
          '/tasks/complete',
          `{
"actor": "extension",
"isCompleted": true
}`,
        ),
      );
      assert.equal(done.lockData.taskPoints, 10);
      assert.equal(done.lockData.taskAssigned, false);
      assert.equal((await lockData(w)).taskPoints, 10);
      await extensionEntry(w, 'task_completed');
    });

    it('a timed task (duration 600): start-timer, complete too early → 409, after 600 s → 200 with points', async () => {
      const w = await world();
      ok(await ext(w, 'POST', '/tasks/assign', { task: { task: 'Meditate', points: 15, verificationRequired: false, duration: 600 }, actor: 'extension' }));
      // Before the timer was started.
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }), 409, 'task_timer_not_finished');
      const started = ok(await ext(w, 'POST', '/tasks/start-timer', { actor: 'extension' }));
      assert.equal(started.action, 'task.start_timer');
      assert.equal(started.detail.timerEndsAt, new Date(now() + 600_000).toISOString());
      await advance(599);
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }), 409, 'task_timer_not_finished');
      await advance(1);
      const done = ok(await ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }));
      assert.equal(done.detail.pointsAwarded, 15);
      assert.equal(done.lockData.taskPoints, 15);
      assert.equal((await lockData(w)).taskPoints, 15);
      assert.equal((await lockRow(w.lock.id)).task_points, 15);
    });

    it('start-timer with no body is {}', async () => {
      const w = await world();
      ok(await ext(w, 'POST', '/tasks/assign', { task: { task: 'Timed', points: 1, duration: 60 } }));
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/extensions/sessions/${w.session.id}/tasks/start-timer`,
        headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer },
      });
      ok(res);
    });

    it('verificationRequired true → complete isCompleted: true → 409 task_verification_required; failing it is allowed', async () => {
      const w = await world();
      ok(await ext(w, 'POST', '/tasks/assign', { task: { task: 'Photo proof', points: 10, verificationRequired: true, duration: 0 }, actor: 'extension' }));
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }), 409, 'task_verification_required');
      const failed = ok(await ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: false }));
      assert.equal(failed.detail.successful, false);
      assert.equal(failed.lockData.taskPoints, 0);
    });

    it('start-timer on a task without duration → 409 task_has_no_duration', async () => {
      const w = await world();
      ok(await ext(w, 'POST', '/tasks/assign', { task: { task: 'Untimed', points: 3, duration: 0 }, actor: 'extension' }));
      await refused(w, () => ext(w, 'POST', '/tasks/start-timer', { actor: 'extension' }), 409, 'task_has_no_duration');
    });

    it('no task → 409 no_active_task for start-timer and complete', async () => {
      const w = await world();
      await refused(w, () => ext(w, 'POST', '/tasks/start-timer', { actor: 'extension' }), 409, 'no_active_task');
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }), 409, 'no_active_task');
      await refused(w, () => act(w, { name: 'task.start_timer', params: {} }), 409, 'no_active_task');
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: false } }), 409, 'no_active_task');
    });

    it('Chaster duration 30 → 400; a bad task body → 400 invalid_request', async () => {
      const w = await world();
      await refused(w, () => ext(w, 'POST', '/tasks/assign', { task: { task: 'Short', points: 1, duration: 30 }, actor: 'extension' }), 400, 'invalid_params');
      await refused(w, () => ext(w, 'POST', '/tasks/assign', { task: { points: 1 }, actor: 'extension' }), 400, 'invalid_request');
      await refused(w, () => ext(w, 'POST', '/tasks/assign', { task: { task: 'x', points: 1 }, actor: 'robot' }), 400, 'invalid_request');
    });
  });

  describe('every precondition error leaves the lock unchanged', () => {
    it('pillory_not_active, pillory_active', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'pillory.end', params: {} }), 409, 'pillory_not_active');
      ok(await act(w, { name: 'pillory', params: { durationSeconds: 3600, reason: 'first' } }));
      await refused(w, () => act(w, { name: 'pillory', params: { durationSeconds: 600, reason: 'second' } }), 409, 'pillory_active');
      // After it ended by itself, pillory.end is refused again.
      await advance(3600);
      await refused(w, () => act(w, { name: 'pillory.end', params: {} }), 409, 'pillory_not_active');
    });

    it('pillory_not_enabled (422) on a lock without pillory', async () => {
      const w = await world({ lock: { pillory: false } });
      await refused(w, () => act(w, { name: 'pillory', params: { durationSeconds: 3600, reason: 'x' } }), 422, 'pillory_not_enabled');
    });

    it('tasks_not_enabled (422) on a lock without tasks: every task action and route', async () => {
      const w = await world({ lock: { tasks: false } });
      await refused(w, () => act(w, { name: 'task.assign', params: { taskText: 'Clean your room', points: 10 } }), 422, 'tasks_not_enabled');
      await refused(w, () => act(w, { name: 'task.start_timer', params: {} }), 422, 'tasks_not_enabled');
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: true } }), 422, 'tasks_not_enabled');
      await refused(w, () => ext(w, 'POST', '/tasks/assign', { task: { task: 'Complete 50 push-ups', points: 10, verificationRequired: false, duration: 0 }, actor: 'extension' }), 422, 'tasks_not_enabled');
      await refused(w, () => ext(w, 'POST', '/tasks/start-timer', { actor: 'extension' }), 422, 'tasks_not_enabled');
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { actor: 'extension', isCompleted: true }), 422, 'tasks_not_enabled');
    });

    it('no_active_task, task_has_no_duration, task_verification_required, task_timer_not_finished', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'task.start_timer', params: {} }), 409, 'no_active_task');
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: true } }), 409, 'no_active_task');
      ok(await act(w, { name: 'task.assign', params: { taskText: 'No timer', points: 1 } }));
      await refused(w, () => act(w, { name: 'task.start_timer', params: {} }), 409, 'task_has_no_duration');
      ok(await act(w, { name: 'task.assign', params: { taskText: 'Proof', points: 1, verificationRequired: true } }));
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: true } }), 409, 'task_verification_required');
      ok(await act(w, { name: 'task.assign', params: { taskText: 'Timed', points: 1, durationSeconds: 600 } }));
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: true } }), 409, 'task_timer_not_finished');
      ok(await act(w, { name: 'task.start_timer', params: {} }));
      await advance(300);
      await refused(w, () => act(w, { name: 'task.complete', params: { successful: true } }), 409, 'task_timer_not_finished');
    });

    it('hygienic_opening_not_enabled (422), hygienic_opening_active', async () => {
      const off = await world({ lock: { hygienicOpening: false } });
      await refused(off, () => act(off, { name: 'hygienic_unlock.start', params: { durationSeconds: 900 } }), 422, 'hygienic_opening_not_enabled');
      const w = await world();
      ok(await act(w, { name: 'hygienic_unlock.start', params: { durationSeconds: 900 } }));
      await refused(w, () => act(w, { name: 'hygienic_unlock.start', params: { durationSeconds: 900 } }), 409, 'hygienic_opening_active');
      await refused(w, () => act(w, { name: 'hygienic_unlock.start', params: {} }), 409, 'hygienic_opening_active');
    });

    it('role_not_allowed: settings.patch from the wearer launch on a keyholder lock; the keyholder launch may', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'settings.patch', params: { requiredTaskPoints: 5 } }, 'wearer'), 403, 'role_not_allowed');
      await refused(w, () => act(w, { name: 'settings.patch', params: { hiddenTimer: true } }, 'wearer'), 403, 'role_not_allowed');
      const res = ok(await act(w, { name: 'settings.patch', params: { requiredTaskPoints: 5 } }, 'keyholder'));
      assert.equal(res.lockData.taskPointsRequired, 5);
      // On a self-lock the wearer is their own keyholder.
      const self = await world({ lock: { keyholder: false } });
      const own = ok(await act(self, { name: 'settings.patch', params: { requiredTaskPoints: 5 } }, 'wearer'));
      assert.equal(own.lockData.taskPointsRequired, 5);
    });

    it('lock_ended: after the keyholder unlocks, any action → 409', async () => {
      const w = await world();
      const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
      ok(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/unlock`));
      assert.equal((await lockRow(w.lock.id)).status, 'unlocked');
      const bodies: unknown[] = [
        { name: 'add_time', params: 60 },
        { name: 'remove_time', params: 60 },
        { name: 'freeze', params: {} },
        { name: 'unfreeze', params: {} },
        { name: 'toggle_freeze', params: {} },
        { name: 'pillory', params: { durationSeconds: 600 } },
        { name: 'pillory.end', params: {} },
        { name: 'settings.patch', params: { requiredTaskPoints: 1 } },
        { name: 'task.assign', params: { taskText: 'x' } },
        { name: 'task.start_timer', params: {} },
        { name: 'task.complete', params: { successful: true } },
        { name: 'hygienic_unlock.start', params: {} },
      ];
      for (const body of bodies) {
        await refused(w, () => act(w, body, 'keyholder'), 409, 'lock_ended');
      }
      await refused(w, () => ext(w, 'POST', '/tasks/assign', { task: { task: 'x', points: 1 }, actor: 'extension' }), 409, 'lock_ended');
      await refused(w, () => ext(w, 'POST', '/tasks/start-timer', {}), 409, 'lock_ended');
      await refused(w, () => ext(w, 'POST', '/tasks/complete', { isCompleted: true }), 409, 'lock_ended');
    });

    it('unknown action name → 400 unknown_action', async () => {
      const w = await world();
      await refused(w, () => act(w, { name: 'explode', params: {} }), 400, 'unknown_action');
      await refused(w, () => act(w, { name: 'lock.applyTime', params: { deltaSeconds: 300 } }), 400, 'unknown_action');
      await refused(w, () => act(w, { name: 'ADD_TIME', params: 60 }), 400, 'unknown_action');
    });

    it('add_time/remove_time with bad params → 400; removing more than remains leaves 0', async () => {
      const w = await world({ lock: { durationSeconds: 600 } });
      await refused(w, () => act(w, { name: 'add_time', params: 0 }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'add_time', params: -5 }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'add_time', params: 1.5 }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'add_time', params: '60' }), 400, 'invalid_params');
      await refused(w, () => act(w, { name: 'add_time' }), 400, 'invalid_params');
      ok(await act(w, { name: 'add_time', params: { seconds: 60 } }));
      ok(await act(w, { name: 'add_time', params: { deltaSeconds: 40 } }));
      assert.equal((await lockData(w)).timeRemainingSeconds, 700);
      const res = ok(await act(w, { name: 'remove_time', params: 100000 }));
      assert.equal(res.lockData.timeRemainingSeconds, 0);
    });
  });
});
