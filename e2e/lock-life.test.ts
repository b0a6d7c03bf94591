import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { answerNextConfirm, browserSkipReason, observe, startPlatform, type Platform } from './harness.js';

/**
 * The whole life of a keyholder lock in Chromium (issue 14): the wearer creates it with a
 * combination picture and invites a keyholder, who accepts, freezes it (the wearer's open page
 * shows it without a reload), assigns a task that needs a verification picture; the wearer sends
 * one, the keyholder sees it; the keyholder unlocks (asked first) and only the wearer sees the
 * combination picture. Desertion: e2e/combination.test.ts; shared locks: e2e/shared-lock.test.ts.
 */
const tid = (id: string) => `[data-testid="${id}"]`;
/** A valid 1×1 PNG, so the browser really draws it. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('the life of a keyholder lock (Chromium)', { skip: browserSkipReason() }, () => {
  let p: Platform;
  const contexts: BrowserContext[] = [];
  before(async () => (p = await startPlatform()));
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await p?.close();
  });

  async function person(prefix: string): Promise<{ username: string; context: BrowserContext; page: Page }> {
    const context = observe(await p.browser.newContext({ baseURL: p.baseUrl, viewport: { width: 1280, height: 900 } }));
    contexts.push(context);
    const username = `${prefix}_${randomBytes(4).toString('hex')}`;
    const reg = await context.request.post('/api/auth/register', { data: { username, password: 'life-password-1' } });
    assert.equal(reg.status(), 201, await reg.text());
    return { username, context, page: await context.newPage() };
  }

  /** The picture of an <img> was fetched and decoded. */
  const drawn = (page: Page, selector: string) => page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(sel);
    return !!img && img.complete && img.naturalWidth > 0;
  }, selector);

  it('create with a picture → invite → accept → live freeze → task with a picture → unlock → combination to the wearer only', async () => {
    const wearer = await person('wearer');
    const keyholder = await person('kh');
    const we = wearer.page;
    const kh = keyholder.page;

    // The wearer creates the lock: tasks on, a keyholder, the combination as a picture (the default).
    await we.goto('/locks/new');
    await we.getByLabel('Title').fill('Held by a friend');
    await we.fill('#lock-keyholder', keyholder.username);
    await we.check('#mod-tasks');
    await we.setInputFiles('#combination-picture', { name: 'dials.png', mimeType: 'image/png', buffer: PNG });
    await we.locator(tid('combination-picture-status'), { hasText: 'dials.png' }).waitFor();
    await we.click(tid('create-lock'));
    await we.waitForURL(/\/locks\/[0-9a-f]{24}$/);
    const lockId = new URL(we.url()).pathname.split('/').pop()!;
    await we.waitForSelector(`${tid('combination-panel')} >> text=Sealed until the lock is unlocked.`);

    // The keyholder accepts the invitation; the controls appear.
    await kh.goto(`/locks/${lockId}`);
    await kh.locator(tid('invitation')).getByRole('button', { name: 'Accept' }).click();
    await kh.locator(tid('keyholder-controls')).waitFor();

    // Removing time asks first; cancelling changes nothing.
    const before = (await (await keyholder.context.request.get(`/api/locks/${lockId}`)).json()).endsAt as string;
    const question = answerNextConfirm(kh, /^Remove .* from the timer\?$/, false);
    await kh.click(tid('remove-time'));
    await question;
    assert.equal((await (await keyholder.context.request.get(`/api/locks/${lockId}`)).json()).endsAt, before, 'cancel removed nothing');

    // The keyholder freezes: the wearer's page, open all along, shows it without a reload.
    await kh.click(tid('freeze'));
    await we.locator(tid('frozen-notice')).waitFor();

    // A task that needs a verification picture.
    await kh.fill('#ctl-task-text', 'Show the cage');
    await kh.check('#ctl-task-verify');
    await kh.click(tid('assign-task'));
    await we.locator(tid('current-task'), { hasText: 'Show the cage' }).waitFor();
    assert.equal(await we.locator(tid('task-done')).count(), 0, 'no plain "done" for a task that needs proof');
    await we.setInputFiles(tid('task-verification'), { name: 'proof.png', mimeType: 'image/png', buffer: PNG });
    await we.locator(tid('current-task')).waitFor({ state: 'detached' });

    // The keyholder sees the picture in the history, pushed to the open page.
    await drawn(kh, tid('verification-picture'));
    await drawn(we, tid('verification-picture'));

    // Unlocking asks first: cancelled, the lock runs; confirmed, it ends.
    const cancelled = answerNextConfirm(kh, /^Unlock .* now\?/, false);
    await kh.click(tid('unlock'));
    await cancelled;
    assert.equal((await (await keyholder.context.request.get(`/api/locks/${lockId}`)).json()).status, 'locked', 'cancel kept the lock');
    const confirmed = answerNextConfirm(kh, /^Unlock .* now\?/, true);
    await kh.click(tid('unlock'));
    await confirmed;
    await kh.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'unlocked', tid('lock-status'));

    // The wearer's page learns of it live and shows the combination picture; the keyholder gets none.
    await we.click(tid('view-combination'));
    await drawn(we, tid('combination-picture'));
    assert.equal(await kh.locator(tid('view-combination')).count(), 0);
    const theirs = await keyholder.context.request.get(`/api/locks/${lockId}/combination`);
    assert.equal(theirs.status(), 403);
    assert.equal((await keyholder.context.request.get(`/api/locks/${lockId}/combination/picture`)).status(), 403);
  });
});
