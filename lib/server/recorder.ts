import 'server-only';
// Writes every refresh of a watched cluster to the store: what changed since the refresh before
// (the journal) and the history's points. One write at a time; a refresh that lands while the
// last write still runs is compared and journalled with the next (nothing is lost, only merged).
import { digest, journalBetween, type TopologyDigest } from '@/lib/domain/journal';
import { seriesOf } from '@/lib/domain/series';
import type { ClusterState } from '@/lib/domain/state';
import type { HistoryStore } from '@/lib/store/store';
import type { RefreshEvent } from './cluster';

export interface RecorderStats {
  writes: number;
  failed: number;
  /** The last write's duration and rows. */
  lastWriteMs: number | null;
  lastRows: number;
}

export class Recorder {
  private last: TopologyDigest | null = null;
  private writing: Promise<void> | null = null;
  private queued: ClusterState | null = null;
  readonly stats: RecorderStats = { writes: 0, failed: 0, lastWriteMs: null, lastRows: 0 };

  constructor(
    private readonly cluster: string,
    private readonly store: HistoryStore,
    private readonly onWrite?: (ms: number, ok: boolean) => void,
  ) {}

  /** Follows a cluster's refreshes from now on. */
  follow(cluster: { subscribe(listener: (event: RefreshEvent) => void): unknown }): void {
    cluster.subscribe((event) => {
      if (event.outcome === 'ok') this.record(event.state);
    });
  }

  record(state: ClusterState): Promise<void> {
    this.queued = state;
    this.writing ??= this.drain().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queued) {
      const state = this.queued;
      this.queued = null;
      const now = digest(state);
      const entries = this.last ? journalBetween(this.last, now) : [];
      const started = performance.now();
      const result = await this.store.write(this.cluster, state.at, seriesOf(state), entries);
      const ms = performance.now() - started;
      this.last = now;
      this.stats.writes++;
      if (!result.ok) this.stats.failed++;
      this.stats.lastWriteMs = ms;
      this.stats.lastRows = result.rows;
      this.onWrite?.(ms, result.ok);
    }
  }
}
