import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { browserSkipReason, fixtureWorld, signedInPage, startPlatform, type Platform, type World } from './harness.js';

/**
 * The extension iframe host and its bridge in real Chromium (DECISIONS §9): reads through the
 * bridge, mutations refused, home-action intents, theme and resize; and hostile iframes.
 */
const skip = browserSkipReason();

type BridgeAnswer = { type?: string; id?: string; ok?: boolean; data?: any; error?: { code: string; message: string }; timeout?: boolean };

describe('extension iframe host and bridge (Chromium)', { skip }, () => {
  let p: Platform;
  let w: World;
  before(async () => {
    p = await startPlatform();
    w = await fixtureWorld(p, {
      extension: { slug: 'bridge-test', name: 'Bridge test', iframeUrl: `${p.extOrigin}/index.html`, allowedOrigins: [p.extOrigin] },
      lock: { keyholder: true, durationSeconds: 3600 },
    });
  });
  after(() => p?.close());

  async function openExtension(query = ''): Promise<{ page: Page; frame: Frame; close(): Promise<void> }> {
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}${query}`);
    const handle = await page.waitForSelector('[data-testid="extension-iframe"]');
    const frame = (await handle.contentFrame())!;
    await frame.waitForFunction(() => (window as any).ext?.launch != null);
    return { page, frame, close: () => context.close() };
  }

  const ask = (frame: Frame, action: string, payload?: unknown, opts?: Record<string, unknown>) =>
    frame.evaluate(([a, pl, o]) => (window as any).ext.request(a, pl, o), [action, payload, opts ?? {}] as const) as Promise<BridgeAnswer>;

  /**
   * Waits until the host page has recorded `count` more dropped messages with this reason (its
   * bridge log, kept in sessionStorage for the inspector). A drop is final: the host never
   * answers a message it dropped, so "nothing came back" is then a fact, not a timeout.
   */
  const drops = (page: Page, reason: string) =>
    page.evaluate((r) => (JSON.parse(sessionStorage.getItem('latch.bridgeLog') ?? '[]') as Array<{ direction: string; reason?: string }>).filter((e) => e.direction === 'drop' && e.reason === r).length, reason);
  const waitForDrops = (page: Page, reason: string, atLeast: number) =>
    page.waitForFunction(
      ([r, n]) => (JSON.parse(sessionStorage.getItem('latch.bridgeLog') ?? '[]') as Array<{ direction: string; reason?: string }>).filter((e) => e.direction === 'drop' && e.reason === r).length >= n,
      [reason, atLeast] as const,
    );

  it('launches with the hash payload of DECISIONS §9 and removes nothing the iframe needs', async () => {
    const { frame, close } = await openExtension();
    const launch = await frame.evaluate(() => (window as any).ext.launch);
    assert.equal(launch.bridge.v, 1);
    assert.match(launch.bridge.nonce, /^[0-9a-f]{32}$/);
    assert.equal(launch.bridge.parentOrigin, p.baseUrl);
    assert.equal(launch.sessionId, w.session.id);
    assert.equal(launch.lockId, w.lock.id);
    assert.equal(launch.role, 'wearer');
    assert.match(launch.mainToken, /^mt_/);
    assert.deepEqual(Object.keys(launch.ui).sort(), ['bg', 'border', 'isDark', 'text', 'theme']);
    assert.ok(launch.regularActionsSummary);
    await close();
  });

  it('session.get, state.get, metadata.get and regularActions.get answer through the API', async () => {
    const { frame, close } = await openExtension();
    const session = await ask(frame, 'session.get', {});
    assert.equal(session.type, 'chastify:ext:resp');
    assert.equal(session.ok, true, JSON.stringify(session));
    assert.equal(session.data.sessionId, w.session.id);
    assert.equal(session.data.lockData.lockTitle, 'Sandbox lock');
    assert.equal((await ask(frame, 'state.get', {})).ok, true);
    assert.equal((await ask(frame, 'metadata.get', {})).ok, true);
    const ra = await ask(frame, 'regularActions.get', {});
    assert.equal(ra.ok, true);
    assert.equal(ra.data.mode, 'unlimited');
    await close();
  });

  it('every mutation over the bridge gets server_credentials_required and changes nothing', async () => {
    const { frame, close } = await openExtension();
    for (const [action, payload] of [
      ['state.put', { data: { a: 1 } }],
      ['state.patch', { data: { a: 1 } }],
      ['lock.applyTime', { deltaSeconds: -3600 }],
      ['lock.freeze', {}],
      ['lock.unfreeze', {}],
      ['lock.action', { name: 'pillory', params: { durationSeconds: 600 } }],
      ['task.assign', { taskText: 'x' }],
      ['task.complete', { successful: true }],
      ['hygienic_unlock.start', {}],
      ['metadata.patch', { unlockBlockers: [] }],
      ['notifications.custom', { title: 'x' }],
      ['device.command', { command: 'all.stop' }],
    ] as const) {
      const r = await ask(frame, action, payload);
      assert.equal(r.ok, false, action);
      assert.equal(r.error?.code, 'server_credentials_required', action);
      assert.match(r.error!.message, /\/api\/extensions\/sessions\//, `${action} names the backend route`);
    }
    const state = await ask(frame, 'state.get', {});
    assert.deepEqual(state.data.data, {});
    const unknown = await ask(frame, 'lock.explode', {});
    assert.equal(unknown.error?.code, 'unknown_action');
    await close();
  });

  it('a stored javascript: page (origin "null") is never framed and its script never runs', async () => {
    // Rows written before URLs were checked: the API refuses such URLs now, so write the row directly.
    const legacy = await fixtureWorld(p, { extension: { slug: 'legacy-js', name: 'Legacy JS', iframeUrl: `${p.extOrigin}/index.html`, allowedOrigins: [p.extOrigin] }, lock: { keyholder: false } });
    await p.app.ctx.db
      .updateTable('extension_apps')
      .set({ iframe_url: 'javascript:window.parent.__pwned=1;void 0', allowed_origins: JSON.stringify(['null']) })
      .where('id', '=', legacy.app.id)
      .execute();
    const { context, page } = await signedInPage(p, legacy.wearer.username, legacy.wearer.password);
    await page.goto(`/locks/${legacy.lock.id}/extensions/${legacy.session.id}`);
    const alert = await page.waitForSelector('[role="alert"]');
    assert.match((await alert.textContent()) ?? '', /not an http\(s\) address/);
    assert.equal(await page.$('[data-testid="extension-iframe"]'), null, 'no iframe');
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined, 'the javascript: URL never ran');
    await context.close();
  });

  it('a home action opens the iframe with its slug, action and normalized intent', async () => {
    const res = await p.app.inject({
      method: 'PATCH',
      url: `/api/extensions/sessions/${w.session.id}/metadata`,
      // The wearer's fixture token was rotated by opening the extension; the keyholder's still works.
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.keyholder! },
      payload: { homeActions: [{ slug: 'tasks', title: 'Tasks', description: 'Open tasks panel', intent: { type: 'open_panel', title: 'Tasks', payload: { panel: 'regular-actions' } } }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const { frame, close } = await openExtension('?action=tasks');
    const launch = await frame.evaluate(() => (window as any).ext.launch);
    assert.equal(launch.homeActionSlug, 'tasks');
    assert.equal(launch.homeAction.title, 'Tasks');
    assert.deepEqual(launch.intent, { type: 'open_panel', title: 'Tasks', message: 'Open tasks panel', payload: { panel: 'regular-actions' } });
    await close();
  });

  it('a theme switch reaches the iframe; a resize changes the iframe height', async () => {
    const { page, frame, close } = await openExtension();
    const before = await frame.evaluate(() => (window as any).ext.launch.ui.isDark);
    await page.click('[data-testid="theme-toggle"]');
    await frame.waitForFunction(() => (window as any).ext.themes.length > 0);
    const ui = await frame.evaluate(() => (window as any).ext.themes.at(-1));
    assert.equal(ui.isDark, !before);
    assert.equal(ui.theme, ui.isDark ? 'dark' : 'light');
    await frame.evaluate(() => (window as any).ext.resize(917));
    await page.waitForFunction(() => (document.querySelector('[data-testid="extension-iframe"]') as HTMLIFrameElement).getBoundingClientRect().height === 917);
    await close();
  });

  describe('hostile iframes', () => {
    it('a wrong nonce, a wrong version or a bad id gets no answer at all', async () => {
      const { page, frame, close } = await openExtension();
      assert.deepEqual(await ask(frame, 'session.get', {}, { nonce: '0'.repeat(32), timeoutMs: 800 }), { timeout: true });
      assert.deepEqual(await ask(frame, 'session.get', {}, { v: 2, timeoutMs: 800 }), { timeout: true });
      assert.deepEqual(await ask(frame, 'session.get', {}, { id: 'x'.repeat(129), timeoutMs: 800 }), { timeout: true });
      // The host saw each one and dropped it for that reason (a late answer cannot be on its way).
      await waitForDrops(page, 'nonce', 1);
      await waitForDrops(page, 'version', 1);
      await waitForDrops(page, 'id', 1);
      // The channel still works afterwards.
      assert.equal((await ask(frame, 'session.get', {})).ok, true);
      await close();
    });

    it('a message from another window (even with the right nonce) is ignored', async () => {
      const { page, frame, close } = await openExtension();
      const nonce = await frame.evaluate(() => (window as any).ext.launch.bridge.nonce);
      // A second frame from the app's own origin, without the launch: it learns the nonce somehow.
      await page.evaluate((src) => {
        const f = document.createElement('iframe');
        f.src = src;
        f.id = 'intruder';
        document.body.appendChild(f);
      }, `${p.extOrigin}/index.html`);
      const intruder = (await (await page.waitForSelector('#intruder')).contentFrame())!;
      await intruder.waitForLoadState();
      const before = await drops(page, 'another window');
      await intruder.evaluate(
        ([n, parentOrigin]) => {
          (window as any).answers = [];
          window.addEventListener('message', (e) => (window as any).answers.push(e.data));
          window.parent.postMessage({ type: 'chastify:ext:req', v: 1, id: 'steal', nonce: n, action: 'session.get', payload: {} }, parentOrigin);
        },
        [nonce, p.baseUrl] as const,
      );
      await waitForDrops(page, 'another window', before + 1);
      assert.deepEqual(await intruder.evaluate(() => (window as any).answers), []);
      await close();
    });

    it('an iframe from an unregistered origin is never answered, and the host refuses to launch an app whose page is not registered', async () => {
      const { page, frame, close } = await openExtension();
      const nonce = await frame.evaluate(() => (window as any).ext.launch.bridge.nonce);
      await page.evaluate((src) => {
        const f = document.createElement('iframe');
        f.src = src;
        f.id = 'rogue';
        document.body.appendChild(f);
      }, `${p.rogueOrigin}/index.html`);
      const rogue = (await (await page.waitForSelector('#rogue')).contentFrame())!;
      await rogue.waitForLoadState();
      const before = await drops(page, 'another window');
      await rogue.evaluate(
        ([n, parentOrigin]) => {
          (window as any).answers = [];
          window.addEventListener('message', (e) => (window as any).answers.push(e.data));
          for (const action of ['session.get', 'state.get']) window.parent.postMessage({ type: 'chastify:ext:req', v: 1, id: action, nonce: n, action, payload: {} }, parentOrigin);
        },
        [nonce, p.baseUrl] as const,
      );
      await waitForDrops(page, 'another window', before + 2);
      assert.deepEqual(await rogue.evaluate(() => (window as any).answers), [], 'nothing is posted to an unregistered origin');
      await close();

      const other = await fixtureWorld(p, { extension: { iframeUrl: `${p.rogueOrigin}/index.html`, allowedOrigins: [p.extOrigin] }, lock: { keyholder: false } });
      const { context, page: page2 } = await signedInPage(p, other.wearer.username, other.wearer.password);
      await page2.goto(`/locks/${other.lock.id}/extensions/${other.session.id}`);
      await page2.waitForSelector('[role="alert"]');
      assert.equal(await page2.locator('[data-testid="extension-iframe"]').count(), 0);
      await context.close();
    });

    it('non-object messages and payloads execute nothing; markup in an action name stays text', async () => {
      const { page, frame, close } = await openExtension();
      await frame.evaluate(() => {
        const ext = (window as any).ext;
        for (const m of ['hello', 42, null, [1, 2], true, '<img src=x onerror="parent.__pwned=1">']) ext.post(m);
      });
      const bad = await ask(frame, 'session.get', 'not an object');
      assert.equal(bad.ok, false);
      assert.equal(bad.error?.code, 'invalid_request');
      const html = await ask(frame, '<img src=x onerror="parent.__pwned=1">', {});
      assert.equal(html.error?.code, 'unknown_action');
      assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
      assert.equal((await ask(frame, 'session.get', {})).ok, true);
      await close();
    });

    it('1,000 messages in a burst: the page stays responsive and answers only the app, with rate_limited beyond the queue', async () => {
      const { page, frame, close } = await openExtension();
      const started = Date.now();
      const answers = (await frame.evaluate(
        () => Promise.all(Array.from({ length: 1000 }, (_, i) => (window as any).ext.request('state.get', {}, { id: `burst-${i}`, timeoutMs: 30_000 }))),
      )) as BridgeAnswer[];
      assert.equal(answers.length, 1000);
      assert.ok(answers.every((a) => a.type === 'chastify:ext:resp'), 'every burst request got an answer');
      const ok = answers.filter((a) => a.ok).length;
      const limited = answers.filter((a) => a.error?.code === 'rate_limited').length;
      assert.equal(ok + limited, 1000);
      assert.ok(limited > 0 && ok > 0, `ok ${ok}, rate_limited ${limited}`);
      // The host page still reacts at once.
      const t0 = Date.now();
      await page.click('[data-testid="theme-toggle"]');
      await page.evaluate(() => 1 + 1);
      assert.ok(Date.now() - t0 < 5000, 'the page stays responsive');
      assert.ok(Date.now() - started < 60_000);
      assert.equal((await ask(frame, 'session.get', {})).ok, true);
      await close();
    });
  });
});
