import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform, type World } from '../../test-support/platform.js';
import { createDiceBackend } from '../src/backend.js';

/**
 * The dice's backend against a real latch over HTTP (chaster-js's requests as they are), with a
 * loaded die (issue 13).
 */

describe('chaster-dice backend (chaster-js against latch)', () => {
  let p: TestPlatform;
  let w: World;
  let backend: ReturnType<typeof createDiceBackend>;
  const loaded = [2, 5, 6];

  before(async () => {
    p = await startPlatform();
    w = await p.world({ extension: { dialect: 'chaster', config: { rollsRequired: 3, secondsPerPip: 600 } } });
    let next = 0;
    backend = createDiceBackend({ latchUrl: p.baseUrl, developerToken: w.app.appKey, clientId: w.app.clientId!, rollDie: () => loaded[next++ % loaded.length]! });
  });
  after(() => p?.close());

  const endDate = async () => Date.parse((await backend.api.getExtensionSession(w.session.id)).data.session.lock.endDate!);

  it('an unknown main token is refused with latch’s status and message (the page shows it)', async () => {
    await assert.rejects(backend.openSession({ mainToken: 'mt_nope' }), (err: { response?: { status: number } }) => err.response?.status === 401);
    await assert.rejects(backend.openSession({}), /Send \{mainToken\}/);
  });

  it('the main page opened by the wearer: role, rules, no rolls; the reason preventing unlocking is put in place', async () => {
    const view = await backend.openSession({ mainToken: w.mainTokens.wearer });
    assert.deepEqual([view.role, view.rolls, view.complete, view.rules.rollsRequired], ['wearer', [], false, 3]);
    assert.match(view.rules.text, /Roll the dice 3 times to unlock; each pip adds 10 min/);
    const { metadata } = (await backend.api.getExtensionSession(w.session.id)).data.session;
    assert.deepEqual(metadata.reasonsPreventingUnlocking, ['Roll the dice 3 more times']);
    assert.equal(metadata.homeActions[0]?.badge, '3 left');
  });

  it('the keyholder sees the rolls but may not roll', async () => {
    await assert.rejects(backend.roll({ mainToken: w.mainTokens.keyholder }), /Only the wearer rolls/);
  });

  it('each roll adds pips × 10 min, logs "%USER% rolled a N", stores the rolls; after the last the reason is gone and a further roll is refused', async () => {
    const start = await endDate();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await backend.roll({ mainToken: w.mainTokens.wearer }));
    assert.deepEqual(results.map((r) => r.roll), loaded);
    assert.deepEqual(results.map((r) => r.addedSeconds), [1200, 3000, 3600]);
    assert.equal((await endDate()) - start, 7800_000);
    assert.deepEqual(results[2]!.session.rolls, loaded);
    assert.equal(results[2]!.session.complete, true);
    const { session } = (await backend.api.getExtensionSession(w.session.id)).data;
    assert.deepEqual(session.data, { rolls: loaded });
    assert.deepEqual(session.metadata, { reasonsPreventingUnlocking: [], homeActions: [] });
    const history = await p.history(w);
    for (const n of loaded) assert.ok(history.some((h) => h.endsWith(`rolled a ${n}`)), `history has the roll of ${n}: ${history.join(' | ')}`);
    await assert.rejects(backend.roll({ mainToken: w.mainTokens.wearer }), /All 3 rolls are made/);
  });

  it('two rolls sent at once both count (the backend rolls one at a time per session)', async () => {
    const other = await p.world({ extension: { dialect: 'chaster' } });
    const b = createDiceBackend({ latchUrl: p.baseUrl, developerToken: other.app.appKey, clientId: other.app.clientId!, rollDie: () => 1 });
    await Promise.all([b.roll({ mainToken: other.mainTokens.wearer }), b.roll({ mainToken: other.mainTokens.wearer })]);
    assert.deepEqual((await b.api.getExtensionSession(other.session.id)).data.session.data, { rolls: [1, 1] });
  });

  it('the configuration page loads and saves a configuration (clamped to the limits) through its token', async () => {
    const token = (w as World & { configurationToken?: string }).configurationToken;
    assert.ok(token, 'fixtures hand out a configurationToken');
    const saved = await backend.saveConfiguration(token, { config: { rollsRequired: 99, secondsPerPip: 120 } });
    assert.deepEqual(saved.config, { rollsRequired: 20, secondsPerPip: 120 });
    assert.deepEqual((await backend.getConfiguration(token)).config, saved.config);
    assert.deepEqual((await backend.api.getExtensionSession(w.session.id)).data.session.config, saved.config);
  });
});
