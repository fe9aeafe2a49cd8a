import 'server-only';
// One watched cluster: its source read on a cadence (lib/server/snapshot.ts), each reading
// turned into the immutable state of that refresh (lib/server/diagnosis.ts), the status of
// the refreshes, and the actions the operator enabled on it. Built from plain values, so a
// test hands it a source of its own; lib/server/clusters.ts builds them from the configuration.
import type { SnapshotStatus } from '@/lib/api/schemas';
import { BrokerError } from '@/lib/broker/errors';
import type { BrokerTls } from '@/lib/broker/tls';
import type { Thresholds } from '@/lib/domain/findings/types';
import type { ClusterState } from '@/lib/domain/state';
import { Diagnosis } from './diagnosis';
import { NoSnapshotError, SnapshotStore } from './snapshot';
import type { WatchMode } from './config';
import type { Source } from './sources';

const MANAGEMENT_SLOW_BROKER_FACTOR = 3;
const PLUGIN_SLOW_BROKER_FACTOR = 2;

/** An action that reads or writes messages: off unless the operator enabled it, and then with what it needs. */
export type Action<Settings> = ({ enabled: true } & Settings) | { enabled: false; reason: string };

export interface ClusterActions {
  /** The RPC ping: an oslo.messaging call, published as the configured AMQP user. */
  probe: Action<{ amqpUrl: string; tls: BrokerTls | null; timeoutMs: number }>;
  /** Reading a backlog (requeues what it reads). */
  peek: Action<{ allowQuorum: boolean }>;
}

export type RefreshEvent =
  | { cluster: string; outcome: 'ok'; state: ClusterState; durationMs: number }
  | { cluster: string; outcome: 'failed'; message: string; request: string | null; durationMs: number };

export interface ClusterOptions {
  id: string;
  name: string;
  /** Where the broker's management API is, without credentials (a capture: empty, the file says). */
  managementUrl: string;
  source: Source;
  actions: ClusterActions;
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
   * The findings an earlier run of the dashboard left open (id → since), asked once before the
   * first reading is judged: those that still hold keep their real start and are not raised anew.
   */
  recall?: () => Promise<ReadonlyMap<string, number> | null>;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => void;
}

export interface Cluster {
  readonly id: string;
  readonly name: string;
  readonly source: Source;
  readonly actions: ClusterActions;
  /** The management URL without credentials; for a capture, the one it was taken from. */
  managementUrl(): string;
  /** When an offline capture was taken; null for a live broker. */
  capturedAt(): number | null;
  /** The latest state, waiting for the first one; asking keeps the refreshes going. Rejects with NoSnapshotError while there is none. */
  read(): Promise<ClusterState>;
  /** The latest state without asking for a newer one. */
  latest(): ClusterState | null;
  /** Reads the source now (or joins the read under way); never rejects: a failure is in status(). */
  refresh(): Promise<void>;
  status(): SnapshotStatus;
  /** Every refresh, as it lands or fails; returns the unsubscribe. */
  subscribe(listener: (event: RefreshEvent) => void): () => void;
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
  let countsSource: 'prometheus' | 'management' | null = null;
  let topologyIntervalMs = options.topologyIntervalMs;
  const store = new SnapshotStore<ClusterState>({
    intervalMs: options.refreshIntervalMs,
    once: source.kind === 'capture',
    alwaysWatched: options.watch === 'always',
    now: options.now,
    schedule: options.schedule,
    describeError: describe,
    load: async () => {
      if (source.kind === 'capture') return diagnosis.restore(await source.load());
      if (recall) {
        const open = await recall().catch(() => null);
        recall = undefined;
        if (open) diagnosis.recall(open);
      }
      const reading = await source.load();
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

  const capturedAt = () => (source.kind === 'capture' ? (source.origin()?.capturedAt ?? null) : null);

  return {
    id,
    name: options.name,
    source,
    actions: options.actions,
    managementUrl: () => (source.kind === 'capture' ? (source.origin()?.managementUrl ?? '') : options.managementUrl),
    capturedAt,
    read: async () => (await store.get()).value,
    latest: () => store.latest()?.value ?? null,
    refresh: () => store.refresh(),
    status(): SnapshotStatus {
      const s = store.status();
      const state = store.latest()?.value ?? null;
      const warnings = [...(state?.warnings ?? [])];
      const taken = capturedAt();
      if (taken !== null) return { fetchedAt: taken, stale: false, refreshing: false, error: s.error, refreshIntervalMs: 0, warnings, capturedAt: taken };
      if (source.kind === 'capture') return { ...s, refreshIntervalMs: 0, warnings };
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
