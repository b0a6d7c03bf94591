import type { Kysely } from 'kysely';
import { isPostgres } from './prepared.js';

/**
 * Group commit on SQLite. With `synchronous = FULL` every commit waits for an fsync of the WAL,
 * and better-sqlite3 waits synchronously: the whole process stands still for it. Writes handed to
 * `inCommitGroup` during one turn of the event loop are run together at the end of that turn
 * (`setImmediate`) in one transaction, so they share one fsync. Each caller's promise settles
 * only after that commit returned: a write is never acknowledged before it is durable, and a
 * crash before the commit loses only writes nobody was told about.
 *
 * The group holds SQLite's write lock only while it runs, within one turn: its writes run
 * statements and nothing else (no timers, no network), which on better-sqlite3 all complete
 * before the event loop moves on. Another connection or process waits for one short
 * transaction, as for any other.
 *
 * If any write of a group fails, the group rolls back and each of its writes runs again alone,
 * as it would have without grouping, so a failure reaches only the request it belongs to and a
 * write's outcome never depends on its neighbours. PostgreSQL (whose server shares commits
 * itself) and a write already inside a transaction run at once.
 */
export function inCommitGroup<DB, T>(db: Kysely<DB>, write: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction || isPostgres(db)) return write(db);
  let group = groups.get(db) as CommitGroup<DB> | undefined;
  if (!group) {
    group = new CommitGroup(db);
    groups.set(db, group);
  }
  return group.add(write);
}

/** More writes than this in one turn go into several transactions. */
const MAX_GROUP = 256;

const groups = new WeakMap<object, CommitGroup<any>>();

interface Pending<DB> {
  write: (db: Kysely<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

class CommitGroup<DB> {
  private queue: Pending<DB>[] = [];
  private scheduled = false;

  constructor(private readonly db: Kysely<DB>) {}

  add<T>(write: (db: Kysely<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_GROUP);
      if (batch.length === 1) {
        await settle(batch[0]!, this.db);
        continue;
      }
      let results: unknown[];
      try {
        results = await this.db.transaction().execute(async (tx) => {
          const out: unknown[] = [];
          for (const p of batch) out.push(await p.write(tx));
          return out;
        });
      } catch {
        // Rolled back as a whole: each write again on its own, with its own outcome.
        for (const p of batch) await settle(p, this.db);
        continue;
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    }
  }
}

async function settle<DB>(p: Pending<DB>, db: Kysely<DB>): Promise<void> {
  try {
    p.resolve(await p.write(db));
  } catch (err) {
    p.reject(err);
  }
}
