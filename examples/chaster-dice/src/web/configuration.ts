/**
 * The configuration page (Chaster's docs, "Configuration page"): read
 * `partnerConfigurationToken` from the hash, tell the modal it can save, load the configuration
 * through the backend, and save it when the modal's Save button sends `partner_configuration_save`.
 * Messages are JSON strings, as the docs show; they go to the platform's origin only (the docs
 * write `"*"`, which would hand them to whatever page framed this one), and only the platform's
 * messages from the parent window are listened to.
 */
// The docs recommend iframe-resizer's page side (4.x, as their CDN link): it reports this page's height to the modal's frame.
import 'iframe-resizer/js/iframeResizer.contentWindow.js';
import { describeConfig, normalizeConfig, type DiceConfig } from '../config.js';
import { backend, hashParams, platformOrigin } from './page.js';

const token = encodeURIComponent(String(hashParams().partnerConfigurationToken ?? ''));
const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const fields = document.getElementById('fields') as HTMLFieldSetElement;
const summary = document.getElementById('summary')!;
const status = document.getElementById('status')!;

const toModal = (event: string, payload?: unknown) =>
  window.parent.postMessage(JSON.stringify({ type: 'partner_configuration', event, ...(payload === undefined ? {} : { payload }) }), platformOrigin);

function read(): DiceConfig {
  return normalizeConfig({ rollsRequired: Number(input('rollsRequired').value), secondsPerPip: Number(input('minutesPerPip').value) * 60 });
}

function fill(c: DiceConfig) {
  input('rollsRequired').value = String(c.rollsRequired);
  input('minutesPerPip').value = String(Math.round(c.secondsPerPip / 60));
  summary.textContent = describeConfig(c);
}

async function save() {
  toModal('save_loading');
  try {
    const { config } = await backend<{ config: DiceConfig }>('PUT', `/api/configuration/${token}`, { config: read() });
    fill(config);
    toModal('save_success');
  } catch (err) {
    status.textContent = err instanceof Error ? err.message : String(err);
    toModal('save_failed');
  }
}

addEventListener('message', (e: MessageEvent) => {
  if (e.origin !== platformOrigin || e.source !== window.parent || typeof e.data !== 'string') return;
  let message: { type?: unknown; event?: unknown };
  try {
    message = JSON.parse(e.data) as typeof message;
  } catch {
    return;
  }
  if (message.type === 'chaster' && message.event === 'partner_configuration_save') void save();
});

toModal('capabilities', { features: { save: true } });
document.getElementById('form')!.addEventListener('input', () => (summary.textContent = describeConfig(read())));
document.getElementById('form')!.addEventListener('submit', (e) => e.preventDefault());

backend<{ config: DiceConfig }>('GET', `/api/configuration/${token}`).then(
  ({ config }) => {
    fill(config);
    fields.disabled = false;
    fields.removeAttribute('aria-busy');
    document.documentElement.dataset.state = 'ready';
  },
  (err: unknown) => (status.textContent = err instanceof Error ? err.message : String(err)),
);
