import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../packages/server/src/app.js';
import { VirtualClock } from '../packages/server/src/clock.js';
import { testConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/connect.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import type { App } from '../packages/server/src/http/types.js';
import { WEB_DIST } from '../packages/server/src/http/web.js';
import { createIdGenerator } from '../packages/server/src/ids.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Browser tests need Chromium; without it they skip, unless REQUIRE_ALL=1 makes that a failure. */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.REQUIRE_ALL === '1') throw new Error(`REQUIRE_ALL=1 and no Chromium at ${CHROMIUM}`);
  return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

/**
 * Tests of the examples need Chromium, the built web UI and the built client SDK (the examples'
 * backends import it); without them they skip, unless REQUIRE_ALL=1 makes that a failure.
 */
export function examplesSkipReason(): string | false {
  const noBrowser = browserSkipReason();
  if (noBrowser) return noBrowser;
  const root = path.resolve(here, '..');
  const missing = [path.join(WEB_DIST, 'index.html'), path.join(root, 'packages/client/dist/index.js')].filter((f) => !fs.existsSync(f));
  if (!missing.length) return false;
  const why = `not built: ${missing.map((f) => path.relative(root, f)).join(', ')} (npm run build:web && npm run build:sdk; npm test does both)`;
  if (process.env.REQUIRE_ALL === '1') throw new Error(why);
  return why;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** A static server for a test extension, on its own origin (the host must not share it). */
export async function staticServer(dir: string, host = 'localhost'): Promise<{ origin: string; close(): Promise<void> }> {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(dir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, '') === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { origin: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export interface Platform {
  baseUrl: string;
  app: App;
  clock: VirtualClock;
  /** The test extension's origin (registered with its app). */
  extOrigin: string;
  /** Another origin serving the same pages, registered nowhere. */
  rogueOrigin: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The whole platform on real ports (SQLite in a temp dir), two extension origins and Chromium. */
export async function startPlatform(): Promise<Platform> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-e2e-'));
  const database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
  await migrateToLatest(database);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clock = new VirtualClock();
  const config = testConfig({ publicUrl: baseUrl, dev: true, port, rateLimitMultiplier: 100 });
  const app = await buildApp({ config, database, clock, ids: createIdGenerator(clock), logger: pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' }) });
  await app.listen({ port, host: '127.0.0.1' });
  const fixtures = path.join(here, 'fixtures', 'extension');
  const ext = await staticServer(fixtures, 'localhost');
  const rogue = await staticServer(fixtures, 'localhost');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    baseUrl,
    app,
    clock,
    extOrigin: ext.origin,
    rogueOrigin: rogue.origin,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await database.close();
      await ext.close();
      await rogue.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface World {
  wearer: { id: string; username: string; password: string; userKey: string };
  keyholder: { id: string; username: string; password: string } | null;
  app: { id: string; slug: string; appKey: string };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
}

export async function fixtureWorld(p: Platform, body: Record<string, unknown> = {}): Promise<World> {
  const res = await p.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: body });
  if (res.statusCode !== 201) throw new Error(`fixtures ${res.statusCode} ${res.body}`);
  return res.json() as World;
}

const SLOW_REQUEST_MS = 10_000;
/** How long a wait may take before it counts as a hang (a busy CI machine is slow, not broken). */
export const E2E_WAIT_MS = 60_000;

/**
 * Reports what goes wrong inside the browser as it happens (uncaught page errors, requests that
 * failed or answered 5xx, requests slower than 10 s), on stderr, which the test runner shows next
 * to a failure: a wait that gives up then says whether the page broke, the server was slow or the
 * machine was. Expected 4xx answers are not reported; neither are requests aborted by navigation.
 */
export function observe(context: BrowserContext, label = path.basename(process.argv[1] ?? 'e2e')): BrowserContext {
  const report = (page: Page, what: string) => console.error(`[${label}] ${new URL(page.url() || 'about:blank').pathname}: ${what}`);
  const watch = (page: Page) => {
    page.on('pageerror', (err) => report(page, `page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? '';
      if (!why.includes('ERR_ABORTED')) report(page, `${req.method()} ${req.url()} failed: ${why}`);
    });
    page.on('requestfinished', async (req) => {
      const res = await req.response().catch(() => null);
      if (res && res.status() >= 500) report(page, `${req.method()} ${req.url()} answered ${res.status()}`);
      const t = req.timing();
      if (t.responseEnd > SLOW_REQUEST_MS) report(page, `${req.method()} ${req.url()} took ${Math.round(t.responseEnd)} ms`);
    });
  };
  // A wait's ceiling, not its pace: waits end on what the page does, this only bounds a hang.
  context.setDefaultTimeout(E2E_WAIT_MS);
  context.pages().forEach(watch);
  context.on('page', watch);
  return context;
}

/** A browser context signed in as the user (cookie set through the real login route). */
export async function signedInPage(p: Platform, username: string, password: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = observe(await p.browser.newContext({ baseURL: p.baseUrl, viewport }));
  const res = await context.request.post('/api/auth/login', { data: { username, password } });
  if (res.status() !== 200) throw new Error(`login ${res.status()} ${await res.text()}`);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Answers the next `window.confirm` of `page` (an irreversible action asks first): checks its
 * question, then accepts or cancels it. Resolves with the question once answered.
 */
export function answerNextConfirm(page: Page, question: RegExp, accept: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    page.once('dialog', (dialog) => {
      const asked = dialog.message();
      const answered = dialog.type() === 'confirm' && question.test(asked) ? (accept ? dialog.accept() : dialog.dismiss()) : Promise.reject(new Error(`unexpected ${dialog.type()}: ${asked}`));
      answered.then(() => resolve(asked), reject);
    });
  });
}
