import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, register, suiteApp, testApp, type Session, type TestApp } from './helpers.js';

/** Shared links for visitors (Chaster's "Shared links"): votes add or remove time, once per period. */
describe('shared links: visitors vote time with limits', () => {
  const t = suiteApp();

  const vote = (app: TestApp['app'], linkId: string, choice: string, ip: string, as?: Session) =>
    app.inject({ method: 'POST', url: `/api/links/${linkId}/vote`, remoteAddress: ip, payload: { choice }, headers: as ? { cookie: as.cookie, 'x-csrf-token': as.csrfToken } : {} });

  it('a visitor adds time once per period; the history says a visitor did it', async () => {
    const w = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Vote on me', durationSeconds: 3600 })).json();
    assert.deepEqual((await call(t.app, w, 'GET', `/api/locks/${lock.id}/shared-link`)).json(), { link: null });
    const link = (await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 3600, removeSeconds: 600, periodSeconds: 86400 })).json();
    assert.equal(link.enabled, true);

    const page = (await call(t.app, null, 'GET', `/api/links/${link.id}`)).json();
    assert.equal(page.lockTitle, 'Vote on me');
    assert.equal(page.wearer, w.username);
    assert.equal(page.timeRemainingSeconds, 3600);

    const first = await vote(t.app, link.id, 'add', '203.0.113.7');
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().seconds, 3600);
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().timeRemainingSeconds, 7200);
    const history = (await call(t.app, w, 'GET', `/api/locks/${lock.id}/history`)).json().results;
    assert.equal(history[0].type, 'visitor_vote');
    assert.equal(history[0].title, 'A visitor added 1h');

    // Same visitor, same day: refused, nothing changes. Another visitor: counted.
    const again = expectError(await vote(t.app, link.id, 'remove', '203.0.113.7'), 409, 'already_voted');
    assert.ok(again.details.nextVoteAt);
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().timeRemainingSeconds, 7200);
    assert.equal((await vote(t.app, link.id, 'remove', '203.0.113.8')).statusCode, 200);
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lock.id}`)).json().timeRemainingSeconds, 6600);
    assert.equal((await call(t.app, null, 'GET', `/api/links/${link.id}`)).json().votes, 2);

    // The next period, the first visitor may vote again.
    t.clock.advance(86400_000);
    assert.equal((await vote(t.app, link.id, 'add', '203.0.113.7')).statusCode, 200);
  });

  it('random only when allowed, off choices refused, signed-in-only links, no votes by the lock’s own people', async () => {
    const w = await register(t.app);
    const visitor = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Rules', durationSeconds: 3600 })).json();
    const link = (await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 600, removeSeconds: 0 })).json();
    expectError(await vote(t.app, link.id, 'random', '198.51.100.1'), 400, 'invalid_request');
    expectError(await vote(t.app, link.id, 'remove', '198.51.100.1'), 400, 'invalid_request');
    expectError(await vote(t.app, link.id, 'add', '198.51.100.1', w), 403, 'forbidden');
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 0, removeSeconds: 0 }), 400, 'invalid_request');

    await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { allowRandom: true, signedInOnly: true });
    expectError(await vote(t.app, link.id, 'random', '198.51.100.1'), 401, 'login_required');
    const random = await vote(t.app, link.id, 'random', '198.51.100.1', visitor);
    assert.equal(random.statusCode, 200, random.body);
    assert.equal(random.json().choice, 'add');
    // The signed-in visitor is one visitor whatever their address.
    expectError(await vote(t.app, link.id, 'add', '198.51.100.2', visitor), 409, 'already_voted');

    await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { enabled: false });
    expectError(await vote(t.app, link.id, 'add', '198.51.100.3'), 404, 'not_found');
  });

  it('only the lock’s controller sets the link up; votes stop at the limit lock time and when the lock ends', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Capped', durationSeconds: 3600, maxDurationSeconds: 5400, keyholderUsername: k.username })).json();
    await call(t.app, k, 'POST', `/api/locks/${lock.id}/invitation`, { accept: true });
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 3600 }), 403, 'forbidden');
    const link = (await call(t.app, k, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 3600 })).json();
    assert.equal((await vote(t.app, link.id, 'add', '192.0.2.1')).statusCode, 200);
    const held = (await call(t.app, k, 'GET', `/api/locks/${lock.id}`)).json();
    assert.equal(held.endsAt, held.maxEndsAt);

    await call(t.app, k, 'POST', `/api/locks/${lock.id}/unlock`);
    expectError(await vote(t.app, link.id, 'add', '192.0.2.2'), 409, 'lock_ended');
  });

  it('a number of votes required holds the unlock until visitors have voted; only a keyholder lowers it', async () => {
    const w = await register(t.app);
    const lock = (await call(t.app, w, 'POST', '/api/locks', { title: 'Needs votes', durationSeconds: 60 })).json();
    const link = (await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 60, removeSeconds: 60, requiredVotes: 2 })).json();
    assert.equal(link.requiredVotes, 2);
    // The wearer of a self-lock may raise it, not lower it.
    expectError(await call(t.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { requiredVotes: 1 }), 403, 'forbidden');
    t.clock.advance(3600_000);
    assert.deepEqual((await call(t.app, w, 'GET', `/api/locks/${lock.id}/status`)).json().unlock.reasons, ['visitor_votes']);
    expectError(await call(t.app, w, 'POST', `/api/locks/${lock.id}/unlock`), 409, 'unlock_not_allowed');
    await vote(t.app, link.id, 'remove', '192.0.2.80');
    assert.equal((await call(t.app, null, 'GET', `/api/links/${link.id}`)).json().votes, 1);
    expectError(await call(t.app, w, 'POST', `/api/locks/${lock.id}/unlock`), 409, 'unlock_not_allowed');
    await vote(t.app, link.id, 'remove', '192.0.2.81');
    assert.equal((await call(t.app, w, 'POST', `/api/locks/${lock.id}/unlock`)).json().status, 'unlocked');

    const k = await register(t.app);
    const held = (await call(t.app, w, 'POST', '/api/locks', { title: 'Held votes', durationSeconds: 60, keyholderUsername: k.username })).json();
    await call(t.app, k, 'POST', `/api/locks/${held.id}/invitation`, { accept: true });
    await call(t.app, k, 'PUT', `/api/locks/${held.id}/shared-link`, { addSeconds: 60, requiredVotes: 5 });
    assert.equal((await call(t.app, k, 'PUT', `/api/locks/${held.id}/shared-link`, { requiredVotes: 0 })).json().requiredVotes, 0);
  });

  it('limits votes per client address', async () => {
    const limited = await testApp({ config: { authRateLimitMultiplier: 1 } });
    try {
      const w = await register(limited.app);
      const lock = (await call(limited.app, w, 'POST', '/api/locks', { title: 'Busy', durationSeconds: 3600 })).json();
      const link = (await call(limited.app, w, 'PUT', `/api/locks/${lock.id}/shared-link`, { addSeconds: 60 })).json();
      const codes: number[] = [];
      for (let i = 0; i < 21; i++) codes.push((await vote(limited.app, link.id, 'add', '192.0.2.50')).statusCode);
      assert.deepEqual(codes, [200, ...Array(19).fill(409), 429]);
    } finally {
      await limited.close();
    }
  });
});
