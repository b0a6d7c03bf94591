import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { NotificationFeed } from '../services/notificationFeed.js';
import type { Scheduler } from '../services/scheduler.js';

export interface MetricsDeps {
  config: Config;
  database: Pick<Database, 'dialect' | 'poolStats' | 'readCacheStats'>;
  clock: Clock;
  scheduler: Scheduler;
  notificationFeed: Pick<NotificationFeed, 'size'>;
}

/**
 * Prometheus metrics (issue 15), with prom-client, off unless configured (Config.metrics):
 * requests by route pattern (never the raw URL, so ids do not explode the label set), job
 * throughput and lag per kind, the PostgreSQL pool, open event streams, and the process defaults
 * (memory, CPU, event-loop delay). Its own registry per app, so several apps in one process
 * (tests) do not share counters.
 */
export async function registerMetrics(app: FastifyInstance, deps: MetricsDeps): Promise<void> {
  const { config } = deps;
  if (!config.metrics.enabled) return;
  const { client, register, close } = await createMetrics(deps);
  app.addHook('onClose', async () => close());

  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route pattern', labelNames, registers: [register] });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to answering it, by route pattern',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The pattern the router matched; requests no route matched share one label.
    const labels = { method: req.method, route: req.routeOptions.url ?? '(unmatched)', status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  if (config.metrics.port === null) {
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(register.contentType).send(await register.metrics()));
    return;
  }
  const listener = metricsListener(register, (err) => app.log.error({ err }, 'metrics: collecting failed'));
  app.decorate('metricsAddress', listener.address);
  app.addHook('onReady', () => listener.listen(config.host, config.metrics.port!));
  app.addHook('onClose', () => listener.close());
}

/**
 * The metrics every latch process has: process defaults, scheduler jobs (throughput and lag per
 * kind), the PostgreSQL pool, and open event streams where the process serves them.
 */
export async function createMetrics(deps: Omit<MetricsDeps, 'config' | 'notificationFeed'> & { notificationFeed?: MetricsDeps['notificationFeed'] }) {
  // Loaded only when metrics are on.
  const client = await import('prom-client');
  const register = new client.Registry();
  client.collectDefaultMetrics({ register });

  const jobs = new client.Counter({ name: 'latch_jobs_total', help: 'Scheduler jobs run, by kind and outcome (done, retry, failed, lost)', labelNames: ['kind', 'outcome'], registers: [register] });
  const lag = new client.Histogram({
    name: 'latch_job_lag_seconds',
    help: 'How late a job finished after it was due (scheduler clock), by kind',
    labelNames: ['kind'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [register],
  });
  const unobserve = deps.scheduler.observe((ran) => {
    const now = deps.clock.now();
    for (const job of ran) {
      jobs.inc({ kind: job.kind, outcome: job.outcome });
      if (job.outcome === 'done') lag.observe({ kind: job.kind }, Math.max(0, now - Date.parse(job.runAt)) / 1000);
    }
  });

  const feed = deps.notificationFeed;
  if (feed) {
    new client.Gauge({
      name: 'latch_event_stream_clients',
      help: 'Open live-notification event streams (/api/events) on this process',
      registers: [register],
      collect() {
        this.set(feed.size);
      },
    });
  }
  const poolStats = deps.database.poolStats;
  if (poolStats) {
    // PostgreSQL only: SQLite is one in-process connection, there is no pool to watch.
    new client.Gauge({
      name: 'latch_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [register],
      collect() {
        const s = poolStats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
  }
  const readCacheStats = deps.database.readCacheStats;
  if (readCacheStats) {
    // SQLite only: the exact read cache of the credential statement (db/readCache.ts).
    new client.Counter({
      name: 'latch_read_cache_reads_total',
      help: 'Credential reads answered from the exact read cache (hit) or by running the statement (miss)',
      labelNames: ['result'],
      registers: [register],
      collect() {
        const s = readCacheStats();
        if (!s) return;
        // The cache counts; the counter shows its totals.
        this.reset();
        this.inc({ result: 'hit' }, s.hits);
        this.inc({ result: 'miss' }, s.misses);
      },
    });
  }
  return { client, register, close: () => void unobserve() };
}

/** `GET /metrics` on a listener of its own (METRICS_PORT): scrapers reach it, public traffic does not. */
export function metricsListener(register: { contentType: string; metrics(): Promise<string> }, onError: (err: unknown) => void) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    register.metrics().then(
      (text) => res.writeHead(200, { 'content-type': register.contentType }).end(text),
      (err: unknown) => {
        onError(err);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  return {
    address: () => server.address() as AddressInfo | null,
    listen: (host: string, port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** With METRICS_PORT: where the metrics listener listens (null before it does). */
    metricsAddress?: () => AddressInfo | null;
  }
}
