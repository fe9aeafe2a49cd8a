// What each list and detail page shows, selected from one refresh's state: filtering,
// sorting, paging and the joins of each page, all through the topology's index. Pure:
// domain objects in, domain objects out; lib/api maps them to the API's shapes.
import { exchangeMatches } from './exchanges';
import { compareNatural } from './format';
import { compareHealth } from './health';
import { compareProcesses, processMatches } from './process';
import type { OpenFinding } from './findings/engine';
import { refKey } from './keys';
import { routeMessage } from './routing';
import type { ServiceRow } from './services';
import { waitingMessages } from './streams';
import { type ClusterState, hostOfProcess } from './state';
import type { BindingInput, Channel, ComponentSummary, Connection, Consumer, Exchange, NodeInput, Process, Queue, QueueRef, Topology } from './types';
import { EXCHANGE_GROUPS, type ExchangeGroup, type QueueKind, type QueueSortKey, type SortOrder } from './vocabulary';

export interface QueueFilter {
  kind?: QueueKind;
  component?: string;
  host?: string;
  vhost?: string;
  /** Case-insensitive substring of the name. */
  q?: string;
  sort: QueueSortKey;
  order: SortOrder;
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  /** Matching the filters, before paging or cutting. */
  filtered: number;
  total: number;
}

/** How much a detail page lists per kind of queue, and of each row's processes. */
export interface DetailLimits {
  queues: number;
  processesPerQueue: number;
}
export const DETAIL_LIMITS: Readonly<DetailLimits> = Object.freeze({ queues: 50, processesPerQueue: 5 });

/** Worst first: by health, then by backlog, then by name. */
function compareTrouble(state: ClusterState): (a: Queue, b: Queue) => number {
  const backlog = (q: Queue) => (waitingMessages(q) ?? 0) + (q.messagesUnacknowledged ?? 0);
  return (a, b) => compareHealth(state.health.of(a), state.health.of(b)) || backlog(b) - backlog(a) || a.name.localeCompare(b.name);
}

function sortValue(q: Queue, key: QueueSortKey): number | string {
  switch (key) {
    case 'name':
      return q.name;
    case 'messagesReady':
      // A stream's messages are what it retains: it sorts with the queues where nothing waits.
      return waitingMessages(q) ?? -1;
    case 'messagesUnacknowledged':
    case 'consumers':
      return q[key] ?? -1;
    default:
      // Unknown rates sort below every known one.
      return q.rates ? q.rates[key] : -1;
  }
}

export function filterQueues(topology: Topology, f: QueueFilter): Page<Queue> {
  const needle = f.q?.toLowerCase();
  const candidates = f.host !== undefined ? topology.index.queuesOfHost(f.host) : topology.queues;
  const matching = candidates.filter(
    (q) =>
      (!f.kind || q.kind === f.kind) &&
      (!f.component || q.component === f.component) &&
      (!f.vhost || q.vhost === f.vhost) &&
      (!needle || q.name.toLowerCase().includes(needle)),
  );
  const direction = f.order === 'asc' ? 1 : -1;
  const keyed = matching.map((q) => ({ q, v: sortValue(q, f.sort) }));
  keyed.sort((a, b) => {
    const c = typeof a.v === 'string' && typeof b.v === 'string' ? a.v.localeCompare(b.v) : (a.v as number) - (b.v as number);
    return c * direction || a.q.name.localeCompare(b.q.name);
  });
  const start = (f.page - 1) * f.pageSize;
  return { items: keyed.slice(start, start + f.pageSize).map(({ q }) => q), filtered: matching.length, total: topology.queues.length };
}

/** A node down, in a memory or disk alarm, or partitioned: worth an alarm in the header. */
export function nodeInTrouble(n: NodeInput): boolean {
  return n.memAlarm || n.diskFreeAlarm || !n.running || n.partitions.length > 0;
}

export function queueFacets(topology: Topology): { components: string[]; hosts: string[]; vhosts: string[] } {
  return { components: topology.components.map((c) => c.name), hosts: [...topology.index.hosts()], vhosts: [...topology.vhosts] };
}

export function exchangeGroupCounts(exchanges: readonly Exchange[]): Record<ExchangeGroup, number> {
  const counts = Object.fromEntries(EXCHANGE_GROUPS.map((g) => [g, 0])) as Record<ExchangeGroup, number>;
  for (const e of exchanges) counts[e.group]++;
  return counts;
}

/** Exchanges matching the filters, by name (natural order), then vhost. */
export function filterExchanges(topology: Topology, f: { group?: ExchangeGroup; vhost?: string; q?: string }): Exchange[] {
  return topology.exchanges
    .filter((e) => (!f.group || e.group === f.group) && (!f.vhost || e.vhost === f.vhost) && exchangeMatches(e, f.q ?? ''))
    .sort((a, b) => compareNatural(a.name, b.name) || compareNatural(a.vhost, b.vhost));
}

export function exchangeDetail(topology: Topology, vhost: string, name: string): { exchange: Exchange; bindings: readonly BindingInput[]; queues: Queue[] } | null {
  const { index } = topology;
  const exchange = index.exchange(vhost, name);
  if (!exchange) return null;
  const bindings = index.bindingsFrom(vhost, name);
  const queueNames = new Set(bindings.filter((b) => b.destinationType === 'queue').map((b) => b.destination));
  const queues = [...queueNames].map((n) => index.queue(vhost, n)).filter((q): q is Queue => q !== undefined);
  return { exchange, bindings, queues };
}

/** The processes named by the first `perQueue` consumers of each queue: what a page needs to show them. */
export function processesOfQueues(topology: Topology, queues: readonly (Queue | null)[], perQueue: number): Process[] {
  const ids = new Set<string>();
  for (const q of queues) for (const id of q?.processIds.slice(0, perQueue) ?? []) ids.add(id);
  return topology.index.processesOf([...ids]);
}

export interface TopicView {
  vhost: string;
  name: string;
  sharedQueue: Queue | null;
  /** The worst first `limit` of them. */
  serverQueues: Queue[];
  serverQueueTotal: number;
  fanoutQueues: Queue[];
  fanoutQueueTotal: number;
  consumers: number;
  backlog: ComponentSummary['backlog'];
  rates: ComponentSummary['rates'];
}

export interface ComponentView {
  component: ComponentSummary;
  topics: TopicView[];
  notificationQueues: Queue[];
  notificationQueueTotal: number;
  /** The processes the listed queues name (their first `processesPerQueue` consumers). */
  processes: Process[];
  /** Every process consuming any of its queues. */
  processCount: number;
  /** Without statistics the broker gives no queue lengths or consumers: the sums mean nothing. */
  statsEnabled: boolean;
}

/**
 * A component's page: its topics with their queues, worst first and at most `limits.queues`
 * of each kind (with the totals), and the processes the listed rows name.
 */
export function componentDetail(state: ClusterState, name: string, limits: DetailLimits = DETAIL_LIMITS): ComponentView | null {
  const { topology } = state;
  const { index } = topology;
  const component = topology.components.find((c) => c.name === name);
  if (!component) return null;
  const worstFirst = compareTrouble(state);
  const worst = (vhost: string, names: readonly string[]) =>
    names
      .map((n) => index.queue(vhost, n))
      .filter((q): q is Queue => q !== undefined)
      .sort(worstFirst)
      .slice(0, limits.queues);
  const topics: TopicView[] = topology.topics
    .filter((t) => t.component === name)
    .map((t) => ({
      vhost: t.vhost,
      name: t.name,
      sharedQueue: (t.sharedQueue ? index.queue(t.vhost, t.sharedQueue) : undefined) ?? null,
      serverQueues: worst(t.vhost, t.serverQueues),
      serverQueueTotal: t.serverQueues.length,
      fanoutQueues: worst(t.vhost, t.fanoutQueues),
      fanoutQueueTotal: t.fanoutQueues.length,
      consumers: t.consumers,
      backlog: t.backlog,
      rates: t.rates,
    }));
  const notifications = topology.queues.filter((q) => q.component === name && q.kind === 'notification');
  const notificationQueues = [...notifications].sort(worstFirst).slice(0, limits.queues);

  const consuming = new Set<string>();
  for (const q of topology.queues) if (q.component === name && q.kind !== 'reply') for (const id of q.processIds) consuming.add(id);
  const listed = [...topics.flatMap((t) => [t.sharedQueue, ...t.serverQueues, ...t.fanoutQueues]), ...notificationQueues];
  return {
    component,
    topics,
    notificationQueues,
    notificationQueueTotal: notifications.length,
    processes: processesOfQueues(topology, listed, limits.processesPerQueue),
    processCount: consuming.size,
    statsEnabled: topology.overview.statsEnabled,
  };
}

export interface RouteView {
  vhost: string;
  exchange: string;
  routingKey: string;
  exchanges: string[];
  notes: string[];
  matchedBindings: number;
  queueTotal: number;
  /** The worst first `limits.queues` of the queues reached, with how each was reached. */
  queues: { queue: Queue; through: string[]; bindingKey: string | null }[];
  processes: Process[];
}

/**
 * Where a message published to an exchange with a routing key goes: the queues (worst first,
 * at most `limits.queues`, with how each was reached), who consumes them, and notes.
 */
export function routeView(state: ClusterState, vhost: string, exchange: string, routingKey: string, limits: DetailLimits = DETAIL_LIMITS): RouteView | null {
  const { topology } = state;
  const route = routeMessage(topology, vhost, exchange, routingKey);
  if (!route) return null;
  const how = new Map(route.queues.map((r) => [r.name, r]));
  const queues = route.queues
    .map((r) => topology.index.queue(vhost, r.name))
    .filter((q): q is Queue => q !== undefined)
    .sort(compareTrouble(state))
    .slice(0, limits.queues);
  return {
    vhost,
    exchange,
    routingKey,
    exchanges: route.exchanges,
    notes: route.notes,
    matchedBindings: route.matched.length,
    queueTotal: route.queues.length,
    queues: queues.map((queue) => ({ queue, through: how.get(queue.name)!.through, bindingKey: how.get(queue.name)!.bindingKey })),
    processes: processesOfQueues(topology, queues, limits.processesPerQueue),
  };
}

export interface ConsumerView {
  consumer: Consumer;
  process: Process | null;
  connection: Connection | null;
  channel: Channel | null;
}

export interface QueueDetailView {
  queue: Queue;
  bindings: readonly BindingInput[];
  consumers: ConsumerView[];
  /** A stream's entries left by closed channels (lib/domain/streams.ts): not consumers. */
  staleConsumers: readonly Consumer[];
}

export function queueDetail(topology: Topology, vhost: string, name: string): QueueDetailView | null {
  const { index } = topology;
  const queue = index.queue(vhost, name);
  if (!queue) return null;
  const consumers = index.consumersOf(vhost, name).map((c) => ({
    consumer: c,
    process: (c.processId ? index.process(c.processId) : undefined) ?? null,
    connection: (c.connectionName ? index.connection(c.connectionName) : undefined) ?? null,
    channel: (c.channelName ? index.channel(c.channelName) : undefined) ?? null,
  }));
  return { queue, bindings: index.bindingsTo(vhost, name), consumers, staleConsumers: index.staleConsumersOf(vhost, name) };
}

export interface ProcessView {
  process: Process;
  connections: { connection: Connection; channels: readonly Channel[] }[];
  consumes: Queue[];
  replyQueues: Queue[];
}

export function processDetail(topology: Topology, id: string): ProcessView | null {
  const { index } = topology;
  const process = index.process(id);
  if (!process) return null;
  const queues = (refs: readonly QueueRef[]) => refs.map((r) => index.queue(r.vhost, r.name)).filter((q): q is Queue => q !== undefined);
  return {
    process,
    connections: process.connections
      .map((name) => index.connection(name))
      .filter((c): c is Connection => c !== undefined)
      .map((connection) => ({ connection, channels: index.channelsOf(connection.name) })),
    consumes: queues(process.consumes),
    replyQueues: queues(process.replyQueues),
  };
}

/** The process list: those matching `q` (and connected in `vhost`), sorted, the first `limit` of them. */
export function listProcesses(topology: Topology, f: { q?: string; vhost?: string; limit: number }): Page<Process> {
  const matching = topology.processes.filter((p) => (!f.vhost || p.vhosts.includes(f.vhost)) && processMatches(p, f.q ?? '')).sort(compareProcesses);
  return { items: matching.slice(0, f.limit), filtered: matching.length, total: topology.processes.length };
}

export interface HostView {
  host: string;
  /** Its processes, each with its connections and the queues it consumes. */
  processes: ProcessView[];
  /** Its per-server RPC queues (consumed or not), as the service list shows them. */
  services: ServiceRow[];
  /** The queues named after it that are not per-server RPC queues (fanout, notification). */
  otherQueues: Queue[];
  findings: OpenFinding[];
}

/** Everything on one hypervisor or controller now; empty (not null) for a host gone or never seen: its history stays. */
export function hostDetail(state: ClusterState, host: string): HostView {
  const { topology } = state;
  const processes = topology.processes
    .filter((p) => hostOfProcess(state, p.id) === host)
    .sort(compareProcesses)
    .map((p) => processDetail(topology, p.id))
    .filter((v): v is ProcessView => v !== null);
  const services = state.services.filter((r) => r.host === host);
  const serverQueues = new Set(services.map((r) => refKey(r.vhost, r.serverQueue)));
  const otherQueues = topology.queues.filter((q) => q.host === host && !serverQueues.has(refKey(q.vhost, q.name)));
  return { host, processes, services, otherQueues, findings: state.findings.open.filter((f) => f.host === host) };
}
