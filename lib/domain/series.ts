// What the history keeps of one refresh: one point per subject, globally, per component, per
// topic, per queue, per process and per host. Pure; the store decides what is written when.
import type { ClusterState } from './state';
import { waitingMessages } from './streams';
import type { MessageRates, Queue } from './types';

export const SERIES_SCOPES = ['global', 'component', 'topic', 'queue', 'process', 'host'] as const;
export type SeriesScope = (typeof SERIES_SCOPES)[number];

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

/**
 * Every series' point of this refresh, by scope and key. Components and topics sum their queues
 * (a stream's ready messages are what it retains, not waiting: its own series keeps them);
 * a host sums the queues named after it (its per-server queues) and the rates of its processes.
 */
export function seriesOf(state: ClusterState): Map<SeriesScope, Map<string, SeriesPoint>> {
  const { topology } = state;
  const { totals } = topology;
  const components = new Map<string, Sum>();
  const topics = new Map<string, Sum>();
  const hosts = new Map<string, Sum>();
  const queues = new Map<string, SeriesPoint>();
  for (const q of topology.queues) {
    queues.set(queueSeriesKey(q.vhost, q.name), point(q.messagesReady, q.messagesUnacknowledged, q.consumers, q.rates));
    if (q.kind === 'reply' || q.kind === 'other') continue;
    sumBy(components, q.component)?.addQueue(q);
    sumBy(topics, q.topic)?.addQueue(q);
    sumBy(hosts, q.host)?.addCounts(q);
  }
  const processes = new Map<string, SeriesPoint>();
  for (const p of topology.processes) {
    processes.set(p.id, point(null, null, p.consumes.length, p.rates));
    sumBy(hosts, p.host ?? state.memory.processHost(p.id))?.addRates(p.rates);
  }
  const points = (sums: Map<string, Sum>) => new Map([...sums].map(([k, s]) => [k, s.point()]));
  return new Map<SeriesScope, Map<string, SeriesPoint>>([
    ['global', new Map([['', point(totals.backlog.ready, totals.backlog.unacknowledged, totals.consumers, totals.rates)]])],
    ['component', points(components)],
    ['topic', points(topics)],
    ['queue', queues],
    ['process', processes],
    ['host', points(hosts)],
  ]);
}
