// Typed builders for domain inputs: defaults, with overrides spread on top.
import type { BindingInput, BrokerInputs, ConnectionInput, ConsumerInput, ExchangeInput, QueueInput } from '@/lib/domain/types';

export function makeQueue(overrides: Partial<QueueInput> & { name: string }): QueueInput {
  return {
    vhost: '/',
    type: 'classic',
    durable: false,
    autoDelete: false,
    exclusive: false,
    arguments: {},
    node: 'rabbit@localhost',
    state: 'running',
    messagesReady: 0,
    messagesUnacknowledged: 0,
    consumers: 0,
    rates: { publish: 0, deliver: 0, ack: 0, redeliver: 0 },
    idleSince: null,
    ...overrides,
  };
}

export function makeExchange(overrides: Partial<ExchangeInput> & { name: string }): ExchangeInput {
  return { vhost: '/', type: 'topic', durable: false, autoDelete: false, internal: false, arguments: {}, ...overrides };
}

export function makeBinding(source: string, destination: string, routingKey = destination, vhost = '/'): BindingInput {
  return { vhost, source, destination, destinationType: 'queue', routingKey };
}

export function makeConnection(overrides: Partial<ConnectionInput> & { name: string }): ConnectionInput {
  return {
    vhost: '/',
    user: 'openstack',
    node: 'rabbit@localhost',
    peerHost: '10.0.0.1',
    peerPort: 40000,
    state: 'running',
    connectedAt: 1_700_000_000_000,
    clientConnectionName: null,
    product: 'py-amqp',
    productVersion: '5.1.1',
    platform: null,
    channels: 1,
    ...overrides,
  };
}

export function makeConsumer(queue: string, connectionName: string, overrides: Partial<ConsumerInput> = {}): ConsumerInput {
  return {
    vhost: '/',
    queue,
    consumerTag: '1',
    ackRequired: true,
    prefetchCount: 0,
    active: true,
    channelName: `${connectionName} (1)`,
    connectionName,
    ...overrides,
  };
}

/** An OpenStack-shaped RPC server's declarations, the way oslo.messaging makes them. */
export function osloServer(exchange: string, topic: string, server: string, fanoutId: string, vhost = '/') {
  return {
    exchanges: [makeExchange({ vhost, name: exchange }), makeExchange({ vhost, name: `${topic}_fanout`, type: 'fanout', autoDelete: true })],
    queues: [
      makeQueue({ vhost, name: topic }),
      makeQueue({ vhost, name: `${topic}.${server}` }),
      makeQueue({ vhost, name: `${topic}_fanout_${fanoutId}`, arguments: { 'x-expires': 1_800_000 } }),
    ],
    bindings: [
      makeBinding(exchange, topic, topic, vhost),
      makeBinding(exchange, `${topic}.${server}`, `${topic}.${server}`, vhost),
      makeBinding(`${topic}_fanout`, `${topic}_fanout_${fanoutId}`, topic, vhost),
    ],
  };
}

export function emptyInputs(overrides: Partial<BrokerInputs> = {}): BrokerInputs {
  return {
    overview: {
      rabbitmqVersion: '3.10.8',
      managementVersion: '3.10.8',
      erlangVersion: '25',
      clusterName: 'rabbit@localhost',
      ratesMode: 'basic',
      statsEnabled: true,
      rates: { publish: 0, deliver: 0, ack: 0, redeliver: 0 },
    },
    nodes: [],
    vhosts: ['/'],
    exchanges: [],
    queues: [],
    bindings: [],
    consumers: [],
    connections: [],
    channels: [],
    ...overrides,
  };
}

const hex = (i: number) => i.toString(16).padStart(32, '0');

/**
 * n nova-compute hosts (compute0001…) with their shared, per-server and fanout queues, and a
 * publishing nova-conductor; the hosts numbered in `idle` are connected but no longer consume
 * their per-server queue; compute0002 has 7 messages waiting.
 */
export function novaComputeCloud(n: number, idle: number[] = []): BrokerInputs {
  const inputs = emptyInputs();
  for (let i = 1; i <= n; i++) {
    const host = `compute${String(i).padStart(4, '0')}`;
    const s = osloServer('nova', 'compute', host, hex(i));
    const conn = `conn-${i}`;
    inputs.connections.push(makeConnection({ name: conn, peerHost: `10.0.${i >> 8}.${i & 255}`, clientConnectionName: `nova-compute:${1000 + i}:5720bf7e-7bad-4af4-84f1-7fba0c68b74b` }));
    for (const q of s.queues) if (!inputs.queues.some((x) => x.name === q.name)) inputs.queues.push(q);
    for (const e of s.exchanges) if (!inputs.exchanges.some((x) => x.name === e.name)) inputs.exchanges.push(e);
    inputs.bindings.push(...s.bindings.filter((b) => !inputs.bindings.some((x) => x.destination === b.destination && x.source === b.source)));
    const consumed = ['compute', `compute_fanout_${hex(i)}`, ...(idle.includes(i) ? [] : [`compute.${host}`])];
    inputs.consumers.push(...consumed.map((q) => makeConsumer(q, conn)));
  }
  const count = (name: string) => inputs.consumers.filter((c) => c.queue === name).length;
  inputs.queues = inputs.queues.map((q) => ({ ...q, consumers: count(q.name), messagesReady: q.name === 'compute.compute0002' ? 7 : 0 }));
  // A conductor that publishes.
  inputs.connections.push(makeConnection({ name: 'cond', peerHost: '10.9.9.9', clientConnectionName: 'nova-conductor:77:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' }));
  inputs.channels.push({ name: 'cond (1)', connectionName: 'cond', number: 1, prefetchCount: 0, state: 'running', consumerCount: 0, messagesUnacknowledged: 0, rates: { publish: 12, deliver: 0, ack: 0, redeliver: 0 } });
  inputs.queues.push(makeQueue({ name: 'unrelated' }));
  return inputs;
}
