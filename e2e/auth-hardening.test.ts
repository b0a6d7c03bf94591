import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { browserSkipReason, fixtureWorld, signedInPage, startPlatform, type Platform, type World } from './harness.js';

/**
 * Issue 16 in the browser: the lock page's "Approve new permissions" control (item 11), and the
 * extension host opening an extension with the rotating POST (item 10).
 */
const skip = browserSkipReason();
const tid = (id: string) => `[data-testid="${id}"]`;

describe('auth hardening in the web UI (Chromium)', { skip }, () => {
  let p: Platform;
  let w: World & { developer: { username: string; password: string } };
  const slug = `scopes-${randomBytes(4).toString('hex')}`;
  const contexts: BrowserContext[] = [];

  before(async () => {
    p = await startPlatform();
    w = (await fixtureWorld(p, {
      extension: { slug, name: 'Scope test', iframeUrl: `${p.extOrigin}/index.html`, allowedOrigins: [p.extOrigin], scopes: ['state:write'] },
      // A self-lock: the wearer controls its extensions.
      lock: { keyholder: false, durationSeconds: 3 * 86400 },
    })) as typeof w;
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await p?.close();
  });

  const addTime = (token: string) =>
    p.app.inject({ method: 'POST', url: `/api/extensions/sessions/${w.session.id}/action`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': token }, payload: { name: 'add_time', params: 60 } });

  it('a scope the developer adds is shown on the lock page and applies once the controller approves it there', async () => {
    const dev = await signedInPage(p, w.developer.username, w.developer.password);
    contexts.push(dev.context);
    const me = await (await dev.context.request.get('/api/me')).json();
    const patched = await dev.context.request.patch(`/api/developer/apps/${w.app.id}`, { data: { scopes: ['state:write', 'locks:write'] }, headers: { 'x-csrf-token': me.csrfToken } });
    assert.equal(patched.status(), 200, await patched.text());
    assert.equal((await addTime(w.mainTokens.wearer)).statusCode, 403, 'not approved yet');

    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    contexts.push(context);
    await page.goto(`/locks/${w.lock.id}`);
    const pending = await page.waitForSelector(tid(`pending-scopes-${slug}`));
    assert.match((await pending.textContent()) ?? '', /locks:write/);
    await page.click(tid(`approve-scopes-${slug}`));
    await page.waitForSelector(`${tid('status-message')}:has-text("Scope test may now use its new permissions.")`);
    await page.waitForSelector(tid(`pending-scopes-${slug}`), { state: 'detached' });
    const lock = await (await context.request.get(`/api/locks/${w.lock.id}`)).json();
    assert.deepEqual(lock.extensions[0].pendingScopes, []);
    assert.equal((await addTime(w.mainTokens.wearer)).statusCode, 200, 'approved: the scope applies');
  });

  it('opening an extension rotates its main token with POST (the fixture’s earlier token stops working)', async () => {
    const before = await p.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { 'x-chastify-main-token': w.mainTokens.wearer } });
    assert.equal(before.statusCode, 200);
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    contexts.push(context);
    const launched = page.waitForResponse((r) => r.url().includes(`/extensions/${w.session.id}/launch`));
    await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}`);
    const res = await launched;
    assert.equal(res.request().method(), 'POST');
    assert.equal(res.status(), 200);
    const frame = (await (await page.waitForSelector(tid('extension-iframe'))).contentFrame())!;
    await frame.waitForFunction(() => (window as any).ext?.launch != null);
    const after = await p.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { 'x-chastify-main-token': w.mainTokens.wearer } });
    assert.equal(after.statusCode, 401);
  });
});
