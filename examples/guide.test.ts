import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { PlatformUser, type LockView } from './memory-challenge/src/register.js';
import { startPlatform, type TestPlatform } from './test-support/platform.js';

/**
 * docs/guide.md must work as written. Its fenced blocks carry a tag after the language:
 *
 *   ```sh world             creates a sandbox world and exports its credentials (run before each snippet)
 *   ```ts prelude           prepended to every `ts run` snippet
 *   ```ts run               a backend/script snippet: type-checked, then run with tsx
 *   ```ts check             browser code: type-checked only
 *   ```sh run [expect=…]    run with bash (set -euo pipefail); stdout must contain `expect`
 *   ```sh quickstart        the quick start's commands: run in a fresh copy of the repository
 *   ```sh quickstart-check  run against that copy's servers
 *
 * Snippets run against a real server (dev mode, real-time virtual clock), each in a fresh world.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const GUIDE = path.join(root, 'docs', 'guide.md');

interface Block {
  lang: string;
  tags: string[];
  code: string;
  line: number;
}

export function blocksOf(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(?:\s+(.*))?$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, tags: (open[2] ?? '').split(/\s+/).filter(Boolean), code: body.join('\n') + '\n', line: start + 1 });
  }
  return out;
}

const guide = fs.readFileSync(GUIDE, 'utf8');
const blocks = blocksOf(guide);
const tagged = (lang: string, tag: string) => blocks.filter((b) => b.lang === lang && b.tags[0] === tag);
const worldSnippet = tagged('sh', 'world');
const prelude = tagged('ts', 'prelude');
const tsRun = tagged('ts', 'run');
const tsCheck = tagged('ts', 'check');
const shRun = tagged('sh', 'run');
const quickstart = tagged('sh', 'quickstart');
const quickstartCheck = tagged('sh', 'quickstart-check');
const label = (b: Block) => `${b.lang} ${b.tags.join(' ')} at docs/guide.md:${b.line}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, timeout: opts.timeout ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const bash = (script: string, env: NodeJS.ProcessEnv, cwd = root) => run('bash', ['-c', `set -euo pipefail\n${script}`], { env, cwd });
const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const WORLD_VARS = ['LATCH_URL', 'SESSION_ID', 'LOCK_ID', 'MAIN_TOKEN', 'DEVELOPER_KEY', 'LATCH_APP_KEY', 'LATCH_USER_KEY', 'APP_ID', 'DEVELOPER_USERNAME', 'DEVELOPER_PASSWORD'];

describe('docs/guide.md', () => {
  it('marks its snippets for testing: one world, one prelude, and runnable snippets for every feature', () => {
    assert.equal(worldSnippet.length, 1);
    assert.equal(prelude.length, 1);
    assert.equal(quickstart.length, 1);
    assert.equal(quickstartCheck.length, 1);
    assert.ok(tsRun.length >= 12, `${tsRun.length} ts run snippets`);
    assert.ok(tsCheck.length >= 2 && shRun.length >= 5);
    for (const b of blocks) {
      // Every fenced block is either tested or plainly not code to run.
      if (['sh', 'ts'].includes(b.lang)) assert.ok(b.tags.length > 0, `${label(b)} is not marked for testing`);
    }
    for (const feature of ['requirements.progress', 'metadata.patch', 'state.put', 'regularActions.submit', 'attempts.start', 'attempts.failExpired', 'tasks.assign', 'logs.custom', 'notifications.custom', 'lock.removeTime', 'lock.freeze', 'createExternalClient']) {
      assert.ok(tsRun.some((b) => b.code.includes(feature)), `a ts run snippet uses ${feature}`);
    }
    assert.match(guide, /^## Webhooks$/m);
    assert.doesNotMatch(guide, /Webhooks[\s\S]{0,80}not built/);
  });

  describe('snippets against a real server', () => {
    let srv: TestPlatform;
    let tmp: string;
    before(async () => {
      srv = await startPlatform({ clock: 'virtual' });
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-guide-'));
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
      fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    });
    after(async () => {
      await srv?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Runs the guide's world snippet: a fresh world, its variables as the snippet exports them. */
    async function world(): Promise<NodeJS.ProcessEnv> {
      const r = await bash(`${worldSnippet[0]!.code}\n${WORLD_VARS.map((v) => `echo "${v}=$${v}"`).join('\n')}`, { ...process.env, LATCH_URL: srv.baseUrl });
      assert.equal(r.code, 0, `the world snippet failed (needs curl and jq)\n${show(r)}`);
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const line of r.stdout.split('\n')) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line);
        if (m && WORLD_VARS.includes(m[1]!)) env[m[1]!] = m[2];
      }
      for (const v of WORLD_VARS) assert.ok(env[v] && env[v] !== 'null', `the world snippet exports ${v}`);
      assert.equal(env.LATCH_URL, srv.baseUrl, 'LATCH_URL is kept when set');
      return env;
    }

    const file = (b: Block, kind: string) => path.join(tmp, `${kind}-line-${b.line}.ts`);

    it('the TypeScript snippets type-check (backend with the prelude, browser code with DOM types)', async () => {
      for (const b of tsRun) fs.writeFileSync(file(b, 'run'), prelude[0]!.code + '\n' + b.code + '\nexport {};\n');
      for (const b of tsCheck) fs.writeFileSync(file(b, 'check'), b.code + '\nexport {};\n');
      fs.writeFileSync(
        path.join(tmp, 'tsconfig.json'),
        JSON.stringify({
          extends: path.join(root, 'tsconfig.base.json'),
          compilerOptions: {
            noEmit: true,
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            paths: {
              '@latch/client': [path.join(root, 'packages/client/src/index.ts')],
              '@latch/bridge': [path.join(root, 'packages/bridge/src/index.ts')],
              // The webhooks section's receiver verifies with the Standard Webhooks library.
              standardwebhooks: [path.join(root, 'node_modules/standardwebhooks/dist/index.d.ts')],
            },
          },
          include: ['*.ts'],
        }),
      );
      const r = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', tmp], { cwd: tmp });
      // Point at the guide's own lines (run files start with the prelude and a blank line).
      const preludeLines = prelude[0]!.code.split('\n').length - 1;
      const where = (_: string, kind: string, start: string, line: string, col: string) =>
        `docs/guide.md:${Number(start) + Number(line) - (kind === 'run' ? preludeLines + 1 : 0)}:${col}`;
      assert.equal(r.code, 0, r.stdout.replace(/(run|check)-line-(\d+)\.ts\((\d+),(\d+)\)/g, where));
    });

    for (const b of tsRun) {
      it(`runs: ${label(b)}`, async () => {
        const env = await world();
        const f = file(b, 'run');
        if (!fs.existsSync(f)) fs.writeFileSync(f, prelude[0]!.code + '\n' + b.code + '\nexport {};\n');
        const r = await run(process.execPath, ['--import', 'tsx', f], { cwd: tmp, env });
        if (process.env.GUIDE_VERBOSE) console.log(`--- ${label(b)}\n${r.stdout}`);
        assert.equal(r.code, 0, show(r));
      });
    }

    for (const b of shRun) {
      it(`runs: ${label(b)}`, async () => {
        const env = await world();
        const r = await bash(b.code, env);
        if (process.env.GUIDE_VERBOSE) console.log(`--- ${label(b)}\n${r.stdout}`);
        assert.equal(r.code, 0, show(r));
        const expect = b.tags.find((t) => t.startsWith('expect='))?.slice('expect='.length);
        if (expect) assert.ok(r.stdout.includes(expect), `stdout has ${expect}\n${show(r)}`);
      });
    }
  });

  // The quick start runs its own platform on SQLite: once per suite run is enough.
  const quickstartSkip = process.env.LATCH_TEST_DB === 'postgres' ? 'runs in the SQLite pass (its platform is on SQLite either way)' : false;
  describe('the quick start, in a fresh copy of the repository', { skip: quickstartSkip }, () => {
    let copy: string;
    let child: ReturnType<typeof spawn> | null = null;
    let output = '';
    after(async () => {
      if (child?.pid && child.exitCode === null) {
        const gone = new Promise((r) => child!.once('exit', r));
        // The whole group it started (npm, the example, the platform), by its process group id.
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
      }
      if (copy) fs.rmSync(copy, { recursive: true, force: true });
    });

    it('npm run example starts the platform and the extension, registered, keyed and installed; the check commands answer', { timeout: 240_000 }, async () => {
      // The sources as a clone has them: no build output, no data, no installed packages of its own.
      copy = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-quickstart-'));
      const skip = new Set(['node_modules', '.git', 'dist', 'data', '.tmp']);
      fs.cpSync(root, copy, { recursive: true, filter: (src) => !skip.has(path.basename(src)) && !src.endsWith('.tsbuildinfo') && !src.startsWith(path.join(root, 'bench', 'results')) });
      // `npm ci` stands in as links to the installed packages; the workspace links point into the copy.
      const nm = path.join(copy, 'node_modules');
      fs.mkdirSync(nm);
      for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
        if (entry === '@latch') {
          fs.mkdirSync(path.join(nm, '@latch'));
          for (const pkg of fs.readdirSync(path.join(root, 'node_modules', '@latch'))) {
            fs.symlinkSync(fs.readlinkSync(path.join(root, 'node_modules', '@latch', pkg)), path.join(nm, '@latch', pkg));
          }
        } else {
          fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(nm, entry));
        }
      }
      for (const dir of ['packages', 'examples']) {
        for (const pkg of fs.readdirSync(path.join(root, dir))) {
          const inner = path.join(root, dir, pkg, 'node_modules');
          if (fs.existsSync(inner)) fs.symlinkSync(inner, path.join(copy, dir, pkg, 'node_modules'));
        }
      }
      assert.ok(!fs.existsSync(path.join(copy, 'packages/client/dist')) && !fs.existsSync(path.join(copy, 'packages/web/dist')), 'nothing is built in the copy');

      const commands = quickstart[0]!.code.trim().split('\n');
      assert.deepEqual(commands, ['npm ci', 'npm run example']);
      const port = await freePort();
      const examplePort = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EXAMPLE_PORT: String(examplePort), LOG_LEVEL: 'warn' };
      for (const v of ['DATABASE_URL', 'LATCH_URL', 'LATCH_DEV', 'LATCH_TEST_DB', 'FILES_DIR', 'NODE_OPTIONS']) delete env[v];
      child = spawn('npm', ['run', 'example'], { cwd: copy, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready after 180 s:\n${output}`)), 180_000);
        const poll = setInterval(() => {
          if (output.includes('Memory challenge is ready.')) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve();
          } else if (child!.exitCode !== null) {
            clearInterval(poll);
            clearTimeout(timer);
            reject(new Error(`npm run example exited (${child!.exitCode}):\n${output}`));
          }
        }, 200);
      });
      const latchUrl = `http://127.0.0.1:${port}`;
      assert.match(output, new RegExp(`Installed on the wearer's lock "Sandbox lock": ${latchUrl.replace(/\./g, '\\.')}/locks/[0-9a-f]{24}`));
      assert.ok(fs.existsSync(path.join(copy, 'packages/client/dist/index.js')), 'the SDKs were built');
      assert.ok(fs.existsSync(path.join(copy, 'data/sandbox.db')) && !fs.existsSync(path.join(copy, 'data/latch.db')) && fs.existsSync(path.join(copy, 'data/memory-challenge.json')));

      // The guide's check commands, with this run's ports.
      const check = quickstartCheck[0]!.code.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`).replaceAll('localhost:5174', `localhost:${examplePort}`);
      const r = await bash(check, env, copy);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /"status":"ok"/);
      assert.match(r.stdout, /game page 200/);

      // The click-through's first steps, over the API: the wearer's lock holds the extension,
      // blocked by its requirement, and the backend (with the key it was given) starts a game.
      const wearer = await PlatformUser.login(latchUrl, 'wearer', 'latch-sandbox');
      const { results } = await wearer.request<{ results: LockView[] }>('GET', '/api/locks?role=wearer&status=locked');
      const lock = results.find((l) => l.extensions.some((x) => x.slug === 'memory-challenge'));
      assert.ok(lock, 'the extension is installed on the wearer persona’s lock');
      const status = await wearer.request<{ unlock: { blockers: Array<{ blocker: string; count: number; requiredCount: number }> } }>('GET', `/api/locks/${lock.id}/status`);
      assert.deepEqual(
        status.unlock.blockers.map((b) => `${b.blocker} ${b.count} of ${b.requiredCount}`),
        ['Win 3 memory games to unlock 0 of 3'],
      );
      const sessionId = lock.extensions.find((x) => x.slug === 'memory-challenge')!.sessionId;
      const { mainToken } = await wearer.request<{ mainToken: string }>('GET', `/api/extensions/sessions/${sessionId}/auth`);
      const game = await fetch(`http://localhost:${examplePort}/api/challenges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, mainToken }) });
      assert.equal(game.status, 201, await game.clone().text());
      assert.equal(((await game.json()) as { sequence: string[] }).sequence.length, 5);
    });
  });
});
