// One snapshot of the broker shared by every viewer: refreshed at most once per
// interval however many ask (single-flight), served while the next one is built,
// and kept when a refresh fails, so the dashboard never loses what it knew.
// While anyone is looking, refreshes run on the server's own timer, so the broker
// sees the same requests whether one viewer polls or twenty; when no one has asked
// for a while, they stop.
import 'server-only';
import { BrokerError, recognisedAcrossBundles } from '@/lib/broker/errors';

export interface Snapshot<T> {
  value: T;
  fetchedAt: number;
}

/** Why the last refresh failed, kept until one succeeds. */
export interface RefreshFailure {
  message: string;
  /** The broker request that failed, where one did. */
  request: string | null;
  /** When the refreshes started failing. */
  since: number;
}

export interface StoreStatus {
  /** Epoch ms of the last successful refresh; null before the first one. */
  fetchedAt: number | null;
  /** The last refresh failed: what is served is older. */
  stale: boolean;
  refreshing: boolean;
  error: RefreshFailure | null;
  /** The interval refreshes run at now (stretched on a slow broker). */
  refreshIntervalMs: number;
}

export interface SnapshotStoreOptions<T> {
  load: () => Promise<T>;
  intervalMs: number;
  /** A value that never changes (an offline capture): loaded until it loads once, then never again. */
  once?: boolean;
  now?: () => number;
  /**
   * How long the last load waited for the broker, in ms; the interval stretches against that, not
   * against the dashboard's own work on what it read (default: the whole load).
   */
  brokerMs?: () => number | null;
  /** Refresh no more often than this many times the (averaged) wait for the broker (default 3). */
  slowBrokerFactor?: () => number;
  /**
   * When a refresh is wanted sooner than the interval says (a finding waiting for its grace period to
   * end): the next one comes then, but never sooner than the configured interval after the last, and
   * never twice in a row, so the broker sees at most twice the reads the stretched interval allows.
   */
  wantedBy?: () => number | null;
  /** Called after each successful refresh, with how long it took. */
  onRefresh?: (snapshot: Snapshot<T>, durationMs: number) => void;
  /** Called when a refresh fails, with how long it took. */
  onError?: (err: unknown, durationMs: number) => void;
  /** How a failure is said in status() (default: its message). */
  describeError?: (err: unknown) => string;
  /** Longest wait between retries after failures. */
  maxBackoffMs?: number;
  /** Keep refreshing this long after the last request (default: 60 s, or two intervals if longer). */
  keepWarmMs?: number;
  /** Refresh whether anyone asks or not (after the first refresh, which someone starts). */
  alwaysWatched?: boolean;
  /** Runs `fn` after `ms`; a timer that does not keep the process alive by default. */
  schedule?: (fn: () => void, ms: number) => void;
}

function unrefTimeout(fn: () => void, ms: number): void {
  setTimeout(fn, ms).unref?.();
}

/** Refresh no more often than this many times the (averaged) duration of a refresh, by default. */
const SLOW_BROKER_FACTOR = 3;
/** Weight of the newest refresh in the moving average of refresh durations. */
const DURATION_WEIGHT = 0.3;

export class NoSnapshotError extends Error {
  constructor(readonly cause: RefreshFailure | null) {
    super(cause?.message ?? 'no snapshot of the broker yet');
    this.name = 'NoSnapshotError';
  }
}
recognisedAcrossBundles(NoSnapshotError, 'NoSnapshotError');

export class SnapshotStore<T> {
  private current: Snapshot<T> | null = null;
  private inflight: Promise<void> | null = null;
  private lastError: RefreshFailure | null = null;
  private failures = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private lastDemand = Number.NEGATIVE_INFINITY;
  /** Moving average of how long a successful refresh waits for the broker; one slow answer does not double the interval. */
  private averageDurationMs: number | null = null;
  private timerArmed = false;
  /** The last refresh came early (wantedBy): the next one waits the whole interval. */
  private lastEarly = false;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => void;

  constructor(private readonly options: SnapshotStoreOptions<T>) {
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? unrefTimeout;
  }

  /** The current snapshot; waits for the first one. Starts a background refresh when due. */
  async get(): Promise<Snapshot<T>> {
    this.lastDemand = this.now();
    if (!this.current) {
      await this.refresh();
      if (!this.current) throw new NoSnapshotError(this.lastError);
      return this.current;
    }
    if (this.options.once) return this.current;
    if (this.isDue()) void this.refresh();
    else this.armTimer();
    return this.current;
  }

  /** Refreshes now, or joins the refresh already running. Never rejects: failures are kept in status(). */
  refresh(): Promise<void> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
      this.armTimer();
    });
    return this.inflight;
  }

  /** The latest snapshot without asking for a newer one; null before the first. */
  latest(): Snapshot<T> | null {
    return this.current;
  }

  status(): StoreStatus {
    return {
      fetchedAt: this.current?.fetchedAt ?? null,
      stale: this.lastError !== null,
      refreshing: this.inflight !== null,
      error: this.lastError,
      refreshIntervalMs: this.effectiveIntervalMs(),
    };
  }

  /**
   * The configured interval, stretched on a broker that takes long to answer: a refresh
   * that waited 15 s for it is not repeated before 45 s, so the broker is never kept busy answering us.
   */
  private effectiveIntervalMs(): number {
    return Math.max(this.options.intervalMs, (this.options.slowBrokerFactor?.() ?? SLOW_BROKER_FACTOR) * (this.averageDurationMs ?? 0));
  }

  /** When the next refresh may start: one interval after the last attempt, or later while backing off, or sooner when wanted. */
  private nextDueAt(): number {
    const regular = this.regularDueAt();
    const wanted = this.failures === 0 && !this.lastEarly ? (this.options.wantedBy?.() ?? null) : null;
    return wanted === null ? regular : Math.min(regular, Math.max(wanted, this.lastAttempt + this.options.intervalMs));
  }

  private regularDueAt(): number {
    const backoff = this.failures === 0 ? 0 : Math.min(this.options.intervalMs * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 60_000);
    return this.lastAttempt + Math.max(this.effectiveIntervalMs(), backoff);
  }

  private isDue(): boolean {
    return this.now() >= this.nextDueAt();
  }

  private isWatched(): boolean {
    if (this.options.alwaysWatched) return true;
    const keepWarm = this.options.keepWarmMs ?? Math.max(60_000, 2 * this.effectiveIntervalMs());
    return this.now() - this.lastDemand < keepWarm;
  }

  /** The next refresh on the server's timer, not on whichever request comes after it is due. */
  private armTimer(): void {
    if (this.timerArmed || this.inflight || !this.isWatched() || (this.options.once && this.current)) return;
    this.timerArmed = true;
    this.schedule(
      () => {
        this.timerArmed = false;
        if (!this.isWatched()) return;
        if (this.isDue()) void this.refresh();
        else this.armTimer();
      },
      Math.max(0, this.nextDueAt() - this.now()),
    );
  }

  private async doRefresh(): Promise<void> {
    this.lastEarly = this.current !== null && this.now() < this.regularDueAt();
    this.lastAttempt = this.now();
    try {
      const value = await this.options.load();
      this.current = { value, fetchedAt: this.now() };
      const duration = this.current.fetchedAt - this.lastAttempt;
      const waited = this.options.brokerMs?.() ?? duration;
      this.averageDurationMs = this.averageDurationMs === null ? waited : (1 - DURATION_WEIGHT) * this.averageDurationMs + DURATION_WEIGHT * waited;
      this.lastError = null;
      this.failures = 0;
      this.options.onRefresh?.(this.current, duration);
    } catch (err) {
      this.failures++;
      const message = this.options.describeError?.(err) ?? (err instanceof Error ? err.message : String(err));
      const request = err instanceof BrokerError ? err.request : null;
      this.lastError = { message, request, since: this.lastError?.since ?? this.now() };
      this.options.onError?.(err, this.now() - this.lastAttempt);
    }
  }
}
