/**
 * The main page (Chaster's docs, "Main page"): read `mainToken` from the hash, pass it to the
 * backend, render what it answers. The wearer rolls; the keyholder follows the rolls.
 */
import type { RollResult, SessionView } from '../backend.js';
import { backend, hashParams } from './page.js';

const FACES = ['', '⚀', '⚁', '⚂', '⚃', '⚄', '⚅'];
const el = (id: string) => document.getElementById(id)!;
const button = el('roll') as HTMLButtonElement;
const mainToken = String(hashParams().mainToken ?? '');

function render(s: SessionView) {
  el('rules').textContent = s.rules.text;
  el('progress').textContent = s.complete ? `All ${s.rules.rollsRequired} rolls made: the dice no longer holds the lock.` : `${s.rolls.length} of ${s.rules.rollsRequired} rolls made.`;
  el('rolls').replaceChildren(
    ...s.rolls.map((r) => {
      const li = document.createElement('li');
      li.textContent = FACES[r] ?? String(r);
      li.title = `${r}`;
      li.dataset.roll = String(r);
      return li;
    }),
  );
  // Only the wearer rolls (the backend checks it too).
  button.hidden = s.role !== 'wearer';
  button.disabled = s.complete || s.lock.status !== 'locked';
  document.documentElement.dataset.state = s.complete ? 'complete' : 'ready';
}

function fail(err: unknown) {
  el('error').textContent = err instanceof Error ? err.message : String(err);
}

button.addEventListener('click', () => {
  button.disabled = true;
  el('error').textContent = '';
  backend<RollResult>('POST', '/api/roll', { mainToken })
    .then((r) => {
      el('die').textContent = FACES[r.roll] ?? String(r.roll);
      el('result').textContent = `You rolled a ${r.roll}: ${Math.round(r.addedSeconds / 60)} min added.`;
      el('result').dataset.roll = String(r.roll);
      render(r.session);
    })
    .catch((err: unknown) => {
      fail(err);
      button.disabled = false;
    });
});

backend<SessionView>('POST', '/api/session', { mainToken }).then(render, fail);
