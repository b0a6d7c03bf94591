import { Type } from '@sinclair/typebox';
import { ALL_SCOPES, CombinationInput, CreatedLock, HistoryEntry, LockTermsFields, InstalledExtension, KeyholderStatus, Lock, LockSettingsInput, LockStatus, ObjectId, Username, type ErrorCode } from '@latch/protocol';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { AuditPage, AuditPageQuery, LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

const Slug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' });
const ExtensionConfig = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'The extension’s config (its setup page’s output); ≤ 64 KiB. Keys read by latch itself override the app’s defaults for this lock: `regularActions`, `attemptLimit`, `extensionRequirements`, and `unlockRequirements` (≤ 20 × `{metric 1–64 chars, unique; requiredCount 1–100000; blocker? ≤ 200 chars}`, replacing the app’s `initialMetadata.unlockRequirements`; checked at install, 400 `invalid_request` otherwise)',
});
const ExtensionChoice = Type.Object(
  {
    slug: Slug,
    config: Type.Optional(ExtensionConfig),
    background: Type.Optional(
      Type.Boolean({
        description:
          'Grant background access: the app’s key alone may then call this session’s routes, acting with the role of whoever installs it. Only for apps that request `sessions:background` (400 `invalid_request` otherwise)',
      }),
    ),
  },
  { additionalProperties: false },
);
/** An extension installed on a lock, by its slug. */
const InstalledParams = Type.Object({ lockId: ObjectId, slug: Slug });
const Scope = Type.Union(ALL_SCOPES.map((s) => Type.Literal(s)));
/** What changing an installed extension can answer. */
const INSTALLED_CHANGE_ERRORS: ErrorCode[] = ['invalid_request', 'not_found', 'forbidden', 'lock_ended'];
const Page = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })), before: Type.Optional(ObjectId) };
const TEN_YEARS = 10 * 365 * 86400;

const CreateLockBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    ...LockTermsFields,
    isTestLock: Type.Optional(Type.Boolean({ description: 'A test lock (badge, left out of statistics)' })),
    keyholderUsername: Type.Optional(Username),
    settings: Type.Optional(LockSettingsInput),
    extensions: Type.Optional(Type.Array(ExtensionChoice, { maxItems: 20 })),
    combination: Type.Optional(CombinationInput),
  },
  { additionalProperties: false },
);


export function lockRoutes(app: App, ctx: Pick<RouteContext, 'locks' | 'audit' | 'combinations'>) {
  app.post(
    '/api/locks',
    route({
      access: LOGIN_WRITE,
      errors: ['payload_too_large', 'conflict'],
      schema: {
        tags: ['locks'],
        summary: 'Lock yourself: a self-lock, or with a keyholder who must accept',
        description:
          'The signed-in user is the wearer. Extensions are installed with their configs in the same transaction. `combination` is sealed (never answered while the lock runs): a typed code, a generated one (answered once in `generatedCombination`), or a picture uploaded first (`POST /api/combinations/pictures`).',
        body: CreateLockBody,
        response: { 201: CreatedLock },
      },
    }),
    async (req, reply) => {
      const user = signedIn(req).user;
      // The combination is sealed before the lock exists and stored in its transaction.
      const combination = req.body.combination ? await ctx.combinations.prepare(user, req.body.combination) : null;
      const lock = await ctx.locks.create(user, req.body, combination ? (tx, lockId) => ctx.combinations.bind(tx, combination, lockId) : undefined);
      return reply.code(201).send(combination?.generated ? { ...lock, generatedCombination: combination.generated } : lock);
    },
  );

  app.get(
    '/api/locks',
    route({
      access: LOGIN_READ,
      schema: {
        tags: ['locks'],
        summary: 'My locks, newest first (as wearer and as keyholder)',
        querystring: Type.Object({ role: Type.Optional(Type.Union([Type.Literal('wearer'), Type.Literal('keyholder')])), status: Type.Optional(LockStatus), ...Page }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(Lock), hasMore: Type.Boolean() }) },
      },
    }),
    async (req) => ctx.locks.list(signedIn(req).user.id, { ...req.query, limit: req.query.limit ?? 25 }),
  );

  app.get(
    '/api/locks/:lockId',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'One of my locks',
        params: LockParams,
        response: { 200: Lock },
      },
    }),
    async (req) => ctx.locks.get(signedIn(req).user.id, req.params.lockId),
  );

  app.post(
    '/api/locks/:lockId/invitation',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'conflict', 'lock_ended'],
      config: { lockAudit: 'invitation.answer' },
      schema: {
        tags: ['locks'],
        summary: 'The invited keyholder accepts or declines',
        params: LockParams,
        body: Type.Object({ accept: Type.Boolean() }, { additionalProperties: false }),
        response: {
          200: Type.Object({ lockId: ObjectId, keyholderStatus: KeyholderStatus }),
        },
      },
    }),
    async (req) => ctx.locks.answerInvitation(signedIn(req).user, req.params.lockId, req.body.accept),
  );

  const PARTY_ERRORS: ErrorCode[] = ['not_found', 'forbidden', 'conflict', 'lock_ended'];

  app.post(
    '/api/locks/:lockId/invitation/withdraw',
    route({
      access: LOGIN_WRITE,
      errors: PARTY_ERRORS,
      config: { lockAudit: 'invitation.withdraw' },
      schema: { tags: ['locks'], summary: 'The wearer withdraws a keyholder invitation nobody answered: the lock stays a self-lock', params: LockParams, response: { 200: Lock } },
    }),
    async (req) => ctx.locks.withdrawInvitation(signedIn(req).user, req.params.lockId),
  );

  app.post(
    '/api/locks/:lockId/keyholder/trust',
    route({
      access: LOGIN_WRITE,
      errors: PARTY_ERRORS,
      config: { lockAudit: 'keyholder.trust' },
      schema: {
        tags: ['locks'],
        summary: 'The wearer trusts the keyholder with the extensions (irreversible)',
        description: 'The trusted keyholder may then install, configure and remove extensions. Trusting again changes nothing.',
        params: LockParams,
        response: { 200: Lock },
      },
    }),
    async (req) => ctx.locks.trustKeyholder(signedIn(req).user, req.params.lockId),
  );

  app.post(
    '/api/locks/:lockId/keyholder/resign',
    route({
      access: LOGIN_WRITE,
      errors: PARTY_ERRORS,
      config: { lockAudit: 'keyholder.resign' },
      schema: {
        tags: ['locks'],
        summary: 'The keyholder gives the key back: the lock becomes a self-lock',
        description: 'The keyholder’s launch tokens for the lock’s extensions stop working at once.',
        params: LockParams,
        response: { 200: Type.Object({ lockId: ObjectId, keyholderStatus: Type.Literal('resigned') }) },
      },
    }),
    async (req) => ctx.locks.resignKeyholder(signedIn(req).user, req.params.lockId),
  );

  app.post(
    '/api/locks/:lockId/extensions',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'extension_already_installed', 'lock_ended'],
      schema: {
        tags: ['locks'],
        summary: 'Install an extension on a lock (its keyholder, or the wearer of a self-lock)',
        params: LockParams,
        body: ExtensionChoice,
        response: {
          201: InstalledExtension,
        },
      },
    }),
    async (req, reply) => reply.code(201).send(await ctx.locks.installExtension(signedIn(req).user, req.params.lockId, req.body)),
  );

  app.put(
    '/api/locks/:lockId/extensions/:slug/background',
    route({
      access: LOGIN_WRITE,
      errors: INSTALLED_CHANGE_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'Give or take back an installed extension’s background access (its keyholder, or the wearer of a self-lock)',
        description:
          'Granted, the app’s key alone may call this session’s routes while nobody has the extension open (DECISIONS §10), acting with the role of whoever granted it. Taken back, its next call without a launch token gets 401 `main_token_required`. Only apps that request `sessions:background` can be granted it.',
        params: InstalledParams,
        body: Type.Object({ granted: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: InstalledExtension },
      },
    }),
    async (req) => ctx.locks.setBackground(signedIn(req).user, req.params.lockId, req.params.slug, req.body.granted),
  );

  app.post(
    '/api/locks/:lockId/extensions/:slug/scopes/approve',
    route({
      access: LOGIN_WRITE,
      errors: ['invalid_request', 'not_found', 'forbidden', 'conflict', 'lock_ended'],
      schema: {
        tags: ['locks'],
        summary: 'Approve the new permissions an installed extension asks for (its keyholder, or the wearer of a self-lock)',
        description:
          'Scopes an app adds after it was installed on a lock (`pendingScopes` of the installed extension) are unused there, 403 `insufficient_scope`, until the lock’s controller approves them. Send the scopes you were shown; one the app no longer asks for is 409 `conflict`.',
        params: InstalledParams,
        body: Type.Object({ scopes: Type.Array(Scope, { minItems: 1, maxItems: 32 }) }, { additionalProperties: false }),
        response: { 200: InstalledExtension },
      },
    }),
    async (req) => ctx.locks.approveScopes(signedIn(req).user, req.params.lockId, req.params.slug, req.body.scopes),
  );

  app.put(
    '/api/locks/:lockId/extensions/:slug/config',
    route({
      access: LOGIN_WRITE,
      errors: INSTALLED_CHANGE_ERRORS,
      schema: {
        tags: ['locks'],
        summary: 'Change an installed extension’s config (its keyholder, or the wearer of a self-lock)',
        description:
          'Usually what the app’s setup page produces when opened again from the lock page. `unlockRequirements` take effect at once (progress so far counts). `extensionRequirements`, `attemptLimit` and `regularActions` cannot change on a running lock (400 `invalid_request` naming them): remove the extension and add it again.',
        params: InstalledParams,
        body: Type.Object({ config: ExtensionConfig }, { additionalProperties: false }),
        response: { 200: InstalledExtension },
      },
    }),
    async (req) => ctx.locks.changeConfig(signedIn(req).user, req.params.lockId, req.params.slug, req.body.config),
  );

  app.delete(
    '/api/locks/:lockId/extensions/:slug',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'lock_ended'],
      schema: {
        tags: ['locks'],
        summary: 'Remove an extension from a lock',
        description: 'Its session stays on record; extension calls for it then answer 403 `extension_not_enabled`.',
        params: InstalledParams,
        response: { 204: Type.Null({ description: 'Removed' }) },
      },
    }),
    async (req, reply) => {
      await ctx.locks.removeExtension(signedIn(req).user, req.params.lockId, req.params.slug);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/locks/:lockId/history',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'The lock’s history, newest first',
        params: LockParams,
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(HistoryEntry), hasMore: Type.Boolean() }) },
      },
    }),
    async (req) => ctx.locks.history(signedIn(req).user.id, req.params.lockId, { ...req.query, limit: req.query.limit ?? 25 }),
  );

  app.get(
    '/api/locks/:lockId/audit',
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'Audit trail of extension and script calls on this lock, newest first',
        params: LockParams,
        querystring: AuditPageQuery,
        response: { 200: AuditPage },
      },
    }),
    async (req) => ctx.audit.forLock(signedIn(req).user.id, req.params.lockId, req.query.limit ?? 50, req.query.before),
  );
}
