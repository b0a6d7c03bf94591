import { useState } from 'react';
import { api } from '../../api.js';
import type { Lock } from '../../types.js';

export interface ActionResult {
  ok: true;
  action: string;
  changed: boolean;
  detail: Record<string, unknown>;
  lock: Lock;
}

/** Runs one lock action (`POST /api/locks/:id/actions`) for a control; the control shows `error` (ErrorNote). */
export function useAction(lockId: string, onDone: (lock: Lock, message: string) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (name: string, params: unknown, message: string) => {
    setBusy(name);
    setError(null);
    try {
      const res = await api<ActionResult>(`/api/locks/${lockId}/actions`, { method: 'POST', body: params === undefined ? { name } : { name, params } });
      onDone(res.lock, res.changed ? message : `${message} (nothing changed)`);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}

export type Done = (lock: Lock, message: string) => void;

