/**
 * The game in the lock page's iframe. It reads the launch and safe data through the bridge
 * (`@latch/bridge`), and talks to its own backend (same origin) for anything that matters: the
 * backend creates the game, keeps the answer and decides the outcome (spec 001 steps 1, 2, 4, 9).
 */
import { BridgeError, createBridge, takeHomeActionIntent, type Bridge, type MetadataData, type SessionData, type StateData } from '@latch/bridge';
import { humanSeconds, METRIC, normalizeConfig, type Color, type GameConfig } from '../config.js';

interface ChallengeView {
  challengeId: string;
  sequence: Color[];
  showMs: number;
  attempt: { attemptId: string; deadline: string | null } | null;
  wins: number;
  winsNeeded: number;
}

interface AnswerResult {
  outcome: 'win' | 'loss' | 'timeout';
  expected: Color[];
  wins: number;
  winsNeeded: number;
  complete: boolean;
  applied: { action: 'remove_time' | 'add_time' | 'freeze'; seconds: number } | null;
}

type Phase = 'loading' | 'idle' | 'starting' | 'showing' | 'input' | 'checking' | 'complete' | 'unavailable';

const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  progress: el('progress'),
  barFill: el('bar-fill'),
  status: el('status'),
  sequence: el<HTMLOListElement>('sequence'),
  pads: el('pads'),
  entered: el('entered'),
  result: el('result'),
  play: el<HTMLButtonElement>('play'),
  rules: el('rules'),
  facts: el('facts'),
};

const label = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);

let bridge: Bridge;
try {
  // Reads and validates the launch hash (then removes it from the address bar), applies the
  // host's theme as CSS variables and keeps the iframe's height in step with the page.
  bridge = createBridge({ theme: { darkClass: 'dark' } });
} catch (err) {
  ui.progress.textContent = 'Open this game from a lock page.';
  ui.status.textContent = err instanceof BridgeError ? err.message : String(err);
  throw err;
}
const launch = bridge.launch;

let phase: Phase = 'loading';
let config: GameConfig = normalizeConfig({});
let wins = 0;
let needed = 3;
let challenge: ChallengeView | null = null;
let entered: Color[] = [];

function setPhase(next: Phase) {
  phase = next;
  ui.sequence.hidden = next !== 'showing';
  ui.pads.hidden = next !== 'input' && next !== 'checking';
  ui.entered.hidden = ui.pads.hidden;
  for (const b of ui.pads.querySelectorAll('button')) b.disabled = next !== 'input';
  const wearer = launch.role !== 'keyholder';
  ui.play.hidden = !wearer;
  ui.play.disabled = !wearer || (next !== 'idle' && next !== 'unavailable');
  ui.play.textContent = next === 'starting' ? 'Starting…' : 'Play a game';
  document.documentElement.dataset.phase = next;
}

function renderProgress() {
  ui.progress.textContent = `${Math.min(wins, needed)} of ${needed} wins`;
  ui.progress.dataset.wins = String(wins);
  ui.barFill.style.width = `${Math.min(100, (100 * wins) / needed)}%`;
}

function renderRules() {
  const p = config.punishment;
  const ra = config.regularActions;
  const items = [
    `Remember ${config.sequenceLength} colours, then repeat them.`,
    `Win ${needed} games to unlock.`,
    config.rewardSeconds ? `A win removes ${humanSeconds(config.rewardSeconds)}.` : 'A win does not change the timer.',
    p.type === 'freeze' ? `A lost game freezes the lock for ${humanSeconds(p.seconds)}.` : `A lost game adds ${humanSeconds(p.seconds)}.`,
    `A round must be won within ${humanSeconds(config.attemptLimit.durationSeconds)} of starting it.`,
    ra.mode === 'unlimited' ? 'Play as often as you like.' : `One new game every ${humanSeconds(ra.regularitySeconds)} (up to ${ra.maxActions} saved).`,
  ];
  ui.rules.replaceChildren(...items.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
}

function renderFacts(session: SessionData, state: StateData) {
  const d = session.lockData;
  const games = (state.data.games ?? {}) as { played?: number; losses?: number };
  const rows: Array<[string, string]> = [
    ['Lock', d.lockTitle],
    ['Time left', d.timeRemainingSeconds === null ? 'hidden' : humanSeconds(d.timeRemainingSeconds)],
    ['Frozen', d.frozen ? 'yes' : 'no'],
    ['Games played', String(games.played ?? 0)],
    ['Games lost', String(games.losses ?? 0)],
    ['You are', session.role ?? launch.role ?? '—'],
  ];
  ui.facts.replaceChildren(
    ...rows.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]),
  );
}

/** Step 9 (and 1): the safe reads, through the host. */
async function refresh(): Promise<void> {
  const [session, metadata, state] = await Promise.all([bridge.session.get(), bridge.metadata.get(), bridge.state.get()]);
  config = normalizeConfig(session.config);
  const req = (metadata as MetadataData).unlockRequirements.find((r) => r.metric === METRIC);
  wins = req?.count ?? 0;
  // The platform's requirement for this lock (its config's unlockRequirements) is the count.
  needed = req?.requiredCount ?? config.requiredWins;
  renderProgress();
  renderRules();
  renderFacts(session, state);
  if (session.status !== 'locked') {
    ui.status.textContent = 'This lock has ended.';
    setPhase('unavailable');
    ui.play.disabled = true;
  } else if (wins >= needed) {
    ui.status.textContent = 'Challenge complete: it no longer holds the lock.';
    setPhase('complete');
  } else if (launch.role === 'keyholder') {
    ui.status.textContent = 'The wearer plays; you can follow the progress here.';
    setPhase('idle');
  } else if (phase === 'loading') {
    setPhase('idle');
  }
}

async function backend<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const code = json?.error?.code ?? `http_${res.status}`;
    const expired = code === 'invalid_main_token' || code === 'main_token_expired';
    throw new Error(expired ? 'This launch has expired: open the game again from the lock page.' : (json?.error?.message ?? `The game server answered ${res.status}`));
  }
  return json as T;
}

/** Steps 2–3: ask the backend for a game, with the launch's token; then show the sequence. */
async function play() {
  if (phase !== 'idle' && phase !== 'unavailable') return;
  setPhase('starting');
  ui.result.hidden = true;
  ui.status.textContent = '';
  try {
    challenge = await backend<ChallengeView>('/api/challenges', { sessionId: launch.sessionId, mainToken: launch.mainToken });
  } catch (err) {
    ui.status.textContent = (err as Error).message;
    setPhase('unavailable');
    await refresh().catch(() => undefined);
    return;
  }
  entered = [];
  ui.sequence.replaceChildren(
    ...challenge.sequence.map((c, i) => {
      const li = document.createElement('li');
      li.className = `tile ${c}`;
      li.dataset.color = c;
      li.textContent = label(c);
      li.setAttribute('aria-label', `${i + 1}: ${label(c)}`);
      return li;
    }),
  );
  ui.status.textContent = `Remember these ${challenge.sequence.length} colours.`;
  setPhase('showing');
  setTimeout(() => {
    ui.status.textContent = 'Now repeat them, in order.';
    ui.entered.textContent = `0 of ${challenge!.sequence.length}`;
    setPhase('input');
    (ui.pads.querySelector('button') as HTMLButtonElement | null)?.focus();
  }, challenge.showMs);
}

/** Step 4: the answer goes to the backend, which verifies it (step 5) and applies the outcome (6–8). */
async function submit() {
  const current = challenge!;
  setPhase('checking');
  ui.status.textContent = 'Checking…';
  let result: AnswerResult;
  try {
    result = await backend<AnswerResult>(`/api/challenges/${current.challengeId}/answer`, { mainToken: launch.mainToken, answer: entered });
  } catch (err) {
    ui.status.textContent = (err as Error).message;
    setPhase('idle');
    return;
  }
  challenge = null;
  const a = result.applied;
  const effect = !a ? '' : a.action === 'remove_time' ? ` ${humanSeconds(a.seconds)} removed.` : a.action === 'add_time' ? ` ${humanSeconds(a.seconds)} added.` : ` The lock is frozen for ${humanSeconds(a.seconds)}.`;
  ui.result.className = `result ${result.outcome}`;
  ui.result.dataset.outcome = result.outcome;
  ui.result.textContent =
    result.outcome === 'win'
      ? `You won!${effect}`
      : `${result.outcome === 'timeout' ? 'Too late: the round ran out of time.' : `Wrong: it was ${result.expected.map(label).join(', ')}.`}${effect}`;
  ui.result.hidden = false;
  ui.status.textContent = '';
  setPhase('idle');
  // Step 9: show what the platform now says (progress, time, state), not what we think happened.
  await refresh();
}

ui.pads.addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-color]');
  if (!b || phase !== 'input' || !challenge) return;
  entered.push(b.dataset.color as Color);
  ui.entered.textContent = `${entered.length} of ${challenge.sequence.length}`;
  if (entered.length === challenge.sequence.length) void submit();
});
ui.play.addEventListener('click', () => void play());
bridge.onTheme((t) => (document.documentElement.dataset.theme = t.theme));

// A home action opened the game: `play` starts a game at once (spec 002 intents).
const opened = takeHomeActionIntent(launch);
refresh()
  .then(() => {
    if (opened?.intent.type === 'play' && launch.role !== 'keyholder' && phase === 'idle') {
      if (opened.intent.message) ui.status.textContent = opened.intent.message;
      void play();
    }
  })
  .catch((err: unknown) => {
    ui.progress.textContent = 'Could not reach the platform.';
    ui.status.textContent = err instanceof BridgeError ? `${err.message} (${err.code})` : String(err);
  });
