/**
 * The setup page, shown by the platform while a lock is being created with this extension.
 * `createSetupPage` speaks the setup protocol: the host sends the saved config
 * (`chastify:ext:setup:init`), this page answers with `chastify:ext:setup:config` whenever the
 * form changes, and `get_config` is answered with the last config sent.
 */
import { applyTheme, createSetupPage } from '@latch/bridge';
import { humanSeconds, normalizeConfig, type GameConfig } from '../config.js';

const form = document.getElementById('setup') as HTMLFormElement;
const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const summary = document.getElementById('summary')!;
const fields = document.getElementById('fields') as HTMLFieldSetElement;

function fill(config: GameConfig) {
  input('requiredWins').value = String(config.requiredWins);
  input(`punishment-${config.punishment.type}`).checked = true;
  input('punishmentMinutes').value = String(Math.round(config.punishment.seconds / 60));
  input('rewardMinutes').value = String(Math.round(config.rewardSeconds / 60));
  input('sequenceLength').value = String(config.sequenceLength);
  input('attemptMinutes').value = String(Math.round(config.attemptLimit.durationSeconds / 60));
  input('cooldownMinutes').value = String(config.regularActions.mode === 'unlimited' ? 0 : Math.round(config.regularActions.regularitySeconds / 60));
}

function read(): GameConfig {
  const n = (id: string) => Number(input(id).value);
  const type = (form.elements.namedItem('punishment') as RadioNodeList).value === 'freeze' ? 'freeze' : 'add_time';
  const cooldown = n('cooldownMinutes');
  // The same normalization the backend applies: out-of-range input is clamped, never trusted.
  return normalizeConfig({
    // normalizeConfig turns it into `unlockRequirements`, the platform's requirement for this lock.
    requiredWins: n('requiredWins'),
    punishment: { type, seconds: n('punishmentMinutes') * 60 },
    rewardSeconds: n('rewardMinutes') * 60,
    sequenceLength: n('sequenceLength'),
    attemptLimit: { durationSeconds: n('attemptMinutes') * 60 },
    regularActions: cooldown > 0 ? { mode: 'cumulative', regularitySeconds: cooldown * 60, maxActions: 3 } : { mode: 'unlimited' },
  });
}

function describe(c: GameConfig): string {
  const p = c.punishment.type === 'freeze' ? `freezes the lock for ${humanSeconds(c.punishment.seconds)}` : `adds ${humanSeconds(c.punishment.seconds)}`;
  const reward = c.rewardSeconds ? `removes ${humanSeconds(c.rewardSeconds)}` : 'changes nothing';
  return `${c.requiredWins} win${c.requiredWins === 1 ? '' : 's'} to unlock; a win ${reward}, a lost game ${p}.`;
}

// Until the host sends the saved config, the defaults (read-only: the fieldset is disabled).
fill(normalizeConfig({}));
summary.textContent = describe(normalizeConfig({}));

const setup = createSetupPage<Record<string, unknown>>({
  onInit(saved, context) {
    // latch puts the host's look in the context (the setup page gets no launch hash).
    if (context.theme && typeof context.theme === 'object') applyTheme(context.theme as Record<string, unknown>);
    const config = normalizeConfig(saved);
    fill(config);
    summary.textContent = describe(config);
    // Send the complete config at once, so the lock gets every field even if nothing is changed.
    setup.sendConfig(config as unknown as Record<string, unknown>);
    fields.disabled = false;
    fields.removeAttribute('aria-busy');
  },
});

form.addEventListener('input', () => {
  const config = read();
  summary.textContent = describe(config);
  setup.sendConfig(config as unknown as Record<string, unknown>);
});
form.addEventListener('submit', (e) => e.preventDefault());
