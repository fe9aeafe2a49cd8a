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
