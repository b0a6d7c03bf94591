import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { ERROR_CATALOG } from '@latch/protocol';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIST } from '../src/http/web.js';
import { suiteApp } from './helpers.js';

describe('OpenAPI document and rendered docs', () => {
  const t = suiteApp({ config: { dev: true } });

  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const result = await validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify((result as { errors?: unknown }).errors));
  });

  it('documents every API route with its declared error codes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries<Record<string, unknown>>(doc.paths)) for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${p}`);
    for (const route of [
      'POST /api/auth/register',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/me',
      'PATCH /api/me',
      'POST /api/locks',
      'GET /api/locks',
      'GET /api/locks/{lockId}',
      'POST /api/locks/{lockId}/invitation',
      'POST /api/locks/{lockId}/extensions',
      'DELETE /api/locks/{lockId}/extensions/{slug}',
      'GET /api/locks/{lockId}/history',
      'GET /api/notifications',
      'POST /api/notifications/read',
      'GET /api/extensions',
      'GET /api/health',
      'POST /api/dev/fixtures',
      'POST /api/dev/clock/advance',
    ]) {
      assert.ok(documented.has(route), `${route} is documented`);
    }
    const login = doc.paths['/api/auth/login'].post;
    assert.match(login.responses['401'].description, /invalid_login/);
    assert.ok(doc.components.schemas.ErrorBody, 'shared error body component');
    // Every code an error response documents is in the catalog.
    let checked = 0;
    for (const ops of Object.values<Record<string, { responses?: Record<string, { description?: string }> }>>(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const [status, r] of Object.entries(op.responses ?? {})) {
          if (Number(status) < 400) continue;
          for (const m of (r.description ?? '').matchAll(/`([a-z_]+)`: /g)) {
            assert.ok(m[1]! in ERROR_CATALOG, `${m[1]} (HTTP ${status}) is in the catalog`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 50, `checked ${checked} documented codes`);
  });

  it('renders the docs at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /swagger/i);
    // `/` is the web app when it is built (npm test builds it), else a pointer to the docs.
    const root = await t.app.inject({ method: 'GET', url: '/' });
    if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      assert.equal(root.statusCode, 200);
      assert.match(String(root.headers['content-type']), /text\/html/);
      // Client-side routes get the app too; unknown API paths stay JSON 404s.
      const page = await t.app.inject({ method: 'GET', url: '/locks/new', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<div id="root">/);
      const api = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { accept: 'text/html' } });
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().code, 'not_found');
    } else {
      assert.equal(root.statusCode, 302);
      assert.equal(root.headers.location, '/docs');
    }
  });
});
