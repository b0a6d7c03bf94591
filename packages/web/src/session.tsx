import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { api, setCsrfToken, type Me } from './api.js';

interface SessionState {
  me: Me | null;
  loading: boolean;
  /** Re-reads /api/me (after sign-in, sign-out, persona switch). */
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionState>({ me: null, loading: true, refresh: async () => null, signOut: async () => {} });

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const m = await api<Me>('/api/me');
      setCsrfToken(m.csrfToken);
      setMe(m);
      return m;
    } catch {
      setCsrfToken(null);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);
  const signOut = useCallback(async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <Ctx.Provider value={{ me, loading, refresh, signOut }}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx);
