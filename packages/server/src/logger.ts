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
  // The lockbox combination (issue 14): never logged, wherever it sits.
  'combination',
  '*.combination',
  'body.combination',
  'generatedCombination',
  '*.generatedCombination',
];

/** Query parameters whose value is a credential (signed file URLs: `signature`; tokens, keys…). */
const CREDENTIAL_PARAM = /sig|token|key|secret|pass|auth|code|credential/i;

/**
 * A URL as it may be logged: the value of every query parameter that can carry a credential
 * becomes `[redacted]` (`/api/files/…?expires=…&signature=[redacted]`); the rest stays readable.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: judge the raw name.
    }
    return eq !== -1 && CREDENTIAL_PARAM.test(name) ? `${rawName}=[redacted]` : pair;
  });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // Fastify's request serializer (same fields), with credentials in the query string redacted.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        version: req.headers?.['accept-version'],
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
