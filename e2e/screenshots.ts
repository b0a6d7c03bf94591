/**
 * `npm run screenshots`: the lock page and the developer console at desktop and phone width, in
 * light and dark, written to docs/screenshots/ (linked from the README).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureWorld, signedInPage, startPlatform } from './harness.js';

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

  const shots: Array<{ name: string; user: { username: string; password: string }; url: string }> = [
    { name: 'lock', user: w.wearer, url: `/locks/${w.lock.id}` },
    { name: 'console', user: (w as unknown as { developer: { username: string; password: string } }).developer, url: '/developer' },
  ];
  for (const shot of shots) {
    for (const [device, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 375, height: 812 }],
    ] as const) {
      for (const theme of ['light', 'dark'] as const) {
        const { context, page } = await signedInPage(p, shot.user.username, shot.user.password, viewport);
        await context.addInitScript((t) => localStorage.setItem('latch.theme', t), theme);
        await page.goto(shot.url);
        await page.waitForLoadState('networkidle');
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
