'use client';
// Auto-refresh shared by every page: paused or not (kept in localStorage so a reload keeps
// it), and the cadence, which is the server's: every answer says how often the server reads
// the broker (status.refreshIntervalMs), and polling faster would only fetch the same state.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SnapshotStatus } from '@/lib/api/schemas';

/** Until the first answer says otherwise. */
export const DEFAULT_REFRESH_MS = 5000;
const STORAGE_KEY = 'rabbit-lens:refresh-paused';

interface RefreshSettings {
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

const RefreshContext = createContext<RefreshSettings>({ paused: false, setPaused: () => {} });

export function RefreshProvider({ children }: { children: ReactNode }) {
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

  const value = useMemo(() => ({ paused, setPaused }), [paused, setPaused]);
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>;
}

export function useRefreshSettings(): RefreshSettings {
  return useContext(RefreshContext);
}

type Answer = { status?: SnapshotStatus; pages?: { status?: SnapshotStatus }[]; clusters?: { status: SnapshotStatus }[] };

/** The statuses an answer carries: its own, its first page's, or each cluster's. */
function statusesOf(data: unknown): SnapshotStatus[] {
  const a = (data ?? {}) as Answer;
  if (a.status) return [a.status];
  if (a.pages?.[0]?.status) return [a.pages[0].status];
  return a.clusters?.map((c) => c.status) ?? [];
}

/**
 * How often to ask again after this answer: at the server's cadence (the quickest of several
 * clusters'); never for what never changes (an offline capture says 0).
 */
export function cadenceOf(data: unknown): number | false {
  const intervals = statusesOf(data).map((s) => s.refreshIntervalMs);
  if (intervals.length === 0) return DEFAULT_REFRESH_MS;
  const live = intervals.filter((ms) => ms > 0);
  return live.length === 0 ? false : Math.max(1000, Math.min(...live));
}

/** The refetchInterval a query should use: the server's cadence, or nothing while paused. */
export function useRefetchInterval(): (query: { state: { data?: unknown } }) => number | false {
  const { paused } = useRefreshSettings();
  return useCallback((query) => (paused ? false : cadenceOf(query.state.data)), [paused]);
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
