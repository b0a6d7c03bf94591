import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, TEST_DB, testApp, type TestApp } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Extension state (DECISIONS §6, spec 002 state.get/put/patch): `{data}` bodies, PUT replaces,
 * PATCH is an RFC 7386 merge patch, 64 KiB, key rules, `data.attemptLimits` reserved, ETag /
 * If-Match, no lost updates under concurrency, and Idempotency-Key replay.
 * Runs on SQLite, or on PostgreSQL with LATCH_TEST_DB=postgres.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

const LIMIT = 64 * 1024;

describe(`extension state (${TEST_DB})`, () => {
  let t: TestApp;
  // Generous rate limits: the concurrency tests send bursts from one credential.
  before(async () => (t = await testApp({ config: { dev: true, rateLimitMultiplier: 100 } })));
  after(() => t.close());

  const world = (body?: Record<string, unknown>) => fixtureWorld(t.app, body);

  /** A backend call: app-scoped key + the wearer's main token. */
  function ext(w: World, method: Method, path: string, payload?: unknown, headers: Record<string, string> = {}) {
    return t.app.inject({
      method,
      url: `/api/extensions/sessions/${w.session.id}${path}`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  async function getState(w: World): Promise<{ data: Record<string, unknown>; version: number; etag: string }> {
    const res = await ext(w, 'GET', '/state');
    assert.equal(res.statusCode, 200, res.body);
    const etag = res.headers.etag;
    assert.equal(typeof etag, 'string', 'GET state has an ETag');
    return { ...res.json(), etag: etag as string };
  }

  async function ok(res: Awaited<ReturnType<typeof ext>>, status = 200) {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  }

  /** The response agrees with a following GET, and its ETag is the GET's ETag. */
  async function agrees(w: World, res: Awaited<ReturnType<typeof ext>>) {
    const body = await ok(res);
    const now = await getState(w);
    assert.deepEqual(body.data, now.data);
    assert.equal(body.version, now.version);
    assert.equal(res.headers.etag, now.etag);
    return body as { data: Record<string, unknown>; version: number };
  }

  describe('GET / PUT / PATCH', () => {
    it('starts empty with a version and an ETag', async () => {
      const w = await world();
      const res = await ext(w, 'GET', '/state');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['data', 'version']);
      assert.deepEqual(body.data, {});
      assert.ok(Number.isInteger(body.version));
      assert.match(String(res.headers.etag), /^(W\/)?".+"$/);
    });

    it('PUT replaces the whole state; the response and a following GET agree', async () => {
      const w = await world();
      const v0 = (await getState(w)).version;
      const first = await agrees(w, await ext(w, 'PUT', '/state', { data: { counter: 1, notes: 'first test', nested: { a: 1 } } }));
      assert.deepEqual(first.data, { counter: 1, notes: 'first test', nested: { a: 1 } });
      assert.ok(first.version > v0);
      const second = await agrees(w, await ext(w, 'PUT', '/state', { data: { other: [1, 2] } }));
      assert.deepEqual(second.data, { other: [1, 2] }, 'keys not in the PUT are gone');
      assert.ok(second.version > first.version);
      const empty = await agrees(w, await ext(w, 'PUT', '/state', { data: {} }));
      assert.deepEqual(empty.data, {});
    });

    it('PATCH is an RFC 7386 merge patch: objects merge, null deletes (nested too), arrays replace whole', async () => {
      const w = await world();
      await ok(
        await ext(w, 'PUT', '/state', {
          data: {
            a: 1,
            gone: 'x',
            nested: { keep: 1, drop: 2, deeper: { x: 1, y: 2 } },
            list: [1, 2, 3],
            objs: [{ a: 1 }, { b: 2 }],
            scalarToObject: 5,
            objectToScalar: { q: 1 },
          },
        }),
      );
      const patched = await agrees(
        w,
        await ext(w, 'PATCH', '/state', {
          data: {
            gone: null,
            nested: { drop: null, add: 3, deeper: { y: null, z: 3 } },
            list: [9, null, { x: null }],
            objs: [{ c: 3 }],
            scalarToObject: { now: 'object' },
            objectToScalar: 'flat',
            fresh: { kept: 1, ignored: null },
            missing: null,
          },
        }),
      );
      assert.deepEqual(patched.data, {
        a: 1,
        nested: { keep: 1, add: 3, deeper: { x: 1, z: 3 } },
        list: [9, null, { x: null }], // arrays are values: nulls inside them are kept as-is
        objs: [{ c: 3 }],
        scalarToObject: { now: 'object' },
        objectToScalar: 'flat',
        fresh: { kept: 1 },
      });
      // The bridge example (spec 002): only changed keys need to be sent.
      await ok(await ext(w, 'PUT', '/state', { data: { counter: 1, notes: 'first test' } }));
      const bumped = await agrees(w, await ext(w, 'PATCH', '/state', { data: { counter: 2 } }));
      assert.deepEqual(bumped.data, { counter: 2, notes: 'first test' });
      // An empty patch changes nothing in the data.
      const same = await agrees(w, await ext(w, 'PATCH', '/state', { data: {} }));
      assert.deepEqual(same.data, { counter: 2, notes: 'first test' });
    });
  });

  describe('the 64 KiB limit', () => {
    const padded = (bytes: number) => {
      const overhead = JSON.stringify({ pad: '' }).length;
      const data = { pad: 'x'.repeat(bytes - overhead) };
      assert.equal(JSON.stringify(data).length, bytes);
      return data;
    };

    it('PUT exactly at the limit succeeds; one byte over → 413 state_too_large, unchanged', async () => {
      const w = await world();
      const at = padded(LIMIT);
      const res = await agrees(w, await ext(w, 'PUT', '/state', { data: at }));
      assert.equal(JSON.stringify(res.data).length, LIMIT);
      const below = padded(LIMIT - 1);
      await agrees(w, await ext(w, 'PUT', '/state', { data: below }));
      const before = await getState(w);
      expectError(await ext(w, 'PUT', '/state', { data: padded(LIMIT + 1) }), 413, 'state_too_large');
      assert.deepEqual(await getState(w), before);
    });

    it('PATCH that makes the merged state exceed the limit → 413, unchanged; one that lands exactly on it succeeds', async () => {
      const w = await world();
      // {"pad":"…"} at LIMIT-12 bytes.
      await ok(await ext(w, 'PUT', '/state', { data: padded(LIMIT - 12) }));
      const before = await getState(w);
      // ,"bb":"xxxxxxx" = 1+4+1+9 = 15 bytes > 12
      expectError(await ext(w, 'PATCH', '/state', { data: { bb: 'xxxxxxx' } }), 413, 'state_too_large');
      assert.deepEqual(await getState(w), before);
      // ,"b":"xxxx" = 1+3+1+6 = 11; ,"c":1 would be 6 more → over; use exactly 12: ,"bb":"xxxx" = 1+4+1+6 = 12
      const exact = await agrees(w, await ext(w, 'PATCH', '/state', { data: { bb: 'xxxx' } }));
      assert.equal(JSON.stringify(exact.data).length, LIMIT);
      // A patch that shrinks the state is always fine.
      const shrunk = await agrees(w, await ext(w, 'PATCH', '/state', { data: { pad: null } }));
      assert.deepEqual(shrunk.data, { bb: 'xxxx' });
    });

    it('counts bytes, not characters (multi-byte UTF-8)', async () => {
      const w = await world();
      // "é" is 2 bytes in UTF-8: LIMIT/2 of them plus the wrapper is over the limit in bytes
      // while well under it in characters.
      const overhead = JSON.stringify({ pad: '' }).length;
      const chars = Math.ceil((LIMIT - overhead) / 2) + 1;
      const before = await getState(w);
      expectError(await ext(w, 'PUT', '/state', { data: { pad: 'é'.repeat(chars) } }), 413, 'state_too_large');
      assert.deepEqual(await getState(w), before);
    });
  });

  describe('key rules', () => {
    const badBodies: Array<[string, Record<string, unknown>]> = [
      ['$set at top level', { $set: { a: 1 } }],
      ['$ key nested', { a: { b: { $inc: 1 } } }],
      ['a.b nested deep', { a: { b: { c: { 'd.e': 1 } } } }],
      ['a.b at top level', { 'a.b': 1 }],
      ['inside an array of objects', { list: [{ ok: 1 }, { 'bad.key': 2 }] }],
      ['$ key inside an array of arrays of objects', { list: [[{ $where: 'x' }]] }],
      ['a dotted key deleted with null', { 'x.y': null }],
    ];
    for (const method of ['PUT', 'PATCH'] as const) {
      for (const [name, data] of badBodies) {
        it(`${method} with ${name} → 400 invalid_state_key, nothing changed`, async () => {
          const w = await world();
          await ok(await ext(w, 'PUT', '/state', { data: { existing: { keep: true } } }));
          const before = await getState(w);
          expectError(await ext(w, method, '/state', { data }), 400, 'invalid_state_key');
          assert.deepEqual(await getState(w), before);
        });
      }
    }

    it('keys that merely contain $ (not first) are fine', async () => {
      const w = await world();
      const res = await agrees(w, await ext(w, 'PUT', '/state', { data: { price$: 1, list: [{ a$b: 2 }] } }));
      assert.deepEqual(res.data, { price$: 1, list: [{ a$b: 2 }] });
    });
  });

  describe('data.attemptLimits is platform-managed', () => {
    it('PUT or PATCH naming it → 400 reserved_key, nothing changed', async () => {
      const w = await world();
      await ok(await ext(w, 'PUT', '/state', { data: { a: 1 } }));
      const before = await getState(w);
      expectError(await ext(w, 'PUT', '/state', { data: { attemptLimits: {} } }), 400, 'reserved_key');
      expectError(await ext(w, 'PUT', '/state', { data: { a: 2, attemptLimits: { memory_win: { deadline: 1 } } } }), 400, 'reserved_key');
      expectError(await ext(w, 'PATCH', '/state', { data: { attemptLimits: { memory_win: null } } }), 400, 'reserved_key');
      expectError(await ext(w, 'PATCH', '/state', { data: { attemptLimits: null } }), 400, 'reserved_key');
      assert.deepEqual(await getState(w), before);
    });

    it('PUT keeps an existing attemptLimits; PATCH leaves it alone', async () => {
      const w = await world();
      const limits = { memory_win: { attemptId: 'memory-run-123', startedAt: '2026-01-05T12:00:00.000Z', deadline: '2026-01-05T12:05:00.000Z', status: 'active' } };
      await t.db.database.db
        .updateTable('extension_sessions')
        .set({ state: JSON.stringify({ mine: 1, attemptLimits: limits }) })
        .where('id', '=', w.session.id)
        .execute();
      assert.deepEqual((await getState(w)).data, { mine: 1, attemptLimits: limits });
      const put = await agrees(w, await ext(w, 'PUT', '/state', { data: { other: 2 } }));
      assert.deepEqual(put.data, { other: 2, attemptLimits: limits }, 'PUT replaced the extension’s keys but kept attemptLimits');
      const patch = await agrees(w, await ext(w, 'PATCH', '/state', { data: { other: null, third: 3 } }));
      assert.deepEqual(patch.data, { third: 3, attemptLimits: limits });
      const empty = await agrees(w, await ext(w, 'PUT', '/state', { data: {} }));
      assert.deepEqual(empty.data, { attemptLimits: limits });
    });
  });

  describe('ETag and If-Match', () => {
    it('PATCH with the current ETag succeeds and returns a new ETag; a stale one → 412, unchanged', async () => {
      const w = await world();
      const s0 = await getState(w);
      const first = await ext(w, 'PATCH', '/state', { data: { n: 1 } }, { 'if-match': s0.etag });
      await agrees(w, first);
      const e1 = String(first.headers.etag);
      assert.notEqual(e1, s0.etag);
      const before = await getState(w);
      assert.equal(before.etag, e1);
      expectError(await ext(w, 'PATCH', '/state', { data: { n: 2 } }, { 'if-match': s0.etag }), 412, 'precondition_failed');
      expectError(await ext(w, 'PUT', '/state', { data: { n: 3 } }, { 'if-match': s0.etag }), 412, 'precondition_failed');
      expectError(await ext(w, 'PATCH', '/state', { data: { n: 4 } }, { 'if-match': '"not-a-version"' }), 412, 'precondition_failed');
      assert.deepEqual(await getState(w), before);
      // PUT with the current ETag works too, and moves the ETag on.
      const put = await ext(w, 'PUT', '/state', { data: { n: 5 } }, { 'if-match': e1 });
      await agrees(w, put);
      assert.notEqual(String(put.headers.etag), e1);
    });

    it('If-Match: * matches any current state', async () => {
      const w = await world();
      await agrees(w, await ext(w, 'PATCH', '/state', { data: { a: 1 } }, { 'if-match': '*' }));
      const put = await agrees(w, await ext(w, 'PUT', '/state', { data: { b: 2 } }, { 'if-match': '*' }));
      assert.deepEqual(put.data, { b: 2 });
    });

    it('an If-Match list matches when any entry is current', async () => {
      const w = await world();
      const s0 = await getState(w);
      await agrees(w, await ext(w, 'PATCH', '/state', { data: { a: 1 } }, { 'if-match': `"stale", ${s0.etag}` }));
    });
  });

  describe('the body must be {data: object}', () => {
    const bad: Array<[string, unknown]> = [
      ['data is an array', { data: [1, 2] }],
      ['data is a string', { data: 'x' }],
      ['data is null', { data: null }],
      ['data is a number', { data: 1 }],
      ['data is missing', {}],
      ['an extra top-level field', { data: { a: 1 }, extra: true }],
      ['the body is an array', [{ data: {} }]],
    ];
    for (const method of ['PUT', 'PATCH'] as const) {
      for (const [name, body] of bad) {
        it(`${method}: ${name} → 400 invalid_request, nothing changed`, async () => {
          const w = await world();
          await ok(await ext(w, 'PUT', '/state', { data: { a: 0 } }));
          const before = await getState(w);
          expectError(await ext(w, method, '/state', body), 400, 'invalid_request');
          assert.deepEqual(await getState(w), before);
        });
      }
    }
  });

  describe('concurrency: no update is lost', () => {
    it('50 concurrent PATCHes of different keys all land', async () => {
      const w = await world();
      const v0 = (await getState(w)).version;
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ext(w, 'PATCH', '/state', { data: { [`k${i}`]: i } })));
      assert.deepEqual(
        results.map((r) => r.statusCode),
        results.map(() => 200),
        results.filter((r) => r.statusCode !== 200).map((r) => r.body).slice(0, 3).join('\n'),
      );
      const final = await getState(w);
      assert.deepEqual(final.data, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])));
      assert.equal(final.version, v0 + 50, 'one version per PATCH');
      // Each response is a consistent snapshot: it contains its own key, and versions are distinct.
      const versions = new Set(results.map((r) => r.json().version));
      assert.equal(versions.size, 50);
      results.forEach((r, i) => assert.equal(r.json().data[`k${i}`], i));
    });

    it('30 concurrent PATCHes writing distinct nested keys under one object all land', async () => {
      const w = await world();
      await ok(await ext(w, 'PUT', '/state', { data: { obj: { existing: true }, other: 'kept' } }));
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => ext(w, 'PATCH', '/state', { data: { obj: { [`n${i}`]: { value: i } } } })));
      assert.deepEqual(
        results.map((r) => r.statusCode),
        results.map(() => 200),
        results.filter((r) => r.statusCode !== 200).map((r) => r.body).slice(0, 3).join('\n'),
      );
      const final = await getState(w);
      assert.deepEqual(final.data, {
        obj: { existing: true, ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`n${i}`, { value: i }])) },
        other: 'kept',
      });
    });

    it('concurrent If-Match writes with the same ETag: exactly one wins, the rest → 412', async () => {
      const w = await world();
      const s0 = await getState(w);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ext(w, 'PATCH', '/state', { data: { winner: i } }, { 'if-match': s0.etag })));
      const statuses = results.map((r) => r.statusCode).sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 412).length, 9, statuses.join(','));
      const final = await getState(w);
      assert.equal(final.version, s0.version + 1);
      const winner = results.findIndex((r) => r.statusCode === 200);
      assert.deepEqual(final.data, { winner });
    });
  });

  describe('Idempotency-Key', () => {
    it('a repeated PATCH replays the stored response and applies once', async () => {
      const w = await world();
      const v0 = (await getState(w)).version;
      const headers = { 'idempotency-key': 'patch-once-1' };
      const first = await ext(w, 'PATCH', '/state', { data: { counter: 1 } }, headers);
      assert.equal(first.statusCode, 200, first.body);
      assert.notEqual(first.headers['idempotent-replayed'], 'true');
      const second = await ext(w, 'PATCH', '/state', { data: { counter: 1 } }, headers);
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.deepEqual(second.json(), first.json());
      assert.equal(second.headers.etag, first.headers.etag);
      const now = await getState(w);
      assert.equal(now.version, v0 + 1, 'the second PATCH did not run again');
      assert.deepEqual(now.data, { counter: 1 });
    });

    it('a repeated logs/custom POST creates one history entry', async () => {
      const w = await world();
      const wearer = await login(t.app, w.wearer.username, w.wearer.password);
      const customs = async () => (await call(t.app, wearer, 'GET', `/api/locks/${w.lock.id}/history?limit=100`)).json().results.filter((e: { type: string }) => e.type === 'extension_custom');
      assert.equal((await customs()).length, 0);
      const body = { title: 'Won a round', description: 'Memory challenge won', color: '#00ff00' };
      const headers = { 'idempotency-key': 'log-once-1' };
      const first = await ext(w, 'POST', '/logs/custom', body, headers);
      assert.equal(first.statusCode, 201, first.body);
      const second = await ext(w, 'POST', '/logs/custom', body, headers);
      assert.equal(second.statusCode, 201, second.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.deepEqual(second.json(), first.json());
      const entries = await customs();
      assert.equal(entries.length, 1);
      assert.equal(entries[0].id, first.json().id);
      // Without a key, the same body is a second entry.
      assert.equal((await ext(w, 'POST', '/logs/custom', body)).statusCode, 201);
      assert.equal((await customs()).length, 2);
    });

    it('the same key with a different body → 422 idempotency_key_reused, and nothing is applied', async () => {
      const w = await world();
      const headers = { 'idempotency-key': 'reused-1' };
      await ok(await ext(w, 'PATCH', '/state', { data: { a: 1 } }, headers));
      const before = await getState(w);
      expectError(await ext(w, 'PATCH', '/state', { data: { a: 2 } }, headers), 422, 'idempotency_key_reused');
      expectError(await ext(w, 'PUT', '/state', { data: { a: 1 } }, headers), 422, 'idempotency_key_reused');
      assert.deepEqual(await getState(w), before);
    });
  });
});
