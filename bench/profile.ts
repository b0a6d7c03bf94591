/**
 * Profiles the latch server alone under load, so the profile holds the server's work and not the
 * load generator's. Starts the app of extension-session.bench.ts (fixture world, limits
 * multiplied away) on the database named by argv[2] (`sqlite` | `postgres`), runs the autocannon
 * CLI as a child process against argv[3] (`get` | `patch`) for BENCH_DURATION seconds, then exits.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results/profiles --import tsx bench/profile.ts sqlite get
 *   node bench/profile-summary.mjs bench/results/profiles/<file>.cpuprofile
 *
 * See bench/README.md.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR } from './lib.js';
import { openPostgres, openSqlite, PATCH_BODY, startLatch } from './extension-session.bench.js';

const kind = process.argv[2] ?? 'sqlite';
const route = process.argv[3] ?? 'get';
if (!['sqlite', 'postgres'].includes(kind) || !['get', 'patch'].includes(route)) {
  throw new Error('usage: profile.ts sqlite|postgres get|patch');
}
const seconds = Number(process.env.BENCH_DURATION || 10);

const latch = await startLatch(kind === 'sqlite' ? await openSqlite() : await openPostgres());
try {
  const url = `${latch.url}/api/extensions/sessions/${latch.sessionId}${route === 'patch' ? '/state' : ''}`;
  const args = ['-c', '10', '-d', String(seconds), ...Object.entries(latch.auth).flatMap(([k, v]) => ['-H', `${k}=${v}`])];
  if (route === 'patch') args.push('-m', 'PATCH', '-H', 'content-type=application/json', '-b', PATCH_BODY);
  const bin = path.join(BENCH_DIR, '..', 'node_modules', '.bin', 'autocannon');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, [...args, url], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`autocannon exited ${code}`))));
  });
} finally {
  await latch.close();
}
