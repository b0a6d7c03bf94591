import type { Scope } from '@latch/protocol';
import { ChasterDataBody, ChasterLogSearchBody, ChasterMetadataPutBody, ChasterSessionPatchBody, latchMetadata, parseSessionPatch } from '../../../../dialects/chaster/requests.js';
import { scopeRefusal, type CredentialNeeds } from '../../../../services/callers.js';
import { sessionCaller } from '../../../credentials.js';
import { route } from '../../../route.js';
import { SessionParams } from '../../schemas.js';
import type { App, RouteContext } from '../../../types.js';
import { ChasterHistoryPage } from './schemas.js';

const tags = ['extension sessions (Chaster)'];
/** A Chaster backend changes one of its app's sessions with its developer token alone. */
const chasterWrite = (scope: Scope): CredentialNeeds => ({ surface: 'extension', mutation: true, bucket: 'write', sessionBound: true, appKeyAlone: true, scope, dialect: 'chaster' });
const SESSION_WRITE_ERRORS = ['invalid_state_key', 'reserved_key', 'state_too_large'] as const;

/** The Chaster-only session routes: PATCH (and its deprecated PUTs) and the history search. */
export function chasterSessionRoutes(app: App, ctx: Pick<RouteContext, 'sessions' | 'chaster'>) {
  app.patch(
    '/api/extensions/sessions/:sessionId',
    route({
      access: chasterWrite('state:write'),
      errors: [...SESSION_WRITE_ERRORS],
      schema: {
        tags,
        summary: 'Update the session: each of config, data, metadata given is replaced whole (Chaster)',
        description:
          '`data` is the session’s extension state, `config` is stored as sent, `metadata.reasonsPreventingUnlocking` (≤ 25) block unlocking like Chastify blockers. One write, one `extension_session.updated`. Needs `state:write`, and `metadata:write` when `metadata` is sent.',
        params: SessionParams,
        body: ChasterSessionPatchBody,
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      const fields = parseSessionPatch(req.body);
      if (fields.metadata) {
        const refusal = scopeRefusal(c, chasterWrite('metadata:write'));
        if (refusal) throw refusal;
      }
      await ctx.sessions.replaceSession(c.session.id, fields);
      return reply.send();
    },
  );

  app.put(
    '/api/extensions/sessions/:sessionId/data',
    route({
      access: chasterWrite('state:write'),
      errors: [...SESSION_WRITE_ERRORS],
      schema: { tags, summary: 'Replace the session data (Chaster, deprecated: use PATCH)', deprecated: true, params: SessionParams, body: ChasterDataBody },
    }),
    async (req, reply) => {
      await ctx.sessions.replaceSession(sessionCaller(req).session.id, { state: req.body.data });
      return reply.send();
    },
  );

  app.put(
    '/api/extensions/sessions/:sessionId/metadata',
    route({
      access: chasterWrite('metadata:write'),
      schema: { tags, summary: 'Replace the session metadata (Chaster, deprecated: use PATCH)', deprecated: true, params: SessionParams, body: ChasterMetadataPutBody },
    }),
    async (req, reply) => {
      await ctx.sessions.replaceSession(sessionCaller(req).session.id, { metadata: latchMetadata(req.body.metadata) });
      return reply.send();
    },
  );

  app.post(
    '/api/extensions/sessions/:sessionId/logs/search',
    route({
      access: { surface: 'extension', mutation: false, bucket: 'read', sessionBound: true, appKeyAlone: true, dialect: 'chaster' },
      schema: {
        tags,
        summary: 'The lock history as a role sees it, newest first (Chaster)',
        description: '`limit` 1–100 (15), `lastId` = the last `_id` of the previous page, `showOnlyExtensionActions` = your extension’s entries only. `%USER%` of the role’s own user reads "You".',
        params: SessionParams,
        body: ChasterLogSearchBody,
        response: { 200: ChasterHistoryPage },
      },
    }),
    async (req, reply) => {
      const c = sessionCaller(req);
      reply.serializer(JSON.stringify);
      return ctx.chaster.searchLogs(c.session, c.lock, c.app, req.body);
    },
  );
}
