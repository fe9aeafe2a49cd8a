'use client';
// Page state held in the URL, so a filtered view survives a reload and can be shared.
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useCurrentCluster } from './cluster';
import { inCluster } from './links';

/** The value, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms = 200): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Filters parsed from the URL's query, and a setter that patches them. The URL changes
 * through the History API, which Next.js follows in `useSearchParams`: no navigation, no
 * server round trip, so a filter applies at once.
 */
export function useUrlFilters<F extends object>(parse: (sp: URLSearchParams) => F, toHref: (filters: F) => string): [F, (patch: Partial<F>) => void] {
  const sp = useSearchParams();
  const cluster = useCurrentCluster();
  const filters = useMemo(() => parse(new URLSearchParams(sp.toString())), [sp, parse]);
  const setFilters = useCallback(
    (patch: Partial<F>) => {
      const next = { ...parse(new URLSearchParams(window.location.search)), ...patch };
      window.history.replaceState(null, '', inCluster(cluster, toHref(next)));
    },
    [parse, toHref, cluster],
  );
  return [filters, setFilters];
}

/**
 * The text of a filter box whose value lives in the URL: it changes at once as typed,
 * reaches the URL (through `apply`) once it has settled for `ms`, and follows the URL
 * when back/forward navigation changes it.
 */
export function useUrlText(urlValue: string | undefined, apply: (q: string | undefined) => void, ms = 200): [string, (text: string) => void] {
  const [text, setText] = useState(urlValue ?? '');
  const settled = useDebounced(text, ms);
  useEffect(() => {
    if ((urlValue ?? '') !== settled) apply(settled || undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled change of the text is applied
  }, [settled]);
  useEffect(() => {
    setText((t) => (t === settled ? (urlValue ?? '') : t));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows the URL only
  }, [urlValue]);
  return [text, setText];
}

/** Filters that are only the name box: `?q=`. */
export function parseTextFilter(sp: URLSearchParams): { q?: string } {
  const q = sp.get('q');
  return q ? { q } : {};
}
