// One snapshot of the broker shared by every viewer: refreshed at most once per
// interval however many ask (single-flight), served while the next one is built,
// and kept when a refresh fails, so the dashboard never loses what it knew.
import type { SnapshotStatus } from '@/lib/api/contract';
import { BrokerError } from '@/lib/broker/errors';

export interface Snapshot<T> {
  value: T;
  fetchedAt: number;
  warnings: string[];
}

export interface SnapshotStoreOptions<T> {
  load: () => Promise<{ value: T; warnings: string[] }>;
  intervalMs: number;
  now?: () => number;
  /** Called after each successful refresh (history, derived state). */
  onRefresh?: (snapshot: Snapshot<T>) => void;
  /** More to say in status(). */
  extraStatus?: () => Pick<SnapshotStatus, 'topology'>;
  /** Called when a refresh fails (the server log). */
  onError?: (message: string) => void;
  /** Longest wait between retries after failures. */
  maxBackoffMs?: number;
}

/** Refresh no more often than this many times the duration of the last refresh. */
const SLOW_BROKER_FACTOR = 3;

export class NoSnapshotError extends Error {
  constructor(readonly cause: SnapshotStatus['error']) {
    super(cause?.message ?? 'no snapshot of the broker yet');
    this.name = 'NoSnapshotError';
  }
}

export class SnapshotStore<T> {
  private current: Snapshot<T> | null = null;
  private inflight: Promise<void> | null = null;
  private lastError: SnapshotStatus['error'] = null;
  private failures = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  /** How long the last successful refresh took. */
  private lastDurationMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotStoreOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  /** The current snapshot; waits for the first one. Starts a background refresh when due. */
  async get(): Promise<Snapshot<T>> {
    if (!this.current) {
      await this.refresh();
      if (!this.current) throw new NoSnapshotError(this.lastError);
      return this.current;
    }
    if (this.isDue()) void this.refresh();
    return this.current;
  }

  /** Refreshes now, or joins the refresh already running. Never rejects: failures are kept in status(). */
  refresh(): Promise<void> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  status(): SnapshotStatus {
    return {
      fetchedAt: this.current?.fetchedAt ?? null,
      stale: this.lastError !== null,
      refreshing: this.inflight !== null,
      error: this.lastError,
      refreshIntervalMs: this.effectiveIntervalMs(),
      ...this.options.extraStatus?.(),
    };
  }

  /**
   * The configured interval, stretched on a broker that takes long to answer: a refresh
   * that took 15 s is not repeated before 45 s, so the broker is never kept busy answering us.
   */
  private effectiveIntervalMs(): number {
    return Math.max(this.options.intervalMs, SLOW_BROKER_FACTOR * this.lastDurationMs);
  }

  private isDue(): boolean {
    const backoff = this.failures === 0 ? 0 : Math.min(this.options.intervalMs * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 60_000);
    const since = this.now() - this.lastAttempt;
    return since >= Math.max(this.effectiveIntervalMs(), backoff);
  }

  private async doRefresh(): Promise<void> {
    this.lastAttempt = this.now();
    try {
      const { value, warnings } = await this.options.load();
      this.current = { value, warnings, fetchedAt: this.now() };
      this.lastDurationMs = this.current.fetchedAt - this.lastAttempt;
      this.lastError = null;
      this.failures = 0;
      this.options.onRefresh?.(this.current);
    } catch (err) {
      this.failures++;
      const message = err instanceof Error ? err.message : String(err);
      const request = err instanceof BrokerError ? err.request : null;
      this.lastError = { message, request, since: this.lastError?.since ?? this.now() };
      this.options.onError?.(message);
    }
  }
}
