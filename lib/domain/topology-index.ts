// The one index over a built topology: every lookup a view, a rule or a route makes,
// built once per refresh with the model (buildTopology), so nothing scans or re-keys
// the model per request.
import { groupBy, refKey, VhostIndex } from './keys';
import type { BindingInput, Channel, Connection, Consumer, Exchange, Process, Queue, Topic } from './types';

export interface IndexedParts {
  exchanges: readonly Exchange[];
  queues: readonly Queue[];
  bindings: readonly BindingInput[];
  consumers: readonly Consumer[];
  connections: readonly Connection[];
  channels: readonly Channel[];
  processes: readonly Process[];
  topics: readonly Topic[];
}

const none: readonly never[] = Object.freeze([]);

export class TopologyIndex {
  private readonly queues: VhostIndex<Queue>;
  private readonly exchanges = new VhostIndex<Exchange>();
  private readonly topics = new VhostIndex<Topic>();
  private readonly processes: ReadonlyMap<string, Process>;
  private readonly connections: ReadonlyMap<string, Connection>;
  private readonly channels: ReadonlyMap<string, Channel>;
  private readonly channelsByConnection: ReadonlyMap<string, Channel[]>;
  private readonly consumersByQueue = new VhostIndex<Consumer[]>();
  private readonly bindingsBySource: ReadonlyMap<string, BindingInput[]>;
  private readonly bindingsByQueue: ReadonlyMap<string, BindingInput[]>;
  private readonly queuesByHost = new Map<string, Queue[]>();
  private readonly processesByHost: ReadonlyMap<string, Process[]>;
  /** Every host a queue name or a process names, in natural order. */
  readonly hosts: readonly string[];

  /** `queues` is the queue index the build already made while joining. */
  constructor(parts: IndexedParts, queues: VhostIndex<Queue>) {
    this.queues = queues;
    for (const e of parts.exchanges) this.exchanges.set(e.vhost, e.name, e);
    for (const t of parts.topics) this.topics.set(t.vhost, t.name, t);
    this.processes = new Map(parts.processes.map((p) => [p.id, p]));
    this.connections = new Map(parts.connections.map((c) => [c.name, c]));
    this.channels = new Map(parts.channels.map((c) => [c.name, c]));
    this.channelsByConnection = groupBy(parts.channels, (c) => c.connectionName);
    for (const c of parts.consumers) {
      const list = this.consumersByQueue.get(c.vhost, c.queue);
      if (list) list.push(c);
      else this.consumersByQueue.set(c.vhost, c.queue, [c]);
    }
    this.bindingsBySource = groupBy(parts.bindings, (b) => refKey(b.vhost, b.source));
    this.bindingsByQueue = groupBy(
      parts.bindings.filter((b) => b.destinationType === 'queue'),
      (b) => refKey(b.vhost, b.destination),
    );
    this.processesByHost = groupBy(
      parts.processes.filter((p) => p.host !== null),
      (p) => p.host!,
    );
    // A host's queues: those its name carries, and those its processes consume.
    for (const q of parts.queues) {
      const hosts = new Set<string>();
      if (q.host) hosts.add(q.host);
      for (const id of q.processIds) {
        const host = this.processes.get(id)?.host;
        if (host) hosts.add(host);
      }
      for (const host of hosts) {
        const list = this.queuesByHost.get(host);
        if (list) list.push(q);
        else this.queuesByHost.set(host, [q]);
      }
    }
    const collator = new Intl.Collator('en', { numeric: true });
    this.hosts = [...new Set([...this.queuesByHost.keys(), ...this.processesByHost.keys()])].sort(collator.compare);
  }

  queue(vhost: string, name: string): Queue | undefined {
    return this.queues.get(vhost, name);
  }

  exchange(vhost: string, name: string): Exchange | undefined {
    return this.exchanges.get(vhost, name);
  }

  /** An RPC topic of a vhost (its shared, per-server and fanout queues). */
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

  /** Bindings whose source is this exchange. */
  bindingsFrom(vhost: string, exchange: string): readonly BindingInput[] {
    return this.bindingsBySource.get(refKey(vhost, exchange)) ?? none;
  }

  /** Bindings into this queue. */
  bindingsTo(vhost: string, queue: string): readonly BindingInput[] {
    return this.bindingsByQueue.get(refKey(vhost, queue)) ?? none;
  }

  /** Queues on a host: named after it (compute.<host>, queue-manager names) or consumed by its processes. */
  queuesOfHost(host: string): readonly Queue[] {
    return this.queuesByHost.get(host) ?? none;
  }

  processesOfHost(host: string): readonly Process[] {
    return this.processesByHost.get(host) ?? none;
  }

  /** The processes with these ids that exist in this topology. */
  processesOf(ids: readonly string[]): Process[] {
    const found: Process[] = [];
    for (const id of ids) {
      const p = this.processes.get(id);
      if (p) found.push(p);
    }
    return found;
  }
}
