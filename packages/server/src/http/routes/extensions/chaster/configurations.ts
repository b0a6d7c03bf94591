import { Type } from '@sinclair/typebox';
import { extensionCaller } from '../../../credentials.js';
import { route, type Access } from '../../../route.js';
import type { App, RouteContext } from '../../../types.js';

const tags = ['extension sessions (Chaster)'];
const params = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
const ChasterConfiguration = Type.Object({
  config: Type.Record(Type.String(), Type.Unknown()),
  role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')]),
  user: Type.String({ description: 'The id of the user editing' }),
  sessionId: Type.Union([Type.String(), Type.Null()], { description: 'Null while a lock is being created' }),
  extensionSlug: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
/** The developer token alone, not bound to a session: the configuration token names it. */
const access = (mutation: boolean): Access => ({ surface: 'extension', mutation, bucket: mutation ? 'write' : 'read', sessionBound: false, appKeyAlone: true, dialect: 'chaster' });

/** Chaster configuration pages' backend calls (`PartnerConfigurationController`). */
export function chasterConfigurationRoutes(app: App, ctx: Pick<RouteContext, 'partnerConfigurations'>) {
  app.get(
    '/api/extensions/configurations/:token',
    route({
      access: access(false),
      schema: {
        tags,
        summary: 'Configuration page: the config to edit and its context (Chaster)',
        description: 'The token comes from the configuration page’s URL hash (`partnerConfigurationToken`); it lives 1 h. Another app’s token is 404.',
        params,
        response: { 200: ChasterConfiguration },
      },
    }),
    async (req) => ctx.partnerConfigurations.get(extensionCaller(req).app, req.params.token),
  );

  app.put(
    '/api/extensions/configurations/:token',
    route({
      access: access(true),
      errors: ['invalid_request'],
      schema: {
        tags,
        summary: 'Configuration page: save the config (Chaster)',
        description: 'For a running session the config replaces the session’s (as its keyholder, or the wearer of a self-lock, would); at lock creation it is kept for the new lock.',
        params,
        body: Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) }),
        response: { 200: ChasterConfiguration },
      },
    }),
    async (req) => ctx.partnerConfigurations.save(extensionCaller(req).app, req.params.token, req.body.config),
  );
}
