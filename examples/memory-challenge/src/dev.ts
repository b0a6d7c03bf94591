/**
 * `npm run example`: the platform's sandbox and the memory challenge side by side, ready to
 * click through.
 *
 * 1. Starts latch in dev mode (`LATCH_DEV=1`, port `PORT`, default 3000), unless a sandbox
 *    already answers at `LATCH_URL`.
 * 2. As the `developer` persona, registers the app through the developer console API (or
 *    updates it) and creates an app-scoped key (kept in `data/memory-challenge.json`, next to the
 *    platform's database, and reused while it still works).
 * 3. Starts the example's backend, which serves the game and setup pages too, on
 *    http://localhost:EXAMPLE_PORT (default 5174): another host name than the platform's, so the
 *    platform's cookie never reaches it (cookies ignore ports).
 * 4. As the `keyholder` persona, installs the app on the `wearer` persona's lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDefinition, APP_NAME, PLAY_ACTION, SLUG } from './app.js';
import { startMemoryBackend } from './backend.js';
import { DEFAULT_CONFIG } from './config.js';
import { appKeyWorks, createAppKey, ensureApp, installOnLock, platformHealth, PlatformUser, type LockView } from './register.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const port = Number(process.env.PORT ?? 3000);
const latchUrl = (process.env.LATCH_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
const examplePort = Number(process.env.EXAMPLE_PORT ?? 5174);
const exampleOrigin = (process.env.EXAMPLE_ORIGIN ?? `http://localhost:${examplePort}`).replace(/\/+$/, '');
const PASSWORD = process.env.LATCH_PERSONA_PASSWORD ?? 'latch-sandbox';
// Next to the platform's SQLite file (wiping that directory forgets both), else in ./data.
const sqlite = process.env.DATABASE_URL?.startsWith('sqlite:') ? path.resolve(root, process.env.DATABASE_URL.slice('sqlite:'.length)) : null;
const credentialsFile = path.join(sqlite ? path.dirname(sqlite) : path.join(root, 'data'), 'memory-challenge.json');

let platform: ChildProcess | null = null;
let closeBackend: (() => Promise<void>) | null = null;

function prefixed(stream: NodeJS.ReadableStream, prefix: string, out: NodeJS.WritableStream) {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
}

async function startPlatform(): Promise<void> {
  const health = await platformHealth(latchUrl);
  if (health) {
    if (!health.dev) throw new Error(`latch at ${latchUrl} does not run the sandbox (LATCH_DEV=1): stop it, or point LATCH_URL at a sandbox`);
    console.log(`Using the latch sandbox already running at ${latchUrl}`);
    return;
  }
  console.log(`Starting latch (dev mode) at ${latchUrl} …`);
  // The compiled server (`npm run example` builds it first, as `npm start` does).
  platform = spawn(process.execPath, ['packages/server/dist/start.js'], {
    cwd: root,
    env: { ...process.env, LATCH_DEV: '1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixed(platform.stdout!, '[latch] ', process.stdout);
  prefixed(platform.stderr!, '[latch] ', process.stderr);
  const exited = new Promise<never>((_, reject) => platform!.once('exit', (code) => reject(new Error(`latch exited (${code}) before it was ready`))));
  const deadline = Date.now() + 60_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (await platformHealth(latchUrl)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`latch did not answer at ${latchUrl} within 60 s`);
  })();
  await Promise.race([ready, exited]);
}

/** The stored key when it is for this app on this platform and still works; else a new one. */
async function appKeyFor(developer: PlatformUser, appId: string): Promise<string> {
  try {
    const saved = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { latchUrl?: string; appId?: string; appKey?: string };
    if (saved.latchUrl === latchUrl && saved.appId === appId && saved.appKey && (await appKeyWorks(latchUrl, saved.appKey, SLUG))) return saved.appKey;
  } catch {
    // none yet
  }
  const appKey = await createAppKey(developer, appId, `${SLUG} (npm run example)`);
  fs.mkdirSync(path.dirname(credentialsFile), { recursive: true });
  fs.writeFileSync(credentialsFile, JSON.stringify({ latchUrl, appId, appKey }, null, 2) + '\n', { mode: 0o600 });
  return appKey;
}

/**
 * Installs the example on the wearer persona's lock. On a lock with a keyholder only a trusted
 * keyholder changes extensions, so the wearer persona trusts the keyholder persona first (the
 * sandbox plays both sides here; a real wearer decides this on the lock page).
 */
async function installForWearer(): Promise<{ lock: LockView; sessionId: string } | null> {
  const keyholder = await PlatformUser.login(latchUrl, 'keyholder', PASSWORD).catch(() => null);
  if (!keyholder) return null;
  const { results } = await keyholder.request<{ results: LockView[] }>('GET', '/api/locks?role=keyholder&status=locked');
  const lock = results.find((l) => l.wearer.username === 'wearer');
  if (!lock) return null;
  if (!lock.keyholderTrusted) {
    const wearer = await PlatformUser.login(latchUrl, 'wearer', PASSWORD);
    await wearer.request('POST', `/api/locks/${lock.id}/keyholder/trust`);
  }
  const { sessionId } = await installOnLock(keyholder, lock.id, SLUG, DEFAULT_CONFIG as unknown as Record<string, unknown>);
  return { lock, sessionId };
}

async function shutdown(code: number) {
  await closeBackend?.().catch(() => undefined);
  if (platform && platform.exitCode === null) {
    const gone = new Promise((r) => platform!.once('exit', r));
    platform.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(0));

try {
  await startPlatform();
  const developer = await PlatformUser.login(latchUrl, 'developer', PASSWORD);
  const app = await ensureApp(developer, appDefinition(exampleOrigin));
  const appKey = await appKeyFor(developer, app.id);
  const started = await startMemoryBackend({ latchUrl, appKey, port: examplePort, host: '127.0.0.1' });
  closeBackend = started.close;
  await started.backend.assets(); // bundle the pages now: a build error shows here, not in the iframe
  const installed = await installForWearer();

  const lines = [
    '',
    `${APP_NAME} is ready.`,
    `  Platform:   ${latchUrl}   (personas wearer / keyholder / developer, password "${PASSWORD}")`,
    `  Extension:  ${exampleOrigin}   (game ${exampleOrigin}/game.html, setup page ${exampleOrigin}/setup.html, backend ${exampleOrigin}/api)`,
    `  App:        ${app.slug} (${app.id}), registered by "developer"; its app key is in ${credentialsFile.startsWith(root + path.sep) ? path.relative(root, credentialsFile) : credentialsFile}`,
  ];
  if (installed) {
    lines.push(
      `  Installed on the wearer's lock "${installed.lock.title}": ${latchUrl}/locks/${installed.lock.id}`,
      '',
      'Try it:',
      `  1. Open ${latchUrl} and sign in as "wearer" (the sign-in page has a button per persona).`,
      `  2. Open the lock "${installed.lock.title}": "Unlock" is held by "Win 3 memory games to unlock — 0 of 3".`,
      `  3. Click "${PLAY_ACTION.title}", remember the colours, repeat them. Each win shows "1 of 3", "2 of 3" on the lock page;`,
      '     a wrong answer adds 30 min (the lock owner can choose a freeze instead in the setup page).',
    );
  } else {
    lines.push('  The wearer persona has no lock with a keyholder here: install it yourself (below).');
  }
  lines.push(
    '',
    'On another lock: create one at /locks/new and tick "Memory challenge" (its setup page opens there), or, as the',
    `lock's keyholder: POST ${latchUrl}/api/locks/<lockId>/extensions {"slug":"${SLUG}"}.`,
    'Ctrl-C stops both.',
    '',
  );
  console.log(lines.join('\n'));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
}
