import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, expectError, register, snapshot, suiteApp, testApp, type Session } from './helpers.js';

/**
 * Every mutation route of the first-party API, fed every kind of bad body. Each must answer a
 * 4xx with the catalog code and change nothing. New routes join by adding a row.
 */
interface RouteRow {
  method: 'POST' | 'PATCH' | 'DELETE';
  url: (ids: Ids) => string;
  auth: boolean;
  /** A field the (closed) schema does not know, added to an otherwise plausible body. */
  closed: boolean;
}
interface Ids {
  lockId: string;
  appId: string;
  endpointId: string;
  deliveryId: string;
}

const ROUTES: RouteRow[] = [
  { method: 'POST', url: () => '/api/auth/register', auth: false, closed: true },
  { method: 'POST', url: () => '/api/auth/login', auth: false, closed: true },
  { method: 'PATCH', url: () => '/api/me', auth: true, closed: true },
  { method: 'POST', url: () => '/api/locks', auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/locks/${i.lockId}/invitation`, auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/locks/${i.lockId}/extensions`, auth: true, closed: true },
  { method: 'POST', url: () => '/api/notifications/read', auth: true, closed: true },
  { method: 'POST', url: () => '/api/dev/fixtures', auth: false, closed: true },
  { method: 'POST', url: () => '/api/dev/clock/advance', auth: false, closed: true },
  { method: 'POST', url: () => '/api/developer/apps', auth: true, closed: true },
  { method: 'PATCH', url: (i) => `/api/developer/apps/${i.appId}`, auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/developer/apps/${i.appId}/webhooks`, auth: true, closed: true },
  { method: 'PATCH', url: (i) => `/api/developer/apps/${i.appId}/webhooks/${i.endpointId}`, auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/developer/apps/${i.appId}/webhooks/${i.endpointId}/rotate-secret`, auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/developer/apps/${i.appId}/webhooks/${i.endpointId}/test`, auth: true, closed: true },
  { method: 'POST', url: (i) => `/api/developer/apps/${i.appId}/webhooks/${i.endpointId}/deliveries/${i.deliveryId}/redeliver`, auth: true, closed: true },
];

const BAD_BODIES: Array<{ name: string; payload: string; contentType: string; status: number; code: string }> = [
  { name: 'malformed JSON', payload: '{"title": ', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'a JSON array', payload: '[1,2,3]', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'a JSON string', payload: '"hello"', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'a JSON number', payload: '42', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'prototype poisoning', payload: '{"__proto__": {"admin": true}}', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'wrong types', payload: '{"username": 5, "password": false, "title": [], "durationSeconds": "10", "accept": "yes", "slug": 1, "ids": "x", "seconds": "60", "showOnlineStatus": "no"}', contentType: 'application/json', status: 400, code: 'invalid_request' },
  { name: 'plain text', payload: 'username=alice', contentType: 'text/plain', status: 415, code: 'unsupported_media_type' },
  { name: 'a form', payload: 'username=alice&password=x', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
];

describe('bad input to every first-party route: a 4xx with the catalog code, nothing changed', () => {
  const t = suiteApp();
  let user: Session;
  let ids: Ids;
  before(async () => {
    user = await register(t.app);
    const lockId = (await call(t.app, user, 'POST', '/api/locks', { title: 'L', durationSeconds: 60 })).json().id;
    const appId = (await call(t.app, user, 'POST', '/api/developer/apps', { slug: 'bad-input-app', name: 'Bad input' })).json().id;
    const endpointId = (await call(t.app, user, 'POST', `/api/developer/apps/${appId}/webhooks`, { url: 'http://127.0.0.1:9/hook' })).json().id;
    const deliveryId = (await call(t.app, user, 'POST', `/api/developer/apps/${appId}/webhooks/${endpointId}/test`)).json().id;
    ids = { lockId, appId, endpointId, deliveryId };
  });

  for (const route of ROUTES) {
    describe(`${route.method} ${route.url({ lockId: ':lockId', appId: ':appId', endpointId: ':endpointId', deliveryId: ':deliveryId' })}`, () => {
      for (const bad of BAD_BODIES) {
        it(`refuses ${bad.name}`, async () => {
          const before = await snapshot(t.db.database);
          const res = await call(t.app, route.auth ? user : null, route.method, route.url(ids), bad.payload, { 'content-type': bad.contentType });
          expectError(res, bad.status, bad.code);
          assert.deepEqual(await snapshot(t.db.database), before);
        });
      }

      it('refuses a body over the documented cap with 413 before reading it all', async () => {
        const before = await snapshot(t.db.database);
        const huge = JSON.stringify({ title: 'x'.repeat(t.config.bodyLimit + 10) });
        const res = await call(t.app, route.auth ? user : null, route.method, route.url(ids), huge, { 'content-type': 'application/json' });
        expectError(res, 413, 'payload_too_large');
        assert.deepEqual(await snapshot(t.db.database), before);
      });

      if (route.closed) {
        it('refuses unknown fields and names them', async () => {
          const before = await snapshot(t.db.database);
          const res = await call(t.app, route.auth ? user : null, route.method, route.url(ids), { surpriseField: 1 });
          const body = expectError(res, 400, 'invalid_request');
          assert.ok(
            JSON.stringify(body.details).includes('surpriseField'),
            `details should name the unknown field: ${JSON.stringify(body.details)}`,
          );
          assert.deepEqual(await snapshot(t.db.database), before);
        });
      }
    });
  }

  it('treats an empty JSON body and a missing body as {}', async () => {
    const res = await call(t.app, user, 'POST', '/api/notifications/read', '', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 200, res.body);
    const noBody = await call(t.app, user, 'POST', '/api/notifications/read');
    assert.equal(noBody.statusCode, 200, noBody.body);
    // A GET that says it sends JSON but sends nothing is fine too.
    const get = await call(t.app, user, 'GET', '/api/me', undefined, { 'content-type': 'application/json' });
    assert.equal(get.statusCode, 200);
    // `{}` where fields are required is a validation error, not a crash.
    expectError(await call(t.app, null, 'POST', '/api/auth/register'), 400, 'invalid_request');
  });

  it('validation details say where and what', async () => {
    const res = await call(t.app, user, 'POST', '/api/locks', { title: '', durationSeconds: -5 });
    const body = expectError(res, 400, 'invalid_request');
    assert.deepEqual(body.error, { code: 'invalid_request', message: body.message });
    const paths = (body.details as Array<{ in: string; path: string }>).map((d) => `${d.in}${d.path}`);
    assert.ok(paths.includes('body/title'), paths.join(','));
    assert.ok(paths.includes('body/durationSeconds'), paths.join(','));
  });

  it('answers unknown routes with 404 not_found, and every response carries x-request-id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    const body = expectError(res, 404, 'not_found');
    assert.match(body.requestId, /^req_[0-9a-f]{24}$/);
    const appsApi = await t.app.inject({ method: 'GET', url: '/api/apps/v1/nothing-here' });
    const appsBody = expectError(appsApi, 404, 'not_found');
    assert.equal(appsBody.error, 'not_found', '/api/apps/v1 bodies carry the code string in `error`');
    const ok = await t.app.inject({ method: 'GET', url: '/api/health' });
    assert.match(String(ok.headers['x-request-id']), /^req_/);
  });

  it('a path parameter over 200 characters or a malformed URL, on any route: a 4xx in the catalog shape, nothing changed', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const withParams = Object.entries(doc.paths).filter(([path]) => path.includes('{'));
    assert.ok(withParams.length > 30, `routes with path parameters: ${withParams.length}`);
    const before = await snapshot(t.db.database);
    const seen = new Set<string>();
    for (const [path, ops] of withParams) {
      for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
        for (const bad of ['a'.repeat(201), 'a'.repeat(3000), '%zz']) {
          const url = path.replace(/\{[^}]+\}/g, bad);
          const res = await call(t.app, user, method.toUpperCase() as 'GET', url, method === 'get' || method === 'delete' ? undefined : {});
          // The router refuses it (400) or finds no route for it (404); either way a catalog answer.
          const code = bad === '%zz' ? 'invalid_request' : res.statusCode === 404 ? 'not_found' : 'invalid_request';
          const body = expectError(res, bad === '%zz' ? 400 : res.statusCode === 404 ? 404 : 400, code);
          assert.match(String(res.headers['x-request-id']), /^req_/);
          assert.doesNotMatch(res.body, /FST_/, `${method} ${path}`);
          seen.add(`${res.statusCode} ${body.message.replace(/a{10,}/g, 'a…').replace(/\/api\S*/, '<url>')}`);
        }
      }
    }
    assert.ok([...seen].some((m) => /^400 A path parameter is longer than 200 characters/.test(m)), [...seen].join('\n'));
    assert.ok([...seen].some((m) => /^400 The URL is not valid/.test(m)), [...seen].join('\n'));
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('echoes a well-formed caller request id and replaces a malformed one', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'trace-1234' } });
    assert.equal(mine.headers['x-request-id'], 'trace-1234');
    const evil = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id\u0000with spaces' } });
    assert.match(String(evil.headers['x-request-id']), /^req_/);
  });

  it('never leaks a stack trace on an internal error', async () => {
    const broken = await testApp();
    try {
      await broken.app.ctx.accounts; // the app is ready; now pull the database out from under it
      await broken.db.database.close();
      const res = await broken.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone', password: 'whatever pw' } });
      const body = expectError(res, 500, 'internal_error');
      assert.ok(!/at .*\.ts:\d+/.test(res.body), 'no stack in the body');
      assert.ok(!res.body.includes('Kysely') && !res.body.includes('driver'), res.body);
      assert.equal(typeof body.requestId, 'string');
    } finally {
      await broken.app.close();
      await broken.db.destroy();
    }
  });
});
