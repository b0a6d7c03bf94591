/**
 * Test plumbing for the SDK in real Chromium: the SDK built to a temp dir (ESM + .d.ts, as
 * published), static servers on distinct loopback origins, and the browser.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = path.resolve(here, '..');
export const FIXTURES = path.join(here, 'fixtures');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Browser tests need Chromium; without it they skip, unless REQUIRE_ALL=1 makes that a failure. */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.REQUIRE_ALL === '1') throw new Error(`REQUIRE_ALL=1 and no Chromium at ${CHROMIUM}`);
  return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

/** Builds the SDK with its own tsconfig.build.json into a fresh temp dir (parallel test files never share one). */
export function buildSdk(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bridge-dist-'));
  const tsc = path.resolve(PACKAGE_DIR, '../../node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(PACKAGE_DIR, 'tsconfig.build.json'), '--outDir', out], { stdio: 'pipe' });
  return out;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };

/** Serves `routes` (URL prefix → directory) on its own origin; `host` picks `127.0.0.1` or `localhost`. */
export async function staticServer(routes: Record<string, string>, host: '127.0.0.1' | 'localhost'): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    for (const [prefix, dir] of Object.entries(routes).sort((a, b) => b[0].length - a[0].length)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, `.${path.posix.normalize(`/${url.pathname.slice(prefix.length)}`)}`);
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) break;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
