import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { browserSkipReason, fixtureWorld, signedInPage, startPlatform, staticServer, type Platform, type World } from './harness.js';

/**
 * The web host of a Chaster extension in real Chromium (DECISIONS §14): the main page launch hash,
 * the configuration page modal with the docs' postMessage protocol (Save → the page saves through
 * its backend → `save_success` closes), iframe-resizer's resizing, a hostile frame ignored, and
 * home actions with FontAwesome 5 icons.
 */
const skip = browserSkipReason();
const here = path.dirname(fileURLToPath(import.meta.url));

type ChasterWorld = World & { app: World['app'] & { clientId: string }; configurationToken: string };

/** The test pages plus iframe-resizer's page script, as an extension would serve them. */
function chasterPages(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-chaster-pages-'));
  for (const f of fs.readdirSync(path.join(here, 'fixtures', 'chaster'))) fs.copyFileSync(path.join(here, 'fixtures', 'chaster', f), path.join(dir, f));
  const child = createRequire(import.meta.url).resolve('iframe-resizer/js/iframeResizer.contentWindow.min.js', { paths: [path.join(here, '..', 'packages', 'web')] });
  fs.copyFileSync(child, path.join(dir, 'iframeResizer.contentWindow.min.js'));
  return dir;
}

describe('Chaster extensions in the web host (Chromium)', { skip }, () => {
  let p: Platform;
  let w: ChasterWorld;
  let pages: { origin: string; close(): Promise<void> };
  let hostile: { origin: string; close(): Promise<void> };
  let dir: string;

  before(async () => {
    p = await startPlatform();
    dir = chasterPages();
    pages = await staticServer(dir);
    hostile = await staticServer(dir);
    w = (await fixtureWorld(p, {
      extension: {
        dialect: 'chaster',
        name: 'Chaster test',
        iframeUrl: `${pages.origin}/main.html`,
        setupUrl: `${pages.origin}/config.html`,
        allowedOrigins: [pages.origin],
        config: { cards: 1 },
        initialMetadata: { homeActions: [{ slug: 'roll', title: 'Roll the dice', description: 'Once a day', icon: 'dice', badge: '2' }] },
      },
      lock: { keyholder: true, durationSeconds: 3600 },
    })) as ChasterWorld;
  });
  after(async () => {
    await p?.close();
    await pages?.close();
    await hostile?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The extension's backend: Chaster's API with its developer token. */
  const backend = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${p.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${w.app.appKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as any };
  };

  const dropped = (page: Page, reason: string) =>
    page.waitForFunction((r) => (JSON.parse(sessionStorage.getItem('latch.bridgeLog') ?? '[]') as Array<{ direction: string; reason?: string }>).some((e) => e.direction === 'drop' && e.reason === r), reason);

  async function openConfiguration(page: Page): Promise<Frame> {
    await page.goto(`/locks/${w.lock.id}`);
    await page.click(`[data-testid="chaster-configure-${w.app.slug}"]`);
    const handle = await page.waitForSelector(`[data-testid="chaster-config-iframe-${w.app.slug}"]`);
    const frame = (await handle.contentFrame())!;
    await frame.waitForFunction(() => typeof (window as any).configurationToken === 'string');
    // The page announced its save capability: the button says Save.
    await page.waitForSelector('[data-testid="chaster-config-save"]:has-text("Save")');
    return frame;
  }

  it('configuration modal (keyholder, running session): the hash, Save → the page saves → save_success closes it; config stored', async () => {
    const { context, page } = await signedInPage(p, w.keyholder!.username, w.keyholder!.password);
    const frame = await openConfiguration(page);
    const token = await frame.evaluate(() => (window as any).configurationToken as string);
    assert.equal(await frame.evaluate(() => (window as any).extensionSlug), w.app.slug);
    const read = await backend('GET', `/api/extensions/configurations/${token}`);
    assert.deepEqual([read.status, read.body.role, read.body.sessionId, read.body.config], [200, 'keyholder', w.session.id, { cards: 1 }]);

    await page.click('[data-testid="chaster-config-save"]');
    await frame.waitForFunction(() => (window as any).saveRequests === 1);
    await page.waitForSelector('[data-testid="chaster-config-save"]:has-text("Saving")');
    assert.equal((await backend('PUT', `/api/extensions/configurations/${token}`, { config: { cards: 5 } })).status, 200);
    await frame.evaluate(() => (window as any).finishSave(true));
    await page.waitForSelector(`[data-testid="chaster-config-${w.app.slug}"]`, { state: 'detached' });
    const session = await backend('GET', `/api/extensions/sessions/${w.session.id}`);
    assert.deepEqual(session.body.session.config, { cards: 5 });
    await context.close();
  });

  it('save_failed stops the spinner and keeps the modal open', async () => {
    const { context, page } = await signedInPage(p, w.keyholder!.username, w.keyholder!.password);
    const frame = await openConfiguration(page);
    await page.click('[data-testid="chaster-config-save"]');
    await frame.waitForFunction(() => (window as any).saveRequests === 1);
    await frame.evaluate(() => (window as any).finishSave(false));
    await page.waitForSelector('[data-testid="chaster-config-problem"]');
    assert.equal(await page.textContent('[data-testid="chaster-config-save"]'), 'Save');
    await context.close();
  });

  it('a frame from another origin posting the same messages is ignored', async () => {
    const { context, page } = await signedInPage(p, w.keyholder!.username, w.keyholder!.password);
    const frame = await openConfiguration(page);
    await frame.evaluate((url) => (window as any).embedHostile(url), `${hostile.origin}/hostile.html`);
    await dropped(page, `${w.app.slug}: dropped configuration message from another window`);
    assert.ok(await page.isVisible(`[data-testid="chaster-config-${w.app.slug}"]`), 'the hostile save_success did not close the modal');
    await context.close();
  });

  it('iframe-resizer resizes the configuration frame to its content', async () => {
    const { context, page } = await signedInPage(p, w.keyholder!.username, w.keyholder!.password);
    const frame = await openConfiguration(page);
    const selector = `[data-testid="chaster-config-iframe-${w.app.slug}"]`;
    await frame.evaluate(() => (window as any).grow(900));
    await page.waitForFunction((s) => (document.querySelector(s) as HTMLElement).getBoundingClientRect().height > 900, selector);
    await context.close();
  });

  it('at self-lock creation the modal’s saved config goes into the new lock', async () => {
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    await page.goto('/locks/new');
    await page.check(`#ext-${w.app.slug}`);
    await page.click(`[data-testid="chaster-configure-${w.app.slug}"]`);
    const frame = (await (await page.waitForSelector(`[data-testid="chaster-config-iframe-${w.app.slug}"]`)).contentFrame())!;
    await frame.waitForFunction(() => typeof (window as any).configurationToken === 'string');
    const token = await frame.evaluate(() => (window as any).configurationToken as string);
    const read = await backend('GET', `/api/extensions/configurations/${token}`);
    assert.deepEqual([read.body.role, read.body.sessionId], ['wearer', null]);
    await page.waitForSelector('[data-testid="chaster-config-save"]:has-text("Save")');
    await page.click('[data-testid="chaster-config-save"]');
    await frame.waitForFunction(() => (window as any).saveRequests === 1);
    await backend('PUT', `/api/extensions/configurations/${token}`, { config: { cards: 9 } });
    await frame.evaluate(() => (window as any).finishSave(true));
    await page.waitForSelector(`[data-testid="config-${w.app.slug}"]:has-text("9")`);
    await context.close();
  });

  it('main page: the hash carries {mainToken, extensionSlug}; home actions show their FontAwesome icon and badge and open the main page with their slug', async () => {
    const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
    await page.goto(`/locks/${w.lock.id}`);
    const icon = await page.waitForSelector('[data-testid="home-action-roll"] i.fas.fa-dice');
    const glyph = await icon.evaluate((el) => ({ font: getComputedStyle(el).fontFamily, content: getComputedStyle(el, '::before').content }));
    assert.match(glyph.font, /Font Awesome 5 Free/);
    assert.notEqual(glyph.content, 'none');
    assert.ok(await page.isVisible('[data-testid="home-action-roll"] :text("2")'));

    await page.click('[data-testid="home-action-roll"]');
    const frame = (await (await page.waitForSelector('[data-testid="extension-iframe"]')).contentFrame())!;
    await frame.waitForFunction(() => (window as any).hashParams != null);
    const hash = await frame.evaluate(() => (window as any).hashParams);
    assert.deepEqual(Object.keys(hash).sort(), ['extensionSlug', 'homeActionSlug', 'mainToken']);
    assert.equal(hash.extensionSlug, w.app.slug);
    assert.equal(hash.homeActionSlug, 'roll');
    const auth = await backend('GET', `/api/extensions/auth/sessions/${hash.mainToken}`);
    assert.deepEqual([auth.status, auth.body.role, auth.body.userId], [200, 'wearer', w.wearer.id]);
    await context.close();
  });
  it('penalties: the keyholder enables a habit on the lock page; the wearer’s panel follows the extension’s increments live', async () => {
    const pw = (await fixtureWorld(p, {
      extension: { dialect: 'chaster', name: 'Dice habits', habits: [{ name: 'roll', label: 'Roll the dice', type: 'recurring', paramsText: 'Rolls required', punishmentText: 'Penalty for not rolling' }] },
      lock: { keyholder: true, penalties: true },
    })) as ChasterWorld;
    const keyholder = await signedInPage(p, pw.keyholder!.username, pw.keyholder!.password);
    await keyholder.page.goto(`/locks/${pw.lock.id}`);
    const id = `habit-${pw.app.slug}-roll`;
    await keyholder.page.check(`[data-testid="${id}-enabled"]`);
    await keyholder.page.fill(`[id="${id}-count"]`, '3');
    await keyholder.page.click('[data-testid="penalties-save"]');
    await keyholder.page.waitForSelector('[data-testid="penalty-period-roll"]:has-text("0 / 3")');

    const wearer = await signedInPage(p, pw.wearer.username, pw.wearer.password);
    await wearer.page.goto(`/locks/${pw.lock.id}`);
    await wearer.page.waitForSelector('[data-testid="penalty-habit-roll"]:has-text("Roll the dice")');
    assert.equal(await wearer.page.isVisible('[data-testid="penalties-form"]'), false, 'only the lock’s controller sets penalties');
    const res = await fetch(`${p.baseUrl}/api/extensions/sessions/${pw.session.id}/penalties/increment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pw.app.appKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ habitName: 'roll' }),
    });
    assert.equal(res.status, 201);
    await wearer.page.waitForSelector('[data-testid="penalty-period-roll"]:has-text("1 / 3")');
    await keyholder.context.close();
    await wearer.context.close();
  });
});
