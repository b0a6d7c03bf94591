import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyContextConfig, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { ErrorCode, Scope } from '@latch/protocol';
import { ApiError } from '../errors.js';
import type { RateBucket } from '../ratelimit.js';
import type { CredentialNeeds } from '../services/callers.js';
import { errorResponses, type ErrorBodyKind } from './openapi.js';
import { bodyErrors } from './validation.js';

/**
 * Who may call a route, declared once per route (DECISIONS §3). `route()` derives from it what
 * the guards enforce (`config`), the OpenAPI `security` and the error codes the guards can
 * answer with, so the three cannot disagree.
 * - `public`: anyone (the route's own checks only);
 * - `login`: a signed-in first-party user (cookie); a mutation also needs `x-csrf-token`;
 * - `CredentialNeeds`: an extension backend or browser (`surface: 'extension'`) or a script with
 *   a user-wide key (`surface: 'apps'`), checked by the credential guard.
 */
export type Access = { surface: 'public' } | { surface: 'login'; mutation: boolean } | CredentialNeeds;

export const PUBLIC: Access = { surface: 'public' };
/** A signed-in user reads. */
export const LOGIN_READ: Access = { surface: 'login', mutation: false };
/** A signed-in user changes something: the CSRF header is checked too. */
export const LOGIN_WRITE: Access = { surface: 'login', mutation: true };

/** A read of one extension session (backend, launch token alone, or a participant's cookie). */
export const sessionRead = (bucket: RateBucket = 'read', extra: Partial<CredentialNeeds> = {}): CredentialNeeds => ({ surface: 'extension', mutation: false, bucket, sessionBound: true, ...extra });
/** A change to one extension session: an app-scoped key with a main token (or the lock's background grant). */
export const sessionWrite = (scope: Scope, bucket: RateBucket = 'write'): CredentialNeeds => ({ surface: 'extension', mutation: true, bucket, sessionBound: true, scope });
/** A script's read on its owner's active lock (External API). */
export const appsRead: CredentialNeeds = { surface: 'apps', mutation: false, bucket: 'read', sessionBound: false };
/** A script's change on its owner's active lock (External API). */
export const appsWrite = (bucket: RateBucket = 'write'): CredentialNeeds => ({ surface: 'apps', mutation: true, bucket, sessionBound: false });

type Security = Array<Record<string, string[]>>;

const COOKIE: Security = [{ sessionCookie: [] }];
/** App-scoped key + main token (an extension backend). */
const BACKEND: Security = [{ developerKey: [], mainToken: [] }];
/** Reads a browser may make too: the launch token alone, or a participant's cookie. */
const BROWSER_SAFE: Security = [{ developerKey: [], mainToken: [] }, { mainToken: [] }, { sessionCookie: [] }];
/** A developer key alone: a user-wide key, or an app key on the routes that take it alone. */
const KEY_ALONE: Security = [{ developerKey: [] }];

/** Codes the credential guard can answer a session read with (DECISIONS §3). */
const SESSION_READ_ERRORS: ErrorCode[] = [
  'missing_credentials',
  'invalid_credentials',
  'app_scoped_key_required',
  'main_token_required',
  'invalid_main_token',
  'main_token_expired',
  'session_mismatch',
  'extension_not_enabled',
  'rate_limited',
  'not_found',
];
/** … and a session mutation, before the route's own codes. */
const SESSION_WRITE_ERRORS: ErrorCode[] = [...SESSION_READ_ERRORS, 'server_credentials_required', 'insufficient_scope', 'lock_ended', 'idempotency_key_reused', 'conflict'];
/** … and where the caller's app decides the dialect (DECISIONS §14). */
const DIALECT_ERRORS: ErrorCode[] = ['not_found', 'forbidden'];
/** Codes the guard can answer on /api/apps/v1. */
const APPS_ERRORS: ErrorCode[] = ['missing_credentials', 'invalid_credentials', 'user_wide_dev_key_required', 'rate_limited', 'no_active_lock_session'];

interface Derived {
  config: FastifyContextConfig;
  security: Security | undefined;
  errors: ErrorCode[];
  body: ErrorBodyKind;
}

/** A Chaster backend sends its developer token alone (DECISIONS §14). */
function extensionSecurity(access: CredentialNeeds): Security {
  if (access.dialect === 'chaster') return KEY_ALONE;
  const chastify = access.mutation ? BACKEND : access.sessionBound ? BROWSER_SAFE : KEY_ALONE;
  return access.dialect === 'both' && chastify !== KEY_ALONE ? [...chastify, ...KEY_ALONE] : chastify;
}

function derive(access: Access): Derived {
  switch (access.surface) {
    case 'public':
      return { config: {}, security: undefined, errors: [], body: 'ErrorBody' };
    case 'login':
      return { config: { auth: 'user' }, security: COOKIE, errors: access.mutation ? ['login_required', 'csrf_token_invalid'] : ['login_required'], body: 'ErrorBody' };
    case 'extension':
      return {
        config: { credentials: access },
        security: extensionSecurity(access),
        errors: [...(access.mutation ? SESSION_WRITE_ERRORS : SESSION_READ_ERRORS), ...(access.dialect ? DIALECT_ERRORS : [])],
        body: access.dialect === 'chaster' ? 'ChasterErrorBody' : access.dialect === 'both' ? 'dialects' : 'ErrorBody',
      };
    case 'apps':
      return { config: { credentials: access }, security: KEY_ALONE, errors: APPS_ERRORS, body: 'AppsErrorBody' };
  }
}

export interface RouteDeclaration<S extends FastifySchema> {
  access: Access;
  /** The codes the route itself answers with (the guard's are added). */
  errors?: ErrorCode[];
  /** Other per-route switches (e.g. `idempotency: false`). */
  config?: Omit<FastifyContextConfig, 'auth' | 'credentials'>;
  /** The schema without `security` and without error responses: both are derived from `access`. */
  schema: S & { security?: never };
  /**
   * On a path both dialects share (`access.dialect: 'both'`): the Chaster arm's body and answers.
   * Its body joins the validated union (each arm is then checked by `byDialect`); its answers are
   * listed in the OpenAPI document beside Chastify's, which keep the fast serializer.
   */
  chaster?: ChasterArm;
}

/**
 * Marks the Chaster arm of a shared path's body and answers in the OpenAPI document, so a
 * Chastify-only consumer (the client SDK's generated types) can leave it out.
 */
export const DIALECT_MARK = 'x-latch-dialect';

export interface ChasterArm {
  body?: TSchema;
  response?: Record<number, TSchema>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body schema of each dialect on a shared path, checked by `byDialect`. */
    dialectBodies?: { chastify?: TSchema; chaster?: TSchema };
  }
}

/** Lists the Chaster arm's answers in the OpenAPI document (`@fastify/swagger`'s per-route transform). */
function documentChasterArm(arm: ChasterArm) {
  return ({ schema, url }: { schema: FastifySchema; url: string }) => {
    const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
    for (const [status, answer] of Object.entries(arm.response ?? {})) {
      const chastify = response[status];
      const chaster = { ...answer, [DIALECT_MARK]: 'chaster' };
      response[status] = chastify ? { description: 'Chastify app | Chaster app', anyOf: [chastify, chaster] } : chaster;
    }
    return { schema: { ...schema, response }, url };
  };
}

/**
 * The route options (`config` and `schema`) for one declaration: pass them to `app.get/post/…`
 * or spread them into `app.route`. The schema keeps its own type, so handlers stay typed by it.
 */
export function route<S extends FastifySchema>(decl: RouteDeclaration<S>): { config: FastifyContextConfig; schema: S } {
  const { config, security, errors, body } = derive(decl.access);
  const codes = [...new Set([...errors, ...(decl.errors ?? [])])];
  const response = codes.length === 0 ? decl.schema.response : { ...(decl.schema.response as Record<number, unknown> | undefined), ...errorResponses(codes, body) };
  const arm = decl.chaster;
  const chastifyBody = decl.schema.body as TSchema | undefined;
  const requestBody = arm?.body && chastifyBody ? Type.Union([chastifyBody, { ...arm.body, [DIALECT_MARK]: 'chaster' }]) : (arm?.body ?? chastifyBody);
  return {
    config: {
      ...config,
      ...decl.config,
      ...(arm ? { swaggerTransform: documentChasterArm(arm), dialectBodies: { chastify: chastifyBody, chaster: arm.body } } : {}),
    },
    schema: { ...decl.schema, ...(requestBody ? { body: requestBody } : {}), ...(security ? { security } : {}), ...(response ? { response } : {}) } as S,
  };
}


/** The caller's arm of a shared path must get its own dialect's body (the route validated their union). */
function checkArmBody(schema: TSchema | undefined, body: unknown): void {
  if (!schema) return;
  const errors = bodyErrors(schema, body);
  if (errors.length === 0) return;
  const first = errors[0]!;
  throw new ApiError('invalid_request', `body${first.path === '/' ? '' : first.path} ${first.message}`, errors.map((e) => ({ in: 'body', ...e })));
}

/**
 * The handler of a path both dialects share (DECISIONS §14): the caller's app picks the arm, after
 * the credential guard resolved it. The Chaster arm's answers are written as they are (the route's
 * response schema is Chastify's, kept for its fast serializer).
 */
export function byDialect<Req extends FastifyRequest, Rep extends FastifyReply, R>(arms: { chastify: (req: Req, reply: Rep) => R; chaster: (req: Req, reply: Rep) => unknown }): (req: Req, reply: Rep) => R {
  return (req, reply) => {
    const bodies = req.routeOptions.config.dialectBodies;
    if (req.apiDialect === 'chaster') {
      checkArmBody(bodies?.chaster, req.body);
      reply.serializer(JSON.stringify);
      // Its answer is Chaster's, not the route's (Chastify) response type.
      return arms.chaster(req, reply) as R;
    }
    checkArmBody(bodies?.chastify, req.body);
    return arms.chastify(req, reply);
  };
}
