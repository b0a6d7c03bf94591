/**
 * The credential matrix of the extension session API (DECISIONS §3, §12).
 *
 * Three tables drive every test: ROUTES (each route that declares `config.credentials`),
 * CASES (each way a caller can present, or fail to present, credentials) and `expected()`,
 * a small function of (case, route) that states the documented answer. Every cell is its own
 * test. A new route joins by adding one ROUTES row; a guard test fails until it does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { call, expectError, fixtureWorld, login, register, type Session, snapshot, suiteApp, testApp, type TestApp } from './helpers.js';
import type { FixtureAccount as Account, FixtureWorld as World } from '../src/services/fixtures.js';

// ---------------------------------------------------------------------------------------------
// Worlds

const WINS = {
  initialMetadata: { unlockRequirements: [{ metric: 'wins', requiredCount: 3 }] },
  config: { attemptLimit: { enabled: true, metric: 'wins', durationSeconds: 300 } },
};
const TEN_HOURS_MS = 10 * 3600_000;
const MAIN_TOKEN = 'x-chastify-main-token';

async function fixture(t: TestApp, extension: Record<string, unknown> = WINS): Promise<World> {
  return fixtureWorld(t.app, { extension });
}

/** A fresh launch token for `user` (rotates that user's previous one), as the web UI gets it. */
async function issueToken(t: TestApp, user: Session, sessionId: string): Promise<string> {
  const res = await call(t.app, user, 'GET', `/api/extensions/sessions/${sessionId}/auth`);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { mainToken: string }).mainToken;
}

async function createKey(t: TestApp, developer: Session, appId: string, name: string): Promise<{ id: string; key: string }> {
  const res = await call(t.app, developer, 'POST', '/api/developer/keys', { name, appId });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; key: string };
}

async function removeExtension(t: TestApp, w: World): Promise<void> {
  const keyholder = await login(t.app, w.keyholder!.username, w.keyholder!.password);
  const res = await call(t.app, keyholder, 'DELETE', `/api/locks/${w.lock.id}/extensions/${w.app.slug}`);
  assert.equal(res.statusCode, 204, res.body);
}

// ---------------------------------------------------------------------------------------------
// ROUTES: every route of routes/extensionSessions.ts that declares `config.credentials`

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RouteRow {
  /** Short name used in test titles. */
  name: string;
  method: Method;
  /** The path as OpenAPI documents it (for the "every guarded route has a row" check). */
  openapiPath: string;
  url: (sessionId: string) => string;
  /** A valid body: with the correct credentials this answers `okStatus`. */
  body?: (w: World) => unknown;
  /** Extra request headers (the multipart upload's content type). */
  headers?: Record<string, string>;
  okStatus: number | number[];
  /** Changes something: browser callers get 403 server_credentials_required. */
  mutation: boolean;
  /** GET with :sessionId: main token alone / participant cookie may read it. */
  browserSafe: boolean;
  /** An app-scoped key without a main token may call it (search, GET session). */
  appKeyAlone: boolean;
  /** Has a :sessionId the credentials must match. */
  sessionBound: boolean;
  scope?: string;
}

const S = (sessionId: string) => `/api/extensions/sessions/${sessionId}`;
const SP = '/api/extensions/sessions/{sessionId}';

const ROUTES: RouteRow[] = [
  { name: 'GET /sessions/:id', method: 'GET', openapiPath: SP, url: S, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: true, sessionBound: true },
  {
    name: 'POST /search',
    method: 'POST',
    openapiPath: '/api/extensions/sessions/search',
    url: () => '/api/extensions/sessions/search',
    body: (w) => ({ extensionSlug: w.app.slug }),
    okStatus: 200,
    mutation: false,
    browserSafe: false,
    appKeyAlone: true,
    sessionBound: false,
  },
  { name: 'GET /state', method: 'GET', openapiPath: `${SP}/state`, url: (id) => `${S(id)}/state`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  {
    name: 'PUT /state',
    method: 'PUT',
    openapiPath: `${SP}/state`,
    url: (id) => `${S(id)}/state`,
    body: () => ({ data: { k: 1 } }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'state:write',
  },
  {
    name: 'PATCH /state',
    method: 'PATCH',
    openapiPath: `${SP}/state`,
    url: (id) => `${S(id)}/state`,
    body: () => ({ data: { k: 1 } }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'state:write',
  },
  { name: 'GET /metadata', method: 'GET', openapiPath: `${SP}/metadata`, url: (id) => `${S(id)}/metadata`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  {
    name: 'PATCH /metadata',
    method: 'PATCH',
    openapiPath: `${SP}/metadata`,
    url: (id) => `${S(id)}/metadata`,
    body: () => ({ unlockBlockers: [] }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'metadata:write',
  },
  {
    name: 'POST /logs/custom',
    method: 'POST',
    openapiPath: `${SP}/logs/custom`,
    url: (id) => `${S(id)}/logs/custom`,
    body: () => ({ title: 't' }),
    okStatus: 201,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'logs:write',
  },
  {
    name: 'POST /notifications/custom',
    method: 'POST',
    openapiPath: `${SP}/notifications/custom`,
    url: (id) => `${S(id)}/notifications/custom`,
    body: () => ({ title: 't', message: 'm' }),
    okStatus: 201,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'notifications:write',
  },
  {
    name: 'POST /requirements/progress',
    method: 'POST',
    openapiPath: `${SP}/requirements/progress`,
    url: (id) => `${S(id)}/requirements/progress`,
    body: () => ({ metric: 'wins' }),
    okStatus: 201,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'requirements:write',
  },
  {
    name: 'POST /action',
    method: 'POST',
    openapiPath: `${SP}/action`,
    url: (id) => `${S(id)}/action`,
    body: () => ({ name: 'add_time', params: 60 }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'locks:write',
  },
  {
    name: 'POST /tasks/assign',
    method: 'POST',
    openapiPath: `${SP}/tasks/assign`,
    url: (id) => `${S(id)}/tasks/assign`,
    body: () => ({ task: { task: 'Complete 50 push-ups', points: 10 }, actor: 'extension' }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'locks:write',
  },
  // With no open task the engine answers 409 no_active_task: reaching it means the guard let the call through.
  {
    name: 'POST /tasks/start-timer',
    method: 'POST',
    openapiPath: `${SP}/tasks/start-timer`,
    url: (id) => `${S(id)}/tasks/start-timer`,
    body: () => ({}),
    okStatus: 409,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'locks:write',
  },
  {
    name: 'POST /tasks/complete',
    method: 'POST',
    openapiPath: `${SP}/tasks/complete`,
    url: (id) => `${S(id)}/tasks/complete`,
    body: () => ({ actor: 'extension', isCompleted: false }),
    // 200 when an earlier row left a task open, else 409 no_active_task.
    okStatus: [200, 409],
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'locks:write',
  },
];

// Regular actions, attempts, requirements (spec 001).
ROUTES.push(
  { name: 'GET /regular-actions', method: 'GET', openapiPath: `${SP}/regular-actions`, url: (id) => `${S(id)}/regular-actions`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  {
    name: 'POST /regular-actions',
    method: 'POST',
    openapiPath: `${SP}/regular-actions`,
    url: (id) => `${S(id)}/regular-actions`,
    body: () => ({ payload: { kind: 'checkin' } }),
    okStatus: 201,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'regular_actions:write',
  },
  {
    name: 'PATCH /regular-actions/config',
    method: 'PATCH',
    openapiPath: `${SP}/regular-actions/config`,
    url: (id) => `${S(id)}/regular-actions/config`,
    body: () => ({ mode: 'unlimited' }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'regular_actions:write',
  },
  {
    name: 'POST /attempts/start',
    method: 'POST',
    openapiPath: `${SP}/attempts/start`,
    url: (id) => `${S(id)}/attempts/start`,
    body: () => ({ metric: 'wins', attemptId: 'matrix-1' }),
    // 201 the first time, 200 for the same attempt id again.
    okStatus: [200, 201],
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'requirements:write',
  },
  {
    name: 'POST /attempts/fail-expired',
    method: 'POST',
    openapiPath: `${SP}/attempts/fail-expired`,
    url: (id) => `${S(id)}/attempts/fail-expired`,
    body: () => ({ metric: 'wins', attemptId: 'matrix-1' }),
    // 404 attempt_not_found until an earlier row started it.
    okStatus: [200, 404],
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'requirements:write',
  },
  {
    name: 'POST /attempts/fail',
    method: 'POST',
    openapiPath: `${SP}/attempts/fail`,
    url: (id) => `${S(id)}/attempts/fail`,
    body: () => ({ metric: 'wins', attemptId: 'matrix-1' }),
    // 404 attempt_not_found until an earlier row started it; 200 once it is failed (again).
    okStatus: [200, 404],
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'requirements:write',
  },
  { name: 'GET /requirements', method: 'GET', openapiPath: `${SP}/requirements`, url: (id) => `${S(id)}/requirements`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
);

// Files and device commands (spec 000/002).
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const UPLOAD_BOUNDARY = 'latchmatrixboundary';
const UPLOAD_BODY = Buffer.concat([
  Buffer.from(`--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
  PNG_1X1,
  Buffer.from(`\r\n--${UPLOAD_BOUNDARY}--\r\n`),
]);
const NO_FILE = 'f'.repeat(24);
ROUTES.push(
  { name: 'GET /files/capabilities', method: 'GET', openapiPath: `${SP}/files/capabilities`, url: (id) => `${S(id)}/files/capabilities`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  { name: 'GET /files', method: 'GET', openapiPath: `${SP}/files`, url: (id) => `${S(id)}/files`, okStatus: 200, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  // An unknown file id: reaching the 404 means the guard let the call through.
  { name: 'GET /files/:fileId', method: 'GET', openapiPath: `${SP}/files/{fileId}`, url: (id) => `${S(id)}/files/${NO_FILE}`, okStatus: 404, mutation: false, browserSafe: true, appKeyAlone: false, sessionBound: true },
  {
    name: 'POST /files',
    method: 'POST',
    openapiPath: `${SP}/files`,
    url: (id) => `${S(id)}/files`,
    body: () => UPLOAD_BODY,
    headers: { 'content-type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` },
    okStatus: 201,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'files:write',
  },
  { name: 'DELETE /files/:fileId', method: 'DELETE', openapiPath: `${SP}/files/{fileId}`, url: (id) => `${S(id)}/files/${NO_FILE}`, okStatus: 404, mutation: true, browserSafe: false, appKeyAlone: false, sessionBound: true, scope: 'files:write' },
  {
    name: 'POST /device-command',
    method: 'POST',
    openapiPath: `${SP}/device-command`,
    url: (id) => `${S(id)}/device-command`,
    body: () => ({ command: 'all.stop' }),
    okStatus: 200,
    mutation: true,
    browserSafe: false,
    appKeyAlone: false,
    sessionBound: true,
    scope: 'locks:write',
  },
);

const route = (name: string): RouteRow => {
  const r = ROUTES.find((x) => x.name === name);
  if (!r) throw new Error(`no ROUTES row ${name}`);
  return r;
};

// ---------------------------------------------------------------------------------------------
// CASES: what the caller presents

interface Creds {
  authorization?: string;
  mainToken?: string;
  cookie?: string;
}

/** Everything the cases draw on; built once in `before`. */
interface Env {
  w: World;
  /** A second world: another app, another lock, another session. */
  w2: World;
  /** W's wearer token, re-issued after the clock moved 10 h. */
  token: string;
  /** W2's wearer token, re-issued after the clock moved 10 h. */
  w2Token: string;
  /** W's keyholder token: issued at fixture time, never rotated, now past its 10 h lifetime. */
  expiredToken: string;
  /** A token of another session of the SAME app (a second lock with W's extension). */
  sameAppOtherToken: string;
  revokedKey: string;
  wearer: Session;
  stranger: Session;
}

const unknownKey = () => `lk_app_${randomBytes(24).toString('hex')}`;
const unknownToken = () => `mt_${randomBytes(24).toString('hex')}`;
const bearer = (key: string) => `Bearer ${key}`;

type CaseId =
  | 'none'
  | 'malformedBasic'
  | 'malformedBearerEmpty'
  | 'unknownKey'
  | 'revokedKey'
  | 'userKey'
  | 'otherAppKey'
  | 'appKeyAlone'
  | 'unknownToken'
  | 'expiredToken'
  | 'otherSessionToken'
  | 'sameAppOtherSessionToken'
  | 'tokenAlone'
  | 'unknownTokenAlone'
  | 'expiredTokenAlone'
  | 'otherSessionTokenAlone'
  | 'strangerCookie'
  | 'participantCookie'
  | 'correct';

interface Case {
  id: CaseId;
  label: string;
  creds: (e: Env) => Creds;
}

const CASES: Case[] = [
  { id: 'none', label: 'no credentials', creds: () => ({}) },
  { id: 'malformedBasic', label: 'Authorization: Basic abc', creds: () => ({ authorization: 'Basic abc' }) },
  { id: 'malformedBearerEmpty', label: 'Authorization: Bearer (empty)', creds: () => ({ authorization: 'Bearer' }) },
  { id: 'unknownKey', label: 'unknown key + main token', creds: (e) => ({ authorization: bearer(unknownKey()), mainToken: e.token }) },
  { id: 'revokedKey', label: 'revoked key + main token', creds: (e) => ({ authorization: bearer(e.revokedKey), mainToken: e.token }) },
  { id: 'userKey', label: 'user-wide key + main token', creds: (e) => ({ authorization: bearer(e.w.wearer.userKey), mainToken: e.token }) },
  { id: 'otherAppKey', label: "another app's key + this session's token", creds: (e) => ({ authorization: bearer(e.w2.app.appKey), mainToken: e.token }) },
  { id: 'appKeyAlone', label: 'app key alone', creds: (e) => ({ authorization: bearer(e.w.app.appKey) }) },
  { id: 'unknownToken', label: 'app key + unknown main token', creds: (e) => ({ authorization: bearer(e.w.app.appKey), mainToken: unknownToken() }) },
  { id: 'expiredToken', label: 'app key + expired main token', creds: (e) => ({ authorization: bearer(e.w.app.appKey), mainToken: e.expiredToken }) },
  { id: 'otherSessionToken', label: 'app key + token of another session (other app)', creds: (e) => ({ authorization: bearer(e.w.app.appKey), mainToken: e.w2Token }) },
  { id: 'sameAppOtherSessionToken', label: 'app key + token of another session (same app)', creds: (e) => ({ authorization: bearer(e.w.app.appKey), mainToken: e.sameAppOtherToken }) },
  { id: 'tokenAlone', label: 'main token alone', creds: (e) => ({ mainToken: e.token }) },
  { id: 'unknownTokenAlone', label: 'unknown main token alone', creds: () => ({ mainToken: unknownToken() }) },
  { id: 'expiredTokenAlone', label: 'expired main token alone', creds: (e) => ({ mainToken: e.expiredToken }) },
  { id: 'otherSessionTokenAlone', label: 'main token of another session alone', creds: (e) => ({ mainToken: e.w2Token }) },
  { id: 'strangerCookie', label: "a stranger's cookie", creds: (e) => ({ cookie: e.stranger.cookie }) },
  { id: 'participantCookie', label: "the wearer's cookie alone", creds: (e) => ({ cookie: e.wearer.cookie }) },
  { id: 'correct', label: 'app key + main token', creds: (e) => ({ authorization: bearer(e.w.app.appKey), mainToken: e.token }) },
];

// ---------------------------------------------------------------------------------------------
// EXPECTED: DECISIONS §3 as a function of (case, route)

type Outcome = { ok: true } | { ok: false; status: number; code: string };
const OK: Outcome = { ok: true };
const refuse = (status: number, code: string): Outcome => ({ ok: false, status, code });

/**
 * What a browser caller (no Authorization) with a *valid* credential gets: a safe GET of its own
 * session runs; a mutation is 403 server_credentials_required; anything else (search: not a
 * session route, and not a mutation) is not something a browser credential opens at all, so it
 * is the "Authorization missing" case.
 */
const browser = (r: RouteRow): Outcome => (r.browserSafe ? OK : r.mutation ? refuse(403, 'server_credentials_required') : refuse(401, 'missing_credentials'));

function expected(c: CaseId, r: RouteRow): Outcome {
  switch (c) {
    case 'none':
    case 'malformedBasic':
    case 'malformedBearerEmpty':
    case 'strangerCookie':
      return refuse(401, 'missing_credentials');
    case 'unknownKey':
    case 'revokedKey':
      return refuse(401, 'invalid_credentials');
    case 'userKey':
      return refuse(403, 'app_scoped_key_required');
    case 'otherAppKey':
      return refuse(403, 'session_mismatch');
    case 'appKeyAlone':
      return r.appKeyAlone ? OK : refuse(401, 'main_token_required');
    case 'unknownToken':
    case 'unknownTokenAlone':
      return refuse(401, 'invalid_main_token');
    case 'expiredToken':
    case 'expiredTokenAlone':
      return refuse(401, 'main_token_expired');
    case 'otherSessionToken':
      return refuse(403, 'session_mismatch');
    case 'sameAppOtherSessionToken':
      // The token is the app's own; only a route bound to a session can be the wrong session.
      return r.sessionBound ? refuse(403, 'session_mismatch') : OK;
    case 'otherSessionTokenAlone':
      return r.sessionBound ? refuse(403, 'session_mismatch') : browser(r);
    case 'tokenAlone':
    case 'participantCookie':
      return browser(r);
    case 'correct':
      return OK;
  }
}

const outcomeLabel = (o: Outcome, r: RouteRow) => (o.ok ? `${r.okStatus}` : `${o.status} ${o.code}`);

// ---------------------------------------------------------------------------------------------
// Requests and assertions

function send(t: TestApp, r: RouteRow, w: World, creds: Creds, sessionId = w.session.id, body: unknown = r.body?.(w)) {
  const headers: Record<string, string> = { ...r.headers };
  if (creds.authorization !== undefined) headers.authorization = creds.authorization;
  if (creds.mainToken !== undefined) headers[MAIN_TOKEN] = creds.mainToken;
  if (creds.cookie !== undefined) headers.cookie = creds.cookie;
  return t.app.inject({ method: r.method, url: r.url(sessionId), headers, ...(body === undefined ? {} : { payload: body as object }) });
}

/** The error shape of DECISIONS §2 for /api/extensions/*: `{error:{code,message}, code, message, requestId}`. */
function expectRefusal(res: LightMyRequestResponse, status: number, code: string) {
  const body = expectError(res, status, code) as Record<string, unknown>;
  assert.deepEqual(body.error, { code, message: body.message }, 'error is {code, message} on /api/extensions/*');
  for (const k of Object.keys(body)) assert.ok(['error', 'code', 'message', 'requestId', 'details'].includes(k), `unexpected key ${k} in ${res.body}`);
  assert.ok((body.message as string).length > 0);
  return body;
}

/** Everything a refused call must leave untouched: row counts, the session row, the lock row. */
async function worldState(t: TestApp, w: World) {
  const db = t.db.database.db;
  return {
    counts: await snapshot(t.db.database),
    session: await db.selectFrom('extension_sessions').selectAll().where('id', '=', w.session.id).executeTakeFirstOrThrow(),
    lock: await db.selectFrom('locks').selectAll().where('id', '=', w.lock.id).executeTakeFirstOrThrow(),
  };
}

/** Sends the request and asserts the outcome; for a refusal also that nothing changed. */
async function check(t: TestApp, r: RouteRow, w: World, creds: Creds, want: Outcome, sessionId = w.session.id, body: unknown = r.body?.(w)) {
  const before = want.ok ? null : await worldState(t, w);
  const res = await send(t, r, w, creds, sessionId, body);
  if (want.ok) {
    const ok = Array.isArray(r.okStatus) ? r.okStatus : [r.okStatus];
    assert.ok(ok.includes(res.statusCode), `expected ${ok.join(' or ')}, got ${res.statusCode} ${res.body}`);
    return res;
  }
  expectRefusal(res, want.status, want.code);
  assert.deepEqual(await worldState(t, w), before, 'a refused call changed something');
  return res;
}

// ---------------------------------------------------------------------------------------------

describe('extension credentials (DECISIONS §3)', () => {
  let t: TestApp;
  const e = {} as Env;

  before(async () => {
    t = await testApp({ config: { dev: true } });
    e.w = await fixture(t);
    e.w2 = await fixture(t);
    // The keyholder's fixture token works now; it will only expire with time (never rotated).
    const kt = e.w.mainTokens.keyholder!;
    assert.equal((await send(t, route('GET /state'), e.w, { authorization: bearer(e.w.app.appKey), mainToken: kt })).statusCode, 200);
    e.expiredToken = kt;
    t.clock.advance(TEN_HOURS_MS + 60_000);

    e.wearer = await login(t.app, e.w.wearer.username, e.w.wearer.password);
    e.token = await issueToken(t, e.wearer, e.w.session.id);
    const w2wearer = await login(t.app, e.w2.wearer.username, e.w2.wearer.password);
    e.w2Token = await issueToken(t, w2wearer, e.w2.session.id);

    // Another session of the same app: a self-lock with W's extension installed.
    const other = await register(t.app);
    const lock = await call(t.app, other, 'POST', '/api/locks', { title: 'Other', durationSeconds: 86400, extensions: [{ slug: e.w.app.slug }] });
    assert.equal(lock.statusCode, 201, lock.body);
    const otherSessionId = (lock.json() as { extensions: Array<{ sessionId: string }> }).extensions[0]!.sessionId;
    assert.notEqual(otherSessionId, e.w.session.id);
    e.sameAppOtherToken = await issueToken(t, other, otherSessionId);

    // A revoked app key of W's app, made in the developer console by W's developer.
    const developer = await login(t.app, e.w.developer.username, e.w.developer.password);
    const revoked = await createKey(t, developer, e.w.app.id, 'to revoke');
    assert.ok(revoked.key.startsWith('lk_app_'));
    const rv = await call(t.app, developer, 'POST', `/api/developer/keys/${revoked.id}/revoke`);
    assert.equal(rv.statusCode, 200, rv.body);
    assert.ok((rv.json() as { revokedAt: string | null }).revokedAt);
    e.revokedKey = revoked.key;

    e.stranger = await register(t.app);
  });
  after(() => t.close());

  it('every route that takes extension credentials has a ROUTES row', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; tags?: string[] }>> };
    const guarded: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      if (!p.startsWith('/api/extensions/')) continue;
      for (const [m, op] of Object.entries(ops)) {
        // Chaster-only operations have Chaster's credential model: test/chaster covers them.
        if ((op.tags ?? []).some((tag) => tag.endsWith('(Chaster)'))) continue;
        if ((op.security ?? []).some((s) => 'developerKey' in s || 'mainToken' in s)) guarded.push(`${m.toUpperCase()} ${p}`);
      }
    }
    const inTable = ROUTES.map((r) => `${r.method} ${r.openapiPath}`);
    assert.deepEqual([...guarded].sort(), [...inTable].sort());
  });

  it('the fixture pieces are what the cases say they are', async () => {
    assert.notEqual(e.w.app.id, e.w2.app.id);
    assert.notEqual(e.w.session.id, e.w2.session.id);
    assert.ok(e.w.wearer.userKey.startsWith('lk_usr_'));
    assert.ok(e.w.app.appKey.startsWith('lk_app_'));
    assert.ok(e.token.startsWith('mt_') && e.expiredToken.startsWith('mt_'));
    const row = await t.db.database.db.selectFrom('main_tokens').selectAll().where('session_id', '=', e.w.session.id).where('user_id', '=', e.w.keyholder!.id).executeTakeFirstOrThrow();
    assert.equal(row.revoked_at, null, 'the expired token expired by age, not by rotation');
    assert.ok(Number(row.expires_at) <= t.clock.now());
  });

  for (const r of ROUTES) {
    describe(r.name, () => {
      for (const c of CASES) {
        const want = expected(c.id, r);
        it(`${r.name} × ${c.label} → ${outcomeLabel(want, r)}`, async () => {
          await check(t, r, e.w, c.creds(e), want);
        });
      }
    });
  }

  describe('ordering: combined faults, first failure wins', () => {
    let removed: World;
    let removedNoScope: World;

    before(async () => {
      removed = await fixture(t);
      await removeExtension(t, removed);
      removedNoScope = await fixture(t, { ...WINS, scopes: ['state:write'] });
      await removeExtension(t, removedNoScope);
    });

    interface PrecedenceRow {
      label: string;
      route: string;
      world: () => World;
      creds: () => Creds;
      want: Outcome;
      sessionId?: () => string;
      body?: () => unknown;
    }

    const ROWS: PrecedenceRow[] = [
      { label: 'unknown key + no main token', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: bearer(unknownKey()) }), want: refuse(401, 'invalid_credentials') },
      { label: 'malformed Authorization + valid main token (not the browser case)', route: 'GET /state', world: () => e.w, creds: () => ({ authorization: 'Basic abc', mainToken: e.token }), want: refuse(401, 'missing_credentials') },
      { label: 'Authorization: Bearer (empty) + valid main token', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: 'Bearer ', mainToken: e.token }), want: refuse(401, 'missing_credentials') },
      { label: 'user-wide key + unknown main token', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: bearer(e.w.wearer.userKey), mainToken: unknownToken() }), want: refuse(403, 'app_scoped_key_required') },
      { label: 'user-wide key + no main token', route: 'GET /sessions/:id', world: () => e.w, creds: () => ({ authorization: bearer(e.w.wearer.userKey) }), want: refuse(403, 'app_scoped_key_required') },
      { label: 'revoked key + token of another session', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: bearer(e.revokedKey), mainToken: e.w2Token }), want: refuse(401, 'invalid_credentials') },
      { label: 'app key + expired token of another session', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: bearer(e.w.app.appKey), mainToken: e.w2.mainTokens.keyholder! }), want: refuse(401, 'main_token_expired') },
      { label: "another app's key + unknown token", route: 'GET /state', world: () => e.w, creds: () => ({ authorization: bearer(e.w2.app.appKey), mainToken: unknownToken() }), want: refuse(401, 'invalid_main_token') },
      { label: 'app key + no main token + removed extension', route: 'PATCH /state', world: () => removed, creds: () => ({ authorization: bearer(removed.app.appKey) }), want: refuse(401, 'main_token_required') },
      { label: 'app key + unknown token + removed extension', route: 'PATCH /state', world: () => removed, creds: () => ({ authorization: bearer(removed.app.appKey), mainToken: unknownToken() }), want: refuse(401, 'invalid_main_token') },
      { label: 'app key + token of another session + removed extension', route: 'PATCH /state', world: () => removed, creds: () => ({ authorization: bearer(removed.app.appKey), mainToken: e.token }), want: refuse(403, 'session_mismatch') },
      { label: 'removed extension + missing scope', route: 'PATCH /metadata', world: () => removedNoScope, creds: () => ({ authorization: bearer(removedNoScope.app.appKey), mainToken: removedNoScope.mainTokens.wearer }), want: refuse(403, 'extension_not_enabled') },
      { label: 'app key + main token, unknown session id', route: 'GET /state', world: () => e.w, creds: () => ({ authorization: bearer(e.w.app.appKey), mainToken: e.token }), sessionId: () => 'f'.repeat(24), want: refuse(403, 'session_mismatch') },
      { label: "app key alone, another app's session", route: 'GET /sessions/:id', world: () => e.w2, creds: () => ({ authorization: bearer(e.w.app.appKey) }), want: refuse(403, 'session_mismatch') },
      { label: 'app key alone, unknown session id', route: 'GET /sessions/:id', world: () => e.w, creds: () => ({ authorization: bearer(e.w.app.appKey) }), sessionId: () => 'f'.repeat(24), want: refuse(404, 'not_found') },
      { label: "app key alone, another app's slug", route: 'POST /search', world: () => e.w, creds: () => ({ authorization: bearer(e.w.app.appKey) }), body: () => ({ extensionSlug: e.w2.app.slug }), want: refuse(403, 'session_mismatch') },
      { label: 'no credentials + invalid body (credentials before validation)', route: 'PATCH /state', world: () => e.w, creds: () => ({}), body: () => ({ nope: true }), want: refuse(401, 'missing_credentials') },
      { label: 'app key alone + invalid body', route: 'PATCH /state', world: () => e.w, creds: () => ({ authorization: bearer(e.w.app.appKey) }), body: () => ({ nope: true }), want: refuse(401, 'main_token_required') },
    ];

    for (const row of ROWS) {
      const r = route(row.route);
      it(`${r.name} × ${row.label} → ${outcomeLabel(row.want, r)}`, async () => {
        const w = row.world();
        await check(t, r, w, row.creds(), row.want, row.sessionId?.() ?? w.session.id, row.body ? row.body() : r.body?.(w));
      });
    }
  });

  describe('removed extension → 403 extension_not_enabled', () => {
    let w: World;
    let wearer: Session;
    let token: string;
    before(async () => {
      w = await fixture(t);
      wearer = await login(t.app, w.wearer.username, w.wearer.password);
      token = w.mainTokens.wearer;
      assert.equal((await send(t, route('GET /state'), w, { authorization: bearer(w.app.appKey), mainToken: token })).statusCode, 200);
      await removeExtension(t, w);
    });

    const removedCases: Array<{ label: string; creds: () => Creds; applies: (r: RouteRow) => boolean }> = [
      { label: 'the old app key + main token', creds: () => ({ authorization: bearer(w.app.appKey), mainToken: token }), applies: (r) => r.sessionBound },
      { label: 'app key alone', creds: () => ({ authorization: bearer(w.app.appKey) }), applies: (r) => r.sessionBound && r.appKeyAlone },
      { label: 'main token alone', creds: () => ({ mainToken: token }), applies: (r) => r.browserSafe },
      { label: "the wearer's cookie alone", creds: () => ({ cookie: wearer.cookie }), applies: (r) => r.browserSafe },
    ];
    for (const r of ROUTES) {
      for (const c of removedCases) {
        if (!c.applies(r)) continue;
        it(`${r.name} × removed extension, ${c.label} → 403 extension_not_enabled`, async () => {
          await check(t, r, w, c.creds(), refuse(403, 'extension_not_enabled'));
        });
      }
    }

    it('GET /sessions/:id/auth × removed extension → 403 extension_not_enabled', async () => {
      const before = await snapshot(t.db.database);
      expectRefusal(await call(t.app, wearer, 'GET', `/api/extensions/sessions/${w.session.id}/auth`), 403, 'extension_not_enabled');
      assert.deepEqual(await snapshot(t.db.database), before);
    });
  });

  describe('missing scope → 403 insufficient_scope (app has only state:write)', () => {
    let w: World;
    before(async () => (w = await fixture(t, { ...WINS, scopes: ['state:write'] })));
    for (const r of ROUTES) {
      const want = r.scope && r.scope !== 'state:write' ? refuse(403, 'insufficient_scope') : OK;
      it(`${r.name} × app key + main token, scopes [state:write] → ${outcomeLabel(want, r)}`, async () => {
        await check(t, r, w, { authorization: bearer(w.app.appKey), mainToken: w.mainTokens.wearer }, want);
      });
    }
  });

  describe('POST /sessions/:id/auth rotates the main token (a GET never revokes: issue 16)', () => {
    let w: World;
    let wearer: Session;
    let oldToken: string;
    let newToken: string;
    const state = route('GET /state');
    const patch = route('PATCH /state');
    before(async () => {
      w = await fixture(t);
      wearer = await login(t.app, w.wearer.username, w.wearer.password);
      oldToken = w.mainTokens.wearer;
    });

    it('the fixture token works before rotation', async () => {
      await check(t, state, w, { authorization: bearer(w.app.appKey), mainToken: oldToken }, OK);
    });

    it('issues a fresh 10 h token bound to the session and role', async () => {
      const res = await call(t.app, wearer, 'POST', `/api/extensions/sessions/${w.session.id}/auth`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { mainToken: string; sessionId: string; lockId: string; role: string; expiresAt: string };
      assert.ok(body.mainToken.startsWith('mt_'));
      assert.notEqual(body.mainToken, oldToken);
      assert.equal(body.sessionId, w.session.id);
      assert.equal(body.lockId, w.lock.id);
      assert.equal(body.role, 'wearer');
      assert.equal(Date.parse(body.expiresAt), t.clock.now() + TEN_HOURS_MS);
      newToken = body.mainToken;
    });

    it('GET /state × app key + the new token → 200', async () => {
      await check(t, state, w, { authorization: bearer(w.app.appKey), mainToken: newToken }, OK);
    });
    it('PATCH /state × app key + the new token → 200', async () => {
      await check(t, patch, w, { authorization: bearer(w.app.appKey), mainToken: newToken }, OK);
    });
    it('GET /state × main token alone (new) → 200', async () => {
      await check(t, state, w, { mainToken: newToken }, OK);
    });
    it('GET /state × app key + the previous token → 401 main_token_expired', async () => {
      await check(t, state, w, { authorization: bearer(w.app.appKey), mainToken: oldToken }, refuse(401, 'main_token_expired'));
    });
    it('PATCH /state × app key + the previous token → 401 main_token_expired', async () => {
      await check(t, patch, w, { authorization: bearer(w.app.appKey), mainToken: oldToken }, refuse(401, 'main_token_expired'));
    });
    it('GET /state × previous main token alone → 401 main_token_expired', async () => {
      await check(t, state, w, { mainToken: oldToken }, refuse(401, 'main_token_expired'));
    });
    it("GET /state × app key + the keyholder's token (not rotated by the wearer) → 200", async () => {
      await check(t, state, w, { authorization: bearer(w.app.appKey), mainToken: w.mainTokens.keyholder! }, OK);
    });
    it('GET /sessions/:id/auth × a stranger → 404 not_found, no token issued', async () => {
      const stranger = await register(t.app);
      const before = await snapshot(t.db.database);
      expectRefusal(await call(t.app, stranger, 'GET', `/api/extensions/sessions/${w.session.id}/auth`), 404, 'not_found');
      assert.deepEqual(await snapshot(t.db.database), before);
    });
  });

  describe("a key's lastUsedAt (written at most once a minute)", () => {
    let w: World;
    let developer: Session;
    let keyId: string;
    let key: string;
    const lastUsed = async () => {
      const res = await call(t.app, developer, 'GET', '/api/developer/keys');
      assert.equal(res.statusCode, 200, res.body);
      const k = (res.json() as { results: Array<{ id: string; lastUsedAt: string | null; key?: unknown; keyHash?: unknown }> }).results.find((x) => x.id === keyId);
      assert.ok(k, 'the key is listed');
      assert.equal(k.key, undefined, 'the list never shows the secret');
      return k.lastUsedAt;
    };
    const use = async () => check(t, route('GET /state'), w, { authorization: bearer(key), mainToken: w.mainTokens.wearer }, OK);

    before(async () => {
      w = await fixture(t);
      developer = await login(t.app, w.developer.username, w.developer.password);
      ({ id: keyId, key } = await createKey(t, developer, w.app.id, 'backend'));
    });

    it('is null before the key is used', async () => {
      assert.equal(await lastUsed(), null);
    });
    it('appears in GET /api/developer/keys after a call', async () => {
      await use();
      assert.equal(await lastUsed(), new Date(t.clock.now()).toISOString());
    });
    it('is not rewritten within the minute', async () => {
      const first = await lastUsed();
      t.clock.advance(30_000);
      await use();
      assert.equal(await lastUsed(), first);
    });
    it('moves on after a minute', async () => {
      t.clock.advance(31_000);
      await use();
      assert.equal(await lastUsed(), new Date(t.clock.now()).toISOString());
    });
  });
});

describe('rate limits on extension routes (DECISIONS §12, RATE_LIMIT_MULTIPLIER 0.01: read 3, write 1)', () => {
  let t: TestApp;
  let w: World;
  let creds: Creds;
  const state = route('GET /state');
  const patch = route('PATCH /state');

  before(async () => {
    t = await testApp({ config: { dev: true, rateLimitMultiplier: 0.01 } });
    w = await fixture(t);
    creds = { authorization: bearer(w.app.appKey), mainToken: w.mainTokens.wearer };
  });
  after(() => t.close());

  it('GET /state × app key + main token: RateLimit-Remaining counts down 2, 1, 0', async () => {
    for (const remaining of [2, 1, 0]) {
      const res = await check(t, state, w, creds, OK);
      assert.equal(res.headers['ratelimit-limit'], '3');
      assert.equal(res.headers['ratelimit-remaining'], String(remaining));
      const reset = Number(res.headers['ratelimit-reset']);
      assert.ok(Number.isInteger(reset) && reset >= 1 && reset <= 60, `RateLimit-Reset ${String(res.headers['ratelimit-reset'])}`);
      assert.equal(res.headers['retry-after'], undefined);
    }
  });

  it('GET /state × app key + main token, 4th in the minute → 429 rate_limited with Retry-After and RateLimit-*', async () => {
    const res = await check(t, state, w, creds, refuse(429, 'rate_limited'));
    const retry = Number(res.headers['retry-after']);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${String(res.headers['retry-after'])}`);
    assert.equal(res.headers['ratelimit-limit'], '3');
    assert.equal(res.headers['ratelimit-remaining'], '0');
    assert.ok(Number(res.headers['ratelimit-reset']) >= 1);
  });

  it('GET /state × app key + unknown token while over the limit → 401 invalid_main_token (credentials are checked first)', async () => {
    await check(t, state, w, { authorization: bearer(w.app.appKey), mainToken: unknownToken() }, refuse(401, 'invalid_main_token'));
  });

  it('GET /state × main token alone while the app key is over the limit → 200 (budgets are per credential)', async () => {
    const res = await check(t, state, w, { mainToken: w.mainTokens.wearer }, OK);
    assert.equal(res.headers['ratelimit-remaining'], '2');
  });

  it('PATCH /state × app key + main token: 1st → 200 (write bucket is separate), 2nd → 429 and nothing changes', async () => {
    const ok = await check(t, patch, w, creds, OK, w.session.id, { data: { n: 1 } });
    assert.equal(ok.headers['ratelimit-limit'], '1');
    assert.equal(ok.headers['ratelimit-remaining'], '0');
    const res = await check(t, patch, w, creds, refuse(429, 'rate_limited'), w.session.id, { data: { n: 2 } });
    assert.ok(Number(res.headers['retry-after']) >= 1);
    const row = await t.db.database.db.selectFrom('extension_sessions').select('state').where('id', '=', w.session.id).executeTakeFirstOrThrow();
    assert.equal((JSON.parse(row.state) as { n?: number }).n, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// The Chaster routes (DECISIONS §14): a Chaster app's developer token alone opens every route of
// its own sessions; another app's session is not there (404); a wrong X-Chaster-Client-Id is 403;
// each dialect's apps find only their own dialect's routes (404).

interface ChasterRouteRow {
  name: string;
  method: Method;
  url: (sessionId: string) => string;
  body?: (w: World) => unknown;
  okStatus: number;
  sessionBound: boolean;
  /** Only in Chaster's API (a Chastify app's key finds no such route). */
  chasterOnly: boolean;
}

const CHASTER_ROUTES: ChasterRouteRow[] = [
  { name: 'GET /sessions/:id', method: 'GET', url: S, okStatus: 200, sessionBound: true, chasterOnly: false },
  { name: 'PATCH /sessions/:id', method: 'PATCH', url: S, body: () => ({ data: { k: 1 } }), okStatus: 200, sessionBound: true, chasterOnly: true },
  { name: 'PUT /data', method: 'PUT', url: (id) => `${S(id)}/data`, body: () => ({ data: { k: 2 } }), okStatus: 200, sessionBound: true, chasterOnly: true },
  { name: 'PUT /metadata', method: 'PUT', url: (id) => `${S(id)}/metadata`, body: () => ({ metadata: { reasonsPreventingUnlocking: [], homeActions: [] } }), okStatus: 200, sessionBound: true, chasterOnly: true },
  { name: 'POST /action', method: 'POST', url: (id) => `${S(id)}/action`, body: () => ({ action: { name: 'add_time', params: 60 } }), okStatus: 201, sessionBound: true, chasterOnly: false },
  { name: 'GET /regular-actions', method: 'GET', url: (id) => `${S(id)}/regular-actions`, okStatus: 200, sessionBound: true, chasterOnly: false },
  { name: 'POST /regular-actions', method: 'POST', url: (id) => `${S(id)}/regular-actions`, body: () => ({ payload: { roll: 3 } }), okStatus: 201, sessionBound: true, chasterOnly: false },
  { name: 'POST /logs/custom', method: 'POST', url: (id) => `${S(id)}/logs/custom`, body: () => ({ title: '%USER% rolled', description: 'a 3' }), okStatus: 201, sessionBound: true, chasterOnly: false },
  { name: 'POST /logs/search', method: 'POST', url: (id) => `${S(id)}/logs/search`, body: () => ({ role: 'keyholder' }), okStatus: 200, sessionBound: true, chasterOnly: true },
  { name: 'POST /search', method: 'POST', url: () => '/api/extensions/sessions/search', body: (w) => ({ extensionSlug: w.app.slug }), okStatus: 200, sessionBound: false, chasterOnly: false },
  // In this order: a timed task, its timer, its end.
  { name: 'POST /tasks/assign', method: 'POST', url: (id) => `${S(id)}/tasks/assign`, body: () => ({ task: { task: 'Hold a plank', points: 3, duration: 60 }, actor: 'extension' }), okStatus: 201, sessionBound: true, chasterOnly: false },
  { name: 'POST /tasks/start-timer', method: 'POST', url: (id) => `${S(id)}/tasks/start-timer`, body: () => ({ actor: 'extension' }), okStatus: 201, sessionBound: true, chasterOnly: false },
  { name: 'POST /tasks/complete', method: 'POST', url: (id) => `${S(id)}/tasks/complete`, body: () => ({ actor: 'extension', isCompleted: false }), okStatus: 201, sessionBound: true, chasterOnly: false },
  // Penalties, in this order: a time limit, the action that validates it, a cancel with nothing running.
  { name: 'POST /penalties/time-limit/create', method: 'POST', url: (id) => `${S(id)}/penalties/time-limit/create`, body: () => ({ habitName: 'proof' }), okStatus: 201, sessionBound: true, chasterOnly: true },
  { name: 'POST /penalties/increment', method: 'POST', url: (id) => `${S(id)}/penalties/increment`, body: () => ({ habitName: 'proof' }), okStatus: 201, sessionBound: true, chasterOnly: true },
  { name: 'POST /penalties/time-limit/cancel', method: 'POST', url: (id) => `${S(id)}/penalties/time-limit/cancel`, body: () => ({ habitName: 'proof' }), okStatus: 201, sessionBound: true, chasterOnly: true },
];
/** The Chaster world's lock tracks one time-limit habit of its app (penalties). */
const PENALTIES = {
  extension: { dialect: 'chaster', habits: [{ name: 'proof', label: 'Send proof', type: 'time_limit', paramsText: 'Time to send it', punishmentText: 'Not sent in time' }] },
  lock: { habits: [{ habitName: 'proof', timeLimitParams: { timeLimit: 600 }, punishments: [{ name: 'add_time', params: 60 }] }] },
};

/** Paths both dialects share: the rest of ROUTES is Chastify's alone. */
const SHARED = new Set(CHASTER_ROUTES.filter((r) => !r.chasterOnly).map((r) => r.name));

describe('extension credentials, Chaster routes (DECISIONS §14)', () => {
  const t = suiteApp({ config: { dev: true } });
  let cw: World;
  let other: World;
  let chastify: World;

  before(async () => {
    cw = await fixtureWorld(t.app, PENALTIES);
    other = await fixture(t, { dialect: 'chaster' });
    chastify = await fixture(t);
  });

  function sendAs(r: { method: Method; url: (id: string) => string; body?: (w: World) => unknown }, w: World, headers: Record<string, string>) {
    const body = r.body?.(w);
    return t.app.inject({ method: r.method, url: r.url(w.session.id), headers, ...(body === undefined ? {} : { payload: body as object }) });
  }

  /** A refusal in the NestJS shape with latch's code, that changed nothing. */
  async function refused(send: () => Promise<LightMyRequestResponse>, w: World, status: number, code: string) {
    const before = await worldState(t, w);
    const res = await send();
    const body = res.json() as Record<string, unknown>;
    assert.deepEqual([res.statusCode, body.code, body.statusCode, typeof body.error], [status, code, status, 'string'], res.body);
    assert.deepEqual(await worldState(t, w), before, 'a refused call changed something');
  }

  for (const r of CHASTER_ROUTES) {
    describe(r.name, () => {
      it(`${r.name} × the developer token alone → ${r.okStatus}`, async () => {
        const res = await sendAs(r, cw, { authorization: bearer(cw.app.appKey), 'x-chaster-client-id': cw.app.clientId! });
        assert.equal(res.statusCode, r.okStatus, res.body);
      });
      it(`${r.name} × a wrong X-Chaster-Client-Id → 403 forbidden`, async () => {
        await refused(() => sendAs(r, cw, { authorization: bearer(cw.app.appKey), 'x-chaster-client-id': other.app.clientId! }), cw, 403, 'forbidden');
      });
      if (r.sessionBound) {
        it(`${r.name} × another Chaster app’s token → 404 not_found`, async () => {
          await refused(() => sendAs(r, cw, { authorization: bearer(other.app.appKey) }), cw, 404, 'not_found');
        });
      }
      if (r.chasterOnly) {
        it(`${r.name} × a Chastify app’s key and main token on its own session → 404 not_found`, async () => {
          await refused(() => sendAs(r, chastify, { authorization: bearer(chastify.app.appKey), [MAIN_TOKEN]: chastify.mainTokens.wearer }), chastify, 404, 'not_found');
        });
      }
    });
  }

  for (const r of ROUTES.filter((row) => !SHARED.has(row.name))) {
    it(`${r.name} (Chastify only) × a Chaster app’s developer token → 404 not_found`, async () => {
      await refused(() => sendAs(r, cw, { authorization: bearer(cw.app.appKey), ...r.headers }), cw, 404, 'not_found');
    });
  }
});
