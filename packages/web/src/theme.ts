import { useEffect, useSyncExternalStore } from 'react';

export type ThemeName = 'light' | 'dark';

/** What the host tells an extension iframe about its look (DECISIONS §9 `ui`). */
export interface BridgeUi {
  isDark: boolean;
  theme: ThemeName;
  bg: string;
  text: string;
  border: string;
}

const PALETTE: Record<ThemeName, Omit<BridgeUi, 'isDark' | 'theme'>> = {
  light: { bg: '#ffffff', text: '#111827', border: '#d1d5db' },
  dark: { bg: '#111827', text: '#f3f4f6', border: '#374151' },
};

const listeners = new Set<() => void>();
function initial(): ThemeName {
  const saved = localStorage.getItem('latch.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
let current: ThemeName = initial();

export function setTheme(t: ThemeName) {
  current = t;
  localStorage.setItem('latch.theme', t);
  listeners.forEach((l) => l());
}

export function useTheme(): ThemeName {
  const t = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
  useEffect(() => {
    document.documentElement.dataset.theme = t;
  }, [t]);
  return t;
}

export function bridgeUi(t: ThemeName): BridgeUi {
  return { isDark: t === 'dark', theme: t, ...PALETTE[t] };
}
