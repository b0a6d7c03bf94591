import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TEST_DB } from './helpers.js';
import {
  freePort,
  freshWorld as processWorld,
  killAll,
  SERVER_ENTRY,
  spawnEntry,
  startServer as startProcessServer,
  transcript,
  waitUntil,
  WORKER_ENTRY,
  type ChildEnv,
  type Exit,
  type Proc,
  type World,
} from './processes.js';

/**
 * The real `start` entry, as `npm start` runs it: the compiled JavaScript under plain `node` (no
 * TypeScript loader), as a child process: configuration from the environment, migrations,
 * listening, the dev sandbox, graceful shutdown on SIGTERM and what ends up in the logs.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILD = path.join(ROOT, 'scripts/build.mjs');
const TEST_TIMEOUT = 60_000;
const START_TIMEOUT = 30_000;
// Longer than the 10 s grace, so a hung shutdown shows as exit code 1 (grace ran out), not as our timeout.
const EXIT_TIMEOUT = 15_000;

/** The process as `npm start` runs it: the log level and sign-in limits the test processes lower are left at their defaults. */
const AS_CONFIGURED = { LOG_LEVEL: undefined, AUTH_RATE_LIMIT_MULTIPLIER: undefined };

const worlds: World[] = [];

/** A place for the data, dropped by `finish` (or by the safety net when a test failed). */
async function freshWorld(): Promise<World> {
  const world = await processWorld();
  worlds.push(world);
  return world;
}

/** `npm run build` of the server (a no-op when dist is current), as `npm start` does first. */
function buildServer(): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [BUILD, '--server'], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

before(() => {
  const r = buildServer();
  assert.equal(r.status, 0, `npm run build failed:\n${r.output}`);
});

/** Spawns an entry (the server by default) as configured; does not wait for it. */
function spawnServer(world: World, env: ChildEnv, entry = SERVER_ENTRY): Proc {
  return spawnEntry(entry, world, { ...AS_CONFIGURED, PORT: '0', ...env });
}

/** Starts the server as configured and waits for its "running" banner. */
function startServer(world: World, env: ChildEnv = {}): Promise<Proc> {
  return startProcessServer(world, { ...AS_CONFIGURED, ...env });
}

/** SIGTERM, then the exit (code 0 expected) within a few seconds. */
async function stopServer(server: Proc): Promise<Exit> {
  server.proc.kill('SIGTERM');
  return exitWithin(server, EXIT_TIMEOUT);
}

async function exitWithin(server: Proc, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`server did not exit within ${ms} ms\n${transcript(server)}`)), ms);
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function assertCleanExit(server: Proc, exit: Exit) {
  assert.deepEqual(exit, { code: 0, signal: null }, `expected exit code 0\n${transcript(server)}`);
}

/** The JSON log lines (pino) the server wrote to stdout. */
function logLines(server: Proc): Array<Record<string, unknown>> {
  return server
    .stdout()
    .split('\n')
    .flatMap((l) => {
      if (!l.startsWith('{')) return [];
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return []; // a line still being written
      }
    });
}

/** End of a test: kill whatever still runs, then drop the world's data. */
async function finish(world: World, ...started: Array<Proc | undefined>): Promise<void> {
  for (const s of started) {
    if (!s || s.exit) continue;
    s.proc.kill('SIGKILL');
    await s.exited;
  }
  const i = worlds.indexOf(world);
  if (i >= 0) worlds.splice(i, 1);
  await world.destroy();
}

// A safety net for anything a failing test left behind.
after(async () => {
  await killAll();
  for (const w of worlds.splice(0)) await w.destroy();
});

// ---------------------------------------------------------------------------------------------
// HTTP.

interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: any;
  cookie: string | null;
}

async function request(server: Proc, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(server.url + urlPath, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const setCookie = res.headers.getSetCookie()[0];
  return { status: res.status, headers: res.headers, text, body: parsed, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

function expectStatus(res: Res, status: number, what: string) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status} ${res.text}`);
}

const HEX24 = /^[0-9a-f]{24}$/;
const newName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

// ---------------------------------------------------------------------------------------------

describe(`start entry as a process (${TEST_DB})`, () => {
  it('npm run build compiles the server once: a second build with nothing changed reuses it', { timeout: TEST_TIMEOUT }, () => {
    const again = buildServer();
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /server: up to date/);
    assert.ok(fs.existsSync(SERVER_ENTRY), 'the compiled entry exists');
    // Plain JavaScript: no import of a TypeScript file is left in the bundle.
    const code = fs.readdirSync(path.dirname(SERVER_ENTRY)).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(path.dirname(SERVER_ENTRY), f), 'utf8'));
    assert.ok(code.length > 0 && code.every((c) => !/from\s+["'][^"']+\.ts["']/.test(c) && !c.includes('tsx')), 'the bundle imports no .ts file and no tsx');
  });

  it('starts, migrates and serves health, OpenAPI and the docs; no sandbox without LATCH_DEV', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const server = await startServer(world);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const ready = logLines(server).find((l) => l.msg === 'database ready');
      assert.ok(ready, `no "database ready" log line\n${transcript(server)}`);
      assert.ok(Array.isArray(ready.applied) && ready.applied.length > 0, `a fresh database gets migrations applied: ${JSON.stringify(ready)}`);

      const health = await request(server, 'GET', '/api/health');
      expectStatus(health, 200, 'health');
      assert.equal(health.body.status, 'ok');
      assert.equal(health.body.database, TEST_DB);
      assert.equal(health.body.dev, false);

      const openapi = await request(server, 'GET', '/api/openapi.json');
      expectStatus(openapi, 200, 'openapi.json');
      assert.equal(openapi.body.openapi, '3.1.0');
      assert.ok(openapi.body.paths['/api/health'], 'the spec documents /api/health');

      const docs = await request(server, 'GET', '/docs/');
      expectStatus(docs, 200, 'docs');
      assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
      assert.match(docs.text, /<html/i);

      const fixtures = await request(server, 'POST', '/api/dev/fixtures', {});
      expectStatus(fixtures, 404, 'dev fixtures without LATCH_DEV');
      assert.equal(fixtures.body.code, 'not_found');
      assert.doesNotMatch(server.stdout(), /Sandbox \(LATCH_DEV=1\) is on/);

      assertCleanExit(server, await stopServer(server));
    } finally {
      await finish(world, server);
    }
  });

  it('dev mode prints the personas and the fixtures command, and the sandbox hands out working credentials', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const server = await startServer(world, { LATCH_DEV: '1' });
    try {
      const out = server.stdout();
      assert.match(out, /Personas:\s+wearer \/ keyholder \/ developer, password "latch-sandbox"/, transcript(server));
      assert.ok(out.includes(`curl -s -X POST ${server.url}/api/dev/fixtures -H 'content-type: application/json' -d '{}'`), transcript(server));

      // The printed persona logins work.
      for (const username of ['wearer', 'keyholder', 'developer']) {
        expectStatus(await request(server, 'POST', '/api/auth/login', { username, password: 'latch-sandbox' }), 200, `persona ${username} login`);
      }

      const world1 = await request(server, 'POST', '/api/dev/fixtures', {});
      expectStatus(world1, 201, 'fixtures');
      const w = world1.body;
      for (const [what, id] of [
        ['wearer', w.wearer?.id],
        ['keyholder', w.keyholder?.id],
        ['developer', w.developer?.id],
        ['app', w.app?.id],
        ['lock', w.lock?.id],
        ['session', w.session?.id],
      ]) {
        assert.match(String(id), HEX24, `${what} id in ${world1.text}`);
      }

      const login = await request(server, 'POST', '/api/auth/login', { username: w.wearer.username, password: w.wearer.password });
      expectStatus(login, 200, 'fixture wearer login');
      assert.equal(login.body.id, w.wearer.id);
      assert.match(login.cookie ?? '', /^latch_session=/);

      assertCleanExit(server, await stopServer(server));
    } finally {
      await finish(world, server);
    }
  });

  it('exits 0 on SIGTERM and keeps its data across a restart (migrations are then a no-op)', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const username = newName('keeper');
    const password = 'restart survives this';
    let first: Proc | undefined;
    let second: Proc | undefined;
    try {
      first = await startServer(world);
      const reg = await request(first, 'POST', '/api/auth/register', { username, password });
      expectStatus(reg, 201, 'register');
      // Exit code 0, not the 1 that close-with-grace gives when its 10 s grace runs out.
      assertCleanExit(first, await stopServer(first));
      assert.ok(logLines(first).some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'), transcript(first));

      second = await startServer(world);
      const ready = logLines(second).find((l) => l.msg === 'database ready');
      assert.ok(ready, transcript(second));
      assert.deepEqual(ready.applied, [], 'nothing left to migrate on the second start');

      const login = await request(second, 'POST', '/api/auth/login', { username, password });
      expectStatus(login, 200, 'login after restart');
      assert.equal(login.body.id, reg.body.id);
      // The session from before the restart is still valid.
      const me = await request(second, 'GET', '/api/me', undefined, { cookie: reg.cookie! });
      expectStatus(me, 200, 'old session after restart');
      assert.equal(me.body.username, username);

      assertCleanExit(second, await stopServer(second));
    } finally {
      await finish(world, first, second);
    }
  });

  it('finishes in-flight requests on SIGTERM before exiting 0', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const N = 12;
    const tag = randomBytes(4).toString('hex');
    const calls = Array.from({ length: N }, (_, i) => ({
      // The server honours a well-formed x-request-id, so its log lines can be matched to our requests.
      requestId: `inflight-${tag}-${i}`,
      username: newName(`inflight${i}`),
      password: `in flight password ${i}`,
    }));
    let server: Proc | undefined;
    let again: Proc | undefined;
    try {
      server = await startServer(world, { LOG_LEVEL: 'info', AUTH_RATE_LIMIT_MULTIPLIER: '100' }); // several sign-ups from one address
      const s = server;
      const port = Number(new URL(s.url).port);
      const logged = (msg: string, reqId?: string) => logLines(s).some((l) => l.msg === msg && (reqId === undefined || l.reqId === reqId));

      // Concurrent registrations, each on its own connection (no keep-alive, so none is an idle
      // connection to be closed). Each sends its headers and half its body, so the server has
      // taken it in (logged "incoming request") and is waiting for the rest. Only then does SIGTERM
      // go out, and only once shutdown has begun do the bodies finish: every request is in flight
      // during shutdown by construction, however slow or loaded the machine is.
      interface Outcome {
        status: number;
        body: string;
        cookie: string | undefined;
      }
      const pending = calls.map((c) => {
        const payload = Buffer.from(JSON.stringify({ username: c.username, password: c.password }));
        const half = Math.floor(payload.length / 2);
        let req!: http.ClientRequest;
        const outcome = new Promise<Outcome>((resolve, reject) => {
          req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/api/auth/register',
              agent: false,
              headers: { 'content-type': 'application/json', 'content-length': payload.length, 'x-request-id': c.requestId },
            },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (d: string) => (body += d));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: res.headers['set-cookie']?.[0] }));
              res.on('error', reject);
              res.on('aborted', () => reject(new Error('response aborted')));
            },
          );
          req.on('error', reject);
          req.flushHeaders();
          req.write(payload.subarray(0, half));
        });
        return { outcome, finish: () => req.end(payload.subarray(half)) };
      });
      // Settled as they come (a connection cut early must fail the test below, not crash the runner).
      const settled = Promise.allSettled(pending.map((p) => p.outcome));
      for (const c of calls) await waitUntil(s, () => logged('incoming request', c.requestId), `request ${c.requestId} to be taken in`);

      s.proc.kill('SIGTERM');
      await waitUntil(s, () => logged('shutting down'), 'the "shutting down" log line');
      assert.ok(!calls.some((c) => logged('request completed', c.requestId)), `a request completed before its body was sent\n${transcript(s)}`);

      // A newcomer is not served any more: its connection is refused, or it gets 503.
      const late = await fetch(`${s.url}/api/health`).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.ok(late === 'refused' || late === 503, `a request after shutdown began got ${late}`);

      for (const p of pending) p.finish();
      const outcomes = await settled;
      const exit = await exitWithin(s, EXIT_TIMEOUT);
      assertCleanExit(s, exit);

      outcomes.forEach((r, i) => {
        const c = calls[i]!;
        assert.equal(r.status, 'fulfilled', `in-flight request ${i} failed instead of completing: ${r.status === 'rejected' ? String(r.reason) : ''}\n${transcript(s)}`);
        const v = (r as PromiseFulfilledResult<Outcome>).value;
        assert.equal(v.status, 201, `in-flight request ${i}: ${v.status} ${v.body}`);
        const body = JSON.parse(v.body);
        assert.equal(body.username, c.username);
        assert.match(body.id, HEX24);
        assert.match(v.cookie ?? '', /^latch_session=ls_/);
      });
      // The log agrees: shutdown began before any of them completed.
      const lines = logLines(s);
      const shutdownAt = lines.findIndex((l) => l.msg === 'shutting down');
      const completedAfter = lines.slice(shutdownAt).filter((l) => l.msg === 'request completed' && String(l.reqId).startsWith(`inflight-${tag}-`));
      assert.equal(completedAfter.length, N, transcript(s));

      // What they acknowledged survived the exit.
      again = await startServer(world);
      for (const c of calls) {
        expectStatus(await request(again, 'POST', '/api/auth/login', { username: c.username, password: c.password }), 200, `login of ${c.username} after restart`);
      }
      assertCleanExit(again, await stopServer(again));
    } finally {
      await finish(world, server, again);
    }
  });

  it('the compiled worker runs under plain node and serves its metrics on METRICS_PORT', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const metricsPort = await freePort();
    const worker = spawnServer(world, { METRICS_PORT: String(metricsPort) }, WORKER_ENTRY);
    try {
      await waitUntil(worker, () => /latch worker \S+ running on/.test(worker.stdout()), 'the worker banner');
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /^process_resident_memory_bytes \d/m, text);
      assert.match(text, /^# TYPE latch_jobs_total counter$/m, text);
      if (TEST_DB === 'postgres') assert.match(text, /^latch_db_pool_connections\{state="total"\} \d/m, text);
      assertCleanExit(worker, await stopServer(worker));
    } finally {
      await finish(world, worker);
    }
  });

  it('refuses LATCH_DEV=1 with NODE_ENV=production: exit code 2 and a message', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const server = spawnServer(world, { LATCH_DEV: '1', NODE_ENV: 'production' });
    try {
      const exit = await exitWithin(server, START_TIMEOUT);
      assert.deepEqual(exit, { code: 2, signal: null }, transcript(server));
      assert.match(server.stderr(), /LATCH_DEV=1 is refused when NODE_ENV=production/, transcript(server));
      assert.doesNotMatch(server.stdout(), /latch is running at/);
      if (TEST_DB === 'sqlite') assert.equal(fs.existsSync(path.join(world.dir, 'latch.db')), false, 'no database was created');
    } finally {
      await finish(world, server);
    }
  });

  it('refuses to start without COMBINATION_KEY in production (NODE_ENV=production): exit code 2 and a message', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const server = spawnServer(world, { COMBINATION_KEY: '', NODE_ENV: 'production' });
    try {
      const exit = await exitWithin(server, START_TIMEOUT);
      assert.deepEqual(exit, { code: 2, signal: null }, transcript(server));
      assert.match(server.stderr(), /COMBINATION_KEY is not set/, transcript(server));
      assert.doesNotMatch(server.stdout(), /latch is running at/);
    } finally {
      await finish(world, server);
    }
  });

  it('keeps passwords, session tokens, API keys and launch tokens out of the logs', { timeout: TEST_TIMEOUT }, async () => {
    const world = await freshWorld();
    const server = await startServer(world, { LOG_LEVEL: 'info' });
    const username = newName('logcheck');
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
    const secrets: Record<string, string> = { password, wrongPassword, appKey: 'lk_app_secretvalue', mainToken: 'mt_secretvalue' };
    try {
      const reg = await request(server, 'POST', '/api/auth/register', { username, password });
      expectStatus(reg, 201, 'register');
      expectStatus(await request(server, 'POST', '/api/auth/login', { username, password: wrongPassword }), 401, 'wrong login');
      const login = await request(server, 'POST', '/api/auth/login', { username, password });
      expectStatus(login, 200, 'login');
      const cookie = login.cookie!;
      secrets.registerSessionToken = reg.cookie!.split('=')[1]!;
      secrets.sessionToken = cookie.split('=')[1]!;
      secrets.csrfToken = login.body.csrfToken;
      assert.ok(secrets.sessionToken.length >= 16);

      const credentialHeaders = {
        cookie,
        authorization: 'Bearer lk_app_secretvalue',
        'x-chastify-main-token': 'mt_secretvalue',
        'x-csrf-token': secrets.csrfToken!,
      };
      expectStatus(await request(server, 'GET', '/api/me', undefined, credentialHeaders), 200, 'me with every credential');
      // The extension API, where these credentials are checked (and refused: they are made up).
      await request(server, 'GET', '/api/extensions/sessions/000000000000000000000000', undefined, credentialHeaders);
      await request(server, 'POST', '/api/extensions/sessions/search', { extensionSlug: 'nope', mainToken: 'mt_secretvalue' }, credentialHeaders);
      await request(server, 'GET', '/api/extensions/sessions/000000000000000000000000/auth', undefined, credentialHeaders);
      // A refused body (unknown property) that carries the password.
      await request(server, 'POST', '/api/auth/login', { username, password, extra: password });
      expectStatus(await request(server, 'POST', '/api/auth/logout', undefined, credentialHeaders), 204, 'logout');

      assertCleanExit(server, await stopServer(server));
      const all = server.stdout() + server.stderr();
      assert.ok(logLines(server).filter((l) => l.msg === 'incoming request').length >= 8, `request logging is on (else this proves nothing)\n${transcript(server)}`);
      for (const [what, value] of Object.entries(secrets)) {
        assert.ok(!all.includes(value), `the ${what} (${value}) appears in the logs\n${transcript(server)}`);
      }
    } finally {
      await finish(world, server);
    }
  });
});
