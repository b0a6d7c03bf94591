import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Executor } from '../storage/executor.js';
import { findLiveSessionHashes } from '../storage/userSessions.js';

/** How often open streams check that their login session still exists (one query for all). */
export const STREAM_SESSION_CHECK_MS = 1000;

/**
 * The long-lived responses (server-sent events) of each login session, so that they end with
 * the session: at once when it signs out on this process, and within `STREAM_SESSION_CHECK_MS`
 * when it expires (by the injected clock) or signs out on another process sharing the database.
 * Its timer, running while any stream is open, is the process's one tick for everything live:
 * `alsoEachTick` runs there too (the notification feed's read, the SQLite lock-change poll).
 */
export function createLiveStreams(deps: { db: Executor; clock: Clock; logger: FastifyBaseLogger; checkMs?: number; alsoEachTick?: Array<() => Promise<void>> }) {
  const bySession = new Map<string, Set<() => void>>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let checking = false;

  function endSession(tokenHash: string): void {
    const ends = bySession.get(tokenHash);
    if (!ends) return;
    bySession.delete(tokenHash);
    for (const end of ends) end();
    stopIfIdle();
  }

  function stopIfIdle() {
    if (bySession.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  async function check(): Promise<void> {
    if (checking || bySession.size === 0) return;
    checking = true;
    try {
      const hashes = [...bySession.keys()];
      const live = await findLiveSessionHashes(deps.db, hashes, deps.clock.now());
      for (const h of hashes) if (!live.has(h)) endSession(h);
    } catch (err) {
      deps.logger.warn({ err }, 'could not check the sessions of open event streams');
    } finally {
      checking = false;
    }
  }

  /** The process's one timer for everything live: session checks, the notification feed, lock changes. */
  async function tick(): Promise<void> {
    await Promise.all([check(), ...(deps.alsoEachTick ?? []).map((f) => f().catch((err: unknown) => deps.logger.warn({ err }, 'live streams: a tick failed')))]);
  }

  return {
    /** Registers a stream's `end`; returns the function that forgets it (when it closes by itself). */
    add(tokenHash: string, end: () => void): () => void {
      let ends = bySession.get(tokenHash);
      if (!ends) bySession.set(tokenHash, (ends = new Set()));
      ends.add(end);
      if (!timer) {
        timer = setInterval(() => void tick(), deps.checkMs ?? STREAM_SESSION_CHECK_MS);
        timer.unref();
      }
      return () => {
        const set = bySession.get(tokenHash);
        if (!set) return;
        set.delete(end);
        if (set.size === 0) bySession.delete(tokenHash);
        stopIfIdle();
      };
    },
    /** The session signed out: its streams end now. */
    endSession,
    /** Checks every open stream's session now (the timer does this every second). */
    check,
    close(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type LiveStreams = ReturnType<typeof createLiveStreams>;
