import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import { PUBLIC, route } from '../route.js';
import type { App, RouteContext } from '../types.js';

export function healthRoutes(app: App, ctx: Pick<RouteContext, 'config' | 'database'>) {
  const ping = async () => {
    try {
      await ctx.database.ping();
    } catch {
      throw new ApiError('service_unavailable', 'The database does not answer');
    }
  };
  // Set as shutdown begins: a load balancer stops sending new work before the process goes.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });

  app.get(
    '/api/health',
    route({
      access: PUBLIC,
      errors: ['service_unavailable'],
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability, for load balancers',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), dev: Type.Boolean() }) },
      },
    }),
    async () => {
      await ping();
      return { status: 'ok' as const, database: ctx.database.dialect, dev: ctx.config.dev };
    },
  );

  app.get(
    '/health/live',
    route({
      access: PUBLIC,
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up and answering (does not touch the database)',
        description: 'For a liveness probe: restart the process when this fails.',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    }),
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    route({
      access: PUBLIC,
      errors: ['service_unavailable'],
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and the process is not shutting down',
        description: 'For a readiness probe: send no traffic while this is 503 (database unreachable, or shutting down).',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }) },
      },
    }),
    async () => {
      if (shuttingDown) throw new ApiError('service_unavailable', 'Shutting down');
      await ping();
      return { status: 'ok' as const, database: ctx.database.dialect };
    },
  );
}
