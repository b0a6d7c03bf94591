import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../openapi.js';
import type { App, RouteContext } from '../types.js';

export function healthRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability, for load balancers',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), dev: Type.Boolean() }), ...errorResponses(['service_unavailable']) },
      },
    },
    async () => {
      try {
        await ctx.database.ping();
      } catch {
        throw new ApiError('service_unavailable', 'The database does not answer');
      }
      return { status: 'ok' as const, database: ctx.database.dialect, dev: ctx.config.dev };
    },
  );
}
