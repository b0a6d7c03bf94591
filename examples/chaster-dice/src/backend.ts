/**
 * The dice's backend, built the way Chaster's extension docs teach: the pages forward the token
 * from their URL hash (`mainToken`, `partnerConfigurationToken`), and every call to the
 * Extensions API goes from here, with the developer token, through Chaster's own SDK
 * (`@chasterapp/chaster-js` `PartnerExtensionsApi`, `basePath` = latch).
 *
 *   POST /api/session                {mainToken}   → who opened the page, the rules, the rolls so far
 *   POST /api/roll                   {mainToken}   → the wearer rolls: time added, a custom log, data + metadata
 *   GET  /api/configuration/:token                 → the configuration being edited (configuration page)
 *   PUT  /api/configuration/:token   {config}      → validated and saved
 *
 * The session is always identified by exchanging the main token (never a `sessionId` sent by the
 * page: Chaster's docs, "Authentication and security").
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ActionLogRoleEnum,
  AddTimeLockActionModelNameEnum,
  Configuration,
  PartnerCustomLogActionDtoIconEnum,
  PartnerExtensionsApi,
  type ExtensionSessionForPartner,
  type LockForPublic,
  type PartnerMetadata,
} from '@chasterapp/chaster-js';
import Fastify, { type FastifyInstance } from 'fastify';
import { desiredMetadata } from './app.js';
import { describeConfig, humanSeconds, normalizeConfig, type DiceConfig } from './config.js';

const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web');
const PAGES = ['main.html', 'configuration.html'];

export interface DiceBackendOptions {
  /** latch, e.g. `http://127.0.0.1:3000`: the SDK's `basePath`. */
  latchUrl: string;
  /** The developer token (latch: an app key of the dice app). Never leaves this process. */
  developerToken: string;
  /** The app's client id, sent as `X-Chaster-Client-Id` with the main token exchange. */
  clientId: string;
  /** A die (default: a fair one); tests pass a loaded one. */
  rollDie?: () => number;
}

/** What the main page shows. */
export interface SessionView {
  role: 'wearer' | 'keyholder';
  rules: DiceConfig & { text: string };
  rolls: number[];
  complete: boolean;
  lock: Pick<LockForPublic, 'title' | 'status' | 'endDate' | 'isFrozen'>;
}

export interface RollResult {
  roll: number;
  addedSeconds: number;
  session: SessionView;
}

/** What the page is told when something fails: status and a sentence. */
class PageError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The stored rolls (`session.data.rolls`), whatever the data holds. */
function rollsOf(session: ExtensionSessionForPartner): number[] {
  const rolls = (session.data as { rolls?: unknown }).rolls;
  return Array.isArray(rolls) ? rolls.filter((r): r is number => Number.isInteger(r)) : [];
}

const sameMetadata = (a: PartnerMetadata, b: PartnerMetadata) => JSON.stringify(a) === JSON.stringify(b);

function tokenOf(body: unknown): string {
  const token = (body as { mainToken?: unknown } | null)?.mainToken;
  if (typeof token !== 'string' || token === '') throw new PageError(400, 'Send {mainToken} from the page URL hash.');
  return token;
}

export function createDiceBackend(options: DiceBackendOptions) {
  const api = new PartnerExtensionsApi(new Configuration({ basePath: options.latchUrl, accessToken: options.developerToken }));
  const rollDie = options.rollDie ?? (() => randomInt(1, 7));
  // One roll at a time per session: each roll reads the rolls, then writes them back whole.
  const queues = new Map<string, Promise<unknown>>();

  function serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(sessionId) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(sessionId, settled);
    void settled.then(() => queues.get(sessionId) === settled && queues.delete(sessionId));
    return run;
  }

  function view(role: SessionView['role'], session: ExtensionSessionForPartner, lockForUser: LockForPublic): SessionView {
    const config = normalizeConfig(session.config);
    const rolls = rollsOf(session);
    const { title, status, endDate, isFrozen } = lockForUser;
    return { role, rules: { ...config, text: describeConfig(config) }, rolls, complete: rolls.length >= config.rollsRequired, lock: { title, status, endDate, isFrozen } };
  }

  /** Brings the reason preventing unlocking and the home action in line with the rolls (only when they differ). */
  async function syncMetadata(session: ExtensionSessionForPartner): Promise<void> {
    const want = desiredMetadata(rollsOf(session).length, normalizeConfig(session.config).rollsRequired);
    if (!sameMetadata(session.metadata, want)) await api.patchExtensionSession(session.sessionId, { metadata: want });
  }

  /** The main page opened: exchange its token; the first open puts the reason preventing unlocking in place. */
  async function openSession(body: unknown): Promise<SessionView> {
    const { data } = await api.getSessionAuth(tokenOf(body), options.clientId);
    await syncMetadata(data.session);
    return view(data.role, data.session, data.lockForUser);
  }

  async function roll(body: unknown): Promise<RollResult> {
    const mainToken = tokenOf(body);
    const { data: auth } = await api.getSessionAuth(mainToken, options.clientId);
    if (auth.role !== 'wearer') throw new PageError(403, 'Only the wearer rolls the dice.');
    const sessionId = auth.session.sessionId;
    return serial(sessionId, async () => {
      // Read again inside the queue: a roll that just finished has changed the rolls.
      const { session } = (await api.getExtensionSession(sessionId)).data;
      if (session.lock.status !== 'locked') throw new PageError(409, 'This lock is not locked any more.');
      const config = normalizeConfig(session.config);
      const rolls = rollsOf(session);
      if (rolls.length >= config.rollsRequired) throw new PageError(409, `All ${config.rollsRequired} rolls are made.`);

      const pips = rollDie();
      const addedSeconds = pips * config.secondsPerPip;
      // Lock actions: latch logs it as "Dice tax added time".
      await api.doAction(sessionId, { action: { name: AddTimeLockActionModelNameEnum.AddTime, params: addedSeconds } });
      // Custom log: %USER% is the wearer's name ("You" for the wearer).
      await api.logCustomAction(sessionId, {
        role: ActionLogRoleEnum.User,
        title: `%USER% rolled a ${pips}`,
        description: `Roll ${rolls.length + 1} of ${config.rollsRequired}: ${humanSeconds(addedSeconds)} added.`,
        icon: PartnerCustomLogActionDtoIconEnum.Dice,
        color: '#7c3aed',
      });
      const nextRolls = [...rolls, pips];
      // Custom data and metadata, each replaced whole (PATCH …/sessions/:id).
      await api.patchExtensionSession(sessionId, { data: { ...session.data, rolls: nextRolls }, metadata: desiredMetadata(nextRolls.length, config.rollsRequired) });
      const { data: after } = await api.getSessionAuth(mainToken, options.clientId);
      return { roll: pips, addedSeconds, session: view(after.role, after.session, after.lockForUser) };
    });
  }

  async function getConfiguration(token: string) {
    const { data } = await api.getConfiguration(token);
    return { config: normalizeConfig(data.config), role: data.role, sessionId: data.sessionId };
  }

  /** Saves a configuration (validated here: the page's form is user input); a running session's reason follows the new count. */
  async function saveConfiguration(token: string, body: unknown) {
    const raw = (body as { config?: unknown } | null)?.config;
    if (typeof raw !== 'object' || raw === null) throw new PageError(400, 'Send {config}.');
    const config = normalizeConfig(raw);
    await api.updateConfiguration(token, { config: { ...config } });
    const { data } = await api.getConfiguration(token);
    if (data.sessionId) await syncMetadata((await api.getExtensionSession(data.sessionId)).data.session);
    return { config };
  }

  return { api, openSession, roll, getConfiguration, saveConfiguration };
}

/** The status and message of a refusal from latch (chaster-js rejects with axios's error). */
function platformRefusal(err: unknown): { status: number; message: string } | null {
  const res = (err as { response?: { status?: unknown; data?: { message?: unknown } } }).response;
  if (!res || typeof res.status !== 'number') return null;
  return { status: res.status, message: typeof res.data?.message === 'string' ? res.data.message : `latch answered ${res.status}` };
}

/** The pages' scripts, bundled once at start (TypeScript in, one file per page out). */
async function bundlePages(): Promise<Map<string, string>> {
  const esbuild = await import('esbuild');
  const entryPoints = PAGES.map((p) => path.join(WEB_DIR, p.replace('.html', '.ts')));
  // Modules for today's browsers (esbuild's platform is the browser by default); nothing written to disk.
  const out = await esbuild.build({ entryPoints, bundle: true, format: 'esm', target: 'es2022', write: false, outdir: '/assets' });
  return new Map(out.outputFiles.map((f) => [path.basename(f.path), f.text]));
}

/** The backend and its pages on one origin: `http://host:port`. */
export async function startDiceBackend(options: DiceBackendOptions & { port?: number; host?: string }): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const backend = createDiceBackend(options);
  const scripts = await bundlePages();
  const latchOrigin = new URL(options.latchUrl).origin;
  const app = Fastify({ bodyLimit: 16 * 1024 });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof PageError) return reply.code(err.statusCode).send({ message: err.message });
    const refused = platformRefusal(err);
    if (refused) {
      // latch refused (an expired main token, a lock that ended…): pass its status and message on.
      app.log.warn(`latch refused: ${refused.status} ${refused.message}`);
      return reply.code(refused.status >= 500 ? 502 : refused.status).send({ message: refused.message });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) return reply.code(status).send({ message: (err as Error).message });
    console.error('[chaster-dice]', err);
    return reply.code(502).send({ message: 'latch did not answer; try again.' });
  });

  for (const page of PAGES) {
    // The platform's origin goes into the page: its postMessage target and the only sender it listens to.
    const html = fs.readFileSync(path.join(WEB_DIR, page), 'utf8').replaceAll('%PLATFORM_ORIGIN%', latchOrigin);
    app.get(`/${page}`, (_req, reply) =>
      reply
        .headers({ 'content-security-policy': `default-src 'self'; frame-ancestors ${latchOrigin}`, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' })
        .type('text/html; charset=utf-8')
        .send(html),
    );
  }
  app.get('/', (_req, reply) => reply.redirect('/main.html'));
  app.get('/assets/style.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(fs.readFileSync(path.join(WEB_DIR, 'style.css'))));
  app.get<{ Params: { file: string } }>('/assets/:file', (req, reply) => {
    const js = scripts.get(req.params.file);
    return js === undefined ? reply.code(404).send({ message: 'Not found' }) : reply.type('text/javascript; charset=utf-8').send(js);
  });
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.post('/api/session', async (req) => backend.openSession(req.body));
  app.post('/api/roll', async (req) => backend.roll(req.body));
  app.get<{ Params: { token: string } }>('/api/configuration/:token', async (req) => backend.getConfiguration(req.params.token));
  app.put<{ Params: { token: string } }>('/api/configuration/:token', async (req) => backend.saveConfiguration(req.params.token, req.body));

  const url = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return { app, url, close: () => app.close() };
}
