import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { answerNextConfirm, browserSkipReason, observe, startPlatform, type Platform } from './harness.js';

/**
 * The combination safe in Chromium (issue 14): a lock created with a typed code shows "Sealed"
 * while it runs; once unlocked, "View the combination" shows the code. Deserting a running lock
 * asks first (cancel changes nothing), then withholds the combination.
 */
const skip = browserSkipReason();
const tid = (id: string) => `[data-testid="${id}"]`;

describe('combination safe in the browser', { skip }, () => {
  let p: Platform;
  const contexts: BrowserContext[] = [];
  before(async () => {
    p = await startPlatform();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  });
  after(async () => {
    await p?.close();
  });

  /** A new account signed in through the API, on a fresh browser context. */
  async function newWearer(): Promise<{ context: BrowserContext; page: Page }> {
    const context = observe(await p.browser.newContext({ baseURL: p.baseUrl, viewport: { width: 1280, height: 900 } }));
    contexts.push(context);
    const reg = await context.request.post('/api/auth/register', { data: { username: `safe_${randomBytes(4).toString('hex')}`, password: 'safe-password-1' } });
    assert.equal(reg.status(), 201, await reg.text());
    return { context, page: await context.newPage() };
  }

  async function createWithCode(page: Page, title: string, code: string): Promise<string> {
    await page.goto('/locks/new');
    await page.getByLabel('Title').fill(title);
    await page.check('#combination-mode-code');
    await page.fill('#combination-code', code);
    await page.click(tid('create-lock'));
    await page.waitForURL(/\/locks\/[0-9a-f]{24}$/);
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  it('create with a code → sealed while locked → unlock → "View the combination" shows it', async () => {
    const { context, page } = await newWearer();
    const code = `SAFE-${randomBytes(3).toString('hex')}`;
    const lockId = await createWithCode(page, 'Boxed key', code);
    await page.waitForSelector(`${tid('combination-panel')} >> text=Sealed until the lock is unlocked.`);
    assert.equal(await page.locator(tid('view-combination')).count(), 0, 'no reveal while locked');
    assert.equal((await page.content()).includes(code), false, 'the page does not hold the code');

    // The day's timer runs out on the sandbox clock; the wearer unlocks.
    const adv = await context.request.post('/api/dev/clock/advance', { data: { seconds: 2 * 86400 } });
    assert.equal(adv.status(), 200, await adv.text());
    await page.reload();
    await page.waitForSelector(`${tid('unlock')}:not([disabled])`);
    const asked = answerNextConfirm(page, /Unlock .* now\?/, true);
    await page.click(tid('unlock'));
    await asked;
    await page.waitForSelector(tid('view-combination'));
    await page.click(tid('view-combination'));
    assert.equal((await page.locator(tid('combination-code')).textContent())?.trim(), code);

    const history = await (await context.request.get(`/api/locks/${lockId}/history`)).json();
    assert.ok(history.results.some((h: { type: string }) => h.type === 'combination_revealed'));
  });

  it('deserting a running lock asks first; cancelling changes nothing; confirming withholds the combination', async () => {
    const { context, page } = await newWearer();
    const lockId = await createWithCode(page, 'Too long', 'desert-0001');
    await page.click(tid('archive-lock'));
    const dialog = page.locator(tid('confirm-archive-dialog'));
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /deserts it[\s\S]*withheld for 7 days[\s\S]*cannot be undone/);
    await page.click(tid('cancel-archive'));
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await (await context.request.get(`/api/locks/${lockId}`)).json()).status, 'locked', 'cancel changed nothing');

    await page.click(tid('archive-lock'));
    await page.click(tid('confirm-archive'));
    await page.waitForSelector(tid('combination-withheld'));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'deserted', tid('lock-status'));
    const lock = await (await context.request.get(`/api/locks/${lockId}`)).json();
    assert.equal(lock.status, 'deserted');
    assert.ok(lock.archivedAt);
    const reveal = await context.request.get(`/api/locks/${lockId}/combination`);
    assert.equal(reveal.status(), 409);
    assert.equal((await reveal.json()).code, 'combination_withheld');
  });
});
