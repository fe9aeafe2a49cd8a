// Read-only views of the model for the API and pages: filtering, paging,
// and the joins each detail page shows. Pure: the model in, plain data out.
import type { Exchange, ExchangeGroup, NodeInput, Process, ProcessRow, Queue, QueueKind, QueueRow, TopicDetail, Topology } from './types';
import { compareProcesses, processMatches } from './process';
import { routeMessage } from './routing';
import { VhostIndex } from './topology';

export const QUEUE_SORT_KEYS = ['name', 'messagesReady', 'messagesUnacknowledged', 'consumers', 'publish', 'deliver', 'ack', 'redeliver'] as const;
export type QueueSortKey = (typeof QUEUE_SORT_KEYS)[number];

export interface QueueFilter {
  kind?: QueueKind;
  component?: string;
  host?: string;
  vhost?: string;
  /** Case-insensitive substring of the name. */
  q?: string;
  sort: QueueSortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export function toQueueRow(q: Queue): QueueRow {
  const { arguments: _a, exclusive: _e, ...row } = q;
  return { ...row, processCount: q.processIds.length };
}

/** A row for a detail page: a shared queue of 1000 hosts lists its first processes, and says how many. */
function shortRow(q: Queue, maxProcesses: number): QueueRow {
  const row = toQueueRow(q);
  if (row.processIds.length > maxProcesses) row.processIds = row.processIds.slice(0, maxProcesses);
  return row;
}

/** Worst first: without consumer, then by backlog, then by name. */
function compareTrouble(a: Queue, b: Queue): number {
  const idle = (q: Queue) => ((q.consumers ?? 0) === 0 ? 0 : 1);
  const backlog = (q: Queue) => (q.messagesReady ?? 0) + (q.messagesUnacknowledged ?? 0);
  return idle(a) - idle(b) || backlog(b) - backlog(a) || a.name.localeCompare(b.name);
}

/** How much a component page lists per kind of queue, and of each row's processes. */
const DETAIL_LIMITS = { queues: 50, processesPerQueue: 5 };

function sortValue(q: Queue, key: QueueSortKey): number | string {
  switch (key) {
    case 'name':
      return q.name;
    case 'messagesReady':
    case 'messagesUnacknowledged':
    case 'consumers':
      return q[key] ?? -1;
    default:
      // Unknown rates sort below every known one.
      return q.rates ? q.rates[key] : -1;
  }
}

export function filterQueues(topology: Topology, f: QueueFilter): { items: QueueRow[]; filtered: number; total: number } {
  const needle = f.q?.toLowerCase();
  const matching = topology.queues.filter(
    (q) =>
      (!f.kind || q.kind === f.kind) &&
      (!f.component || q.component === f.component) &&
      (!f.host || q.host === f.host || q.processIds.some((id) => processHost(topology, id) === f.host)) &&
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
  return {
    items: keyed.slice(start, start + f.pageSize).map(({ q }) => toQueueRow(q)),
    filtered: matching.length,
    total: topology.queues.length,
  };
}

const processIndex = new WeakMap<Topology, Map<string, Process>>();
/** A node down, in a memory or disk alarm, or partitioned: worth an alarm in the header. */
export function nodeInTrouble(n: NodeInput): boolean {
  return n.memAlarm || n.diskFreeAlarm || !n.running || n.partitions.length > 0;
}

export function processById(topology: Topology, id: string): Process | undefined {
  let index = processIndex.get(topology);
  if (!index) {
    index = new Map(topology.processes.map((p) => [p.id, p]));
    processIndex.set(topology, index);
  }
  return index.get(id);
}

function processHost(topology: Topology, id: string): string | null {
  return processById(topology, id)?.host ?? null;
}

const queueIndex = new WeakMap<Topology, VhostIndex<Queue>>();
export function queueByName(topology: Topology, vhost: string, name: string): Queue | undefined {
  let index = queueIndex.get(topology);
  if (!index) {
    index = new VhostIndex(topology.queues);
    queueIndex.set(topology, index);
  }
  return index.get(vhost, name);
}

export function queueFacets(topology: Topology): { components: string[]; hosts: string[]; vhosts: string[] } {
  const hosts = new Set<string>();
  for (const q of topology.queues) if (q.host) hosts.add(q.host);
  for (const p of topology.processes) if (p.host) hosts.add(p.host);
  return {
    components: topology.components.map((c) => c.name),
    hosts: [...hosts].sort(),
    vhosts: topology.vhosts,
  };
}

export function exchangeGroupCounts(exchanges: Exchange[]): Record<ExchangeGroup, number> {
  const counts: Record<ExchangeGroup, number> = { component: 0, reply: 0, fanout: 0, builtin: 0, other: 0 };
  for (const e of exchanges) counts[e.group]++;
  return counts;
}

export function filterExchanges(topology: Topology, f: { group?: ExchangeGroup; vhost?: string; q?: string }): Exchange[] {
  const needle = f.q?.toLowerCase();
  return topology.exchanges
    .filter((e) => (!f.group || e.group === f.group) && (!f.vhost || e.vhost === f.vhost) && (!needle || e.name.toLowerCase().includes(needle)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function exchangeDetail(topology: Topology, vhost: string, name: string) {
  const exchange = topology.exchanges.find((e) => e.vhost === vhost && e.name === name);
  if (!exchange) return null;
  const bindings = topology.bindings.filter((b) => b.vhost === vhost && b.source === name);
  const queueNames = new Set(bindings.filter((b) => b.destinationType === 'queue').map((b) => b.destination));
  const queues = [...queueNames]
    .map((n) => queueByName(topology, vhost, n))
    .filter((q): q is Queue => q !== undefined)
    .map(toQueueRow);
  return { exchange, bindings, queues };
}

/**
 * A component's page: its topics with their queues, worst first and at most `limits.queues`
 * of each kind (with the totals), and the processes the listed rows name.
 */
export function componentDetail(topology: Topology, name: string, limits = DETAIL_LIMITS) {
  const component = topology.components.find((c) => c.name === name);
  if (!component) return null;
  const worst = (vhost: string, names: string[]) =>
    names
      .map((n) => queueByName(topology, vhost, n))
      .filter((q): q is Queue => q !== undefined)
      .sort(compareTrouble)
      .slice(0, limits.queues)
      .map((q) => shortRow(q, limits.processesPerQueue));
  const topics: TopicDetail[] = topology.topics
    .filter((t) => t.component === name)
    .map((t) => {
      const shared = t.sharedQueue ? queueByName(topology, t.vhost, t.sharedQueue) : undefined;
      return {
        vhost: t.vhost,
        name: t.name,
        sharedQueue: shared ? shortRow(shared, limits.processesPerQueue) : null,
        serverQueues: worst(t.vhost, t.serverQueues),
        serverQueueTotal: t.serverQueues.length,
        fanoutQueues: worst(t.vhost, t.fanoutQueues),
        fanoutQueueTotal: t.fanoutQueues.length,
        consumers: t.consumers,
        backlog: t.backlog,
        rates: t.rates,
      };
    });
  const notifications = topology.queues.filter((q) => q.component === name && q.kind === 'notification');
  const notificationQueues = [...notifications].sort(compareTrouble).slice(0, limits.queues).map((q) => shortRow(q, limits.processesPerQueue));

  // Every process consuming any of its queues is counted; only those the rows name are sent.
  const consuming = new Set<string>();
  for (const q of topology.queues) if (q.component === name && q.kind !== 'reply') for (const id of q.processIds) consuming.add(id);
  const processes = processesOfRows(topology, [...topics.flatMap((t) => [t.sharedQueue, ...t.serverQueues, ...t.fanoutQueues]), ...notificationQueues]);
  return {
    component,
    topics,
    notificationQueues,
    notificationQueueTotal: notifications.length,
    processes,
    processCount: consuming.size,
    /** Without statistics the broker gives no queue lengths or consumers: the sums above mean nothing. */
    statsEnabled: topology.overview.statsEnabled,
  };
}

/** The processes the rows name, by id: what a page needs to show them. */
function processesOfRows(topology: Topology, rows: (QueueRow | null)[]): Record<string, Process> {
  const processes: Record<string, Process> = {};
  for (const q of rows) {
    for (const id of q?.processIds ?? []) {
      const p = processById(topology, id);
      if (p) processes[id] = p;
    }
  }
  return processes;
}

/**
 * Where a message published to an exchange with a routing key goes: the queues (worst first,
 * at most `limits.queues`, with how each was reached), who consumes them, and notes.
 */
export function routeView(topology: Topology, vhost: string, exchange: string, routingKey: string, limits = DETAIL_LIMITS) {
  const route = routeMessage(topology, vhost, exchange, routingKey);
  if (!route) return null;
  const how = new Map(route.queues.map((r) => [r.name, r]));
  const queues = route.queues
    .map((r) => queueByName(topology, vhost, r.name))
    .filter((q): q is Queue => q !== undefined)
    .sort(compareTrouble)
    .slice(0, limits.queues)
    .map((q) => ({ ...shortRow(q, limits.processesPerQueue), through: how.get(q.name)!.through, bindingKey: how.get(q.name)!.bindingKey }));
  return {
    vhost,
    exchange,
    routingKey,
    exchanges: route.exchanges,
    notes: route.notes,
    matchedBindings: route.matched.length,
    queueTotal: route.queues.length,
    queues,
    processes: processesOfRows(topology, queues),
  };
}

export function queueDetail(topology: Topology, vhost: string, name: string) {
  const queue = queueByName(topology, vhost, name);
  if (!queue) return null;
  const bindings = topology.bindings.filter((b) => b.vhost === vhost && b.destinationType === 'queue' && b.destination === name);
  const connections = new Map(topology.connections.map((c) => [c.name, c]));
  const channels = new Map(topology.channels.map((c) => [c.name, c]));
  const consumers = topology.consumers
    .filter((c) => c.vhost === vhost && c.queue === name)
    .map((c) => ({
      ...c,
      process: c.processId ? processById(topology, c.processId) ?? null : null,
      connection: c.connectionName ? connections.get(c.connectionName) ?? null : null,
      channel: c.channelName ? channels.get(c.channelName) ?? null : null,
    }));
  return { queue, bindings, consumers };
}

export function processDetail(topology: Topology, id: string) {
  const process = processById(topology, id);
  if (!process) return null;
  const names = new Set(process.connections);
  const connections = topology.connections
    .filter((c) => names.has(c.name))
    .map((c) => ({ ...c, channelDetails: topology.channels.filter((ch) => ch.connectionName === c.name) }));
  const rows = (refs: { vhost: string; name: string }[]) =>
    refs.map((r) => queueByName(topology, r.vhost, r.name)).filter((q): q is Queue => q !== undefined).map(toQueueRow);
  return { process, connections, consumes: rows(process.consumes), replyQueues: rows(process.replyQueues) };
}

function toProcessRow(p: Process): ProcessRow {
  const { vhosts: _v, connections, consumes, replyQueues, ...row } = p;
  return { ...row, connectionCount: connections.length, consumeCount: consumes.length, replyQueueCount: replyQueues.length };
}

/** The process list: those matching `q`, sorted, the first `limit` of them. */
export function listProcesses(topology: Topology, f: { q?: string; limit: number }): { items: ProcessRow[]; filtered: number; total: number } {
  const matching = topology.processes.filter((p) => processMatches(p, f.q ?? '')).sort(compareProcesses);
  return { items: matching.slice(0, f.limit).map(toProcessRow), filtered: matching.length, total: topology.processes.length };
}
