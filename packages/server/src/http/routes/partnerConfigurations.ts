import { Type } from '@sinclair/typebox';
import { ObjectId, Role } from '@latch/protocol';
import { signedIn } from '../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../route.js';
import type { App, RouteContext } from '../types.js';

const Config = Type.Record(Type.String(), Type.Unknown(), { description: 'The extension’s config (≤ 64 KiB)' });

const IssuedConfiguration = Type.Object({
  id: ObjectId,
  partnerConfigurationToken: Type.String({ description: 'For the configuration page’s URL hash only; it lives 1 h' }),
  extensionSlug: Type.String(),
  role: Role,
  sessionId: Type.Union([ObjectId, Type.Null()]),
  lockId: Type.Union([ObjectId, Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
  configurationUrl: Type.Union([Type.String(), Type.Null()]),
  allowedOrigins: Type.Array(Type.String()),
});

/** The web host's side of Chaster configuration pages (DECISIONS §14). */
export function partnerConfigurationRoutes(app: App, ctx: Pick<RouteContext, 'partnerConfigurations'>) {
  app.post(
    '/api/partner-configurations',
    route({
      access: LOGIN_WRITE,
      errors: ['invalid_request', 'not_found', 'forbidden', 'lock_ended'],
      config: { idempotency: false },
      schema: {
        tags: ['locks'],
        summary: 'Open a Chaster extension’s configuration page: a token for its URL hash',
        description:
          'With `lockId`: for the extension installed there, by the lock’s controller (its keyholder, or the wearer of a self-lock); what the page saves replaces the session’s config. Without: while creating a self-lock (you as the wearer, `sessionId` null); `config` is what the form holds, and what the page saves is read back with `GET /api/partner-configurations/{id}`. Chaster-dialect apps only (404 otherwise).',
        body: Type.Object(
          { slug: Type.String({ minLength: 1, maxLength: 64 }), lockId: Type.Optional(ObjectId), config: Type.Optional(Config) },
          { additionalProperties: false },
        ),
        response: { 201: IssuedConfiguration },
      },
    }),
    async (req, reply) => {
      const issued = await ctx.partnerConfigurations.issue(signedIn(req).user, req.body);
      return reply.code(201).send(issued);
    },
  );

  app.get(
    '/api/partner-configurations/:id',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'The config a Chaster configuration page saved (yours, while its token lives)',
        params: Type.Object({ id: ObjectId }),
        response: { 200: Type.Object({ id: ObjectId, extensionSlug: Type.String(), config: Config }) },
      },
    }),
    async (req) => ctx.partnerConfigurations.pending(signedIn(req).user, req.params.id),
  );
}
