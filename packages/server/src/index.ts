export { buildApp, type AppDeps } from './app.js';
export { loadConfig, testConfig, type Config } from './config.js';
export { systemClock, VirtualClock, ManualClock, type Clock } from './clock.js';
export { createIdGenerator, hashSecret } from './ids.js';
export { openDatabase, dropPgSchema, type Database } from './db/connect.js';
export { migrateToLatest, MIGRATIONS } from './db/migrate.js';
export { ApiError } from './errors.js';
