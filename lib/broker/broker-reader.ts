import 'server-only';
// Reading one broker refresh after refresh, each source for what it does best:
//
// - every refresh: the overview and the nodes (cheap), and every queue's counts from the
//   Prometheus plugin of every node (lib/broker/prometheus-stats.ts);
// - every RATES_INTERVAL_MS, in the background so that counts never wait for them: the plugin's
//   counters, whose increase gives the rates (lib/broker/plugin-rates.ts);
// - on the topology cadence, in the background so that counts never wait for it: exchanges,
//   bindings, what each queue is, and who consumes (consumers → channels → connections);
// - at once, for the queues whose consumer count or existence changed since the last refresh:
//   who consumes them now (one small request each), the connections that appeared with them,
//   and whether those that lost their consumers are still there (lib/broker/consumer-follower.ts).
//
// Without the plugin (not configured, not answering, another cluster's, not covering every
// node), everything comes from the management API as before, and the reading says why.
import { splitRefKey } from '@/lib/domain/keys';
import { sumRates, ZERO_RATES } from '@/lib/domain/rates';
import type { CountSource } from '@/lib/domain/vocabulary';
import type { BrokerInputs, NodeInput, QueueInput } from '@/lib/domain/types';
import { ConsumerFollower, eachLimited } from './consumer-follower';
import { IdleTracker } from './idle-tracker';
import type { ManagementClient } from './management-client';
import { mapNode, mapOverview, mapQueue, statsEnabled } from './mappers';
import { PluginRates } from './plugin-rates';
import { type PluginNode, type PrometheusReading, readPrometheus } from './prometheus-stats';
import { optional, readBroker, readIdentity, readTopology, type TopologyRead } from './read-broker';
import type { OverviewResponse } from './schemas';

/** Where a reading's queue counts came from, and why that source. */
export interface CountsSource {
  source: CountSource;
  why: string;
}

export interface BrokerReading {
  inputs: BrokerInputs;
  /** Parts that could not be read; the rest is good. */
  warnings: string[];
  /** When exchanges, bindings and what each queue is were read. */
  topologyAt: number;
  /** How often they are read whole now (stretched on a broker that takes long to answer). */
  topologyIntervalMs: number;
  /** When every consumer, channel and connection was last read whole (changes are followed in between). */
  identityAt: number;
  counts: CountsSource;
  /** Of this read's time, how long it waited for the first whole read (at start-up): not what a refresh costs. */
  wholeReadWaitMs?: number;
}

export interface BrokerReaderOptions {
  client: ManagementClient;
  /** Every node's plugin (http://node:15692); null: the management API alone. */
  prometheus: { urls: readonly string[] } | null;
  topologyIntervalMs: number;
  refreshIntervalMs: number;
  requestTimeoutMs: number;
  /** Queues whose consumers are read one by one in a refresh at most; more, and all are read again. */
  maxQueueRereads?: number;
  now?: () => number;
}

const VHOST_ASK_CONCURRENCY = 8;
/** The whole read is not repeated before this many times its last duration (as the refresh, lib/server/snapshot.ts). */
const SLOW_READ_FACTOR = 3;

const NO_PLUGIN = 'no Prometheus plugin is configured (RABBITMQ_PROMETHEUS_URL, or prometheus.urls in DASHBOARD_CONFIG)';

/**
 * Reads one broker refresh after refresh: chooses where the counts come from, and keeps the cadence of
 * the whole reads (the topology and who consumes) it runs in the background. Following who consumes in
 * between is ConsumerFollower's; the rates from the plugin's counters PluginRates'; since when a queue is
 * idle IdleTracker's.
 */
export class BrokerReader {
  private topology: { read: TopologyRead; at: number; behind: boolean } | null = null;
  private readonly consumers: ConsumerFollower;
  private readonly rates: PluginRates;
  private readonly idle = new IdleTracker();
  /** The background read of the topology and who consumes, while it runs. */
  private slow: Promise<void> | null = null;
  private slowFailure: string | null = null;
  /** How long the last whole read in the background took. */
  private slowReadMs = 0;
  /** Who consumes changed for too many queues at once: read it all again now. */
  private identityStale = false;
  /** Vhosts newer than the topology: whether this user may use them (asked once each until the topology is read again). */
  private readonly vhostAccess = new Map<string, boolean>();
  /** The running nodes at the last refresh, to see one stop or come back. */
  private runningNodes: string | null = null;
  private readonly now: () => number;

  constructor(private readonly options: BrokerReaderOptions) {
    this.now = options.now ?? Date.now;
    this.consumers = new ConsumerFollower(options.client, options.maxQueueRereads ?? 50);
    this.rates = new PluginRates({ timeoutMs: options.requestTimeoutMs, httpsAgent: options.client.httpsAgent, now: this.now });
  }

  async read(): Promise<BrokerReading> {
    const { client, prometheus } = this.options;
    const warnings: string[] = [];
    const overviewRead = client.overview();
    // The first reading needs the whole read as well: it starts with the plugin's, not after it.
    if (!this.topology && prometheus) void overviewRead.then((o) => this.readSlow(statsEnabled(o))).catch(() => undefined);
    const [overview, nodes, plugin] = await Promise.all([
      overviewRead,
      optional(client.nodes(), warnings),
      prometheus
        ? readPrometheus({ urls: prometheus.urls, counters: false, timeoutMs: this.options.requestTimeoutMs, httpsAgent: client.httpsAgent }, this.now).catch((err: unknown) =>
            err instanceof Error ? err : new Error(String(err)),
          )
        : null,
    ]);
    const mapped = nodes.map(mapNode);
    const why = plugin === null ? NO_PLUGIN : plugin instanceof Error ? plugin.message : this.unusable(plugin, overview, mapped);
    if (why !== null || plugin === null || plugin instanceof Error) {
      this.rates.forget();
      if (prometheus) warnings.push(`queue counts come from the management API: ${why}`);
      return this.fromManagement(warnings, { source: 'management', why: why ?? NO_PLUGIN });
    }
    return this.fromPlugin(plugin, overview, mapped, warnings);
  }

  /**
   * The plugin answers for every vhost, whoever asks: only the vhosts this user may use are theirs to see.
   * Every vhost has its amq.* exchanges, and /api/exchanges lists only those of such vhosts (/api/vhosts
   * lists all of them to a user with the monitoring tag). A vhost newer than the topology is asked about once.
   */
  private async visibleVhosts(reading: PrometheusReading): Promise<Set<string>> {
    const visible = new Set(this.topology!.read.exchanges.map((e) => e.vhost));
    const unknown = new Set<string>();
    for (const key of reading.queues.keys()) {
      const { vhost } = splitRefKey(key);
      if (!visible.has(vhost) && !this.vhostAccess.has(vhost)) unknown.add(vhost);
    }
    await eachLimited([...unknown], VHOST_ASK_CONCURRENCY, async (vhost) => {
      // Not answered: hidden for now, asked again next refresh.
      await this.options.client.mayUseVhost(vhost).then((allowed) => this.vhostAccess.set(vhost, allowed), () => undefined);
    });
    for (const [vhost, allowed] of this.vhostAccess) if (allowed) visible.add(vhost);
    return visible;
  }

  /** Why a reading of the plugin cannot be used, or null. */
  private unusable(reading: PrometheusReading, overview: OverviewResponse, nodes: NodeInput[]): string | null {
    const urls = (list: PrometheusReading['nodes']) => list.map((n) => n.url).join(', ');
    const ids = new Set(reading.nodes.map((n) => n.clusterId));
    if (ids.size > 1) return `the Prometheus plugins at ${urls(reading.nodes)} belong to different clusters: check their URLs`;
    // A plugin is this cluster's when it speaks for one of its nodes; without the node list (no monitoring
    // tag), when it names this cluster (a node that joined later still names its own, so this is weaker).
    const names = new Set(nodes.map((n) => n.name));
    const cluster = overview.cluster_name ?? null;
    const ours = names.size > 0 ? (n: PluginNode) => names.has(n.node) : (n: PluginNode) => cluster === null || n.cluster === cluster;
    const foreign = reading.nodes.filter((n) => !ours(n));
    if (foreign.length > 0)
      return `the Prometheus plugin at ${urls(foreign)} belongs to cluster ${foreign[0]!.cluster} (node ${foreign[0]!.node}), the management API to ${cluster ?? 'another'}: check its URL`;
    // Each node answers for its own queues: a running node without its plugin's answer would leave its queues out.
    const answered = new Set(reading.nodes.map((n) => n.node));
    const missing = nodes.filter((n) => n.running && !answered.has(n.name)).map((n) => n.name);
    if (missing.length > 0) return `no Prometheus plugin answered for node ${missing.join(', ')}, whose queues only its own plugin reports: add its URL`;
    return null;
  }

  /** Everything from the management API, as when there is no plugin. */
  private async fromManagement(warnings: string[], counts: CountsSource): Promise<BrokerReading> {
    // A whole read started for the plugin's reading is not done twice.
    if (this.slow) await this.slow.catch(() => undefined);
    const started = this.now();
    const due = this.topologyDue(started);
    const read = await readBroker(this.options.client, due ? undefined : this.topology?.read);
    if (due) this.topology = { read: read.topology, at: started, behind: read.topologyBehind };
    else if (this.topology) this.topology.behind = read.topologyBehind;
    // Who consumes was read whole just now: following it by plugin counts starts again from here.
    this.consumers.restart(read.inputs, started);
    this.vhostAccess.clear();
    return { inputs: read.inputs, warnings: [...warnings, ...read.warnings], topologyAt: this.topology!.at, topologyIntervalMs: this.topologyIntervalMs(), identityAt: started, counts };
  }

  /**
   * How often the topology and who consumes are read whole: TOPOLOGY_REFRESH_MS, stretched to three times
   * what the last whole read took (at 3000 hosts, 30–50 s of the management API's hardest lists), so that
   * the broker is not kept busy with it and the counts read in between stay quick.
   */
  topologyIntervalMs(): number {
    return Math.max(this.options.topologyIntervalMs, SLOW_READ_FACTOR * this.slowReadMs);
  }

  private topologyDue(t: number): boolean {
    const { refreshIntervalMs } = this.options;
    const topologyIntervalMs = this.topologyIntervalMs();
    const known = this.topology;
    return (
      !known ||
      t - known.at >= topologyIntervalMs ||
      // New queues without their bindings: catch up sooner, but not on every refresh of a churning cloud.
      (known.behind && t - known.at >= Math.max(refreshIntervalMs, topologyIntervalMs / 4))
    );
  }

  /**
   * Whether a node stopped or came back since the last refresh: replicated queues then elect leaders and
   * lose or regain members, which only the topology's queue metadata tells; it is read again at once.
   */
  private nodesChanged(nodes: readonly NodeInput[]): boolean {
    const running = nodes.filter((n) => n.running).map((n) => n.name).sort().join(' ');
    const changed = this.runningNodes !== null && running !== this.runningNodes;
    this.runningNodes = running;
    return changed;
  }

  /** The topology and who consumes, read whole; in the background once there is something to show. */
  private readSlow(enabled: boolean): Promise<void> {
    this.slow ??= (async () => {
      const started = this.now();
      const warnings: string[] = [];
      try {
        const [topology, identity] = await Promise.all([readTopology(this.options.client), readIdentity(this.options.client, enabled, warnings)]);
        this.topology = { read: topology, at: started, behind: false };
        this.consumers.restart(identity, started);
        this.slowReadMs = this.now() - started;
        this.identityStale = false;
        this.vhostAccess.clear();
        this.slowFailure = warnings.length > 0 ? warnings.join('; ') : null;
      } catch (err) {
        this.slowFailure = `exchanges, bindings and who consumes could not be read again (${err instanceof Error ? err.message : String(err)}): shown as last read`;
        if (!this.topology) throw err;
      } finally {
        this.slow = null;
      }
    })();
    return this.slow;
  }

  private async fromPlugin(reading: PrometheusReading, overview: OverviewResponse, nodes: NodeInput[], warnings: string[]): Promise<BrokerReading> {
    const enabled = statsEnabled(overview);
    const nodesChanged = this.nodesChanged(nodes);
    let wholeReadWaitMs = 0;
    if (!this.topology || this.consumers.identityAt() === null) {
      const started = this.now();
      await this.readSlow(enabled);
      wholeReadWaitMs = this.now() - started;
    }
    else if (this.identityStale || this.topologyDue(reading.at) || nodesChanged) void this.readSlow(enabled).catch(() => undefined);
    if (this.slowFailure) warnings.push(this.slowFailure);
    const topology = this.topology!;

    const visible = await this.visibleVhosts(reading);
    for (const key of reading.queues.keys()) if (!visible.has(splitRefKey(key).vhost)) reading.queues.delete(key);
    // Without statistics the broker gives no consumers, whole or per queue: there is nothing to follow.
    if (enabled) {
      try {
        if ((await this.consumers.follow(reading)) === 'too-many') {
          // A broker restart or a cloud reconnecting: read it all again, in the background.
          this.identityStale = true;
          void this.readSlow(enabled).catch(() => undefined);
        }
      } catch (err) {
        // The counts are good; who consumes is as last known until the next whole read, which comes now.
        warnings.push(`who consumes could not be followed (${err instanceof Error ? err.message : String(err)}): it is read again whole`);
        this.identityStale = true;
      }
    }
    this.rates.refresh(reading.nodes.map((n) => n.url));
    const rates = this.rates.rates();

    const queues: QueueInput[] = [];
    let behind = false;
    for (const [key, counts] of reading.queues) {
      const meta = topology.read.queues.get(key);
      if (!meta) behind = true;
      const { vhost, name } = splitRefKey(key);
      const q = mapQueue(meta ?? { vhost, name }, true);
      q.messagesReady = counts.ready;
      q.messagesUnacknowledged = counts.unacked;
      q.consumers = counts.consumers;
      q.rates = rates ? (rates.get(key) ?? ZERO_RATES) : null;
      q.idleSince = this.idle.idleSince(key, q, reading.at);
      queues.push(q);
    }
    topology.behind ||= behind;
    this.idle.keepOnly(reading.queues);

    const base = mapOverview(overview);
    return {
      inputs: {
        // The management API's statistics where it has them; without, the plugin's rates summed (each queue counts a copy).
        overview: enabled ? base : { ...base, statsEnabled: true, ratesMode: 'prometheus plugin', rates: rates ? sumRates(queues.map((q) => q.rates)) : null },
        nodes,
        vhosts: topology.read.vhosts,
        exchanges: topology.read.exchanges,
        queues,
        bindings: topology.read.bindings,
        policies: topology.read.policies,
        deprecatedFeatures: topology.read.deprecatedFeatures,
        ...this.consumers.lists(),
      },
      warnings,
      topologyAt: topology.at,
      topologyIntervalMs: this.topologyIntervalMs(),
      identityAt: this.consumers.identityAt()!,
      wholeReadWaitMs,
      counts: { source: 'prometheus', why: `read from ${reading.nodes.length === 1 ? 'the plugin' : `${reading.nodes.length} nodes' plugins`} (${reading.nodes.map((n) => n.url).join(', ')})` },
    };
  }
}
