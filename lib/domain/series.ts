// What the history keeps of one refresh: one point per subject, globally, per component, per
// topic, per queue, per process and per host. Pure; the store decides what is written when.
import type { ClusterState } from './state';
import { waitingMessages } from './streams';
import type { MessageRates, Queue, Topology } from './types';
import type { SeriesScope } from './vocabulary';

export interface SeriesPoint {
  ready: number | null;
  unacked: number | null;
  consumers: number | null;
  publish: number | null;
  deliver: number | null;
  ack: number | null;
  redeliver: number | null;
}

export const SERIES_FIELDS = ['ready', 'unacked', 'consumers', 'publish', 'deliver', 'ack', 'redeliver'] as const satisfies readonly (keyof SeriesPoint)[];

/** The key of a queue's series: its vhost (encoded, so without a slash), a slash, its name. Text any database stores (a refKey holds a NUL). */
export const queueSeriesKey = (vhost: string, name: string) => `${encodeURIComponent(vhost)}/${name}`;

/**
 * The key of a sum over one vhost's part of a subject (the broker, a component, a topic, a host),
 * kept beside the sum over all where a cluster has several vhosts: what an operator who may read
 * only some of them is shown (lib/store/narrowed.ts). No name holds a unit separator.
 */
export const vhostSeriesKey = (vhost: string, key: string) => `${encodeURIComponent(vhost)}\u001f${key}`;

/** The scopes that sum over vhosts, and so have a part per vhost. */
export const SUMMED_SCOPES: ReadonlySet<SeriesScope> = new Set(['global', 'component', 'topic', 'host']);

const round = (n: number) => Math.round(n * 100) / 100;

function point(ready: number | null, unacked: number | null, consumers: number | null, rates: MessageRates | null): SeriesPoint {
  return {
    ready,
    unacked,
    consumers,
    publish: rates ? round(rates.publish) : null,
    deliver: rates ? round(rates.deliver) : null,
    ack: rates ? round(rates.ack) : null,
    redeliver: rates ? round(rates.redeliver) : null,
  };
}

class Sum {
  ready: number | null = null;
  unacked: number | null = null;
  consumers: number | null = null;
  rates: MessageRates | null = null;

  addQueue(q: Queue): void {
    this.addCounts(q);
    this.addRates(q.rates);
  }

  /** Waiting, unacknowledged and consumers, without the rates (a host takes its processes'). */
  addCounts(q: Queue): void {
    const waiting = waitingMessages(q);
    if (waiting !== null) this.ready = (this.ready ?? 0) + waiting;
    if (q.messagesUnacknowledged !== null) this.unacked = (this.unacked ?? 0) + q.messagesUnacknowledged;
    if (q.consumers !== null) this.consumers = (this.consumers ?? 0) + q.consumers;
  }

  addRates(r: MessageRates | null): void {
    if (!r) return;
    const s = (this.rates ??= { publish: 0, deliver: 0, ack: 0, redeliver: 0 });
    s.publish += r.publish;
    s.deliver += r.deliver;
    s.ack += r.ack;
    s.redeliver += r.redeliver;
  }

  point(): SeriesPoint {
    return point(this.ready, this.unacked, this.consumers, this.rates);
  }
}

function sumBy(into: Map<string, Sum>, key: string | null): Sum | null {
  if (key === null) return null;
  let s = into.get(key);
  if (!s) into.set(key, (s = new Sum()));
  return s;
}

/** The sums of one set of queues and processes: the broker's (over those), its components', topics' and hosts'. */
class Sums {
  readonly global = new Sum();
  readonly components = new Map<string, Sum>();
  readonly topics = new Map<string, Sum>();
  readonly hosts = new Map<string, Sum>();

  addQueue(q: Queue): void {
    this.global.addQueue(q);
    if (q.kind === 'reply' || q.kind === 'other') return;
    sumBy(this.components, q.component)?.addQueue(q);
    sumBy(this.topics, q.topic)?.addQueue(q);
    sumBy(this.hosts, q.host)?.addCounts(q);
  }
}

/** The queues' series keys in the model's order: the structure's alone, so made once for every refresh built on it. */
function queueSeriesKeys(topology: Topology): string[] {
  return topology.queues.map((q) => queueSeriesKey(q.vhost, q.name));
}

/**
 * Every series' point of this refresh, by scope and key. Components and topics sum their queues
 * (a stream's ready messages are what it retains, not waiting: its own series keeps them);
 * a host sums the queues named after it (its per-server queues) and the rates of its processes.
 * Where the cluster has several vhosts, each summed series also has a part per vhost.
 */
export function seriesOf(state: ClusterState): Map<SeriesScope, Map<string, SeriesPoint>> {
  const { topology } = state;
  const { totals } = topology;
  const all = new Sums();
  const perVhost = topology.vhosts.length > 1 ? new Map<string, Sums>() : null;
  const partOf = (vhost: string) => {
    let sums = perVhost?.get(vhost);
    if (perVhost && !sums) perVhost.set(vhost, (sums = new Sums()));
    return sums;
  };
  const queues = new Map<string, SeriesPoint>();
  const keys = topology.structure.memo.once(queueSeriesKeys, () => queueSeriesKeys(topology));
  for (let i = 0; i < topology.queues.length; i++) {
    const q = topology.queues[i]!;
    queues.set(keys[i]!, point(q.messagesReady, q.messagesUnacknowledged, q.consumers, q.rates));
    all.addQueue(q);
    partOf(q.vhost)?.addQueue(q);
  }
  const processes = new Map<string, SeriesPoint>();
  for (const p of topology.processes) {
    processes.set(p.id, point(null, null, p.consumes.length, p.rates));
    const host = p.host ?? state.memory.processHost(p.id);
    sumBy(all.hosts, host)?.addRates(p.rates);
    // A process of several vhosts cannot say which of its rates were whose.
    const [only, ...others] = p.vhosts;
    if (only !== undefined && others.length === 0) sumBy(partOf(only)?.hosts ?? new Map(), host)?.addRates(p.rates);
  }
  const points = (sums: Map<string, Sum>) => new Map([...sums].map(([k, s]) => [k, s.point()]));
  const series = new Map<SeriesScope, Map<string, SeriesPoint>>([
    ['global', new Map([['', point(totals.backlog.ready, totals.backlog.unacknowledged, totals.consumers, totals.rates)]])],
    ['component', points(all.components)],
    ['topic', points(all.topics)],
    ['queue', queues],
    ['process', processes],
    ['host', points(all.hosts)],
  ]);
  for (const [vhost, sums] of perVhost ?? []) {
    const add = (scope: SeriesScope, parts: Map<string, Sum>) => {
      const into = series.get(scope)!;
      for (const [key, sum] of parts) into.set(vhostSeriesKey(vhost, key), sum.point());
    };
    add('global', new Map([['', sums.global]]));
    add('component', sums.components);
    add('topic', sums.topics);
    add('host', sums.hosts);
  }
  return series;
}
