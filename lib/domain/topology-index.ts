// The one index over a built topology: every lookup a view, a rule or a route makes, built
// with the model (buildTopology), so nothing scans or re-keys the model per request. What
// every refresh needs (queues, processes, consumers of a queue) is built at once; what only
// some pages ask for (bindings, hosts) on the first ask, once, for the life of this topology.
import { compareNatural } from './format';
import { groupBy, VhostIndex } from './keys';
import type { BindingInput, Channel, Connection, Consumer, Exchange, Process, Queue, Topic, TopologyIndex } from './types';

export interface IndexedParts {
  exchanges: readonly Exchange[];
  queues: readonly Queue[];
  bindings: readonly BindingInput[];
  connections: readonly Connection[];
  channels: readonly Channel[];
  processes: readonly Process[];
  topics: readonly Topic[];
}

const none: readonly never[] = Object.freeze([]);

function listIndex<T>(items: readonly T[], vhost: (t: T) => string, name: (t: T) => string): VhostIndex<T[]> {
  const index = new VhostIndex<T[]>();
  for (const item of items) {
    const list = index.get(vhost(item), name(item));
    if (list) list.push(item);
    else index.set(vhost(item), name(item), [item]);
  }
  return index;
}

/** Lookups the build makes anyway while joining, handed over rather than made twice. */
export interface JoinedParts {
  queues: { get(vhost: string, name: string): Queue | undefined };
  processes: ReadonlyMap<string, Process>;
  consumersByQueue: VhostIndex<Consumer[]>;
  /** A stream's entries left by closed channels (lib/domain/streams.ts): not consumers. */
  staleConsumersByQueue: VhostIndex<Consumer[]>;
  channelsByConnection: ReadonlyMap<string, Channel[]>;
}

interface ByHost {
  queues: Map<string, Queue[]>;
  processes: Map<string, Process[]>;
  hosts: string[];
}

export function indexTopology(parts: IndexedParts, joined: JoinedParts): TopologyIndex {
  return new Index(parts, joined);
}

class Index implements TopologyIndex {
  private readonly queues: JoinedParts['queues'];
  private readonly exchanges = new VhostIndex<Exchange>();
  private readonly topics = new VhostIndex<Topic>();
  private readonly processes: ReadonlyMap<string, Process>;
  private readonly connections: ReadonlyMap<string, Connection>;
  private readonly channels: ReadonlyMap<string, Channel>;
  private readonly channelsByConnection: ReadonlyMap<string, Channel[]>;
  private readonly consumersByQueue: VhostIndex<Consumer[]>;
  private readonly staleConsumersByQueue: VhostIndex<Consumer[]>;
  private bindings: { from: VhostIndex<BindingInput[]>; to: VhostIndex<BindingInput[]> } | null = null;
  private byHost: ByHost | null = null;

  constructor(
    private readonly parts: IndexedParts,
    joined: JoinedParts,
  ) {
    this.queues = joined.queues;
    this.processes = joined.processes;
    this.consumersByQueue = joined.consumersByQueue;
    this.staleConsumersByQueue = joined.staleConsumersByQueue;
    this.channelsByConnection = joined.channelsByConnection;
    for (const e of parts.exchanges) this.exchanges.set(e.vhost, e.name, e);
    for (const t of parts.topics) this.topics.set(t.vhost, t.name, t);
    this.connections = new Map(parts.connections.map((c) => [c.name, c]));
    this.channels = new Map(parts.channels.map((c) => [c.name, c]));
  }

  queue(vhost: string, name: string): Queue | undefined {
    return this.queues.get(vhost, name);
  }

  exchange(vhost: string, name: string): Exchange | undefined {
    return this.exchanges.get(vhost, name);
  }

  topic(vhost: string, name: string): Topic | undefined {
    return this.topics.get(vhost, name);
  }

  process(id: string): Process | undefined {
    return this.processes.get(id);
  }

  connection(name: string): Connection | undefined {
    return this.connections.get(name);
  }

  channel(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  channelsOf(connectionName: string): readonly Channel[] {
    return this.channelsByConnection.get(connectionName) ?? none;
  }

  consumersOf(vhost: string, queue: string): readonly Consumer[] {
    return this.consumersByQueue.get(vhost, queue) ?? none;
  }

  staleConsumersOf(vhost: string, queue: string): readonly Consumer[] {
    return this.staleConsumersByQueue.get(vhost, queue) ?? none;
  }

  processesOf(ids: readonly string[]): Process[] {
    const found: Process[] = [];
    for (const id of ids) {
      const p = this.processes.get(id);
      if (p) found.push(p);
    }
    return found;
  }

  bindingsFrom(vhost: string, exchange: string): readonly BindingInput[] {
    return this.bindingIndex().from.get(vhost, exchange) ?? none;
  }

  bindingsTo(vhost: string, queue: string): readonly BindingInput[] {
    return this.bindingIndex().to.get(vhost, queue) ?? none;
  }

  queuesOfHost(host: string): readonly Queue[] {
    return this.hostIndex().queues.get(host) ?? none;
  }

  processesOfHost(host: string): readonly Process[] {
    return this.hostIndex().processes.get(host) ?? none;
  }

  hosts(): readonly string[] {
    return this.hostIndex().hosts;
  }

  private bindingIndex() {
    this.bindings ??= {
      from: listIndex(this.parts.bindings, (b) => b.vhost, (b) => b.source),
      to: listIndex(
        this.parts.bindings.filter((b) => b.destinationType === 'queue'),
        (b) => b.vhost,
        (b) => b.destination,
      ),
    };
    return this.bindings;
  }

  private hostIndex(): ByHost {
    if (this.byHost) return this.byHost;
    const processes = groupBy(
      this.parts.processes.filter((p) => p.host !== null),
      (p) => p.host!,
    );
    const queues = new Map<string, Queue[]>();
    for (const q of this.parts.queues) {
      const hosts = new Set<string>();
      if (q.host) hosts.add(q.host);
      for (const id of q.processIds) {
        const host = this.processes.get(id)?.host;
        if (host) hosts.add(host);
      }
      for (const host of hosts) {
        const list = queues.get(host);
        if (list) list.push(q);
        else queues.set(host, [q]);
      }
    }
    const hosts = [...new Set([...queues.keys(), ...processes.keys()])].sort(compareNatural);
    this.byHost = { queues, processes, hosts };
    return this.byHost;
  }
}
