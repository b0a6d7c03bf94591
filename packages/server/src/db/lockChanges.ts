import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { DB } from './types.js';

/** Receives the ids of locks whose committed data changed (the live lock pages refetch). */
export type LockChangeSink = (lockIds: readonly string[]) => void;

interface Pending {
  lockIds: Set<string>;
}

const pending = new AsyncLocalStorage<Pending>();
const sinks = new WeakMap<object, Set<LockChangeSink>>();

/**
 * Makes `db` report the locks its writes changed to `sink`, once they are committed: a write
 * inside `db.transaction().execute(…)` is held until that transaction commits (nothing for one
 * that rolls back); a write outside one is committed when it returns and goes out at once.
 * Storage functions that change what a lock page shows call `noteLockChanged`. Returns the
 * function that stops reporting to `sink` (several apps may share one database handle).
 */
export function reportLockChanges(db: Kysely<DB>, sink: LockChangeSink): () => void {
  const existing = sinks.get(db);
  if (existing) {
    existing.add(sink);
    return () => existing.delete(sink);
  }
  const set = new Set([sink]);
  sinks.set(db, set);
  const transaction = db.transaction.bind(db);
  db.transaction = () => {
    const builder = transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = async (fn) => {
      const changes: Pending = { lockIds: new Set() };
      const result = await pending.run(changes, () => execute(fn));
      if (changes.lockIds.size) publish(set, [...changes.lockIds]);
      return result;
    };
    return builder;
  };
  return () => set.delete(sink);
}

function publish(to: Set<LockChangeSink> | undefined, lockIds: readonly string[]) {
  for (const sink of to ?? []) sink(lockIds);
}

/** A write changed these locks (see `reportLockChanges`); call it after the statement ran. */
export function noteLockChanged(db: Kysely<DB>, ...lockIds: string[]): void {
  if (lockIds.length === 0) return;
  const inTransaction = pending.getStore();
  if (db.isTransaction) {
    if (inTransaction) for (const id of lockIds) inTransaction.lockIds.add(id);
    return;
  }
  publish(sinks.get(db), lockIds);
}
