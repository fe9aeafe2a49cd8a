import 'server-only';
// The clusters this server watches (lib/server/root.ts makes one registry per server).
import { createHash } from 'node:crypto';
import { ManagementClient } from '@/lib/broker/management-client';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import { SEES_ALL, type Sight, sightOf } from '@/lib/domain/sight';
import type { ClusterState } from '@/lib/domain/state';
import { narrowed } from '@/lib/store/narrowed';
import type { Remembered } from '@/lib/store/remembered';
import type { HistoryStore } from '@/lib/store/store';
import type { ActionSettings } from './actions';
import type { Principal } from './auth';
import { type Cluster, createCluster } from './cluster';
import type { ClusterConfig, Config } from './config';
import type { DashboardMetrics } from './metrics';
import { Recorder } from './recorder';
import type { BrokerCredentials } from './sessions';
import { brokerSource, captureSource, type Source } from './sources';
import { recallEarlierRun, timesRaised } from './store-answers';

const CAPTURE_REFUSES = 'an offline capture: nothing can be sent to it';

function actionsOf(config: ClusterConfig): ActionSettings {
  if (config.capturePath !== null) return { probe: { enabled: false, reason: CAPTURE_REFUSES }, peek: { enabled: false, reason: CAPTURE_REFUSES } };
  return {
    probe: config.amqpUrl
      ? { enabled: true, amqpUrl: config.amqpUrl, tls: config.tls, timeoutMs: config.probeTimeoutMs }
      : {
          enabled: false,
          reason:
            'the RPC ping is not configured: set RABBITMQ_AMQP_URL (in DASHBOARD_CONFIG: actions.probe and amqpUrlEnv) to a user that may declare a queue and publish',
        },
    peek: config.peekEnabled
      ? { enabled: true, allowQuorum: config.peekAllowQuorum }
      : { enabled: false, reason: 'reading a backlog is off: set PEEK_ENABLED=true (in DASHBOARD_CONFIG: actions.peek) — it requeues the messages it reads' },
  };
}

/** What a request reads of what is remembered: already narrowed to what its operator may see. */
export interface ViewMemory {
  /** Null when history is off or a capture carries none. */
  store: Remembered | null;
  /** Why `store` is null. */
  offReason: string;
  /** How often each finding was raised over [from, to] (id → times); null where the store cannot say. Read once per range. */
  timesRaised(from: number, to: number): Promise<Map<string, number> | null>;
}

interface Entry {
  cluster: Cluster;
  lastUsedAt: number;
  /** The last answer of timesRaised: every findings request of one refresh asks the same. */
  raised: { from: number; to: number; times: Promise<Map<string, number> | null> } | null;
}

/** Whose eyes a view is read with: the configured user, or one signed-in operator (and their password: it may change). */
function viewKey(id: string, credentials: BrokerCredentials | null): string {
  if (!credentials) return id;
  const digest = createHash('sha256').update(`${credentials.username}\u0000${credentials.password}`).digest('base64url');
  return `${id}\u0000${digest}`;
}

const vhostsOf = async (cluster: Cluster): Promise<readonly string[] | null> =>
  (cluster.latest() ?? (await cluster.read().catch(() => null)))?.topology.vhosts ?? null;

/**
 * The clusters this server watches, built from the configuration. With AUTH_MODE=login each
 * signed-in operator gets a view of their own, read with their own credentials, so they see
 * exactly what the broker lets them see; it is dropped once unused. What the store remembers
 * was seen by the configured user: an operator reads it narrowed to their own vhosts.
 */
export class ClusterRegistry {
  private readonly views = new Map<string, Entry>();

  constructor(
    private readonly config: Config,
    private readonly store: HistoryStore | null,
    private readonly metrics: DashboardMetrics,
  ) {}

  ids(): string[] {
    return this.config.clusters.map((c) => c.id);
  }

  /** The cluster as this principal may see it; without a principal (or without login), as the configured user sees it. */
  get(id: string, principal: Principal | null = null): Cluster | null {
    return this.entry(id, principal)?.cluster ?? null;
  }

  /** What the store remembers of a cluster, as this principal may see it. */
  async memory(id: string, principal: Principal): Promise<ViewMemory> {
    const entry = this.entry(id, principal);
    if (!entry) throw new Error(`no cluster ${id}`);
    const { memory, offReason } = entry.cluster.remembered();
    const store = memory && narrowed(memory, await this.sight(id, principal, entry.cluster), (process) => this.processVhosts(id, process));
    return {
      store,
      offReason,
      timesRaised: (from, to) => {
        const last = entry.raised;
        if (last && last.from === from && last.to === to) return last.times;
        const times = timesRaised(store, id, from, to);
        entry.raised = { from, to, times };
        return times;
      },
    };
  }

  /**
   * Starts reading every cluster watched always (WATCH_MODE, `watch` in DASHBOARD_CONFIG) at once,
   * as the configured user: findings, /metrics and history do not wait for a viewer. Called once at
   * start-up (instrumentation.ts).
   */
  watchAll(): string[] {
    const watched = this.config.clusters.filter((c) => c.capturePath === null && c.watch === 'always');
    for (const c of watched) void this.get(c.id)?.refresh();
    return watched.map((c) => c.id);
  }

  /**
   * An operator whose user may read every vhost the configured user reads sees all that is
   * remembered; otherwise the vhosts their user may read (the configured user's not known: only those).
   */
  private async sight(id: string, principal: Principal, own: Cluster): Promise<Sight> {
    if (!principal.credentials) return SEES_ALL;
    const configured = this.get(id);
    if (!configured || !configured.live) return SEES_ALL;
    const [mine, all] = await Promise.all([vhostsOf(own), vhostsOf(configured)]);
    return all === null ? { all: false, vhosts: new Set(mine ?? []) } : sightOf(mine ?? [], all);
  }

  private processVhosts(id: string, process: string): readonly string[] | null {
    const state: ClusterState | null = this.get(id)?.latest() ?? null;
    return state?.topology.index.process(process)?.vhosts ?? null;
  }

  private entry(id: string, principal: Principal | null): Entry | null {
    const config = this.config.clusters.find((c) => c.id === id);
    if (!config) return null;
    const now = Date.now();
    const credentials = principal?.credentials ?? null;
    // A capture is the same for every operator: there is no broker to ask as them.
    const key = config.capturePath !== null ? id : viewKey(id, credentials);
    let entry = this.views.get(key);
    if (!entry) {
      this.dropUnused(now);
      const cluster = this.build(config, credentials);
      // /metrics and the store follow the refreshes of the configured user's view, not each operator's.
      if (key === id && config.capturePath === null) {
        this.metrics.observeRefreshes(cluster);
        if (this.store) new Recorder(id, this.store, (ms, ok) => this.metrics.observeStoreWrite(id, ms, ok)).follow(cluster);
      }
      entry = { cluster, lastUsedAt: now, raised: null };
      this.views.set(key, entry);
    }
    entry.lastUsedAt = now;
    return entry;
  }

  /** Operators' views nobody asked for in this long are dropped (their refresh timers have long stopped). */
  private dropUnused(now: number): void {
    const { auth } = this.config;
    if (auth.mode !== 'login') return;
    for (const [key, entry] of this.views) if (now - entry.lastUsedAt > auth.sessionIdleMs) this.views.delete(key);
  }

  private build(config: ClusterConfig, credentials: BrokerCredentials | null): Cluster {
    // The store holds the configured user's view: only that view recalls what it left open.
    const store = credentials === null && config.capturePath === null ? this.store : null;
    return createCluster({
      recall: store ? () => recallEarlierRun(store, config.id, Date.now()) : undefined,
      id: config.id,
      name: config.name,
      managementUrl: config.managementUrl,
      source: this.sourceOf(config, credentials ?? { username: config.username, password: config.password }),
      actions: actionsOf(config),
      restricted: credentials !== null,
      thresholds: { ...DEFAULT_THRESHOLDS, ...this.config.findings },
      historySamples: this.config.historySamples,
      refreshIntervalMs: config.refreshIntervalMs,
      topologyIntervalMs: config.topologyIntervalMs,
      // An operator's own view is read while they look; the configured user's as configured.
      watch: credentials === null ? config.watch : 'on-demand',
      timeoutHint: 'raise REQUEST_TIMEOUT_MS, or requestTimeoutMs in DASHBOARD_CONFIG',
    });
  }

  private sourceOf(config: ClusterConfig, credentials: BrokerCredentials): Source {
    if (config.capturePath !== null) return captureSource(config.capturePath);
    return brokerSource({
      client: new ManagementClient({ baseUrl: config.managementUrl, ...credentials, timeoutMs: config.requestTimeoutMs, tls: config.tls }),
      topologyIntervalMs: config.topologyIntervalMs,
      refreshIntervalMs: config.refreshIntervalMs,
      requestTimeoutMs: config.requestTimeoutMs,
      prometheus: config.prometheus,
      remembered: this.store,
    });
  }
}
