/**
 * `npm run screenshots`: the lock page and the developer console at desktop and phone width, in
 * light and dark; the unlocked lock with its combination, the creation form's combination step and
 * a shared lock's page at desktop width; written to docs/screenshots/ (linked from the README).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { answerNextConfirm, fixtureWorld, signedInPage, startPlatform } from './harness.js';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
fs.mkdirSync(out, { recursive: true });

const p = await startPlatform();
try {
  const w = await fixtureWorld(p, {
    extension: {
      slug: 'memory-challenge',
      name: 'Memory challenge',
      iframeUrl: `${p.extOrigin}/index.html`,
      allowedOrigins: [p.extOrigin],
      initialMetadata: {
        unlockRequirements: [{ metric: 'memory_win', requiredCount: 3, blocker: 'Complete 3 memory challenge wins to unlock' }],
        homeActions: [{ slug: 'play', title: 'Play memory challenge', badge: 'Required', intent: { type: 'play' } }],
      },
    },
    lock: { title: 'Weekend challenge', durationSeconds: 2 * 86400 + 5 * 3600 },
  });
  // Some life on the lock: progress, a task, a custom log.
  const headers = { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer };
  const S = `/api/extensions/sessions/${w.session.id}`;
  await p.app.inject({ method: 'POST', url: `${S}/requirements/progress`, headers, payload: { metric: 'memory_win' } });
  await p.app.inject({ method: 'POST', url: `${S}/action`, headers, payload: { name: 'task.assign', params: { taskText: 'Write a short reflection', points: 5, durationMinutes: 30 } } });
  await p.app.inject({ method: 'POST', url: `${S}/logs/custom`, headers, payload: { title: 'Round 1 won', description: 'Verified by the memory challenge backend', color: '#22c55e' } });

  // A self-lock whose hour is over: the wearer unlocks it on the page and views the combination.
  const done = await fixtureWorld(p, { lock: { keyholder: false, title: 'Evening lock', durationSeconds: 3600, combination: '4-1-7-9' } });
  await p.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 2 * 3600 } });
  const unlockAndView = async (page: Page) => {
    const asked = answerNextConfirm(page, /^Unlock/, true);
    await page.click('[data-testid="unlock"]');
    await asked;
    await page.click('[data-testid="view-combination"]');
    await page.waitForSelector('[data-testid="combination-code"]');
  };
  // A shared lock the world's keyholder publishes, as a wearer opening its link sees it.
  const kh = await signedInPage(p, w.keyholder!.username, w.keyholder!.password);
  const { csrfToken } = (await (await kh.context.request.get('/api/me')).json()) as { csrfToken: string };
  const published = await kh.context.request.post('/api/shared-locks', {
    headers: { 'x-csrf-token': csrfToken },
    data: { name: 'A week with me', description: 'Tasks every evening; I add time when you slack.', template: { randomDuration: { minSeconds: 3 * 86400, maxSeconds: 7 * 86400 }, maxDurationSeconds: 14 * 86400, settings: { tasks: { enabled: true } } } },
  });
  if (published.status() !== 201) throw new Error(`publishing the shared lock: ${published.status()} ${await published.text()}`);
  const shared = (await published.json()) as { id: string };
  await kh.context.close();

  const BOTH = [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 812 }],
  ] as const;
  const DESKTOP = [BOTH[0]] as const;
  const shots: Array<{ name: string; user: { username: string; password: string }; url: string; devices: ReadonlyArray<(typeof BOTH)[number]>; themes: ReadonlyArray<'light' | 'dark'>; prepare?: (page: Page) => Promise<void> }> = [
    { name: 'lock', user: w.wearer, url: `/locks/${w.lock.id}`, devices: BOTH, themes: ['light', 'dark'] },
    { name: 'console', user: (w as unknown as { developer: { username: string; password: string } }).developer, url: '/developer', devices: BOTH, themes: ['light', 'dark'] },
    { name: 'create-lock', user: w.wearer, url: '/locks/new', devices: DESKTOP, themes: ['light'] },
    { name: 'shared-lock', user: w.wearer, url: `/shared/${shared.id}`, devices: DESKTOP, themes: ['light'] },
    // Last: the unlock happens on the page, once.
    { name: 'lock-unlocked', user: done.wearer, url: `/locks/${done.lock.id}`, devices: DESKTOP, themes: ['light'], prepare: unlockAndView },
  ];
  for (const shot of shots) {
    for (const [device, viewport] of shot.devices) {
      for (const theme of shot.themes) {
        const { context, page } = await signedInPage(p, shot.user.username, shot.user.password, viewport);
        await context.addInitScript((t) => localStorage.setItem('latch.theme', t), theme);
        await page.goto(shot.url);
        await page.waitForLoadState('networkidle');
        await shot.prepare?.(page);
        await page.waitForTimeout(500);
        const file = path.join(out, `${shot.name}-${device}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await context.close();
      }
    }
  }
} finally {
  await p.close();
}
