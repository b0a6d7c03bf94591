import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PG_URL, TEST_DB } from './helpers.js';

/**
 * Real server, worker and backup processes for the durability tests (crash, backup): the
 * compiled entries under plain `node`, as `npm start`, `npm run worker` and `npm run backup` run
 * them (built on first use; a no-op when packages/server/dist is current).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_ENTRY = path.join(ROOT, 'packages/server/dist/start.js');
export const WORKER_ENTRY = path.join(ROOT, 'packages/server/dist/worker.js');
export const BACKUP_ENTRY = path.join(ROOT, 'packages/server/dist/backup.js');
let built = false;
function ensureBuilt() {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--server'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the server failed:\n${r.stdout}${r.stderr}`);
  built = true;
}
const START_TIMEOUT = 30_000;

export interface World {
  dir: string;
  databaseUrl: string;
  /** PostgreSQL: the database's name. */
  pgDatabase?: string;
  destroy(): Promise<void>;
}

/** A place for data: a SQLite file in a temp dir, or a fresh PostgreSQL database (`db` forces one). */
export async function freshWorld(db: 'sqlite' | 'postgres' = TEST_DB): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-dur-'));
  if (db === 'postgres') {
    const name = `latch_dur_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    return {
      dir,
      databaseUrl: pgUrlFor(name),
      pgDatabase: name,
      async destroy() {
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return { dir, databaseUrl: `sqlite:${path.join(dir, 'latch.db')}`, destroy: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function pgUrlFor(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(text: string, url = PG_URL): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  proc: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** How it ended; null while it runs. */
  exit: Exit | null;
}

const live = new Set<Proc>();

/** Kills whatever a test left running (call from `after`); resolves once all are gone. */
export async function killAll(): Promise<void> {
  const left = [...live];
  for (const p of left) p.proc.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}

const INHERITED_OUT = ['LATCH_DEV', 'NODE_ENV', 'LOG_LEVEL', 'PUBLIC_URL', 'HOST', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'RATE_LIMIT_MULTIPLIER', 'AUTH_RATE_LIMIT_MULTIPLIER', 'BODY_LIMIT_BYTES', 'SESSION_TTL_HOURS', 'NODE_TEST_CONTEXT', 'RUN_SCHEDULER', 'FILES_DIR'];

/** The combination master key of spawned processes (a server without one refuses to start). */
export const TEST_COMBINATION_KEY = Buffer.alloc(32, 7).toString('base64');

/** Environment for a child process; a variable set to undefined is left out (as `npm start` without it). */
export type ChildEnv = Record<string, string | undefined>;

export function spawnEntry(entry: string, world: World, env: ChildEnv, args: string[] = []): Proc {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INHERITED_OUT) delete base[k];
  // Nothing of the test runner's TypeScript loader reaches the child.
  delete base.NODE_OPTIONS;
  ensureBuilt();
  // Every test client comes from one address: the sign-in limits per address would bite.
  const childEnv: ChildEnv = { ...base, DATABASE_URL: world.databaseUrl, LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_MULTIPLIER: '1000', COMBINATION_KEY: TEST_COMBINATION_KEY, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const proc = spawn(process.execPath, [entry, ...args], { cwd: world.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const p: Proc = {
    proc,
    url: '',
    stdout: () => out,
    stderr: () => err,
    exit: null,
    exited: new Promise((resolve) => {
      // 'close': the process is gone and its output is fully read.
      proc.on('close', (code, signal) => {
        p.exit = { code, signal };
        live.delete(p);
        resolve(p.exit);
      });
    }),
  };
  live.add(p);
  return p;
}

export function transcript(p: Proc): string {
  return `--- stdout ---\n${p.stdout().slice(-4000)}\n--- stderr ---\n${p.stderr().slice(-4000)}`;
}

/** Waits until `done()` holds; fails when the process exits first or `timeoutMs` passes. */
export async function waitUntil(p: Proc, done: () => boolean, what: string, timeoutMs = START_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (p.exit) throw new Error(`process exited (${JSON.stringify(p.exit)}) before ${what}\n${transcript(p)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${transcript(p)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitFor(p: Proc, re: RegExp, what: string): Promise<RegExpExecArray> {
  await waitUntil(p, () => re.test(p.stdout()), what);
  return re.exec(p.stdout())!;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the server entry and waits for its banner (retries when the port was taken meanwhile). */
export async function startServer(world: World, env: ChildEnv = {}): Promise<Proc> {
  for (let attempt = 0; ; attempt++) {
    const p = spawnEntry(SERVER_ENTRY, world, { PORT: String(await freePort()), ...env });
    try {
      p.url = (await waitFor(p, /latch is running at (\S+)/, 'the server banner'))[1]!;
      return p;
    } catch (e) {
      p.proc.kill('SIGKILL');
      if (attempt < 2 && /EADDRINUSE/.test(p.stderr() + p.stdout())) continue;
      throw e;
    }
  }
}

export async function startWorker(world: World, env: ChildEnv = {}): Promise<Proc> {
  const p = spawnEntry(WORKER_ENTRY, world, env);
  await waitFor(p, /latch worker \S+ running/, 'the worker banner');
  return p;
}

/** `kill -9`: no shutdown hook runs. Resolves once the process is gone. */
export async function kill9(p: Proc): Promise<void> {
  p.proc.kill('SIGKILL');
  await p.exited;
}

export async function stopGracefully(p: Proc): Promise<void> {
  p.proc.kill('SIGTERM');
  await p.exited;
}
