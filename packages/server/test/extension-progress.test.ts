import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../src/clock.js';
import { TEST_DB, expectError, login, suiteApp, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';
import { SPEC_REGULAR_CONFIG, SPEC_REGULAR_ACTION, SPEC_REQUIREMENTS, SPEC_PROGRESS_COMPLETION, SPEC_PROGRESS_MEMORY, SPEC_INITIAL_METADATA, SPEC_ATTEMPT_LIMIT, SPEC_ATTEMPT_START, SPEC_ATTEMPT_FAIL } from './spec001Bodies.js';

/**
 * Regular actions, required progress (DST-correct windows), progress-based unlock requirements
 * and attempt time limits (spec 001 "Regularity Feature" / "Custom Required Actions" /
 * "Unlock Blockers" / "Attempt time limits"; DECISIONS §7, §8). Runs on SQLite, or on PostgreSQL
 * with LATCH_TEST_DB=postgres.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOUR = 3600;
const DAY = 86400;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);


/** The spec 001 requirement with another cadence / punishment. */
function requirement(cadence: Json, punishment?: Json): Json {
  const base = JSON.parse(SPEC_REQUIREMENTS).extensionRequirements as Json;
  return { ...base, cadence: { ...base.cadence, ...cadence }, ...(punishment ? { punishment } : {}) };
}

/** "YYYY-MM-DD HH:mm Wkd" of an instant in Europe/Berlin. */
function berlin(ms: number): { date: string; time: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, weekday: String(parts.weekday) };
}

/** A local day in Berlin and what its requirement window should hold once evaluated. */
interface BerlinDay {
  day: string;
  start: string;
  end: string;
  hours: number;
  count: number;
  partial?: boolean;
  punished: boolean;
}

/** The newest evaluated window is day `d` (the `i + 1`-th evaluated): Berlin midnight to midnight, its count and outcome. */
function assertBerlinDay(r: Json, i: number, d: BerlinDay): Json {
  assert.equal(r.evaluated.length, i + 1, `${d.day}: exactly one more window evaluated`);
  const e = r.evaluated[0];
  assert.equal(e.start, d.start, `${d.day} start`);
  assert.equal(e.end, d.end, `${d.day} end`);
  assert.equal(berlin(at(e.start)).time, '00:00');
  assert.equal(berlin(at(e.start)).date, `2026-${d.day}`);
  assert.equal(at(e.end) - at(e.start), d.hours * HOUR * 1000, `${d.day} length`);
  assert.equal(e.count, d.count, `${d.day} count`);
  assert.equal(e.partial, d.partial ?? false, `${d.day} partial`);
  assert.equal(e.punished, d.punished, `${d.day} punished`);
  return e;
}

function harness(getT: () => TestApp) {
  /** Current main tokens per session, with when they were issued (they expire after 10 h of clock time). */
  const tokens = new Map<string, { token: string; issuedAt: number }>();

  async function world(body: Json = {}): Promise<World> {
    const res = await getT().app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
    assert.equal(res.statusCode, 201, res.body);
    const w = res.json() as World;
    tokens.set(w.session.id, { token: w.mainTokens.wearer, issuedAt: getT().clock.now() });
    return w;
  }

  /** A fresh main token for the world's wearer (after large clock advances). */
  async function refresh(w: World) {
    const { mainToken } = await getT().app.ctx.mainTokens.issue(w.wearer.id, w.session.id);
    tokens.set(w.session.id, { token: mainToken, issuedAt: getT().clock.now() });
  }

  /** A backend call (app key + main token). A string payload is sent as-is (verbatim JSON from the spec). */
  async function ext(w: World, method: Method, path: string, payload?: unknown) {
    const current = tokens.get(w.session.id);
    if (!current || getT().clock.now() - current.issuedAt > 9 * HOUR * 1000) await refresh(w);
    return getT().app.inject({
      method,
      url: `/api/extensions/sessions/${w.session.id}${path}`,
      headers: {
        authorization: `Bearer ${w.app.appKey}`,
        'x-chastify-main-token': tokens.get(w.session.id)!.token,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  }

  async function ok(res: Res, status = 200): Promise<Json> {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Json;
  }

  /** Moves the virtual clock; every job that falls due runs before this returns. */
  async function advance(seconds: number) {
    assert.ok(Number.isInteger(seconds) && seconds >= 0, `advance ${seconds}`);
    const res = await getT().app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Json;
  }

  /** Advances to an absolute instant and refreshes the token of the given worlds. */
  async function goTo(ms: number, ...worlds: World[]) {
    const now = getT().clock.now();
    assert.ok(ms >= now, `cannot go back from ${iso(now)} to ${iso(ms)}`);
    await advance(Math.round((ms - now) / 1000));
    assert.equal(getT().clock.now(), ms);
    for (const w of worlds) await refresh(w);
  }

  const session = async (w: World) => ok(await ext(w, 'GET', ''));
  const state = async (w: World) => ok(await ext(w, 'GET', '/state'));
  const regular = async (w: World) => ok(await ext(w, 'GET', '/regular-actions'));
  const requirements = async (w: World) => ok(await ext(w, 'GET', '/requirements'));
  const metadata = async (w: World) => ok(await ext(w, 'GET', '/metadata'));

  /** The lock's end as an instant (remaining is held while frozen, so read it only when not frozen). */
  async function endsAt(w: World) {
    const s = await session(w);
    assert.equal(s.lockData.frozen, false);
    return getT().clock.now() + s.lockData.timeRemainingSeconds * 1000;
  }

  async function history(w: World, type: string): Promise<Json[]> {
    const wearer = await login(getT().app, w.wearer.username, w.wearer.password);
    const res = await getT().app.inject({ method: 'GET', url: `/api/locks/${w.lock.id}/history?limit=100`, headers: { cookie: wearer.cookie } });
    return (await ok(res)).results.filter((e: Json) => e.type === type);
  }

  async function notifications(w: World, type: string): Promise<Json[]> {
    const wearer = await login(getT().app, w.wearer.username, w.wearer.password);
    const res = await getT().app.inject({ method: 'GET', url: '/api/notifications?limit=100', headers: { cookie: wearer.cookie } });
    return (await ok(res)).results.filter((n: Json) => n.type === type && n.lockId === w.lock.id);
  }

  return { world, refresh, ext, ok, advance, goTo, session, state, regular, requirements, metadata, endsAt, history, notifications };
}

/** A fresh app (own database and clock) for tests that move the clock a lot. */
function freshApp(start: string) {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 }, clock: new ManualClock(at(start)) });
  return { h: harness(() => t), getT: () => t };
}

describe(`extension progress (${TEST_DB})`, () => {
  describe('regular actions', () => {
    const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
    const { world, ext, ok, advance, regular } = harness(() => t);
    const withRule = (regularActions: Json) => world({ extension: { config: { regularActions } } });

    it('unlimited: nbActionsRemaining -1, every submission → 201', async () => {
      const w = await withRule({ mode: 'unlimited' });
      const g = await regular(w);
      assert.equal(g.mode, 'unlimited');
      assert.equal(g.nbActionsRemaining, -1);
      assert.equal(g.nextActionDate, null);
      for (let i = 0; i < 5; i++) {
        const r = await ok(await ext(w, 'POST', '/regular-actions', { payload: { i } }), 201);
        assert.equal(r.nbActionsRemaining, -1);
        assert.equal(r.nextActionDate, null);
      }
      const after = await regular(w);
      assert.equal(after.nbActionsRemaining, -1);
      assert.equal(after.actions.length, 5);
    });

    it('no rule anywhere → unlimited', async () => {
      const w = await world();
      const g = await regular(w);
      assert.equal(g.mode, 'unlimited');
      assert.equal(g.nbActionsRemaining, -1);
      await ok(await ext(w, 'POST', '/regular-actions', {}), 201);
    });

    it('the install config (extension.config.regularActions) is used without any PATCH', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      const g = await regular(w);
      assert.equal(g.mode, 'non_cumulative');
      assert.equal(g.regularity, HOUR);
      assert.equal(g.nbActionsRemaining, 1);
      assert.equal(g.nextActionDate, null);
      const s = await ok(await ext(w, 'GET', ''));
      assert.equal(s.regularActions.mode, 'non_cumulative');
      assert.equal(s.regularActions.nbActionsRemaining, 1);

      const c = await world({ extension: { config: { regularActions: { mode: 'cumulative', regularitySeconds: 600, maxActions: 3 } } } });
      const gc = await regular(c);
      assert.equal(gc.mode, 'cumulative');
      assert.equal(gc.regularity, 600);
      assert.equal(gc.maxActions, 3);
      assert.equal(gc.nbActionsRemaining, 1);
    });

    it('non_cumulative: one per window anchored at the session start; the refusal says when the next one comes', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      const start = t.clock.now();
      await advance(600); // mid-window: the window still starts at the session start
      const first = await ok(await ext(w, 'POST', '/regular-actions', { payload: { n: 1 } }), 201);
      assert.equal(first.nbActionsRemaining, 0);
      assert.equal(first.nextActionDate, iso(start + HOUR * 1000));

      const refused = expectError(await ext(w, 'POST', '/regular-actions', { payload: { n: 2 } }), 422, 'regular_action_unavailable');
      assert.equal(refused.nbActionsRemaining, 0);
      assert.equal(refused.nextActionDate, iso(start + HOUR * 1000));
      assert.equal(refused.details.nbActionsRemaining, 0);
      assert.equal(refused.details.nextActionDate, iso(start + HOUR * 1000));
      assert.equal(refused.error?.code, 'regular_action_unavailable');

      const g = await regular(w);
      assert.equal(g.nbActionsRemaining, 0);
      assert.equal(g.nextActionDate, iso(start + HOUR * 1000));
      assert.equal(g.actions.length, 1, 'the refused one was not stored');

      await advance(HOUR - 600 - 1); // one second before the next window
      expectError(await ext(w, 'POST', '/regular-actions', {}), 422, 'regular_action_unavailable');
      await advance(1); // exactly at nextActionDate
      assert.equal((await regular(w)).nbActionsRemaining, 1);
      assert.equal((await regular(w)).nextActionDate, null);
      const second = await ok(await ext(w, 'POST', '/regular-actions', { payload: { n: 3 } }), 201);
      assert.equal(second.nbActionsRemaining, 0);
      assert.equal(second.nextActionDate, iso(start + 2 * HOUR * 1000));
      const again = expectError(await ext(w, 'POST', '/regular-actions', {}), 422, 'regular_action_unavailable');
      assert.equal(again.nextActionDate, iso(start + 2 * HOUR * 1000));

      // Unused windows do not stack.
      await advance(5 * HOUR);
      assert.equal((await regular(w)).nbActionsRemaining, 1);
      await ok(await ext(w, 'POST', '/regular-actions', {}), 201);
      const stacked = expectError(await ext(w, 'POST', '/regular-actions', {}), 422, 'regular_action_unavailable');
      assert.equal(stacked.nextActionDate, iso(start + 7 * HOUR * 1000), 'the window of S + 6 h ends at S + 7 h');
    });

    it('cumulative: starts with 1, +1 per regularitySeconds, capped at maxActions', async () => {
      const P = HOUR;
      const w = await withRule({ mode: 'cumulative', regularitySeconds: P, maxActions: 4 });
      const g0 = await regular(w);
      assert.equal(g0.nbActionsRemaining, 1);
      assert.equal(g0.nextActionDate, null);
      assert.equal(g0.maxActions, 4);
      await advance(P);
      assert.equal((await regular(w)).nbActionsRemaining, 2, 'after 1 period');
      await advance(P);
      assert.equal((await regular(w)).nbActionsRemaining, 3, 'after 2 periods');
      await advance(3 * P);
      assert.equal((await regular(w)).nbActionsRemaining, 4, 'after 5 periods: capped at maxActions');
      await advance(10 * P);
      assert.equal((await regular(w)).nbActionsRemaining, 4, 'still capped');
      for (let i = 3; i >= 0; i--) assert.equal((await ok(await ext(w, 'POST', '/regular-actions', { payload: { i } }), 201)).nbActionsRemaining, i);
      expectError(await ext(w, 'POST', '/regular-actions', {}), 422, 'regular_action_unavailable');
    });

    it('cumulative: nextActionDate right after advancing the clock', async () => {
      const P = HOUR;
      const w = await withRule({ mode: 'cumulative', regularitySeconds: P, maxActions: 4 });
      const S = t.clock.now();
      const first = await ok(await ext(w, 'POST', '/regular-actions', {}), 201);
      assert.equal(first.nbActionsRemaining, 0);
      assert.equal(first.nextActionDate, iso(S + P * 1000));
      const r0 = expectError(await ext(w, 'POST', '/regular-actions', {}), 422, 'regular_action_unavailable');
      assert.equal(r0.nextActionDate, iso(S + P * 1000));
      assert.equal(r0.details.nextActionDate, iso(S + P * 1000));

      await advance(P / 2);
      let g = await regular(w);
      assert.equal(g.nbActionsRemaining, 0);
      assert.equal(g.nextActionDate, iso(S + P * 1000));

      await advance(P / 2); // S + P
      g = await regular(w);
      assert.equal(g.nbActionsRemaining, 1);
      assert.equal(g.nextActionDate, null);

      await advance(P / 2); // S + 1.5 P: the next token still comes at S + 2P
      const second = await ok(await ext(w, 'POST', '/regular-actions', {}), 201);
      assert.equal(second.nbActionsRemaining, 0);
      assert.equal(second.nextActionDate, iso(S + 2 * P * 1000));
      g = await regular(w);
      assert.equal(g.nextActionDate, iso(S + 2 * P * 1000));

      await advance(P / 2); // S + 2P
      g = await regular(w);
      assert.equal(g.nbActionsRemaining, 1);
      assert.equal(g.nextActionDate, null);
      await advance(2 * P); // S + 4P → 3 tokens
      g = await regular(w);
      assert.equal(g.nbActionsRemaining, 3);
    });

    it('cumulative maxActions 4: 20 parallel submissions → exactly 4 × 201 and 16 × 422', async () => {
      const P = 600;
      const w = await withRule({ mode: 'cumulative', regularitySeconds: P, maxActions: 4 });
      await advance(3 * P + 30);
      assert.equal((await regular(w)).nbActionsRemaining, 4);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ext(w, 'POST', '/regular-actions', { payload: { i } })));
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 201).length, 4, codes.join(','));
      assert.equal(codes.filter((c) => c === 422).length, 16, codes.join(','));
      for (const r of results.filter((x) => x.statusCode === 422)) expectError(r, 422, 'regular_action_unavailable');
      const remaining = results.filter((r) => r.statusCode === 201).map((r) => r.json().nbActionsRemaining as number).sort();
      assert.deepEqual(remaining, [0, 1, 2, 3]);
      const g = await regular(w);
      assert.equal(g.nbActionsRemaining, 0);
      assert.equal(g.actions.length, 4);
      const accepted = results.filter((r) => r.statusCode === 201).map((r) => r.json().action.payload.i as number).sort((a, b) => a - b);
      assert.deepEqual(g.actions.map((a: Json) => a.payload.i as number).sort((a: number, b: number) => a - b), accepted);
    });

    it('non_cumulative: 20 parallel submissions → exactly 1 × 201', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      const results = await Promise.all(Array.from({ length: 20 }, () => ext(w, 'POST', '/regular-actions', {})));
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
      assert.equal(codes.filter((c) => c === 422).length, 19, codes.join(','));
      assert.equal((await regular(w)).actions.length, 1);
    });

    it('PATCH regular-actions/config (spec body) changes what GET shows', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      const patched = await ok(await ext(w, 'PATCH', '/regular-actions/config', SPEC_REGULAR_CONFIG));
      assert.equal(patched.mode, 'cumulative');
      assert.equal(patched.regularity, 86400);
      assert.equal(patched.maxActions, 4);
      const g = await regular(w);
      assert.equal(g.mode, 'cumulative');
      assert.equal(g.regularity, 86400);
      assert.equal(g.maxActions, 4);
      assert.equal(g.nbActionsRemaining, 1);
      const s = await ok(await ext(w, 'GET', ''));
      assert.equal(s.regularActions.mode, 'cumulative');

      await ok(await ext(w, 'PATCH', '/regular-actions/config', { mode: 'unlimited' }));
      const u = await regular(w);
      assert.equal(u.mode, 'unlimited');
      assert.equal(u.nbActionsRemaining, -1);
    });

    it('bad config → 400; nothing changes', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      const before = await regular(w);
      const bad: unknown[] = [
        { mode: 'weekly', regularitySeconds: 60 },
        { mode: 'cumulative' },
        { mode: 'non_cumulative' },
        { mode: 'cumulative', regularitySeconds: 0, maxActions: 4 },
        { mode: 'cumulative', regularitySeconds: -5, maxActions: 4 },
        { mode: 'cumulative', regularitySeconds: 1.5, maxActions: 4 },
        { mode: 'cumulative', regularitySeconds: '86400', maxActions: 4 },
        { mode: 'cumulative', regularitySeconds: 86400, maxActions: 0 },
        { mode: 'cumulative', regularitySeconds: 86400, maxActions: 4, extra: true },
        {},
        [],
        'null',
      ];
      for (const body of bad) {
        const res = await ext(w, 'PATCH', '/regular-actions/config', typeof body === 'string' ? body : JSON.stringify(body));
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
        assert.equal(res.json().code, 'invalid_request', res.body);
      }
      assert.deepEqual(await regular(w), before);
    });

    it('GET shows recent actions with their payloads (spec body)', async () => {
      const w = await withRule({ mode: 'unlimited' });
      const created = await ok(await ext(w, 'POST', '/regular-actions', SPEC_REGULAR_ACTION), 201);
      assert.deepEqual(created.action.payload, { kind: 'checkin', score: 92 });
      assert.match(created.action.id, /^[0-9a-f]{24}$/);
      assert.equal(created.action.createdAt, iso(t.clock.now()));
      await advance(60);
      await ok(await ext(w, 'POST', '/regular-actions', { payload: { kind: 'checkin', score: 50, nested: { list: [1, 2, 3] } } }), 201);
      const g = await regular(w);
      assert.equal(g.actions.length, 2);
      const first = g.actions.find((a: Json) => a.id === created.action.id);
      assert.ok(first, JSON.stringify(g.actions));
      assert.deepEqual(first.payload, { kind: 'checkin', score: 92 });
      assert.equal(first.createdAt, created.action.createdAt);
      assert.ok(g.actions.some((a: Json) => a.payload?.nested?.list?.length === 3));
    });

    it('payload > 16 KiB → 413 payload_too_large (nothing stored, nothing consumed); 16 KiB exactly is fine', async () => {
      const w = await withRule({ mode: 'non_cumulative', regularitySeconds: HOUR });
      // JSON of a string of n chars is n + 2 bytes.
      expectError(await ext(w, 'POST', '/regular-actions', { payload: 'x'.repeat(16 * 1024 - 1) }), 413, 'payload_too_large');
      expectError(await ext(w, 'POST', '/regular-actions', { payload: { blob: 'y'.repeat(20_000) } }), 413, 'payload_too_large');
      const g = await regular(w);
      assert.equal(g.actions.length, 0);
      assert.equal(g.nbActionsRemaining, 1);
      await ok(await ext(w, 'POST', '/regular-actions', { payload: 'x'.repeat(16 * 1024 - 2) }), 201);
      assert.equal((await regular(w)).actions.length, 1);
    });
  });

  describe('required progress: day cadence in Europe/Berlin across the spring DST change', () => {
    const { h, getT } = freshApp('2026-03-25T10:00:00Z');

    it('one window per local day (23 h day included), partial first window spared, misses punished once, met windows spared', async () => {
      const { world, ext, ok, goTo, requirements, endsAt, history, notifications } = h;
      const w = await world({ extension: { config: { extensionRequirements: requirement({ timezone: 'Europe/Berlin' }) } }, lock: { durationSeconds: 60 * DAY } });
      const r0 = await requirements(w);
      assert.equal(r0.metric, 'completion');
      assert.equal(r0.requiredCount, 4);
      assert.deepEqual(r0.cadence, { every: 1, unit: 'day', timezone: 'Europe/Berlin' });
      assert.deepEqual({ start: r0.current.start, end: r0.current.end, partial: r0.current.partial }, { start: '2026-03-24T23:00:00.000Z', end: '2026-03-25T23:00:00.000Z', partial: true });
      assert.deepEqual(r0.evaluated, []);

      const progress = async (n: number, expectedWindowStart: string) => {
        for (let i = 0; i < n; i++) {
          const p = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'completion', amount: 1 }), 201);
          assert.equal(p.window.start, expectedWindowStart);
        }
      };

      // Local days: [window start, window end, progress recorded, punished?]
      const days: Array<BerlinDay & { before?: () => Promise<void> }> = [
        { day: '03-25', start: '2026-03-24T23:00:00.000Z', end: '2026-03-25T23:00:00.000Z', hours: 24, count: 0, partial: true, punished: false },
        { day: '03-26', start: '2026-03-25T23:00:00.000Z', end: '2026-03-26T23:00:00.000Z', hours: 24, count: 0, punished: true },
        { day: '03-27', start: '2026-03-26T23:00:00.000Z', end: '2026-03-27T23:00:00.000Z', hours: 24, count: 4, punished: false, before: () => progress(4, '2026-03-26T23:00:00.000Z') },
        { day: '03-28', start: '2026-03-27T23:00:00.000Z', end: '2026-03-28T23:00:00.000Z', hours: 24, count: 1, punished: true, before: () => progress(1, '2026-03-27T23:00:00.000Z') },
        // 23 h: clocks go forward at 02:00 local. 3 at 10:00Z count here; the 4th, at 22:30Z (00:30 CEST on the 30th), belongs to the 30th.
        { day: '03-29', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', hours: 23, count: 3, punished: true, before: () => progress(3, '2026-03-28T23:00:00.000Z') },
        { day: '03-30', start: '2026-03-29T22:00:00.000Z', end: '2026-03-30T22:00:00.000Z', hours: 24, count: 4, punished: false, before: () => progress(3, '2026-03-29T22:00:00.000Z') },
        { day: '03-31', start: '2026-03-30T22:00:00.000Z', end: '2026-03-31T22:00:00.000Z', hours: 24, count: 0, punished: true },
        { day: '04-01', start: '2026-03-31T22:00:00.000Z', end: '2026-04-01T22:00:00.000Z', hours: 24, count: 2, punished: true, before: () => progress(2, '2026-03-31T22:00:00.000Z') },
      ];

      let ends = await endsAt(w);
      let missed = 0;
      for (const [i, d] of days.entries()) {
        const now = at(`2026-${d.day}T10:00:00Z`);
        assert.equal(getT().clock.now(), now);
        await d.before?.();
        if (d.day === '03-29') {
          await goTo(at('2026-03-29T22:30:00Z'), w);
          const cur = await requirements(w);
          assert.equal(cur.current.start, '2026-03-29T22:00:00.000Z', 'at 00:30 CEST the 30th has begun');
          assert.equal(cur.evaluated.length, i + 1, 'the 23 h day was evaluated at 22:00Z');
          await progress(1, '2026-03-29T22:00:00.000Z');
          await goTo(now + DAY * 1000, w);
        } else {
          await goTo(now + DAY * 1000, w);
        }
        const e = assertBerlinDay(await requirements(w), i, d);
        assert.equal(e.requiredCount, 4);
        if (d.punished) missed++;
        const nowEnds = await endsAt(w);
        assert.equal(nowEnds - ends, d.punished ? 1800_000 : 0, `${d.day}: add_time applied once per missed window`);
        ends = nowEnds;
      }
      const r = await requirements(w);
      assert.deepEqual(
        r.evaluated.map((e: Json) => e.start).reverse(),
        days.map((d) => d.start),
        'one window per local day, no gaps, no duplicates',
      );
      assert.equal(missed, 5);
      const logs = await history(w, 'requirement_missed');
      assert.equal(logs.length, missed);
      assert.deepEqual(logs.map((l) => l.payload.windowStart).sort(), days.filter((d) => d.punished).map((d) => d.start).sort());
      for (const l of logs) {
        assert.equal(l.role, 'extension');
        assert.equal(l.actor?.extensionSlug, w.app.slug);
      }
      const notes = await notifications(w, 'requirement_missed');
      assert.equal(notes.length, missed);
      const added = await history(w, 'time_added');
      assert.equal(added.length, missed, 'one add_time per missed window');
      for (const a of added) assert.equal(a.payload.addedSeconds, 1800);

      // Progress for an evaluated window → 409 window_closed; nothing recorded.
      const closed = expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'completion', amount: 1, occurredAt: '2026-03-31T12:00:00.000Z' }), 409, 'window_closed');
      assert.ok(closed.message);
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'completion', amount: 1, occurredAt: '2026-03-25T12:00:00.000Z' }), 409, 'window_closed');
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'steps', amount: 1 }), 422, 'unknown_metric');
      // The current window still takes progress, also with an occurredAt earlier today.
      const p = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'completion', amount: 2, occurredAt: '2026-04-01T23:30:00.000Z' }), 201);
      assert.equal(p.window.start, '2026-04-01T22:00:00.000Z');
      assert.equal(p.window.count, 2);
      const after = await requirements(w);
      assert.equal(after.evaluated.length, days.length);
      assert.equal(after.evaluated[0].count, 2, 'the closed window kept its count');
      assert.equal(after.current.count, 2);
      assert.equal(after.current.partial, false);
    });
  });

  describe('required progress: day cadence in Europe/Berlin across the autumn DST change', () => {
    const { h, getT } = freshApp('2026-10-23T10:00:00Z');

    it('the 25 h day is one window; progress late that evening counts for it', async () => {
      const { world, ext, ok, goTo, requirements, endsAt, history, notifications } = h;
      const w = await world({ extension: { config: { extensionRequirements: requirement({ timezone: 'Europe/Berlin' }) } }, lock: { durationSeconds: 60 * DAY } });
      const days: BerlinDay[] = [
        { day: '10-23', start: '2026-10-22T22:00:00.000Z', end: '2026-10-23T22:00:00.000Z', hours: 24, count: 0, partial: true, punished: false },
        { day: '10-24', start: '2026-10-23T22:00:00.000Z', end: '2026-10-24T22:00:00.000Z', hours: 24, count: 0, punished: true },
        { day: '10-25', start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', hours: 25, count: 4, punished: false },
        { day: '10-26', start: '2026-10-25T23:00:00.000Z', end: '2026-10-26T23:00:00.000Z', hours: 24, count: 2, punished: true },
        { day: '10-27', start: '2026-10-26T23:00:00.000Z', end: '2026-10-27T23:00:00.000Z', hours: 24, count: 0, punished: true },
      ];
      let ends = await endsAt(w);
      for (const [i, d] of days.entries()) {
        const now = at(`2026-${d.day}T10:00:00Z`);
        assert.equal(getT().clock.now(), now);
        if (d.day === '10-25') {
          // 22:30Z is 23:30 CET, still the 25th (a fixed 24 h day would have ended at 22:00Z).
          await goTo(at('2026-10-25T22:30:00Z'), w);
          const cur = await requirements(w);
          assert.equal(cur.current.start, '2026-10-24T22:00:00.000Z');
          assert.equal(cur.current.end, '2026-10-25T23:00:00.000Z');
          assert.equal(cur.evaluated.length, i, 'the 25th is not over yet');
          for (let k = 0; k < 4; k++) {
            const p = await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'completion' }), 201);
            assert.equal(p.window.start, '2026-10-24T22:00:00.000Z');
            assert.equal(p.window.count, k + 1);
            assert.equal(p.window.satisfied, k === 3);
          }
        }
        if (d.day === '10-26') {
          await ok(await ext(w, 'POST', '/requirements/progress', { metric: 'completion', amount: 2 }), 201);
        }
        await goTo(now + DAY * 1000, w);
        assertBerlinDay(await requirements(w), i, d);
        const nowEnds = await endsAt(w);
        assert.equal(nowEnds - ends, d.punished ? 1800_000 : 0, `${d.day}: add_time once per missed window`);
        ends = nowEnds;
      }
      assert.deepEqual(
        (await requirements(w)).evaluated.map((e: Json) => e.start).reverse(),
        days.map((d) => d.start),
      );
      const missed = days.filter((d) => d.punished);
      const logs = await history(w, 'requirement_missed');
      assert.deepEqual(logs.map((l) => l.payload.windowStart).sort(), missed.map((d) => d.start).sort());
      assert.equal((await notifications(w, 'requirement_missed')).length, missed.length);
      // Later evaluations never repeat an earlier window's punishment.
      await goTo(at('2026-10-28T10:30:00Z'), w);
      assert.equal((await history(w, 'requirement_missed')).length, missed.length);
    });
  });

  describe('required progress: punishments, cadences, the spec progress body', () => {
    const { h, getT } = freshApp('2026-05-06T10:00:00Z');

    it('freeze: a missed full window freezes the lock (once); the partial first window does not', async () => {
      const { world, goTo, session, requirements, history, notifications } = h;
      const S = getT().clock.now();
      const w = await world({ extension: { config: { extensionRequirements: requirement({}, { type: 'freeze', durationSeconds: 7200 }) } }, lock: { durationSeconds: 30 * DAY } });
      await goTo(at('2026-05-07T00:00:30Z'), w);
      assert.equal((await session(w)).lockData.frozen, false, 'the partial first window is not punished');
      const r1 = await requirements(w);
      assert.equal(r1.evaluated.length, 1);
      assert.equal(r1.evaluated[0].partial, true);
      assert.equal(r1.evaluated[0].punished, false);
      await goTo(at('2026-05-08T00:00:30Z'), w);
      const s = await session(w);
      assert.equal(s.lockData.frozen, true, 'frozen after the missed window');
      const r2 = await requirements(w);
      assert.equal(r2.evaluated.length, 2);
      assert.equal(r2.evaluated[0].start, '2026-05-07T00:00:00.000Z');
      assert.equal(r2.evaluated[0].punished, true);
      const logs = await history(w, 'requirement_missed');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.payload.windowStart, '2026-05-07T00:00:00.000Z');
      assert.equal((await history(w, 'lock_frozen')).length, 1);
      const notes = await notifications(w, 'requirement_missed');
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.payload.metric, 'completion');
      // The freeze runs out by itself.
      await goTo(at('2026-05-08T02:00:30Z'), w);
      assert.equal((await session(w)).lockData.frozen, false);
      assert.ok(S < at('2026-05-07T00:00:00Z'));
    });

    it('pillory: a missed full window puts the wearer in the pillory', async () => {
      const { world, goTo, session, requirements, history, notifications } = h;
      const w = await world({
        extension: { config: { extensionRequirements: requirement({}, { type: 'pillory', durationSeconds: 3600, reason: 'Missed the daily extension requirement' }) } },
        lock: { durationSeconds: 30 * DAY },
      });
      const created = getT().clock.now();
      const firstEnd = Math.ceil((created + 1) / (DAY * 1000)) * DAY * 1000;
      await goTo(firstEnd + 30_000, w);
      assert.equal((await session(w)).lockData.inPillory, false);
      await goTo(firstEnd + DAY * 1000 + 30_000, w);
      assert.equal((await session(w)).lockData.inPillory, true);
      const started = await history(w, 'pillory_started');
      assert.equal(started.length, 1);
      assert.equal(started[0]!.payload.durationSeconds, 3600);
      const r = await requirements(w);
      assert.equal(r.evaluated[0].punished, true);
      assert.equal((await history(w, 'requirement_missed')).length, 1);
      assert.equal((await notifications(w, 'requirement_missed')).length, 1);
      await goTo(firstEnd + DAY * 1000 + 3600_000 + 30_000, w);
      assert.equal((await session(w)).lockData.inPillory, false);
    });

    it('week cadence: windows start Monday 00:00 local', async () => {
      const { world, goTo, requirements, history } = h;
      await goTo(at('2026-05-16T10:00:00Z'));
      assert.equal(berlin(getT().clock.now()).weekday, 'Sat');
      const w = await world({ extension: { config: { extensionRequirements: requirement({ unit: 'week', timezone: 'Europe/Berlin' }) } }, lock: { durationSeconds: 60 * DAY } });
      const r0 = await requirements(w);
      assert.equal(r0.current.start, '2026-05-10T22:00:00.000Z', 'Monday 2026-05-11 00:00 CEST');
      assert.equal(r0.current.end, '2026-05-17T22:00:00.000Z');
      assert.equal(r0.current.partial, true);
      assert.equal(berlin(at(r0.current.start)).weekday, 'Mon');
      assert.equal(berlin(at(r0.current.start)).time, '00:00');
      await goTo(at('2026-05-17T21:59:00Z'), w);
      assert.equal((await requirements(w)).evaluated.length, 0, 'Sunday 23:59 local: the week is not over');
      await goTo(at('2026-05-17T22:01:00Z'), w);
      const r1 = await requirements(w);
      assert.equal(r1.evaluated.length, 1);
      assert.equal(r1.evaluated[0].start, '2026-05-10T22:00:00.000Z');
      assert.equal(r1.evaluated[0].end, '2026-05-17T22:00:00.000Z');
      assert.equal(r1.evaluated[0].partial, true);
      assert.equal(r1.evaluated[0].punished, false);
      assert.equal(r1.current.start, '2026-05-17T22:00:00.000Z');
      assert.equal(r1.current.end, '2026-05-24T22:00:00.000Z');
      await goTo(at('2026-05-21T12:00:00Z'), w);
      assert.equal((await requirements(w)).evaluated.length, 1, 'mid-week: nothing more evaluated');
      await goTo(at('2026-05-24T22:01:00Z'), w);
      const r2 = await requirements(w);
      assert.equal(r2.evaluated.length, 2);
      assert.equal(r2.evaluated[0].start, '2026-05-17T22:00:00.000Z');
      assert.equal(berlin(at(r2.evaluated[0].start)).weekday, 'Mon');
      assert.equal(berlin(at(r2.evaluated[0].start)).time, '00:00');
      assert.equal(r2.evaluated[0].partial, false);
      assert.equal(r2.evaluated[0].punished, true);
      assert.equal((await history(w, 'requirement_missed')).length, 1);
    });

    it('the spec 001 progress body works; window_closed after evaluation; unknown metric → 422', async () => {
      const { world, ext, ok, goTo, requirements } = h;
      await goTo(at('2026-05-31T08:00:00Z'));
      const w = await world({ extension: { config: JSON.parse(SPEC_REQUIREMENTS) }, lock: { durationSeconds: 60 * DAY } });
      await goTo(at('2026-05-31T18:45:00Z'), w);
      const p = await ok(await ext(w, 'POST', '/requirements/progress', SPEC_PROGRESS_COMPLETION), 201);
      assert.equal(p.metric, 'completion');
      assert.equal(p.amount, 1);
      assert.equal(p.occurredAt, '2026-05-31T18:42:41.715Z');
      assert.deepEqual(p.window, { start: '2026-05-31T00:00:00.000Z', end: '2026-06-01T00:00:00.000Z', count: 1, requiredCount: 4, satisfied: false });
      expectError(await ext(w, 'POST', '/requirements/progress', { metric: 'memory_win', amount: 1 }), 422, 'unknown_metric');
      await goTo(at('2026-06-01T10:00:00Z'), w);
      const r = await requirements(w);
      assert.equal(r.evaluated.length, 1);
      assert.equal(r.evaluated[0].count, 1);
      const closed = expectError(await ext(w, 'POST', '/requirements/progress', SPEC_PROGRESS_COMPLETION), 409, 'window_closed');
      assert.equal(closed.error?.code, 'window_closed');
      assert.equal((await requirements(w)).evaluated[0].count, 1, 'nothing was added to the closed window');
      const row = await getT()
        .db.database.db.selectFrom('requirement_progress')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('session_id', '=', w.session.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.n), 1);
    });

    it('every: 2 days gives 2-day windows', async () => {
      const { world, goTo, requirements, history } = h;
      await goTo(at('2026-06-03T10:00:00Z'));
      const w = await world({ extension: { config: { extensionRequirements: requirement({ every: 2, unit: 'day', timezone: 'UTC' }) } }, lock: { durationSeconds: 60 * DAY } });
      const r0 = await requirements(w);
      assert.equal(r0.current.start, '2026-06-03T00:00:00.000Z');
      assert.equal(r0.current.end, '2026-06-05T00:00:00.000Z');
      await goTo(at('2026-06-04T10:00:00Z'), w);
      assert.equal((await requirements(w)).evaluated.length, 0, 'one day in: the 2-day window is still open');
      await goTo(at('2026-06-05T10:00:00Z'), w);
      const r1 = await requirements(w);
      assert.equal(r1.evaluated.length, 1);
      assert.equal(r1.evaluated[0].start, '2026-06-03T00:00:00.000Z');
      assert.equal(r1.evaluated[0].end, '2026-06-05T00:00:00.000Z');
      assert.equal(r1.evaluated[0].partial, true);
      assert.equal(r1.current.start, '2026-06-05T00:00:00.000Z');
      assert.equal(r1.current.end, '2026-06-07T00:00:00.000Z');
      await goTo(at('2026-06-06T10:00:00Z'), w);
      assert.equal((await requirements(w)).evaluated.length, 1);
      await goTo(at('2026-06-09T10:00:00Z'), w);
      const r2 = await requirements(w);
      assert.deepEqual(
        r2.evaluated.map((e: Json) => [e.start, e.end, e.punished]),
        [
          ['2026-06-07T00:00:00.000Z', '2026-06-09T00:00:00.000Z', true],
          ['2026-06-05T00:00:00.000Z', '2026-06-07T00:00:00.000Z', true],
          ['2026-06-03T00:00:00.000Z', '2026-06-05T00:00:00.000Z', false],
        ],
      );
      assert.equal((await history(w, 'requirement_missed')).length, 2);
    });
  });

  describe('progress-based unlock requirements', () => {
    const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
    const { world, ext, ok, metadata } = harness(() => t);

    it('memory_win (spec 001 initialMetadata): count/satisfied after each progress, "1 of 3"', async () => {
      const w = await world({ extension: { initialMetadata: JSON.parse(SPEC_INITIAL_METADATA).initialMetadata } });
      const m0 = await metadata(w);
      assert.deepEqual(m0.unlockRequirements, [{ metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock', count: 0, satisfied: false }]);
      assert.equal(m0.unlockBlocked, true);
      for (let i = 1; i <= 4; i++) {
        const p = await ok(await ext(w, 'POST', '/requirements/progress', SPEC_PROGRESS_MEMORY), 201);
        assert.equal(p.total, i);
        assert.equal(p.unlockRequirement.count, i);
        const m = await metadata(w);
        assert.equal(m.unlockRequirements.length, 1);
        assert.equal(m.unlockRequirements[0].count, i, `${i} of 3`);
        assert.equal(m.unlockRequirements[0].requiredCount, 3);
        assert.equal(m.unlockRequirements[0].satisfied, i >= 3);
        assert.equal(m.unlockBlocked, i < 3);
      }
    });
  });

  describe('attempts', () => {
    const { h, getT } = freshApp('2026-07-01T10:00:00Z');

    it('start / idempotent retry / attempt_active / fail-expired / scheduler failure / reserved key / completion by progress', async () => {
      const { world, ext, ok, advance, state, history } = h;
      const w = await world({ extension: { config: JSON.parse(SPEC_ATTEMPT_LIMIT), initialMetadata: JSON.parse(SPEC_INITIAL_METADATA).initialMetadata } });
      const S = getT().clock.now();
      assert.equal((await state(w)).data.attemptLimits, undefined, 'activity: nothing starts by itself');

      const started = await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 201);
      assert.equal(started.created, true);
      assert.equal(started.attempt.attemptId, 'memory-run-123');
      assert.equal(started.attempt.status, 'active');
      assert.equal(started.attempt.startedAt, iso(S));
      assert.equal(started.attempt.deadline, iso(S + 300_000));
      assert.equal(started.attempt.automatic, false);
      const s1 = await state(w);
      assert.deepEqual(s1.data.attemptLimits.memory_win, started.attempt);

      await advance(10);
      const retry = await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 200);
      assert.equal(retry.created, false);
      assert.deepEqual(retry.attempt, started.attempt);
      expectError(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-999' }), 409, 'attempt_active');
      expectError(await ext(w, 'POST', '/attempts/start', { metric: 'chess_win', attemptId: 'x' }), 422, 'unknown_metric');
      assert.deepEqual((await state(w)).data.attemptLimits.memory_win, started.attempt);

      await advance(90);
      const early = await ok(await ext(w, 'POST', '/attempts/fail-expired', SPEC_ATTEMPT_FAIL));
      assert.equal(early.failed, false);
      assert.equal(early.remainingSeconds, 200);
      expectError(await ext(w, 'POST', '/attempts/fail-expired', { metric: 'memory_win', attemptId: 'nope' }), 404, 'attempt_not_found');

      // data.attemptLimits is platform-managed.
      const before = await state(w);
      expectError(await ext(w, 'PATCH', '/state', { data: { attemptLimits: { memory_win: { status: 'completed' } } } }), 400, 'reserved_key');
      expectError(await ext(w, 'PATCH', '/state', { data: { attemptLimits: null } }), 400, 'reserved_key');
      expectError(await ext(w, 'PUT', '/state', { data: { attemptLimits: {} } }), 400, 'reserved_key');
      assert.deepEqual(await state(w), before);
      await ok(await ext(w, 'PUT', '/state', { data: { mine: 1 } }));
      const kept = await state(w);
      assert.equal(kept.data.mine, 1);
      assert.deepEqual(kept.data.attemptLimits.memory_win, started.attempt, 'PUT keeps attemptLimits');

      // The deadline passes: the scheduler fails it by itself.
      await advance(200);
      const failed = (await state(w)).data.attemptLimits.memory_win;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attemptId, 'memory-run-123');
      assert.equal(failed.endedAt, iso(S + 300_000));
      const logs = await history(w, 'attempt_failed');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.payload.attemptId, 'memory-run-123');
      assert.equal(logs[0]!.payload.metric, 'memory_win');
      const late = await ok(await ext(w, 'POST', '/attempts/fail-expired', SPEC_ATTEMPT_FAIL));
      assert.equal(late.failed, true);
      assert.equal(late.attempt.status, 'failed');
      expectError(await ext(w, 'POST', '/attempts/fail-expired', { metric: 'memory_win', attemptId: 'memory-run-999' }), 404, 'attempt_not_found');

      // A new attempt; trusted progress for the metric completes it.
      const second = await ok(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-124' }), 201);
      assert.equal(second.attempt.status, 'active');
      await advance(60);
      await ok(await ext(w, 'POST', '/requirements/progress', SPEC_PROGRESS_MEMORY), 201);
      const done = (await state(w)).data.attemptLimits.memory_win;
      assert.equal(done.attemptId, 'memory-run-124');
      assert.equal(done.status, 'completed');
      assert.equal(done.endedAt, iso(getT().clock.now()));
      await advance(600);
      assert.equal((await state(w)).data.attemptLimits.memory_win.status, 'completed', 'a completed attempt never fails');
      assert.equal((await history(w, 'attempt_failed')).length, 1);
      const after = await ok(await ext(w, 'POST', '/attempts/fail-expired', { metric: 'memory_win', attemptId: 'memory-run-124' }));
      assert.equal(after.failed, false);
      // After completion another attempt may start.
      await ok(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-125' }), 201);
    });

    it('fail-expired past the deadline (before the scheduler ran) → {failed: true}', async () => {
      const { world, ext, ok, state } = h;
      const w = await world({ extension: { config: JSON.parse(SPEC_ATTEMPT_LIMIT) } });
      await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 201);
      (getT().clock as ManualClock).advance(301_000); // no jobs run
      const res = await ok(await ext(w, 'POST', '/attempts/fail-expired', SPEC_ATTEMPT_FAIL));
      assert.equal(res.failed, true);
      assert.equal((await state(w)).data.attemptLimits.memory_win.status, 'failed');
      // Another id may start now even though the old row's deadline passed.
      await ok(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-200' }), 201);
      await getT().app.ctx.scheduler.runDue();
    });

    it('an attempt noticed late is failed on record at its deadline, however it is noticed; a finished id is not restarted', async () => {
      const { world, ext, ok, state, history } = h;
      // Noticed by fail-expired: the same record as the scheduler writes.
      const w = await world({ extension: { config: JSON.parse(SPEC_ATTEMPT_LIMIT) } });
      const started = await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 201);
      (getT().clock as ManualClock).advance(301_000); // the scheduler lags
      const failed = await ok(await ext(w, 'POST', '/attempts/fail-expired', SPEC_ATTEMPT_FAIL));
      assert.equal(failed.attempt.endedAt, started.attempt.deadline);
      assert.equal((await history(w, 'attempt_failed')).length, 1);
      // The same id again is idempotent: the failed attempt, not a new one.
      const again = await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 200);
      assert.equal(again.attempt.status, 'failed');
      await getT().app.ctx.scheduler.runDue();
      assert.equal((await history(w, 'attempt_failed')).length, 1, 'the expiry job does not fail it twice');

      // Noticed by starting the next attempt: the expired one is failed first, on record.
      const w2 = await world({ extension: { config: JSON.parse(SPEC_ATTEMPT_LIMIT) } });
      const a1 = await ok(await ext(w2, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'a1' }), 201);
      (getT().clock as ManualClock).advance(301_000);
      await ok(await ext(w2, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'a2' }), 201);
      const failures = await history(w2, 'attempt_failed');
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.payload.attemptId, 'a1');
      assert.equal(failures[0]!.payload.deadline, a1.attempt.deadline);
      assert.equal((await state(w2)).data.attemptLimits.memory_win.attemptId, 'a2');
      await getT().app.ctx.scheduler.runDue();
      assert.equal((await history(w2, 'attempt_failed')).length, 1);
    });

    it('startPolicy availability: started with the session; after a failure restarted only when a regular action is available', async () => {
      const { world, ext, ok, advance, state, regular, history } = h;
      const S = getT().clock.now();
      const w = await world({
        extension: {
          config: {
            attemptLimit: { enabled: true, metric: 'memory_win', durationSeconds: 300, startPolicy: 'availability' },
            regularActions: { mode: 'non_cumulative', regularitySeconds: HOUR },
          },
        },
      });
      const a1 = (await state(w)).data.attemptLimits?.memory_win;
      assert.ok(a1, 'an attempt was started when the session was created');
      assert.match(a1.attemptId, /^auto-/);
      assert.equal(a1.status, 'active');
      assert.equal(a1.automatic, true);
      assert.equal(a1.startedAt, iso(S));
      assert.equal(a1.deadline, iso(S + 300_000));

      // Deadline passes while a regular action is still available → the next one starts at once.
      await advance(300);
      const a2 = (await state(w)).data.attemptLimits.memory_win;
      assert.notEqual(a2.attemptId, a1.attemptId);
      assert.match(a2.attemptId, /^auto-/);
      assert.equal(a2.status, 'active');
      assert.equal(a2.startedAt, iso(S + 300_000));
      const logs = await history(w, 'attempt_failed');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.payload.attemptId, a1.attemptId);

      // Use this window's regular action: after the next failure nothing starts until the next window.
      await ok(await ext(w, 'POST', '/regular-actions', { payload: { attempt: a2.attemptId } }), 201);
      assert.equal((await regular(w)).nbActionsRemaining, 0);
      await advance(300);
      const a2failed = (await state(w)).data.attemptLimits.memory_win;
      assert.equal(a2failed.attemptId, a2.attemptId);
      assert.equal(a2failed.status, 'failed');
      assert.equal((await history(w, 'attempt_failed')).length, 2);
      await advance(HOUR - 600 - 1); // S + 3599 s
      assert.equal((await state(w)).data.attemptLimits.memory_win.status, 'failed', 'waits for the next regular action');
      await advance(1); // S + 1 h: the next window opens
      const a3 = (await state(w)).data.attemptLimits.memory_win;
      assert.equal(a3.status, 'active');
      assert.notEqual(a3.attemptId, a2.attemptId);
      assert.match(a3.attemptId, /^auto-/);
      assert.equal(a3.startedAt, iso(S + HOUR * 1000));
      assert.equal(a3.deadline, iso(S + HOUR * 1000 + 300_000));
    });

    it('attempts/fail (latch): a verified loss ends the attempt now, on record with its reason; idempotent; a completed one is 409 conflict; bad bodies change nothing', async () => {
      const { world, ext, ok, advance, state, history } = h;
      const w = await world({ extension: { config: JSON.parse(SPEC_ATTEMPT_LIMIT) } });
      await ok(await ext(w, 'POST', '/attempts/start', SPEC_ATTEMPT_START), 201);
      await advance(40);
      const before = await state(w);
      for (const bad of [{}, { metric: 'memory_win' }, { metric: 'memory_win', attemptId: 'memory-run-123', reason: '' }, { metric: 'memory_win', attemptId: 'memory-run-123', reason: 'x'.repeat(501) }, { metric: 'memory_win', attemptId: 'memory-run-123', extra: 1 }]) {
        expectError(await ext(w, 'POST', '/attempts/fail', bad), 400, 'invalid_request');
      }
      expectError(await ext(w, 'POST', '/attempts/fail', { metric: 'chess_win', attemptId: 'memory-run-123' }), 422, 'unknown_metric');
      expectError(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: 'nope' }), 404, 'attempt_not_found');
      assert.deepEqual(await state(w), before);

      const lost = await ok(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: 'memory-run-123', reason: 'Wrong pair on the last card' }));
      assert.equal(lost.failed, true);
      assert.equal(lost.attempt.status, 'failed');
      assert.equal(lost.attempt.endedAt, iso(getT().clock.now()), 'ended now, not at the deadline');
      assert.deepEqual((await state(w)).data.attemptLimits.memory_win, lost.attempt);
      const logs = await history(w, 'attempt_failed');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.title, 'Attempt failed (memory_win)');
      assert.equal(logs[0]!.description, 'Wrong pair on the last card');
      assert.equal(logs[0]!.payload.reason, 'Wrong pair on the last card');

      // Again: the same answer, nothing new on record; the deadline job no longer fails it.
      assert.deepEqual(await ok(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: 'memory-run-123' })), lost);
      await advance(600);
      assert.equal((await history(w, 'attempt_failed')).length, 1);
      assert.deepEqual((await state(w)).data.attemptLimits.memory_win, lost.attempt);
      // The next attempt may start at once.
      await ok(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-124' }), 201);

      // A completed attempt cannot fail.
      await ok(await ext(w, 'POST', '/requirements/progress', SPEC_PROGRESS_MEMORY), 201);
      const done = (await state(w)).data.attemptLimits.memory_win;
      assert.equal(done.status, 'completed');
      expectError(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: 'memory-run-124' }), 409, 'conflict');
      assert.deepEqual((await state(w)).data.attemptLimits.memory_win, done);

      // Past its deadline (the scheduler lags), failing it records the timeout, as fail-expired would.
      const started = await ok(await ext(w, 'POST', '/attempts/start', { metric: 'memory_win', attemptId: 'memory-run-125' }), 201);
      (getT().clock as ManualClock).advance(301_000);
      const late = await ok(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: 'memory-run-125', reason: 'too late anyway' }));
      assert.equal(late.attempt.endedAt, started.attempt.deadline);
      assert.equal((await history(w, 'attempt_failed')).find((e) => e.payload.attemptId === 'memory-run-125')!.title, 'Attempt timed out (memory_win)');
      await getT().app.ctx.scheduler.runDue();
      assert.equal((await history(w, 'attempt_failed')).length, 2);
    });

    it('attempts/fail with startPolicy availability: the next attempt starts at once while a regular action is available', async () => {
      const { world, ext, ok, state } = h;
      const w = await world({
        extension: { config: { attemptLimit: { enabled: true, metric: 'memory_win', durationSeconds: 300, startPolicy: 'availability' }, regularActions: { mode: 'unlimited' } } },
      });
      const a1 = (await state(w)).data.attemptLimits.memory_win;
      await ok(await ext(w, 'POST', '/attempts/fail', { metric: 'memory_win', attemptId: a1.attemptId }));
      const a2 = (await state(w)).data.attemptLimits.memory_win;
      assert.notEqual(a2.attemptId, a1.attemptId);
      assert.equal(a2.status, 'active');
      assert.equal(a2.automatic, true);
    });
  });
});
