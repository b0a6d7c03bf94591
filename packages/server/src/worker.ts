import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createIdGenerator } from './ids.js';
import { loggerOptions } from './logger.js';
import { createServices } from './services/index.js';
import { createMetrics, metricsListener } from './http/metrics.js';

/**
 * `npm run worker`: a process that only runs due jobs (timed ends, requirement windows,
 * attempts) against the shared database. Run any number next to servers started with
 * RUN_SCHEDULER=0; claims are atomic and leases expire, so a crashed worker's jobs are finished
 * by another and every effect happens once.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`latch worker: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  if (config.dev) {
    // The sandbox's virtual clock lives in the server process; a worker would run on real time.
    console.error('latch worker: not used in the sandbox (LATCH_DEV=1): the server runs the jobs on its virtual clock');
    process.exit(2);
  }
  const logger = pino(loggerOptions(config.logLevel));
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database);
  const services = createServices({ config, database, clock: systemClock, ids: createIdGenerator(systemClock), logger });
  const pollMs = config.workerPollMs;
  const scheduler = services.scheduler;
  // The scheduler's poll timer does not hold the process open (inside the server it must not).
  const keepAlive = setInterval(() => undefined, 60_000);
  // Metrics need a port of their own here (a worker serves no HTTP): METRICS_PORT.
  let metrics: { close(): void; listener: ReturnType<typeof metricsListener> } | null = null;
  if (config.metrics.port !== null) {
    const m = await createMetrics({ database, clock: systemClock, scheduler });
    const listener = metricsListener(m.register, (err) => logger.error({ err }, 'metrics: collecting failed'));
    await listener.listen(config.host, config.metrics.port);
    metrics = { close: m.close, listener };
    logger.info({ port: listener.address()?.port }, 'metrics listening');
  } else if (config.metrics.enabled) {
    logger.warn('METRICS=1: a worker has no HTTP port for /metrics; set METRICS_PORT');
  }
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    clearInterval(keepAlive);
    if (err) logger.error({ err }, 'worker stopping after an error');
    else logger.info({ signal }, 'worker stopping');
    await scheduler.stop();
    if (metrics) {
      metrics.close();
      await metrics.listener.close();
    }
    await services.close();
    await database.close();
  });
  await services.retention.ensureScheduled();
  scheduler.start(pollMs);
  logger.info({ workerId: scheduler.workerId, database: database.describe, leaseMs: config.jobLeaseMs }, 'worker running');
  process.stdout.write(`latch worker ${scheduler.workerId} running on ${database.describe}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
