import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** packages/server, found from this module whether it runs from src/ (tsx) or the dist/ bundle. */
function serverPackageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === '@latch/server') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('packages/server/package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const WEB_DIST = path.join(serverPackageDir(), '../web/dist');

/**
 * Serves the built web UI (packages/web/dist) with its client-side routes. Without a build
 * (API-only test runs) `/` points to the API docs instead.
 */
export async function registerWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<void> {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs'));
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    // Serve whatever is in dist now (a rebuild while running must not 404 the new assets);
    // misses fall through to the not-found handler (JSON for the API, index.html for pages).
    wildcard: true,
    index: ['index.html'],
    setHeaders(res, file) {
      // Hashed assets never change; the page itself must always be fresh.
      res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'same-origin');
    },
  });
  app.spaFallback = ((reply) => reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html')) as typeof app.spaFallback;
}
