import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FixtureWorld } from '../../src/services/fixtures.js';
import { markedPng, uploadPicture } from '../combinationHelpers.js';
import { call, expectError, fixtureWorld, login, register, type Session } from '../helpers.js';
import { chasterHarness, type ChasterHarness } from './harness.js';

/**
 * The actor system (issue 13, DECISIONS §14): Chaster's interactions with latch's built-ins, each
 * with `{actor}`. chaster-js 0.38 has no methods for these routes, so the requests are made as
 * its axios client makes them: JSON, the developer token as bearer.
 */
async function partner(h: ChasterHarness, world: FixtureWorld, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}/api/extensions/sessions/${world.session.id}/${path}`, {
    method,
    headers: { authorization: `Bearer ${world.app.appKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function lockOf(h: ChasterHarness, as: Session, world: FixtureWorld) {
  return (await call(h.t.app, as, 'GET', `/api/locks/${world.lock.id}`)).json();
}

async function newestEntry(h: ChasterHarness, as: Session, world: FixtureWorld) {
  return (await call(h.t.app, as, 'GET', `/api/locks/${world.lock.id}/history?limit=1`)).json().results[0];
}

describe('Chaster actor routes (issue 13)', () => {
  let h: ChasterHarness;
  let wearer: Session;
  let selfLock: FixtureWorld;
  before(async () => {
    h = await chasterHarness({ lock: { hygienicOpening: true } });
    wearer = await login(h.t.app, h.world.wearer.username, h.world.wearer.password);
    selfLock = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' }, lock: { keyholder: false, verificationPicture: true } });
  });
  after(() => h.close());

  it('tasks/assign as the extension: 201 with no body; the task is the lock’s, recorded as the extension’s', async () => {
    const res = await partner(h, h.world, 'POST', 'tasks/assign', { task: { task: 'Complete 50 push-ups', points: 10, verificationRequired: false, duration: 0 }, actor: 'extension' });
    assert.deepEqual([res.status, res.text], [201, '']);
    const lock = await lockOf(h, wearer, h.world);
    assert.equal(lock.currentTask.text, 'Complete 50 push-ups');
    const entry = await newestEntry(h, wearer, h.world);
    assert.equal(entry.role, 'extension');
    assert.equal(entry.actor.extensionSlug, h.world.app.slug);
  });

  it('tasks/start-timer on a timed task as the wearer, then tasks/complete as the keyholder awards the points', async () => {
    assert.equal((await partner(h, h.world, 'POST', 'tasks/assign', { task: { task: 'Hold a plank', points: 3, duration: 60 }, actor: 'keyholder' })).status, 201);
    assert.equal((await newestEntry(h, wearer, h.world)).role, 'keyholder');
    const started = await partner(h, h.world, 'POST', 'tasks/start-timer', { actor: 'wearer' });
    assert.deepEqual([started.status, started.text], [201, '']);
    assert.equal(typeof (await lockOf(h, wearer, h.world)).currentTask.timerEndsAt, 'string');
    assert.equal((await newestEntry(h, wearer, h.world)).role, 'wearer');
    h.t.clock.advance(61_000);
    const before = (await lockOf(h, wearer, h.world)).taskPoints;
    const done = await partner(h, h.world, 'POST', 'tasks/complete', { actor: 'keyholder', isCompleted: true });
    assert.deepEqual([done.status, done.text], [201, '']);
    const lock = await lockOf(h, wearer, h.world);
    assert.equal(lock.currentTask, null);
    assert.equal(lock.taskPoints, before + 3);
  });

  it('a task route without an actor, or with an unknown one, is 400 in the Chaster shape and changes nothing', async () => {
    for (const body of [{ task: { task: 'x', points: 1 } }, { task: { task: 'x', points: 1 }, actor: 'visitor' }]) {
      const res = await partner(h, h.world, 'POST', 'tasks/assign', body);
      assert.equal(res.status, 400);
      assert.equal(res.body!.statusCode, 400);
      assert.equal(res.body!.error, 'Bad Request');
    }
    assert.equal((await lockOf(h, wearer, h.world)).currentTask, null);
  });

  it('actor keyholder on a self-lock is refused (400), on every actor route', async () => {
    const paths: Array<[string, unknown]> = [
      ['tasks/assign', { task: { task: 'x', points: 1 }, actor: 'keyholder' }],
      ['tasks/start-timer', { actor: 'keyholder' }],
      ['tasks/complete', { actor: 'keyholder', isCompleted: true }],
      ['temporary-opening/open', { actor: 'keyholder' }],
      ['verification-picture/request', { actor: 'keyholder' }],
    ];
    for (const [path, body] of paths) {
      const res = await partner(h, selfLock, 'POST', path, body);
      assert.equal(res.status, 400, path);
      assert.equal(res.body!.code, 'invalid_params', path);
      assert.match(String(res.body!.message), /no keyholder/, path);
    }
  });

  it('temporary-opening/open as the keyholder: 201 with no body, the lock is open for its hygiene time', async () => {
    const res = await partner(h, h.world, 'POST', 'temporary-opening/open', { actor: 'keyholder' });
    assert.deepEqual([res.status, res.text], [201, '']);
    const lock = await lockOf(h, wearer, h.world);
    assert.notEqual(lock.hygienicOpening, null);
    const entry = await newestEntry(h, wearer, h.world);
    assert.deepEqual([entry.type, entry.role], ['hygienic_opening_started', 'keyholder']);
  });

  it('temporary-opening/open as the wearer or the extension on a self-lock', async () => {
    const selfWearer = await login(h.t.app, selfLock.wearer.username, selfLock.wearer.password);
    const res = await partner(h, selfLock, 'POST', 'temporary-opening/open', { actor: 'wearer' });
    assert.equal(res.status, 201);
    assert.equal((await newestEntry(h, selfWearer, selfLock)).role, 'wearer');
  });

  it('temporary-opening/open on a lock without hygiene opening is 422 naming it', async () => {
    const off = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' }, lock: { hygienicOpening: false } });
    const res = await partner(h, off, 'POST', 'temporary-opening/open', { actor: 'extension' });
    assert.equal(res.status, 422);
    assert.equal(res.body!.code, 'hygienic_opening_not_enabled');
    assert.match(String(res.body!.message), /Hygienic opening/);
  });

  it('a Chastify app calling a Chaster-only actor route finds nothing (404)', async () => {
    const chastify = await fixtureWorld(h.t.app);
    const res = await partner(h, chastify, 'POST', 'temporary-opening/open', { actor: 'extension' });
    assert.equal(res.status, 404);
  });
});

describe('Chaster verification pictures (issue 13)', () => {
  let h: ChasterHarness;
  let wearer: Session;
  let keyholder: Session;
  before(async () => {
    h = await chasterHarness({ lock: { verificationPicture: true } });
    wearer = await login(h.t.app, h.world.wearer.username, h.world.wearer.password);
    keyholder = await login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);
  });
  after(() => h.close());

  const pictures = async (as: Session) => (await call(h.t.app, as, 'GET', `/api/locks/${h.world.lock.id}/verification-pictures`)).json().results;

  it('verification-picture/request as the extension: 201 with no body; both participants see the request with its code; history', async () => {
    const res = await partner(h, h.world, 'POST', 'verification-picture/request', { actor: 'extension' });
    assert.deepEqual([res.status, res.text], [201, '']);
    const [request] = await pictures(keyholder);
    assert.equal(request.status, 'requested');
    assert.match(request.code, /^[A-Z2-9]{6}$/);
    assert.deepEqual(request.requestedBy, { role: 'extension', userId: null, extensionSlug: h.world.app.slug });
    assert.deepEqual((await pictures(wearer)).map((p: { id: string }) => p.id), [request.id]);
    const entry = await newestEntry(h, wearer, h.world);
    assert.deepEqual([entry.type, entry.role, entry.description], ['verification_picture_requested', 'extension', `Code ${request.code}`]);
  });

  it('the wearer uploads the picture; the keyholder sees it and reads its bytes; the keyholder cannot upload; a stranger sees nothing', async () => {
    const png = markedPng('verification');
    assert.equal((await uploadPicture(h.t.app, keyholder, png, 'file', `/api/locks/${h.world.lock.id}/verification-pictures`)).statusCode, 403);
    const up = await uploadPicture(h.t.app, wearer, png, 'file', `/api/locks/${h.world.lock.id}/verification-pictures`);
    assert.equal(up.statusCode, 201, up.body);
    assert.equal(up.json().status, 'submitted');
    const [picture] = await pictures(keyholder);
    assert.equal(picture.status, 'submitted');
    const image = await call(h.t.app, keyholder, 'GET', picture.imageUrl);
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.deepEqual(image.rawPayload, png);
    assert.equal((await newestEntry(h, keyholder, h.world)).type, 'verification_picture_submitted');
    const stranger = await register(h.t.app);
    expectError(await call(h.t.app, stranger, 'GET', picture.imageUrl), 404, 'not_found');
    expectError(await call(h.t.app, stranger, 'GET', `/api/locks/${h.world.lock.id}/verification-pictures`), 404, 'not_found');
  });

  it('an upload with nothing requested is 409; a non-image is 415; neither is stored', async () => {
    const url = `/api/locks/${h.world.lock.id}/verification-pictures`;
    expectError(await uploadPicture(h.t.app, wearer, markedPng('late'), 'file', url), 409, 'conflict');
    assert.equal((await partner(h, h.world, 'POST', 'verification-picture/request', { actor: 'keyholder' })).status, 201);
    expectError(await uploadPicture(h.t.app, wearer, Buffer.from('not an image at all'), 'file', url), 415, 'unsupported_media_type');
    const [open] = await pictures(wearer);
    assert.deepEqual([open.status, open.requestedBy.role, open.requestedBy.userId], ['requested', 'keyholder', h.world.keyholder!.id]);
  });

  it('the keyholder asks from the lock page; the wearer may ask too (actor wearer)', async () => {
    const res = await call(h.t.app, keyholder, 'POST', `/api/locks/${h.world.lock.id}/verification-pictures/request`);
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().requestedBy.role, 'keyholder');
    assert.equal((await partner(h, h.world, 'POST', 'verification-picture/request', { actor: 'wearer' })).status, 201);
    assert.equal((await pictures(keyholder))[0].requestedBy.role, 'wearer');
  });

  it('on a lock without verification pictures: 422 naming them', async () => {
    const off = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' } });
    const res = await partner(h, off, 'POST', 'verification-picture/request', { actor: 'extension' });
    assert.equal(res.status, 422);
    assert.equal(res.body!.code, 'verification_picture_not_enabled');
    assert.match(String(res.body!.message), /Verification pictures/);
  });
});

describe('Chaster pillory status and pillory votes (issue 13)', () => {
  let h: ChasterHarness;
  let wearer: Session;
  before(async () => {
    h = await chasterHarness({ lock: { pillory: true } });
    wearer = await login(h.t.app, h.world.wearer.username, h.world.wearer.password);
  });
  after(() => h.close());

  it('pillory/status out of the pillory: no votes', async () => {
    const res = await partner(h, h.world, 'GET', 'pillory/status');
    assert.deepEqual([res.status, res.body], [200, { votes: [] }]);
  });

  it('in the pillory, visitors vote: each adds time once; status counts the votes and the time', async () => {
    const keyholder = await login(h.t.app, h.world.keyholder!.username, h.world.keyholder!.password);
    const put = await call(h.t.app, keyholder, 'POST', `/api/locks/${h.world.lock.id}/actions`, { name: 'pillory', params: { durationSeconds: 3600, reason: 'Failed to complete task on time' } });
    assert.equal(put.statusCode, 200, put.body);
    const first = await partner(h, h.world, 'GET', 'pillory/status');
    const votes = first.body!.votes as Array<Record<string, unknown>>;
    assert.equal(votes.length, 1);
    assert.deepEqual([votes[0]!.nbVotes, votes[0]!.totalDurationAdded, votes[0]!.reason], [0, 0, 'Failed to complete task on time']);
    assert.equal(votes[0]!.voteEndsAt, new Date(h.t.clock.now() + 3600_000).toISOString());
    const pilloryId = String(votes[0]!._id);
    const listed = (await call(h.t.app, null, 'GET', '/api/pillory')).json().results;
    assert.deepEqual(listed.map((p: { id: string }) => p.id), [pilloryId]);

    const endsBefore = (await lockOf(h, wearer, h.world)).endsAt;
    const visitor = await register(h.t.app);
    const voted = await call(h.t.app, visitor, 'POST', `/api/pillory/${pilloryId}/votes`);
    assert.equal(voted.statusCode, 201, voted.body);
    assert.equal(Date.parse((await lockOf(h, wearer, h.world)).endsAt) - Date.parse(endsBefore), voted.json().secondsPerVote * 1000);
    expectError(await call(h.t.app, visitor, 'POST', `/api/pillory/${pilloryId}/votes`), 409, 'already_voted');
    expectError(await call(h.t.app, wearer, 'POST', `/api/pillory/${pilloryId}/votes`), 403, 'forbidden');
    await call(h.t.app, await register(h.t.app), 'POST', `/api/pillory/${pilloryId}/votes`);

    const status = (await partner(h, h.world, 'GET', 'pillory/status')).body!.votes as Array<Record<string, unknown>>;
    assert.deepEqual([status[0]!.nbVotes, status[0]!.totalDurationAdded], [2, 2 * voted.json().secondsPerVote]);
    const page = (await call(h.t.app, wearer, 'GET', `/api/locks/${h.world.lock.id}/pillory/votes`)).json().results;
    assert.equal(page[0].votes, 2);
  });

  it('once the pillory is over, status is empty again and votes are refused', async () => {
    const pilloryId = String(((await partner(h, h.world, 'GET', 'pillory/status')).body!.votes as Array<Record<string, unknown>>)[0]!._id);
    h.t.clock.advance(3_601_000);
    assert.deepEqual((await partner(h, h.world, 'GET', 'pillory/status')).body, { votes: [] });
    expectError(await call(h.t.app, await register(h.t.app), 'POST', `/api/pillory/${pilloryId}/votes`), 409, 'pillory_not_active');
  });

  it('pillory/status on a lock without the pillory is 422 naming it', async () => {
    const off = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' }, lock: { pillory: false } });
    const res = await partner(h, off, 'GET', 'pillory/status');
    assert.equal(res.status, 422);
    assert.equal(res.body!.code, 'pillory_not_enabled');
  });
});
