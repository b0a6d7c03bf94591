#!/usr/bin/env node
// `npm run build`: the production runtime. Compiles the server (packages/server + the
// packages/protocol it imports) to plain JavaScript in packages/server/dist, and builds the web
// UI (packages/web/dist). Each output is rebuilt only when missing or stale: a hash of its inputs
// (sources, package manifests, lockfile, this script) is kept next to it, so `npm start` after a
// build starts at once. `--force` rebuilds anyway; `--server` / `--web` build only that part.
//
// The server bundle inlines the workspace's own TypeScript (esbuild) and leaves every npm
// dependency external (native modules, files read at run time): `node packages/server/dist/start.js`
// needs no TypeScript loader. Tests and type-checking keep working on the TypeScript sources.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const quiet = args.has('--quiet');
const only = ['--server', '--web'].filter((a) => args.has(a));
const wants = (part) => only.length === 0 || only.includes(`--${part}`);
const STAMP = '.latch-build-hash';

const SERVER_DIST = path.join(root, 'packages/server/dist');
const WEB_DIST = path.join(root, 'packages/web/dist');

const log = (line) => {
  if (!quiet) console.log(line);
};

/** Every file under `dir` (recursively), skipping build output and dependencies. */
function filesUnder(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return [dir];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)))
    .filter((f) => !f.split(path.sep).some((p) => p === 'node_modules' || p === 'dist'))
    .sort();
}

/** One hash over the names and contents of the inputs. */
function hashOf(inputs) {
  const h = createHash('sha256');
  for (const f of inputs.flatMap(filesUnder)) {
    h.update(f).update('\0').update(fs.readFileSync(path.join(root, f))).update('\0');
  }
  return h.digest('hex');
}

function stampOf(dist) {
  try {
    return fs.readFileSync(path.join(dist, STAMP), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Dependencies left to node_modules (see the esbuild call). */
const EXTERNAL = [
  'better-sqlite3',
  '@node-rs/argon2',
  'pg',
  'ioredis',
  '@aws-sdk/client-s3',
  'buttplug',
  '@fastify/swagger-ui',
  '@fastify/static',
  'prom-client',
  'pino',
  'thread-stream',
];

const SHARED_INPUTS = ['package-lock.json', 'scripts/build.mjs', 'packages/protocol'];

async function buildServer() {
  const hash = hashOf([...SHARED_INPUTS, 'packages/server/src', 'packages/server/package.json']);
  if (!force && stampOf(SERVER_DIST) === hash && fs.existsSync(path.join(SERVER_DIST, 'start.js'))) {
    log('server: up to date (packages/server/dist)');
    return;
  }
  const started = performance.now();
  const esbuild = await import('esbuild');
  // Built next to the old output, then swapped in, so a running build never leaves half a dist.
  const tmp = `${SERVER_DIST}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { start: 'packages/server/src/start.ts', worker: 'packages/server/src/worker.ts', backup: 'packages/server/src/backup.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Pure-JavaScript dependencies are compiled in too (loading hundreds of small modules was
    // most of the start-up time); these load from node_modules: native addons, packages that read
    // their own files at run time, and the heavy ones loaded only when configured.
    plugins: [
      {
        name: 'external-dependencies',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (a) => (EXTERNAL.some((e) => a.path === e || a.path.startsWith(`${e}/`)) ? { path: a.path, external: true } : undefined));
        },
      },
    ],
    // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __latchCreateRequire } from 'node:module'; const require = __latchCreateRequire(import.meta.url);" },
  });
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
  fs.writeFileSync(path.join(tmp, STAMP), hash + '\n');
  const old = `${SERVER_DIST}.old-${process.pid}`;
  try {
    if (fs.existsSync(SERVER_DIST)) fs.renameSync(SERVER_DIST, old);
    fs.renameSync(tmp, SERVER_DIST);
  } catch (err) {
    // Another build (a parallel test run) swapped its output in first: fine if it is this one.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (stampOf(SERVER_DIST) !== hash) throw err;
  }
  fs.rmSync(old, { recursive: true, force: true });
  log(`server: built packages/server/dist in ${Math.round(performance.now() - started)} ms`);
}

function buildWeb() {
  const hash = hashOf([...SHARED_INPUTS, 'packages/web', 'packages/bridge/src']);
  if (!force && stampOf(WEB_DIST) === hash && fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    log('web: up to date (packages/web/dist)');
    return true;
  }
  const started = performance.now();
  const r = spawnSync('npm', ['run', 'build', '-w', '@latch/web', '--silent'], { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (r.status !== 0) return false;
  fs.writeFileSync(path.join(WEB_DIST, STAMP), hash + '\n');
  log(`web: built packages/web/dist in ${Math.round(performance.now() - started)} ms`);
  return true;
}

let ok = true;
if (wants('server')) await buildServer();
if (wants('web')) ok = buildWeb() && ok;
process.exit(ok ? 0 : 1);
