import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '@/lib/domain/series';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import { SparseHistory } from './sparse';

const T0 = Date.parse('2026-11-28T02:00:00Z');
const point = (ready: number): SeriesPoint => ({ ready, unacked: 0, consumers: 1, publish: 0, deliver: 0, ack: 0, redeliver: 0 });
const queues = (points: Record<string, number>) => new Map<SeriesScope, Map<string, SeriesPoint>>([['queue', new Map(Object.entries(points).map(([k, r]) => [k, point(r)]))]]);
const resolutions = [
  { stepMs: 5000, keepMs: 3600_000 },
  { stepMs: 60_000, keepMs: 86_400_000 },
];

/** One refresh, recorded as written; its rows as `step t key ready`. */
function refresh(history: SparseHistory, at: number, points: Record<string, number>) {
  const rows = history.rowsOf('default', at, queues(points));
  rows.written();
  return { coverage: rows.coverage.map((c) => `${c.step} ${c.t - T0}`), samples: rows.samples.map((s) => `${s.step} ${s.t - T0} ${s.key} ${s.ready}`) };
}

describe('which rows a refresh writes', () => {
  it('a row per resolution when a series is new or changed, none while it stays; each bucket covered once', () => {
    const history = new SparseHistory(resolutions);
    expect(refresh(history, T0, { a: 1 })).toEqual({ coverage: ['5000 0', '60000 0'], samples: ['5000 0 a 1', '60000 0 a 1'] });
    expect(refresh(history, T0 + 5000, { a: 1 })).toEqual({ coverage: ['5000 5000'], samples: [] });
    expect(refresh(history, T0 + 10_000, { a: 2 })).toEqual({ coverage: ['5000 10000'], samples: ['5000 10000 a 2'] });
    // The minute's bucket holds the point at its start: the change within the minute, once.
    expect(refresh(history, T0 + 60_000, { a: 2 })).toEqual({ coverage: ['5000 60000', '60000 60000'], samples: ['60000 60000 a 2'] });
  });

  it('a series gone gets a row of nulls; one changed and changed back before its bucket gets none', () => {
    const history = new SparseHistory(resolutions);
    refresh(history, T0, { a: 1, b: 1 });
    refresh(history, T0 + 5000, { a: 3, b: 1 });
    expect(refresh(history, T0 + 60_000, { a: 1 }).samples).toEqual(['5000 60000 a 1', '5000 60000 b null', '60000 60000 b null']);
  });

  it('rows not recorded as written are written again; after forget, every series is', () => {
    const history = new SparseHistory(resolutions);
    history.rowsOf('default', T0, queues({ a: 1 }));
    expect(refresh(history, T0 + 1000, { a: 1 }).samples).toEqual(['5000 0 a 1', '60000 0 a 1']);
    history.forget();
    expect(refresh(history, T0 + 5000, { a: 1 }).samples).toEqual(['5000 5000 a 1', '60000 0 a 1']);
  });
});
