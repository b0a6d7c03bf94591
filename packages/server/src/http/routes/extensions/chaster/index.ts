import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ApiError, notFound } from '../../../../errors.js';
import { extensionCaller, type ExtensionCaller } from '../../../credentials.js';
import { errorResponses } from '../../../openapi.js';
import type { App, RouteContext } from '../../../types.js';

export const CLIENT_ID_HEADER = 'x-chaster-client-id';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route exists only in this dialect: its errors take that dialect's shape even before the caller is known. */
    dialect?: 'chaster';
  }
}

/**
 * The one place the Chaster dialect is decided for a request (DECISIONS §14): the caller's app
 * must speak Chaster (a Chastify app's key finds no such route), and `X-Chaster-Client-Id`,
 * when sent, must be that app's client id.
 */
export function chasterCaller(req: FastifyRequest): ExtensionCaller {
  const caller = extensionCaller(req);
  if (caller.app.dialect !== 'chaster') throw notFound(`${req.method} ${req.routeOptions.url} (a Chaster-dialect route; ${caller.app.slug} speaks ${caller.app.dialect})`);
  const sent = req.headers[CLIENT_ID_HEADER];
  if (sent !== undefined && sent !== caller.app.client_id) throw new ApiError('forbidden', `${CLIENT_ID_HEADER} is not the client id of ${caller.app.slug}`);
  return caller;
}

const backendOnly = { surface: 'extension', mutation: false, bucket: 'read', sessionBound: false, appKeyAlone: true } as const;
const tags = ['extension sessions (Chaster)'];
const security = [{ developerKey: [] }];
// Chaster's error bodies have `error` as a string, like /api/apps/v1's (plus `statusCode`): that schema admits them.

/** Routes that exist only in the Chaster dialect (`/api/extensions/*` of Chaster's docs). */
export function chasterRoutes(app: App, ctx: Pick<RouteContext, 'chaster'>) {
  const { chaster } = ctx;

  app.get(
    '/api/extensions/auth/sessions/:mainToken',
    {
      config: { credentials: backendOnly, dialect: 'chaster' },
      schema: {
        tags,
        summary: 'Main page: who opened the extension, on which session (Chaster)',
        description: 'The developer token (app key) with the main token from the main page URL hash. `lockForUser` is the lock as that user may see it (a hidden timer has no `endDate`).',
        security,
        params: Type.Object({ mainToken: Type.String({ minLength: 1, maxLength: 200 }) }),
        headers: Type.Object({ [CLIENT_ID_HEADER]: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          200: Type.Object({ role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')]), userId: Type.String(), session: Type.Unknown(), lockForUser: Type.Unknown() }),
          ...errorResponses(['missing_credentials', 'invalid_credentials', 'app_scoped_key_required', 'invalid_main_token', 'main_token_expired', 'extension_not_enabled', 'forbidden', 'not_found', 'rate_limited'], 'AppsErrorBody'),
        },
      },
    },
    async (req) => chaster.auth(chasterCaller(req).app, req.params.mainToken),
  );
}
