// The message-bus service list: for every RPC topic, one row per host, like
// `openstack compute service list` seen from the broker. A row's status is its per-server
// queue's health (lib/domain/health.ts) told in a service's terms.
import { compareNatural } from './format';
import { refKey } from './keys';
import type { Memory } from './findings/types';
import { serverQueueProcesses } from './findings/service-processes';
import { quorumLost } from './replication';
import type { Backlog, MessageRates, Process, Queue, Topology } from './types';
import { type QueueHealth, rankIn, SERVICE_STATUSES, type ServiceStatus } from './vocabulary';

/**
 * Takes no requests: its process connected but not consuming, consuming and acknowledging
 * nothing, or nobody at all (its queue down, or no process). Red on every page.
 */
export function isFailing(status: ServiceStatus): boolean {
  return status === 'not-consuming' || status === 'stuck' || status === 'down';
}

/**
 * In trouble: known to be wrong, failing or with a backlog (amber). `unknown` is not in trouble
 * and never counted as not consuming: the broker does not say, and the pages say "unknown".
 */
export function isInTrouble(status: ServiceStatus): boolean {
  return isFailing(status) || status === 'backlog';
}

/** How many of the counted rows have a status that passes the test. */
export function countWhere(counts: Partial<Record<ServiceStatus, number>>, test: (status: ServiceStatus) => boolean): number {
  return SERVICE_STATUSES.reduce((n, s) => (test(s) ? n + (counts[s] ?? 0) : n), 0);
}

export interface ServiceProcessRef {
  id: string;
  binary: string | null;
  pid: number | null;
}

export interface ServiceRow {
  vhost: string;
  component: string | null;
  /** Control exchange to send a probe through. */
  exchange: string | null;
  topic: string;
  host: string;
  /** The RPC server name (`<topic>.<server>`), e.g. `storage01@lvm`. */
  server: string;
  serverQueue: string;
  /** Null where the broker gives no consumer count (no statistics). */
  consumers: number | null;
  /** Consuming the per-server queue now. */
  processes: ServiceProcessRef[];
  /** Still connected although not consuming it (the "up but does nothing" case). */
  idleProcesses: ServiceProcessRef[];
  fanoutQueue: string | null;
  /** Null where the broker gives no queue lengths (no statistics). */
  backlog: Backlog | null;
  rates: MessageRates | null;
  /** Since when nothing moved in the per-server queue (epoch ms); null while it is busy. */
  idleSince: number | null;
  status: ServiceStatus;
  /** Why, in a few words. */
  statusReason: string;
  findingIds: string[];
}

const ref = (p: Process): ServiceProcessRef => ({ id: p.id, binary: p.binary, pid: p.pid });

/** What the service list needs of a refresh besides the topology. */
export interface ServiceInputs {
  memory: Memory;
  health: (q: Queue) => QueueHealth;
  /** Ids of the findings open about a queue. */
  findingIds: (vhost: string, name: string) => string[];
}

function status(q: Queue, health: QueueHealth, consuming: Process[], idle: Process[]): { status: ServiceStatus; statusReason: string } {
  switch (health) {
    case 'unavailable':
      return { status: 'down', statusReason: unavailableReason(q) };
    case 'stuck':
      return { status: 'stuck', statusReason: 'takes messages, acknowledges none' };
    case 'unconsumed':
    case 'no-consumer':
      return idle.length > 0
        ? { status: 'not-consuming', statusReason: `${idle[0]?.binary ?? 'its process'} is connected but does not consume` }
        : { status: 'down', statusReason: 'no process consumes it' };
    case 'backlog':
      return { status: 'backlog', statusReason: `${q.messagesReady ?? 0} ready messages wait` };
    case 'unknown':
      return { status: 'unknown', statusReason: 'the broker collects no statistics: who consumes it is not known' };
    case 'healthy':
      return { status: 'ok', statusReason: `consumed by ${consuming.length === 1 ? (consuming[0]?.binary ?? 'one process') : `${consuming.length} processes`}` };
  }
}

function unavailableReason(q: Queue): string {
  const r = q.replication;
  if (!r || !quorumLost(q)) return `its queue is ${q.state ?? 'unavailable'}: the broker node holding it is down`;
  if (r.state === 'no-quorum') return `its quorum queue lost its quorum: ${r.online?.length ?? 0} of ${r.members.length} replicas up, ${r.quorum} needed`;
  return 'its quorum queue has no leader';
}

/** One row per per-server queue; serviceList orders them. */
export function buildServiceRows(topology: Topology, inputs: ServiceInputs): ServiceRow[] {
  const { index } = topology;
  const counted = topology.overview.statsEnabled;
  return topology.queues
    .filter((q) => q.kind === 'rpc-server' && q.topic && q.server)
    .map((q): ServiceRow => {
      const { consuming, idle } = serverQueueProcesses(topology, inputs.memory, q);
      const fanoutPrefix = `${q.topic}_fanout`;
      let fanoutQueue: string | null = null;
      for (const p of consuming.length > 0 ? consuming : idle) {
        const r = p.consumes.find((c) => c.name.startsWith(fanoutPrefix) && index.queue(c.vhost, c.name)?.kind === 'rpc-fanout');
        if (r) {
          fanoutQueue = r.name;
          break;
        }
      }
      return {
        vhost: q.vhost,
        component: q.component,
        exchange: q.component,
        topic: q.topic!,
        host: q.host ?? q.server!,
        server: q.server!,
        serverQueue: q.name,
        consumers: counted ? (q.consumers ?? 0) : null,
        processes: consuming.map(ref),
        idleProcesses: idle.map(ref),
        fanoutQueue,
        backlog: counted ? { ready: q.messagesReady ?? 0, unacknowledged: q.messagesUnacknowledged ?? 0 } : null,
        rates: q.rates,
        idleSince: q.idleSince,
        ...status(q, inputs.health(q), consuming, idle),
        findingIds: inputs.findingIds(q.vhost, q.name),
      };
    });
}

/** How many rows are in each status. */
export function countByStatus(rows: readonly Pick<ServiceRow, 'status'>[]): Record<ServiceStatus, number> {
  const counts = Object.fromEntries(SERVICE_STATUSES.map((s) => [s, 0])) as Record<ServiceStatus, number>;
  for (const r of rows) counts[r.status]++;
  return counts;
}

// ---------------------------------------------------------------- the list as pages show it

export interface ServiceFilter {
  component?: string;
  topic?: string;
  vhost?: string;
  /** Text in the host or server name, ignoring case. */
  q?: string;
  /** One status, or `trouble` for every status in trouble (isInTrouble). */
  status?: ServiceStatus | 'trouble';
  /** Rows per (vhost, component, topic) group, worst first; the group's total is always given. */
  limitPerGroup: number;
}

export interface ServiceGroup {
  vhost: string;
  component: string | null;
  topic: string;
  /** Matching rows in the group, before the limit. */
  total: number;
  counts: Partial<Record<ServiceStatus, number>>;
  rows: ServiceRow[];
}

export interface ServiceList {
  groups: ServiceGroup[];
  /** Over every row, whatever the filters: the cloud at a glance. */
  counts: Record<ServiceStatus, number>;
  total: number;
  /** Matching the filters. */
  filtered: number;
  /** What the filter controls offer; topics are those of the chosen component. */
  facets: { components: string[]; topics: string[]; vhosts: string[] };
}

function matchesServiceFilter(r: ServiceRow, f: Omit<ServiceFilter, 'limitPerGroup'>): boolean {
  const needle = (f.q ?? '').trim().toLowerCase();
  return (
    (!f.component || r.component === f.component) &&
    (!f.topic || r.topic === f.topic) &&
    (!f.vhost || r.vhost === f.vhost) &&
    (!f.status || (f.status === 'trouble' ? isInTrouble(r.status) : r.status === f.status)) &&
    (!needle || r.host.toLowerCase().includes(needle) || r.server.toLowerCase().includes(needle))
  );
}

/** What the service list needs of a refresh whatever the filter: computed once per state. */
export interface ServiceOrder {
  /** Every (vhost, component, topic) group in the order lists show them, its rows worst first, then by host and server. */
  readonly groups: readonly { readonly vhost: string; readonly component: string | null; readonly topic: string; readonly rows: readonly ServiceRow[] }[];
  readonly counts: Readonly<Record<ServiceStatus, number>>;
  readonly total: number;
  readonly components: readonly string[];
  readonly vhosts: readonly string[];
  /** Of every row, and of each component's. */
  readonly topics: readonly string[];
  readonly topicsOf: ReadonlyMap<string, readonly string[]>;
}

export function orderServices(rows: readonly ServiceRow[]): ServiceOrder {
  const groups = new Map<string, { vhost: string; component: string | null; topic: string; rows: ServiceRow[] }>();
  const topicsOf = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = refKey(r.vhost, refKey(r.component ?? '', r.topic));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { vhost: r.vhost, component: r.component, topic: r.topic, rows: [] }));
    g.rows.push(r);
    if (r.component) topicsOf.set(r.component, (topicsOf.get(r.component) ?? new Set()).add(r.topic));
  }
  const list = [...groups.values()];
  for (const g of list) g.rows.sort((a, b) => rankIn(SERVICE_STATUSES, a.status) - rankIn(SERVICE_STATUSES, b.status) || compareNatural(a.host, b.host) || compareNatural(a.server, b.server));
  list.sort((a, b) => compareNatural(a.component ?? '\uffff', b.component ?? '\uffff') || compareNatural(a.topic, b.topic) || compareNatural(a.vhost, b.vhost));
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort(compareNatural);
  return {
    groups: list,
    counts: countByStatus(rows),
    total: rows.length,
    components: [...topicsOf.keys()].sort(compareNatural),
    vhosts: sorted(rows.map((r) => r.vhost)),
    topics: sorted(rows.map((r) => r.topic)),
    topicsOf: new Map([...topicsOf].map(([c, topics]) => [c, sorted(topics)])),
  };
}

/**
 * The service list filtered and grouped per (vhost, component, topic), each group worst
 * first and cut at `limitPerGroup`: at a thousand hosts the page shows who is in trouble
 * without sending every healthy row.
 */
export function serviceList(rows: readonly ServiceRow[], f: ServiceFilter): ServiceList {
  return filterServices(orderServices(rows), f);
}

/** serviceList over rows already ordered: one pass, nothing sorted. */
export function filterServices(order: ServiceOrder, f: ServiceFilter): ServiceList {
  const groups: ServiceGroup[] = [];
  let filtered = 0;
  for (const g of order.groups) {
    if ((f.component && g.component !== f.component) || (f.topic && g.topic !== f.topic) || (f.vhost && g.vhost !== f.vhost)) continue;
    const group: ServiceGroup = { vhost: g.vhost, component: g.component, topic: g.topic, total: 0, counts: {}, rows: [] };
    for (const r of g.rows) {
      if (!matchesServiceFilter(r, f)) continue;
      group.total++;
      group.counts[r.status] = (group.counts[r.status] ?? 0) + 1;
      if (group.rows.length < f.limitPerGroup) group.rows.push(r);
    }
    filtered += group.total;
    if (group.total > 0) groups.push(group);
  }
  /** A facet offers the value chosen even where no row has it. */
  const offering = (values: readonly string[], current?: string) => (!current || values.includes(current) ? [...values] : [...values, current].sort(compareNatural));
  return {
    groups,
    counts: { ...order.counts },
    total: order.total,
    filtered,
    facets: {
      components: offering(order.components, f.component),
      topics: offering(f.component ? (order.topicsOf.get(f.component) ?? []) : order.topics, f.topic),
      vhosts: offering(order.vhosts, f.vhost),
    },
  };
}
