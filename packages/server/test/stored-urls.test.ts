import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, expectError, register, snapshot, suiteApp, type Session } from './helpers.js';

/**
 * Only http(s) URLs are stored, anywhere (issue 16 item 8): fixtures, the developer console,
 * profiles (avatars), webhooks. A `javascript:` iframe URL would have the origin "null".
 */
const HOSTILE = ['javascript:alert(document.domain)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'blob:https://example.com/x'];

describe(`stored URLs are http(s) only (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true, rateLimitMultiplier: 100 } });
  let user: Session;
  let appId: string;
  before(async () => {
    user = await register(t.app);
    const app = await call(t.app, user, 'POST', '/api/developer/apps', { slug: 'urls-app', name: 'URLs', iframeUrl: 'https://ext.example/' });
    assert.equal(app.statusCode, 201, app.body);
    appId = app.json().id;
  });

  it('fixtures refuse javascript:, data: and other schemes in iframeUrl, setupUrl and allowedOrigins; nothing is created', async () => {
    const before = await snapshot(t.db.database);
    for (const url of HOSTILE) {
      for (const extension of [{ iframeUrl: url }, { setupUrl: url }, { allowedOrigins: [url] }]) {
        const res = await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: { extension } });
        const body = expectError(res, 400, 'invalid_request');
        assert.match(body.details[0].path, /^\/extension\/(iframeUrl|setupUrl|allowedOrigins)/, `${url}: ${JSON.stringify(body.details)}`);
      }
    }
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('avatars: registration and profile changes refuse non-http(s) URLs', async () => {
    for (const url of HOSTILE) {
      expectError(await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: `u${Math.random().toString(36).slice(2, 10)}`, password: 'correct horse battery', profile: { avatarUrl: url } } }), 400, 'invalid_request');
      expectError(await call(t.app, user, 'PATCH', '/api/me', { profile: { avatarUrl: url } }), 400, 'invalid_request');
    }
    const ok = await call(t.app, user, 'PATCH', '/api/me', { profile: { avatarUrl: 'https://cdn.example/me.png' } });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('the developer console and webhooks refuse them too', async () => {
    for (const url of HOSTILE) {
      for (const body of [{ iframeUrl: url }, { setupUrl: url }, { allowedOrigins: [url] }]) {
        expectError(await call(t.app, user, 'PATCH', `/api/developer/apps/${appId}`, body), 400, 'invalid_request');
        expectError(await call(t.app, user, 'POST', '/api/developer/apps', { slug: `u-${Math.random().toString(36).slice(2, 8)}`, name: 'x', ...body }), 400, 'invalid_request');
      }
      expectError(await call(t.app, user, 'POST', `/api/developer/apps/${appId}/webhooks`, { url }), 400, 'invalid_request');
    }
  });

  it('the services refuse them without the route schemas (defence in depth)', async () => {
    for (const url of HOSTILE) {
      await assert.rejects(t.app.ctx.apps.create(user.userId, { slug: `svc-${Math.random().toString(36).slice(2, 8)}`, name: 'svc', iframeUrl: url }), (e: { code?: string }) => e.code === 'invalid_request');
    }
  });
});
