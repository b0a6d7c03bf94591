import type { LoggerOptions } from 'pino';

/** Paths that may carry a credential: they never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-chastify-main-token"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-chastify-main-token"]',
  '*.password',
  '*.mainToken',
  '*.appKey',
  '*.userKey',
  // Webhook signing secrets (whsec_…).
  '*.secret',
  'body.password',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
