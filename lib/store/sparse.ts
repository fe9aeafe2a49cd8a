// Which rows a refresh writes, at each resolution: a series gets a row only when its point changed
// since the row last written at that resolution, and a resolution writes only in the first refresh
// of each of its buckets (a bucket holds the point at its start). Pure bookkeeping, no database.
import { type SeriesPoint } from '@/lib/domain/series';
import { SERIES_SCOPES, type SeriesScope } from '@/lib/domain/vocabulary';
import { bucketOf, type Resolution } from './resolutions';
import type { CoverageTable, SamplesTable } from './schema';

/** A point of nulls: the subject is gone, or the dashboard was not watching. */
export const NOTHING: SeriesPoint = { ready: null, unacked: null, consumers: null, publish: null, deliver: null, ack: null, redeliver: null };

const samePoint = (a: SeriesPoint, b: SeriesPoint) =>
  a.ready === b.ready && a.unacked === b.unacked && a.consumers === b.consumers && a.publish === b.publish && a.deliver === b.deliver && a.ack === b.ack && a.redeliver === b.redeliver;

/** A row of samples, its series still named by scope and key. */
export type SampleRow = Omit<SamplesTable, 'series'> & { scope: SeriesScope; key: string };

export interface RefreshRows {
  samples: SampleRow[];
  /** The buckets this refresh is the first in: the dashboard watched them. */
  coverage: CoverageTable[];
  /** Records the rows as written; called once they are. */
  written(): void;
}

/** One resolution's bookkeeping for one cluster. */
interface ResolutionMemory {
  bucket: number | null;
  /** The point last written of each series: the row a reader carries forward. */
  written: Map<SeriesScope, Map<string, SeriesPoint>>;
  /** The series that changed (or went away) since this resolution's last bucket was written. */
  changed: Map<SeriesScope, Set<string>>;
}

interface ClusterMemory {
  /** The point last seen of each series, whatever was written. */
  seen: Map<SeriesScope, Map<string, SeriesPoint>>;
  steps: Map<number, ResolutionMemory>;
}

function inner<K, V>(outer: Map<K, V>, key: K, make: () => V): V {
  let v = outer.get(key);
  if (v === undefined) outer.set(key, (v = make()));
  return v;
}

export class SparseHistory {
  /** Per cluster: what it last saw and wrote of each series. */
  private readonly clusters = new Map<string, ClusterMemory>();

  constructor(private readonly resolutions: readonly Resolution[]) {}

  /** The rows of one refresh at `at`. */
  rowsOf(cluster: string, at: number, series: Map<SeriesScope, Map<string, SeriesPoint>>): RefreshRows {
    const memory = this.memoryOf(cluster);
    // One pass over this refresh's points: what changed since the last refresh, or is gone, is
    // marked for every resolution; each writes what was marked when its next bucket begins.
    for (const scope of SERIES_SCOPES) {
      const points = series.get(scope) ?? new Map<string, SeriesPoint>();
      const seen = inner(memory.seen, scope, () => new Map<string, SeriesPoint>());
      const marks = [...memory.steps.values()].map((r) => inner(r.changed, scope, () => new Set<string>()));
      const before = seen.size;
      let kept = 0;
      for (const [key, p] of points) {
        const last = seen.get(key);
        if (last) kept++;
        if (last && samePoint(last, p)) continue;
        seen.set(key, p);
        for (const m of marks) m.add(key);
      }
      // Some of what was seen before is not in this refresh: gone.
      if (kept < before)
        for (const key of seen.keys()) {
          if (points.has(key)) continue;
          seen.delete(key);
          for (const m of marks) m.add(key);
        }
    }
    const samples: SampleRow[] = [];
    const coverage: CoverageTable[] = [];
    const updates: [Map<string, SeriesPoint>, string, SeriesPoint | null][] = [];
    const rolled: [ResolutionMemory, number][] = [];
    for (const { stepMs } of this.resolutions) {
      const t = bucketOf(at, stepMs);
      const r = memory.steps.get(stepMs)!;
      if (r.bucket === t) continue;
      rolled.push([r, t]);
      coverage.push({ cluster, step: stepMs, t });
      for (const [scope, keys] of r.changed) {
        const seen = memory.seen.get(scope);
        const written = inner(r.written, scope, () => new Map<string, SeriesPoint>());
        for (const key of keys) {
          const p = seen?.get(key) ?? null;
          const last = written.get(key);
          // Changed and changed back, or gone and never written: nothing to say.
          if (p === null ? last === undefined : last !== undefined && samePoint(last, p)) continue;
          // Gone: a row of nulls, so that nothing is carried forward past it.
          const { ready, unacked, consumers, publish, deliver, ack, redeliver } = p ?? NOTHING;
          samples.push({ scope, key, step: stepMs, t, ready, unacked, consumers, publish, deliver, ack, redeliver });
          updates.push([written, key, p]);
        }
      }
    }
    const written = () => {
      for (const [r, t] of rolled) {
        r.bucket = t;
        r.changed.clear();
      }
      for (const [map, key, value] of updates) {
        if (value === null) map.delete(key);
        else map.set(key, value);
      }
    };
    return { samples, coverage, written };
  }

  /** After a fault, what was written is no longer known to be there: the next refresh writes every series again. */
  forget(): void {
    this.clusters.clear();
  }

  private memoryOf(cluster: string): ClusterMemory {
    return inner(this.clusters, cluster, () => ({
      seen: new Map(),
      steps: new Map(this.resolutions.map((r) => [r.stepMs, { bucket: null, written: new Map(), changed: new Map() }])),
    }));
  }
}
