export * from './errors.js';
export * from './ids.js';
export * from './schemas.js';
export * from './scopes.js';
export * from './extension.js';
export * from './files.js';
export * from './devices.js';
export * from './webhooks.js';
