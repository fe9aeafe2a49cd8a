import 'server-only';
// The brokers this server watches, from the configuration (lib/server/config.ts). With
// AUTH_MODE=login each signed-in operator gets a view of their own, read with their own
// credentials, so they see exactly what the broker lets them see; it is dropped once unused.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HistorySample, SnapshotStatus } from '@/lib/api/contract';
import { BrokerError } from '@/lib/broker/errors';
import { ManagementClient } from '@/lib/broker/management-client';
import { type PrometheusReading, queueRates, readPrometheus, withPrometheusStats } from '@/lib/broker/prometheus-stats';
import { readBroker, type TopologyRead } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import type { BrokerInputs, Topology } from '@/lib/domain/types';
import { FindingTracker } from '@/lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS, type Thresholds } from '@/lib/domain/findings/types';
import type { Principal } from './auth';
import { type ClusterConfig, getConfig, readFailure } from './config';
import { recordRefresh } from './metrics';
import { Diagnosis } from './diagnosis';
import { CaptureError, decodeCapture } from './capture';
import { History, mergeBrokerSamples } from './history';
import type { BrokerCredentials } from './sessions';
import { NoSnapshotError, SnapshotStore } from './snapshot';

export interface Cluster {
  id: string;
  name: string;
  /** Holds secrets: server only. */
  config: ClusterConfig;
  /** An offline capture: when it was taken; null for a live broker. */
  capturedAt: number | null;
  /** The broker's last answers as read, for a capture. */
  lastRead(): { inputs: BrokerInputs; warnings: string[]; at: number } | null;
  /** The management URL without credentials, for display. */
  managementUrl: string;
  client: ManagementClient;
  store: Pick<SnapshotStore<Topology>, 'get' | 'status' | 'refresh'>;
  history: History;
  findings: FindingTracker;
  thresholds: Thresholds;
  queueHistory(vhost: string, name: string): Promise<HistorySample[]>;
}

/** The findings' thresholds: the defaults, with the configured ones over them. */
function thresholds(): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...getConfig().findings };
}

/** `measured`: the view read as the configured user, whose refreshes /metrics reports (not each operator's). */
function createCluster(config: ClusterConfig, credentials: BrokerCredentials, measured: boolean): Cluster {
  const { id } = config;
  const client = new ManagementClient({ baseUrl: config.managementUrl, ...credentials, timeoutMs: config.requestTimeoutMs, tls: config.tls });
  const diagnosis = new Diagnosis(thresholds(), getConfig().historySamples);
  const { history, findings } = diagnosis;
  let seeded = false;
  let topology: { read: TopologyRead; at: number; behind: boolean } | null = null;
  let lastRead: { inputs: BrokerInputs; warnings: string[]; at: number } | null = null;
  const topologyDue = (now: number) =>
    !topology ||
    now - topology.at >= config.topologyIntervalMs ||
    // New queues without their bindings: catch up sooner, but not on every refresh of a churning cloud.
    (topology.behind && now - topology.at >= Math.max(config.refreshIntervalMs, config.topologyIntervalMs / 4));
  const store = new SnapshotStore<Topology>({
    intervalMs: config.refreshIntervalMs,
    extraStatus: () => ({ topology: { fetchedAt: topology?.at ?? null, refreshIntervalMs: config.topologyIntervalMs } }),
    load: async () => {
      const started = Date.now();
      try {
        const loaded = await load(started);
        if (measured) recordRefresh(id, (Date.now() - started) / 1000, undefined);
        return loaded;
      } catch (err) {
        if (measured) recordRefresh(id, (Date.now() - started) / 1000, err instanceof BrokerError ? err.request : null);
        throw err;
      }
    },
    onRefresh: (s) => diagnosis.observe(s.value, s.fetchedAt),
    onError: (message) => console.warn(`[cluster ${id}] refresh failed: ${message}`),
  });

  const prometheus = config.prometheus;
  let lastPrometheus: PrometheusReading | null = null;
  /** The Prometheus plugin's counts and rates in place of the management API's, when configured so. */
  async function fromPrometheus(inputs: BrokerInputs, warnings: string[]): Promise<BrokerInputs> {
    if (!prometheus || (prometheus.use === 'auto' && inputs.overview.statsEnabled)) return inputs;
    try {
      const reading = await readPrometheus({ url: prometheus.url, timeoutMs: config.requestTimeoutMs, httpsAgent: client.httpsAgent });
      const rates = lastPrometheus ? queueRates(lastPrometheus, reading) : null;
      lastPrometheus = reading;
      return withPrometheusStats(inputs, reading, rates);
    } catch (err) {
      lastPrometheus = null;
      warnings.push(err instanceof Error ? err.message : String(err));
      return inputs;
    }
  }

  async function load(started: number) {
    const due = topologyDue(started);
    const read = await readBroker(client, due ? undefined : topology?.read);
    const { warnings, topologyBehind } = read;
    const inputs = await fromPrometheus(read.inputs, warnings);
    topology = { read: read.topology, at: due ? started : topology!.at, behind: topologyBehind };
    if (!seeded) {
      seeded = true;
      // The broker's own recent history, so charts are not empty on the first view.
      await client
        .overviewHistory()
        .then((h) =>
          history.seedGlobal(
            mergeBrokerSamples(
              { ready: h.queue_totals?.messages_ready_details?.samples, unacknowledged: h.queue_totals?.messages_unacknowledged_details?.samples },
              h.message_stats,
            ),
          ),
        )
        .catch(() => undefined);
    }
    lastRead = { inputs, warnings, at: Date.now() };
    return { value: buildTopology(inputs), warnings };
  }

  const queueHistoryCache = new Map<string, { at: number; samples: Promise<HistorySample[]> }>();
  const queueHistory = (vhost: string, name: string): Promise<HistorySample[]> => {
    const key = `${vhost}\u0000${name}`;
    const cached = queueHistoryCache.get(key);
    if (cached && Date.now() - cached.at < config.refreshIntervalMs) return cached.samples;
    const samples = client
      .queueHistory(vhost, name)
      .then((h) =>
        mergeBrokerSamples({ ready: h.messages_ready_details?.samples, unacknowledged: h.messages_unacknowledged_details?.samples }, h.message_stats),
      )
      .catch(() => []);
    if (queueHistoryCache.size > 200) queueHistoryCache.clear();
    queueHistoryCache.set(key, { at: Date.now(), samples });
    return samples;
  };

  return {
    id,
    name: config.name,
    config,
    capturedAt: null,
    lastRead: () => lastRead,
    managementUrl: config.managementUrl,
    client,
    store,
    history,
    findings,
    thresholds: diagnosis.thresholds,
    queueHistory,
  };
}

/** A capture opened read-only: one snapshot that never refreshes, its findings as they were. */
function openCapturedCluster(config: ClusterConfig & { capturePath: string }): Cluster {
  let opened: ReturnType<typeof decodeCapture> | null = null;
  let problem: string | null = null;
  try {
    opened = decodeCapture(readFileSync(config.capturePath));
  } catch (err) {
    problem = `capture ${config.capturePath}: ${err instanceof CaptureError ? err.message : readFailure(err)}`;
    console.error(`[cluster ${config.id}] ${problem}`);
  }
  const capturedAt = opened?.capture.capturedAt ?? 0;
  const history = new History(getConfig().historySamples);
  history.seedGlobal(opened?.capture.history ?? []);
  const snapshot = opened ? { value: opened.topology, fetchedAt: capturedAt, warnings: opened.capture.warnings } : null;
  const status = (): SnapshotStatus => ({
    fetchedAt: snapshot ? capturedAt : null,
    stale: false,
    refreshing: false,
    error: problem ? { message: problem, request: null, since: 0 } : null,
    refreshIntervalMs: 0,
    warnings: snapshot?.warnings ?? [],
    ...(snapshot ? { capturedAt } : {}),
  });
  return {
    id: config.id,
    name: config.name,
    config,
    capturedAt: snapshot ? capturedAt : null,
    lastRead: () => (opened ? { inputs: opened.capture.inputs, warnings: opened.capture.warnings, at: capturedAt } : null),
    managementUrl: opened?.capture.cluster.managementUrl ?? '',
    // Nothing is ever asked of a broker: there is none (its URL is empty, its actions off).
    client: new ManagementClient({ baseUrl: 'http://capture.invalid', username: '', password: '', timeoutMs: 1 }),
    store: {
      get: async () => {
        if (!snapshot) throw new NoSnapshotError(status().error);
        return snapshot;
      },
      status,
      refresh: async () => undefined,
    },
    history,
    findings: opened ? FindingTracker.restore(opened.capture.findings) : new FindingTracker(),
    thresholds: thresholds(),
    queueHistory: async () => [],
  };
}

// Survives Next's module reloading in development; one per server process.
const registry = globalThis as unknown as { __clusters?: Map<string, { cluster: Cluster; lastUsedAt: number }> };

/** Whose eyes a view is read with: the configured user, or one signed-in operator (and their password: it may change). */
function viewKey(id: string, credentials: BrokerCredentials | null): string {
  if (!credentials) return id;
  const digest = createHash('sha256').update(`${credentials.username}\u0000${credentials.password}`).digest('base64url');
  return `${id}\u0000${digest}`;
}

/** Operators' views nobody asked for in this long are dropped (their refresh timers have long stopped). */
function dropUnused(now: number): void {
  const auth = getConfig().auth;
  if (auth.mode !== 'login') return;
  for (const [key, entry] of registry.__clusters ?? []) {
    if (now - entry.lastUsedAt > auth.sessionIdleMs) registry.__clusters?.delete(key);
  }
}

/** The cluster as this principal may see it; without a principal (or without login), as the configured user sees it. */
export function getCluster(id: string, principal: Principal | null = null): Cluster | null {
  const config = getConfig().clusters.find((c) => c.id === id);
  if (!config) return null;
  registry.__clusters ??= new Map();
  const now = Date.now();
  const credentials = principal?.credentials ?? null;
  const { capturePath } = config;
  // A capture is the same for every operator: there is no broker to ask as them.
  const key = capturePath !== null ? id : viewKey(id, credentials);
  let entry = registry.__clusters.get(key);
  if (!entry) {
    dropUnused(now);
    const cluster =
      capturePath !== null
        ? openCapturedCluster({ ...config, capturePath })
        : createCluster(config, credentials ?? { username: config.username, password: config.password }, !credentials);
    entry = { cluster, lastUsedAt: now };
    registry.__clusters.set(key, entry);
  }
  entry.lastUsedAt = now;
  return entry.cluster;
}

export function clusterIds(): string[] {
  return getConfig().clusters.map((c) => c.id);
}
