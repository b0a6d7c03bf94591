import { Type } from '@sinclair/typebox';
import { ExtensionSummary } from '@latch/protocol';
import { LOGIN_READ, route } from '../../route.js';
import type { App, RouteContext } from '../../types.js';

/** The catalog of installable extensions (`/api/extensions`, `/api/extensions/:slug`), for the lock pages. */
export function extensionCatalogRoutes(app: App, ctx: Pick<RouteContext, 'apps'>) {
  app.get(
    '/api/extensions',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['locks'],
        summary: 'The extensions that can be installed on a lock',
        response: { 200: Type.Object({ results: Type.Array(ExtensionSummary) }) },
      },
    }),
    async () => ({ results: await ctx.apps.catalog() }),
  );

  app.get(
    '/api/extensions/:slug',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'One extension of the catalog, with its whole default config',
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: ExtensionSummary },
      },
    }),
    async (req) => ctx.apps.catalogEntry(req.params.slug),
  );
}
