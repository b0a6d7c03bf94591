/**
 * Start-up of the production server (issue 15): the compiled entry (`npm run build`, then plain
 * `node packages/server/dist/start.js`, as `npm start` runs it) on a SQLite file, measured from
 * spawning the process to its "latch is running" banner (printed once it listens), and its
 * resident memory once idle. The database is migrated by a first start that is not counted
 * (restarts are what an operator waits for). Baseline: a bare `node` HTTP server started and
 * measured the same way in the same run. Targets: < 1 s to listening, < 120 MB idle RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, median, type Benchmark, type BenchResult } from './lib.js';

const ROOT = path.resolve(BENCH_DIR, '..');
const ENTRY = path.join(ROOT, 'packages/server/dist/start.js');
const BARE = `require('http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', () => console.log('latch is running at bare'))`;
/** How long a started process is left alone before its RSS is read. */
const IDLE_MS = 1500;
const START_TIMEOUT_MS = 60_000;

interface Start {
  listenMs: number;
  /** CPU time the process used up to listening (user + system): steadier than wall time on a busy machine. */
  cpuMs: number | null;
  idleRssBytes: number;
}

/** CPU time used so far by a process (Linux /proc, in clock ticks of 10 ms), or null. */
function cpuOf(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Resident memory of a process (Linux /proc; `ps` elsewhere). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    /* not Linux */
  }
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(r.stdout.trim()) * 1024;
}

/** Spawns `args`, times it to the banner, reads its RSS after an idle pause, stops it. */
async function startOnce(args: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  const started = performance.now();
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  try {
    let cpuMs: number | null = null;
    const listenMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${START_TIMEOUT_MS} ms\n${out}\n${err}`)), START_TIMEOUT_MS);
      proc.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('latch is running at')) {
          clearTimeout(timer);
          cpuMs = cpuOf(proc.pid!);
          resolve(performance.now() - started);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before listening\n${out}\n${err}`));
      });
    });
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { listenMs, cpuMs, idleRssBytes: rssOf(proc.pid!) };
  } finally {
    proc.kill('SIGTERM');
    await exited;
  }
}

export const startupBench: Benchmark = {
  name: 'startup',
  async run({ settings, log }) {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--server'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    log(`  ${build.stdout.trim()}`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-startup-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LATCH_DEV: '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dir, 'latch.db')}`,
      FILES_DIR: path.join(dir, 'files'),
      FILE_URL_SECRET: 'bench-secret-bench-secret',
      COMBINATION_KEY: Buffer.alloc(32, 9).toString('base64'),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      METRICS: '',
      METRICS_PORT: '',
    };
    delete env.NODE_OPTIONS;
    try {
      // Creates and migrates the database; not counted.
      const fresh = await startOnce([ENTRY], env);
      log(`  first start (fresh database, migrations): ${Math.round(fresh.listenMs)} ms`);
      const rounds = Math.max(3, settings.rounds);
      const latch: Start[] = [];
      const bare: Start[] = [];
      for (let i = 0; i < rounds; i++) {
        bare.push(await startOnce(['-e', BARE], env));
        latch.push(await startOnce([ENTRY], env));
        log(`  round ${i + 1}/${rounds}: latch ${Math.round(latch[i]!.listenMs)} ms, ${mb(latch[i]!.idleRssBytes)} MB; bare node ${Math.round(bare[i]!.listenMs)} ms, ${mb(bare[i]!.idleRssBytes)} MB`);
      }
      const listen = { value: median(latch.map((s) => s.listenMs)), baseline: median(bare.map((s) => s.listenMs)) };
      const rss = { value: median(latch.map((s) => s.idleRssBytes)), baseline: median(bare.map((s) => s.idleRssBytes)) };
      const results: BenchResult[] = [
        {
          name: 'startup: start to listening',
          description: `Spawn to listening of the compiled server (node packages/server/dist/start.js, SQLite, migrated) vs a bare node http server; median of ${rounds}`,
          headline: { label: 'start to listening (ms), latch ÷ bare node', ratio: listen.value / listen.baseline },
          figures: {
            'latch ms (median)': Math.round(listen.value),
            'bare node ms (median)': Math.round(listen.baseline),
            ...(latch.every((s) => s.cpuMs !== null) ? { 'latch CPU ms to listening (median)': median(latch.map((s) => s.cpuMs!)), 'bare node CPU ms (median)': median(bare.map((s) => s.cpuMs ?? 0)) } : {}),
            'first start with migrations ms': Math.round(fresh.listenMs),
          },
          summary: { figure: listen.value, baseline: listen.baseline, unit: 'ms' },
          target: { label: '< 1000 ms', met: listen.value < 1000 },
        },
        {
          name: 'startup: idle RSS',
          description: `Resident memory ${IDLE_MS} ms after listening, compiled server on SQLite vs a bare node http server; median of ${rounds}`,
          headline: { label: 'idle RSS, latch ÷ bare node', ratio: rss.value / rss.baseline },
          figures: { 'latch MB (median)': Number(mb(rss.value)), 'bare node MB (median)': Number(mb(rss.baseline)) },
          summary: { figure: rss.value / 1e6, baseline: rss.baseline / 1e6, unit: 'MB' },
          target: { label: '< 120 MB', met: rss.value < 120e6 },
        },
      ];
      return results;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Megabytes (10^6 bytes), the unit of the target. */
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
