/**
 * `@latch/protocol/wire`: the wire constants with no dependency (no TypeBox, no Node), for the
 * browser bundles (the web UI) as much as for the server. The TypeBox schemas stay in the main
 * entry; browser code takes their types with `import type … from '@latch/protocol'`.
 */
export * from './sdk.js';
export * from './ids.js';
export * from './scopes.js';
export * from './webhooks.js';
export { ERROR_CATALOG, type ErrorCode } from './errors.js';
