import { useSyncExternalStore } from 'react';
import type { BridgeLogEntry } from './bridge/parent.js';

/**
 * The inspector's record of bridge traffic (and the API request ids it caused), kept for this
 * tab in sessionStorage so it survives navigating between the extension and the console.
 */
export type LoggedBridgeEntry = BridgeLogEntry & { sessionId?: string };

const KEY = 'latch.bridgeLog';
const MAX = 500;
const listeners = new Set<() => void>();
let entries: LoggedBridgeEntry[] = (() => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as LoggedBridgeEntry[];
  } catch {
    return [];
  }
})();
let flush: number | null = null;

export function logBridge(entry: LoggedBridgeEntry) {
  entries = [...entries.slice(-(MAX - 1)), entry];
  // A burst of messages must not turn into a burst of storage writes and renders.
  if (flush === null) {
    flush = window.setTimeout(() => {
      flush = null;
      sessionStorage.setItem(KEY, JSON.stringify(entries));
      listeners.forEach((l) => l());
    }, 100);
  }
}

export function clearBridgeLog() {
  entries = [];
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function useBridgeLog(): LoggedBridgeEntry[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => entries,
  );
}
