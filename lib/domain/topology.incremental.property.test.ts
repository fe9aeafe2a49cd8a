// The model built on the structure kept from the refresh before is the model built from
// scratch: over random sequences of refreshes as the broker reader hands them over (counts
// changing on the same lists; queues appearing and going before the topology is read again;
// consumers followed queue by queue; the topology and who consumes read again whole; nodes
// stopping; the plugin listing queues in another order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildStructure, buildTopology, type TopologyStructure } from './topology';
import type { BindingInput, BrokerInputs, ChannelInput, ConnectionInput, ConsumerInput, ExchangeInput, NodeInput, QueueInput, Topology } from './types';
import { emptyInputs, makeBinding, makeConnection, makeExchange, makeQueue } from '@/lib/testing/builders';

const hex = (i: number) => i.toString(16).padStart(32, '0');
const VHOSTS = ['/', 'cells'];
const NODES = ['rabbit@a', 'rabbit@b', 'rabbit@c'];

/** Every queue that may exist, with the exchange that binds it the oslo way (if any). */
interface QueueSpec {
  vhost: string;
  name: string;
  type: string;
  source: string | null;
}
const UNIVERSE: QueueSpec[] = VHOSTS.flatMap((vhost) => [
  ...['compute', 'network'].flatMap((topic, t) => {
    const exchange = t === 0 ? 'nova' : 'neutron';
    return [
      { vhost, name: topic, type: 'classic', source: exchange },
      ...[0, 1, 2].map((h) => ({ vhost, name: `${topic}.host-${h}`, type: h === 2 ? 'quorum' : 'classic', source: exchange })),
      ...[1, 2].map((i) => ({ vhost, name: `${topic}_fanout_${hex(i + 10 * t)}`, type: 'classic', source: null })),
      { vhost, name: `${topic}_fanout`, type: 'stream', source: null },
    ];
  }),
  ...[1, 2, 3].map((i) => ({ vhost, name: `reply_${hex(100 + i)}`, type: 'classic', source: null })),
  { vhost, name: 'reply_host-1:nova-compute:3', type: 'classic', source: null },
  { vhost, name: 'notifications.info', type: 'classic', source: 'nova' },
  { vhost, name: 'misc', type: 'classic', source: null },
]);

const CONNECTIONS: ConnectionInput[] = [0, 1, 2, 3].map((i) =>
  makeConnection({
    name: `conn-${i}`,
    vhost: VHOSTS[i % 2]!,
    peerHost: `10.0.0.${i % 3}`,
    clientConnectionName: i === 3 ? null : `${i === 2 ? 'neutron-openvswitch-agent' : 'nova-compute'}:${100 + i}:5720bf7e-7bad-4af4-84f1-7fba0c68b74b`,
  }),
);

interface World {
  present: boolean[];
  /** Per queue of the universe: [connection, with its channel] per consumer. */
  consumers: [number, boolean][][];
  running: boolean[];
}

const world: fc.Arbitrary<World> = fc.record({
  present: fc.array(fc.boolean(), { minLength: UNIVERSE.length, maxLength: UNIVERSE.length }),
  consumers: fc.array(fc.array(fc.tuple(fc.nat(CONNECTIONS.length - 1), fc.boolean()), { maxLength: 3 }), { minLength: UNIVERSE.length, maxLength: UNIVERSE.length }),
  running: fc.array(fc.boolean(), { minLength: NODES.length, maxLength: NODES.length }),
});

type Step =
  | { kind: 'counts'; seed: number }
  | { kind: 'queue toggled'; queue: number }
  | { kind: 'queues toggled'; queues: [number, number] }
  | { kind: 'retyped'; queue: number }
  | { kind: 'consumers followed'; queue: number; consumers: [number, boolean][] }
  | { kind: 'read whole' }
  | { kind: 'node'; node: number }
  | { kind: 'order'; seed: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('counts' as const), seed: fc.nat() }) },
  fc.record({ kind: fc.constant('queue toggled' as const), queue: fc.nat(UNIVERSE.length - 1) }),
  // One queue gone and another come in the same refresh: as many queues as before.
  fc.record({ kind: fc.constant('queues toggled' as const), queues: fc.tuple(fc.nat(UNIVERSE.length - 1), fc.nat(UNIVERSE.length - 1)) }),
  fc.record({ kind: fc.constant('retyped' as const), queue: fc.nat(UNIVERSE.length - 1) }),
  fc.record({
    kind: fc.constant('consumers followed' as const),
    queue: fc.nat(UNIVERSE.length - 1),
    consumers: fc.array(fc.tuple(fc.nat(CONNECTIONS.length - 1), fc.boolean()), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('read whole' as const) }),
  fc.record({ kind: fc.constant('node' as const), node: fc.nat(NODES.length - 1) }),
  fc.record({ kind: fc.constant('order' as const), seed: fc.nat() }),
);

function counted(seed: number, i: number): number {
  return (seed * 31 + i * 17) % 5;
}

/** What the broker reader hands over: the lists of the last whole read, new queue objects with this refresh's counts. */
class Reader {
  private exchanges: ExchangeInput[] = [];
  private bindings: BindingInput[] = [];
  private vhosts: string[] = [];
  private consumerObjects: ConsumerInput[][] = [];
  private connections: ConnectionInput[] = [];
  private channels: ChannelInput[] = [];
  private order: number[] = UNIVERSE.map((_, i) => i);
  private seed = 0;
  private readonly types = UNIVERSE.map((q) => q.type);

  constructor(private readonly w: World) {
    this.readWhole();
  }

  readWhole(): void {
    const present = UNIVERSE.filter((_, i) => this.w.present[i]);
    this.vhosts = ['/'];
    this.exchanges = [
      ...VHOSTS.flatMap((vhost) => ['nova', 'neutron'].map((name) => makeExchange({ vhost, name }))),
      ...VHOSTS.map((vhost) => makeExchange({ vhost, name: 'compute_fanout', type: 'fanout' })),
      makeExchange({ vhost: 'cells', name: 'network_fanout', type: 'fanout' }),
    ];
    this.bindings = present.flatMap((q) => (q.source ? [makeBinding(q.source, q.name, q.name, q.vhost)] : []));
    this.consumerObjects = this.w.consumers.map((list, i) => list.map((c) => this.consumer(i, c)));
    this.connections = CONNECTIONS.map((c) => ({ ...c }));
    this.channels = CONNECTIONS.map((c, i) => ({
      name: `${c.name} (1)`,
      connectionName: c.name,
      number: 1,
      prefetchCount: 0,
      state: 'running',
      consumerCount: 1,
      messagesUnacknowledged: 0,
      rates: { publish: i, deliver: 1, ack: 1, redeliver: 0 },
    }));
  }

  private consumer(queue: number, [conn, withChannel]: [number, boolean]): ConsumerInput {
    const q = UNIVERSE[queue]!;
    const connection = CONNECTIONS[conn]!.name;
    return {
      vhost: q.vhost,
      queue: q.name,
      consumerTag: `${conn}`,
      ackRequired: true,
      prefetchCount: 0,
      active: true,
      channelName: withChannel ? `${connection} (1)` : null,
      connectionName: withChannel ? connection : null,
    };
  }

  apply(s: Step): void {
    switch (s.kind) {
      case 'counts':
        this.seed = s.seed;
        return;
      case 'queue toggled':
        this.w.present[s.queue] = !this.w.present[s.queue];
        return;
      case 'queues toggled':
        for (const q of s.queues) this.w.present[q] = !this.w.present[q];
        return;
      case 'retyped':
        this.types[s.queue] = this.types[s.queue] === 'classic' ? 'stream' : 'classic';
        return;
      case 'consumers followed':
        this.w.consumers[s.queue] = s.consumers;
        this.consumerObjects[s.queue] = s.consumers.map((c) => this.consumer(s.queue, c));
        return;
      case 'read whole':
        this.readWhole();
        return;
      case 'node':
        this.w.running[s.node] = !this.w.running[s.node];
        return;
      case 'order':
        // Within each vhost too: the same vhosts in the same places, other queues.
        this.order = [...this.order].sort((a, b) => (s.seed % 2 === 0 ? 0 : UNIVERSE[a]!.vhost.localeCompare(UNIVERSE[b]!.vhost)) || ((a * 7 + s.seed) % 11) - ((b * 7 + s.seed) % 11) || a - b);
        return;
    }
  }

  inputs(): BrokerInputs {
    const nodes: NodeInput[] = NODES.map((name, i) => ({ name, running: this.w.running[i]!, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: null, memLimit: null, fdUsed: null, fdTotal: null, uptimeMs: null }));
    const queues: QueueInput[] = this.order
      .filter((i) => this.w.present[i])
      .map((i) => {
        const q = UNIVERSE[i]!;
        const consumers = this.consumerObjects[i]!.length + counted(this.seed, i) - 2;
        return makeQueue({
          vhost: q.vhost,
          name: q.name,
          type: this.types[i]!,
          ...(q.type === 'quorum' ? { leader: NODES[0]!, members: NODES, online: NODES } : {}),
          messagesReady: counted(this.seed, i + 1),
          messagesUnacknowledged: counted(this.seed, i + 2) > 3 ? null : 1,
          consumers: consumers < 0 ? null : consumers,
          rates: counted(this.seed, i) === 0 ? null : { publish: counted(this.seed, i), deliver: 1, ack: 1, redeliver: 0 },
        });
      });
    // Queues followed one by one are listed together; gone queues take their consumers with them.
    const consumers = this.consumerObjects.flatMap((list, i) => (this.w.present[i] ? list : []));
    return emptyInputs({ nodes, vhosts: this.vhosts, exchanges: this.exchanges, bindings: this.bindings, queues, consumers, connections: [...this.connections], channels: [...this.channels] });
  }
}

/** The topology without its index and structure (compared through their lookups). */
function modelOf(t: Topology): Omit<Topology, 'index' | 'structure'> {
  const { index: _index, structure: _structure, ...model } = t;
  return model;
}

function lookups(t: Topology) {
  const i = t.index;
  return {
    queues: t.queues.map((q) => [i.queue(q.vhost, q.name), i.consumersOf(q.vhost, q.name), i.staleConsumersOf(q.vhost, q.name), i.bindingsTo(q.vhost, q.name)]),
    exchanges: t.exchanges.map((e) => [i.exchange(e.vhost, e.name), i.bindingsFrom(e.vhost, e.name)]),
    topics: t.topics.map((x) => i.topic(x.vhost, x.name)),
    processes: t.processes.map((p) => [i.process(p.id), i.processesOf([p.id, 'nobody'])]),
    connections: t.connections.map((c) => [i.connection(c.name), i.channelsOf(c.name)]),
    channels: t.channels.map((c) => i.channel(c.name)),
    hosts: i.hosts().map((h) => [h, i.queuesOfHost(h), i.processesOfHost(h)]),
  };
}

describe('buildTopology on the structure kept from the refresh before', () => {
  it('is the model built from scratch, whatever the refreshes', () => {
    fc.assert(
      fc.property(world, fc.array(step, { minLength: 1, maxLength: 25 }), (w, steps) => {
        const reader = new Reader(structuredClone(w));
        let structure: TopologyStructure | null = null;
        for (const s of steps) {
          reader.apply(s);
          const inputs = reader.inputs();
          const before = structure;
          structure = buildStructure(inputs, structure);
          if (s.kind === 'counts' && before) expect(structure).toBe(before);
          const kept = buildTopology(inputs, structure);
          const fresh = buildTopology(inputs);
          expect(modelOf(kept)).toEqual(modelOf(fresh));
          expect(lookups(kept)).toEqual(lookups(fresh));
        }
      }),
      { numRuns: 150 },
    );
    // Each run builds up to 50 models: on a machine busy with the rest of the suite that takes a while.
  }, 60_000);

  it('keeps the shape (classification, exchanges) when only who consumes changed', () => {
    const reader = new Reader({ present: UNIVERSE.map(() => true), consumers: UNIVERSE.map(() => [[0, true]]), running: NODES.map(() => true) });
    const first = buildStructure(reader.inputs());
    reader.apply({ kind: 'consumers followed', queue: 1, consumers: [[1, true]] });
    const second = buildStructure(reader.inputs(), first);
    expect(second).not.toBe(first);
    expect(second.shape).toBe(first.shape);
    reader.apply({ kind: 'read whole' });
    expect(buildStructure(reader.inputs(), second).shape).not.toBe(second.shape);
  });
});
