import 'server-only';
// Raw management API answers → domain inputs. Pure; each mapper tested with upstream-shaped data.
import type {
  BindingInput,
  ChannelInput,
  ChurnRates,
  HistorySample,
  ConnectionInput,
  ConsumerInput,
  DeprecatedFeatureInput,
  ExchangeInput,
  MessageRates,
  NodeInput,
  OverviewInput,
  PolicyInput,
  QueueInput,
} from '@/lib/domain/types';
import type {
  BindingResponse,
  ChannelResponse,
  ConnectionResponse,
  ConsumerResponse,
  DeprecatedFeatureResponse,
  ExchangeResponse,
  NodeResponse,
  OverviewHistoryResponse,
  OverviewResponse,
  PolicyResponse,
  QueueHistoryResponse,
  QueueResponse,
} from './schemas';
import type { z } from 'zod';
import type { messageStatsResponse } from './schemas';

type MessageStats = z.infer<typeof messageStatsResponse>;

/** Whether the broker collects message rates at all. */
export function statsEnabled(overview: OverviewResponse): boolean {
  return overview.disable_stats !== true && overview.rates_mode !== 'none';
}

/**
 * Rates from `message_stats`. A broker that collects stats omits `message_stats`
 * for an object that never saw a message: that is zero, not unknown.
 */
export function mapRates(stats: MessageStats | null | undefined, enabled: boolean): MessageRates | null {
  if (!enabled) return null;
  return {
    publish: stats?.publish_details?.rate ?? 0,
    deliver: stats?.deliver_get_details?.rate ?? 0,
    ack: stats?.ack_details?.rate ?? 0,
    redeliver: stats?.redeliver_details?.rate ?? 0,
  };
}

export function mapOverview(o: OverviewResponse): OverviewInput {
  const enabled = statsEnabled(o);
  return {
    rabbitmqVersion: o.rabbitmq_version ?? null,
    managementVersion: o.management_version ?? null,
    erlangVersion: o.erlang_version ?? null,
    clusterName: o.cluster_name ?? null,
    ratesMode: o.rates_mode ?? null,
    statsEnabled: enabled,
    rates: mapRates(o.message_stats, enabled),
    defaultQueueType: o.default_queue_type ?? null,
    churn: mapChurn(o.churn_rates),
  };
}

function mapChurn(c: OverviewResponse['churn_rates']): ChurnRates | null {
  const opened = c?.connection_created_details?.rate;
  const declared = c?.queue_declared_details?.rate;
  if (opened === undefined || declared === undefined) return null;
  return {
    connectionsOpened: opened,
    connectionsClosed: c?.connection_closed_details?.rate ?? 0,
    queuesDeclared: declared,
    queuesCreated: c?.queue_created_details?.rate ?? 0,
  };
}

export function mapNode(n: NodeResponse): NodeInput {
  return {
    name: n.name,
    running: n.running ?? false,
    type: n.type ?? null,
    memAlarm: n.mem_alarm ?? false,
    diskFreeAlarm: n.disk_free_alarm ?? false,
    partitions: n.partitions ?? [],
    memUsed: n.mem_used ?? null,
    memLimit: n.mem_limit ?? null,
    fdUsed: n.fd_used ?? null,
    fdTotal: n.fd_total ?? null,
    uptimeMs: n.uptime ?? null,
    beingDrained: n.being_drained ?? null,
  };
}

export function mapDeprecatedFeature(f: DeprecatedFeatureResponse): DeprecatedFeatureInput {
  return { name: f.name, phase: f.deprecation_phase ?? null, docUrl: f.doc_url || null };
}

export function mapPolicy(p: PolicyResponse): PolicyInput {
  return { vhost: p.vhost, name: p.name, pattern: p.pattern, applyTo: p['apply-to'] ?? 'all', priority: p.priority ?? 0, definition: p.definition ?? {} };
}

export function mapExchange(e: ExchangeResponse): ExchangeInput {
  return {
    vhost: e.vhost,
    name: e.name,
    type: e.type,
    durable: e.durable ?? false,
    autoDelete: e.auto_delete ?? false,
    internal: e.internal ?? false,
    arguments: e.arguments ?? {},
  };
}

export function mapQueue(q: QueueResponse, enabled: boolean): QueueInput {
  const args = q.arguments ?? {};
  const declaredType = typeof args['x-queue-type'] === 'string' ? (args['x-queue-type'] as string) : null;
  return {
    vhost: q.vhost,
    name: q.name,
    type: q.type ?? declaredType ?? 'classic',
    durable: q.durable ?? false,
    autoDelete: q.auto_delete ?? false,
    exclusive: q.exclusive ?? false,
    arguments: args,
    node: q.leader || q.node || null,
    ...replicas(q),
    // Read without statistics the broker says `live` for what it otherwise calls `running`.
    state: q.state === 'live' ? 'running' : (q.state ?? null),
    messagesReady: q.messages_ready ?? null,
    messagesUnacknowledged: q.messages_unacknowledged ?? null,
    consumers: q.consumers ?? null,
    rates: mapRates(q.message_stats, enabled),
    idleSince: q.idle_since ? parseIdleSince(q.idle_since) : null,
  };
}

/**
 * RabbitMQ's idle_since as epoch ms: "2024-05-01T10:20:30.123+00:00" on recent versions,
 * "2024-05-01 10:20:30" (UTC) on older ones; null for what neither is.
 */
export function parseIdleSince(s: string): number | null {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Leader, members and online members of a replicated queue; nothing for a classic one. */
function replicas(q: QueueResponse): Pick<QueueInput, 'leader' | 'members' | 'online' | 'segments'> {
  if (q.members === undefined || q.members === null) return q.segments === undefined ? {} : { segments: q.segments ?? null };
  // An empty leader means none is elected (a quorum lost); RabbitMQ 3.x omits it then.
  return { leader: q.leader || null, members: q.members, online: q.online ?? null, segments: q.segments ?? null };
}

export function mapBinding(b: BindingResponse): BindingInput {
  return { vhost: b.vhost, source: b.source, destination: b.destination, destinationType: b.destination_type, routingKey: b.routing_key };
}

export function mapConsumer(c: ConsumerResponse): ConsumerInput {
  return {
    vhost: c.queue.vhost,
    queue: c.queue.name,
    consumerTag: c.consumer_tag,
    ackRequired: c.ack_required ?? true,
    prefetchCount: c.prefetch_count ?? 0,
    active: c.active ?? true,
    channelName: c.channel_details?.name ?? null,
    connectionName: c.channel_details?.connection_name ?? null,
  };
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function mapConnection(c: ConnectionResponse): ConnectionInput {
  const props = c.client_properties ?? {};
  return {
    name: c.name,
    vhost: c.vhost ?? '/',
    user: c.user ?? '',
    node: c.node ?? null,
    peerHost: c.peer_host ?? 'unknown',
    peerPort: c.peer_port ?? null,
    state: c.state ?? 'unknown',
    connectedAt: c.connected_at ?? null,
    clientConnectionName: text(props.connection_name) ?? text(c.user_provided_name),
    product: text(props.product),
    productVersion: text(props.product_version),
    platform: text(props.platform),
    channels: c.channels ?? 0,
  };
}

export function mapChannel(ch: ChannelResponse, enabled: boolean): ChannelInput {
  return {
    name: ch.name,
    connectionName: ch.connection_details?.name ?? '',
    number: ch.number ?? 0,
    prefetchCount: ch.prefetch_count ?? 0,
    state: ch.state ?? null,
    consumerCount: ch.consumer_count ?? 0,
    messagesUnacknowledged: ch.messages_unacknowledged ?? 0,
    rates: mapRates(ch.message_stats, enabled),
    globalPrefetchCount: ch.global_prefetch_count ?? null,
  };
}

// ---------------------------------------------------------------- the broker's own history

type BrokerSample = { sample: number; timestamp: number };
type LengthField = 'ready' | 'unacknowledged';
type RateField = 'publish' | 'deliver' | 'ack' | 'redeliver';

/** `message_stats` with history, as the broker answers it for the overview and for one queue. */
export interface MessageStatsSamples {
  publish_details?: { samples?: BrokerSample[] } | null;
  deliver_get_details?: { samples?: BrokerSample[] } | null;
  ack_details?: { samples?: BrokerSample[] } | null;
  redeliver_details?: { samples?: BrokerSample[] } | null;
}

/**
 * The broker's `*_details.samples` (newest first) as one list by time. Length
 * samples are values; message_stats samples are running counters, turned into
 * per-second rates between neighbours.
 */
export function mergeBrokerSamples(
  lengths: { ready?: BrokerSample[]; unacknowledged?: BrokerSample[] },
  stats: MessageStatsSamples | null | undefined,
): HistorySample[] {
  const counters: Record<RateField, BrokerSample[] | undefined> = {
    publish: stats?.publish_details?.samples,
    deliver: stats?.deliver_get_details?.samples,
    ack: stats?.ack_details?.samples,
    redeliver: stats?.redeliver_details?.samples,
  };
  const byTime = new Map<number, HistorySample>();
  const row = (t: number): HistorySample => {
    let r = byTime.get(t);
    if (!r) {
      r = { t, ready: null, unacknowledged: null, publish: null, deliver: null, ack: null, redeliver: null };
      byTime.set(t, r);
    }
    return r;
  };
  for (const [field, samples] of Object.entries(lengths) as [LengthField, BrokerSample[] | undefined][]) {
    for (const s of samples ?? []) row(s.timestamp)[field] = s.sample;
  }
  for (const [field, samples] of Object.entries(counters) as [RateField, BrokerSample[] | undefined][]) {
    const ascending = [...(samples ?? [])].sort((a, b) => a.timestamp - b.timestamp);
    for (let i = 1; i < ascending.length; i++) {
      const prev = ascending[i - 1]!;
      const cur = ascending[i]!;
      const seconds = (cur.timestamp - prev.timestamp) / 1000;
      if (seconds > 0) row(cur.timestamp)[field] = Math.max(0, (cur.sample - prev.sample) / seconds);
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The broker's recent totals (GET /api/overview with history), oldest first. */
export function mapOverviewHistory(h: OverviewHistoryResponse): HistorySample[] {
  return mergeBrokerSamples(
    { ready: h.queue_totals?.messages_ready_details?.samples, unacknowledged: h.queue_totals?.messages_unacknowledged_details?.samples },
    h.message_stats,
  );
}

/** One queue's recent samples as the broker keeps them, oldest first. */
export function mapQueueHistory(h: QueueHistoryResponse): HistorySample[] {
  return mergeBrokerSamples({ ready: h.messages_ready_details?.samples, unacknowledged: h.messages_unacknowledged_details?.samples }, h.message_stats);
}
