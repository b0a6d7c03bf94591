import type { LoggerOptions } from 'pino';
import { MAIN_TOKEN_HEADER } from '@latch/protocol/wire';

/** Paths that may carry a credential: they never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  `req.headers["${MAIN_TOKEN_HEADER}"]`,
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  `headers["${MAIN_TOKEN_HEADER}"]`,
  '*.password',
  '*.mainToken',
  '*.appKey',
  '*.partnerConfigurationToken',
  '*.configurationToken',
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

/** Chaster's routes that take a token in the path (main page token, configuration token). */
const CREDENTIAL_PATH = /^(\/api\/extensions\/(?:auth\/sessions|configurations)\/)[^/?#]+/;

/**
 * A URL as it may be logged: a token in the path of Chaster's token routes becomes `[redacted]`, and
 * the value of every query parameter that can carry a credential
 * becomes `[redacted]` (`/api/files/…?expires=…&signature=[redacted]`); the rest stays readable.
 */
export function redactUrl(url: string): string {
  url = url.replace(CREDENTIAL_PATH, '$1[redacted]');
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
