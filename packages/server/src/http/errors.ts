import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG, type ErrorCode } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { chasterErrorBody } from '../dialects/chaster/errors.js';

/**
 * Every error leaves through here (DECISIONS §2): `{code, message, requestId, details?}` plus
 * `error` as the code string on `/api/apps/v1` and as `{code, message}` everywhere else.
 * No stack trace or internal message ever reaches the client.
 */
export function errorBody(url: string, requestId: string, code: ErrorCode, message: string, details?: unknown, extra?: Record<string, unknown>) {
  const isAppsApi = url.startsWith('/api/apps/v1/') || url === '/api/apps/v1';
  return {
    ...extra,
    error: isAppsApi ? code : { code, message },
    code,
    message,
    requestId,
    ...(details === undefined ? {} : { details }),
  };
}

function toApiError(err: FastifyError | ApiError | Error): ApiError | null {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const where = fe.validationContext ?? 'request';
    const details = fe.validation.map((v) => ({
      in: where,
      path: v.instancePath || '/',
      message: v.message ?? 'is invalid',
      ...(v.keyword === 'additionalProperties' ? { field: (v.params as { additionalProperty?: string }).additionalProperty } : {}),
    }));
    const first = details[0];
    return new ApiError('invalid_request', `${where}${first ? `${first.path === '/' ? '' : first.path} ${first.message}` : ' is invalid'}`, details);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'Request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_request', 'Body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_request', 'Content-Length does not match the body');
  }
  const status = fe.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode =
      status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'invalid_request';
    return new ApiError(code, err.message && status !== 500 ? err.message : ERROR_CATALOG[code].description);
  }
  return null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The catalog code this request was answered with, if it failed (for the audit trail). */
    errorCode: ErrorCode | null;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The web app's client-side routes: unknown non-API pages get its index.html. */
    spaFallback: ((reply: FastifyReply) => unknown) | null;
  }
}

/**
 * Fastify's `frameworkErrors`: the router's own refusals (a path parameter over the cap, bad
 * percent-encoding) would otherwise answer in Fastify's shape with an `FST_` code, outside the
 * catalog and without `x-request-id`.
 */
export function routerErrorHandler(maxParamLength: number) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? `A path parameter is longer than ${maxParamLength} characters` : 'The URL is not valid (bad percent-encoding)';
    req.errorCode = 'invalid_request';
    void reply.header('x-request-id', req.id).code(400).type('application/json').send(errorBody(req.url, req.id, 'invalid_request', message));
  };
}

/**
 * Chaster-dialect errors are NestJS-style (DECISIONS §14): on Chaster-only routes, and on shared
 * paths once the caller's app is known to speak Chaster.
 */
function speaksChaster(req: FastifyRequest): boolean {
  return req.apiDialect === 'chaster' || req.routeOptions.config?.credentials?.dialect === 'chaster';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.decorateRequest('errorCode', null);
  app.decorate('spaFallback', null);
  app.setErrorHandler((err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(err);
    req.errorCode = apiError ? apiError.code : 'internal_error';
    if (!apiError) {
      req.log.error({ err }, 'unhandled error');
      return reply
        .code(500)
        .type('application/json')
        .send(errorBody(req.url, req.id, 'internal_error', 'Something went wrong on our side; report the requestId'));
    }
    if (apiError.status >= 500) req.log.error({ err }, apiError.message);
    if (apiError.headers) reply.headers(apiError.headers);
    // A shared path's error schema lists both bodies; the Chaster one is written as it is.
    if (speaksChaster(req)) reply.serializer(JSON.stringify);
    return reply
      .code(apiError.status)
      .type('application/json')
      .send(
        speaksChaster(req)
          ? chasterErrorBody(apiError.status, apiError.code, apiError.message, req.id, apiError.details, apiError.extra)
          : errorBody(req.url, req.id, apiError.code, apiError.message, apiError.details, apiError.extra),
      );
  });

  app.setNotFoundHandler((req, reply) => {
    req.errorCode = 'not_found';
    const spaFallback = app.spaFallback;
    if (spaFallback && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs') && String(req.headers.accept ?? '').includes('text/html')) {
      return spaFallback(reply);
    }
    reply
      .code(404)
      .type('application/json')
      .send(errorBody(req.url, req.id, 'not_found', `No route ${req.method} ${req.url.split('?')[0]}`));
  });
}
