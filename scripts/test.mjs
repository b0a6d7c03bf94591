#!/usr/bin/env node
// The whole suite: type-check, then every test file on SQLite and again on PostgreSQL.
// PostgreSQL is skipped when unreachable, unless REQUIRE_ALL=1 (CI), which turns that into a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireAll = process.env.REQUIRE_ALL === '1';
const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const only = process.argv.slice(2);

function testFiles(db) {
  let files = [];
  for (const dir of ['packages', 'examples', 'e2e']) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const rel of fs.readdirSync(abs, { recursive: true })) {
      const f = String(rel);
      if (f.includes('node_modules') || !f.endsWith('.test.ts')) continue;
      files.push(path.join(dir, f));
    }
  }
  files.sort();
  // Browser tests run on their own embedded SQLite platform: once is enough.
  if (db === 'postgres') files = files.filter((f) => !f.startsWith('e2e') && !f.endsWith('.browser.test.ts'));
  return only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    console.error(`PostgreSQL at ${pgUrl.replace(/\/\/[^@]*@/, '//')} is not reachable: ${err.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

const tmp = path.join(root, '.tmp');
fs.mkdirSync(tmp, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
function runTests(db) {
  const files = testFiles(db);
  // With no file, `node --test` would go looking for tests itself (and find this script).
  if (files.length === 0) {
    console.log(`\n=== tests on ${db}: no file matches ===`);
    return true;
  }
  const tap = path.join(tmp, `tests-${db}.tap`);
  const ok = run(`tests on ${db} (${files.length} files)`, process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { LATCH_TEST_DB: db });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  return ok;
}

const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
// The examples (type-checked on their own and through the e2e tests that start them) import the
// SDKs as packages: build those first, so a fresh clone type-checks what it will run.
let ok = run('build SDKs', 'npm', ['run', 'build:sdk', '--silent']);
ok = only.length
  ? ok
  : ok &&
    run('type-check', process.execPath, [tsc, '-p', 'tsconfig.json']) &&
    run('type-check web', process.execPath, [tsc, '-p', 'packages/web/tsconfig.json']) &&
    run('type-check e2e and bench', process.execPath, [tsc, '-p', 'e2e/tsconfig.json']) &&
    run('type-check bridge SDK', process.execPath, [tsc, '-p', 'packages/bridge/tsconfig.json']) &&
    run('type-check client SDK', process.execPath, [tsc, '-p', 'packages/client/tsconfig.json']) &&
    run('type-check examples', process.execPath, [tsc, '-p', 'examples/tsconfig.json']);
// The browser tests and the server's static hosting need the built web app, the start tests the
// compiled server (each rebuilt only when stale).
ok = run('build server and web', process.execPath, [path.join(root, 'scripts/build.mjs')]) && ok;
ok = runTests('sqlite') && ok;
if (await postgresReachable()) {
  ok = runTests('postgres') && ok;
} else if (requireAll) {
  console.error('REQUIRE_ALL=1: PostgreSQL is required');
  ok = false;
  totals.failed += 1;
} else {
  console.log('PostgreSQL not reachable: the PostgreSQL run is skipped (set REQUIRE_ALL=1 to fail instead)');
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
