'use client';
import { useState } from 'react';
import { formatExact } from './format';

/** Long lists show their first `limit` items until asked for all of them. */
export function useShowAll<T>(items: T[], limit: number) {
  const [all, setAll] = useState(false);
  return { shown: all ? items : items.slice(0, limit), all, toggle: () => setAll(!all), truncatable: items.length > limit, total: items.length };
}

export function ShowAllButton({ all, total, toggle }: { all: boolean; total: number; toggle: () => void }) {
  return (
    <button type="button" onClick={toggle} className="w-full border-t border-neutral-100 px-3 py-1.5 text-xs text-accent-600 hover:bg-neutral-50">
      {all ? 'show fewer' : `show all ${formatExact(total)}`}
    </button>
  );
}
