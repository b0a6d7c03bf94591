import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { TEST_DB, expectError, register, suiteApp, testApp } from './helpers.js';

/**
 * Operations (issue 15): liveness and readiness probes that mean different things, and
 * Prometheus metrics that are off unless configured.
 */

const metricsOn = { metrics: { enabled: true, port: null } };

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe(`health and readiness (${TEST_DB})`, () => {
  it('live answers without the database; ready checks it (503 service_unavailable when it does not answer); /api/health still works', async () => {
    const t = await testApp();
    try {
      for (const url of ['/health/live', '/health/ready', '/api/health']) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        assert.equal(res.json().status, 'ok');
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/health/ready' })).json().database, TEST_DB);

      // The database goes away: the process is still alive, but not ready.
      await t.db.database.close();
      const live = await t.app.inject({ method: 'GET', url: '/health/live' });
      assert.equal(live.statusCode, 200, live.body);
      expectError(await t.app.inject({ method: 'GET', url: '/health/ready' }), 503, 'service_unavailable');
      expectError(await t.app.inject({ method: 'GET', url: '/api/health' }), 503, 'service_unavailable');
    } finally {
      await t.app.close();
      await t.db.destroy();
    }
  });

  it('ready is 503 once shutdown has begun, while requests in flight still finish', async () => {
    const t = await testApp();
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8').on('data', (d: string) => (received += d));
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      // A request in flight (half its body sent) keeps this connection busy through the shutdown.
      const body = JSON.stringify({ username: `ready_${Date.now().toString(36)}`, password: 'correct horse battery' });
      const taken = new Promise<void>((resolve) => t.app.server.once('request', () => resolve()));
      socket.write(`POST /api/auth/register HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      await taken;
      const closing = t.app.close();
      // Shutdown has begun once the server stops listening (after the preClose hooks).
      while (t.app.server.listening) await new Promise((r) => setTimeout(r, 5));
      // The rest of the body, and a readiness probe on the same connection behind it.
      socket.write(`${body.slice(5)}GET /health/ready HTTP/1.1\r\nhost: x\r\n\r\n`);
      const deadline = Date.now() + 10_000;
      while ((received.match(/HTTP\/1\.1 /g) ?? []).length < 2 && Date.now() < deadline && !socket.destroyed) await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
      await closing;
      const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      assert.deepEqual(statuses, [201, 503], received);
    } finally {
      await t.db.database.close();
      await t.db.destroy();
    }
  });
});

describe(`Prometheus metrics (${TEST_DB})`, () => {
  const t = suiteApp({ config: metricsOn });

  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('are off by default: /metrics is 404', async () => {
    const plain = await testApp();
    try {
      expectError(await plain.app.inject({ method: 'GET', url: '/metrics' }), 404, 'not_found');
    } finally {
      await plain.close();
    }
  });

  it('METRICS=1 turns them on on the main port; METRICS_PORT moves them to a listener of their own', () => {
    assert.deepEqual(loadConfig({}).metrics, { enabled: false, port: null });
    assert.deepEqual(loadConfig({ METRICS: '1' }).metrics, { enabled: true, port: null });
    assert.deepEqual(loadConfig({ METRICS_PORT: '9464' }).metrics, { enabled: true, port: 9464 });
    assert.throws(() => loadConfig({ METRICS_PORT: 'nine' }), /METRICS_PORT/);
  });

  it('count requests and their latency per route pattern, never per raw URL', async () => {
    const ids = ['0123456789abcdef01234567', 'fedcba9876543210fedcba98'];
    for (const id of ids) await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${id}` });
    await t.app.inject({ method: 'GET', url: '/health/live' });
    const text = await scrape();
    const route = '/api/extensions/sessions/:sessionId';
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route, status_code: '401' }), 2, text);
    assert.equal(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '401' }), 2);
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/health/live', status_code: '200' }), 1);
    for (const id of ids) assert.ok(!text.includes(id), 'no raw URL in a label');
    // Process figures come along (memory, event-loop delay).
    assert.ok(sample(text, 'process_resident_memory_bytes')! > 0);
  });

  it('count jobs and their lag per kind', async () => {
    const fixture = await t.app.inject({
      method: 'POST',
      url: '/api/dev/fixtures',
      payload: { extension: { extensionRequirements: { enabled: true, metric: 'm', requiredCount: 1, cadence: { every: 1, unit: 'day', timezone: 'UTC' }, punishment: { type: 'add_time', seconds: 60 } } } },
    });
    assert.equal(fixture.statusCode, 201, fixture.body);
    const adv = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 3 * 86400 } });
    assert.equal(adv.statusCode, 200, adv.body);
    const ran = (adv.json().jobsRun as Array<{ kind: string; outcome: string }>).filter((j) => j.outcome === 'done');
    assert.ok(ran.length > 0);
    const text = await scrape();
    for (const kind of new Set(ran.map((j) => j.kind))) {
      const n = ran.filter((j) => j.kind === kind).length;
      assert.equal(sample(text, 'latch_jobs_total', { kind, outcome: 'done' }), n, `${kind}\n${text}`);
      assert.equal(sample(text, 'latch_job_lag_seconds_count', { kind }), n);
    }
  });

  it('count credential reads answered from the SQLite read cache (none on PostgreSQL)', async () => {
    const w = (await t.app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: {} })).json();
    const headers = { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer };
    const before = await scrape();
    // The first use of the key writes its last use (a write: the next read is fresh); then nothing writes.
    for (let i = 0; i < 4; i++) assert.equal((await t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers })).statusCode, 200);
    const text = await scrape();
    if (TEST_DB === 'postgres') {
      assert.equal(sample(text, 'latch_read_cache_reads_total', { result: 'hit' }), undefined, text);
      return;
    }
    const hits = (s: string) => sample(s, 'latch_read_cache_reads_total', { result: 'hit' }) ?? 0;
    assert.ok(hits(text) >= hits(before) + 2, `the repeated GETs were answered from the cache\n${text}`);
    assert.ok(sample(text, 'latch_read_cache_reads_total', { result: 'miss' })! >= 1, text);
  });

  it('show open event streams, and the PostgreSQL pool where there is one', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const u = await register(t.app);
    const ac = new AbortController();
    const res = await fetch(`${base}/api/events`, { headers: { cookie: u.cookie }, signal: ac.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open ("connected")
    try {
      const text = await scrape();
      assert.equal(sample(text, 'latch_event_stream_clients'), 1, text);
      if (TEST_DB === 'postgres') {
        assert.ok(sample(text, 'latch_db_pool_connections', { state: 'total' })! >= 1, text);
        assert.equal(typeof sample(text, 'latch_db_pool_connections', { state: 'waiting' }), 'number');
      } else {
        assert.equal(sample(text, 'latch_db_pool_connections', { state: 'total' }), undefined, 'SQLite has no pool');
      }
    } finally {
      ac.abort();
      await reader.cancel().catch(() => {});
    }
    // Gone once the client leaves.
    const deadline = Date.now() + 5000;
    while (sample(await scrape(), 'latch_event_stream_clients') !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sample(await scrape(), 'latch_event_stream_clients'), 0);
  });

  it('with METRICS_PORT, /metrics is served on its own listener and not on the main port', async () => {
    const own = await testApp({ config: { metrics: { enabled: true, port: 0 } } });
    try {
      expectError(await own.app.inject({ method: 'GET', url: '/metrics' }), 404, 'not_found');
      const address = own.app.metricsAddress!();
      assert.ok(address && address.port > 0);
      await own.app.inject({ method: 'GET', url: '/health/live' });
      const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/health/live', status_code: '200' }), 1, text);
      assert.equal((await fetch(`http://127.0.0.1:${address.port}/other`)).status, 404);
    } finally {
      await own.close();
    }
  });
});
