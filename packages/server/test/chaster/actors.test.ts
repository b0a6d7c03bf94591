import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FixtureWorld } from '../../src/services/fixtures.js';
import { call, fixtureWorld, login, type Session } from '../helpers.js';
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
    selfLock = await fixtureWorld(h.t.app, { extension: { dialect: 'chaster' }, lock: { keyholder: false } });
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
