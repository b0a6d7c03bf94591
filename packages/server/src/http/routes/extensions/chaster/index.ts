import { Type } from '@sinclair/typebox';
import { CHASTER_CLIENT_ID_HEADER } from '../../../../services/callers.js';
import { extensionCaller } from '../../../credentials.js';
import { route, type Access } from '../../../route.js';
import type { App, RouteContext } from '../../../types.js';
import { chasterConfigurationRoutes } from './configurations.js';
import { chasterActorRoutes } from './actors.js';
import { chasterSessionRoutes } from './sessions.js';

/** A Chaster backend's read with its developer token alone, on a route only Chaster has. */
const chasterRead: Access = { surface: 'extension', mutation: false, bucket: 'read', sessionBound: false, appKeyAlone: true, dialect: 'chaster' };
const tags = ['extension sessions (Chaster)'];
/** Every Chaster route may carry the client id header (checked by the credential guard). */
const ClientIdHeaders = Type.Object({ [CHASTER_CLIENT_ID_HEADER]: Type.Optional(Type.String({ maxLength: 200 })) });

/** Routes that exist only in the Chaster dialect (`/api/extensions/*` of Chaster's docs). */
export function chasterRoutes(app: App, ctx: Pick<RouteContext, 'chaster' | 'partnerConfigurations' | 'engine' | 'verificationPictures' | 'pilloryVotes' | 'penalties' | 'sessions'>) {
  const { chaster } = ctx;
  chasterConfigurationRoutes(app, ctx);
  chasterActorRoutes(app, ctx);

  app.get(
    '/api/extensions/auth/sessions/:mainToken',
    route({
      access: chasterRead,
      errors: ['invalid_main_token', 'main_token_expired', 'extension_not_enabled'],
      schema: {
        tags,
        summary: 'Main page: who opened the extension, on which session (Chaster)',
        description: 'The developer token (app key) with the main token from the main page URL hash. `lockForUser` is the lock as that user may see it (a hidden timer has no `endDate`).',
        params: Type.Object({ mainToken: Type.String({ minLength: 1, maxLength: 200 }) }),
        headers: ClientIdHeaders,
        response: {
          200: Type.Object({ role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')]), userId: Type.String(), session: Type.Unknown(), lockForUser: Type.Unknown() }),
        },
      },
    }),
    async (req) => chaster.auth(extensionCaller(req).app, req.params.mainToken),
  );

  chasterSessionRoutes(app, ctx);
}
