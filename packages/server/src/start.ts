import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { systemClock, VirtualClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createIdGenerator } from './ids.js';
import { loggerOptions } from './logger.js';
import { PERSONA_PASSWORD, PERSONAS } from './services/fixtures.js';
import { createRateLimiter } from './ratelimit.js';

async function main() {
  let config;
  try {
    config = loadConfig();
    if (config.combination.source === 'missing') {
      throw new ConfigError('COMBINATION_KEY is not set and NODE_ENV=production: it encrypts every lock combination and must be kept apart from the data (base64 of 32 random bytes, e.g. `openssl rand -base64 32`; the same on every process).');
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`latch: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino(loggerOptions(config.logLevel));
  const clock = config.dev ? new VirtualClock() : systemClock;
  const database = await openDatabase(config.databaseUrl);
  const migrations = await migrateToLatest(database);
  const applied = (migrations.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  logger.info({ database: database.describe, applied }, 'database ready');
  if (config.combination.source === 'local-file') {
    logger.warn('COMBINATION_KEY is not set: lock combinations are encrypted with the key generated in data/combination.key. Back it up apart from the database, and set COMBINATION_KEY for production (NODE_ENV=production refuses to start without it).');
  }

  const rateLimiter = await createRateLimiter({ redisUrl: config.redisUrl, multiplier: config.rateLimitMultiplier, authMultiplier: config.authRateLimitMultiplier });
  logger.info({ backend: rateLimiter.backend }, 'rate limits ready');
  const app = await buildApp({ config, database, clock, ids: createIdGenerator(clock), logger, rateLimiter, runScheduler: config.runScheduler });
  if (config.dev) await app.ctx.fixtures.personas();

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    // Stops accepting, lets in-flight requests finish, then releases the database.
    await app.close();
    await rateLimiter.close();
    await database.close();
  });

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
  const lines = [`latch is running at ${url}  (${database.describe})`, `  API docs:  ${url}/docs   OpenAPI: ${url}/api/openapi.json`];
  if (config.dev) {
    lines.push(
      '  Sandbox (LATCH_DEV=1) is on: never expose this server.',
      `  Personas:  ${PERSONAS.wearer} / ${PERSONAS.keyholder} / ${PERSONAS.developer}, password "${PERSONA_PASSWORD}"`,
      `  Fresh world with every credential:  curl -s -X POST ${url}/api/dev/fixtures -H 'content-type: application/json' -d '{}'`,
      `  Virtual clock:  curl -s -X POST ${url}/api/dev/clock/advance -H 'content-type: application/json' -d '{"seconds":3600}'`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
