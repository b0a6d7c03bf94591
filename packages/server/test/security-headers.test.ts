import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TEST_DB, call, fixtureWorld, register, suiteApp } from './helpers.js';

/**
 * Security headers (@fastify/helmet): the UI and the API cannot be framed (`frame-ancestors
 * 'none'`, `X-Frame-Options: DENY`), pages get a strict CSP whose `frame-src` is exactly the
 * registered apps' http(s) origins, read at each page load; `/docs` keeps swagger-ui's CSP but
 * refuses framing too.
 */
const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `))?.slice(name.length + 1).split(' ') ?? null;

describe(`security headers (${TEST_DB})`, () => {
  const t = suiteApp({ config: { dev: true } });
  before(async () => {
    await fixtureWorld(t.app, { extension: { slug: 'csp-a', iframeUrl: 'http://localhost:5555/app/index.html', setupUrl: 'https://setup.example/setup?x=1', allowedOrigins: ['http://localhost:5555', 'https://other.example'] } });
  });

  it('every answer refuses framing and sniffing', async () => {
    for (const url of ['/api/health', '/api/me', '/locks/anything', '/api/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.deepEqual(directive(String(res.headers['content-security-policy']), 'frame-ancestors'), ["'none'"], url);
    }
  });

  it('a page: scripts and styles from self only, frame-src = the registered apps’ origins (new apps at the next load), never "null"', async () => {
    const page = async () => String((await t.app.inject({ method: 'GET', url: '/locks/some-lock' })).headers['content-security-policy']);
    const csp = await page();
    assert.deepEqual(directive(csp, 'script-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'style-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'object-src'), ["'none'"]);
    const frames = directive(csp, 'frame-src')!;
    for (const o of ['http://localhost:5555', 'https://setup.example', 'https://other.example']) assert.ok(frames.includes(o), `${o} in ${frames.join(' ')}`);
    assert.ok(!frames.some((f) => f.includes('/app') || f.includes('?')), 'origins only');

    const dev = await register(t.app);
    assert.equal((await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'csp-b', name: 'B', iframeUrl: 'https://b.example/page' })).statusCode, 201);
    // A row from before URLs were checked: its javascript: page gives no origin ("null" is never allowed).
    await t.db.database.db.updateTable('extension_apps').set({ setup_url: 'javascript:alert(1)', allowed_origins: JSON.stringify(['null', 'data:text/html,x']) }).where('slug', '=', 'csp-b').execute();
    const next = directive(await page(), 'frame-src')!;
    assert.ok(next.includes('https://b.example'), next.join(' '));
    assert.ok(!next.some((f) => f === 'null' || f.startsWith('javascript') || f.startsWith('data')), next.join(' '));
  });

  it('API answers frame nothing', async () => {
    const csp = String((await t.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']);
    assert.deepEqual(directive(csp, 'frame-src'), ["'none'"]);
  });

  it('/docs keeps its own CSP (swagger-ui), with framing refused', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/static/index.html' });
    assert.ok(res.statusCode < 400, String(res.statusCode));
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /frame-ancestors 'self'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });
});
