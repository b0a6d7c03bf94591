/**
 * Devices (spec 002 `device.command`, DECISIONS §11): every command and clamp, the virtual
 * device (default and Lockink models), timed ends through the scheduler, both APIs, the
 * first-party device routes, history, and a Buttplug device whose Intiface server is not there.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { call, expectError, fixtureWorld, login, suiteApp, type Session, type TestApp } from './helpers.js';

interface Active {
  shocking: boolean;
  vibrating: boolean;
  random: boolean;
  berserk: boolean;
}

const BASIC = ['shock.start', 'shock.stop', 'vibration.start', 'vibration.stop', 'all.stop'];
const LOCKINK = ['shock.start', 'shock.stop', 'vibration.start', 'vibration.stop', 'all.stop', 'shock.random.set', 'shock.berserk.set'];
const NOTHING: Active = { shocking: false, vibrating: false, random: false, berserk: false };

const fixture = (t: TestApp, body?: Record<string, unknown>) => fixtureWorld(t.app, body);

const backend = (w: World) => ({ authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer });

function command(t: TestApp, w: World, cmd: string, params?: Record<string, unknown>, headers: Record<string, string> = backend(w)) {
  return t.app.inject({ method: 'POST', url: `/api/extensions/sessions/${w.session.id}/device-command`, headers, payload: { command: cmd, ...(params ? { params } : {}) } });
}

function ok(res: LightMyRequestResponse) {
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { ok: true; command: string; applied: Record<string, unknown>; clamped: string[]; endsAt: string | null; devices: Array<{ id: string; kind: string; model: string; name: string }>; active: Active };
}

async function session(t: TestApp, w: World) {
  const res = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { 'x-chastify-main-token': w.mainTokens.wearer } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { deviceControl: { available: boolean; supportedCommands: string[]; active: Active } };
}

const advance = async (t: TestApp, seconds: number) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
  assert.equal(res.statusCode, 200, res.body);
};

async function deviceJobs(t: TestApp) {
  return t.db.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'device.channel_end').execute();
}

async function history(t: TestApp, user: Session, lockId: string) {
  const res = await call(t.app, user, 'GET', `/api/locks/${lockId}/history?limit=100`);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { results: Array<{ type: string; role: string; title: string; description: string; payload: Record<string, unknown>; actor: { extensionSlug: string | null } | null }> }).results;
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('device commands (spec 002)', () => {
  const t = suiteApp({ config: { rateLimitMultiplier: 20 } });
  let w: World;
  let wearer: Session;

  before(async () => {
    w = await fixture(t);
    wearer = await login(t.app, w.wearer.username, w.wearer.password);
  });

  it('the fixture attaches a virtual device: session.get reports it with the basic commands', async () => {
    const s = await session(t, w);
    assert.deepEqual(s.deviceControl, { available: true, supportedCommands: BASIC, active: NOTHING });
    const list = await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/devices`);
    assert.equal(list.statusCode, 200, list.body);
    const [device] = list.json().devices;
    assert.equal(device.kind, 'virtual');
    assert.equal(device.model, 'default');
    assert.equal(device.available, true);
  });

  it('shock.start: applied values within range are reported as given', async () => {
    const r = ok(await command(t, w, 'shock.start', { durationSeconds: 30, intensityPct: 50, message: 'Zap' }));
    assert.equal(r.command, 'shock.start');
    assert.deepEqual(r.applied, { durationSeconds: 30, intensityPct: 50, message: 'Zap' });
    assert.deepEqual(r.clamped, []);
    assert.equal(r.endsAt, new Date(t.clock.now() + 30_000).toISOString());
    assert.deepEqual(r.active, { ...NOTHING, shocking: true });
    assert.equal(r.devices.length, 1);
    assert.deepEqual((await session(t, w)).deviceControl.active, { ...NOTHING, shocking: true });
    const state = (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/devices`)).json().devices[0].state;
    assert.equal(state.shocking, true);
    assert.equal(state.shockIntensityPct, 50);
    assert.equal(state.shockUntil, r.endsAt);
    assert.equal(state.message, 'Zap');
  });

  it('a timed shock ends by itself when the clock passes its end (scheduler job)', async () => {
    assert.equal((await deviceJobs(t)).length, 1);
    await advance(t, 29);
    assert.equal((await session(t, w)).deviceControl.active.shocking, true);
    await advance(t, 1);
    assert.equal((await session(t, w)).deviceControl.active.shocking, false);
    assert.deepEqual(await deviceJobs(t), []);
    const row = await t.db.database.db.selectFrom('device_state').selectAll().where('channel', '=', 'shock').executeTakeFirstOrThrow();
    assert.equal(row.active, 0);
  });

  for (const [label, given, applied, clamped] of [
    ['above the range', { durationSeconds: 1000, intensityPct: 150 }, { durationSeconds: 300, intensityPct: 100 }, ['durationSeconds', 'intensityPct']],
    ['below the range', { durationSeconds: 0, intensityPct: -5 }, { durationSeconds: 1, intensityPct: 1 }, ['durationSeconds', 'intensityPct']],
    ['fractions', { durationSeconds: 2.4, intensityPct: 50.6 }, { durationSeconds: 2, intensityPct: 51 }, ['durationSeconds', 'intensityPct']],
    ['at the edges', { durationSeconds: 300, intensityPct: 1 }, { durationSeconds: 300, intensityPct: 1 }, []],
  ] as const) {
    it(`shock.start clamps ${label}, never refuses`, async () => {
      const r = ok(await command(t, w, 'shock.start', given));
      assert.deepEqual(r.applied, { ...applied, message: null });
      assert.deepEqual(r.clamped, clamped);
      assert.equal(r.endsAt, new Date(t.clock.now() + applied.durationSeconds * 1000).toISOString());
    });
  }

  it('shock.stop stops the shock at once and drops its end job', async () => {
    ok(await command(t, w, 'shock.start', { durationSeconds: 60, intensityPct: 20 }));
    const r = ok(await command(t, w, 'shock.stop'));
    assert.deepEqual(r.active, NOTHING);
    assert.deepEqual(r.applied, { message: null });
    assert.equal(r.endsAt, null);
    assert.deepEqual(await deviceJobs(t), []);
  });

  it('vibration.start: clamps duration, intensity and frequency; frequency is optional', async () => {
    let r = ok(await command(t, w, 'vibration.start', { durationSeconds: 600, intensityPct: 0, frequencyPct: 200 }));
    assert.deepEqual(r.applied, { durationSeconds: 300, intensityPct: 1, frequencyPct: 100, message: null });
    assert.deepEqual(r.clamped, ['durationSeconds', 'intensityPct', 'frequencyPct']);
    assert.deepEqual(r.active, { ...NOTHING, vibrating: true });
    r = ok(await command(t, w, 'vibration.start', { durationSeconds: 10, intensityPct: 40, frequencyPct: 0 }));
    assert.deepEqual(r.applied, { durationSeconds: 10, intensityPct: 40, frequencyPct: 1, message: null });
    assert.deepEqual(r.clamped, ['frequencyPct']);
    r = ok(await command(t, w, 'vibration.start', { durationSeconds: 20, intensityPct: 40 }));
    assert.deepEqual(r.applied, { durationSeconds: 20, intensityPct: 40, frequencyPct: null, message: null });
    const state = (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/devices`)).json().devices[0].state;
    assert.equal(state.vibrating, true);
    assert.equal(state.vibrationIntensityPct, 40);
    assert.equal(state.vibrationFrequencyPct, null);
    assert.equal(state.vibrationUntil, new Date(t.clock.now() + 20_000).toISOString());
  });

  it('a timed vibration ends by itself; vibration.stop ends one at once', async () => {
    await advance(t, 21);
    assert.equal((await session(t, w)).deviceControl.active.vibrating, false);
    ok(await command(t, w, 'vibration.start', { durationSeconds: 100, intensityPct: 30 }));
    const r = ok(await command(t, w, 'vibration.stop', { message: 'enough' }));
    assert.deepEqual(r.active, NOTHING);
    assert.deepEqual(await deviceJobs(t), []);
  });

  it('all.stop stops shock and vibration together', async () => {
    ok(await command(t, w, 'shock.start', { durationSeconds: 100, intensityPct: 30 }));
    ok(await command(t, w, 'vibration.start', { durationSeconds: 100, intensityPct: 30 }));
    assert.deepEqual((await session(t, w)).deviceControl.active, { ...NOTHING, shocking: true, vibrating: true });
    const r = ok(await command(t, w, 'all.stop'));
    assert.deepEqual(r.active, NOTHING);
    assert.deepEqual(await deviceJobs(t), []);
  });

  it('the Lockink-only commands on a default virtual device → 422 unsupported_command', async () => {
    expectError(await command(t, w, 'shock.random.set', { enabled: true }), 422, 'unsupported_command');
    expectError(await command(t, w, 'shock.berserk.set', { enabled: true }), 422, 'unsupported_command');
  });

  it('unknown commands → 422 unsupported_command', async () => {
    for (const c of ['shock.explode', 'vibrate', 'ALL.STOP', '']) {
      const res = await command(t, w, c);
      if (c === '') expectError(res, 400, 'invalid_request');
      else expectError(res, 422, 'unsupported_command');
    }
  });

  it('bad parameters → 400 invalid_params (missing, wrong type, unknown name, long message)', async () => {
    expectError(await command(t, w, 'shock.start', { intensityPct: 50 }), 400, 'invalid_params');
    expectError(await command(t, w, 'shock.start', { durationSeconds: 10 }), 400, 'invalid_params');
    expectError(await command(t, w, 'shock.start', { durationSeconds: '30', intensityPct: 50 }), 400, 'invalid_params');
    expectError(await command(t, w, 'vibration.start', { durationSeconds: 30, intensity: 50, intensityPct: 50 }), 400, 'invalid_params');
    expectError(await command(t, w, 'shock.start', { durationSeconds: 30, intensityPct: 50, message: 'x'.repeat(501) }), 400, 'invalid_params');
    expectError(await command(t, w, 'shock.stop', { durationSeconds: 3 }), 400, 'invalid_params');
    const notObject = await t.app.inject({ method: 'POST', url: `/api/extensions/sessions/${w.session.id}/device-command`, headers: backend(w), payload: { command: 'shock.stop', params: [1] } });
    expectError(notObject, 400, 'invalid_request');
  });

  it('each command writes a lock history entry with its actor', async () => {
    const entries = (await history(t, wearer, w.lock.id)).filter((e) => e.type === 'device_command');
    const titles = entries.map((e) => e.title);
    assert.ok(titles.includes('Shock for 30 s at 50%'), titles.join(' | '));
    assert.ok(titles.includes('Shock for 300 s at 100%'));
    assert.ok(titles.includes('Vibration for 300 s at 1%, frequency 100%'));
    assert.ok(titles.includes('Vibration stopped'));
    assert.ok(titles.includes('All device activity stopped'));
    const zap = entries.find((e) => e.title === 'Shock for 30 s at 50%')!;
    assert.equal(zap.role, 'extension');
    assert.equal(zap.description, 'Zap');
    assert.equal(zap.actor?.extensionSlug, w.app.slug);
    assert.deepEqual(zap.payload.applied, { durationSeconds: 30, intensityPct: 50, message: 'Zap' });
    // Refused commands write nothing: the first shock, 4 clamps, start+stop, 3 vibrations,
    // start+stop, and shock+vibration+all.stop: 15 accepted commands.
    assert.equal(entries.length, 15);
    assert.ok((await history(t, wearer, w.lock.id)).some((e) => e.type === 'device_attached'));
  });

  it('needs backend credentials and the locks:write scope', async () => {
    expectError(await command(t, w, 'all.stop', undefined, { 'x-chastify-main-token': w.mainTokens.wearer }), 403, 'server_credentials_required');
    const noScope = await fixture(t, { extension: { scopes: ['state:write', 'files:write'] } });
    expectError(await command(t, noScope, 'shock.start', { durationSeconds: 5, intensityPct: 5 }), 403, 'insufficient_scope');
    expectError(await command(t, noScope, 'all.stop'), 403, 'insufficient_scope');
  });

  describe('a lock without devices', () => {
    let bare: World;
    before(async () => (bare = await fixture(t, { lock: { virtualDevice: false } })));

    it('session.get: unavailable, no commands, nothing active', async () => {
      assert.deepEqual((await session(t, bare)).deviceControl, { available: false, supportedCommands: [], active: NOTHING });
    });

    it('every command, all.stop included, → 409 device_not_available (DECISIONS §11), and nothing is recorded', async () => {
      expectError(await command(t, bare, 'shock.start', { durationSeconds: 5, intensityPct: 5 }), 409, 'device_not_available');
      expectError(await command(t, bare, 'vibration.stop'), 409, 'device_not_available');
      expectError(await command(t, bare, 'shock.random.set', { enabled: true }), 409, 'device_not_available');
      expectError(await command(t, bare, 'all.stop'), 409, 'device_not_available');
      const owner = await login(t.app, bare.wearer.username, bare.wearer.password);
      assert.equal((await history(t, owner, bare.lock.id)).filter((e) => e.type === 'device_command').length, 0);
    });
  });

  describe('a virtual Lockink device', () => {
    let lk: World;
    let owner: Session;
    let deviceId: string;
    before(async () => {
      lk = await fixture(t, { lock: { virtualDevice: false } });
      owner = await login(t.app, lk.keyholder!.username, lk.keyholder!.password);
      const res = await call(t.app, owner, 'POST', `/api/locks/${lk.lock.id}/devices`, { kind: 'virtual', model: 'lockink' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().model, 'lockink');
      assert.deepEqual(res.json().supportedCommands, LOCKINK);
      deviceId = res.json().id;
    });

    it('unlocking stops every device, random and berserk modes included', async () => {
      const w = await fixture(t, { lock: { virtualDevice: false } });
      const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
      assert.equal((await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/devices`, { kind: 'virtual', model: 'lockink' })).statusCode, 201);
      ok(await command(t, w, 'shock.random.set', { enabled: true }));
      ok(await command(t, w, 'shock.berserk.set', { enabled: true }));
      ok(await command(t, w, 'vibration.start', { durationSeconds: 300, intensityPct: 40 }));
      assert.equal((await session(t, w)).deviceControl.active.berserk, true);
      const unlocked = await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/unlock`);
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      const listed = await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}/devices`);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(listed.json().deviceControl.active, NOTHING);
    });

    it('session.get lists the random and berserk commands', async () => {
      assert.deepEqual((await session(t, lk)).deviceControl, { available: true, supportedCommands: LOCKINK, active: NOTHING });
    });

    it('shock.random.set: on with clamped bounds, defaults, min ≤ max, off', async () => {
      let r = ok(await command(t, lk, 'shock.random.set', { enabled: true, minIntensityPct: 0, maxIntensityPct: 150, message: 'surprise' }));
      assert.deepEqual(r.applied, { enabled: true, minIntensityPct: 1, maxIntensityPct: 100, message: 'surprise' });
      assert.deepEqual(r.clamped, ['minIntensityPct', 'maxIntensityPct']);
      assert.deepEqual(r.active, { ...NOTHING, random: true });
      assert.equal(r.endsAt, null);
      r = ok(await command(t, lk, 'shock.random.set', { enabled: true }));
      assert.deepEqual(r.applied, { enabled: true, minIntensityPct: 10, maxIntensityPct: 50, message: null });
      r = ok(await command(t, lk, 'shock.random.set', { enabled: true, minIntensityPct: 70 }));
      assert.deepEqual(r.applied, { enabled: true, minIntensityPct: 70, maxIntensityPct: 70, message: null });
      r = ok(await command(t, lk, 'shock.random.set', { enabled: true, maxIntensityPct: 5 }));
      assert.deepEqual(r.applied, { enabled: true, minIntensityPct: 5, maxIntensityPct: 5, message: null });
      expectError(await command(t, lk, 'shock.random.set', { enabled: true, minIntensityPct: 60, maxIntensityPct: 40 }), 400, 'invalid_params');
      expectError(await command(t, lk, 'shock.random.set', { minIntensityPct: 10 }), 400, 'invalid_params');
      const state = (await call(t.app, owner, 'GET', `/api/locks/${lk.lock.id}/devices`)).json().devices[0].state;
      assert.equal(state.random, true);
      assert.equal(state.randomMinIntensityPct, 5);
      assert.equal(state.randomMaxIntensityPct, 5);
      // Modes do not end with time.
      await advance(t, 3600);
      assert.equal((await session(t, lk)).deviceControl.active.random, true);
      r = ok(await command(t, lk, 'shock.random.set', { enabled: false }));
      assert.deepEqual(r.active, NOTHING);
    });

    it('shock.berserk.set on and off', async () => {
      let r = ok(await command(t, lk, 'shock.berserk.set', { enabled: true, message: 'berserk!' }));
      assert.deepEqual(r.applied, { enabled: true, message: 'berserk!' });
      assert.deepEqual(r.active, { ...NOTHING, berserk: true });
      r = ok(await command(t, lk, 'shock.berserk.set', { enabled: false }));
      assert.deepEqual(r.active, NOTHING);
      expectError(await command(t, lk, 'shock.berserk.set', { enabled: 'yes' }), 400, 'invalid_params');
    });

    it('all.stop also ends the random and berserk modes', async () => {
      ok(await command(t, lk, 'shock.random.set', { enabled: true }));
      ok(await command(t, lk, 'shock.berserk.set', { enabled: true }));
      ok(await command(t, lk, 'shock.start', { durationSeconds: 100, intensityPct: 10 }));
      assert.deepEqual((await session(t, lk)).deviceControl.active, { shocking: true, vibrating: false, random: true, berserk: true });
      assert.deepEqual(ok(await command(t, lk, 'all.stop')).active, NOTHING);
      assert.deepEqual((await session(t, lk)).deviceControl.active, NOTHING);
    });

    it('the history names the mode changes', async () => {
      const titles = (await history(t, owner, lk.lock.id)).map((e) => e.title);
      for (const title of ['Random shocks on (1–100%)', 'Random shocks off', 'Berserk mode on', 'Berserk mode off', 'Device attached: Virtual Lockink AA-A1012']) {
        assert.ok(titles.includes(title), `${title} in ${titles.join(' | ')}`);
      }
    });

    it('a detached device stops and is gone: commands → 409 device_not_available', async () => {
      ok(await command(t, lk, 'vibration.start', { durationSeconds: 100, intensityPct: 10 }));
      const res = await call(t.app, owner, 'DELETE', `/api/locks/${lk.lock.id}/devices/${deviceId}`);
      assert.equal(res.statusCode, 204, res.body);
      assert.deepEqual(await deviceJobs(t), []);
      expectError(await command(t, lk, 'vibration.start', { durationSeconds: 5, intensityPct: 5 }), 409, 'device_not_available');
      assert.deepEqual((await session(t, lk)).deviceControl, { available: false, supportedCommands: [], active: NOTHING });
      expectError(await call(t.app, owner, 'DELETE', `/api/locks/${lk.lock.id}/devices/${deviceId}`), 404, 'not_found');
    });
  });

  describe('POST /api/apps/v1/device-command (user-wide key)', () => {
    const v1 = (key: string, body: unknown) => t.app.inject({ method: 'POST', url: '/api/apps/v1/device-command', headers: { authorization: `Bearer ${key}` }, payload: body as object });

    it('same body and answer as the extension route, acting as the wearer (role external)', async () => {
      const r = ok(await v1(w.wearer.userKey, { command: 'vibration.start', params: { durationSeconds: 500, intensityPct: 60, frequencyPct: 30 } }));
      assert.deepEqual(r.applied, { durationSeconds: 300, intensityPct: 60, frequencyPct: 30, message: null });
      assert.deepEqual(r.clamped, ['durationSeconds']);
      assert.deepEqual(r.active, { ...NOTHING, vibrating: true });
      ok(await v1(w.wearer.userKey, { command: 'all.stop' }));
      const entry = (await history(t, wearer, w.lock.id)).find((e) => e.title === 'Vibration for 300 s at 60%, frequency 30%');
      assert.equal(entry?.role, 'external');
    });

    it('errors carry `error` as the code string', async () => {
      const unsupported = await v1(w.wearer.userKey, { command: 'shock.berserk.set', params: { enabled: true } });
      assert.equal(expectError(unsupported, 422, 'unsupported_command').error, 'unsupported_command');
      const bare = await fixture(t, { lock: { virtualDevice: false } });
      const none = await v1(bare.wearer.userKey, { command: 'shock.start', params: { durationSeconds: 5, intensityPct: 5 } });
      assert.equal(expectError(none, 409, 'device_not_available').error, 'device_not_available');
      const stopNone = await v1(bare.wearer.userKey, { command: 'all.stop' });
      assert.equal(expectError(stopNone, 409, 'device_not_available').error, 'device_not_available');
      expectError(await v1(w.app.appKey, { command: 'all.stop' }), 403, 'user_wide_dev_key_required');
    });
  });

  describe('first-party device routes', () => {
    it('strangers cannot see or attach; bodies are validated', async () => {
      const other = await fixture(t);
      const stranger = await login(t.app, other.wearer.username, other.wearer.password);
      expectError(await call(t.app, stranger, 'GET', `/api/locks/${w.lock.id}/devices`), 404, 'not_found');
      expectError(await call(t.app, stranger, 'POST', `/api/locks/${w.lock.id}/devices`, { kind: 'virtual' }), 404, 'not_found');
      expectError(await call(t.app, wearer, 'POST', `/api/locks/${w.lock.id}/devices`, { kind: 'laser' }), 400, 'invalid_request');
      expectError(await call(t.app, wearer, 'POST', `/api/locks/${w.lock.id}/devices`, { kind: 'virtual', model: 'acme' }), 400, 'invalid_request');
    });

    it('the lock page can send commands too (POST /api/locks/:id/devices/command)', async () => {
      const r = ok(await call(t.app, wearer, 'POST', `/api/locks/${w.lock.id}/devices/command`, { command: 'shock.start', params: { durationSeconds: 3, intensityPct: 3 } }));
      assert.equal(r.active.shocking, true);
      ok(await call(t.app, wearer, 'POST', `/api/locks/${w.lock.id}/devices/command`, { command: 'all.stop' }));
      const entry = (await history(t, wearer, w.lock.id)).find((e) => e.title === 'Shock for 3 s at 3%');
      assert.equal(entry?.role, 'wearer');
    });

    it('at most 5 devices per lock', async () => {
      const v = await fixture(t);
      const kh = await login(t.app, v.keyholder!.username, v.keyholder!.password);
      for (let i = 0; i < 4; i++) assert.equal((await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/devices`, { kind: 'virtual' })).statusCode, 201);
      expectError(await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/devices`, { kind: 'virtual' }), 409, 'conflict');
    });

    it('an ended lock refuses new commands (lock_ended) but all.stop still works', async () => {
      const v = await fixture(t);
      const kh = await login(t.app, v.keyholder!.username, v.keyholder!.password);
      ok(await command(t, v, 'vibration.start', { durationSeconds: 100, intensityPct: 10 }));
      assert.equal((await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/unlock`)).statusCode, 200);
      expectError(await command(t, v, 'shock.start', { durationSeconds: 5, intensityPct: 5 }), 409, 'lock_ended');
      expectError(await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/devices/command`, { command: 'shock.start', params: { durationSeconds: 5, intensityPct: 5 } }), 409, 'lock_ended');
      const r = ok(await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/devices/command`, { command: 'all.stop' }));
      assert.deepEqual(r.active, NOTHING);
      expectError(await call(t.app, kh, 'POST', `/api/locks/${v.lock.id}/devices`, { kind: 'virtual' }), 409, 'lock_ended');
    });
  });

  describe('a Buttplug device whose Intiface server cannot be reached', () => {
    let bp: World;
    let kh: Session;
    let url: string;
    before(async () => {
      bp = await fixture(t, { lock: { virtualDevice: false } });
      kh = await login(t.app, bp.keyholder!.username, bp.keyholder!.password);
      url = `ws://127.0.0.1:${await closedPort()}`;
    });

    it('only ws:// or wss:// URLs on allowed hosts (BUTTPLUG_ALLOWED_HOSTS, loopback by default)', async () => {
      expectError(await call(t.app, kh, 'POST', `/api/locks/${bp.lock.id}/devices`, { kind: 'buttplug', url: 'http://127.0.0.1:12345' }), 400, 'invalid_params');
      expectError(await call(t.app, kh, 'POST', `/api/locks/${bp.lock.id}/devices`, { kind: 'buttplug', url: 'ws://10.1.2.3:12345' }), 400, 'invalid_params');
      expectError(await call(t.app, kh, 'POST', `/api/locks/${bp.lock.id}/devices`, { kind: 'buttplug', url: 'not a url' }), 400, 'invalid_params');
    });

    it('attaches, and reports itself unavailable with the reason', async () => {
      const res = await call(t.app, kh, 'POST', `/api/locks/${bp.lock.id}/devices`, { kind: 'buttplug', url });
      assert.equal(res.statusCode, 201, res.body);
      const d = res.json();
      assert.equal(d.kind, 'buttplug');
      assert.equal(d.model, 'intiface');
      assert.equal(d.available, false);
      assert.match(d.detail, /Cannot reach the Intiface server/);
      assert.deepEqual(d.supportedCommands, []);
      assert.deepEqual((await session(t, bp)).deviceControl, { available: false, supportedCommands: [], active: NOTHING });
    });

    it('vibration.start → 409 device_not_available; shock → 422 unsupported_command; stops still answer 200', async () => {
      expectError(await command(t, bp, 'vibration.start', { durationSeconds: 5, intensityPct: 50 }), 409, 'device_not_available');
      expectError(await command(t, bp, 'shock.start', { durationSeconds: 5, intensityPct: 50 }), 422, 'unsupported_command');
      assert.deepEqual(ok(await command(t, bp, 'vibration.stop')).active, NOTHING);
      assert.deepEqual(ok(await command(t, bp, 'all.stop')).active, NOTHING);
    });
  });
});
