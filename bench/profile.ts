/**
 * Profiles the latch server alone under load, so the profile holds the server's work and not the
 * load generator's. Starts the app of extension-session.bench.ts (fixture world, limits
 * multiplied away) on the database named by argv[2] (`sqlite` | `postgres`), runs the autocannon
 * CLI as a child process against argv[3] (`get` | `patch`) for BENCH_DURATION seconds, then exits.
 * `me` profiles `GET /api/me` with a session cookie instead (the app of me.bench.ts, SQLite only).
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results/profiles --import tsx bench/profile.ts sqlite get
 *   node bench/profile-summary.mjs bench/results/profiles/<file>.cpuprofile
 *   BENCH_PROFILE=/tmp/get.cpuprofile npx tsx bench/profile.ts sqlite get   # the load window only
 *
 * See bench/README.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { BENCH_DIR } from './lib.js';
import { openPostgres, openSqlite, PATCH_BODY, startLatch } from './extension-session.bench.js';
import { startSignedIn } from './me.bench.js';

const kind = process.argv[2] ?? 'sqlite';
const route = process.argv[3] ?? 'get';
if (!['sqlite', 'postgres'].includes(kind) || !['get', 'patch', 'me'].includes(route) || (route === 'me' && kind !== 'sqlite')) {
  throw new Error('usage: profile.ts sqlite|postgres get|patch, or profile.ts sqlite me');
}
const seconds = Number(process.env.BENCH_DURATION || 10);

const latch = route === 'me' ? await meTarget() : await sessionTarget();
try {
  const args = ['-c', '10', '-d', String(seconds), ...Object.entries(latch.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`])];
  if (route === 'patch') args.push('-m', 'PATCH', '-H', 'content-type=application/json', '-b', PATCH_BODY);
  const bin = path.join(BENCH_DIR, '..', 'node_modules', '.bin', 'autocannon');
  // BENCH_PROFILE=<file>: a CPU profile of the load window only (no start-up, no fixture world).
  const profileFile = process.env.BENCH_PROFILE;
  const inspector = profileFile ? new Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, [...args, '--json', latch.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`autocannon exited ${code}`))));
  });
  const cpu = process.cpuUsage(cpu0);
  if (inspector && profileFile) {
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
    inspector.disconnect();
  }
  const result = JSON.parse(Buffer.concat(out).toString('utf8')) as { requests: { total: number; average: number }; non2xx: number; errors: number };
  // CPU time of this process per request: unlike req/s, hardly moved by other load on a shared machine.
  const perRequestUs = (cpu.user + cpu.system) / Math.max(1, result.requests.total);
  console.log(`${kind} ${route}: ${result.requests.total} requests (${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx, ${result.errors} errors), server CPU ${perRequestUs.toFixed(0)} µs per request`);
} finally {
  await latch.close();
}

async function sessionTarget() {
  const server = await startLatch(kind === 'sqlite' ? await openSqlite() : await openPostgres());
  const url = `${server.url}/api/extensions/sessions/${server.sessionId}${route === 'patch' ? '/state' : ''}`;
  return { url, headers: server.auth, close: () => server.close() };
}

async function meTarget() {
  const server = await startSignedIn();
  return { url: `${server.url}/api/me`, headers: { cookie: server.cookie }, close: () => server.close() };
}
