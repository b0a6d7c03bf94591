import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { drawDuration } from '../src/services/lockLimits.js';
import { call, expectError, register, suiteApp, type Session } from './helpers.js';

/** Durations and limits (issue 14, Chaster's "Lock options" and "Lock settings"). */
describe('lock terms: random duration, minimum lock time, limit lock time, hidden time logs, test lock', () => {
  const t = suiteApp();

  async function heldLock(body: Record<string, unknown>): Promise<{ w: Session; k: Session; lock: { id: string; startDate: string } & Record<string, unknown> }> {
    const w = await register(t.app);
    const k = await register(t.app);
    const res = await call(t.app, w, 'POST', '/api/locks', { title: 'Terms', keyholderUsername: k.username, ...body });
    assert.equal(res.statusCode, 201, res.body);
    const lock = res.json();
    assert.equal((await call(t.app, k, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true })).statusCode, 200);
    return { w, k, lock };
  }

  it('draws the initial duration uniformly within [min, max] (pure rule, any bounds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86400 }), fc.integer({ min: 0, max: 10 * 365 * 86400 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const d = drawDuration({ durationMinSeconds: lo, durationMaxSeconds: hi }, randomInt);
        return Number.isInteger(d) && d >= lo && d <= hi;
      }),
      { numRuns: 2000 },
    );
    // Both ends are reachable.
    const seen = new Set(Array.from({ length: 400 }, () => drawDuration({ durationMinSeconds: 5, durationMaxSeconds: 7 }, randomInt)));
    assert.deepEqual([...seen].sort(), [5, 6, 7]);
  });

  it('the server draws the end within the range; with a hidden timer the wearer learns only the range', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 * 86400 }), fc.integer({ min: 0, max: 30 * 86400 }), async (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const { w, k, lock } = await heldLock({ randomDuration: { minSeconds: lo, maxSeconds: hi }, hiddenTimer: true });
        const start = Date.parse(lock.startDate);
        const held = (await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json();
        const ends = Date.parse(held.endsAt);
        assert.ok(ends >= start + lo * 1000 && ends <= start + hi * 1000, `${held.endsAt} outside [${lo}, ${hi}]`);
        assert.equal(held.minDate, new Date(start + lo * 1000).toISOString());
        assert.equal(held.maxDate, new Date(start + hi * 1000).toISOString());
        const worn = (await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json();
        assert.equal(worn.endsAt, null);
        assert.equal(worn.timeRemainingSeconds, null);
        assert.equal(worn.minDate, held.minDate);
        // Nor does the history tell the wearer what was drawn.
        const history = (await call(t.app, w, 'GET', `/api/locks/${lock.id}/history`)).json();
        const started = history.results.find((h: { type: string }) => h.type === 'lock_started');
        assert.equal(started.payload.durationSeconds, null);
      }),
      { numRuns: 15 },
    );
    // Not a constant: a wide range gives different ends.
    const w = await register(t.app);
    const ends = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const l = (await call(t.app, w, 'POST', '/api/locks', { title: 'R', randomDuration: { minSeconds: 0, maxSeconds: 10 * 365 * 86400 } })).json();
      ends.add(l.timeRemainingSeconds);
    }
    assert.ok(ends.size > 1, 'every draw gave the same duration');
  });

  it('refuses incoherent terms with 400 and writes nothing', async () => {
    const w = await register(t.app);
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X' }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, randomDuration: { minSeconds: 1, maxSeconds: 2 } }), 400, 'invalid_request');
    const body = expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', randomDuration: { minSeconds: 600, maxSeconds: 60 } }), 400, 'invalid_request');
    assert.equal(body.details[0].path, '/randomDuration/maxSeconds');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', randomDuration: { minSeconds: 60, maxSeconds: 600 }, maxDurationSeconds: 300 }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'X', durationSeconds: 60, maxDurationSeconds: 600, minLimitDurationSeconds: 601 }), 400, 'invalid_request');
    assert.equal((await call(t.app, w, 'GET', '/api/locks')).json().results.length, 0);
  });

  it('minimum lock time: nobody unlocks before it, and the hold names it', async () => {
    const w = await register(t.app);
    const self = (await call(t.app, w, 'POST', '/api/locks', { title: 'Floor', durationSeconds: 60, minLimitDurationSeconds: 3600 })).json();
    assert.equal(self.minLimitDate, new Date(Date.parse(self.startDate) + 3600_000).toISOString());
    t.clock.advance(120_000);
    const status = (await call(t.app, w, 'GET', `/api/locks/${self.id}/status`)).json();
    assert.deepEqual(status.unlock.reasons, ['min_lock_time']);
    const refused = expectError(await call(t.app, w, 'POST', `/api/locks/${self.id}/unlock`), 409, 'unlock_not_allowed');
    assert.deepEqual(refused.details.reasons, ['min_lock_time']);

    // The keyholder, who may otherwise unlock at any time, is held by it too.
    const { k, lock } = await heldLock({ durationSeconds: 60, minLimitDurationSeconds: 7200 });
    expectError(await call(t.app, k, 'POST', `/api/locks/${lock.id}/unlock`), 409, 'unlock_not_allowed');
    t.clock.advance(3600_000);
    assert.equal((await call(t.app, w, 'POST', `/api/locks/${self.id}/unlock`)).json().status, 'unlocked');
    t.clock.advance(3600_000);
    assert.equal((await call(t.app, k, 'POST', `/api/locks/${lock.id}/unlock`)).json().status, 'unlocked');
  });

  it('limit lock time caps add_time; only the wearer moves it, only later; removal is final', async () => {
    const { w, k, lock } = await heldLock({ durationSeconds: 3600, maxDurationSeconds: 7200 });
    const start = Date.parse(lock.startDate);
    const ceiling = new Date(start + 7200_000).toISOString();
    const added = (await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'add_time', params: 100_000 })).json();
    assert.equal(added.lock.endsAt, ceiling);

    // Earlier is refused, the keyholder is refused, later is taken.
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { maxLimitDate: new Date(start + 3600_000).toISOString() }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { maxLimitDate: ceiling }), 400, 'invalid_request');
    expectError(await call(t.app, k, 'PUT', `/api/locks/${lock.id}/max-limit`, { maxLimitDate: new Date(start + 99_000_000).toISOString() }), 403, 'forbidden');
    expectError(await call(t.app, k, 'DELETE', `/api/locks/${lock.id}/max-limit`), 403, 'forbidden');
    const later = new Date(start + 10_800_000).toISOString();
    assert.deepEqual((await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { maxLimitDate: later })).json(), { maxLimitDate: later });
    const again = (await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'add_time', params: 100_000 })).json();
    assert.equal(again.lock.endsAt, later);

    // The keyholder's floor cannot go past the ceiling.
    expectError(await call(t.app, k, 'PUT', `/api/locks/${lock.id}/min-limit`, { minLimitDate: new Date(start + 10_800_001).toISOString() }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/min-limit`, { minLimitDate: new Date(start + 60_000).toISOString() }), 403, 'forbidden');
    const floor = new Date(start + 3600_000).toISOString();
    assert.deepEqual((await call(t.app, k, 'PUT', `/api/locks/${lock.id}/min-limit`, { minLimitDate: floor })).json(), { minLimitDate: floor });

    // Removed: gone for good, and add_time is no longer capped.
    assert.deepEqual((await call(t.app, w, 'DELETE', `/api/locks/${lock.id}/max-limit`)).json(), { maxLimitDate: null });
    expectError(await call(t.app, w, 'DELETE', `/api/locks/${lock.id}/max-limit`), 409, 'conflict');
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { maxLimitDate: new Date(start + 99_000_000).toISOString() }), 409, 'conflict');
    const free = (await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'add_time', params: 3600 })).json();
    assert.equal(free.lock.endsAt, new Date(Date.parse(later) + 3600_000).toISOString());
    assert.equal(free.lock.limitLockTime, false);
    const types = (await call(t.app, w, 'GET', `/api/locks/${lock.id}/history`)).json().results.map((h: { type: string }) => h.type);
    assert.ok(types.includes('max_limit_extended') && types.includes('max_limit_removed') && types.includes('min_limit_changed'), types.join());
  });

  it('a wearer with a hidden timer moves the limit later by an amount without learning the date', async () => {
    const { w, k, lock } = await heldLock({ durationSeconds: 3600, maxDurationSeconds: 7200, hiddenTimer: true });
    const start = Date.parse(lock.startDate);
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { extendBySeconds: 600, maxLimitDate: new Date(start + 99_000_000).toISOString() }), 400, 'invalid_request');
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { extendBySeconds: 0 }), 400, 'invalid_request');
    assert.deepEqual((await call(t.app, w, 'PUT', `/api/locks/${lock.id}/max-limit`, { extendBySeconds: 600 })).json(), { maxLimitDate: null });
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().maxEndsAt, null);
    assert.equal((await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json().maxEndsAt, new Date(start + 7800_000).toISOString());
  });

  it('hidden time logs: the wearer’s history leaves time changes out, the keyholder’s keeps them', async () => {
    const { w, k, lock } = await heldLock({ durationSeconds: 3600, hideTimeLogs: true });
    await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'add_time', params: 600 });
    await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'remove_time', params: 60 });
    await call(t.app, k, 'POST', `/api/locks/${lock.id}/actions`, { name: 'freeze' });
    const types = (s: Session) => call(t.app, s, 'GET', `/api/locks/${lock.id}/history`).then((r) => r.json().results.map((h: { type: string }) => h.type));
    const worn = await types(w);
    assert.ok(!worn.includes('time_added') && !worn.includes('time_removed'), worn.join());
    assert.ok(worn.includes('lock_frozen'));
    const held = await types(k);
    assert.ok(held.includes('time_added') && held.includes('time_removed'));
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().hideTimeLogs, true);
  });

  it('a test lock carries its flag', async () => {
    const w = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Try', durationSeconds: 60, isTestLock: true })).json();
    assert.equal(lock.isTestLock, true);
    const plain = (await call(t.app, w, 'POST', '/api/locks', { title: 'Real', durationSeconds: 60 })).json();
    assert.equal(plain.isTestLock, false);
  });
});
