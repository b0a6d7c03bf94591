/**
 * `npm run dev -w @latch/example-chaster-dice`: the dice against a latch sandbox already running
 * (`npm run dev` at the repository root; `LATCH_URL`, default http://127.0.0.1:3000).
 *
 * As the `developer` persona it registers the app (dialect `chaster`) and creates a developer
 * token, starts the backend on http://localhost:EXAMPLE_PORT (default 5175), and installs the
 * dice on the `wearer` persona's lock (as its keyholder).
 */
import { createAppKey, ensureApp, installOnLock, platformHealth, PlatformUser, type LockView } from '../../memory-challenge/src/register.js';
import { appDefinition, APP_NAME, SLUG } from './app.js';
import { startDiceBackend } from './backend.js';
import { DEFAULT_CONFIG } from './config.js';

const latchUrl = (process.env.LATCH_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const port = Number(process.env.EXAMPLE_PORT ?? 5175);
const origin = `http://localhost:${port}`;
const PASSWORD = process.env.LATCH_PERSONA_PASSWORD ?? 'latch-sandbox';

const health = await platformHealth(latchUrl);
if (!health?.dev) {
  console.error(`No latch sandbox at ${latchUrl}: start one with \`npm run dev\` (LATCH_DEV=1), or set LATCH_URL.`);
  process.exit(1);
}
const developer = await PlatformUser.login(latchUrl, 'developer', PASSWORD);
const app = (await ensureApp(developer, appDefinition(origin))) as Awaited<ReturnType<typeof ensureApp>> & { clientId: string };
const developerToken = await createAppKey(developer, app.id, `${SLUG} (npm run dev)`);
const { close } = await startDiceBackend({ latchUrl, developerToken, clientId: app.clientId, port, host: '127.0.0.1' });

const keyholder = await PlatformUser.login(latchUrl, 'keyholder', PASSWORD);
const { results } = await keyholder.request<{ results: LockView[] }>('GET', '/api/locks?role=keyholder&status=locked');
const lock = results.find((l) => l.wearer.username === 'wearer' && l.keyholderTrusted);
if (lock) await installOnLock(keyholder, lock.id, SLUG, { ...DEFAULT_CONFIG });
console.log(
  [
    `${APP_NAME} (Chaster dialect) is ready: ${origin}/main.html, configuration page ${origin}/configuration.html`,
    `  App ${app.slug} (${app.id}), client id ${app.clientId}, registered by "developer".`,
    lock ? `  Installed on the wearer's lock: ${latchUrl}/locks/${lock.id} (sign in as "wearer", password "${PASSWORD}")` : '  Install it on a lock: POST /api/locks/<lockId>/extensions {"slug":"chaster-dice"} as its keyholder.',
    'Ctrl-C stops it.',
  ].join('\n'),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().then(() => process.exit(0)));
