/**
 * The memory challenge's backend (spec 001, "For games, routines, and verification challenges"):
 * it serves the game and setup pages, and it is the only place that holds the app-scoped
 * developer key. The iframe forwards its launch `mainToken`; every privileged call goes from
 * here to the platform with both credentials, through `@latch/client`.
 *
 *   POST /api/challenges              {sessionId, mainToken}           → a new game (the sequence to show)
 *   POST /api/challenges/:id/answer   {mainToken, answer: Color[]}     → verified outcome, effects applied
 *
 * Trust: the iframe decides nothing. The backend reads the session (role, config, progress)
 * from the platform, keeps the expected answer, verifies it, and only then records progress,
 * rewards, punishments, metadata, logs and notifications. Every effect carries an
 * `Idempotency-Key` derived from the challenge id, so a retried answer applies each effect once.
 */
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createExtensionClient, LatchApiError, LatchError, type ExtensionSessionClient, type LockData, type Metadata } from '@latch/client';
import { desiredMetadata } from './app.js';
import { COLORS, humanSeconds, METRIC, normalizeConfig, type Color, type GameConfig } from './config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.join(here, 'web');

export type Outcome = 'win' | 'loss' | 'timeout';

interface Challenge {
  id: string;
  sessionId: string;
  /** The round this game belongs to; null when the lock has no attempt limit for the metric. */
  attemptId: string | null;
  sequence: Color[];
  config: GameConfig;
  /** This lock's required wins, from the platform's requirement when the game started. */
  winsNeeded: number;
  createdAt: number;
  /** Decided once, by the first answer that reached the platform; later answers get the same result. */
  verdict: { outcome: Outcome; answer: string[] } | null;
  result: AnswerResult | null;
  pending: Promise<AnswerResult> | null;
}

export interface ChallengeView {
  challengeId: string;
  sequence: Color[];
  /** How long the iframe shows the sequence before asking for it. */
  showMs: number;
  attempt: { attemptId: string; deadline: string | null } | null;
  wins: number;
  winsNeeded: number;
}

export interface AnswerResult {
  challengeId: string;
  outcome: Outcome;
  /** The sequence that was asked for (revealed once the game is over). */
  expected: Color[];
  wins: number;
  winsNeeded: number;
  complete: boolean;
  /** What the backend did to the lock: the reward or the punishment. */
  applied: { action: 'remove_time' | 'add_time' | 'freeze'; seconds: number } | null;
  lockData: Pick<LockData, 'timeRemainingSeconds' | 'frozen' | 'unlockable'> | null;
}

export interface MemoryBackendOptions {
  /** The platform, e.g. `http://127.0.0.1:3000`. */
  latchUrl: string;
  /** The app-scoped developer key (`lk_app_…`). Never leaves this process. */
  appKey: string;
  /** How long the sequence is shown (default 1200 ms + 500 ms per pad). */
  showMs?: (length: number) => number;
  /** Challenges older than this are forgotten (default 2 h). */
  challengeTtlMs?: number;
  log?: (line: string) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A fresh random sequence of pads (the secret of one game). */
export function newSequence(length: number): Color[] {
  return Array.from({ length }, () => COLORS[randomInt(COLORS.length)]!);
}

/** Whether `answer` repeats `expected` exactly. */
export function verifyAnswer(expected: readonly Color[], answer: unknown): boolean {
  return Array.isArray(answer) && answer.length === expected.length && answer.every((c, i) => c === expected[i]);
}

interface ActiveAttempt {
  attemptId: string;
  status: string;
  deadline?: string;
}

function attemptOf(state: Record<string, unknown>): ActiveAttempt | null {
  const limits = state.attemptLimits;
  if (!isObject(limits)) return null;
  const a = limits[METRIC];
  return isObject(a) && typeof a.attemptId === 'string' && typeof a.status === 'string' ? (a as unknown as ActiveAttempt) : null;
}

/**
 * The wins so far and the wins needed, from the platform: this lock's progress-based requirement
 * for `memory_win` (its config's `unlockRequirements`, else the app's). The platform counts the
 * wins and holds the lock; the config's `requiredWins` only stands in when the lock has no
 * requirement for the metric at all (a hand-written config), and then nothing holds the lock.
 */
function winsIn(metadata: Pick<Metadata, 'unlockRequirements'>, config: GameConfig): { wins: number; needed: number } {
  const r = metadata.unlockRequirements.find((x) => x.metric === METRIC);
  return { wins: r?.count ?? 0, needed: r?.requiredCount ?? config.requiredWins };
}

export function createMemoryBackend(options: MemoryBackendOptions) {
  const ext = createExtensionClient({ baseUrl: options.latchUrl, appKey: options.appKey });
  const log = options.log ?? ((line: string) => console.log(`[memory-challenge] ${line}`));
  const showMs = options.showMs ?? ((n: number) => 1200 + 500 * n);
  const ttl = options.challengeTtlMs ?? 2 * 3600_000;
  const challenges = new Map<string, Challenge>();
  const latchOrigin = new URL(options.latchUrl).origin;

  function forgetOld() {
    const before = Date.now() - ttl;
    for (const [id, c] of challenges) if (c.createdAt < before && !c.pending) challenges.delete(id);
  }

  /** Step 8: bring this extension's blockers and home actions in line with the wins (only when they differ). */
  async function syncMetadata(s: ExtensionSessionClient, current: Pick<Metadata, 'unlockBlockers' | 'homeActions'> | null, wins: number, needed: number) {
    const want = desiredMetadata(wins, needed);
    if (current && JSON.stringify(current.unlockBlockers) === JSON.stringify(want.unlockBlockers) && JSON.stringify(current.homeActions) === JSON.stringify(want.homeActions)) return;
    await s.metadata.patch(want);
  }

  /** Steps 2–3: the iframe asks for a game with its launch token; the backend checks the session and starts (or joins) a timed round. */
  async function createChallenge(body: unknown): Promise<ChallengeView> {
    if (!isObject(body) || typeof body.sessionId !== 'string' || typeof body.mainToken !== 'string') throw new HttpError(400, 'invalid_request', 'Send {sessionId, mainToken} from the launch');
    const s = ext.session(body.sessionId, { mainToken: body.mainToken });
    // Who opened the game, the lock owner's config and the trusted progress: from the platform, not from the iframe.
    const session = await s.get();
    if (session.role !== 'wearer') throw new HttpError(403, 'wearer_only', 'Only the wearer plays; a keyholder can follow the progress here.');
    if (session.status !== 'locked') throw new HttpError(409, 'lock_ended', 'This lock is not locked any more.');
    const config = normalizeConfig(session.config);
    const { wins, needed } = winsIn(session.metadata, config);
    await syncMetadata(s, session.metadata, wins, needed);
    if (wins >= needed) throw new HttpError(409, 'challenge_complete', `The challenge is complete (${wins} of ${needed} wins).`);

    // Regular actions: the platform counts the games a lock owner allows.
    const ra = await s.regularActions.get();
    if (ra.nbActionsRemaining === 0) {
      throw new HttpError(429, 'no_game_available', `No game is available until ${ra.nextActionDate ?? 'later'}.`, { nextActionDate: ra.nextActionDate });
    }

    // The attempt limit: a round of play must end in a win before its deadline. A round still
    // running (after a lost game) is joined; one past its deadline is failed on record first.
    const id = randomBytes(12).toString('hex');
    const state = await s.state.get();
    const current = attemptOf(state.data);
    let attempt: ActiveAttempt | null = null;
    if (current?.status === 'active') {
      const check = await s.attempts.failExpired({ metric: METRIC, attemptId: current.attemptId });
      if (!check.failed) attempt = current;
    }
    if (!attempt) {
      try {
        attempt = (await s.attempts.start({ metric: METRIC, attemptId: `round-${id}` })).attempt;
      } catch (err) {
        if (!(err instanceof LatchApiError)) throw err;
        if (err.code === 'attempt_active' && isObject(err.details) && isObject(err.details.attempt)) {
          // Another tab started a round in between: join it.
          attempt = err.details.attempt as unknown as ActiveAttempt;
        } else if (err.code !== 'unknown_metric') {
          throw err;
        }
        // unknown_metric: the lock's config switched the attempt limit off (or broke it): no time limit.
      }
    }

    const challenge: Challenge = {
      id,
      sessionId: body.sessionId,
      attemptId: attempt?.attemptId ?? null,
      sequence: newSequence(config.sequenceLength),
      config,
      winsNeeded: needed,
      createdAt: Date.now(),
      verdict: null,
      result: null,
      pending: null,
    };
    forgetOld();
    challenges.set(id, challenge);
    log(`challenge ${id} for session ${body.sessionId} (round ${attempt?.attemptId ?? 'without a time limit'}, ${wins} of ${needed} wins)`);
    return {
      challengeId: id,
      sequence: challenge.sequence,
      showMs: showMs(challenge.sequence.length),
      attempt: attempt ? { attemptId: attempt.attemptId, deadline: attempt.deadline ?? null } : null,
      wins,
      winsNeeded: needed,
    };
  }

  /** Steps 4–8: verify the answer, then record progress, reward or punish, and update metadata, state, history and notifications. */
  async function settle(ch: Challenge, body: Record<string, unknown>): Promise<AnswerResult> {
    if (ch.result) return ch.result;
    if (typeof body.mainToken !== 'string') throw new HttpError(400, 'invalid_request', 'Send {mainToken, answer}');
    const s = ext.session(ch.sessionId, { mainToken: body.mainToken });
    const key = (effect: string) => `memory-challenge:${ch.id}:${effect}`;
    const { config } = ch;

    if (!ch.verdict) {
      // The platform's clock decides whether the round ran out (this call also proves the token belongs to the session).
      let timedOut = false;
      try {
        if (ch.attemptId) timedOut = (await s.attempts.failExpired({ metric: METRIC, attemptId: ch.attemptId })).failed;
        else await s.get(); // no round to check: this read proves the token belongs to the session
      } catch (err) {
        if (!(err instanceof LatchApiError && (err.code === 'attempt_not_found' || err.code === 'unknown_metric'))) throw err;
      }
      const answer = Array.isArray(body.answer) ? body.answer.map(String).slice(0, 32) : [];
      ch.verdict = { outcome: timedOut ? 'timeout' : verifyAnswer(ch.sequence, answer) ? 'win' : 'loss', answer };
    }
    const { outcome } = ch.verdict;

    // One regular action per completed game, won or lost: it uses up a game the lock owner allowed.
    try {
      await s.regularActions.submit({ kind: 'memory_game', challengeId: ch.id, outcome }, { idempotencyKey: key('regular-action') });
    } catch (err) {
      if (err instanceof LatchApiError && err.code === 'regular_action_unavailable') throw new HttpError(429, 'no_game_available', 'No game was available for this answer (another one used it).', err.details);
      throw err;
    }

    let wins: number;
    let needed = ch.winsNeeded;
    let applied: AnswerResult['applied'] = null;
    let lockData: LockData | null = null;
    if (outcome === 'win') {
      // Trusted progress: the platform counts it toward the unlock requirement (and completes the round).
      const progress = await s.requirements.progress({ metric: METRIC, amount: 1 }, { idempotencyKey: key('progress') });
      wins = progress.unlockRequirement?.count ?? progress.total;
      needed = progress.unlockRequirement?.requiredCount ?? needed;
      if (config.rewardSeconds > 0) {
        lockData = (await s.lock.removeTime(config.rewardSeconds, { idempotencyKey: key('reward') })).lockData;
        applied = { action: 'remove_time', seconds: config.rewardSeconds };
      }
    } else {
      const { type, seconds } = config.punishment;
      lockData = (type === 'freeze' ? await s.lock.freeze(seconds, { idempotencyKey: key('punishment') }) : await s.lock.addTime(seconds, { idempotencyKey: key('punishment') })).lockData;
      applied = { action: type, seconds };
      ({ wins, needed } = winsIn(await s.metadata.get(), config));
    }
    const complete = wins >= needed;

    await syncMetadata(s, null, wins, needed);
    await recordInState(s, ch, outcome, applied);

    const what = applied ? `${applied.action === 'remove_time' ? `${humanSeconds(applied.seconds)} removed` : applied.action === 'add_time' ? `${humanSeconds(applied.seconds)} added` : `frozen for ${humanSeconds(applied.seconds)}`}` : 'no time change';
    await s.logs.custom(
      outcome === 'win'
        ? { title: `Memory game won (${Math.min(wins, needed)} of ${needed})`, description: `Repeated ${ch.sequence.length} colours correctly; ${what}.`, icon: 'puzzle', color: '#2e7d32' }
        : { title: outcome === 'timeout' ? 'Memory game lost: the round ran out of time' : 'Memory game lost', description: `Punishment: ${what}.`, icon: 'puzzle', color: '#c62828' },
      { idempotencyKey: key('log') },
    );
    if (outcome !== 'win') {
      await s.notifications.custom({ title: 'Memory game lost', message: `Punishment applied: ${what}.`, target: 'both' }, { idempotencyKey: key('notification') });
    } else if (wins === needed) {
      await s.notifications.custom({ title: 'Memory challenge complete', message: `${wins} of ${needed} wins: the challenge no longer holds the lock.`, target: 'both' }, { idempotencyKey: key('notification') });
    }

    log(`challenge ${ch.id}: ${outcome} (${wins} of ${needed} wins, ${what})`);
    ch.result = {
      challengeId: ch.id,
      outcome,
      expected: ch.sequence,
      wins,
      winsNeeded: needed,
      complete,
      applied,
      lockData: lockData ? { timeRemainingSeconds: lockData.timeRemainingSeconds, frozen: lockData.frozen, unlockable: lockData.unlockable } : null,
    };
    return ch.result;
  }

  /** Extension state the iframe can read (`state.get`): counters and the last game, written once per challenge. */
  async function recordInState(s: ExtensionSessionClient, ch: Challenge, outcome: Outcome, applied: AnswerResult['applied']) {
    for (let tries = 0; tries < 5; tries++) {
      const current = await s.state.get();
      const games = isObject(current.data.games) ? current.data.games : {};
      if (isObject(games.last) && games.last.challengeId === ch.id) return;
      const played = (Number(games.played) || 0) + 1;
      const losses = (Number(games.losses) || 0) + (outcome === 'win' ? 0 : 1);
      try {
        await s.state.patch({ games: { played, losses, last: { challengeId: ch.id, outcome, applied, at: new Date().toISOString() } } }, current.etag ? { ifMatch: current.etag } : {});
        return;
      } catch (err) {
        if (!(err instanceof LatchApiError && err.code === 'precondition_failed')) throw err;
      }
    }
  }

  async function answer(id: string, body: unknown): Promise<AnswerResult> {
    const ch = challenges.get(id);
    if (!ch) throw new HttpError(404, 'challenge_not_found', 'No such game (it may have expired): start a new one.');
    if (!isObject(body)) throw new HttpError(400, 'invalid_request', 'Send {mainToken, answer}');
    // A double click sends the same answer twice: both get the one result.
    if (ch.pending) return ch.pending;
    ch.pending = settle(ch, body).finally(() => {
      ch.pending = null;
    });
    return ch.pending;
  }

  // ---- HTTP ----

  let bundle: Promise<Map<string, string>> | null = null;
  /** The browser code, bundled with esbuild on first use (TypeScript and `@latch/bridge` in one file per page). */
  function assets(): Promise<Map<string, string>> {
    bundle ??= (async () => {
      const esbuild = await import('esbuild');
      const out = await esbuild.build({
        entryPoints: { game: path.join(WEB_DIR, 'game.ts'), setup: path.join(WEB_DIR, 'setup.ts') },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        outdir: '/assets',
        logLevel: 'silent',
      });
      return new Map(out.outputFiles.map((f) => [`/assets/${path.basename(f.path)}`, f.text]));
    })();
    bundle.catch(() => {
      bundle = null;
    });
    return bundle;
  }

  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Only the platform may frame the pages; scripts, styles and calls stay on this origin.
    'content-security-policy': `default-src 'self'; img-src 'self' data:; frame-ancestors ${latchOrigin}`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };

  function send(res: http.ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(text);
  }

  async function readJson(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 16 * 1024) throw new HttpError(413, 'payload_too_large', 'The body is larger than 16 KiB');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The body is not JSON');
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/game.html' }).end();
        return;
      }
      if (url.pathname === '/api/health') return send(res, 200, { status: 'ok' });
      if (url.pathname === '/game.html' || url.pathname === '/setup.html') {
        res.writeHead(200, pageHeaders);
        res.end(method === 'HEAD' ? undefined : fs.readFileSync(path.join(WEB_DIR, url.pathname.slice(1))));
        return;
      }
      if (url.pathname === '/assets/style.css') {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-store' });
        res.end(fs.readFileSync(path.join(WEB_DIR, 'style.css')));
        return;
      }
      const js = (await assets()).get(url.pathname);
      if (js !== undefined) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(js);
        return;
      }
      return send(res, 404, { error: { code: 'not_found', message: 'Not found' } });
    }
    if (method === 'POST' && url.pathname === '/api/challenges') return send(res, 201, await createChallenge(await readJson(req)));
    const m = /^\/api\/challenges\/([0-9a-f]{24})\/answer$/.exec(url.pathname);
    if (method === 'POST' && m) return send(res, 200, await answer(m[1]!, await readJson(req)));
    return send(res, 404, { error: { code: 'not_found', message: 'Not found' } });
  }

  const handler: http.RequestListener = (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, { error: { code: err.code, message: err.message }, details: err.details ?? null });
      if (err instanceof LatchApiError) {
        // The platform refused: pass its code on (an expired launch, a revoked install, a rate limit…).
        log(`platform refused: ${err.status} ${err.code} ${err.message} (request ${err.requestId})`);
        const status = err.status === 401 || err.status === 403 || err.status === 404 || err.status === 409 || err.status === 422 || err.status === 429 ? err.status : 502;
        return send(res, status, { error: { code: err.code, message: err.message }, requestId: err.requestId });
      }
      if (err instanceof LatchError) {
        log(`platform unreachable: ${err.code} ${err.message}`);
        return send(res, 502, { error: { code: err.code, message: 'The platform did not answer; try again.' } });
      }
      log(`error: ${err instanceof Error ? err.stack : String(err)}`);
      return send(res, 500, { error: { code: 'internal_error', message: 'Something went wrong' } });
    });
  };

  return { handler, challenges, createChallenge, answer, assets };
}

export type MemoryBackend = ReturnType<typeof createMemoryBackend>;

/** Starts the backend on `host:port` (port 0: any free port). */
export async function startMemoryBackend(options: MemoryBackendOptions & { port?: number; host?: string }) {
  const backend = createMemoryBackend(options);
  const server = http.createServer(backend.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    backend,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
