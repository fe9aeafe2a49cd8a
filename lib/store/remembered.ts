// What the pages read of what is remembered: the live store, or the part of it an offline
// capture carries (a range of the journal and of the history, held in memory).
import type { JournalEntry } from '@/lib/domain/journal';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import type { JournalQuery, Resolution, SeriesAnswer, StoreStatus } from './store';

export interface Remembered {
  status(): StoreStatus;
  resolutionFor(from: number, to: number): Resolution;
  series(cluster: string, scope: SeriesScope, key: string, from: number, to: number): Promise<SeriesAnswer | null>;
  /** Newest first. */
  journal(cluster: string, q: JournalQuery): Promise<JournalEntry[] | null>;
}

/** What a capture holds of the store: its range, the journal of it, and series at one resolution. */
export interface CapturedTime {
  from: number;
  to: number;
  journal: JournalEntry[];
  series: { scope: SeriesScope; key: string; stepMs: number; points: SeriesAnswer['points'] }[];
}

/** A capture's journal and history, answered as the store answers (the cluster's id is the capture's own). */
export class CapturedMemory implements Remembered {
  private readonly byKey: Map<string, CapturedTime['series'][number]>;
  private readonly stepMs: number;

  constructor(
    private readonly time: CapturedTime,
    private readonly where: string,
  ) {
    this.byKey = new Map(time.series.map((s) => [`${s.scope}\u0000${s.key}`, s]));
    this.stepMs = time.series[0]?.stepMs ?? 60_000;
  }

  status(): StoreStatus {
    return { state: 'ok', where: this.where };
  }

  resolutionFor(): Resolution {
    return { stepMs: this.stepMs, keepMs: this.time.to - this.time.from };
  }

  async series(_cluster: string, scope: SeriesScope, key: string, from: number, to: number): Promise<SeriesAnswer> {
    const s = this.byKey.get(`${scope}\u0000${key}`);
    return { stepMs: s?.stepMs ?? this.stepMs, points: (s?.points ?? []).filter((p) => p.t >= from && p.t <= to) };
  }

  async journal(_cluster: string, q: JournalQuery): Promise<JournalEntry[]> {
    const matches = (e: JournalEntry) =>
      e.at >= q.from &&
      e.at <= q.to &&
      (q.host === undefined || e.host === q.host) &&
      (q.binary === undefined || e.binary === q.binary) &&
      (q.binaryPrefix === undefined || (e.binary ?? '').startsWith(q.binaryPrefix)) &&
      (q.process === undefined || e.process === q.process) &&
      (q.vhost === undefined || e.vhost === q.vhost) &&
      (q.queue === undefined || e.queue === q.queue) &&
      (!q.kinds?.length || q.kinds.includes(e.kind));
    return this.time.journal.filter(matches).slice(0, q.limit ?? 5000);
  }
}
