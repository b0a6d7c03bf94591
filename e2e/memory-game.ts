import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';

const tid = (id: string) => `[data-testid="${id}"]`;

/**
 * One memory-challenge game, played as a user: the `play` intent starts it at once; read the
 * colours while they are shown, wait for the pads, click (the right or a wrong sequence).
 */
export async function playMemoryGame(frame: Frame, win: boolean): Promise<{ outcome: string; text: string }> {
  // The colours stay in the page after they are hidden: a slow machine that misses the few
  // seconds they are shown still reads them (a user would have had those seconds).
  await frame.waitForSelector(`${tid('sequence')} li`, { state: 'attached' });
  const colours = await frame.$$eval(`${tid('sequence')} li`, (els) => els.map((e) => (e as HTMLElement).dataset.color!));
  assert.ok(colours.length >= 3, `a sequence is shown: ${colours.join(',')}`);
  await frame.waitForSelector('html[data-phase="input"]');
  assert.equal(await frame.locator(tid('sequence')).isVisible(), false, 'the sequence is hidden while the wearer repeats it');
  const answer = win ? colours : [colours[0] === 'red' ? 'blue' : 'red', ...colours.slice(1)];
  for (const c of answer) await frame.click(tid(`pad-${c}`));
  const result = await frame.waitForSelector(`${tid('result')}:not([hidden])`);
  // Step 9: the game shows what the platform says afterwards.
  await frame.waitForSelector('html[data-phase="idle"], html[data-phase="complete"]');
  return { outcome: (await result.getAttribute('data-outcome')) ?? '', text: (await result.textContent()) ?? '' };
}
