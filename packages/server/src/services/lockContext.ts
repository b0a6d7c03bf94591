import type { AggregatedBlocker, HomeAction, UnlockRequirementStatus } from '@latch/protocol';
import type { DialectName } from '../db/connect.js';
import { fromJson } from '../db/json.js';
import type { ExtensionSessionRow, LockRow } from '../db/types.js';
import { notFound } from '../errors.js';
import type { Executor } from '../storage/executor.js';
import { findLockById } from '../storage/locks.js';
import { findLockViewRows, type LockViewRows } from '../storage/sessionView.js';
import { roleOf } from './lockRules.js';

/** The lock, for its wearer or keyholder; anyone else finds no such lock (404). */
export async function participantLock(db: Executor, userId: string, lockId: string): Promise<LockRow> {
  const lock = await findLockById(db, lockId);
  if (!lock || !roleOf(lock, userId)) throw notFound('Lock');
  return lock;
}

/** Extensions' blockers and requirement progress on locks, read from storage (no service needed). */

/** Stored per session: the extension's own metadata. */
export interface StoredMetadata {
  unlockBlockers: string[];
  homeActions: HomeAction[];
  unlockRequirements: Array<{ metric: string; requiredCount: number; blocker?: string }>;
}

export function storedMetadata(session: Pick<ExtensionSessionRow, 'metadata'>): StoredMetadata {
  const m = fromJson<Partial<StoredMetadata>>(session.metadata, {});
  return {
    unlockBlockers: Array.isArray(m.unlockBlockers) ? m.unlockBlockers : [],
    homeActions: Array.isArray(m.homeActions) ? m.homeActions : [],
    unlockRequirements: Array.isArray(m.unlockRequirements) ? m.unlockRequirements.filter((r) => r && typeof r.metric === 'string') : [],
  };
}
export function requirementStatuses(meta: StoredMetadata, totals: Map<string, number>): UnlockRequirementStatus[] {
  return meta.unlockRequirements.map((r) => {
    const requiredCount = Math.max(1, Math.floor(Number(r.requiredCount) || 1));
    const count = totals.get(r.metric) ?? 0;
    return {
      metric: r.metric,
      requiredCount,
      blocker: r.blocker || `${r.metric}: ${requiredCount} required`,
      count,
      satisfied: count >= requiredCount,
    };
  });
}

/**
 * Blockers of every enabled extension on these locks, with requirement progress, which locks
 * have an open task, (`userIds`) those users and (`withDevices`) their devices: one statement (storage/sessionView.ts), on a
 * handle or inside a transaction (webhook payloads are built in their effect's).
 */
export async function loadLockContext(db: Executor, dialect: DialectName, lockIds: string[], userIds: string[] = [], withDevices = false) {
  return lockContextOf(await findLockViewRows(db, dialect, lockIds, userIds, withDevices));
}

export type LockContext = ReturnType<typeof contextOf>;

/** Contexts of view rows kept by the read cache (frozen, so their context never changes either). */
const contextsOfKeptRows = new WeakMap<LockViewRows, LockContext>();

/**
 * The lock context of view rows already read (GET session reads them with its credentials).
 * Rows the read cache keeps (db/readCache.ts: frozen) are shared by every request that hits it,
 * and so is their context, built once; its readers only read it.
 */
export function lockContextOf(rows: LockViewRows): LockContext {
  if (!Object.isFrozen(rows)) return contextOf(rows);
  let ctx = contextsOfKeptRows.get(rows);
  if (!ctx) {
    ctx = contextOf(rows);
    for (const list of ctx.blockersByLock.values()) Object.freeze(list).forEach((b) => Object.freeze(b));
    contextsOfKeptRows.set(rows, ctx);
  }
  return ctx;
}

function contextOf(rows: LockViewRows) {
  const totals = new Map<string, Map<string, number>>();
  for (const r of rows.progress) {
    if (!totals.has(r.session_id)) totals.set(r.session_id, new Map());
    totals.get(r.session_id)!.set(r.metric, r.total);
  }
  const openTasks = new Set(rows.openTaskLockIds);
  const blockersByLock = new Map<string, AggregatedBlocker[]>();
  for (const s of rows.sessions) {
    const meta = storedMetadata(s);
    const list = blockersByLock.get(s.lock_id) ?? [];
    for (const b of meta.unlockBlockers) list.push({ sessionId: s.id, extensionSlug: s.slug, extensionName: s.name, kind: 'manual', blocker: b });
    for (const r of requirementStatuses(meta, totals.get(s.id) ?? new Map())) {
      if (!r.satisfied) list.push({ sessionId: s.id, extensionSlug: s.slug, extensionName: s.name, kind: 'requirement', blocker: r.blocker, metric: r.metric, count: r.count, requiredCount: r.requiredCount });
    }
    blockersByLock.set(s.lock_id, list);
  }
  return { blockersByLock, totals, openTasks, users: new Map(rows.users.map((u) => [u.id, u])), devices: { devices: rows.devices, states: rows.deviceStates } };
}
