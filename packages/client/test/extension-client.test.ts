import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createExtensionClient, type ExtensionSessionClient } from '../src/index.js';
import { rejectsWith, suiteServer, type World } from './server.js';

/**
 * Every method of the extension client against the real server over HTTP: each one round-trips
 * through its route (`/api/extensions/sessions/*`) with the two-token credentials.
 */
const WORLD = {
  extension: {
    config: {
      regularActions: { mode: 'cumulative', regularitySeconds: 3600, maxActions: 3 },
      extensionRequirements: { enabled: true, metric: 'completion', requiredCount: 2, cadence: { every: 1, unit: 'day', timezone: 'UTC' }, punishment: { type: 'none' } },
      attemptLimit: { enabled: true, metric: 'memory_win', durationSeconds: 300, startPolicy: 'activity' },
    },
    initialMetadata: { unlockRequirements: [{ metric: 'memory_win', requiredCount: 3, blocker: 'Win 3 memory games' }] },
  },
  lock: { keyholder: true, durationSeconds: 86400, tasks: true, hygienicOpening: true, pillory: true },
};

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

describe('@latch/client: extension session API (real server)', () => {
  const srv = suiteServer();
  let w: World;
  let s: ExtensionSessionClient;
  before(async () => {
    w = await srv.world(WORLD);
    s = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: w.mainTokens.wearer }).session(w.session.id);
  });

  it('search finds the app’s sessions (app key alone) and get returns the session', async () => {
    const ext = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey });
    const found = await ext.search({ extensionSlug: w.app.slug, status: 'all', limit: 5 });
    assert.ok(found.count >= 1);
    assert.equal(found.results[0]!.sessionId, w.session.id);
    assert.equal(typeof found.results[0]!.paginationId, 'string');
    const alone = await ext.session(w.session.id).get();
    assert.equal(alone.sessionId, w.session.id);

    const session = await s.get();
    assert.equal(session.sessionId, w.session.id);
    assert.equal(session.lockId, w.lock.id);
    assert.equal(session.role, 'wearer');
    assert.equal(typeof session.lockData.timeRemainingSeconds, 'number');
    assert.equal(session.capabilities.backendMutations, true);
  });

  it('state get / put / patch, with the ETag for If-Match', async () => {
    const empty = await s.state.get();
    assert.deepEqual(empty.data, {});
    assert.match(String(empty.etag), /^"\d+"$/);
    const put = await s.state.put({ level: 1, name: 'a' });
    assert.deepEqual(put.data, { level: 1, name: 'a' });
    const patched = await s.state.patch({ level: 2, name: null }, { ifMatch: put.etag! });
    assert.deepEqual(patched.data, { level: 2 });
    assert.notEqual(patched.etag, put.etag);
    await rejectsWith(s.state.patch({ level: 3 }, { ifMatch: put.etag! }), 412, 'precondition_failed');
    assert.deepEqual((await s.state.get()).data, { level: 2 });
  });

  it('metadata get / patch', async () => {
    const before = await s.metadata.get();
    assert.equal(before.unlockRequirements[0]!.metric, 'memory_win');
    const after = await s.metadata.patch({
      unlockBlockers: ['Finish the puzzle'],
      homeActions: [{ slug: 'play', title: 'Play', intent: { type: 'open_panel', payload: { panel: 'game' } } }],
    });
    assert.deepEqual(after.unlockBlockers, ['Finish the puzzle']);
    assert.equal(after.homeActions[0]!.slug, 'play');
    assert.equal(after.unlockBlocked, true);
    assert.ok(after.aggregatedUnlockBlockers.some((b) => b.blocker === 'Finish the puzzle'));
  });

  it('action and the lock helpers (time, freeze, pillory, hygienic opening)', async () => {
    const before = (await s.get()).lockData.timeRemainingSeconds!;
    const added = await s.action('add_time', 600);
    assert.equal(added.ok, true);
    assert.equal(added.action, 'add_time');
    assert.ok(added.lockData.timeRemainingSeconds! >= before + 600);
    assert.equal((await s.lock.applyTime(-300)).action, 'remove_time');
    assert.equal((await s.lock.addTime(60)).action, 'add_time');
    assert.equal((await s.lock.removeTime(60)).action, 'remove_time');
    const frozen = await s.lock.freeze(120);
    assert.equal(frozen.lockData.frozen, true);
    assert.equal((await s.lock.unfreeze()).lockData.frozen, false);
    assert.equal((await s.lock.toggleFreeze()).lockData.frozen, true);
    assert.equal((await s.lock.toggleFreeze()).lockData.frozen, false);
    assert.equal((await s.lock.pillory({ durationSeconds: 600, reason: 'missed it' })).lockData.inPillory, true);
    await rejectsWith(s.lock.pillory({ durationSeconds: 600 }), 409, 'pillory_active');
    assert.equal((await s.lock.endPillory()).lockData.inPillory, false);
    await rejectsWith(s.lock.endPillory(), 409, 'pillory_not_active');
    assert.equal((await s.lock.startHygienicOpening(900)).lockData.hygienicOpening, true);
    await rejectsWith(s.lock.startHygienicOpening(), 409, 'hygienic_opening_active');
    // A wearer launch may not change the settings of a keyholder's lock.
    await rejectsWith(s.lock.patchSettings({ tasks: { enabled: false } }), 403, 'role_not_allowed');
    assert.throws(() => s.lock.applyTime(0), RangeError);
  });

  it('the Chaster task routes: assign, start-timer, complete', async () => {
    const assigned = await s.tasks.assign({ task: { task: 'Write a reflection', points: 5, duration: 0 }, actor: 'extension' });
    assert.equal(assigned.lockData.taskAssigned, true);
    await rejectsWith(s.tasks.startTimer(), 409, 'task_has_no_duration');
    const done = await s.tasks.complete({ isCompleted: true, actor: 'extension' });
    assert.equal(done.lockData.taskAssigned, false);
    assert.equal(done.lockData.taskPoints, 5);
    await rejectsWith(s.tasks.complete({ isCompleted: true }), 409, 'no_active_task');
  });

  it('logs.custom and notifications.custom', async () => {
    const log = await s.logs.custom({ title: 'Puzzle solved', description: 'in 42 s', color: '#22c55e' });
    assert.equal(log.title, 'Puzzle solved');
    assert.equal(log.extensionSlug, w.app.slug);
    assert.ok((await srv.history(w)).some((h) => h.title === 'Puzzle solved'));
    const note = await s.notifications.custom({ title: 'Reward', message: 'Ten minutes off', target: 'both' });
    assert.equal(note.type, 'extension_app_message');
    assert.equal(note.notifications.length, 2);
  });

  it('requirements get / progress', async () => {
    const reqs = await s.requirements.get();
    assert.ok(reqs && typeof reqs === 'object');
    const p = await s.requirements.progress({ metric: 'completion', amount: 1 });
    assert.equal(p.metric, 'completion');
    assert.equal(p.total, 1);
    assert.equal(p.window?.count, 1);
    const win = await s.requirements.progress({ metric: 'memory_win' });
    assert.equal(win.unlockRequirement?.count, 1);
    await rejectsWith(s.requirements.progress({ metric: 'nope' }), 422, 'unknown_metric');
  });

  it('regular actions get / submit / config', async () => {
    const ra = await s.regularActions.get();
    assert.equal(ra.mode, 'cumulative');
    assert.equal(ra.nbActionsRemaining, 1);
    const submitted = await s.regularActions.submit({ kind: 'checkin', score: 92 });
    assert.deepEqual(submitted.action.payload, { kind: 'checkin', score: 92 });
    assert.equal(submitted.nbActionsRemaining, 0);
    const unavailable = await rejectsWith(s.regularActions.submit({ kind: 'again' }), 422, 'regular_action_unavailable');
    assert.equal((unavailable.details as { nbActionsRemaining: number }).nbActionsRemaining, 0);
    const unlimited = await s.regularActions.config({ mode: 'unlimited' });
    assert.equal(unlimited.nbActionsRemaining, -1);
    assert.equal((await s.regularActions.submit()).nbActionsRemaining, -1);
  });

  it('attempts start / failExpired / fail', async () => {
    const started = await s.attempts.start({ metric: 'memory_win', attemptId: 'run-1' });
    assert.equal(started.created, true);
    assert.equal(started.attempt.status, 'active');
    assert.equal((await s.attempts.start({ metric: 'memory_win', attemptId: 'run-1' })).created, false, 'same attemptId: idempotent');
    await rejectsWith(s.attempts.start({ metric: 'memory_win', attemptId: 'run-2' }), 409, 'attempt_active');
    const early = await s.attempts.failExpired({ metric: 'memory_win', attemptId: 'run-1' });
    assert.equal(early.failed, false);
    assert.ok(early.remainingSeconds! > 0);
    srv.clock.advance(301_000);
    assert.equal((await s.attempts.failExpired({ metric: 'memory_win', attemptId: 'run-1' })).failed, true);
    await rejectsWith(s.attempts.failExpired({ metric: 'memory_win', attemptId: 'nope' }), 404, 'attempt_not_found');
    // A verified loss ends the next one at once.
    await s.attempts.start({ metric: 'memory_win', attemptId: 'run-3' });
    const lost = await s.attempts.fail({ metric: 'memory_win', attemptId: 'run-3', reason: 'wrong answer' });
    assert.equal(lost.failed, true);
    assert.equal(lost.attempt.status, 'failed');
    await rejectsWith(s.attempts.fail({ metric: 'memory_win', attemptId: 'nope' }), 404, 'attempt_not_found');
  });

  it('files: capabilities, upload, list, get, delete', async () => {
    const caps = await s.files.capabilities();
    assert.equal(caps.canUpload, true);
    assert.equal(caps.uploadField, 'file');
    const uploaded = await s.files.upload({ data: PNG, filename: 'dot.png', contentType: 'image/png' });
    assert.equal(uploaded.contentType, 'image/png');
    assert.equal(uploaded.size, PNG.length);
    const list = await s.files.list();
    assert.deepEqual(list.files.map((f) => f.id), [uploaded.id]);
    const one = await s.files.get(uploaded.id);
    assert.equal(one.sha256, uploaded.sha256);
    const bytes = new Uint8Array(await (await fetch(one.url)).arrayBuffer());
    assert.deepEqual(bytes, PNG, 'the signed URL serves the bytes');
    const asBlob = await s.files.upload({ data: new Blob([PNG]), filename: 'blob.png' });
    assert.equal(asBlob.filename.endsWith('.png'), true);
    assert.deepEqual(await s.files.delete(uploaded.id), { ok: true, fileId: uploaded.id, deleted: true });
    await rejectsWith(s.files.get(uploaded.id), 404, 'not_found');
  });

  it('deviceCommand (virtual device): applied values and clamps', async () => {
    const session = await s.get();
    assert.ok(session.deviceControl.supportedCommands.includes('vibration.start'));
    const started = await s.deviceCommand('vibration.start', { durationSeconds: 900, intensityPct: 40 });
    assert.equal(started.ok, true);
    assert.equal(started.applied.durationSeconds, 300);
    assert.ok(started.clamped.includes('durationSeconds'));
    assert.equal(started.active.vibrating, true);
    assert.equal((await s.deviceCommand('all.stop')).active.vibrating, false);
    await rejectsWith(s.deviceCommand('teleport' as 'all.stop'), 422, 'unsupported_command');
  });

  it('errors carry the catalog code (error is an object here), message, requestId and details', async () => {
    const bad = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey, mainToken: 'mt_not_a_real_token' }).session(w.session.id);
    const err = await rejectsWith(bad.get(), 401, 'invalid_main_token');
    assert.match(err.requestId!, /^req_/);
    assert.equal(typeof (err.body as { error: unknown }).error, 'object', '/api/extensions spells error as {code, message}');
    assert.match(err.message, /main token/i);
    assert.equal(err.method, 'GET');
    assert.equal(err.path, `/api/extensions/sessions/${w.session.id}`);

    const noToken = createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey }).session(w.session.id);
    await rejectsWith(noToken.state.get(), 401, 'main_token_required');
    await rejectsWith(createExtensionClient({ baseUrl: srv.baseUrl, appKey: 'lk_app_unknownunknown' }).search({ extensionSlug: w.app.slug }), 401, 'invalid_credentials');
    await rejectsWith(createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.wearer.userKey, mainToken: w.mainTokens.wearer }).session(w.session.id).get(), 403, 'app_scoped_key_required');

    const invalid = await rejectsWith(s.logs.custom({ title: '', color: 'red' }), 400, 'invalid_request');
    assert.ok(Array.isArray(invalid.details) && invalid.details.length >= 1, 'validation details');
    assert.ok(invalid.idempotencyKey, 'the mutation carried an Idempotency-Key');
  });
});
