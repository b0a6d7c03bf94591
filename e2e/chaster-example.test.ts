import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { appDefinition as diceApp, SLUG as DICE } from '../examples/chaster-dice/src/app.js';
import { startDiceBackend } from '../examples/chaster-dice/src/backend.js';
import { appDefinition as memoryApp, SLUG as MEMORY } from '../examples/memory-challenge/src/app.js';
import { startMemoryBackend } from '../examples/memory-challenge/src/backend.js';
import { normalizeConfig } from '../examples/memory-challenge/src/config.js';
import { createAppKey, ensureApp, installOnLock, PlatformUser } from '../examples/memory-challenge/src/register.js';
import { examplesSkipReason, fixtureWorld, freePort, signedInPage, startPlatform, type Platform } from './harness.js';
import { playMemoryGame } from './memory-game.js';

/**
 * Issue 13's Chromium case: the Chaster example (`examples/chaster-dice`, built on
 * `@chasterapp/chaster-js` as Chaster's docs teach) and the Chastify example (memory-challenge)
 * installed on one lock, each backend on its own origin, the platform's web UI as the host.
 */
const tid = (id: string) => `[data-testid="${id}"]`;

interface Account {
  username: string;
  password: string;
}

describe('a Chaster extension beside a Chastify one on one lock (Chromium)', { skip: examplesSkipReason() }, () => {
  let p: Platform;
  let context: BrowserContext;
  let page: Page;
  let lockId: string;
  let diceOrigin: string;
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    p = await startPlatform();
    // A self-lock: its wearer installs and configures the extensions.
    const w = (await fixtureWorld(p, { lock: { keyholder: false } })) as unknown as { wearer: Account; developer: Account; lock: { id: string } };
    lockId = w.lock.id;
    const developer = await PlatformUser.login(p.baseUrl, w.developer.username, w.developer.password);

    // The Chastify example, as the developer registers it, its backend on its own origin.
    const memoryPort = await freePort();
    const memory = await ensureApp(developer, memoryApp(`http://localhost:${memoryPort}`));
    const memoryBackend = await startMemoryBackend({ latchUrl: p.baseUrl, appKey: await createAppKey(developer, memory.id, 'e2e memory'), port: memoryPort, host: '127.0.0.1', log: () => undefined });
    closers.push(memoryBackend.close);

    // The Chaster example: an app of dialect chaster, its developer token and client id.
    const dicePort = await freePort();
    diceOrigin = `http://localhost:${dicePort}`;
    const dice = (await ensureApp(developer, diceApp(diceOrigin))) as Awaited<ReturnType<typeof ensureApp>> & { clientId: string | null };
    assert.ok(dice.clientId, 'a Chaster app has a client id');
    const diceBackend = await startDiceBackend({ latchUrl: p.baseUrl, developerToken: await createAppKey(developer, dice.id, 'e2e dice'), clientId: dice.clientId, port: dicePort, host: '127.0.0.1' });
    closers.push(diceBackend.close);

    const wearer = await PlatformUser.login(p.baseUrl, w.wearer.username, w.wearer.password);
    // One win is enough for the memory challenge here; the dice keeps its default (3 rolls).
    await installOnLock(wearer, lockId, MEMORY, normalizeConfig({ requiredWins: 1 }) as unknown as Record<string, unknown>);
    await installOnLock(wearer, lockId, DICE);
    ({ context, page } = await signedInPage(p, w.wearer.username, w.wearer.password));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    for (const close of closers) await close();
    await p?.close();
  });

  async function lockPageBlockers(): Promise<string[]> {
    await page.goto(`/locks/${lockId}`);
    await page.waitForSelector(tid('countdown'));
    return page.locator(`${tid('blockers')} .blocker`).allTextContents();
  }

  /** The dice's main page once its backend answered: fails at once with the page's error, if it shows one. */
  async function diceReady(frame: Frame): Promise<void> {
    await frame.waitForSelector(`html[data-state="ready"], html[data-state="complete"], ${tid('error')}:not(:empty)`);
    assert.equal((await frame.locator(tid('error')).textContent()) ?? '', '', 'the main page shows no error');
  }

  async function openExtension(opener: string): Promise<Frame> {
    await page.goto(`/locks/${lockId}`);
    await page.click(tid(opener));
    return (await (await page.waitForSelector(tid('extension-iframe'))).contentFrame())!;
  }

  it('the lock lists both extensions, and the memory challenge holds "Unlock" from the start', async () => {
    await page.goto(`/locks/${lockId}`);
    await page.waitForSelector(tid(`extension-${MEMORY}`));
    await page.waitForSelector(tid(`extension-${DICE}`));
    assert.match((await lockPageBlockers()).join(' | '), /Win 1 memory game to unlock/);
    assert.equal(await page.locator(tid('unlock')).isDisabled(), true);
  });

  it('the dice main page opens with {mainToken} in its hash, exchanges it through its backend and shows the wearer the rules', async () => {
    const frame = await openExtension(`open-extension-${DICE}`);
    assert.equal(new URL(frame.url()).origin, diceOrigin);
    assert.equal(typeof JSON.parse(decodeURIComponent(new URL(frame.url()).hash.slice(1))).mainToken, 'string');
    await diceReady(frame);
    assert.match((await frame.locator(tid('rules')).textContent()) ?? '', /Roll the dice 3 times to unlock; each pip adds 10 min/);
    assert.equal(await frame.locator(tid('roll')).isVisible(), true, 'the wearer may roll');
  });

  it('both extensions block unlock: the memory challenge’s requirement and the dice’s reason preventing unlocking', async () => {
    const blockers = (await lockPageBlockers()).join(' | ');
    assert.match(blockers, /Win 1 memory game to unlock/);
    assert.match(blockers, /Roll the dice 3 more times/);
    assert.equal(await page.locator(tid('unlock')).isDisabled(), true);
  });

  it('the memory challenge acts: a win clears its requirement', async () => {
    await page.goto(`/locks/${lockId}`);
    const frame = await openExtension('home-action-play');
    const { outcome, text } = await playMemoryGame(frame, true);
    assert.equal(outcome, 'win', text);
    const blockers = (await lockPageBlockers()).join(' | ');
    assert.doesNotMatch(blockers, /memory game/);
  });

  it('the dice acts: three rolls add time (history: "Dice tax added time") and clear its reason; then nothing but time holds the lock', async () => {
    const frame = await openExtension(`open-extension-${DICE}`);
    await diceReady(frame);
    for (let i = 1; i <= 3; i++) {
      await frame.click(tid('roll'));
      await frame.waitForSelector(`${tid('rolls')} li:nth-child(${i})`);
    }
    await frame.waitForSelector('html[data-state="complete"]');
    assert.equal(await frame.locator(tid('roll')).isDisabled(), true);
    assert.deepEqual(await lockPageBlockers(), []);
    assert.equal(await page.locator(tid('unlock')).isDisabled(), true, 'the timer still runs');
    const history = (await (await context.request.get(`/api/locks/${lockId}/history?limit=100`)).json()) as { results: Array<{ title: string }> };
    const titles = history.results.map((h) => h.title);
    assert.equal(titles.filter((t) => t === 'Dice tax added time').length, 3, titles.join(' | '));
  });

  it('the lock page shows the wearer the dice’s custom logs with %USER% rendered: "You rolled a N"', async () => {
    await page.goto(`/locks/${lockId}`);
    await page.waitForSelector(`${tid('history')} .history-title`);
    const titles = await page.locator(`${tid('history')} .history-title`).allTextContents();
    assert.equal(titles.filter((t) => /^You rolled a [1-6]$/.test(t.trim())).length, 3, titles.join(' | '));
  });

  it('the dice’s configuration page saves through the modal’s Save button; a post from another origin is ignored', async () => {
    await page.goto(`/locks/${lockId}`);
    await page.click(tid(`chaster-configure-${DICE}`));
    const modal = page.locator(tid(`chaster-config-${DICE}`));
    const frame = (await (await page.waitForSelector(tid(`chaster-config-iframe-${DICE}`))).contentFrame())!;
    assert.equal(new URL(frame.url()).origin, diceOrigin);
    await frame.waitForSelector('html[data-state="ready"]');
    // A page of another origin cannot close the modal with the page's message.
    await page.evaluate(() => window.postMessage(JSON.stringify({ type: 'partner_configuration', event: 'save_success' }), '*'));
    await frame.fill('#rollsRequired', '2');
    assert.equal(await modal.isVisible(), true, 'the modal ignored the forged save_success');
    // The page announced its save capability: the modal's button says Save.
    await page.waitForSelector(`${tid('chaster-config-save')}:has-text("Save")`);
    await page.click(tid('chaster-config-save'));
    await modal.waitFor({ state: 'detached' });
    const lock = (await (await context.request.get(`/api/locks/${lockId}`)).json()) as { extensions: Array<{ slug: string; config: unknown }> };
    assert.deepEqual(lock.extensions.find((x) => x.slug === DICE)?.config, { rollsRequired: 2, secondsPerPip: 600 });
  });
});
