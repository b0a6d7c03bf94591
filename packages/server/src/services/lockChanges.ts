import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { sql } from 'kysely';
import type { Database } from '../db/connect.js';
import { reportLockChanges } from '../db/lockChanges.js';
import { closeRedis, connectRedis } from '../ratelimit.js';

/** Delivered to a lock's live pages: refetch (`resync`: changes may have been missed, e.g. after a reconnect). */
export interface LockChange {
  lockId: string;
  resync?: true;
}
type Listener = (change: LockChange) => void;

export interface LockChangeOptions {
  database: Database;
  /** Set: changes travel between processes over Redis pub/sub (also on PostgreSQL). */
  redisUrl: string | null;
  logger: FastifyBaseLogger;
  /** SQLite only: how often `poll` looks whether another process wrote to the file. */
  sqlitePollMs?: number;
}

/** A NOTIFY payload is limited to 8000 bytes: ids go out in groups well below that. */
const IDS_PER_MESSAGE = 200;
const RECONNECT_MAX_MS = 5000;

/**
 * Pushes "this lock changed" to the live lock pages of every server process, right after the
 * change commits (see `reportLockChanges`). Within the process: at once. Across processes:
 * Redis pub/sub when `REDIS_URL` is set, else PostgreSQL `LISTEN/NOTIFY` on a dedicated
 * connection (reconnecting) when on PostgreSQL. On SQLite several processes cannot signal each
 * other: `poll` (driven by the live-stream tick) reads `PRAGMA data_version`, which moves when
 * another connection committed, and then has every open lock page refetch.
 */
export function createLockChanges(opts: LockChangeOptions) {
  const { database, logger } = opts;
  const origin = randomBytes(8).toString('hex');
  const byLock = new Map<string, Set<Listener>>();
  const channel = `latch_locks_${database.schema ?? 'public'}`.slice(0, 63);
  const transport: 'redis' | 'postgres' | 'sqlite' = opts.redisUrl ? 'redis' : database.dialect === 'postgres' ? 'postgres' : 'sqlite';
  let closed = false;

  function deliver(lockIds: readonly string[]) {
    for (const lockId of lockIds) for (const l of byLock.get(lockId) ?? []) l({ lockId });
  }
  function resyncAll() {
    for (const [lockId, listeners] of byLock) for (const l of listeners) l({ lockId, resync: true });
  }
  function received(message: string) {
    try {
      const m = JSON.parse(message) as { o: string; l: string[] };
      if (m.o !== origin && Array.isArray(m.l)) deliver(m.l.filter((id) => typeof id === 'string'));
    } catch {
      logger.warn('lock changes: an unreadable message was ignored');
    }
  }
  function messages(lockIds: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < lockIds.length; i += IDS_PER_MESSAGE) out.push(JSON.stringify({ o: origin, l: lockIds.slice(i, i + IDS_PER_MESSAGE) }));
    return out;
  }

  // --- the listening side, opened with the first live page --------------------------------
  let listening: Promise<void> | null = null;
  let pgClient: pg.Client | null = null;
  let redisSub: Redis | null = null;
  let redisPub: Promise<Redis> | null = null;
  let retries = 0;

  async function listenPostgres(): Promise<void> {
    const client = await database.connectClient!();
    const lost = (err?: Error) => {
      if (pgClient !== client) return;
      pgClient = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ err }, 'lock changes: the PostgreSQL listener connection was lost; reconnecting');
      reconnect();
    };
    client.on('notification', (n) => n.channel === channel && n.payload !== undefined && received(n.payload));
    client.on('error', lost);
    client.on('end', () => lost());
    await client.query(`LISTEN "${channel}"`);
    pgClient = client;
    if (closed) await stopListening();
  }

  function reconnect() {
    const delay = Math.min(200 * 2 ** retries++, RECONNECT_MAX_MS);
    setTimeout(() => {
      if (closed) return;
      listenPostgres().then(
        () => {
          retries = 0;
          // What was published while the connection was down is lost: every open page refetches.
          resyncAll();
        },
        (err: unknown) => {
          logger.warn({ err }, 'lock changes: reconnecting the PostgreSQL listener failed; retrying');
          reconnect();
        },
      );
    }, delay).unref();
  }

  async function listenRedis(): Promise<void> {
    const sub = await connectRedis(opts.redisUrl!, 'lock changes');
    redisSub = sub;
    sub.on('message', (ch: string, message: string) => ch === channel && received(message));
    // Connected by now: a later 'ready' is a reconnect. ioredis subscribes again by itself;
    // what was published in between is lost, so every open page refetches.
    sub.on('ready', resyncAll);
    await sub.subscribe(channel);
    if (closed) await stopListening();
  }

  async function stopListening() {
    const client = pgClient;
    pgClient = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    const sub = redisSub;
    redisSub = null;
    if (sub) await closeRedis(sub);
  }

  /** Resolves when changes from other processes reach this one (or listening failed: then only local ones do). */
  function ready(): Promise<void> {
    // SQLite: the poll's starting point is taken before the page counts as live.
    if (transport === 'sqlite') return dataVersion === null ? readDataVersion().then((v) => void (dataVersion ??= v)) : Promise.resolve();
    listening ??= (transport === 'redis' ? listenRedis() : listenPostgres()).catch((err: unknown) => {
      logger.warn({ err }, `lock changes: cannot listen through ${transport}; live pages get this process's changes only`);
      listening = null;
      if (transport === 'postgres' && !closed) reconnect();
    });
    return listening;
  }

  // --- the publishing side -------------------------------------------------------------------
  async function send(lockIds: readonly string[]): Promise<void> {
    if (transport === 'redis') {
      redisPub ??= connectRedis(opts.redisUrl!, 'lock changes');
      const pub = await redisPub.catch((err: unknown) => {
        redisPub = null;
        throw err;
      });
      for (const m of messages(lockIds)) await pub.publish(channel, m);
    } else if (transport === 'postgres') {
      for (const m of messages(lockIds)) await sql`select pg_notify(${channel}, ${m})`.execute(database.db);
    }
  }

  // What commits in one turn of the event loop goes out as one message (one NOTIFY, one round trip
  // on a pooled connection), not one per write: under load a turn often finishes several requests.
  let outgoing: Set<string> | null = null;
  function publish(lockIds: readonly string[]) {
    deliver(lockIds);
    if (transport === 'sqlite' || closed) return;
    if (!outgoing) {
      const ids = (outgoing = new Set());
      setImmediate(() => {
        outgoing = null;
        if (!closed) send([...ids]).catch((err: unknown) => logger.warn({ err }, 'lock changes: could not tell the other processes'));
      });
    }
    for (const id of lockIds) outgoing.add(id);
  }
  const stopReporting = reportLockChanges(database.db, publish);

  // --- SQLite: several processes on one file ---------------------------------------------------
  const sqlitePollMs = opts.sqlitePollMs ?? 5000;
  let dataVersion: number | null = null;
  let polledAt = 0;
  async function readDataVersion(): Promise<number> {
    const row = (await sql<{ data_version: number }>`pragma data_version`.execute(database.db)).rows[0];
    return Number(row?.data_version ?? 0);
  }
  async function poll(): Promise<void> {
    if (transport !== 'sqlite' || byLock.size === 0) return;
    const now = Date.now();
    if (now - polledAt < sqlitePollMs) return;
    polledAt = now;
    const seen = await readDataVersion();
    if (dataVersion !== null && seen !== dataVersion) resyncAll();
    dataVersion = seen;
  }

  return {
    transport,
    ready,
    /** Calls `listener` when lock `lockId` changed; returns the function that stops it. */
    subscribe(lockId: string, listener: Listener): () => void {
      let set = byLock.get(lockId);
      if (!set) byLock.set(lockId, (set = new Set()));
      set.add(listener);
      void ready();
      return () => {
        set.delete(listener);
        if (set.size === 0 && byLock.get(lockId) === set) byLock.delete(lockId);
      };
    },
    publish,
    poll,
    /** Live lock pages open on this process. */
    get size(): number {
      let n = 0;
      for (const s of byLock.values()) n += s.size;
      return n;
    },
    async close() {
      closed = true;
      stopReporting();
      byLock.clear();
      await listening?.catch(() => undefined);
      await stopListening();
      const pub = redisPub;
      redisPub = null;
      if (pub) await pub.then(closeRedis).catch(() => undefined);
    },
  };
}

export type LockChanges = ReturnType<typeof createLockChanges>;
