import 'server-only';
// Short history of counts and rates, taken at each refresh, so charts have
// something to draw; seeded with the broker's own samples where it keeps them.
import type { HistoryView } from '@/lib/domain/state';
import type { HistorySample, Topology } from '@/lib/domain/types';

const FIELDS = 7; // t, ready, unacknowledged, publish, deliver, ack, redeliver
const VALUE_FIELDS = FIELDS - 1;

/** A fixed-size ring of samples in one Float64Array; NaN stands for unknown. */
class SampleRing {
  private readonly data: Float64Array;
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.data = new Float64Array(capacity * FIELDS);
  }

  push(s: HistorySample): void {
    const o = this.next * FIELDS;
    const values = [s.t, s.ready, s.unacknowledged, s.publish, s.deliver, s.ack, s.redeliver];
    for (let i = 0; i < FIELDS; i++) this.data[o + i] = values[i] ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. */
  toArray(): HistorySample[] {
    const out: HistorySample[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let k = 0; k < this.size; k++) {
      const o = ((start + k) % this.capacity) * FIELDS;
      out.push(sampleAt(this.data[o] ?? 0, this.data, o + 1));
    }
    return out;
  }
}

/** A sample from its time and the six values stored from offset `o` (ready … redeliver); NaN reads as null. */
function sampleAt(t: number, values: Float32Array | Float64Array, o: number): HistorySample {
  return {
    t,
    ready: known(values[o]),
    unacknowledged: known(values[o + 1]),
    publish: known(values[o + 2]),
    deliver: known(values[o + 3]),
    ack: known(values[o + 4]),
    redeliver: known(values[o + 5]),
  };
}

function known(x: number | undefined): number | null {
  return x === undefined || Number.isNaN(x) ? null : x;
}

interface Ring {
  values: Float32Array;
  firstTaken: number;
  /** When it was first sampled (its first sample may have left the ring since). */
  firstAt: number;
  /** The last sample taken of it: a queue not in a refresh is gone, and its ring with it. */
  lastTaken: number;
}

/**
 * Every queue's recent samples. All queues are sampled at the same refreshes, so the times
 * are kept once; each queue holds only its values, as 32-bit floats (exact for counts up to
 * 16 million, plenty for a chart): 1.4 kB per queue, 17 MB at 12k queues.
 */
class QueueRings {
  private readonly times: Float64Array;
  /** Samples taken so far; the newest is at slot (taken - 1) % capacity. */
  private taken = 0;
  /** By vhost, then name: keyed without building a string per queue and refresh. */
  private readonly queues = new Map<string, Map<string, Ring>>();

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
  }

  record(t: number, queues: Topology['queues']): void {
    const slot = this.taken % this.capacity;
    const taken = this.taken++;
    this.times[slot] = t;
    for (const q of queues) {
      let names = this.queues.get(q.vhost);
      if (!names) this.queues.set(q.vhost, (names = new Map()));
      let ring = names.get(q.name);
      if (!ring) names.set(q.name, (ring = { values: new Float32Array(this.capacity * VALUE_FIELDS), firstTaken: taken, firstAt: t, lastTaken: taken }));
      ring.lastTaken = taken;
      const o = slot * VALUE_FIELDS;
      const rates = q.rates;
      ring.values[o] = q.messagesReady ?? Number.NaN;
      ring.values[o + 1] = q.messagesUnacknowledged ?? Number.NaN;
      ring.values[o + 2] = rates ? rates.publish : Number.NaN;
      ring.values[o + 3] = rates ? rates.deliver : Number.NaN;
      ring.values[o + 4] = rates ? rates.ack : Number.NaN;
      ring.values[o + 5] = rates ? rates.redeliver : Number.NaN;
    }
    // Deleted queues take their history with them.
    for (const [vhost, names] of this.queues) {
      for (const [name, ring] of names) if (ring.lastTaken !== taken) names.delete(name);
      if (names.size === 0) this.queues.delete(vhost);
    }
  }

  /** When it was first sampled; null for a queue not sampled. */
  firstSeen(vhost: string, name: string): number | null {
    return this.queues.get(vhost)?.get(name)?.firstAt ?? null;
  }

  /** Oldest first; only those taken at or after `from`. */
  samples(vhost: string, name: string, from = Number.NEGATIVE_INFINITY): HistorySample[] {
    const ring = this.queues.get(vhost)?.get(name);
    if (!ring) return [];
    let first = this.taken - Math.min(this.taken - ring.firstTaken, this.capacity);
    while (first < this.taken && (this.times[first % this.capacity] ?? 0) < from) first++;
    const out: HistorySample[] = [];
    for (let n = first; n < this.taken; n++) {
      const slot = n % this.capacity;
      out.push(sampleAt(this.times[slot] ?? 0, ring.values, slot * VALUE_FIELDS));
    }
    return out;
  }
}

export class History {
  private readonly global: SampleRing;
  private readonly queues: QueueRings;
  private seed: HistorySample[] = [];

  constructor(capacity: number, queueCapacity = Math.min(capacity, 60)) {
    this.global = new SampleRing(capacity);
    this.queues = new QueueRings(queueCapacity);
  }

  record(topology: Topology, t: number): void {
    const { backlog, rates } = topology.totals;
    this.global.push({ t, ready: backlog.ready, unacknowledged: backlog.unacknowledged, ...ratesOrNull(rates) });
    this.queues.record(t, topology.queues);
  }

  /** The broker's own samples from before the dashboard started. */
  seedGlobal(samples: HistorySample[]): void {
    this.seed = samples;
  }

  globalSamples(): HistorySample[] {
    return withEarlier(this.seed, this.global.toArray());
  }

  /** One queue's samples, oldest first; only those taken at or after `from`. */
  queueSamples(vhost: string, name: string, from?: number): HistorySample[] {
    return this.queues.samples(vhost, name, from);
  }

  /** When the dashboard first saw a queue (it has been there since); null for one it has not seen. */
  queueFirstSeen(vhost: string, name: string): number | null {
    return this.queues.firstSeen(vhost, name);
  }

  /** The history as of time `at`: what a state of that refresh shows, whatever is recorded later. */
  viewAt(at: number): HistoryView {
    const global = this.globalSamples();
    return {
      global,
      queue: (vhost, name) => this.queueSamples(vhost, name).filter((s) => s.t <= at),
    };
  }
}

/** Samples from elsewhere (the broker's own, a capture's) placed before the dashboard's own, where those do not reach. */
export function withEarlier(earlier: readonly HistorySample[], own: readonly HistorySample[]): HistorySample[] {
  const firstOwn = own[0]?.t ?? Number.POSITIVE_INFINITY;
  return [...earlier.filter((s) => s.t < firstOwn), ...own];
}

function ratesOrNull(rates: Topology['totals']['rates']) {
  return {
    publish: rates?.publish ?? null,
    deliver: rates?.deliver ?? null,
    ack: rates?.ack ?? null,
    redeliver: rates?.redeliver ?? null,
  };
}

