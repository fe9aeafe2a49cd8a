import 'server-only';
// GET /metrics: what only this dashboard knows, for Prometheus. Names and labels are a
// contract (docs/prometheus.md, the Grafana dashboard and the alerting rules use them):
// change them only with a new name. Everything is read from each cluster's latest state; a
// scrape never adds a request to the broker beyond keeping the usual refresh going. The refresh
// counters observe the clusters' refreshes as they happen (DashboardMetrics.observeRefreshes).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SnapshotStatus } from '@/lib/api/schemas';
import type { ClusterState } from '@/lib/domain/state';
import type { StoreStatus } from '@/lib/store/store';
import type { RefreshEvent } from './cluster';

const PREFIX = 'rabbit_lens_';

/**
 * The dashboard's own counters, which live across scrapes: one per server, made by the composition
 * root (lib/server/root.ts), which has it observe the refreshes and store writes of the watched clusters.
 */
export class DashboardMetrics {
  private readonly registry = new Registry();
  private readonly refreshSeconds = new Histogram({
    name: `${PREFIX}refresh_duration_seconds`,
    help: 'How long one refresh of the snapshot took, by outcome (ok, failed).',
    labelNames: ['cluster', 'outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120],
    registers: [this.registry],
  });
  private readonly brokerErrors = new Counter({
    name: `${PREFIX}broker_errors_total`,
    help: 'Refreshes that failed, by the management API request that failed them.',
    labelNames: ['cluster', 'request'],
    registers: [this.registry],
  });
  private readonly storeWriteSeconds = new Histogram({
    name: `${PREFIX}store_write_duration_seconds`,
    help: "How long writing one refresh's history and journal to the store took, by outcome (ok, failed).",
    labelNames: ['cluster', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    // The process's own (resident memory, heap by space, CPU, event-loop lag, GC), under the names
    // every Node.js exporter uses, so that the server's memory can be watched like any other.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts every refresh of a cluster from now on. */
  observeRefreshes(cluster: { subscribe(listener: (event: RefreshEvent) => void): unknown }): void {
    cluster.subscribe((event) => {
      this.refreshSeconds.observe({ cluster: event.cluster, outcome: event.outcome }, event.durationMs / 1000);
      // The request path without its query: a bounded set of label values.
      if (event.outcome === 'failed') this.brokerErrors.inc({ cluster: event.cluster, request: event.request?.split('?')[0] ?? 'unknown' });
    });
  }

  /** One write of a refresh to the store (lib/server/recorder.ts). */
  observeStoreWrite(cluster: string, ms: number, ok: boolean): void {
    this.storeWriteSeconds.observe({ cluster, outcome: ok ? 'ok' : 'failed' }, ms / 1000);
  }

  /** The text Prometheus scrapes. */
  async render(clusters: readonly ClusterReading[], store: StoreStatus | null, now = Date.now()): Promise<{ contentType: string; body: string }> {
    const scrape = new Registry();
    const g = snapshotMetrics(scrape);
    if (store) gauge(scrape, 'store_up', '1 when the store of history and journal can be written, 0 while it is unavailable (absent: HISTORY_STORE=off).', []).set(store.state === 'ok' ? 1 : 0);
    for (const { id, state, status } of clusters) {
      g.up.set({ cluster: id }, status.error === null && status.fetchedAt !== null ? 1 : 0);
      if (status.fetchedAt !== null) g.age.set({ cluster: id }, Math.max(0, (now - status.fetchedAt) / 1000));
      if (state) exportState(g, id, state);
    }
    const merged = Registry.merge([this.registry, scrape]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}

function gauge<L extends string>(r: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return new Gauge({ name: `${PREFIX}${name}`, help, labelNames, registers: [r] });
}

/** The gauges of one scrape, from each cluster's current snapshot. */
function snapshotMetrics(r: Registry) {
  return {
    up: gauge(r, 'up', '1 when the last refresh of the broker succeeded, 0 when it failed or none has yet.', ['cluster']),
    age: gauge(r, 'snapshot_age_seconds', 'Age of the snapshot the dashboard shows.', ['cluster']),
    findings: gauge(r, 'findings', 'Open findings, by rule and severity.', ['cluster', 'rule', 'severity']),
    service: gauge(
      r,
      'service_status',
      '1 for the current status of each RPC server (per-server queue) in the service list: ok, backlog, stuck, down, not-consuming, unknown.',
      ['cluster', 'vhost', 'component', 'topic', 'host', 'status'],
    ),
    topicReady: gauge(r, 'topic_ready_messages', 'Ready messages in the queues of an RPC topic (shared, per-server and fanout).', ['cluster', 'vhost', 'component', 'topic']),
    topicUnacked: gauge(r, 'topic_unacknowledged_messages', 'Unacknowledged messages in the queues of an RPC topic.', ['cluster', 'vhost', 'component', 'topic']),
    topicConsumers: gauge(r, 'topic_consumers', 'Consumers on the queues of an RPC topic.', ['cluster', 'vhost', 'component', 'topic']),
    componentReady: gauge(r, 'component_ready_messages', 'Ready messages in the queues of a component (its control exchange).', ['cluster', 'component']),
    componentUnacked: gauge(r, 'component_unacknowledged_messages', 'Unacknowledged messages in the queues of a component.', ['cluster', 'component']),
    componentConsumers: gauge(r, 'component_consumers', 'Consumers on the queues of a component.', ['cluster', 'component']),
    processes: gauge(r, 'processes', 'Client processes connected to the broker, by binary (oslo services by name, others as "other").', ['cluster', 'binary']),
  };
}

function exportState(g: ReturnType<typeof snapshotMetrics>, c: string, state: ClusterState): void {
  const t = state.topology;
  for (const f of state.findings.open) g.findings.inc({ cluster: c, rule: f.rule, severity: f.severity });
  for (const row of state.services)
    g.service.set({ cluster: c, vhost: row.vhost, component: row.component ?? '', topic: row.topic, host: row.host, status: row.status }, 1);
  // Without statistics the broker gives no lengths or consumers: no series rather than zeros.
  if (t.overview.statsEnabled) {
    for (const topic of t.topics) {
      const labels = { cluster: c, vhost: topic.vhost, component: topic.component ?? '', topic: topic.name };
      g.topicReady.set(labels, topic.backlog.ready);
      g.topicUnacked.set(labels, topic.backlog.unacknowledged);
      g.topicConsumers.set(labels, topic.consumers);
    }
    for (const comp of t.components) {
      g.componentReady.set({ cluster: c, component: comp.name }, comp.backlog.ready);
      g.componentUnacked.set({ cluster: c, component: comp.name }, comp.backlog.unacknowledged);
      g.componentConsumers.set({ cluster: c, component: comp.name }, comp.consumers);
    }
  }
  const byBinary = new Map<string, number>();
  for (const p of t.processes) byBinary.set(p.binary ?? 'other', (byBinary.get(p.binary ?? 'other') ?? 0) + 1);
  for (const [binary, n] of byBinary) g.processes.set({ cluster: c, binary }, n);
}

/** What a scrape shows of one live cluster: its latest state (null before the first) and the status of its refreshes. */
export interface ClusterReading {
  id: string;
  state: ClusterState | null;
  status: SnapshotStatus;
}
