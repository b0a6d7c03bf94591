import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, fixtureWorld, login, suiteApp, type Session } from './helpers.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';

/**
 * Every operation in the OpenAPI document, fed malformed bodies, odd path parameters and every
 * kind of credential: nothing answers 5xx. Bad input is the caller's mistake and gets a 4xx
 * with a catalog code (DEVELOPERS.md: "A 500 on bad input is a bug"). Routes join by being
 * documented, so a new route is covered the day it is added.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BAD_BODIES: Array<[string, string | undefined, string]> = [
  ['no body', undefined, 'application/json'],
  ['null', 'null', 'application/json'],
  ['an array', '[1,2,3]', 'application/json'],
  ['a string', '"hello"', 'application/json'],
  ['a number', '42', 'application/json'],
  ['an empty object', '{}', 'application/json'],
  ['unknown fields', '{"zzz": 1, "__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}', 'application/json'],
  ['wrong types everywhere', JSON.stringify({ name: 1, params: 'x', data: [], config: 'nope', metric: {}, attemptId: [], title: null, slug: 7, granted: 'yes', payload: 'p', mode: 3, status: 9, limit: -1, extensions: {}, durationSeconds: 'long' }), 'application/json'],
  ['deep nesting', '{"data":' + '{"a":'.repeat(200) + '1' + '}'.repeat(200) + '}', 'application/json'],
  ['4,200-deep objects', '{"data":' + '{"a":'.repeat(4_200) + '1' + '}'.repeat(4_200) + '}', 'application/json'],
  ['10,000-deep objects', '{"data":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}', 'application/json'],
  ['10,000-deep arrays', '['.repeat(10_000) + ']'.repeat(10_000), 'application/json'],
  ['truncated JSON', '{"data": {"a": ', 'application/json'],
  ['form-encoded', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['text', 'plain words', 'text/plain'],
];

const ODD_IDS = ['000000000000000000000000', 'not-an-id', '%00', 'ffffffffffffffffffffffff'];

/**
 * A body that passes the operation's own schema, at its edges: `min` (required fields only,
 * lower bounds, empty strings and arrays) or `max` (every field, upper bounds, longest strings of
 * two-byte characters, full arrays). Schema validation lets these through, so they reach the
 * handlers, where bounds turn into arithmetic, queries and bytes.
 */
function edgeValue(schema: Json | undefined, mode: 'min' | 'max', doc: Json, depth = 0): unknown {
  if (!schema || depth > 8) return mode === 'min' ? 0 : { a: [1, 'x', null] };
  if (schema.$ref) return edgeValue(doc.components?.schemas?.[String(schema.$ref).split('/').pop()!], mode, doc, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return mode === 'min' ? schema.enum[0] : schema.enum[schema.enum.length - 1];
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    const usable = branches.filter((b: Json) => b.type !== 'null');
    const pick = usable.length ? usable : branches;
    return edgeValue(mode === 'min' ? pick[0] : pick[pick.length - 1], mode, doc, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: Json) => edgeValue(s, mode, doc, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return mode === 'min' ? '1970-01-01T00:00:00.000Z' : '9999-12-31T23:59:59.999Z';
      if (schema.format === 'uri') return mode === 'min' ? 'http://a' : `https://${'a'.repeat(60)}.example/${'p'.repeat(Math.max(0, Math.min(schema.maxLength ?? 2000, 2000) - 100))}`;
      if (typeof schema.pattern === 'string' && /0-9a-f/.test(schema.pattern) && /24/.test(schema.pattern)) return mode === 'min' ? '0'.repeat(24) : 'f'.repeat(24);
      const n = mode === 'min' ? (schema.minLength ?? 0) : Math.min(schema.maxLength ?? 4096, 100_000);
      return (mode === 'min' ? 'a' : 'é').repeat(n);
    }
    case 'integer':
    case 'number': {
      if (mode === 'min') return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1);
      return schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return mode === 'max';
    case 'array': {
      const n = mode === 'min' ? (schema.minItems ?? 0) : Math.min(schema.maxItems ?? 20, 50);
      return Array.from({ length: n }, () => edgeValue(schema.items, mode, doc, depth + 1));
    }
    case 'object':
    default: {
      if (type !== 'object' && !schema.properties) return mode === 'min' ? 0 : { a: [1, 'x', null] };
      const out: Json = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [k, v] of Object.entries((schema.properties ?? {}) as Json)) {
        if (mode === 'max' || required.has(k)) out[k] = edgeValue(v as Json, mode, doc, depth + 1);
      }
      if (mode === 'max' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        for (let i = 0; i < 5; i++) out[`key${i}`] = edgeValue(schema.additionalProperties, mode, doc, depth + 1);
      }
      return out;
    }
  }
}

/** What `edgeValue` puts where a schema allows any JSON: the spots a deep value goes in. */
const FREE_FORM = JSON.stringify({ a: [1, 'x', null] });
const nestedText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe(`no 5xx on bad input, across the documented API (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 1000 } });
  let w: World;
  let kh: Session;
  let we: Session;
  let dev: Session;
  let paths: Json;

  before(async () => {
    w = await fixtureWorld(t.app, {});
    kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    we = await login(t.app, w.wearer.username, w.wearer.password);
    dev = await login(t.app, w.developer.username, w.developer.password);
    paths = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths;
    // An event stream answers 200 and stays open: not a route that reads input.
    delete paths['/api/events'];
    delete paths['/api/locks/{lockId}/events'];
  });

  /** The world's real ids for path parameters, so a bad body reaches the handler's checks. */
  function realParam(name: string): string {
    const known: Record<string, string> = { lockId: w.lock.id, sessionId: w.session.id, appId: w.app.id, slug: w.app.slug };
    return known[name] ?? '000000000000000000000000';
  }
  const fill = (path: string, value: (name: string) => string) => path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(value(n)));

  function credentialSets(path: string): Array<[string, Record<string, string>]> {
    const cookie = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    const sets: Array<[string, Record<string, string>]> = [
      ['anonymous', {}],
      ['keyholder cookie', cookie(kh)],
      ['wearer cookie', cookie(we)],
      ['developer cookie', cookie(dev)],
    ];
    if (path.startsWith('/api/extensions')) {
      sets.push(['app key + main token', { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder! }]);
      sets.push(['main token alone', { 'x-chastify-main-token': w.mainTokens.wearer }]);
    }
    if (path.startsWith('/api/apps/v1')) sets.push(['user-wide key', { authorization: `Bearer ${w.wearer.userKey}` }]);
    return sets;
  }

  it('malformed bodies on every operation with a body, as every kind of caller', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const [path, ops] of Object.entries(paths)) {
      for (const method of Object.keys(ops as Json).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))) {
        for (const [who, headers] of credentialSets(path)) {
          for (const [what, body, type] of BAD_BODIES) {
            const res = await t.app.inject({
              method: method.toUpperCase() as 'POST',
              url: fill(path, realParam),
              headers: { ...headers, ...(body === undefined ? {} : { 'content-type': type }) },
              ...(body === undefined ? {} : { payload: body }),
            });
            calls++;
            if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${path} as ${who} with ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            else if (res.statusCode >= 400 && typeof res.json().code !== 'string') failures.push(`${method.toUpperCase()} ${path} as ${who} with ${what}: ${res.statusCode} without a catalog code: ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    assert.ok(calls > 1000, `only ${calls} calls: the document lost its routes?`);
    assert.deepEqual(failures, []);
    assert.equal(({} as Json).polluted, undefined, 'no prototype pollution');
  });

  it('odd path parameters and query strings on every operation', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const [path, ops] of Object.entries(paths)) {
      if (!path.includes('{') && !Object.keys(ops as Json).includes('get')) continue;
      for (const method of Object.keys(ops as Json)) {
        for (const [who, headers] of credentialSets(path)) {
          for (const odd of ODD_IDS) {
            const url = fill(path, () => odd) + '?limit=-5&before=zz&status=nope&unread=maybe&paginationLastId=%00';
            const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { ...headers, ...(method === 'get' || method === 'delete' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'get' || method === 'delete' ? {} : { payload: '{}' }) });
            calls++;
            if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${url} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    assert.ok(calls > 500, `only ${calls} calls`);
    assert.deepEqual(failures, []);
  });
  // (Before the edge bodies: their sandbox clock jump ends every main token.)
  it('deep values (40, 4,200 and 10,000 levels) in every free-form field of every body: a 4xx with a catalog code', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const failures: string[] = [];
    let placed = 0;
    for (const [path, o] of Object.entries(paths)) {
      if (path.startsWith('/api/dev/clock') || path === '/api/auth/logout') continue;
      for (const [method, op] of Object.entries(o as Json).filter(([m]) => ['post', 'put', 'patch'].includes(m))) {
        const schema = (op as Json).requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const text = JSON.stringify(edgeValue(schema, 'max', doc));
        if (!text.includes(FREE_FORM)) continue;
        for (const levels of [40, 4_200, 10_000]) {
          const body = text.split(FREE_FORM).join(nestedText(levels));
          for (const [who, headers] of credentialSets(path).filter(([w]) => w !== 'anonymous' && w !== 'main token alone')) {
            const res = await t.app.inject({ method: method.toUpperCase() as 'POST', url: fill(path, realParam), headers: { ...headers, 'content-type': 'application/json' }, payload: body });
            placed++;
            if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${path} as ${who}, ${levels} levels: ${res.statusCode} ${res.body.slice(0, 300)}`);
            else if (res.statusCode >= 400 && typeof res.json().code !== 'string') failures.push(`${method.toUpperCase()} ${path} as ${who}, ${levels} levels: ${res.statusCode} without a catalog code`);
          }
        }
      }
    }
    assert.ok(placed > 50, `only ${placed} calls carried a deep value: the schemas lost their free-form fields?`);
    assert.deepEqual(failures, []);
  });

  it('bodies at the edges of each schema reach the handlers, on every operation: no 5xx', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ops = Object.entries(paths)
      .flatMap(([path, o]) => Object.entries(o as Json).filter(([m]) => ['post', 'put', 'patch', 'delete'].includes(m)).map(([method, op]) => ({ path, method, op: op as Json })))
      // Signing out, and the sandbox clock (a jump of years ends every token), go last; deletions before them.
      .filter(({ path }) => path !== '/api/auth/logout')
      .sort((a, b) => rank(a) - rank(b));
    function rank(o: { path: string; method: string }) {
      return o.path.startsWith('/api/dev/clock') ? 2 : o.method === 'delete' ? 1 : 0;
    }
    const failures: string[] = [];
    let reachedHandlers = 0;
    for (const { path, method, op } of ops) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      for (const mode of ['min', 'max'] as const) {
        const body = schema ? edgeValue(schema, mode, doc) : undefined;
        for (const [who, headers] of credentialSets(path).filter(([w]) => w !== 'anonymous' && w !== 'main token alone')) {
          const res = await t.app.inject({
            method: method.toUpperCase() as 'POST',
            url: fill(path, realParam),
            headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
          });
          if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${path} as ${who}, ${mode} body ${JSON.stringify(body).slice(0, 200)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          else if (!(res.statusCode === 400 && res.json().code === 'invalid_request')) reachedHandlers++;
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(reachedHandlers > 100, `only ${reachedHandlers} calls got past validation: the edge bodies do not fit the schemas`);
  });
});
