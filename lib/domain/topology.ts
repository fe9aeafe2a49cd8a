// Builds the model from what the broker said, in two parts. The structure (buildStructure):
// classification, exchanges, and the joins consumer → channel → connection → process. It
// depends only on the topology's lists and on who consumes, which are read whole every minute
// or so and handed unchanged to the counts refreshes in between, so a refresh whose lists are
// the ones before keeps the structure it was given. Then the counts (buildTopology): each
// queue's, and the roll-ups. Every join goes through a map, so both are linear in the input.
import { classifyVhost, componentOfBinary } from './classify';
import { groupBy, refKey, VhostIndex } from './keys';
import { StateMemo } from './memo';
import { connectionProcessId, parseOsloConnectionName } from './process';
import { sumBacklog, sumRates } from './rates';
import { nodeRunning, replicationOf } from './replication';
import { consumersWithoutStale, isStaleStreamConsumer, waitingMessages } from './streams';
import { indexTopology } from './topology-index';
import { QUEUE_KINDS } from './vocabulary';
import type {
  BrokerInputs,
  Channel,
  ChannelInput,
  ComponentSummary,
  Connection,
  ConnectionInput,
  Consumer,
  ConsumerInput,
  Exchange,
  ExchangeGroup,
  ExchangeInput,
  BindingInput,
  Process,
  Queue,
  QueueGroupSummary,
  QueueClassification,
  QueueInput,
  QueueKind,
  QueueRef,
  Replication,
  Topic,
  Topology,
} from './types';

/** What a model is built on besides the counts; the refreshes built on the same one share it. */
export interface TopologyStructure {
  readonly shape: Shape;
  readonly joins: Joins;
  /** What is computed from the structure alone (series keys, the journal's digest of the queues), kept as long as it is. */
  readonly memo: StateMemo;
}

/** What exchanges, bindings and the queues' names and types make: read on the topology cadence. */
interface Shape {
  /** The lists it was built from, compared by identity: the broker reader hands the same ones to every counts refresh. */
  readonly exchangeInputs: readonly ExchangeInput[];
  readonly bindingInputs: readonly BindingInput[];
  readonly vhostInputs: readonly string[];
  /** What it took of each queue in the inputs: each refresh's queues are new objects, compared by these. */
  readonly queueKeys: readonly QueueKey[];
  readonly vhosts: readonly string[];
  readonly exchanges: readonly Exchange[];
  readonly componentNames: ReadonlySet<string>;
  /** The model's queues in order: where each is in the inputs' queues, and what it is. */
  readonly order: readonly number[];
  readonly classes: readonly QueueClassification[];
  /** A queue's place in that order. */
  readonly positions: VhostIndex<number>;
}

type QueueKey = Pick<QueueInput, 'vhost' | 'name' | 'type'>;

/** What a queue is joined to, by its place in the model's order. */
interface QueueJoin {
  readonly processIds: string[];
  /** Consumers listed for it (stale stream entries apart), and stale stream entries. */
  readonly listed: number;
  readonly stale: number;
  /** The classification's, or for a reply queue the component of whoever consumes it. */
  readonly component: string | null;
}

/** Who consumes what: read whole on the topology cadence, followed queue by queue in between. */
interface Joins {
  /** The lists it was built from, compared item by item (the broker reader makes new lists of the same objects). */
  readonly consumerInputs: readonly ConsumerInput[];
  readonly connectionInputs: readonly ConnectionInput[];
  readonly channelInputs: readonly ChannelInput[];
  readonly connections: readonly Connection[];
  readonly processes: readonly Process[];
  readonly processById: ReadonlyMap<string, Process>;
  readonly consumers: readonly Consumer[];
  readonly channels: readonly Channel[];
  readonly channelsByConnection: ReadonlyMap<string, Channel[]>;
  readonly consumersByQueue: VhostIndex<Consumer[]>;
  readonly staleConsumersByQueue: VhostIndex<Consumer[]>;
  readonly queues: readonly QueueJoin[];
}

/** The structure of these inputs: `previous` itself, or its shape, where their lists are the same. */
export function buildStructure(inputs: BrokerInputs, previous: TopologyStructure | null = null): TopologyStructure {
  const shape = previous && sameShape(previous.shape, inputs) ? previous.shape : buildShape(inputs);
  if (previous && shape === previous.shape && sameJoinInputs(previous.joins, inputs)) return previous;
  return { shape, joins: buildJoins(inputs, shape), memo: new StateMemo() };
}

function sameShape(s: Shape, inputs: BrokerInputs): boolean {
  if (s.exchangeInputs !== inputs.exchanges || s.bindingInputs !== inputs.bindings || s.vhostInputs !== inputs.vhosts) return false;
  const before = s.queueKeys;
  const now = inputs.queues;
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = before[i]!;
    const b = now[i]!;
    if (a.name !== b.name || a.vhost !== b.vhost || a.type !== b.type) return false;
  }
  return true;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameJoinInputs(j: Joins, inputs: BrokerInputs): boolean {
  return sameItems(j.consumerInputs, inputs.consumers) && sameItems(j.connectionInputs, inputs.connections) && sameItems(j.channelInputs, inputs.channels);
}

function buildShape(inputs: BrokerInputs): Shape {
  const exchangesByVhost = groupBy(inputs.exchanges, (e) => e.vhost);
  const queueIndices = groupBy(inputs.queues.keys(), (i) => inputs.queues[i]!.vhost);
  const bindingsByVhost = groupBy(inputs.bindings, (b) => b.vhost);
  const vhosts = new Set([...inputs.vhosts, ...exchangesByVhost.keys(), ...queueIndices.keys()]);

  const exchanges: Exchange[] = [];
  const order: number[] = [];
  const classes: QueueClassification[] = [];
  const positions = new VhostIndex<number>();
  for (const vhost of vhosts) {
    const vhostExchanges: ExchangeInput[] = exchangesByVhost.get(vhost) ?? [];
    const indices = queueIndices.get(vhost) ?? [];
    const vhostBindings: BindingInput[] = bindingsByVhost.get(vhost) ?? [];
    const c = classifyVhost({ exchanges: vhostExchanges, queues: indices.map((i) => inputs.queues[i]!), bindings: vhostBindings });
    const bindingCount = new Map<string, number>();
    for (const b of vhostBindings) bindingCount.set(b.source, (bindingCount.get(b.source) ?? 0) + 1);
    for (const e of vhostExchanges) {
      const g = c.exchangeGroup.get(e.name) ?? { group: 'other' as const, component: null };
      exchanges.push(toExchange(e, g.group, g.component, bindingCount.get(e.name) ?? 0));
    }
    for (const i of indices) {
      const q = inputs.queues[i]!;
      const cls = c.queue.get(q.name);
      if (!cls) continue;
      positions.set(vhost, q.name, order.length);
      order.push(i);
      classes.push(cls);
    }
  }
  return {
    exchangeInputs: inputs.exchanges,
    bindingInputs: inputs.bindings,
    vhostInputs: inputs.vhosts,
    queueKeys: inputs.queues.map((q) => ({ vhost: q.vhost, name: q.name, type: q.type })),
    vhosts: [...vhosts].sort(),
    exchanges,
    componentNames: new Set(exchanges.filter((e) => e.group === 'component').map((e) => e.name)),
    order,
    classes,
    positions,
  };
}

function buildJoins(inputs: BrokerInputs, shape: Shape): Joins {
  const { positions, classes } = shape;
  const queueInput = (pos: number | undefined) => (pos === undefined ? undefined : inputs.queues[shape.order[pos]!]);

  // Connections and the processes behind them.
  const connections: Connection[] = inputs.connections.map((conn) => {
    const oslo = parseOsloConnectionName(conn.clientConnectionName);
    return toConnection(conn, oslo, connectionProcessId(conn, oslo));
  });
  const processes = new Map<string, Process>();
  const processByConnection = new Map<string, Process>();
  for (const conn of connections) {
    const id = conn.processId ?? conn.name;
    let p = processes.get(id);
    if (!p) {
      p = {
        id,
        oslo: conn.oslo !== null,
        binary: conn.oslo?.binary ?? conn.clientConnectionName ?? conn.product,
        pid: conn.oslo?.pid ?? null,
        host: null,
        hostSource: null,
        peerHost: conn.peerHost,
        user: conn.user,
        vhosts: [],
        connections: [],
        consumes: [],
        replyQueues: [],
        rates: null,
        connectedAt: conn.connectedAt,
      };
      processes.set(id, p);
    }
    processByConnection.set(conn.name, p);
    p.connections.push(conn.name);
    if (!p.vhosts.includes(conn.vhost)) p.vhosts.push(conn.vhost);
    if (conn.connectedAt !== null && (p.connectedAt === null || conn.connectedAt < p.connectedAt)) p.connectedAt = conn.connectedAt;
  }

  // Consumers → connection → process; and what each channel consumes.
  const processIds: string[][] = classes.map(() => []);
  const stale = new Array<number>(classes.length).fill(0);
  const channelConsumers = new Map<string, QueueRef[]>();
  // One consumer of a queue per process is enough to join them: a shared topic queue has a consumer per host.
  // Numbers, not strings, key the pairs: 17k consumers at 1000 hosts.
  const processNumber = new Map<Process, number>();
  for (const p of processes.values()) processNumber.set(p, processNumber.size);
  const joined = new Set<number>();
  const consumersByQueue = new VhostIndex<Consumer[]>();
  const staleConsumersByQueue = new VhostIndex<Consumer[]>();
  const consumers: Consumer[] = [];
  for (const consumer of inputs.consumers) {
    const pos = positions.get(consumer.vhost, consumer.queue);
    if (isStaleStreamConsumer(consumer, queueInput(pos))) {
      stale[pos!]!++;
      const list = staleConsumersByQueue.get(consumer.vhost, consumer.queue);
      if (list) list.push(toConsumer(consumer, null));
      else staleConsumersByQueue.set(consumer.vhost, consumer.queue, [toConsumer(consumer, null)]);
      continue;
    }
    const process = consumer.connectionName ? processByConnection.get(consumer.connectionName) : undefined;
    const ref = { vhost: consumer.vhost, name: consumer.queue };
    if (consumer.channelName) {
      const list = channelConsumers.get(consumer.channelName);
      if (list) list.push(ref);
      else channelConsumers.set(consumer.channelName, [ref]);
    }
    if (pos !== undefined && process) {
      const pair = pos * processes.size + processNumber.get(process)!;
      if (!joined.has(pair)) {
        joined.add(pair);
        processIds[pos]!.push(process.id);
        (classes[pos]!.kind === 'reply' ? process.replyQueues : process.consumes).push(ref);
      }
    }
    const c = toConsumer(consumer, process?.id ?? null);
    const ofQueue = consumersByQueue.get(c.vhost, c.queue);
    if (ofQueue) ofQueue.push(c);
    else consumersByQueue.set(c.vhost, c.queue, [c]);
    consumers.push(c);
  }
  const channels: Channel[] = inputs.channels.map((ch) => toChannel(ch, channelConsumers.get(ch.name) ?? []));

  const channelsByConnection = groupBy(channels, (ch) => ch.connectionName);
  for (const p of processes.values()) {
    p.rates = sumRates(p.connections.flatMap((name) => channelsByConnection.get(name) ?? []).map((ch) => ch.rates));
  }

  inferProcessHosts(processes, (vhost, name) => {
    const pos = positions.get(vhost, name);
    return pos === undefined ? undefined : classes[pos];
  });

  const queues = classes.map((cls, pos): QueueJoin => {
    const ids = processIds[pos]!;
    const input = queueInput(pos)!;
    let component = cls.component;
    // Reply queues belong to the component of whoever consumes them, or whose name they carry.
    if (cls.kind === 'reply' && !component) {
      const binary = cls.binary ?? (ids[0] ? processes.get(ids[0])?.binary : null);
      if (binary) component = componentOfBinary(binary, shape.componentNames);
    }
    return { processIds: ids, listed: consumersByQueue.get(input.vhost, input.name)?.length ?? 0, stale: stale[pos]!, component };
  });

  return {
    consumerInputs: inputs.consumers,
    connectionInputs: inputs.connections,
    channelInputs: inputs.channels,
    connections,
    processes: [...processes.values()],
    processById: processes,
    consumers,
    channels,
    channelsByConnection,
    consumersByQueue,
    staleConsumersByQueue,
    queues,
  };
}

/** The model of these inputs: their counts on `structure` (by default, built from them). */
export function buildTopology(inputs: BrokerInputs, structure: TopologyStructure = buildStructure(inputs)): Topology {
  const { shape, joins } = structure;
  const running = nodeRunning(inputs.nodes);
  const queues: Queue[] = [];
  for (let pos = 0; pos < shape.order.length; pos++) {
    const input = inputs.queues[shape.order[pos]!]!;
    queues.push(toQueue(input, shape.classes[pos]!, joins.queues[pos]!, replicationOf(input, running)));
  }

  const topics = buildTopics(queues);
  const components = buildComponents(shape.componentNames, topics, queues);
  const groups = Object.fromEntries(QUEUE_KINDS.map((k) => [k, emptyGroup()])) as Record<QueueKind, QueueGroupSummary>;
  for (const q of queues) {
    const g = groups[q.kind];
    g.count++;
    if ((q.consumers ?? 0) === 0) g.withoutConsumer++;
    g.messages += (waitingMessages(q) ?? 0) + (q.messagesUnacknowledged ?? 0);
  }

  const { exchanges } = shape;
  const { connections, channels, consumers, processes } = joins;
  const index = indexTopology(
    { exchanges, queues, bindings: inputs.bindings, connections, channels, processes, topics },
    {
      queues: {
        get: (vhost, name) => {
          const pos = shape.positions.get(vhost, name);
          return pos === undefined ? undefined : queues[pos];
        },
      },
      processes: joins.processById,
      consumersByQueue: joins.consumersByQueue,
      staleConsumersByQueue: joins.staleConsumersByQueue,
      channelsByConnection: joins.channelsByConnection,
    },
  );
  return {
    overview: inputs.overview,
    nodes: inputs.nodes,
    vhosts: shape.vhosts,
    exchanges,
    queues,
    bindings: inputs.bindings,
    consumers,
    connections,
    channels,
    processes,
    topics,
    components,
    groups,
    totals: {
      queues: queues.length,
      exchanges: exchanges.length,
      bindings: inputs.bindings.length,
      connections: connections.length,
      channels: channels.length,
      consumers: consumers.length,
      processes: processes.length,
      backlog: sumBacklog(queues),
      rates: inputs.overview.statsEnabled ? inputs.overview.rates : null,
    },
    index,
    structure,
  };
}

/** A queue's consumer count as the model shows it: the broker's, without stale stream entries, and never fewer than listed. */
function consumerCount(count: number | null, join: QueueJoin): number | null {
  const counted = join.stale > 0 ? consumersWithoutStale(count, join.listed, join.stale) : count;
  // The count lags the list: RabbitMQ 3.10 on a busy node was seen answering 0 for a queue, for
  // seconds, while /api/consumers listed its consumers. A consumer listed is a consumer.
  return counted !== null && join.listed > counted ? join.listed : counted;
}

// Model objects are built field by field: V8 gives such literals one fast shape, where spreads
// and Object.assign over 10k+ objects cost a third of the build (and `{...a, ...b}` makes slow
// dictionary objects). The types keep these lists complete.
function toQueue(q: QueueInput, c: QueueClassification, join: QueueJoin, replication: Replication | null): Queue {
  return {
    vhost: q.vhost,
    name: q.name,
    type: q.type,
    durable: q.durable,
    autoDelete: q.autoDelete,
    exclusive: q.exclusive,
    arguments: q.arguments,
    node: q.node,
    leader: q.leader ?? null,
    members: q.members ?? null,
    online: q.online ?? null,
    segments: q.segments ?? null,
    state: q.state,
    messagesReady: q.messagesReady,
    messagesUnacknowledged: q.messagesUnacknowledged,
    consumers: consumerCount(q.consumers, join),
    rates: q.rates,
    idleSince: q.idleSince,
    kind: c.kind,
    component: join.component,
    topic: c.topic,
    server: c.server,
    host: c.host,
    binary: c.binary,
    processIds: join.processIds,
    replication,
    staleConsumers: join.stale,
  };
}

function toExchange(e: ExchangeInput, group: ExchangeGroup, component: string | null, bindingCount: number): Exchange {
  return {
    vhost: e.vhost,
    name: e.name,
    type: e.type,
    durable: e.durable,
    autoDelete: e.autoDelete,
    internal: e.internal,
    arguments: e.arguments,
    group,
    component,
    bindingCount,
  };
}

function toConnection(c: ConnectionInput, oslo: Connection['oslo'], processId: string): Connection {
  return {
    name: c.name,
    vhost: c.vhost,
    user: c.user,
    node: c.node,
    peerHost: c.peerHost,
    peerPort: c.peerPort,
    state: c.state,
    connectedAt: c.connectedAt,
    clientConnectionName: c.clientConnectionName,
    product: c.product,
    productVersion: c.productVersion,
    platform: c.platform,
    channels: c.channels,
    oslo,
    processId,
  };
}

function toConsumer(c: ConsumerInput, processId: string | null): Consumer {
  return {
    vhost: c.vhost,
    queue: c.queue,
    consumerTag: c.consumerTag,
    ackRequired: c.ackRequired,
    prefetchCount: c.prefetchCount,
    active: c.active,
    channelName: c.channelName,
    connectionName: c.connectionName,
    processId,
  };
}

function toChannel(c: ChannelInput, consumers: QueueRef[]): Channel {
  return {
    name: c.name,
    connectionName: c.connectionName,
    number: c.number,
    prefetchCount: c.prefetchCount,
    state: c.state,
    consumerCount: c.consumerCount,
    messagesUnacknowledged: c.messagesUnacknowledged,
    rates: c.rates,
    consumers,
  };
}

function emptyGroup(): QueueGroupSummary {
  return { count: 0, withoutConsumer: 0, messages: 0 };
}

/**
 * A process's OpenStack host: the server of a per-server queue it consumes, or the
 * host in a queue-manager name. Then an address where all identified processes
 * agree on one host names the host of the others there.
 */
function inferProcessHosts(processes: Map<string, Process>, queueClass: (vhost: string, name: string) => QueueClassification | undefined): void {
  for (const p of processes.values()) {
    for (const ref of [...p.consumes, ...p.replyQueues]) {
      const q = queueClass(ref.vhost, ref.name);
      if (!q?.host) continue;
      if (q.kind === 'rpc-server') {
        p.host = q.host;
        p.hostSource = 'server-queue';
        break;
      }
      if (!p.host) {
        p.host = q.host;
        p.hostSource = 'queue-name';
      }
    }
  }
  const hostsByAddress = new Map<string, Set<string>>();
  for (const p of processes.values()) {
    if (!p.host) continue;
    const set = hostsByAddress.get(p.peerHost) ?? new Set<string>();
    set.add(p.host);
    hostsByAddress.set(p.peerHost, set);
  }
  for (const p of processes.values()) {
    if (p.host) continue;
    const hosts = hostsByAddress.get(p.peerHost);
    if (hosts?.size === 1) {
      p.host = [...hosts][0] ?? null;
      p.hostSource = 'address';
    }
  }
}

function buildTopics(queues: Queue[]): Topic[] {
  const topics = new Map<string, Topic>();
  for (const q of queues) {
    if (!q.topic || (q.kind !== 'rpc-topic' && q.kind !== 'rpc-server' && q.kind !== 'rpc-fanout')) continue;
    const key = refKey(q.vhost, q.topic);
    let t = topics.get(key);
    if (!t) {
      t = {
        vhost: q.vhost,
        component: q.component,
        name: q.topic,
        sharedQueue: null,
        serverQueues: [],
        fanoutQueues: [],
        consumers: 0,
        backlog: { ready: 0, unacknowledged: 0 },
        rates: null,
      };
      topics.set(key, t);
    }
    t.component ??= q.component;
    if (q.kind === 'rpc-topic') t.sharedQueue = q.name;
    else if (q.kind === 'rpc-server') t.serverQueues.push(q.name);
    else t.fanoutQueues.push(q.name);
    t.consumers += q.consumers ?? 0;
    t.backlog.ready += waitingMessages(q) ?? 0;
    t.backlog.unacknowledged += q.messagesUnacknowledged ?? 0;
    t.rates = sumRates([t.rates, q.rates]);
  }
  for (const t of topics.values()) t.serverQueues.sort();
  return [...topics.values()].sort((a, b) => a.name.localeCompare(b.name) || a.vhost.localeCompare(b.vhost));
}

function buildComponents(componentNames: ReadonlySet<string>, topics: Topic[], queues: Queue[]): ComponentSummary[] {
  const components = new Map<string, ComponentSummary>();
  const get = (name: string): ComponentSummary => {
    let c = components.get(name);
    if (!c) {
      c = {
        name,
        vhosts: [],
        topics: [],
        topicCount: 0,
        serverQueueCount: 0,
        fanoutQueueCount: 0,
        notificationQueueCount: 0,
        consumers: 0,
        backlog: { ready: 0, unacknowledged: 0 },
        rates: null,
      };
      components.set(name, c);
    }
    return c;
  };
  for (const name of componentNames) get(name);
  for (const q of queues) {
    if (!q.component || q.kind === 'reply' || q.kind === 'other') continue;
    const c = get(q.component);
    if (!c.vhosts.includes(q.vhost)) c.vhosts.push(q.vhost);
    if (q.kind === 'rpc-server') c.serverQueueCount++;
    if (q.kind === 'rpc-fanout') c.fanoutQueueCount++;
    if (q.kind === 'notification') c.notificationQueueCount++;
    c.consumers += q.consumers ?? 0;
    c.backlog.ready += waitingMessages(q) ?? 0;
    c.backlog.unacknowledged += q.messagesUnacknowledged ?? 0;
    c.rates = sumRates([c.rates, q.rates]);
  }
  for (const t of topics) {
    if (!t.component) continue;
    const c = get(t.component);
    if (!c.topics.includes(t.name)) c.topics.push(t.name);
  }
  for (const c of components.values()) {
    c.topics.sort();
    c.topicCount = c.topics.length;
  }
  return [...components.values()].sort((a, b) => a.name.localeCompare(b.name));
}
