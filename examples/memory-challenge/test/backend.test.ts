import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExtensionClient } from '@latch/client';
import { appDefinition, BLOCKER, SCOPES } from '../src/app.js';
import { startMemoryBackend, verifyAnswer, type AnswerResult, type ChallengeView } from '../src/backend.js';
import { DEFAULT_CONFIG, METRIC, normalizeConfig, winsRequirement, type Color } from '../src/config.js';
import { startPlatform, type TestPlatform, type World } from '../../test-support/platform.js';

/**
 * The example backend against the real platform (no mocks): what it records, what it refuses,
 * and that retries and double submits apply each effect once.
 */
describe('memory challenge backend (real platform)', () => {
  let srv: TestPlatform;
  const closers: Array<() => Promise<void>> = [];
  before(async () => {
    srv = await startPlatform();
  });
  after(async () => {
    for (const c of closers) await c();
    await srv?.close();
  });

  interface Game {
    w: World;
    url: string;
    /** What the platform says: the app key with the keyholder's launch token (the tests play as the wearer). */
    read: ReturnType<ReturnType<typeof createExtensionClient>['session']>;
    post<T>(path: string, body: unknown): Promise<{ status: number; body: T & { error?: { code: string; message: string } } }>;
    challenge(token?: string): Promise<ChallengeView>;
    answer(c: ChallengeView, win: boolean, token?: string): Promise<AnswerResult>;
  }

  /**
   * A lock with the memory challenge installed (config overrides on the defaults, the unlock
   * requirement following `requiredWins` as the setup page writes it) and its backend.
   */
  async function game(config: Record<string, unknown> = {}, lock: Record<string, unknown> = {}): Promise<Game> {
    const def = appDefinition('http://localhost:5999');
    const merged = { ...DEFAULT_CONFIG, ...config };
    const w = await srv.world({
      extension: {
        name: def.name,
        iframeUrl: def.iframeUrl,
        setupUrl: def.setupUrl,
        allowedOrigins: def.allowedOrigins,
        scopes: [...SCOPES],
        config: { ...merged, unlockRequirements: normalizeConfig(merged).unlockRequirements },
        initialMetadata: def.initialMetadata,
        attemptLimit: def.attemptLimit,
      },
      lock: { keyholder: true, durationSeconds: 86400, ...lock },
    });
    const started = await startMemoryBackend({ latchUrl: srv.baseUrl, appKey: w.app.appKey, showMs: () => 0, log: () => undefined });
    closers.push(started.close);
    const url = `http://127.0.0.1:${started.port}`;
    const post = async <T>(path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string } } };
    };
    const g: Game = {
      w,
      url,
      read: createExtensionClient({ baseUrl: srv.baseUrl, appKey: w.app.appKey }).session(w.session.id, { mainToken: w.mainTokens.keyholder! }),
      post,
      async challenge(token = w.mainTokens.wearer) {
        const r = await post<ChallengeView>('/api/challenges', { sessionId: w.session.id, mainToken: token });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      },
      async answer(c, win, token = w.mainTokens.wearer) {
        const answer = win ? c.sequence : [c.sequence[0] === 'red' ? 'blue' : 'red', ...c.sequence.slice(1)];
        const r = await post<AnswerResult>(`/api/challenges/${c.challengeId}/answer`, { mainToken: token, answer });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
      },
    };
    return g;
  }

  const remaining = async (g: Game) => (await g.read.get()).lockData.timeRemainingSeconds!;
  const wins = async (g: Game) => (await g.read.metadata.get()).unlockRequirements.find((r) => r.metric === METRIC)!.count;

  it('answers are checked exactly', () => {
    const seq: Color[] = ['red', 'blue', 'blue'];
    assert.equal(verifyAnswer(seq, ['red', 'blue', 'blue']), true);
    assert.equal(verifyAnswer(seq, ['red', 'blue']), false);
    assert.equal(verifyAnswer(seq, ['red', 'blue', 'blue', 'red']), false);
    assert.equal(verifyAnswer(seq, 'red,blue,blue'), false);
    assert.deepEqual(normalizeConfig({ requiredWins: 999, punishment: { type: 'pillory', seconds: 5 }, sequenceLength: 'x' }).punishment, { type: 'add_time', seconds: 60 });
  });

  it('the config carries the platform’s unlock requirement, following requiredWins', () => {
    assert.deepEqual(DEFAULT_CONFIG.unlockRequirements, [{ metric: METRIC, requiredCount: 3, blocker: 'Win 3 memory games to unlock' }]);
    assert.deepEqual(normalizeConfig({ requiredWins: 5 }).unlockRequirements, [{ metric: METRIC, requiredCount: 5, blocker: 'Win 5 memory games to unlock' }]);
    assert.deepEqual(normalizeConfig({ requiredWins: 1 }).unlockRequirements, winsRequirement(1));
    assert.equal(winsRequirement(1)[0].blocker, 'Win 1 memory game to unlock');
    // Clamped like every field; a config naming only the requirement keeps its count.
    assert.equal(normalizeConfig({ requiredWins: 999 }).unlockRequirements[0].requiredCount, 20);
    assert.equal(normalizeConfig({ unlockRequirements: [{ metric: METRIC, requiredCount: 7 }] }).requiredWins, 7);
    assert.equal(normalizeConfig({ requiredWins: 4, unlockRequirements: winsRequirement(9) }).unlockRequirements[0].requiredCount, 4, 'the setup field wins');
  });

  it('a win records progress, removes time, moves the home action and writes a log; the platform completes the round', async () => {
    const g = await game();
    const before = await remaining(g);
    const c = await g.challenge();
    assert.equal(c.sequence.length, DEFAULT_CONFIG.sequenceLength);
    assert.deepEqual({ wins: c.wins, winsNeeded: c.winsNeeded }, { wins: 0, winsNeeded: 3 });
    const r = await g.answer(c, true);
    assert.equal(r.outcome, 'win');
    assert.deepEqual(r.applied, { action: 'remove_time', seconds: 600 });
    assert.equal(r.wins, 1);
    assert.equal(await wins(g), 1);
    assert.equal(before - (await remaining(g)), 600);
    const meta = await g.read.metadata.get();
    assert.deepEqual(meta.unlockBlockers, [], 'the app requirement already blocks: no manual blocker');
    assert.match(meta.homeActions[0]!.description!, /^1 of 3 wins/);
    assert.equal(meta.homeActions[0]!.intent?.type, 'play');
    const state = await g.read.state.get();
    assert.equal((state.data.attemptLimits as Record<string, { status: string }>)[METRIC]!.status, 'completed');
    assert.deepEqual((state.data.games as { played: number; losses: number }).played, 1);
    assert.ok((await srv.history(g.w)).includes('Memory game won (1 of 3)'));
    const ra = await g.read.regularActions.get();
    assert.deepEqual(ra.actions.map((a) => (a.payload as { outcome: string }).outcome), ['win']);
  });

  it('a loss adds the configured time, notifies, and keeps the round running for the next game', async () => {
    const g = await game({ punishment: { type: 'add_time', seconds: 900 } });
    const before = await remaining(g);
    const c1 = await g.challenge();
    const r = await g.answer(c1, false);
    assert.equal(r.outcome, 'loss');
    assert.deepEqual(r.applied, { action: 'add_time', seconds: 900 });
    assert.deepEqual(r.expected, c1.sequence);
    assert.equal((await remaining(g)) - before, 900);
    assert.equal(await wins(g), 0);
    assert.ok((await srv.history(g.w)).includes('Memory game lost'));
    assert.ok((await srv.notifications(g.w)).includes('Memory game lost'));
    // The next game joins the round the lost one started (attempt limits: one round until a win or its deadline).
    const c2 = await g.challenge();
    assert.ok(c1.attempt);
    assert.equal(c2.attempt?.attemptId, c1.attempt.attemptId);
  });

  it('a freeze punishment freezes the lock for the configured time', async () => {
    const g = await game({ punishment: { type: 'freeze', seconds: 2700 } });
    const r = await g.answer(await g.challenge(), false);
    assert.deepEqual(r.applied, { action: 'freeze', seconds: 2700 });
    assert.equal(r.lockData?.frozen, true);
    const s = await g.read.get();
    assert.equal(s.lockData.frozen, true);
    assert.ok(s.lockData.unlockBlockedReasons.includes('frozen'));
  });

  it('an answer after the round’s deadline is a loss (timeout), punished; the next game starts a new round', async () => {
    const g = await game({ attemptLimit: { ...DEFAULT_CONFIG.attemptLimit, durationSeconds: 60 } });
    const c = await g.challenge();
    await srv.advance(61);
    const r = await g.answer(c, true);
    assert.equal(r.outcome, 'timeout', 'the right sequence, too late');
    assert.equal(r.applied?.action, 'add_time');
    assert.equal(await wins(g), 0);
    const next = await g.challenge();
    assert.notEqual(next.attempt?.attemptId, c.attempt?.attemptId);
    assert.ok((await srv.history(g.w)).some((t) => t.startsWith('Attempt timed out')), 'the platform records the failed attempt');
  });

  it('a lock whose config switches the attempt limit off plays without rounds', async () => {
    const g = await game({ attemptLimit: { enabled: false } });
    const c = await g.challenge();
    assert.equal(c.attempt, null);
    await srv.advance(3600);
    assert.equal((await g.answer(c, true)).outcome, 'win', 'no deadline to miss');
  });

  it('three wins satisfy the requirement: blocker gone, home action complete, one notification, no more games', async () => {
    const g = await game();
    for (let i = 0; i < 3; i++) await g.answer(await g.challenge(), true);
    const meta = await g.read.metadata.get();
    assert.deepEqual(meta.unlockRequirements.map((r) => [r.count, r.satisfied]), [[3, true]]);
    assert.equal(meta.aggregatedUnlockBlockers.filter((b) => b.extensionSlug === g.w.app.slug).length, 0);
    assert.equal(meta.homeActions[0]!.title, 'Memory challenge complete');
    assert.equal(meta.homeActions[0]!.intent, undefined);
    assert.deepEqual((await srv.notifications(g.w)).filter((t) => t.startsWith('Memory')), ['Memory challenge complete']);
    const r = await g.post('/api/challenges', { sessionId: g.w.session.id, mainToken: g.w.mainTokens.wearer });
    assert.equal(r.status, 409);
    assert.equal(r.body.error?.code, 'challenge_complete');
  });

  it('a lock configured for 4 wins: the platform’s requirement counts 4 (no manual blocker) and holds the lock until the 4th win', async () => {
    const g = await game({ requiredWins: 4 });
    // A manual blocker left by an older version of the backend is cleared when a game opens.
    await g.read.metadata.patch({ unlockBlockers: ['Win 4 memory games to unlock (0 of 4)'] });
    const first = await g.challenge();
    assert.equal(first.winsNeeded, 4);
    let meta = await g.read.metadata.get();
    assert.deepEqual(meta.unlockBlockers, []);
    assert.deepEqual(meta.unlockRequirements, [{ metric: METRIC, requiredCount: 4, blocker: 'Win 4 memory games to unlock', count: 0, satisfied: false }]);
    await g.answer(first, true);
    for (let i = 0; i < 2; i++) await g.answer(await g.challenge(), true);
    meta = await g.read.metadata.get();
    assert.deepEqual(meta.unlockRequirements.map((r) => [r.count, r.requiredCount, r.satisfied]), [[3, 4, false]], '3 wins do not satisfy this lock');
    assert.deepEqual(meta.unlockBlockers, []);
    assert.equal(meta.unlockBlocked, true);
    assert.ok((await g.read.get()).lockData.unlockBlockedReasons.includes('requirement_unsatisfied'));
    const last = await g.answer(await g.challenge(), true);
    assert.deepEqual([last.wins, last.winsNeeded, last.complete], [4, 4, true]);
    meta = await g.read.metadata.get();
    assert.equal(meta.unlockRequirements[0]!.satisfied, true);
    assert.equal(meta.unlockBlocked, false);
    const reasons = (await g.read.get()).lockData.unlockBlockedReasons;
    assert.ok(!reasons.includes('requirement_unsatisfied') && !reasons.includes('extension_blocker'), reasons.join(', '));
    assert.ok((await srv.history(g.w)).includes('Memory game won (4 of 4)'));
  });

  it('a lock configured for 2 wins (fewer than the app’s 3) is complete after 2', async () => {
    const g = await game({ requiredWins: 2 });
    const first = await g.challenge();
    assert.deepEqual({ wins: first.wins, winsNeeded: first.winsNeeded }, { wins: 0, winsNeeded: 2 });
    await g.answer(first, true);
    const second = await g.answer(await g.challenge(), true);
    assert.deepEqual([second.wins, second.winsNeeded, second.complete], [2, 2, true]);
    const meta = await g.read.metadata.get();
    assert.deepEqual(meta.unlockRequirements.map((r) => [r.count, r.requiredCount, r.satisfied]), [[2, 2, true]]);
    assert.equal(meta.unlockBlocked, false);
    assert.equal(meta.homeActions[0]!.title, 'Memory challenge complete');
    assert.deepEqual((await srv.notifications(g.w)).filter((t) => t.startsWith('Memory')), ['Memory challenge complete']);
    const r = await g.post('/api/challenges', { sessionId: g.w.session.id, mainToken: g.w.mainTokens.wearer });
    assert.deepEqual([r.status, r.body.error?.code], [409, 'challenge_complete']);
  });

  it('regular actions: with one game per hour, a second game waits for the platform’s next window', async () => {
    const g = await game({ regularActions: { mode: 'cumulative', regularitySeconds: 3600, maxActions: 3 } });
    await g.answer(await g.challenge(), false);
    const r = await g.post<{ details: { nextActionDate: string } }>('/api/challenges', { sessionId: g.w.session.id, mainToken: g.w.mainTokens.wearer });
    assert.equal(r.status, 429);
    assert.equal(r.body.error?.code, 'no_game_available');
    assert.ok(r.body.details.nextActionDate);
    await srv.advance(3600);
    await g.challenge();
  });

  it('a retried answer gets the same result and applies nothing twice; a double submit too', async () => {
    const g = await game();
    const before = await remaining(g);
    const c = await g.challenge();
    const [a, b] = await Promise.all([g.answer(c, true), g.answer(c, true)]);
    assert.deepEqual(a, b);
    const again = await g.post<AnswerResult>(`/api/challenges/${c.challengeId}/answer`, { mainToken: g.w.mainTokens.wearer, answer: ['wrong'] });
    assert.equal(again.status, 200);
    assert.equal(again.body.outcome, 'win', 'the verdict was decided once');
    assert.equal(await wins(g), 1);
    assert.equal(before - (await remaining(g)), 600);
    assert.equal((await srv.history(g.w)).filter((t) => t.startsWith('Memory game won')).length, 1);
    assert.equal((await g.read.regularActions.get()).actions.length, 1);
  });

  it('the backend trusts the platform, not the iframe: bad tokens, other sessions and keyholders are refused without effects', async () => {
    const g = await game();
    const other = await game();
    // A made-up token: the platform says no; the challenge stays open for a real answer.
    const bogus = await g.post('/api/challenges', { sessionId: g.w.session.id, mainToken: 'mt_nope' });
    assert.deepEqual([bogus.status, bogus.body.error?.code], [401, 'invalid_main_token']);
    const c = await g.challenge();
    const forged = await g.post(`/api/challenges/${c.challengeId}/answer`, { mainToken: 'mt_nope', answer: c.sequence });
    assert.deepEqual([forged.status, forged.body.error?.code], [401, 'invalid_main_token']);
    // Another lock's launch cannot answer (or win) this lock's game.
    const foreign = await g.post(`/api/challenges/${c.challengeId}/answer`, { mainToken: other.w.mainTokens.wearer, answer: c.sequence });
    assert.equal(foreign.status, 403);
    assert.match(foreign.body.error!.code, /session_mismatch|invalid_main_token/);
    assert.equal(await wins(g), 0);
    // The keyholder may watch, not play.
    const kh = await g.post('/api/challenges', { sessionId: g.w.session.id, mainToken: g.w.mainTokens.keyholder });
    assert.deepEqual([kh.status, kh.body.error?.code], [403, 'wearer_only']);
    // A reopened extension (fresh token) still answers the game; the old token is revoked.
    const fresh = await srv.mainToken(g.w.wearer.id, g.w.session.id);
    const stale = await g.post(`/api/challenges/${c.challengeId}/answer`, { mainToken: g.w.mainTokens.wearer, answer: c.sequence });
    assert.equal(stale.status, 401);
    assert.equal((await g.answer(c, true, fresh)).outcome, 'win');
    // Malformed requests and unknown games.
    assert.equal((await g.post('/api/challenges', { sessionId: g.w.session.id })).status, 400);
    assert.equal((await g.post('/api/challenges/0123456789abcdef01234567/answer', { mainToken: fresh, answer: [] })).status, 404);
  });

  it('serves the pages (framed only by the platform) and bundles the browser code without the app key', async () => {
    const g = await game();
    const page = await fetch(`${g.url}/game.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors ${srv.baseUrl.replace(/\./g, '\\.')}`));
    for (const asset of ['/assets/game.js', '/assets/setup.js']) {
      const res = await fetch(`${g.url}${asset}`);
      assert.equal(res.status, 200, asset);
      const js = await res.text();
      assert.ok(js.includes('chastify:ext:req') || js.includes('chastify:ext:setup'), `${asset} bundles the bridge SDK`);
      assert.ok(!js.includes(g.w.app.appKey) && !js.includes('lk_app_'), `${asset} holds no key`);
    }
    assert.equal((await fetch(`${g.url}/setup.html`)).status, 200);
    assert.equal(BLOCKER, 'Win 3 memory games to unlock');
  });
});
