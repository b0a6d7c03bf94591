import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Executor } from '../storage/executor.js';
import { listAppFrameSources } from '../storage/extensionApps.js';
import { isHttpUrl } from '../services/extensionApps.js';

const FRAME_ORIGINS = Symbol('latch.frameOrigins');
type WithFrameOrigins = IncomingMessage & { [FRAME_ORIGINS]?: string[] };

/** The origins the web UI may frame: every registered app's pages and allowed origins, http(s) only. */
export async function registeredAppOrigins(db: Executor): Promise<string[]> {
  const origins = new Set<string>();
  for (const row of await listAppFrameSources(db)) {
    for (const url of [row.iframe_url, row.setup_url, ...row.allowed_origins]) {
      // `new URL().origin` normalizes: no path, no quotes, no `;` can reach the header.
      if (url && isHttpUrl(url)) origins.add(new URL(url).origin);
    }
  }
  return [...origins].sort();
}

/** A request that may be answered with the web UI's HTML (a page route), not the API, the docs or a hashed asset. */
function mayBeHtml(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?')[0]!;
  if (path.startsWith('/api/') || path === '/api' || path.startsWith('/docs') || path.startsWith('/assets/')) return false;
  // Probes answer without the database (a liveness check must not depend on it).
  if (path.startsWith('/health/') || path === '/health' || path === '/metrics') return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.') || last.endsWith('.html');
}

/**
 * Security headers on every response (helmet), with a strict CSP for the web UI:
 * scripts and styles from this origin only (Vite's build has no inline script), no plugins,
 * `frame-ancestors 'none'` plus `X-Frame-Options: DENY` (the UI cannot be framed), and `frame-src`
 * limited to the registered apps' origins, looked up for each page load (the UI frames the setup
 * page of any catalog extension, so the set is every registered app; see docs/decisions.md).
 * `/docs` keeps swagger-ui's own CSP, with framing refused the same way (app.ts).
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { db: Executor; publicUrl: string }): Promise<void> {
  const https = opts.publicUrl.startsWith('https://');
  // Built once: @fastify/helmet rebuilt helmet's middleware (parsing every directive) on each request.
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // React sets `style` props through the CSSOM, which CSP does not restrict; no inline <style>.
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: [(req: IncomingMessage) => ((req as WithFrameOrigins)[FRAME_ORIGINS]?.length ? (req as WithFrameOrigins)[FRAME_ORIGINS]!.join(' ') : "'none'")],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
    // Signed file URLs are images that extension pages on other origins show.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only when the platform is served over https (never includeSubDomains: the operator's other hosts are not ours).
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
  });
  // Every response but a page gets the same headers (no frame origins): computed once, set as a list.
  const fixed = headersOf(setHeaders);
  app.addHook('onRequest', (req, reply, done) => {
    if (!mayBeHtml(req.method, req.url)) {
      for (const [name, value] of fixed) reply.raw.setHeader(name, value);
      return done();
    }
    // A page: its frame-src lists the registered apps' origins, read before helmet builds the CSP.
    registeredAppOrigins(opts.db).then(
      (origins) => {
        (req.raw as WithFrameOrigins)[FRAME_ORIGINS] = origins;
        setHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
      },
      (err: Error) => done(err),
    );
  });
}

/** The headers helmet sets on a response to a request without frame origins (helmet only sets and removes headers). */
function headersOf(setHeaders: ReturnType<typeof helmet>): Array<[string, string | number | readonly string[]]> {
  const set: Array<[string, string | number | readonly string[]]> = [];
  const res = { setHeader: (name: string, value: string | number | readonly string[]) => void set.push([name, value]), removeHeader: () => {}, getHeader: () => undefined };
  const req = { method: 'GET', url: '/api/', headers: {} };
  let failed: unknown = null;
  setHeaders(req as never, res as never, (err?: unknown) => void (failed = err ?? null));
  if (failed) throw failed;
  return set;
}
