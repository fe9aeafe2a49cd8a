import 'server-only';
// One watched cluster as one user reads it: its source read on a cadence (lib/server/snapshot.ts),
// each reading turned into the immutable state of that refresh (lib/server/diagnosis.ts), the
// status of the refreshes, what is remembered of it, and the actions the operator enabled on it.
// Built from plain values, so a test hands it a source of its own; lib/server/clusters.ts builds
// them from the configuration. Which kind its source is, only lib/server/sources.ts knows.
import type { SnapshotStatus } from '@/lib/api/schemas';
import { BrokerError } from '@/lib/broker/errors';
import type { EarlierRun, Thresholds } from '@/lib/domain/findings/types';
import type { ClusterState } from '@/lib/domain/state';
import type { HistorySample } from '@/lib/domain/types';
import type { CountSource } from '@/lib/domain/vocabulary';
import type { Remembered } from '@/lib/store/remembered';
import { type Actions, actionsOf, type ActionSettings } from './actions';
import { Diagnosis } from './diagnosis';
import { NoSnapshotError, SnapshotStore } from './snapshot';
import type { WatchMode } from '@/lib/domain/vocabulary';
import type { Source } from './sources';

const MANAGEMENT_SLOW_BROKER_FACTOR = 3;
const PLUGIN_SLOW_BROKER_FACTOR = 2;

export type RefreshEvent =
  | { cluster: string; outcome: 'ok'; state: ClusterState; durationMs: number }
  | { cluster: string; outcome: 'failed'; message: string; request: string | null; durationMs: number };

export interface ClusterOptions {
  id: string;
  name: string;
  /** Where the broker's management API is, without credentials (a capture: empty, the file says). */
  managementUrl: string;
  source: Source;
  actions: ActionSettings;
  /** Read with a signed-in operator's own credentials: they may aim actions only where their user may look. */
  restricted?: boolean;
  thresholds: Readonly<Thresholds>;
  historySamples: number;
  refreshIntervalMs: number;
  /** How often exchanges, bindings and queue metadata are read (for the status). */
  topologyIntervalMs: number;
  /** always: refreshes go on whether anyone looks or not, once started (watch()); on-demand: while someone asks. */
  watch: WatchMode;
  /** Words an operator can act on when a broker request times out (which setting to raise). */
  timeoutHint?: string;
  /**
   * What an earlier run of the dashboard knew, asked once before the first reading is judged: the
   * findings it left open keep their real start and are not raised anew; the services it saw are
   * still known when the broker no longer lists them.
   */
  recall?: () => Promise<EarlierRun | null>;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => void;
}

/** What a route may know and do of one cluster, as the operator asking may see it (lib/server/api.ts). */
export interface ClusterView {
  readonly id: string;
  readonly name: string;
  readonly actions: Actions;
  /** The management URL without credentials; for a capture, the one it was taken from. */
  managementUrl(): string;
  /** When an offline capture was taken; null for a live broker. */
  capturedAt(): number | null;
  /** What "now" is for this cluster: when a capture was taken, the clock's time for a live broker. */
  now(): number;
  status(): SnapshotStatus;
  /**
   * One queue's samples as the broker keeps them (nothing for a capture). A broker that will not
   * give them costs the chart its earlier part, and the answer says so.
   */
  queueHistory(vhost: string, name: string): Promise<{ samples: HistorySample[]; warning: string | null }>;
}

export interface Cluster extends ClusterView {
  /** A live broker (not an offline capture). */
  readonly live: boolean;
  /** The latest state, waiting for the first one; asking keeps the refreshes going. Rejects with NoSnapshotError while there is none. */
  read(): Promise<ClusterState>;
  /** The latest state without asking for a newer one. */
  latest(): ClusterState | null;
  /** Reads the source now (or joins the read under way); never rejects: a failure is in status(). */
  refresh(): Promise<void>;
  status(): SnapshotStatus;
  /** Every refresh, as it lands or fails; returns the unsubscribe. */
  subscribe(listener: (event: RefreshEvent) => void): () => void;
  /** What is remembered of it, as the configured user saw it (null: none, and why). */
  remembered(): { memory: Remembered | null; offReason: string };
}

export function createCluster(options: ClusterOptions): Cluster {
  const { id, source } = options;
  const diagnosis = new Diagnosis(options.thresholds, options.historySamples);
  let recall = options.recall;
  const listeners = new Set<(event: RefreshEvent) => void>();
  const emit = (event: RefreshEvent) => {
    for (const l of listeners) l(event);
  };
  const describe = (err: unknown): string => {
    const message = err instanceof Error ? err.message : String(err);
    return err instanceof BrokerError && err.kind === 'timeout' && options.timeoutHint ? `${message} (${options.timeoutHint})` : message;
  };

  /** How long the last live reading waited for the broker (the refresh interval stretches against it), and how often it reads the topology now. */
  let readMs: number | null = null;
  let countsSource: CountSource | null = null;
  let topologyIntervalMs = options.topologyIntervalMs;
  const store = new SnapshotStore<ClusterState>({
    intervalMs: options.refreshIntervalMs,
    once: !source.live,
    alwaysWatched: options.watch === 'always',
    now: options.now,
    schedule: options.schedule,
    describeError: describe,
    load: async () => {
      if (recall) {
        const earlier = await recall().catch(() => null);
        recall = undefined;
        if (earlier) diagnosis.recall(earlier);
      }
      const reading = await source.load();
      if (reading.kind === 'captured') return diagnosis.restore(reading);
      readMs = reading.readMs;
      countsSource = reading.counts.source;
      topologyIntervalMs = reading.topologyIntervalMs;
      return diagnosis.observe(reading);
    },
    brokerMs: () => readMs,
    // The management API's lists keep many of the broker's processes busy: a refresh waits at most a third
    // of the time. The plugin's gauges are one rendering by one process: at most half the time.
    slowBrokerFactor: () => (countsSource === 'prometheus' ? PLUGIN_SLOW_BROKER_FACTOR : MANAGEMENT_SLOW_BROKER_FACTOR),
    // A lost consumer is confirmed by the next reading after its grace period, not a stretched interval later.
    wantedBy: () => diagnosis.confirmationDue(),
    onRefresh: (s, durationMs) => emit({ cluster: id, outcome: 'ok', state: s.value, durationMs }),
    onError: (err, durationMs) => {
      console.warn(`[cluster ${id}] refresh failed: ${describe(err)}`);
      emit({ cluster: id, outcome: 'failed', message: describe(err), request: err instanceof BrokerError ? err.request : null, durationMs });
    },
  });

  const capturedAt = () => source.origin()?.capturedAt ?? null;
  const read = async () => (await store.get()).value;

  return {
    id,
    name: options.name,
    live: source.live,
    actions: actionsOf(options.actions, source.client, read, options.restricted ?? false),
    managementUrl: () => source.origin()?.managementUrl ?? options.managementUrl,
    capturedAt,
    now: () => capturedAt() ?? (options.now ?? Date.now)(),
    read,
    latest: () => store.latest()?.value ?? null,
    refresh: () => store.refresh(),
    status(): SnapshotStatus {
      const s = store.status();
      const state = store.latest()?.value ?? null;
      const warnings = [...(state?.warnings ?? [])];
      const taken = capturedAt();
      if (taken !== null) return { fetchedAt: taken, stale: false, refreshing: false, error: s.error, refreshIntervalMs: 0, warnings, capturedAt: taken };
      if (!source.live) return { ...s, refreshIntervalMs: 0, warnings };
      return {
        ...s,
        topology: { fetchedAt: state?.topologyAt ?? null, refreshIntervalMs: topologyIntervalMs },
        watch: options.watch,
        ...(state?.counts ? { source: { counts: state.counts.source, why: state.counts.why, identityAt: state.identityAt } } : {}),
        warnings,
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    remembered: () => source.remembered(),
    async queueHistory(vhost, name) {
      try {
        return { samples: await source.queueHistory(vhost, name), warning: null };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { samples: [], warning: `the broker's own history of this queue could not be read (${why}): the chart shows the dashboard's samples only` };
      }
    },
  };
}

/** The cluster's latest state, waiting for the first; null while its source could never be read. */
export async function stateOrNull(cluster: Cluster): Promise<ClusterState | null> {
  try {
    return await cluster.read();
  } catch (err) {
    if (err instanceof NoSnapshotError) return null;
    throw err;
  }
}
