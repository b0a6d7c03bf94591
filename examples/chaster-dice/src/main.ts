/**
 * Runs the dice's backend (pages + API on one origin) against a latch:
 *
 *   LATCH_URL=http://127.0.0.1:3000 CHASTER_DEVELOPER_TOKEN=lk_app_… CHASTER_CLIENT_ID=cid_… PORT=5175 \
 *     npm start -w @latch/example-chaster-dice
 *
 * Register the app with dialect `chaster`, main page http://localhost:5175/main.html and
 * configuration page http://localhost:5175/configuration.html (see `app.ts`), or let
 * `npm run dev -w @latch/example-chaster-dice` do everything against a running sandbox.
 */
import { startDiceBackend } from './backend.js';

const latchUrl = (process.env.LATCH_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const developerToken = process.env.CHASTER_DEVELOPER_TOKEN;
const clientId = process.env.CHASTER_CLIENT_ID;
if (!developerToken || !clientId) {
  console.error('CHASTER_DEVELOPER_TOKEN (an app key of the dice app) and CHASTER_CLIENT_ID (its client id) are required: developer console → your app.');
  process.exit(2);
}
const { url, close } = await startDiceBackend({ latchUrl, developerToken, clientId, port: Number(process.env.PORT ?? 5175), host: process.env.HOST ?? '127.0.0.1' });
console.log(`chaster dice backend on ${url} (latch ${latchUrl})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().then(() => process.exit(0)));
