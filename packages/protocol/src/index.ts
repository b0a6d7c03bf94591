export * from './wire.js';
export * from './errors.js';
export * from './schemas.js';
export * from './extension.js';
export * from './files.js';
export * from './devices.js';
export * from './developer.js';
export * from './combination.js';
