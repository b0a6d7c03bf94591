import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { fixtureWorld, signedInPage, startPlatform, type Platform, type World } from '../../../e2e/harness.js';
import { WEB_DIST } from '../../server/src/http/web.js';
import { browserSkipReason, buildSdk, FIXTURES, staticServer } from './browser.js';

/**
 * The built SDK inside latch's real extension host (the web UI's BridgeHost, the real API):
 * reads answer with real data, mutations are refused with `server_credentials_required`,
 * auto-resize sizes the iframe, theme switches arrive, a home action yields its intent.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Win = any;

function skipReason(): string | false {
  const noBrowser = browserSkipReason();
  if (noBrowser) return noBrowser;
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) return false;
  if (process.env.REQUIRE_ALL === '1') throw new Error('REQUIRE_ALL=1 and the web app is not built (npm run build:web)');
  return 'the web app is not built (npm run build:web)';
}

describe('@latch/bridge inside latch’s extension host (Chromium)', { skip: skipReason() }, () => {
  let p: Platform;
  let w: World;
  let dist: string;
  let sdkSite: Awaited<ReturnType<typeof staticServer>>;

  before(async () => {
    dist = buildSdk();
    sdkSite = await staticServer({ '/dist/': dist, '/': FIXTURES }, 'localhost');
    p = await startPlatform();
    w = await fixtureWorld(p, {
      extension: { slug: 'sdk-test', name: 'SDK test', iframeUrl: `${sdkSite.origin}/ext.html`, allowedOrigins: [sdkSite.origin] },
      lock: { keyholder: true, durationSeconds: 3600 },
    });
  });
  after(async () => {
    await p?.close();
    await sdkSite?.close();
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
  });

  async function openExtension(query = ''): Promise<{ page: Page; frame: Frame; close(): Promise<void> }> {
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}${query}`);
    const frame = (await (await page.waitForSelector('[data-testid="extension-iframe"]')).contentFrame())!;
    await frame.waitForFunction(() => (window as Win).sdkReady === true);
    return { page, frame, close: () => context.close() };
  }

  it('reads through the host, mutations refused, the launch cleared from the address', async () => {
    const { frame, close } = await openExtension();
    const out = await frame.evaluate(async () => {
      const { createBridge } = (window as Win).sdk;
      const bridge = createBridge();
      const refused = await bridge.request('state.put', { data: { a: 1 } }).catch((e: any) => ({ code: e.code, message: e.message, id: e.id }));
      const unknown = await bridge.request('lock.explode').catch((e: any) => e.code);
      return {
        hash: location.hash,
        launch: bridge.launch,
        session: await bridge.session.get(),
        state: await bridge.state.get(),
        metadata: await bridge.metadata.get(),
        regularActions: await bridge.regularActions.get(),
        capabilities: await bridge.files.capabilities(),
        files: await bridge.files.list(),
        missingFile: await bridge.files.get('0123456789abcdef01234567').catch((e: any) => e.code),
        refused,
        unknown,
      };
    });
    assert.equal(out.hash, '');
    assert.match(out.launch.mainToken, /^mt_/);
    assert.equal(out.launch.bridge.parentOrigin, p.baseUrl);
    assert.equal(out.session.sessionId, w.session.id);
    assert.equal(out.session.lockData.lockTitle, 'Sandbox lock');
    assert.deepEqual(out.state.data, {});
    assert.deepEqual(out.metadata.unlockBlockers, []);
    assert.equal(out.regularActions.mode, 'unlimited');
    assert.equal(out.capabilities.canUpload, false, 'a launch token alone never uploads');
    assert.equal(out.files.count, 0);
    assert.equal(out.missingFile, 'not_found');
    assert.equal(out.refused.code, 'server_credentials_required');
    assert.match(out.refused.message, /PUT \/api\/extensions\/sessions\/:sessionId\/state/);
    assert.match(out.refused.id, /^req-/);
    assert.equal(out.unknown, 'unknown_action');
    await close();
  });

  it('auto-resize sizes the host’s iframe; a theme switch reaches the page', async () => {
    const { page, frame, close } = await openExtension();
    const iframeHeight = () => page.evaluate(() => Math.round((document.querySelector('[data-testid="extension-iframe"]') as HTMLElement).getBoundingClientRect().height));
    await frame.evaluate(() => {
      const bridge = (window as Win).sdk.createBridge();
      (window as Win).bridge = bridge;
      (document.getElementById('content') as HTMLElement).style.height = '700px';
    });
    await page.waitForFunction(() => Math.round((document.querySelector('[data-testid="extension-iframe"]') as HTMLElement).getBoundingClientRect().height) === 716);
    await frame.evaluate(() => ((document.getElementById('content') as HTMLElement).style.height = '300px'));
    await page.waitForFunction(() => Math.round((document.querySelector('[data-testid="extension-iframe"]') as HTMLElement).getBoundingClientRect().height) === 316);
    assert.equal(await iframeHeight(), 316);

    const before = await frame.evaluate(() => (window as Win).bridge.ui.isDark);
    await page.click('[data-testid="theme-toggle"]');
    await frame.waitForFunction((b) => (window as Win).bridge.ui.isDark === !b, before);
    const applied = await frame.evaluate(() => ({ attr: document.documentElement.getAttribute('data-chastify-theme'), bg: getComputedStyle(document.documentElement).getPropertyValue('--chastify-bg'), ui: (window as Win).bridge.ui }));
    assert.equal(applied.attr, applied.ui.isDark ? 'dark' : 'light');
    assert.equal(applied.bg, applied.ui.bg);
    await close();
  });

  it('a home action opens the page with its intent, handled once', async () => {
    const res = await p.app.inject({
      method: 'PATCH',
      url: `/api/extensions/sessions/${w.session.id}/metadata`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder! },
      payload: { homeActions: [{ slug: 'tasks', title: 'Tasks', description: 'Open tasks panel', intent: { type: 'open_panel', payload: { panel: 'regular-actions' } } }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const { frame, close } = await openExtension('?action=tasks');
    const out = await frame.evaluate(() => {
      const { createBridge, takeHomeActionIntent } = (window as Win).sdk;
      const bridge = createBridge();
      return [takeHomeActionIntent(bridge.launch), takeHomeActionIntent(bridge.launch)];
    });
    assert.equal(out[0].homeActionSlug, 'tasks');
    assert.equal(out[0].homeAction.title, 'Tasks');
    assert.deepEqual(out[0].intent, { type: 'open_panel', title: 'Tasks', message: 'Open tasks panel', payload: { panel: 'regular-actions' } });
    assert.equal(out[1], null);
    await close();
  });
});
