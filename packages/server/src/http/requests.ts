import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { ApiError } from '../errors.js';
import { jsonTextTooDeep, MAX_BODY_DEPTH } from '../services/freeFormJson.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honour a well-formed `x-request-id` from the caller (tracing across services), else make one. */
/**
 * Whether a browser says this request was started by another site (`Sec-Fetch-Site`: a link or
 * form on another page). Scripts and servers send no such header; the user's own typing is `none`.
 */
export function fromAnotherSite(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

/** Random bytes drawn in bulk: one `randomBytes` call per 256 request ids instead of one per id. */
const ID_BYTES = 12;
let idPool = Buffer.alloc(0);
let idOffset = 0;

export function requestIdFor(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  if (typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming)) return incoming;
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  idOffset += ID_BYTES;
  return `req_${idPool.toString('hex', idOffset - ID_BYTES, idOffset)}`;
}

/**
 * A request to a route that declares developer credentials (extension and External API routes)
 * and sends `Authorization`: browsers never attach that header cross-site without a preflight.
 */
function keyAuthenticated(req: FastifyRequest): boolean {
  return req.routeOptions.config?.credentials !== undefined && typeof req.headers.authorization === 'string';
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * JSON in, leniently where real clients are sloppy (DECISIONS §2): an empty body with
 * `Content-Type: application/json` is `{}`, a POST without any body is `{}`. Malformed JSON and
 * prototype-poisoning keys are 400 `invalid_request`.
 */
export function registerRequestPlumbing(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const parseJson = (_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void) => {
    if (body.trim() === '') return done(null, {});
    // Before parsing: a 10,000-deep body never becomes an object (the free-form limit is 32 levels).
    if (jsonTextTooDeep(body, MAX_BODY_DEPTH)) {
      return done(new ApiError('invalid_request', `The body nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`, [{ in: 'body', path: '', message: `nests deeper than ${MAX_BODY_DEPTH} levels` }]));
    }
    try {
      done(null, sjson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new ApiError('invalid_request', 'Body is not valid JSON'));
    }
  };
  // JSON only: text/plain and friends would reach handlers as strings (415 instead).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string' }, parseJson);
  // Any other type: an empty body on a key-authenticated route is "no body" (→ `{}` below), what
  // aiohttp's `session.post(url)` sends as `application/octet-stream` (DECISIONS §2). Everywhere
  // else, and with any byte in it, 415: cookie routes keep refusing non-JSON types, which a
  // cross-site form could send without a preflight (CSRF defence).
  app.addContentTypeParser('*', (req, payload, done) => {
    const refuse = () => new ApiError('unsupported_media_type', 'Send the body as application/json');
    const length = req.headers['content-length'];
    if (!keyAuthenticated(req) || (length !== undefined && length !== '0')) return done(refuse());
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    payload.on('error', (err) => done(err));
    payload.on('end', () => (size === 0 ? done(null, undefined) : done(refuse())));
  });

  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && BODY_METHODS.has(req.method)) req.body = {};
  });
}
