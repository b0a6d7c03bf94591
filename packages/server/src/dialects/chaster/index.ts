/** The Chaster dialect's wire layer (DECISIONS §14): pure mappers and parsers over latch's services. */
export * from './configurations.js';
export * from './builtins.js';
export * from './errors.js';
export * from './locks.js';
export * from './logs.js';
export * from './requests.js';
export * from './sessions.js';
export * from './users.js';
export type * from './wire.js';
