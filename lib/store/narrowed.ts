// What is remembered, as one operator may see it (lib/domain/sight.ts). Every read of the store a
// request makes goes through this: the journal without the entries of vhosts the operator may not
// read, a queue's or process's series only where they may read it, and the sums over the broker, a
// component, a topic or a host made of the parts of their vhosts alone.
import { type SeriesPoint, SERIES_FIELDS, SUMMED_SCOPES, vhostSeriesKey } from '@/lib/domain/series';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import { type Sight, seesEntry, seesProcess, seesVhost } from '@/lib/domain/sight';
import type { Remembered } from './remembered';
import type { SeriesAnswer } from './store';

/** The vhosts a process has connections in, as the configured user sees it; null for one it does not know. */
export type ProcessVhosts = (id: string) => readonly string[] | null;

export function narrowed(memory: Remembered, sight: Sight, processVhosts: ProcessVhosts): Remembered {
  if (sight.all) return memory;
  const nothing = (from: number, to: number): SeriesAnswer => ({ stepMs: memory.resolutionFor(from, to).stepMs, points: [] });
  return {
    status: () => memory.status(),
    resolutionFor: (from, to) => memory.resolutionFor(from, to),
    async journal(cluster, q) {
      if (q.vhost !== undefined && !seesVhost(sight, q.vhost)) return [];
      const entries = await memory.journal(cluster, q);
      return entries && entries.filter((e) => seesEntry(sight, e));
    },
    async series(cluster, scope, key, from, to) {
      if (SUMMED_SCOPES.has(scope)) {
        const parts = await Promise.all([...sight.vhosts].map((v) => memory.series(cluster, scope, vhostSeriesKey(v, key), from, to)));
        return parts.includes(null) ? null : sumSeries(parts as SeriesAnswer[], nothing(from, to));
      }
      return seesSeries(sight, scope, key, processVhosts) ? memory.series(cluster, scope, key, from, to) : nothing(from, to);
    },
  };
}

function seesSeries(sight: Sight, scope: SeriesScope, key: string, processVhosts: ProcessVhosts): boolean {
  if (scope === 'process') return seesProcess(sight, processVhosts(key));
  if (scope !== 'queue') return false;
  const slash = key.indexOf('/');
  try {
    return slash >= 0 && seesVhost(sight, decodeURIComponent(key.slice(0, slash)));
  } catch {
    return false;
  }
}

/** Series of one cluster over one range share their times (the store's coverage): added point by point, a field null where every part is. */
export function sumSeries(parts: readonly SeriesAnswer[], empty: SeriesAnswer): SeriesAnswer {
  const [first, ...rest] = parts;
  if (!first) return empty;
  if (rest.length === 0) return first;
  const byTime = new Map<number, { t: number } & SeriesPoint>();
  for (const part of parts)
    for (const p of part.points) {
      const sum = byTime.get(p.t);
      if (!sum) {
        byTime.set(p.t, { ...p });
        continue;
      }
      for (const f of SERIES_FIELDS) {
        const v = p[f];
        if (v !== null) sum[f] = Math.round(((sum[f] ?? 0) + v) * 100) / 100;
      }
    }
  return { stepMs: first.stepMs, points: [...byTime.values()].sort((a, b) => a.t - b.t) };
}
