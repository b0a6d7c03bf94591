import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, fixtureWorld, signedInPage, startPlatform, type Platform, type World } from './harness.js';

/**
 * The web UI's security headers in real Chromium (issue 16 item 3): a strict CSP (scripts and
 * styles from the platform's origin, `frame-src` = the registered apps' origins,
 * `frame-ancestors 'none'`) and `X-Frame-Options: DENY`. The UI, an extension iframe from a
 * registered origin and `/docs` run under it with no violation; anything else is refused.
 */
const skip = browserSkipReason();

type Violation = { directive: string; blocked: string };
/* eslint-disable @typescript-eslint/no-explicit-any */

describe('content security policy (Chromium)', { skip }, () => {
  let p: Platform;
  let w: World;
  before(async () => {
    p = await startPlatform();
    w = await fixtureWorld(p, {
      extension: { slug: 'csp-test', name: 'CSP test', iframeUrl: `${p.extOrigin}/index.html`, allowedOrigins: [p.extOrigin] },
      lock: { keyholder: true, durationSeconds: 3600 },
    });
  });
  after(() => p?.close());

  /** A signed-in page that records every CSP violation its documents report. */
  async function watched(): Promise<{ context: BrowserContext; page: Page; violations(): Promise<Violation[]> }> {
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    await context.addInitScript(() => {
      (window as any).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
    });
    return { context, page, violations: () => page.evaluate(() => (window as any).__csp as Violation[]) };
  }

  it('the UI and an extension iframe from its registered origin run with no violation; the page carries the policy', async () => {
    const { context, page, violations } = await watched();
    const res = await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(csp.includes(`frame-src ${p.extOrigin}`) || new RegExp(`frame-src [^;]*${p.extOrigin.replace(/[.:/]/g, '\\$&')}`).test(csp), csp);
    assert.equal(res!.headers()['x-frame-options'], 'DENY');
    const frame = (await (await page.waitForSelector('[data-testid="extension-iframe"]')).contentFrame())!;
    await frame.waitForFunction(() => (window as any).ext?.launch != null);
    assert.equal((await frame.evaluate(() => (window as any).ext.request('session.get', {}))).ok, true);
    assert.deepEqual(await violations(), []);
    await context.close();
  });

  it('an iframe from an unregistered origin and an injected inline script are refused', async () => {
    const { context, page } = await watched();
    await page.goto(`/locks/${w.lock.id}`);
    await page.waitForSelector('#root *');
    const framed = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
          const iframe = document.createElement('iframe');
          iframe.src = src;
          document.body.append(iframe);
          // Reached only if the frame loaded without a violation (no CSP).
          iframe.addEventListener('load', () => setTimeout(() => resolve('loaded'), 1000));
        }),
      `${p.rogueOrigin}/index.html`,
    );
    assert.equal(framed, 'frame-src');
    const script = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true; document.dispatchEvent(new Event("inline-ran"));';
          document.addEventListener('inline-ran', () => resolve('ran'));
          document.body.append(s);
        }),
    );
    assert.equal(script, 'script-src-elem');
    assert.equal(await page.evaluate(() => (window as any).__inlineRan), undefined);
    await context.close();
  });

  it('the UI cannot be framed by another site (frame-ancestors / X-Frame-Options)', async () => {
    const context = await p.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${p.extOrigin}/index.html`);
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const iframe = document.createElement('iframe');
          iframe.id = 'victim';
          iframe.addEventListener('load', () => resolve());
          iframe.src = src;
          document.body.append(iframe);
        }),
      `${p.baseUrl}/`,
    );
    const victim = await (await page.$('#victim'))!.contentFrame();
    assert.ok(victim, 'the iframe element has a frame');
    assert.ok(!victim.url().startsWith(p.baseUrl), `the UI did not load in the frame (${victim.url()})`);
    assert.equal(await victim.evaluate(() => document.getElementById('root')).catch(() => null), null);
    await context.close();
  });

  it('/docs (swagger UI) renders under its own CSP with no violation, and cannot be framed either', async () => {
    const { context, page, violations } = await watched();
    const res = await page.goto('/docs');
    await page.waitForSelector('.swagger-ui .info .title');
    await page.waitForSelector('.swagger-ui .opblock');
    // swagger-ui's own CSP (its static hashes) refuses one <style> its bundle inserts at run time;
    // that was so before latch's headers and the page renders without it. Nothing else is refused.
    assert.deepEqual((await violations()).filter((v) => !(v.directive === 'style-src-elem' && v.blocked === 'inline')), []);
    const docs = await context.request.get('/docs/static/index.html');
    assert.match(docs.headers()['content-security-policy'] ?? res!.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(res!.headers()['x-frame-options'], 'DENY');
    await context.close();
  });
});
