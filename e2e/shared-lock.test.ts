import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, fixtureWorld, signedInPage, startPlatform, type Platform, type World } from './harness.js';

const tid = (id: string) => `[data-testid="${id}"]`;

/** Issue 14: a keyholder publishes a shared lock behind a password; a wearer loads it from its link. */
describe('shared lock loaded from its link (Chromium)', { skip: browserSkipReason() }, () => {
  let p: Platform;
  let w: World;
  before(async () => {
    p = await startPlatform();
    w = await fixtureWorld(p);
  });
  after(() => p?.close());

  it('the wearer gives the password, reads the template and gets a lock with that keyholder', async () => {
    const keyholder = w.keyholder!;
    const kh = await signedInPage(p, keyholder.username, keyholder.password);
    await kh.page.goto('/shared-locks');
    await kh.page.getByLabel('Name').fill('Weekend with me');
    await kh.page.getByLabel('Password (optional)').fill('tulip garden');
    await kh.page.getByLabel('Random initial duration').check();
    await kh.page.getByRole('group', { name: 'Minimum duration' }).getByLabel('Hours').fill('2');
    await kh.page.getByRole('group', { name: 'Maximum duration' }).getByLabel('Days').fill('2');
    await kh.page.getByLabel('Display remaining time').uncheck();
    await kh.page.click(tid('publish-shared'));
    const link = kh.page.locator(`${tid('published')} a`);
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /^\/shared\/[0-9a-f]{24}$/);
    // It is listed with its password badge.
    await kh.page.locator(tid('shared-lock-url'), { hasText: href! }).waitFor();

    const wearer = await signedInPage(p, w.wearer.username, w.wearer.password);
    await wearer.page.goto(href!);
    assert.equal(await wearer.page.locator(tid('shared-keyholder')).textContent(), keyholder.username);
    await wearer.page.getByLabel('Password').fill('wrong one');
    await wearer.page.click(tid('shared-open'));
    await wearer.page.locator(tid('shared-open-error')).waitFor();
    await wearer.page.getByLabel('Password').fill('tulip garden');
    await wearer.page.click(tid('shared-open'));
    await wearer.page.locator(tid('template-summary'), { hasText: 'The remaining time is hidden from you.' }).waitFor();
    // The wearer seals their own combination while loading, as when creating a lock.
    await wearer.page.click(tid('shared-load'));
    await wearer.page.locator(tid('shared-load-problem'), { hasText: 'Upload the picture of your combination.' }).waitFor();
    await wearer.page.check('#combination-mode-code');
    await wearer.page.fill('#combination-code', '4711');
    await wearer.page.click(tid('shared-load'));
    await wearer.page.waitForURL(/\/locks\/[0-9a-f]{24}$/);

    await wearer.page.getByText(`keyholder ${keyholder.username}`).waitFor();
    await wearer.page.getByText('Hidden timer').waitFor();
    const lockId = new URL(wearer.page.url()).pathname.split('/').pop()!;
    const res = await kh.context.request.get(`/api/locks/${lockId}`);
    const lock = (await res.json()) as { role: string; keyholderStatus: string; sharedLockId: string; endsAt: string; startDate: string };
    assert.equal(lock.role, 'keyholder');
    assert.equal(lock.keyholderStatus, 'accepted');
    assert.equal(`/shared/${lock.sharedLockId}`, href);
    const drawn = Date.parse(lock.endsAt) - Date.parse(lock.startDate);
    assert.ok(drawn >= 2 * 3600_000 && drawn <= 2 * 86400_000, `drawn ${drawn} ms`);
    await kh.context.close();
    await wearer.context.close();
  });
});
