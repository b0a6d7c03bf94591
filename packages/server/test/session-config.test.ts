import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, fixtureWorld, login, suiteApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { SPEC_REQUIREMENTS } from './spec001Bodies.js';

/**
 * DECISIONS §6: an installed session's `config` is what the setup page saved plus the keys the
 * platform schedules from (`extensionRequirements`, and `regularActions`/`attemptLimit` when set),
 * so `config.extensionRequirements` reads back exactly as spec 001 shows it.
 */
const REQUIREMENTS = JSON.parse(SPEC_REQUIREMENTS).extensionRequirements;
const REGULAR = { mode: 'cumulative', regularitySeconds: 3600, maxActions: 3 };
const ATTEMPTS = { enabled: true, metric: 'completion', durationSeconds: 300 };

describe(`installed session config carries the scheduled keys (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  let w: World;
  before(async () => {
    w = await fixtureWorld(t.app, { extension: { config: { level: 2 }, extensionRequirements: REQUIREMENTS, regularActions: REGULAR, attemptLimit: ATTEMPTS } });
  });

  const backend = () => ({ authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer });

  it('GET session (extension route): config = the saved config + extensionRequirements, regularActions, attemptLimit', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: backend() });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().config, { level: 2, extensionRequirements: REQUIREMENTS, regularActions: REGULAR, attemptLimit: ATTEMPTS });
  });

  it('the lock page and the developer console show the same config', async () => {
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const lock = await call(t.app, keyholder, 'GET', `/api/locks/${w.lock.id}`);
    assert.equal(lock.statusCode, 200, lock.body);
    const installed = (lock.json().extensions as Array<{ slug: string; config: unknown }>).find((e) => e.slug === w.app.slug);
    assert.deepEqual(installed?.config, { level: 2, extensionRequirements: REQUIREMENTS, regularActions: REGULAR, attemptLimit: ATTEMPTS });
    const dev = await login(t.app, w.developer.username, w.developer.password);
    const sessions = await call(t.app, dev, 'GET', `/api/developer/apps/${w.app.id}/sessions`);
    assert.equal(sessions.statusCode, 200, sessions.body);
    assert.deepEqual(sessions.json().results[0].config.extensionRequirements, REQUIREMENTS);
  });

  it('a setup page that saves back the config it read (defaults included) is accepted and changes no schedule', async () => {
    const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const read = (await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: backend() })).json().config;
    const saved = await call(t.app, keyholder, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, { config: { ...read, level: 3 } });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual(saved.json().config, { level: 3, extensionRequirements: REQUIREMENTS, regularActions: REGULAR, attemptLimit: ATTEMPTS });
    // A scheduled key that differs from what runs is still refused.
    const changed = await call(t.app, keyholder, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, { config: { ...read, extensionRequirements: { ...REQUIREMENTS, requiredCount: 1 } } });
    assert.equal(changed.statusCode, 400, changed.body);
  });

  it('an app without scheduled defaults adds nothing', async () => {
    const plain = await fixtureWorld(t.app, { extension: { config: { level: 1 } } });
    const res = await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${plain.session.id}`, headers: { authorization: `Bearer ${plain.app.appKey}`, 'x-chastify-main-token': plain.mainTokens.wearer } });
    assert.deepEqual(res.json().config, { level: 1 });
  });
});
