// The message-bus service list: for every RPC topic, one row per host, like
// `openstack compute service list` seen from the broker. A row's status is its per-server
// queue's health (lib/domain/health.ts) told in a service's terms.
import { refKey } from './keys';
import type { Memory } from './findings/types';
import { serverQueueProcesses } from './findings/service-processes';
import { quorumLost } from './replication';
import type { Backlog, MessageRates, Process, Queue, Topology } from './types';
import { type QueueHealth, rankIn, SERVICE_STATUSES, type ServiceStatus } from './vocabulary';

/** Known to be wrong (what the "trouble" filter shows); `unknown` is not known to be anything. */
const TROUBLE: ReadonlySet<ServiceStatus> = new Set(['not-consuming', 'stuck', 'down', 'backlog']);

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
  /** The broker's idle_since for the per-server queue; null while it is busy. */
  idleSince: string | null;
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
  /** One status, or `trouble` for every status known to be wrong (not ok, not unknown). */
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

const collator = new Intl.Collator('en', { numeric: true });

function matchesServiceFilter(r: ServiceRow, f: Omit<ServiceFilter, 'limitPerGroup'>): boolean {
  const needle = (f.q ?? '').trim().toLowerCase();
  return (
    (!f.component || r.component === f.component) &&
    (!f.topic || r.topic === f.topic) &&
    (!f.vhost || r.vhost === f.vhost) &&
    (!f.status || (f.status === 'trouble' ? TROUBLE.has(r.status) : r.status === f.status)) &&
    (!needle || r.host.toLowerCase().includes(needle) || r.server.toLowerCase().includes(needle))
  );
}

/**
 * The service list filtered and grouped per (vhost, component, topic), each group worst
 * first and cut at `limitPerGroup`: at a thousand hosts the page shows who is in trouble
 * without sending every healthy row.
 */
export function serviceList(rows: readonly ServiceRow[], f: ServiceFilter): ServiceList {
  const counts = countByStatus(rows);
  const components = new Set<string>();
  const topics = new Set<string>();
  const vhosts = new Set<string>();
  const groups = new Map<string, ServiceGroup>();
  let filtered = 0;
  for (const r of rows) {
    if (r.component) components.add(r.component);
    if (!f.component || r.component === f.component) topics.add(r.topic);
    vhosts.add(r.vhost);
    if (!matchesServiceFilter(r, f)) continue;
    filtered++;
    const key = refKey(r.vhost, refKey(r.component ?? '', r.topic));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { vhost: r.vhost, component: r.component, topic: r.topic, total: 0, counts: {}, rows: [] }));
    g.total++;
    g.counts[r.status] = (g.counts[r.status] ?? 0) + 1;
    g.rows.push(r);
  }
  const list = [...groups.values()];
  for (const g of list) {
    g.rows.sort((a, b) => rankIn(SERVICE_STATUSES, a.status) - rankIn(SERVICE_STATUSES, b.status) || collator.compare(a.host, b.host) || collator.compare(a.server, b.server));
    g.rows = g.rows.slice(0, f.limitPerGroup);
  }
  list.sort((a, b) => collator.compare(a.component ?? '\uffff', b.component ?? '\uffff') || collator.compare(a.topic, b.topic) || collator.compare(a.vhost, b.vhost));
  const sorted = (set: Set<string>, current?: string) => [...(current ? set.add(current) : set)].sort(collator.compare);
  return {
    groups: list,
    counts,
    total: rows.length,
    filtered,
    facets: { components: sorted(components, f.component), topics: sorted(topics, f.topic), vhosts: sorted(vhosts, f.vhost) },
  };
}
