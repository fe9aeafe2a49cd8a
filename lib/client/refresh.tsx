'use client';
// Auto-refresh settings shared by every page: paused or not (kept in
// localStorage so a reload keeps it) and the interval.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export const DEFAULT_REFRESH_MS = 5000;
const STORAGE_KEY = 'rabbit-lens:refresh-paused';

interface RefreshSettings {
  paused: boolean;
  intervalMs: number;
  setPaused: (paused: boolean) => void;
}

const RefreshContext = createContext<RefreshSettings>({
  paused: false,
  intervalMs: DEFAULT_REFRESH_MS,
  setPaused: () => {},
});

export function RefreshProvider({ children, intervalMs = DEFAULT_REFRESH_MS }: { children: ReactNode; intervalMs?: number }) {
  const [paused, setPausedState] = useState(false);

  useEffect(() => {
    try {
      if (window.localStorage.getItem(STORAGE_KEY) === '1') setPausedState(true);
    } catch {
      /* storage unavailable: stay live */
    }
  }, []);

  const setPaused = useCallback((p: boolean) => {
    setPausedState(p);
    try {
      window.localStorage.setItem(STORAGE_KEY, p ? '1' : '0');
    } catch {
      /* ignore */
    }
  }, []);

  const value = useMemo(() => ({ paused, intervalMs, setPaused }), [paused, intervalMs, setPaused]);
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>;
}

export function useRefreshSettings(): RefreshSettings {
  return useContext(RefreshContext);
}

/** The refetchInterval a query should use right now. */
export function useRefetchInterval(): number | false {
  const { paused, intervalMs } = useRefreshSettings();
  return paused ? false : intervalMs;
}

/** Current time, ticking every `everyMs` (for "updated N s ago"). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}
