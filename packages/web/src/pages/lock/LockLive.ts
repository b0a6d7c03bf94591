import { useEffect, useRef, useState } from 'react';

/**
 * Keeps a lock page live without polling: the server pushes a `lock` event on
 * `/api/locks/:id/events` as soon as a change to the lock commits (on any server process), and
 * the page refetches then. Changes made while the stream was down are not replayed, so every
 * (re)connect refetches too; the browser reconnects by itself (`retry` from the server).
 */
export function useLockLive(lockId: string, refetch: () => Promise<void>): boolean {
  const latest = useRef(refetch);
  latest.current = refetch;
  /** True once the stream is open and the page has refetched after (re)connecting. */
  const [live, setLive] = useState(false);
  useEffect(() => {
    let closed = false;
    const source = new EventSource(`/api/locks/${encodeURIComponent(lockId)}/events`);
    source.addEventListener('open', () => void latest.current().then(() => !closed && source.readyState === EventSource.OPEN && setLive(true)));
    source.addEventListener('lock', () => void latest.current());
    source.addEventListener('error', () => {
      setLive(false);
      // Refused for good (signed out, no such lock): one plain fetch shows why.
      if (source.readyState === EventSource.CLOSED) void latest.current();
    });
    return () => {
      closed = true;
      source.close();
    };
  }, [lockId]);
  return live;
}

/**
 * Runs `load` now, or right after the run in progress when one is: events that arrive while a
 * refetch is on its way are folded into one more refetch, never dropped.
 */
export function coalesce(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const run = (): Promise<void> => {
    if (!running) {
      running = load().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return run();
    });
    return queued;
  };
  return run;
}
