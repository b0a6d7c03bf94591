import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { browserSkipReason, buildSdk, FIXTURES, launchBrowser, staticServer } from './browser.js';

/**
 * The built SDK (ESM from dist, as published) in real Chromium, inside an iframe of a fake host
 * on another origin: launch parsing and hash removal, requests and their answers, errors,
 * timeouts, forged answers, auto-resize, theme, setup pages. The fake host speaks the protocol
 * of spec 000/002 and DECISIONS §9, like latch's and Chastify's hosts.
 */
const skip = browserSkipReason();
/* eslint-disable @typescript-eslint/no-explicit-any */
type Win = any;

const NONCE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SESSION_ID = '6740f0a1c2d3e4f5a6b7c8d9';
const LOCK_ID = '6740f0a1c2d3e4f5a6b7c8da';
const SESSION = { sessionId: SESSION_ID, lockId: LOCK_ID, role: 'wearer', lockData: { lockTitle: 'Weekend', frozen: false } };

describe('@latch/bridge in Chromium with a fake host', { skip }, () => {
  let browser: Browser;
  let dist: string;
  let host: Awaited<ReturnType<typeof staticServer>>;
  let ext: Awaited<ReturnType<typeof staticServer>>;
  let rogue: Awaited<ReturnType<typeof staticServer>>;

  before(async () => {
    dist = buildSdk();
    host = await staticServer({ '/': FIXTURES }, '127.0.0.1');
    ext = await staticServer({ '/dist/': dist, '/': FIXTURES }, 'localhost');
    rogue = await staticServer({ '/dist/': dist, '/': FIXTURES }, 'localhost');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([host?.close(), ext?.close(), rogue?.close()]);
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
  });

  function payload(extra: Record<string, unknown> = {}) {
    return {
      bridge: { v: 1, nonce: NONCE, parentOrigin: host.origin },
      sessionId: SESSION_ID,
      lockId: LOCK_ID,
      role: 'wearer',
      ui: { isDark: false, theme: 'light', bg: '#ffffff', text: '#111827', border: '#d1d5db' },
      mainToken: 'mt_test',
      ...extra,
    };
  }

  async function open(opts: { payload?: Record<string, unknown>; page?: string; answers?: Record<string, unknown> } = {}): Promise<{ page: Page; frame: Frame; close(): Promise<void> }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.origin}/host.html`);
    await page.evaluate((answers) => Object.assign((window as Win).host.answers, answers), opts.answers ?? { 'session.get': { ok: true, data: SESSION } });
    const src = `${ext.origin}${opts.page ?? '/ext.html?from=test'}#${encodeURIComponent(JSON.stringify(opts.payload ?? payload()))}`;
    await page.evaluate(([s, o]) => (window as Win).host.open(s, o), [src, ext.origin] as const);
    const frame = page.frames().find((f) => f.url().startsWith(ext.origin))!;
    await frame.waitForFunction(() => (window as Win).sdkReady === true);
    return { page, frame, close: () => context.close() };
  }

  const received = (page: Page) => page.evaluate(() => (window as Win).host.received) as Promise<Array<{ origin: string; data: any }>>;

  it('reads the launch, removes it from the address bar and answers session.get', async () => {
    const { page, frame, close } = await open();
    const out = await frame.evaluate(async () => {
      const { createBridge } = (window as Win).sdk;
      const historyBefore = history.length;
      const bridge = createBridge();
      (window as Win).bridge = bridge;
      return { launch: bridge.launch, href: location.href, historyAdded: history.length - historyBefore, session: await bridge.session.get() };
    });
    assert.equal(out.launch.sessionId, SESSION_ID);
    assert.equal(out.launch.mainToken, 'mt_test');
    assert.equal(out.href, `${ext.origin}/ext.html?from=test`, 'hash gone, path and query kept');
    assert.equal(out.historyAdded, 0, 'replaced, not pushed');
    assert.deepEqual(out.session, SESSION);

    const reqs = (await received(page)).filter((m) => m.data.type === 'chastify:ext:req');
    assert.equal(reqs.length, 1);
    assert.equal(reqs[0]!.origin, ext.origin);
    const { id, ...rest } = reqs[0]!.data;
    assert.deepEqual(rest, { type: 'chastify:ext:req', v: 1, nonce: NONCE, action: 'session.get', payload: {} });
    assert.match(id, /^req-\d+-[0-9a-f]{12}$/);
    await close();
  });

  it('typed reads, files.get with its fileId, concurrent requests matched by id', async () => {
    const { page, frame, close } = await open({
      answers: {
        'state.get': { ok: true, data: { data: { level: 3 }, version: 4 }, delayMs: 150 },
        'metadata.get': { ok: true, data: { unlockBlockers: [] }, delayMs: 50 },
        'regularActions.get': { ok: true, data: { mode: 'unlimited', nbActionsRemaining: -1 } },
        'files.capabilities': { ok: true, data: { enabled: true } },
        'files.list': { ok: true, data: { files: [], count: 0 } },
        'files.get': { ok: true, data: { id: 'f1', url: 'https://x/y' } },
      },
    });
    const out = await frame.evaluate(async () => {
      const bridge = (window as Win).sdk.createBridge();
      const [state, metadata, ra, caps, list, file] = await Promise.all([
        bridge.state.get(),
        bridge.metadata.get(),
        bridge.regularActions.get(),
        bridge.files.capabilities(),
        bridge.files.list(),
        bridge.files.get('6740f0a1c2d3e4f5a6b7c8db'),
      ]);
      return { state, metadata, ra, caps, list, file };
    });
    assert.deepEqual(out.state, { data: { level: 3 }, version: 4 });
    assert.deepEqual(out.metadata, { unlockBlockers: [] });
    assert.equal(out.ra.mode, 'unlimited');
    assert.equal(out.caps.enabled, true);
    assert.equal(out.list.count, 0);
    assert.equal(out.file.id, 'f1');
    const reqs = (await received(page)).filter((m) => m.data.type === 'chastify:ext:req');
    assert.equal(new Set(reqs.map((r) => r.data.id)).size, 6, 'a fresh id per request');
    assert.deepEqual(reqs.find((r) => r.data.action === 'files.get')!.data.payload, { fileId: '6740f0a1c2d3e4f5a6b7c8db' });
    await close();
  });

  it('a refused request is a BridgeError with the host’s code and message and the request id', async () => {
    const { page, frame, close } = await open({
      answers: { 'state.put': { ok: false, error: { code: 'server_credentials_required', message: 'state.put changes the session: call PUT /api/extensions/sessions/:sessionId/state from your backend' } } },
    });
    const err = await frame.evaluate(async () => {
      const bridge = (window as Win).sdk.createBridge();
      (window as Win).bridge = bridge;
      try {
        await bridge.request('state.put', { data: { a: 1 } });
        return null;
      } catch (e: any) {
        return { name: e.name, code: e.code, message: e.message, id: e.id, action: e.action, isBridgeError: e instanceof (window as Win).sdk.BridgeError };
      }
    });
    const req = (await received(page)).find((m) => m.data.action === 'state.put')!;
    assert.deepEqual(err, {
      name: 'BridgeError',
      code: 'server_credentials_required',
      message: 'state.put changes the session: call PUT /api/extensions/sessions/:sessionId/state from your backend',
      id: req.data.id,
      action: 'state.put',
      isBridgeError: true,
    });
    const unknown = await frame.evaluate(() => (window as Win).bridge.request('lock.explode').catch((e: any) => e.code));
    assert.equal(unknown, 'unknown_action');
    await close();
  });

  it('a request nobody answers times out with a clear error; close() fails what is still waiting', async () => {
    const { frame, close } = await open({ answers: { 'session.get': 'silent', 'state.get': 'silent' } });
    const out = await frame.evaluate(async () => {
      const bridge = (window as Win).sdk.createBridge({ timeoutMs: 300 });
      const started = performance.now();
      const timeout = await bridge.session.get().catch((e: any) => ({ code: e.code, message: e.message, id: e.id }));
      const elapsed = performance.now() - started;
      const waiting = bridge.state.get({ timeoutMs: 10_000 }).catch((e: any) => e.code);
      bridge.close();
      const after = await bridge.session.get().catch((e: any) => e.code);
      return { timeout, elapsed, closed: await waiting, after };
    });
    assert.equal(out.timeout.code, 'timeout');
    assert.match(out.timeout.message, /^session\.get got no answer from the host within 300 ms/);
    assert.match(out.timeout.id, /^req-/);
    assert.ok(out.elapsed >= 290 && out.elapsed < 3000, `${out.elapsed} ms`);
    assert.equal(out.closed, 'bridge_closed');
    assert.equal(out.after, 'bridge_closed');
    await close();
  });

  it('posts only to the exact parentOrigin: a wrong one is never delivered (never "*")', async () => {
    // The SDK's own call, observed through a stand-in parent window.
    const { frame, close } = await open();
    // (Source text: the test's TypeScript transform would wrap named functions in a helper the page lacks.)
    const targets = (await frame.evaluate(`(async () => {
      const seen = [];
      const b = new window.sdk.Bridge({ parent: { postMessage(m, target) { seen.push(target); } }, timeoutMs: 50 });
      await b.session.get().catch(() => {});
      b.resize(100);
      b.close();
      return seen;
    })()`)) as string[];
    assert.ok(targets.length >= 3);
    for (const t of targets) assert.equal(t, host.origin);
    await close();

    // A launch that names another origin: the browser drops every message, the request times out.
    const wrong = await open({ payload: payload({ bridge: { v: 1, nonce: NONCE, parentOrigin: 'http://127.0.0.2:9' } }) });
    const code = await wrong.frame.evaluate(() => (window as Win).sdk.createBridge({ timeoutMs: 300 }).session.get().catch((e: any) => e.code));
    assert.equal(code, 'timeout');
    assert.deepEqual(await received(wrong.page), []);
    await wrong.close();
  });

  it('answers from another window or for unknown ids are ignored', async () => {
    const { page, frame, close } = await open({ answers: { 'session.get': 'silent' } });
    await frame.evaluate(() => {
      const bridge = (window as Win).sdk.createBridge({ timeoutMs: 5000 });
      (window as Win).seen = [];
      window.addEventListener('message', (e) => (window as Win).seen.push(e.data));
      (window as Win).result = bridge.session.get().then(
        (d: unknown) => ({ ok: d }),
        (e: any) => ({ err: e.code }),
      );
    });
    await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:req'));
    const id = (await received(page)).find((m) => m.data.type === 'chastify:ext:req')!.data.id;
    // A sibling frame (another origin) forges the answer; so does the host for an unknown id.
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.id = 'rogue';
      f.src = src;
      document.body.appendChild(f);
      return new Promise((r) => f.addEventListener('load', r, { once: true }));
    }, `${rogue.origin}/ext.html`);
    const rogueFrame = page.frames().find((f) => f.url().startsWith(rogue.origin))!;
    // Addressed to the extension's exact origin: delivery is not what stops it, the SDK's checks are.
    await rogueFrame.evaluate(
      ([forgedId, target]) => {
        (window.parent.frames[0] as Window).postMessage({ type: 'chastify:ext:resp', v: 1, id: forgedId, ok: true, data: { forged: true } }, target);
      },
      [id, ext.origin] as const,
    );
    await page.evaluate(() => (window as Win).host.post({ type: 'chastify:ext:resp', v: 1, id: 'req-999-000000000000', ok: true, data: { stray: true } }));
    // The SDK's listener runs before this later one: once it has seen both, the SDK has too.
    await frame.waitForFunction(() => (window as Win).seen.filter((d: any) => d?.data?.forged || d?.data?.stray).length === 2);
    // Then the real answer.
    await page.evaluate((realId) => (window as Win).host.post({ type: 'chastify:ext:resp', v: 1, id: realId, ok: true, data: { real: true } }), id);
    assert.deepEqual(await frame.evaluate(() => (window as Win).result), { ok: { real: true } });
    await close();
  });

  it('auto-resize posts the content height as it grows and shrinks, once per change', async () => {
    const { page, frame, close } = await open();
    await frame.evaluate(() => (window as Win).sdk.createBridge());
    const heights = async () => (await received(page)).filter((m) => m.data.type === 'chastify:ext:resize').map((m) => m.data);
    await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize'));
    const first = await heights();
    assert.equal(first.length, 1);
    assert.equal(first[0].nonce, NONCE);
    assert.equal(first[0].height, 216, '200px of content and 8px margins');
    await frame.evaluate(() => ((document.getElementById('content') as HTMLElement).style.height = '900px'));
    await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize' && m.data.height === 916));
    await frame.evaluate(() => ((document.getElementById('content') as HTMLElement).style.height = '100px'));
    await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize' && m.data.height === 116));
    await frame.evaluate(() => ((document.getElementById('content') as HTMLElement).style.width = '50%'));
    // Two rendered frames later the size observer has looked at the width change; then a height
    // change must be the very next message (anything the width change sent would come first).
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await frame.evaluate(() => ((document.getElementById('content') as HTMLElement).style.height = '300px'));
    await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize' && m.data.height === 316));
    assert.deepEqual((await heights()).map((h) => h.height), [216, 916, 116, 316], 'a width change alone sends nothing');
    await close();
  });

  it('applies ui as CSS variables and follows live theme updates (nonce-checked)', async () => {
    const { page, frame, close } = await open();
    const read = () =>
      frame.evaluate(() => {
        const s = getComputedStyle(document.documentElement);
        return { bg: s.getPropertyValue('--chastify-bg'), text: s.getPropertyValue('--chastify-text'), dark: s.getPropertyValue('--chastify-is-dark'), attr: document.documentElement.getAttribute('data-chastify-theme'), scheme: s.colorScheme, body: getComputedStyle(document.body).backgroundColor, seen: (window as Win).themes };
      });
    await frame.evaluate(() => {
      const bridge = (window as Win).sdk.createBridge({ theme: { darkClass: 'dark' } });
      (window as Win).themes = [];
      bridge.onTheme((ui: unknown) => (window as Win).themes.push(ui));
    });
    assert.deepEqual(await read(), { bg: '#ffffff', text: '#111827', dark: '0', attr: 'light', scheme: 'light', body: 'rgb(255, 255, 255)', seen: [] });
    const dark = { isDark: true, theme: 'dark', bg: '#111827', text: '#f3f4f6', border: '#374151' };
    // A theme message with another launch's nonce is not this launch's.
    await page.evaluate((ui) => (window as Win).host.post({ type: 'chastify:ext:theme', v: 1, nonce: '0'.repeat(32), ui: { ...ui, bg: '#ff0000' } }), dark);
    await page.evaluate(([ui, nonce]) => (window as Win).host.post({ type: 'chastify:ext:theme', v: 1, nonce, ui }), [dark, NONCE] as const);
    await frame.waitForFunction(() => (window as Win).themes.length === 1);
    const after = await read();
    assert.deepEqual({ ...after, seen: after.seen.length }, { bg: '#111827', text: '#f3f4f6', dark: '1', attr: 'dark', scheme: 'dark', body: 'rgb(17, 24, 39)', seen: 1 });
    assert.equal(await frame.evaluate(() => document.documentElement.classList.contains('dark')), true);
    await close();
  });

  it('a home-action launch yields its intent once', async () => {
    const { frame, close } = await open({
      payload: payload({ homeActionSlug: 'tasks', homeAction: { slug: 'tasks', title: 'Tasks', description: 'Open tasks panel' }, intent: { type: 'open_panel', title: 'Tasks', message: 'Open tasks panel', payload: { panel: 'regular-actions' } } }),
    });
    const out = await frame.evaluate(() => {
      const { createBridge, takeHomeActionIntent } = (window as Win).sdk;
      const bridge = createBridge();
      return [takeHomeActionIntent(bridge.launch), takeHomeActionIntent(bridge.launch)];
    });
    assert.deepEqual(out, [{ homeActionSlug: 'tasks', homeAction: { slug: 'tasks', title: 'Tasks', description: 'Open tasks panel' }, intent: { type: 'open_panel', title: 'Tasks', message: 'Open tasks panel', payload: { panel: 'regular-actions' } } }, null]);
    await close();
  });

  it('a page outside any iframe, or without a launch, gets a clear error', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ext.origin}/ext.html#${encodeURIComponent(JSON.stringify(payload()))}`);
    await page.waitForFunction(() => (window as Win).sdkReady === true);
    assert.deepEqual(await page.evaluate(() => { try { (window as Win).sdk.createBridge(); return null; } catch (e: any) { return [e.code, e.message]; } }), ['not_in_iframe', 'This page is not inside the host’s iframe: open it from the platform']);
    await page.goto(`${ext.origin}/ext.html`);
    await page.waitForFunction(() => (window as Win).sdkReady === true);
    assert.equal(await page.evaluate(() => { try { (window as Win).sdk.createBridge(); return null; } catch (e: any) { return e.code; } }), 'missing_launch');
    await context.close();
  });

  describe('setup pages', () => {
    async function openSetup(): Promise<{ page: Page; frame: Frame; close(): Promise<void> }> {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${host.origin}/host.html`);
      // Like latch's host: no hash, no referrer; init on load and in answer to setup:ready.
      await page.evaluate(() => {
        const h = (window as Win).host;
        window.addEventListener('message', (e) => {
          if (e.source === h.frame?.contentWindow && e.data?.type === 'chastify:ext:setup:ready') h.post({ type: 'chastify:ext:setup:init', config: { level: 2 }, context: { slug: 'demo', role: 'wearer' } });
        });
      });
      await page.evaluate(([s, o]) => {
        const h = (window as Win).host;
        const p = h.open(s, o);
        h.frame.referrerPolicy = 'no-referrer';
        return p;
      }, [`${ext.origin}/ext.html`, ext.origin] as const);
      const frame = page.frames().find((f) => f.url().startsWith(ext.origin))!;
      await frame.waitForFunction(() => (window as Win).sdkReady === true);
      return { page, frame, close: () => context.close() };
    }

    it('ready → init (onInit with config and context) → sendConfig; answers get_config; only to the host origin', async () => {
      const { page, frame, close } = await openSetup();
      await frame.evaluate(`window.inits = [];
        window.setup = window.sdk.createSetupPage({ onInit(config, context) { window.inits.push({ config, context }); } });`);
      await frame.waitForFunction(() => (window as Win).inits.length === 1);
      assert.deepEqual(await frame.evaluate(() => (window as Win).inits[0]), { config: { level: 2 }, context: { slug: 'demo', role: 'wearer' } });
      assert.equal(await frame.evaluate(() => (window as Win).setup.parentOrigin), host.origin);
      await frame.evaluate(() => (window as Win).setup.sendConfig({ level: 5 }));
      await page.evaluate(() => (window as Win).host.post({ type: 'chastify:ext:setup:get_config' }));
      await page.waitForFunction(() => (window as Win).host.received.filter((m: any) => m.data.type === 'chastify:ext:setup:config').length === 2);
      const msgs = (await received(page)).filter((m) => m.data.type !== 'chastify:ext:resize').map((m) => [m.origin, m.data]);
      assert.deepEqual(msgs, [
        [ext.origin, { type: 'chastify:ext:setup:ready' }],
        [ext.origin, { type: 'chastify:ext:setup:config', config: { level: 5 } }],
        [ext.origin, { type: 'chastify:ext:setup:config', config: { level: 5 } }],
      ]);
      await close();
    });

    it('an init repeating the last one after the page changed its config is stale: onInit is not called, the page re-sends its config; a new config is passed on', async () => {
      const { page, frame, close } = await openSetup();
      await frame.evaluate(`window.inits = [];
        window.setup = window.sdk.createSetupPage({ onInit(config) { window.inits.push(config); } });`);
      await frame.waitForFunction(() => (window as Win).inits.length === 1);
      const post = (m: unknown) => page.evaluate((msg) => (window as Win).host.post(msg), m);
      const configs = async () => (await received(page)).filter((m) => m.data.type === 'chastify:ext:setup:config').map((m) => m.data.config);

      // Unchanged page: a repeated init is passed on (nothing to lose).
      await post({ type: 'chastify:ext:setup:init', config: { level: 2 }, context: {} });
      await frame.waitForFunction(() => (window as Win).inits.length === 2);

      // The user typed (level 5); an init with the old config crosses it: not passed on, 5 goes again.
      await frame.evaluate(() => (window as Win).setup.sendConfig({ level: 5 }));
      await post({ type: 'chastify:ext:setup:init', config: { level: 2 }, context: {} });
      await page.waitForFunction(() => (window as Win).host.received.filter((m: any) => m.data.type === 'chastify:ext:setup:config').length === 2);
      assert.deepEqual(await configs(), [{ level: 5 }, { level: 5 }]);
      assert.deepEqual(await frame.evaluate(() => (window as Win).inits), [{ level: 2 }, { level: 2 }]);
      assert.deepEqual(await frame.evaluate(() => (window as Win).setup.config), { level: 5 });

      // A host that sends another config is obeyed.
      await post({ type: 'chastify:ext:setup:init', config: { level: 7 }, context: {} });
      await frame.waitForFunction(() => (window as Win).inits.length === 3);
      assert.deepEqual(await frame.evaluate(() => (window as Win).inits[2]), { level: 7 });
      await close();
    });

    it('reports its height to the host as it changes (no nonce), and stops on close()', async () => {
      const { page, frame, close } = await openSetup();
      await frame.evaluate(`window.setup = window.sdk.createSetupPage();`);
      const heights = async () => (await received(page)).filter((m) => m.data.type === 'chastify:ext:resize').map((m) => [m.origin, m.data]);
      await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize'));
      for (const [origin, data] of await heights()) {
        assert.equal(origin, ext.origin);
        assert.deepEqual(Object.keys(data as object).sort(), ['height', 'type']);
      }
      await frame.evaluate(() => {
        const tall = document.createElement('div');
        tall.style.height = '900px';
        document.body.appendChild(tall);
      });
      await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'chastify:ext:resize' && m.data.height >= 900));
      const beforeClose = (await heights()).length;
      await frame.evaluate(() => {
        (window as Win).setup.close();
        document.body.appendChild(Object.assign(document.createElement('div'), { style: 'height: 500px' }));
      });
      // Two rendered frames: the size observer would have fired for the new content by now. A
      // message posted then would reach the host before this page's own barrier message does.
      await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await frame.evaluate(() => window.parent.postMessage({ type: 'test:barrier' }, location.ancestorOrigins[0]!));
      await page.waitForFunction(() => (window as Win).host.received.some((m: any) => m.data.type === 'test:barrier'));
      assert.equal((await heights()).length, beforeClose, 'no resize after close()');
      await close();
    });

    it('a host origin that is not allowed is neither answered nor listened to', async () => {
      const { page, frame, close } = await openSetup();
      await frame.evaluate(`window.inits = [];
        window.setup = window.sdk.createSetupPage({ allowedParentOrigins: ['https://chastify.net'], onInit(c) { window.inits.push(c); } });
        window.setup.sendConfig({ level: 9 });`);
      await frame.evaluate(`window.seen = []; window.addEventListener('message', (e) => window.seen.push(e.data));`);
      await page.evaluate(() => (window as Win).host.post({ type: 'chastify:ext:setup:init', config: { level: 1 }, context: {} }));
      // The SDK's listener runs before this later one: once the page saw the init, the SDK did.
      await frame.waitForFunction(() => (window as Win).seen.some((m: any) => m?.type === 'chastify:ext:setup:init'));
      assert.deepEqual(await frame.evaluate(() => (window as Win).inits), []);
      assert.deepEqual(await received(page), []);
      await close();
    });
  });
});
