/**
 * Runs the memory challenge's backend on its own (pages + API on one origin):
 *
 *   LATCH_URL=http://127.0.0.1:3000 LATCH_APP_KEY=lk_app_… PORT=5174 npx tsx examples/memory-challenge/src/main.ts
 *
 * Register the app with `iframeUrl` http://localhost:5174/game.html and `setupUrl`
 * http://localhost:5174/setup.html (see `app.ts`), or let `npm run example` do everything.
 */
import { startMemoryBackend } from './backend.js';

const latchUrl = (process.env.LATCH_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const appKey = process.env.LATCH_APP_KEY;
if (!appKey) {
  console.error('LATCH_APP_KEY is required: an app-scoped developer key of the memory-challenge app (developer console → Developer keys).');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 5174);
const host = process.env.HOST ?? '127.0.0.1';

const { close } = await startMemoryBackend({ latchUrl, appKey, port, host });
console.log(`memory challenge backend on http://${host}:${port} (platform ${latchUrl})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void close().then(() => process.exit(0));
  });
}
