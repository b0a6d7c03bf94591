import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { DB } from './types.js';

/** Receives the ids of locks whose committed data changed (the live lock pages refetch). */
export type LockChangeSink = (lockIds: readonly string[]) => void;

interface Pending {
  lockIds: Set<string>;
}

const pending = new AsyncLocalStorage<Pending>();
const sinks = new WeakMap<object, LockChangeSink>();

/**
 * Makes `db` report the locks its writes changed to `sink`, once they are committed: a write
 * inside `db.transaction().execute(…)` is held until that transaction commits (nothing for one
 * that rolls back); a write outside one is committed when it returns and goes out at once.
 * Storage functions that change what a lock page shows call `noteLockChanged`.
 */
export function reportLockChanges(db: Kysely<DB>, sink: LockChangeSink): void {
  if (sinks.has(db)) {
    sinks.set(db, sink);
    return;
  }
  sinks.set(db, sink);
  const transaction = db.transaction.bind(db);
  db.transaction = () => {
    const builder = transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = async (fn) => {
      const changes: Pending = { lockIds: new Set() };
      const result = await pending.run(changes, () => execute(fn));
      if (changes.lockIds.size) sinks.get(db)?.([...changes.lockIds]);
      return result;
    };
    return builder;
  };
}

/** A write changed these locks (see `reportLockChanges`); call it after the statement ran. */
export function noteLockChanged(db: Kysely<DB>, ...lockIds: string[]): void {
  if (lockIds.length === 0) return;
  const inTransaction = pending.getStore();
  if (db.isTransaction) {
    if (inTransaction) for (const id of lockIds) inTransaction.lockIds.add(id);
    return;
  }
  sinks.get(db)?.(lockIds);
}
