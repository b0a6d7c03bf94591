import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, fixtureWorld, login, snapshot, suiteApp, type Session, type TestApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { MAX_JSON_DEPTH } from '../src/services/freeFormJson.js';

/**
 * One depth limit for every free-form JSON latch stores (32 levels, like state): deeper values,
 * up to 10,000 levels, are 400 `invalid_request` naming the field, never a 500 (a RangeError in
 * `JSON.stringify` once), and nothing is stored.
 */
/** JSON text of `levels` nested objects around a number (built as text: the test never parses it). */
const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe(`deep JSON anywhere free-form JSON is stored (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 1000 } });
  let w: World;
  let kh: Session;
  let dev: Session;
  before(async () => {
    w = await fixtureWorld(t.app, {});
    kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    dev = await login(t.app, w.developer.username, w.developer.password);
  });

  const backend = () => ({ authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder!, 'content-type': 'application/json' });
  const S = () => `/api/extensions/sessions/${w.session.id}`;

  /** Each place, as a raw request whose free-form value is `value` (JSON text). */
  const places: Array<[string, (value: string) => Promise<Awaited<ReturnType<TestApp['app']['inject']>>>]> = [
    ['regular-actions payload', (v) => t.app.inject({ method: 'POST', url: `${S()}/regular-actions`, headers: backend(), payload: `{"payload":${v}}` })],
    [
      'metadata.homeActions[].intent.payload',
      (v) => t.app.inject({ method: 'PATCH', url: `${S()}/metadata`, headers: backend(), payload: `{"homeActions":[{"slug":"play","title":"Play","intent":{"type":"open","payload":${v}}}]}` }),
    ],
    ['state (PUT data)', (v) => t.app.inject({ method: 'PUT', url: `${S()}/state`, headers: backend(), payload: `{"data":{"x":${v}}}` })],
    ['installed config (PUT …/config)', (v) => call(t.app, kh, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, `{"config":{"x":${v}}}`, { 'content-type': 'application/json' })],
    ['app defaultConfig (PATCH)', (v) => call(t.app, dev, 'PATCH', `/api/developer/apps/${w.app.id}`, `{"defaultConfig":{"x":${v}}}`, { 'content-type': 'application/json' })],
    ['app initialMetadata (PATCH)', (v) => call(t.app, dev, 'PATCH', `/api/developer/apps/${w.app.id}`, `{"initialMetadata":{"x":${v}}}`, { 'content-type': 'application/json' })],
    ['fixtures extension.config', (v) => t.app.inject({ method: 'POST', url: '/api/dev/fixtures', headers: { 'content-type': 'application/json' }, payload: `{"extension":{"config":{"x":${v}}}}` })],
  ];

  for (const levels of [MAX_JSON_DEPTH + 1, 4_200, 10_000]) {
    it(`${levels} levels → 400 invalid_request everywhere, nothing stored`, async () => {
      const before = await snapshot(t.db.database);
      for (const [name, send] of places) {
        const res = await send(nested(levels));
        assert.equal(res.statusCode, 400, `${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        assert.equal(res.json().code, 'invalid_request', name);
      }
      assert.deepEqual(await snapshot(t.db.database), before);
    });
  }

  it('the limit is inclusive: 32 levels (the field counts as its own levels) are stored', async () => {
    const ok = (name: string, res: Awaited<ReturnType<TestApp['app']['inject']>>) => assert.ok(res.statusCode < 300, `${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    ok('payload', await places[0]![1](nested(MAX_JSON_DEPTH)));
    ok('intent payload', await places[1]![1](nested(MAX_JSON_DEPTH)));
    // State and configs count their outer object too: {"x": …31 levels…} is 32.
    ok('state', await places[2]![1](nested(MAX_JSON_DEPTH - 1)));
    expectError(await places[2]![1](nested(MAX_JSON_DEPTH)), 400, 'invalid_request');
  });

  it('the error names the field', async () => {
    const res = await places[0]![1](nested(MAX_JSON_DEPTH + 1));
    assert.deepEqual(expectError(res, 400, 'invalid_request').details, [{ in: 'body', path: '/payload', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  });
});
