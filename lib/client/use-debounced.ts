'use client';
import { useEffect, useState } from 'react';

/** The value, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 200): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The text of a filter box whose value lives in the URL: it changes at once as
 * typed, reaches the URL (through `apply`) once it settles, and follows the URL
 * when back/forward navigation changes it.
 */
export function useUrlText(urlValue: string | undefined, apply: (q: string | undefined) => void, ms = 200): [string, (text: string) => void] {
  const [text, setText] = useState(urlValue ?? '');
  const debounced = useDebounced(text, ms);
  useEffect(() => {
    if ((urlValue ?? '') !== debounced) apply(debounced || undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled change of the text is applied
  }, [debounced]);
  useEffect(() => {
    setText((t) => (t === debounced ? (urlValue ?? '') : t));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows the URL only
  }, [urlValue]);
  return [text, setText];
}

/** The current URL with one query parameter set or removed. */
export function withSearchParam(pathname: string, key: string, value: string | undefined): string {
  const next = new URLSearchParams(window.location.search);
  if (value) next.set(key, value);
  else next.delete(key);
  const s = next.toString();
  return s ? `${pathname}?${s}` : pathname;
}
