// Builds the model from what the broker said: classification, then the joins
// consumer → channel → connection → process, then the roll-ups. Every join goes
// through a map, so the build is linear in the input.
import { classifyVhost, componentOfBinary } from './classify';
import { groupBy, refKey, VhostIndex } from './keys';
import { parseOsloConnectionName, processId } from './process';
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

export function buildTopology(inputs: BrokerInputs): Topology {
  const exchangesByVhost = groupBy(inputs.exchanges, (e) => e.vhost);
  const queuesByVhost = groupBy(inputs.queues, (q) => q.vhost);
  const bindingsByVhost = groupBy(inputs.bindings, (b) => b.vhost);
  const vhosts = new Set([...inputs.vhosts, ...exchangesByVhost.keys(), ...queuesByVhost.keys()]);

  const exchanges: Exchange[] = [];
  const queues: Queue[] = [];
  const queueIndex = new VhostIndex<Queue>();
  const running = nodeRunning(inputs.nodes);

  for (const vhost of vhosts) {
    const vhostExchanges: ExchangeInput[] = exchangesByVhost.get(vhost) ?? [];
    const vhostQueues: QueueInput[] = queuesByVhost.get(vhost) ?? [];
    const vhostBindings: BindingInput[] = bindingsByVhost.get(vhost) ?? [];
    const c = classifyVhost({ exchanges: vhostExchanges, queues: vhostQueues, bindings: vhostBindings });
    const bindingCount = new Map<string, number>();
    for (const b of vhostBindings) bindingCount.set(b.source, (bindingCount.get(b.source) ?? 0) + 1);
    for (const e of vhostExchanges) {
      const g = c.exchangeGroup.get(e.name) ?? { group: 'other' as const, component: null };
      exchanges.push(toExchange(e, g.group, g.component, bindingCount.get(e.name) ?? 0));
    }
    for (const q of vhostQueues) {
      const cls = c.queue.get(q.name);
      if (!cls) continue;
      const queue = toQueue(q, cls, replicationOf(q, running));
      queues.push(queue);
      queueIndex.set(queue.vhost, queue.name, queue);
    }
  }
  const componentNames = new Set(exchanges.filter((e) => e.group === 'component').map((e) => e.name));

  // Connections and the processes behind them.
  const connections: Connection[] = inputs.connections.map((conn) => {
    const oslo = parseOsloConnectionName(conn.clientConnectionName);
    return toConnection(conn, oslo, oslo ? processId(oslo.binary, oslo.pid, conn.peerHost) : conn.name);
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
  const channelConsumers = new Map<string, QueueRef[]>();
  // One consumer of a queue per process is enough to join them: a shared topic queue has a consumer per host.
  // Numbers, not strings, key the pairs: 17k consumers at 1000 hosts.
  const processNumber = new Map<Process, number>();
  for (const p of processes.values()) processNumber.set(p, processNumber.size);
  const queueNumber = new Map<Queue, number>();
  for (const q of queues) queueNumber.set(q, queueNumber.size);
  const joined = new Set<number>();
  const consumersByQueue = new VhostIndex<Consumer[]>();
  const staleConsumersByQueue = new VhostIndex<Consumer[]>();
  const consumers: Consumer[] = [];
  for (const consumer of inputs.consumers) {
    const queue = queueIndex.get(consumer.vhost, consumer.queue);
    if (isStaleStreamConsumer(consumer, queue)) {
      queue!.staleConsumers++;
      const stale = staleConsumersByQueue.get(consumer.vhost, consumer.queue);
      if (stale) stale.push(toConsumer(consumer, null));
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
    if (queue && process) {
      const pair = queueNumber.get(queue)! * processes.size + processNumber.get(process)!;
      if (!joined.has(pair)) {
        joined.add(pair);
        queue.processIds.push(process.id);
        (queue.kind === 'reply' ? process.replyQueues : process.consumes).push(ref);
      }
    }
    const c = toConsumer(consumer, process?.id ?? null);
    const ofQueue = consumersByQueue.get(c.vhost, c.queue);
    if (ofQueue) ofQueue.push(c);
    else consumersByQueue.set(c.vhost, c.queue, [c]);
    consumers.push(c);
  }
  for (const q of queues) {
    const listed = consumersByQueue.get(q.vhost, q.name)?.length ?? 0;
    if (q.staleConsumers > 0) q.consumers = consumersWithoutStale(q.consumers, listed, q.staleConsumers);
    // The count lags the list: RabbitMQ 3.10 on a busy node was seen answering 0 for a queue, for
    // seconds, while /api/consumers listed its consumers. A consumer listed is a consumer.
    if (q.consumers !== null && listed > q.consumers) q.consumers = listed;
  }
  const channels: Channel[] = inputs.channels.map((ch) => toChannel(ch, channelConsumers.get(ch.name) ?? []));

  const channelsByConnection = groupBy(channels, (ch) => ch.connectionName);
  for (const p of processes.values()) {
    p.rates = sumRates(p.connections.flatMap((name) => channelsByConnection.get(name) ?? []).map((ch) => ch.rates));
  }

  inferProcessHosts(processes, queueIndex);

  // Reply queues belong to the component of whoever consumes them, or whose name they carry.
  for (const q of queues) {
    if (q.kind !== 'reply' || q.component) continue;
    const binary = q.binary ?? (q.processIds[0] ? processes.get(q.processIds[0])?.binary : null);
    if (binary) q.component = componentOfBinary(binary, componentNames);
  }

  const topics = buildTopics(queues);
  const components = buildComponents(componentNames, topics, queues);
  const groups = Object.fromEntries(QUEUE_KINDS.map((k) => [k, emptyGroup()])) as Record<QueueKind, QueueGroupSummary>;
  for (const q of queues) {
    const g = groups[q.kind];
    g.count++;
    if ((q.consumers ?? 0) === 0) g.withoutConsumer++;
    g.messages += (waitingMessages(q) ?? 0) + (q.messagesUnacknowledged ?? 0);
  }

  const processList = [...processes.values()];
  const index = indexTopology(
    { exchanges, queues, bindings: inputs.bindings, connections, channels, processes: processList, topics },
    { queues: queueIndex, processes, consumersByQueue, staleConsumersByQueue, channelsByConnection },
  );
  return {
    overview: inputs.overview,
    nodes: inputs.nodes,
    vhosts: [...vhosts].sort(),
    exchanges,
    queues,
    bindings: inputs.bindings,
    consumers,
    connections,
    channels,
    processes: processList,
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
      processes: processes.size,
      backlog: sumBacklog(queues),
      rates: inputs.overview.statsEnabled ? inputs.overview.rates : null,
    },
    index,
  };
}

// Model objects are built field by field: V8 gives such literals one fast shape, where spreads
// and Object.assign over 10k+ objects cost a third of the build (and `{...a, ...b}` makes slow
// dictionary objects). The types keep these lists complete.
function toQueue(q: QueueInput, c: QueueClassification, replication: Replication | null): Queue {
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
    consumers: q.consumers,
    rates: q.rates,
    idleSince: q.idleSince,
    kind: c.kind,
    component: c.component,
    topic: c.topic,
    server: c.server,
    host: c.host,
    binary: c.binary,
    processIds: [],
    replication,
    staleConsumers: 0,
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
function inferProcessHosts(processes: Map<string, Process>, queueIndex: VhostIndex<Queue>): void {
  for (const p of processes.values()) {
    for (const ref of [...p.consumes, ...p.replyQueues]) {
      const q = queueIndex.get(ref.vhost, ref.name);
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

function buildComponents(componentNames: Set<string>, topics: Topic[], queues: Queue[]): ComponentSummary[] {
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
