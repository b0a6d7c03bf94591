import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { appDefinition, APP_NAME, SLUG } from '../examples/memory-challenge/src/app.js';
import { createAppKey, ensureApp, PlatformUser } from '../examples/memory-challenge/src/register.js';
import { playMemoryGame } from './memory-game.js';
import { answerNextConfirm, examplesSkipReason, fixtureWorld, freePort, signedInPage, startPlatform, type Platform } from './harness.js';

/**
 * The memory-challenge example through spec 001's 9-step game flow, in Chromium, with every
 * piece real: the platform, its web UI as the extension host, the example's backend in its own
 * process on its own origin (pages + API), the bridge SDK in the iframe and `@latch/client`
 * in the backend. The test plays like a user: it reads the colours off the screen and clicks
 * the pads.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tid = (id: string) => `[data-testid="${id}"]`;

interface Account {
  username: string;
  password: string;
}

describe('memory challenge example: the 9-step game flow (Chromium)', { skip: examplesSkipReason() }, () => {
  let p: Platform;
  let wearer: Account;
  let example: ChildProcess;
  let exampleOrigin: string;
  let exampleLog = '';
  let context: BrowserContext;
  let page: Page;
  let lockId: string;
  let sessionId: string;

  before(async () => {
    p = await startPlatform();
    // The fixtures hand out accounts: a wearer (self-lock) and a developer.
    const w = (await fixtureWorld(p, { lock: { keyholder: false } })) as unknown as { wearer: Account; developer: Account };
    wearer = w.wearer;

    // The developer registers the app and creates its key through the developer console API.
    const port = await freePort();
    exampleOrigin = `http://localhost:${port}`;
    const developer = await PlatformUser.login(p.baseUrl, w.developer.username, w.developer.password);
    const app = await ensureApp(developer, appDefinition(exampleOrigin));
    const appKey = await createAppKey(developer, app.id, 'e2e backend');

    // The example's backend, as its own process, as `npm run example` runs it.
    example = spawn(process.execPath, ['--import', 'tsx', 'examples/memory-challenge/src/main.ts'], {
      cwd: root,
      env: { ...process.env, LATCH_URL: p.baseUrl, LATCH_APP_KEY: appKey, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    example.stdout!.on('data', (c: Buffer) => (exampleLog += c.toString()));
    example.stderr!.on('data', (c: Buffer) => (exampleLog += c.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (example.exitCode !== null || Date.now() > deadline) throw new Error(`the example backend did not start:\n${exampleLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    ({ context, page } = await signedInPage(p, wearer.username, wearer.password));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (example && example.exitCode === null) {
      const gone = new Promise((r) => example.once('exit', r));
      example.kill('SIGTERM');
      await gone;
    }
    await p?.close();
  });

  const api = async <T>(pathname: string): Promise<T> => {
    const res = await context.request.get(pathname);
    assert.equal(res.status(), 200, `${pathname}: ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** The extension blockers the lock page lists (the unlock button is described by that list). */
  async function lockPageBlockers(): Promise<string[]> {
    await page.goto(`/locks/${lockId}`);
    await page.waitForSelector(tid('countdown'));
    return page.locator(`${tid('blockers')} .blocker`).allTextContents();
  }

  async function openGame(): Promise<Frame> {
    await page.goto(`/locks/${lockId}`);
    await page.click(tid('home-action-play'));
    const handle = await page.waitForSelector(tid('extension-iframe'));
    return (await handle.contentFrame())!;
  }

  it('the wearer creates a lock with the extension, configured in its setup page (2 wins, fewer than the app’s 3; a lost game freezes the lock for 45 min)', async () => {
    await page.goto('/locks/new');
    await page.getByLabel('Title').fill('Memory lock');
    await page.getByLabel(APP_NAME, { exact: true }).check();
    const setup = (await (await page.waitForSelector(tid(`setup-iframe-${SLUG}`))).contentFrame())!;
    const preview = page.locator(tid(`config-${SLUG}`));
    // The form stays disabled until the host's init has filled it (typing earlier would be overwritten);
    // then the page answers with the complete config.
    await setup.waitForSelector('#fields:not([disabled])');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('"requiredWins"'), tid(`config-${SLUG}`));
    await setup.fill('#requiredWins', '2');
    await setup.check('#punishment-freeze');
    await setup.fill('#punishmentMinutes', '45');
    await page.waitForFunction((sel) => /"type": "freeze"[\s\S]*"seconds": 2700|"seconds": 2700[\s\S]*"type": "freeze"/.test(document.querySelector(sel)?.textContent ?? ''), tid(`config-${SLUG}`));
    const config = JSON.parse((await preview.textContent()) ?? '{}');
    assert.deepEqual(config.punishment, { type: 'freeze', seconds: 2700 });
    assert.equal(config.requiredWins, 2);
    // "Wins required" becomes the lock's own unlock requirement, read by latch (it replaces the app's 3).
    assert.deepEqual(config.unlockRequirements, [{ metric: 'memory_win', requiredCount: 2, blocker: 'Win 2 memory games to unlock' }]);
    assert.match((await setup.locator(tid('summary')).textContent()) ?? '', /^2 wins to unlock; .*freezes the lock for 45 min/);

    await page.check('#combination-mode-code');
    await page.fill('#combination-code', '1234');
    await page.click(tid('create-lock'));
    await page.waitForURL(/\/locks\/[0-9a-f]{24}$/);
    lockId = new URL(page.url()).pathname.split('/').pop()!;
    const lock = await api<{ extensions: Array<{ slug: string; sessionId: string; config: unknown }> }>(`/api/locks/${lockId}`);
    const installed = lock.extensions.find((x) => x.slug === SLUG);
    assert.ok(installed, 'the extension is installed');
    assert.deepEqual((installed.config as { punishment: unknown }).punishment, { type: 'freeze', seconds: 2700 });
    assert.deepEqual((installed.config as { unlockRequirements: unknown }).unlockRequirements, config.unlockRequirements);
    sessionId = installed.sessionId;
  });

  it('before the extension was ever opened, "Unlock" is held by the lock’s own requirement: "Win 2 memory games to unlock — 0 of 2"', async () => {
    const blockers = await lockPageBlockers();
    assert.equal(blockers.length, 1, blockers.join(' | '));
    assert.match(blockers[0]!, /Memory challenge:\s*Win 2 memory games to unlock\s*— 0 of 2/);
    assert.equal(await page.locator(tid('unlock')).isDisabled(), true);
    assert.equal(await page.locator(tid('unlock')).getAttribute('aria-describedby'), 'unlock-blockers');
    await page.waitForSelector(tid('home-action-play'));
    assert.match((await page.locator(tid('home-action-play')).textContent()) ?? '', /Play memory challenge/);
  });

  it('the home action opens the game (intent play); a verified win shows "1 of 2" in the game and on the lock page; theme and size follow the host', async () => {
    const frame = await openGame();
    const { outcome, text } = await playMemoryGame(frame, true);
    assert.equal(outcome, 'win', text);
    assert.match(text, /You won! 10 min removed/);
    // The game reads its progress back from the platform after the win: wait for that read.
    await frame.waitForSelector(`${tid('progress')}:text-is("1 of 2 wins")`).catch(() => undefined);
    assert.equal((await frame.locator(tid('progress')).textContent())?.trim(), '1 of 2 wins');

    // Theme: the host's switch reaches the page; size: the iframe is as tall as the game.
    const before = await frame.evaluate(() => document.documentElement.getAttribute('data-chastify-theme'));
    await page.click(tid('theme-toggle'));
    await frame.waitForFunction((b) => document.documentElement.getAttribute('data-chastify-theme') !== b, before);
    const heights = await page.evaluate(() => (document.querySelector('[data-testid="extension-iframe"]') as HTMLIFrameElement).getBoundingClientRect().height);
    const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert.ok(Math.abs(heights - content) <= 4, `iframe ${heights}px for ${content}px of content`);

    const blockers = await lockPageBlockers();
    assert.match(blockers.join(' | '), /Win 2 memory games to unlock\s*— 1 of 2/);
  });

  it('a lost game applies the configured punishment: the lock page shows the lock frozen; progress stays 1 of 2', async () => {
    const frame = await openGame();
    const { outcome, text } = await playMemoryGame(frame, false);
    assert.equal(outcome, 'loss');
    assert.match(text, /Wrong: it was .*The lock is frozen for 45 min\./);
    assert.equal((await frame.locator(tid('progress')).textContent())?.trim(), '1 of 2 wins');
    assert.match((await lockPageBlockers()).join(' | '), /— 1 of 2/);
    await page.waitForSelector(tid('frozen-notice'));
    assert.equal(await page.locator(tid('countdown')).getAttribute('data-state'), 'frozen');
    assert.ok(await page.locator('[data-reason="frozen"]').count(), 'the unlock card names the freeze');
  });

  it('the second win satisfies the lock’s requirement and clears the blocker; once the time is up, the wearer unlocks', async () => {
    const frame = await openGame();
    const { outcome } = await playMemoryGame(frame, true);
    assert.equal(outcome, 'win');
    // As after the first win: the game reads its progress back from the platform; wait for that read.
    await frame.waitForSelector(`${tid('progress')}:text-is("2 of 2 wins")`).catch(() => undefined);
    assert.equal((await frame.locator(tid('progress')).textContent())?.trim(), '2 of 2 wins');
    await frame.waitForSelector('html[data-phase="complete"]');
    assert.equal(await frame.locator(tid('play')).isDisabled(), true, 'no more games once complete');

    assert.deepEqual(await lockPageBlockers(), [], 'no extension blocker is left');
    assert.match((await page.locator(tid('home-action-play')).textContent()) ?? '', /Memory challenge complete/);
    assert.equal(await page.locator(tid('unlock')).isDisabled(), true, 'time and the freeze still hold it');

    // Everything the backend did is on record.
    const history = (await api<{ results: Array<{ title: string; role: string }> }>(`/api/locks/${lockId}/history?limit=100`)).results.map((h) => h.title);
    for (const title of ['Memory game won (1 of 2)', 'Memory game lost', 'Memory game won (2 of 2)']) assert.ok(history.includes(title), `history has "${title}": ${history.join(' | ')}`);
    const notes = (await api<{ results: Array<{ title: string }> }>('/api/notifications')).results.map((n) => n.title);
    assert.ok(notes.includes('Memory game lost') && notes.includes('Memory challenge complete'), notes.join(' | '));
    const ra = await api<{ actions: Array<{ payload: { outcome: string } }> }>(`/api/extensions/sessions/${sessionId}/regular-actions`);
    assert.deepEqual(ra.actions.map((a) => a.payload.outcome).sort(), ['loss', 'win', 'win']);
    const state = await api<{ data: { games: { played: number; losses: number }; attemptLimits: Record<string, { status: string }> } }>(`/api/extensions/sessions/${sessionId}/state`);
    assert.deepEqual({ played: state.data.games.played, losses: state.data.games.losses }, { played: 3, losses: 1 });
    assert.equal(state.data.attemptLimits.memory_win?.status, 'completed', 'the win completed the round');

    // Two days later (virtual clock) the timer and the freeze are over: nothing holds the lock.
    const res = await p.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 2 * 86400 } });
    assert.equal(res.statusCode, 200, res.body);
    await page.goto(`/locks/${lockId}`);
    await page.waitForSelector(`${tid('unlock')}:not([disabled])`);
    const asked = answerNextConfirm(page, /Unlock .* now\?/, true);
    await page.click(tid('unlock'));
    await asked;
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() === 'unlocked', tid('lock-status'));
  });
});
