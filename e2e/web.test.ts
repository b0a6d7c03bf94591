import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { CHASTER_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from '@latch/protocol';
import { answerNextConfirm, browserSkipReason, fixtureWorld, observe, signedInPage, startPlatform, type Platform, type World } from './harness.js';

/**
 * The web UI in real Chromium, driven through its forms and buttons: accounts, creating a lock
 * with an extension's setup page, the extension host, the lock page (countdown, blockers,
 * keyholder controls, live notifications), the developer console, the sandbox, phone widths in
 * both themes and a labelling smoke test.
 */
const skip = browserSkipReason();

type Account = { id: string; username: string; password: string };
type FullWorld = World & { developer: Account };
type ExtAnswer = { type?: string; id?: string; ok?: boolean; data?: any; error?: { code: string; message: string }; timeout?: boolean };

const PHONE = { width: 375, height: 812 };
const tid = (id: string) => `[data-testid="${id}"]`;

/** A webhook receiver on 127.0.0.1 that answers 204; `firstDelivery()` waits for the first request (failing after 120 s). */
async function deliveryReceiver() {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let delivered!: () => void;
  const arrived = new Promise<void>((r) => (delivered = r));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
      delivered();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    firstDelivery: () => Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error('no webhook delivery within 120 s')), 120_000).unref())]),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** `1d 02:03:04` / `02:03:04` → seconds. */
function parseCountdown(text: string): number {
  const m = /^(?:(\d+)d )?(\d\d):(\d\d):(\d\d)$/.exec(text.trim());
  assert.ok(m, `a running countdown, got ${JSON.stringify(text)}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

describe('web UI (Chromium)', { skip }, () => {
  let p: Platform;
  /** The world most tests share: an extension with main page, setup page and one requirement. */
  let w: FullWorld;
  const slug = unique('web-ext').replace('_', '-');
  const extName = `Web test extension ${slug.slice(-8)}`;
  const contexts: BrowserContext[] = [];

  before(async () => {
    p = await startPlatform();
    w = (await fixtureWorld(p, {
      extension: {
        slug,
        name: extName,
        iframeUrl: `${p.extOrigin}/index.html`,
        setupUrl: `${p.extOrigin}/setup.html`,
        allowedOrigins: [p.extOrigin],
        initialMetadata: { unlockRequirements: [{ metric: 'win', requiredCount: 3, blocker: 'Win 3 rounds' }] },
      },
      // Long enough that the sandbox's clock moves never end it.
      lock: { keyholder: true, durationSeconds: 3 * 86400, title: 'Web test lock' },
    })) as FullWorld;
  });
  // A test's pages close with it: a lock page left open keeps its event stream, countdown and
  // polling running, and two dozen of them starve whatever else shares the machine.
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await p?.close();
  });

  /** A browser context with no session (for the forms). */
  async function anonymousPage(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = observe(await p.browser.newContext({ baseURL: p.baseUrl, viewport }));
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  async function userPage(user: { username: string; password: string }, viewport?: { width: number; height: number }, theme?: 'light' | 'dark') {
    const s = await signedInPage(p, user.username, user.password, viewport);
    contexts.push(s.context);
    if (theme) await s.context.addInitScript((t) => {
      // Init scripts run in every frame; only the host page keeps a theme (sandboxed frames have no storage).
      if (window === window.top) localStorage.setItem('latch.theme', t);
    }, theme);
    return s;
  }

  /** An extension-session API call as the app's backend: app key + a fresh main token of the user. */
  async function backend(userId: string, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) {
    const { mainToken } = await p.app.ctx.mainTokens.issue(userId, w.session.id);
    const res = await p.app.inject({
      method,
      url: `/api/extensions/sessions/${w.session.id}${path}`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': mainToken },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async function extensionFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector(tid('extension-iframe'));
    const frame = (await handle.contentFrame())!;
    await frame.waitForFunction(() => (window as any).ext?.launch != null);
    return frame;
  }

  const ask = (frame: Frame, action: string, payload: unknown = {}) =>
    frame.evaluate(([a, pl]) => (window as any).ext.request(a, pl, { timeoutMs: 10_000 }), [action, payload] as const) as Promise<ExtAnswer>;

  /** No horizontal scroll; on failure, names the elements that stick out. */
  async function assertNoHorizontalScroll(page: Page, what: string) {
    const r = await page.evaluate(() => {
      const vw = window.innerWidth;
      const wide = Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((el) => {
          const b = el.getBoundingClientRect();
          return b.width > 0 && b.right > vw + 0.5 && !el.closest('.table-wrap, pre');
        })
        .slice(0, 8)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} (right ${Math.round(el.getBoundingClientRect().right)})`);
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide };
    });
    assert.ok(r.scrollWidth <= r.innerWidth, `${what}: scrollWidth ${r.scrollWidth} > innerWidth ${r.innerWidth}; sticking out: ${r.wide.join(', ')}`);
  }

  /** Every form control has a label (or aria-label / aria-labelledby); returns the unlabelled ones. */
  const unlabelled = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input:not([type="hidden"]), select, textarea'))
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')))
        .map((el) => el.outerHTML.slice(0, 120)),
    );

  describe('accounts', () => {
    it('signs up through the form, signs out, shows an error for a wrong password, signs in', async () => {
      const { page } = await anonymousPage();
      const username = unique('web');
      const password = `pw-${randomBytes(8).toString('hex')}`;

      await page.goto('/');
      await page.waitForURL(/\/signin\?next=%2F$/);
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL(/\/signup/);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Display name (optional)').fill('Web Tester');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      assert.equal((await page.textContent(tid('who')))?.trim(), username);
      await page.waitForSelector(tid('new-lock'));

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/signin$/);
      assert.equal(await page.locator(tid('who')).count(), 0);
      const me = await page.request.get('/api/me');
      assert.equal(me.status(), 401, 'the session cookie no longer works');

      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(`${password}-wrong`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const error = page.locator(tid('auth-error'));
      await error.waitFor();
      assert.match((await error.textContent()) ?? '', /\S/);
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.equal(new URL(page.url()).pathname, '/signin');
      assert.equal(await page.locator(tid('who')).count(), 0);

      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.waitForSelector(`${tid('who')}:has-text("${username}")`);
      assert.equal(await page.locator(tid('auth-error')).count(), 0);
    });

    it('a sign-in with ?next= lands on that page', async () => {
      const { page } = await anonymousPage();
      await page.goto(`/locks/${w.lock.id}`);
      await page.waitForURL(/\/signin\?next=/);
      await page.getByLabel('Username').fill(w.wearer.username);
      await page.getByLabel('Password').fill(w.wearer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === `/locks/${w.lock.id}`);
      await page.waitForSelector(tid('countdown'));
    });
  });

  describe('creating a lock with an extension and its setup page', () => {
    it('configures the extension in its setup iframe and installs it with that config', async () => {
      const { context, page } = await anonymousPage();
      const username = unique('maker');
      const reg = await context.request.post('/api/auth/register', { data: { username, password: 'maker-password-1' } });
      assert.equal(reg.status(), 201, await reg.text());

      await page.goto('/');
      await page.click(tid('new-lock'));
      await page.waitForURL(/\/locks\/new$/);
      await page.getByLabel('Title').fill('Levelled lock');
      await page.getByLabel(extName, { exact: true }).check();

      const handle = await page.waitForSelector(tid(`setup-iframe-${slug}`));
      assert.equal(await handle.getAttribute('title'), `${extName} setup`);
      const frame = (await handle.contentFrame())!;
      await frame.waitForFunction(() => (window as any).received?.some((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      const init = await frame.evaluate(() => (window as any).received.find((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      assert.deepEqual(init.config, {});
      assert.equal(init.context.slug, slug);
      // The page asked with setup:ready, so the frame's load event sends no second init (one
      // arriving after the user started typing would reset the form).
      // The host marks the frame once its load event is settled: no unasked init is coming.
      assert.equal(await page.waitForSelector(`${tid(`setup-iframe-${slug}`)}:is([data-load-init="not-needed"], [data-load-init="sent"])`).then((h) => h.getAttribute('data-load-init')), 'not-needed');
      const inits = await frame.evaluate(() => (window as any).received.filter((m: { type?: string }) => m.type === 'chastify:ext:setup:init').length);
      assert.equal(inits, 1);
      assert.equal(init.context.role, 'wearer');

      const preview = page.locator(tid(`config-${slug}`));
      assert.deepEqual(JSON.parse((await preview.textContent()) ?? 'null'), {});
      await frame.fill('#level', '7');
      await frame.click('#save');
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('"level": 7'), tid(`config-${slug}`));
      assert.deepEqual(JSON.parse((await preview.textContent()) ?? 'null'), { level: 7 });

      await page.check('#combination-mode-code');
      await page.fill('#combination-code', '1234');
      await page.click(tid('create-lock'));
      await page.waitForURL(/\/locks\/[0-9a-f]{24}$/);
      const lockId = new URL(page.url()).pathname.split('/').pop()!;
      assert.equal((await page.locator(tid('lock-status')).textContent())?.trim(), 'locked');
      await page.waitForSelector(tid(`extension-${slug}`));

      const res = await context.request.get(`/api/locks/${lockId}`);
      assert.equal(res.status(), 200);
      const lock = await res.json();
      assert.equal(lock.title, 'Levelled lock');
      assert.equal(lock.wearer.username, username);
      assert.equal(lock.extensions.length, 1);
      assert.equal(lock.extensions[0].slug, slug);
      assert.deepEqual(lock.extensions[0].config, { level: 7 });
    });

    it('a running self-lock gets an extension through its setup page (sized to the page), then loses it', async () => {
      const { context, page } = await anonymousPage();
      const reg = await context.request.post('/api/auth/register', { data: { username: unique('adder'), password: 'adder-password-1' } });
      assert.equal(reg.status(), 201, await reg.text());
      await page.goto('/locks/new');
      await page.getByLabel('Title').fill('Plain lock');
      await page.check('#combination-mode-code');
      await page.fill('#combination-code', '1234');
      await page.click(tid('create-lock'));
      await page.waitForURL(/\/locks\/[0-9a-f]{24}$/);
      const lockId = new URL(page.url()).pathname.split('/').pop()!;
      await page.waitForSelector(tid('manage-extensions'));
      assert.equal(await page.locator(tid(`extension-${slug}`)).count(), 0);

      await page.getByLabel('Add an extension').selectOption(slug);
      const handle = await page.waitForSelector(tid(`setup-iframe-${slug}`));
      const frame = (await handle.contentFrame())!;
      await frame.waitForFunction(() => (window as any).received?.some((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      const init = await frame.evaluate(() => (window as any).received.find((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      assert.equal(init.context.role, 'wearer');
      assert.deepEqual(init.config, {});

      // The setup page reports its height; the frame follows it.
      const before = (await handle.boundingBox())!.height;
      await frame.click('#grow');
      await page.waitForFunction((sel) => (document.querySelector(sel)?.getBoundingClientRect().height ?? 0) > 900, tid(`setup-iframe-${slug}`));
      assert.ok(before < 900, `the frame starts at its default height, not ${before}`);

      // The app asks for background access: offered at install, off unless ticked.
      assert.equal(await page.locator(`#background-add-${slug}`).isChecked(), false);
      await frame.fill('#level', '4');
      await frame.click('#save');
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('"level": 4'), tid(`add-config-${slug}`));
      await page.click(tid('install-extension'));
      await page.waitForSelector(`${tid('status-message')}:has-text("${extName} added.")`);
      await page.waitForSelector(tid(`extension-${slug}`));
      let lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
      assert.deepEqual(lock.extensions.map((x: { slug: string; config: unknown }) => [x.slug, x.config]), [[slug, { level: 4 }]]);
      // Installed: it is no longer offered.
      assert.equal(await page.locator(`${tid('add-extension-select')} option[value="${slug}"]`).count(), 0);
      assert.equal(lock.extensions[0].background, null, 'background access is off unless chosen');

      // The app asks for sessions:background: the lock's controller can allow it, and take it back.
      await page.click(tid(`background-toggle-${slug}`));
      await page.waitForSelector(tid(`background-badge-${slug}`));
      await page.waitForSelector(tid(`extension-background-${slug}`)); // the extension's card says so too
      lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
      assert.equal(lock.extensions[0].background?.role, 'wearer');
      await page.click(tid(`background-toggle-${slug}`));
      await page.waitForSelector(tid(`background-badge-${slug}`), { state: 'detached' });
      assert.equal(await page.locator(tid(`extension-background-${slug}`)).count(), 0);
      lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
      assert.equal(lock.extensions[0].background, null);

      // Its settings change later through the same setup page, opened with this lock's config.
      await page.click(tid(`edit-${slug}`));
      const editHandle = await page.waitForSelector(`${tid(`edit-extension-${slug}`)} iframe`);
      const editFrame = (await editHandle.contentFrame())!;
      await editFrame.waitForFunction(() => (window as any).received?.some((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      const reinit = await editFrame.evaluate(() => (window as any).received.find((m: { type?: string }) => m.type === 'chastify:ext:setup:init'));
      assert.deepEqual(reinit.config, { level: 4 });
      await editFrame.fill('#level', '7');
      await editFrame.click('#save');
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('"level": 7'), tid(`edit-config-${slug}`));
      await page.click(tid(`save-config-${slug}`));
      await page.waitForSelector(`${tid('status-message')}:has-text("${extName} settings saved.")`);
      lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
      assert.deepEqual(lock.extensions[0].config, { level: 7 });

      await page.click(tid(`remove-${slug}`));
      await page.click(tid(`confirm-remove-${slug}`));
      await page.waitForSelector(`${tid('status-message')}:has-text("${extName} removed.")`);
      await page.waitForSelector(tid(`extension-${slug}`), { state: 'detached' });
      lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
      assert.deepEqual(lock.extensions, []);
      const history = await (await context.request.get(`/api/locks/${lockId}/history`)).json();
      const types = history.results.map((h: { type: string }) => h.type);
      assert.ok(types.includes('extension_removed'), types.join(', '));
    });

    it('a form error is shown inline and nothing is created', async () => {
      const { context, page } = await anonymousPage();
      const reg = await context.request.post('/api/auth/register', { data: { username: unique('empty'), password: 'maker-password-1' } });
      assert.equal(reg.status(), 201);
      await page.goto('/locks/new');
      await page.getByLabel('Title').fill('   ');
      await page.click(tid('create-lock'));
      await page.waitForSelector('[role="alert"]:has-text("Give the lock a title.")');
      assert.equal(new URL(page.url()).pathname, '/locks/new');
      const list = await (await context.request.get('/api/locks')).json();
      assert.equal(list.results.length, 0);
    });
  });

  describe('the extension host', () => {
    it('opens from its card; session.get answers with the session through the bridge', async () => {
      const { page } = await userPage(w.wearer);
      await page.goto(`/locks/${w.lock.id}`);
      const card = page.locator(tid(`extension-${slug}`));
      await card.waitFor();
      assert.match((await card.textContent()) ?? '', new RegExp(extName));
      await page.click(tid(`open-extension-${slug}`));
      await page.waitForURL((u) => u.pathname === `/locks/${w.lock.id}/extensions/${w.session.id}`);
      const frame = await extensionFrame(page);
      assert.equal(await frame.textContent('#status'), 'launched as wearer');
      const session = await ask(frame, 'session.get');
      assert.equal(session.ok, true, JSON.stringify(session));
      assert.equal(session.data.sessionId, w.session.id);
      assert.equal(session.data.lockData.lockTitle, 'Web test lock');
      assert.equal(session.data.lockData.wearerUsername, w.wearer.username);
    });

    it('a home action from the card menu opens the iframe with its intent', async () => {
      await backend(w.wearer.id, 'PATCH', '/metadata', {
        homeActions: [{ slug: 'play', title: 'Play a round', description: 'Start the next round', badge: 'New', intent: { type: 'start_round', payload: { round: 2 } } }],
      });
      const { page } = await userPage(w.wearer);
      await page.goto(`/locks/${w.lock.id}`);
      const action = page.locator(tid('home-action-play'));
      await action.waitFor();
      assert.match((await action.textContent()) ?? '', /Play a round/);
      await action.click();
      await page.waitForURL((u) => u.pathname.endsWith(`/extensions/${w.session.id}`) && u.searchParams.get('action') === 'play');
      const frame = await extensionFrame(page);
      const launch = await frame.evaluate(() => (window as any).ext.launch);
      assert.equal(launch.homeActionSlug, 'play');
      assert.deepEqual(launch.intent, { type: 'start_round', title: 'Play a round', message: 'Start the next round', payload: { round: 2 } });
      assert.match((await frame.textContent('#intent')) ?? '', /start_round/);
      assert.match((await page.locator('h1').textContent()) ?? '', /Play a round/);
    });

    it('a mutation over the bridge gets server_credentials_required; theme and resize reach across', async () => {
      const { page } = await userPage(w.wearer, undefined, 'light');
      await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}`);
      const frame = await extensionFrame(page);

      const r = await ask(frame, 'lock.applyTime', { deltaSeconds: -3600 });
      assert.equal(r.ok, false);
      assert.equal(r.error?.code, 'server_credentials_required');

      assert.equal(await frame.evaluate(() => (window as any).ext.launch.ui.isDark), false);
      await page.click(tid('theme-toggle'));
      await frame.waitForFunction(() => (window as any).ext.themes.length > 0);
      const ui = await frame.evaluate(() => (window as any).ext.themes.at(-1));
      assert.equal(ui.isDark, true);
      assert.equal(ui.theme, 'dark');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');

      const h0 = await page.evaluate(() => document.querySelector<HTMLIFrameElement>('[data-testid="extension-iframe"]')!.getBoundingClientRect().height);
      assert.notEqual(Math.round(h0), 700);
      await frame.evaluate(() => (window as any).ext.resize(700));
      await page.waitForFunction(() => Math.round(document.querySelector<HTMLIFrameElement>('[data-testid="extension-iframe"]')!.getBoundingClientRect().height) === 700);
    });
  });

  describe('the lock page', () => {
    it('the countdown ticks', async () => {
      const { page } = await userPage(w.wearer);
      await page.goto(`/locks/${w.lock.id}`);
      const countdown = page.locator(tid('countdown'));
      await countdown.waitFor();
      assert.equal(await countdown.getAttribute('data-state'), 'running');
      const before = Date.now();
      const text0 = (await countdown.textContent())!;
      const t0 = parseCountdown(text0);
      // The next tick, whenever the machine lets it come.
      await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent !== t, [tid('countdown'), text0] as const);
      const t1 = parseCountdown((await countdown.textContent())!);
      const elapsed = (Date.now() - before) / 1000;
      assert.ok(t1 < t0, `${t1} < ${t0}`);
      // It follows real time: about as many seconds as went by between the two reads (each read is
      // whole seconds, so ±1), however slow the machine made those reads.
      assert.ok(t0 - t1 >= 1 && t0 - t1 <= Math.ceil(elapsed) + 1, `ticked ${t0 - t1} s in ${elapsed.toFixed(1)} s`);
      assert.ok(t0 > 2 * 86400 && t0 <= 3 * 86400);
    });

    it('unlock is disabled with readable reasons; requirement progress shows live', async () => {
      await backend(w.wearer.id, 'PATCH', '/metadata', { unlockBlockers: ['Finish the memory game first'] });
      const { page } = await userPage(w.wearer);
      await page.goto(`/locks/${w.lock.id}`);
      const unlock = page.locator(tid('unlock'));
      await unlock.waitFor();
      assert.equal(await unlock.isDisabled(), true);
      assert.equal(await unlock.getAttribute('aria-describedby'), 'unlock-blockers');
      const blockers = page.locator(tid('blockers'));
      const reasons = await blockers.locator('li[data-reason]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-reason'), e.textContent?.trim()]));
      const byReason = Object.fromEntries(reasons);
      assert.equal(byReason.time_remaining, 'Time is still left on the timer.');
      assert.equal(byReason.extension_blocker, 'An extension is holding the lock.');
      assert.equal(byReason.requirement_unsatisfied, 'Actions an extension requires are not done yet.');
      const manual = blockers.locator('li.blocker[data-kind="manual"]');
      assert.equal((await manual.textContent())?.trim(), `${extName}: Finish the memory game first`);
      const requirement = blockers.locator('li.blocker[data-kind="requirement"]');
      assert.match((await requirement.textContent()) ?? '', /Win 3 rounds\s+— 0 of 3/);
      // Every reason reads as a sentence, not a code.
      for (const [, text] of reasons) assert.doesNotMatch(text ?? '', /_/);

      // Progress recorded by the extension's backend shows up on the open page.
      await backend(w.wearer.id, 'POST', '/requirements/progress', { metric: 'win' });
      await page.waitForFunction(() => /1 of 3/.test(document.querySelector('[data-testid="blockers"] li[data-kind="requirement"]')?.textContent ?? ''));
      assert.equal(await unlock.isDisabled(), true);

      // The card shows the requirement too (after a reload: metadata is read less often).
      await page.reload();
      await page.waitForSelector(`${tid(`extension-${slug}`)}:has-text("Win 3 rounds: 1 of 3")`);

      // Pressing a disabled button does nothing; the server agrees the lock holds.
      const status = await (await page.request.get(`/api/locks/${w.lock.id}/status`)).json();
      assert.equal(status.unlock.unlockable, false);
    });

    it('keyholder controls: add time changes the countdown; freeze shows frozen', async () => {
      const { page } = await userPage(w.keyholder!);
      await page.goto(`/locks/${w.lock.id}`);
      await page.waitForSelector(tid('keyholder-controls'));
      const countdown = page.locator(tid('countdown'));
      // The keyholder may unlock anyway.
      assert.equal(await page.locator(tid('unlock')).isDisabled(), false);
      assert.match((await page.locator('#unlock-blockers').textContent()) ?? '', /you may unlock anyway/);

      const t0 = parseCountdown((await countdown.textContent())!);
      await page.click(tid('add-time'));
      await page.waitForSelector(`${tid('status-message')}:has-text("Added 1 hour.")`);
      const t1 = parseCountdown((await countdown.textContent())!);
      assert.ok(t1 - t0 >= 3590 && t1 - t0 <= 3601, `+1 h: ${t0} → ${t1}`);

      await page.click(tid('freeze'));
      await page.waitForSelector(`${tid('status-message')}:has-text("Frozen for 1 hour.")`);
      assert.equal((await countdown.textContent())?.trim(), 'Frozen');
      assert.equal(await countdown.getAttribute('data-state'), 'frozen');
      await page.waitForSelector(tid('frozen-notice'));

      // The wearer sees the freeze too.
      const wearer = await userPage(w.wearer);
      await wearer.page.goto(`/locks/${w.lock.id}`);
      await wearer.page.waitForSelector(`${tid('countdown')}[data-state="frozen"]`);
      assert.equal(await wearer.page.locator(tid('keyholder-controls')).count(), 0);

      await page.click(tid('unfreeze'));
      await page.waitForSelector(`${tid('status-message')}:has-text("Unfrozen.")`);
      await page.waitForSelector(`${tid('countdown')}[data-state="running"]`);
      assert.equal(await page.locator(tid('frozen-notice')).count(), 0);
    });

    it('live without polling: the keyholder’s freeze and task show on the wearer’s open page; the wearer reports the task; errors read as sentences', async () => {
      const lw = await fixtureWorld(p, { lock: { keyholder: true, durationSeconds: 86400, title: 'Live lock', pillory: false } });
      const lockPath = `/api/locks/${lw.lock.id}`;
      const wearer = await userPage(lw.wearer);
      // Every read of the lock by the wearer's page after it went live, and whether it came before the change.
      let phase: 'loading' | 'before' | 'after' = 'loading';
      const reads: Array<'before' | 'after'> = [];
      wearer.page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (phase !== 'loading' && (path === lockPath || path === `${lockPath}/status`)) reads.push(phase);
      });
      await wearer.page.goto(`/locks/${lw.lock.id}`);
      await wearer.page.waitForSelector('.lock-page[data-live="on"]');
      assert.equal(await wearer.page.title(), 'Lock Live lock · latch');
      phase = 'before';

      // Meanwhile the keyholder signs in and opens the lock in another browser.
      const kh = await userPage(lw.keyholder!);
      await kh.page.goto(`/locks/${lw.lock.id}`);
      await kh.page.waitForSelector(tid('keyholder-controls'));
      // The pillory is off on this lock: nothing to press for it. Tasks are on.
      assert.equal(await kh.page.locator(tid('pillory')).count(), 0);
      assert.equal(await kh.page.locator('#ctl-pillory').count(), 0);
      assert.equal(await kh.page.locator(tid('assign-task')).count(), 1);

      phase = 'after';
      await kh.page.click(tid('freeze'));
      await wearer.page.waitForSelector(`${tid('countdown')}[data-state="frozen"]:has-text("Frozen")`);
      assert.deepEqual(reads.filter((r) => r === 'before'), [], 'the wearer’s page did not read the lock before it changed (no polling)');
      assert.ok(reads.length >= 1, 'the pushed change made the page read the lock');

      // A task with a timer arrives live too; reporting it done before its timer ran is refused in words.
      await kh.page.fill('#ctl-task-text', 'Write a haiku');
      await kh.page.fill('#ctl-task-duration-h', '1');
      await kh.page.click(tid('assign-task'));
      const task = wearer.page.locator(tid('current-task'));
      await task.locator('text=Write a haiku').waitFor();
      await task.locator(tid('task-done')).click();
      const alert = task.locator('[role="alert"]');
      await alert.locator('text=The task timer has not run out yet.').waitFor();
      assert.doesNotMatch((await alert.locator('p').first().textContent()) ?? '', /task_timer_not_finished|req_/);
      const details = alert.locator('details');
      assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false, 'the code waits behind Details');
      await details.locator('summary').click();
      assert.match((await details.textContent()) ?? '', /task_timer_not_finished[\s\S]*request req_/);

      await task.locator(tid('task-failed')).click();
      await wearer.page.waitForSelector(`${tid('status-message')}:has-text("Task marked failed.")`);
      assert.equal(await wearer.page.locator(tid('current-task')).count(), 0);
      // The keyholder's page follows: the task is gone there too, and the history says so.
      await kh.page.waitForSelector(`${tid('history')} >> text=Task failed`);
      assert.equal(await kh.page.locator(tid('current-task')).count(), 0);
    });

    it('a notification with showPageOverlay arrives live: overlay (Escape closes it) and a toast', async () => {
      const { page } = await userPage(w.wearer);
      const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/events');
      await page.goto(`/locks/${w.lock.id}`);
      await page.waitForSelector(tid('countdown'));
      assert.equal((await stream).status(), 200);

      const title = `Round lost ${randomBytes(2).toString('hex')}`;
      await backend(w.wearer.id, 'POST', '/notifications/custom', { title, message: 'Try again tomorrow', showPageOverlay: true, target: 'wearer' });

      const overlay = page.locator(tid('notification-overlay'));
      await overlay.waitFor();
      assert.equal(await overlay.getAttribute('role'), 'dialog');
      assert.equal(await overlay.getAttribute('aria-modal'), 'true');
      assert.match((await overlay.textContent()) ?? '', new RegExp(`${title}.*Try again tomorrow`));
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'overlay-close');
      const toast = page.locator(`${tid('toast')}:has-text("${title}")`);
      await toast.waitFor();
      const badge = page.locator(tid('unread-badge'));
      await badge.waitFor();
      assert.match((await badge.textContent()) ?? '', /[1-9]/);

      await page.keyboard.press('Escape');
      await overlay.waitFor({ state: 'detached' });
      // The page is usable again.
      assert.equal(await page.evaluate(() => document.body.style.overflow), '');
    });
  });

  describe('developer console', () => {
    it('creates a key shown once, lists it as prefix…last4 and revokes it', async () => {
      const { page } = await userPage(w.developer);
      await page.goto('/developer');
      await page.waitForSelector(tid(`app-${slug}`));
      const keyName = `ci key ${randomBytes(2).toString('hex')}`;
      await page.getByLabel('Key name').fill(keyName);
      await page.getByLabel('App', { exact: true }).selectOption(w.app.id);
      await page.getByRole('button', { name: 'Create key' }).click();

      const value = page.locator(tid('new-key-value'));
      await value.waitFor();
      const key = await value.inputValue();
      assert.match(key, /^lk_app_/);
      assert.equal(await value.getAttribute('readonly'), '');
      const row = page.locator(`${tid('keys-table')} tr:has-text("${keyName}")`);
      await row.waitFor();
      const shown = (await row.locator('code').first().textContent())!.trim();
      const [prefix, last4] = shown.split('…');
      assert.ok(prefix && key.startsWith(prefix) && prefix.length < 12, `prefix ${prefix}`);
      assert.equal(last4, key.slice(-4));
      assert.doesNotMatch((await page.locator(tid('keys-table')).textContent()) ?? '', new RegExp(key.slice(prefix.length, -4)));

      // The key works.
      const { mainToken } = await p.app.ctx.mainTokens.issue(w.wearer.id, w.session.id);
      const call = () => p.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { authorization: `Bearer ${key}`, 'x-chastify-main-token': mainToken } });
      assert.equal((await call()).statusCode, 200);

      // Shown once: a reload shows only the masked form.
      await page.reload();
      await row.waitFor();
      assert.equal(await page.locator(tid('new-key-value')).count(), 0);
      assert.ok(!(await page.content()).includes(key));

      // Irreversible: it asks first, and cancelling keeps the key working.
      const kept = answerNextConfirm(page, /^Revoke the key/, false);
      await page.getByRole('button', { name: `Revoke key ${keyName}` }).click();
      await kept;
      assert.equal((await call()).statusCode, 200);
      const asked = answerNextConfirm(page, /^Revoke the key/, true);
      await page.getByRole('button', { name: `Revoke key ${keyName}` }).click();
      await asked;
      await page.waitForSelector(`${tid('keys-table')} tr:has-text("${keyName}") .badge:has-text("revoked")`);
      await page.getByRole('button', { name: `Delete key ${keyName}` }).waitFor();
      const revoked = await call();
      assert.equal(revoked.statusCode, 401, revoked.body);
    });

    it('adds a webhook endpoint (secret shown once), sends a signed test event and shows it delivered', async () => {
      const { received, firstDelivery, url, close } = await deliveryReceiver();
      try {
        const { page } = await userPage(w.developer);
        await page.goto(`/developer/apps/${w.app.id}`);
        const section = page.locator(tid('webhooks'));
        await section.waitFor();

        // The form offers exactly the platform's event types, all ticked by default.
        const offered = await section.locator('input[type="checkbox"][id^="webhook-event-"]').evaluateAll((els) =>
          els.map((e) => [(e as HTMLInputElement).value, (e as HTMLInputElement).checked] as const),
        );
        assert.deepEqual(offered.map(([type]) => type), WEBHOOK_EVENT_TYPES);
        assert.ok(offered.every(([, checked]) => checked));

        await section.getByLabel('URL').fill(url);
        await section.getByLabel('Description (optional)').fill('e2e receiver');
        await section.locator(tid('webhook-add')).click();
        const secretBox = section.locator(tid('webhook-secret-value'));
        await secretBox.waitFor();
        const secret = await secretBox.inputValue();
        assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
        const endpointRow = section.locator('li[data-testid^="webhook-"]:has-text("e2e receiver")');
        await endpointRow.waitFor();
        const endpointId = (await endpointRow.getAttribute('data-testid'))!.slice('webhook-'.length);

        await section.locator(tid(`webhook-test-${endpointId}`)).click();
        // The in-process scheduler sends it; the receiver checks the Standard Webhooks signature.
        await firstDelivery();
        assert.equal(received.length, 1, 'one delivery');
        const [got] = received;
        const verified = new Webhook(secret).verify(got!.body, {
          'webhook-id': String(got!.headers['webhook-id']),
          'webhook-timestamp': String(got!.headers['webhook-timestamp']),
          'webhook-signature': String(got!.headers['webhook-signature']),
        }) as { type: string; data: Record<string, unknown> };
        assert.equal(verified.type, 'webhook.test');
        assert.throws(() => new Webhook(secret).verify(got!.body.replace('webhook.test', 'webhook.tset'), got!.headers as Record<string, string>));

        // Shown once: after a reload the secret is gone from the page; the log shows the delivery.
        await page.reload();
        await section.waitFor();
        assert.equal(await page.locator(tid('webhook-secret')).count(), 0);
        assert.ok(!(await page.content()).includes(secret));
        await section.locator(`${tid(`webhook-${endpointId}`)}`).getByRole('button', { name: 'Deliveries' }).click();
        const delivery = section.locator(`${tid(`deliveries-${endpointId}`)} tr[data-event="webhook.test"]`);
        await delivery.waitFor();
        assert.equal(await delivery.getAttribute('data-status'), 'succeeded');
        await delivery.getByRole('button', { name: 'Details' }).click();
        const detail = section.locator(tid('delivery-detail'));
        await detail.waitFor();
        assert.match((await detail.textContent()) ?? '', new RegExp(`webhook-id: ${String(got!.headers['webhook-id'])}.*delivered · HTTP 204`, 's'));
      } finally {
        await close();
      }
    });

    it('a Chaster app’s webhook form offers Chaster’s four events and Basic auth, sent with every delivery', async () => {
      const cw = (await fixtureWorld(p, { extension: { dialect: 'chaster' } })) as FullWorld;
      const { received, firstDelivery, url, close } = await deliveryReceiver();
      try {
        const { page } = await userPage(cw.developer);
        await page.goto(`/developer/apps/${cw.app.id}`);
        const section = page.locator(tid('webhooks'));
        await section.waitFor();
        const offered = await section.locator('input[type="checkbox"][id^="webhook-event-"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
        assert.deepEqual(offered, CHASTER_WEBHOOK_EVENT_TYPES);
        await section.getByLabel('URL').fill(url);
        await section.getByLabel('Description (optional)').fill('chaster receiver');
        await section.getByLabel('Username').fill('hook-user');
        await section.getByLabel('Password').fill('hook-pass-e2e');
        await section.locator(tid('webhook-add')).click();
        const endpointRow = section.locator('li[data-testid^="webhook-"]:has-text("chaster receiver")');
        await endpointRow.locator('.badge:has-text("Basic auth")').waitFor();
        const endpointId = (await endpointRow.getAttribute('data-testid'))!.slice('webhook-'.length);
        await section.locator(tid(`webhook-test-${endpointId}`)).click();
        await firstDelivery();
        assert.equal(received[0]!.headers.authorization, `Basic ${Buffer.from('hook-user:hook-pass-e2e').toString('base64')}`);
        assert.ok(!(await page.content()).includes('hook-pass-e2e'), 'the password is not shown again');
      } finally {
        await close();
      }
    });
  });

  describe('responsive at 375×812', () => {
    for (const theme of ['light', 'dark'] as const) {
      it(`the lock page (wearer and keyholder) and the developer console have no horizontal scroll (${theme})`, async () => {
        for (const [who, user, url, ready] of [
          ['wearer', w.wearer, `/locks/${w.lock.id}`, tid('countdown')],
          ['keyholder', w.keyholder!, `/locks/${w.lock.id}`, tid('keyholder-controls')],
          ['developer', w.developer, '/developer', tid('keys-table')],
          ['developer', w.developer, `/developer/apps/${w.app.id}`, tid('webhooks')],
          ['wearer', w.wearer, `/locks/${w.lock.id}/extensions/${w.session.id}`, tid('extension-iframe')],
        ] as const) {
          const { page, context } = await userPage(user, PHONE, theme);
          await page.goto(url);
          await page.waitForSelector(ready);
          await page.waitForLoadState('networkidle');
          assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
          await assertNoHorizontalScroll(page, `${url} as ${who} (${theme})`);
          await context.close();
        }
      });
    }
  });

  describe('accessibility smoke', () => {
    it('every input on the sign-in, sign-up and create-lock pages has an accessible name', async () => {
      const { page } = await anonymousPage();
      for (const path of ['/signin', '/signup']) {
        await page.goto(path);
        await page.waitForSelector('#auth-password');
        assert.deepEqual(await unlabelled(page), [], path);
      }
      await page.goto('/signin');
      assert.equal(await page.getByLabel('Username').count(), 1);
      assert.equal(await page.getByLabel('Password').count(), 1);

      const { page: create } = await userPage(w.wearer);
      await create.goto('/locks/new');
      await create.waitForSelector(`#ext-${slug}`);
      // Open every optional part of the form, so its inputs are checked too.
      for (const label of ['Random initial duration', 'Limit lock time', 'Minimum lock time', 'Hygienic opening', 'Pillory', extName]) await create.getByLabel(label, { exact: true }).check();
      await create.waitForSelector(tid(`setup-iframe-${slug}`));
      const missing = await unlabelled(create);
      assert.deepEqual(missing, [], '/locks/new');
      const count = await create.locator('input:not([type="hidden"]), select, textarea').count();
      assert.ok(count >= 15, `${count} inputs checked`);
      for (const label of ['Title', 'Keyholder username (optional)', 'Required task points to unlock']) assert.equal(await create.getByLabel(label, { exact: true }).count(), 1, label);
      // Iframes are named too.
      const untitled = await create.evaluate(() => Array.from(document.querySelectorAll('iframe')).filter((f) => !f.title.trim()).length);
      assert.equal(untitled, 0);
    });
  });

  describe('sandbox', () => {
    it('advancing the clock +1 h shows the jobs that ran; a persona switch changes who is signed in', async () => {
      await p.app.ctx.fixtures.personas();
      const { page } = await userPage(w.wearer);
      await page.goto('/sandbox');
      await page.waitForSelector(tid('advance-3600'));
      const nowBefore = await (await page.request.get('/api/dev/clock')).json();
      await page.click(tid('advance-3600'));
      await page.waitForSelector(tid('jobs-run'));
      await page.waitForSelector(`${tid('sandbox-status')}:has-text("Clock moved +1 h")`);
      const nowAfter = await (await page.request.get('/api/dev/clock')).json();
      assert.ok(nowAfter.nowMs - nowBefore.nowMs >= 3600_000, 'the virtual clock moved an hour');

      assert.equal((await page.textContent(tid('who')))?.trim(), w.wearer.username);
      await page.click(tid('persona-keyholder'));
      await page.waitForSelector(`${tid('who')}:text-is("keyholder")`);
      assert.equal((await page.textContent(tid('sandbox-who')))?.trim(), 'keyholder');
      assert.equal(await page.getAttribute(tid('persona-keyholder'), 'aria-pressed'), 'true');
      await page.click(tid('persona-developer'));
      await page.waitForSelector(`${tid('who')}:text-is("developer")`);
      const me = await (await page.request.get('/api/me')).json();
      assert.equal(me.username, 'developer');
    });
  });
});
