// The domain model. Pure data: no React, no Next, no I/O. Inputs are what the
// broker edge (lib/broker) maps the management API's answers into; the rest is
// what lib/domain builds from them and what the API and pages show.

import type { TopologyStructure } from './topology';
import type { DestinationType, ExchangeGroup, HostSource, MessageKind, QueueKind, ReplicationState } from './vocabulary';

export type { ExchangeGroup, QueueKind, ReplicationState } from './vocabulary';

/** Messages per second. The whole object is null where the broker gives no rates. */
export interface MessageRates {
  publish: number;
  deliver: number;
  ack: number;
  redeliver: number;
}

// ---------------------------------------------------------------- inputs

export interface OverviewInput {
  rabbitmqVersion: string | null;
  managementVersion: string | null;
  erlangVersion: string | null;
  clusterName: string | null;
  /** 'basic' | 'detailed' | 'none' as the broker says; null when unknown. */
  ratesMode: string | null;
  /** False when the broker collects no message statistics at all. */
  statsEnabled: boolean;
  rates: MessageRates | null;
  /** 4.0+: the type a queue declared without x-queue-type gets; null where the broker does not say. */
  defaultQueueType?: string | null;
  /** How fast clients come and go, per second; null where the broker does not say. */
  churn?: ChurnRates | null;
}

/** Per second, as the broker rates them over its last samples. */
export interface ChurnRates {
  connectionsOpened: number;
  connectionsClosed: number;
  /** Every queue.declare, of a queue that exists or not, refused or not. */
  queuesDeclared: number;
  /** Declarations that made a queue. */
  queuesCreated: number;
}

export interface NodeInput {
  name: string;
  running: boolean;
  type: string | null;
  memAlarm: boolean;
  diskFreeAlarm: boolean;
  partitions: string[];
  memUsed: number | null;
  memLimit: number | null;
  fdUsed: number | null;
  fdTotal: number | null;
  uptimeMs: number | null;
  /** In maintenance mode (`rabbitmq-upgrade drain`); null where the broker does not say. */
  beingDrained?: boolean | null;
}

export interface ExchangeInput {
  vhost: string;
  name: string;
  type: string;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}

export interface QueueInput {
  vhost: string;
  name: string;
  /** classic | quorum | stream (or what a newer broker says). */
  type: string;
  durable: boolean;
  autoDelete: boolean;
  exclusive: boolean;
  arguments: Record<string, unknown>;
  node: string | null;
  /**
   * Replicated queues (quorum, stream): the node of the leader (null while none is elected), the
   * nodes holding a replica, and those of them up as the broker last said. Null for a classic
   * queue, and where the broker does not say.
   */
  leader?: string | null;
  members?: string[] | null;
  online?: string[] | null;
  /** Streams: segment files on disk. */
  segments?: number | null;
  state: string | null;
  messagesReady: number | null;
  messagesUnacknowledged: number | null;
  consumers: number | null;
  rates: MessageRates | null;
  /** Since when nothing moved in it (epoch ms); null while messages move. */
  idleSince: number | null;
}

export interface BindingInput {
  vhost: string;
  source: string;
  destination: string;
  destinationType: DestinationType;
  routingKey: string;
}

export interface ConsumerInput {
  vhost: string;
  queue: string;
  consumerTag: string;
  ackRequired: boolean;
  prefetchCount: number;
  active: boolean;
  /** The broker's channel name, e.g. "127.0.0.1:42180 -> 127.0.0.1:5672 (1)"; null for a brand-new channel. */
  channelName: string | null;
  /** The broker's connection name, e.g. "127.0.0.1:42180 -> 127.0.0.1:5672". */
  connectionName: string | null;
}

export interface ConnectionInput {
  name: string;
  vhost: string;
  user: string;
  node: string | null;
  peerHost: string;
  peerPort: number | null;
  state: string;
  /** Epoch milliseconds. */
  connectedAt: number | null;
  /** client_properties.connection_name, or user_provided_name. */
  clientConnectionName: string | null;
  product: string | null;
  productVersion: string | null;
  platform: string | null;
  channels: number;
}

export interface ChannelInput {
  name: string;
  connectionName: string;
  number: number;
  prefetchCount: number;
  state: string | null;
  consumerCount: number;
  messagesUnacknowledged: number;
  rates: MessageRates | null;
  /** 3.x: a prefetch shared by the channel's consumers (global QoS, denied by default in 4.3); null where not said. */
  globalPrefetchCount?: number | null;
}

/** Something this broker does now that a coming RabbitMQ version removes (`/api/deprecated-features/used`, 3.13+). */
export interface DeprecatedFeatureInput {
  name: string;
  /** permitted_by_default | denied_by_default | disconnected | removed */
  phase: string | null;
  docUrl: string | null;
}

export interface PolicyInput {
  vhost: string;
  name: string;
  pattern: string;
  /** queues | exchanges | all | classic_queues | quorum_queues | streams. */
  applyTo: string;
  priority: number;
  definition: Record<string, unknown>;
}

export interface BrokerInputs {
  overview: OverviewInput;
  nodes: NodeInput[];
  vhosts: string[];
  exchanges: ExchangeInput[];
  queues: QueueInput[];
  bindings: BindingInput[];
  consumers: ConsumerInput[];
  connections: ConnectionInput[];
  channels: ChannelInput[];
  /** Null or absent: not read (the user may not list them, or an older capture). */
  policies?: PolicyInput[] | null;
  /** Null or absent: the broker has no such list (before 3.13), or it was not read. */
  deprecatedFeatures?: DeprecatedFeatureInput[] | null;
}

// ---------------------------------------------------------------- model

export interface QueueRef {
  vhost: string;
  name: string;
}

export interface QueueClassification {
  kind: QueueKind;
  /** The component (control exchange name, e.g. nova, neutron, openstack) it belongs to. */
  component: string | null;
  topic: string | null;
  /** The RPC server part of <topic>.<server>. */
  server: string | null;
  /** The OpenStack host, where the name says it (per-server queue, queue-manager names). */
  host: string | null;
  /** The binary, where a queue-manager name says it. */
  binary: string | null;
}

/** Where a replicated queue's (quorum queue's, stream's) members run, judged against the node list (lib/domain/replication.ts). */
export interface Replication {
  /** The leader's node as the broker last named it; null: none elected. */
  leader: string | null;
  /** Whether that node runs (null: no leader, or the node list does not say). */
  leaderRunning: boolean | null;
  members: string[];
  /** Members up: by the node list where it names their node, else as the broker said; null where neither says. */
  online: string[] | null;
  /** Members that must be up for it to work: a majority. */
  quorum: number;
  state: ReplicationState;
}

export interface Queue extends QueueInput, QueueClassification {
  /** Processes consuming it (Process.id). */
  processIds: string[];
  /** Null for a classic queue, and where the broker names no members (RabbitMQ 3.x streams, older captures). */
  replication: Replication | null;
  /**
   * A stream's entries the broker still lists as consumers after their channel closed (lib/domain/streams.ts):
   * neither in `consumers` (corrected for them) nor in the topology's consumers.
   */
  staleConsumers: number;
}

export interface Exchange extends ExchangeInput {
  group: ExchangeGroup;
  component: string | null;
  bindingCount: number;
}

export interface Consumer extends ConsumerInput {
  processId: string | null;
}

export interface Channel extends ChannelInput {
  consumers: QueueRef[];
}

export interface Connection extends ConnectionInput {
  processId: string | null;
  /** Parsed from clientConnectionName: binary:pid:uuid. */
  oslo: { binary: string; pid: number; uuid: string } | null;
}

export interface Process {
  /** `${binary}:${pid}@${peerHost}` for oslo clients, the connection name otherwise. */
  id: string;
  /** True when identified by an oslo-style connection_name. */
  oslo: boolean;
  binary: string | null;
  pid: number | null;
  host: string | null;
  /** How the host was found: a per-server queue it consumes, a queue-manager name, or another process at the same address. */
  hostSource: HostSource | null;
  peerHost: string;
  user: string;
  vhosts: string[];
  connections: string[];
  consumes: QueueRef[];
  replyQueues: QueueRef[];
  /** Sum over its channels; null where the broker gives no rates. */
  rates: MessageRates | null;
  connectedAt: number | null;
}

export interface Backlog {
  ready: number;
  unacknowledged: number;
}

export interface Topic {
  vhost: string;
  component: string | null;
  name: string;
  sharedQueue: string | null;
  serverQueues: string[];
  fanoutQueues: string[];
  consumers: number;
  backlog: Backlog;
  rates: MessageRates | null;
}

export interface ComponentSummary {
  name: string;
  vhosts: string[];
  topics: string[];
  topicCount: number;
  serverQueueCount: number;
  fanoutQueueCount: number;
  notificationQueueCount: number;
  consumers: number;
  backlog: Backlog;
  rates: MessageRates | null;
}

export interface QueueGroupSummary {
  count: number;
  withoutConsumer: number;
  messages: number;
}

export interface Totals {
  queues: number;
  exchanges: number;
  bindings: number;
  connections: number;
  channels: number;
  consumers: number;
  processes: number;
  backlog: Backlog;
  rates: MessageRates | null;
}

/** The broker as one refresh saw it, classified and joined; never changed once built. */
export interface Topology {
  readonly overview: OverviewInput;
  readonly nodes: readonly NodeInput[];
  readonly vhosts: readonly string[];
  readonly exchanges: readonly Exchange[];
  readonly queues: readonly Queue[];
  readonly bindings: readonly BindingInput[];
  readonly consumers: readonly Consumer[];
  readonly connections: readonly Connection[];
  readonly channels: readonly Channel[];
  readonly processes: readonly Process[];
  readonly topics: readonly Topic[];
  readonly components: readonly ComponentSummary[];
  readonly groups: Readonly<Record<QueueKind, QueueGroupSummary>>;
  readonly totals: Totals;
  /** Every lookup the views need, built once with the model. */
  readonly index: TopologyIndex;
  /** What it was built on besides the counts (classification, who consumes what): shared with the refreshes built on the same. */
  readonly structure: TopologyStructure;
}

/** The one index over a built topology (lib/domain/topology-index.ts builds it). */
export interface TopologyIndex {
  queue(vhost: string, name: string): Queue | undefined;
  exchange(vhost: string, name: string): Exchange | undefined;
  /** An RPC topic of a vhost (its shared, per-server and fanout queues). */
  topic(vhost: string, name: string): Topic | undefined;
  process(id: string): Process | undefined;
  connection(name: string): Connection | undefined;
  channel(name: string): Channel | undefined;
  channelsOf(connectionName: string): readonly Channel[];
  consumersOf(vhost: string, queue: string): readonly Consumer[];
  /** What a stream's closed channels left in the broker's consumer list: shown apart, never as consumers. */
  staleConsumersOf(vhost: string, queue: string): readonly Consumer[];
  /** The processes with these ids that exist in this topology. */
  processesOf(ids: readonly string[]): Process[];
  /** Bindings whose source is this exchange. */
  bindingsFrom(vhost: string, exchange: string): readonly BindingInput[];
  /** Bindings into this queue. */
  bindingsTo(vhost: string, queue: string): readonly BindingInput[];
  /** Queues on a host: named after it (compute.<host>, queue-manager names) or consumed by its processes. */
  queuesOfHost(host: string): readonly Queue[];
  processesOfHost(host: string): readonly Process[];
  /** Every host a queue name or a process names, in natural order. */
  hosts(): readonly string[];
}

// ---------------------------------------------------------------- views

/** One point of the server's history; null fields where the broker gave no number. */
export interface HistorySample {
  t: number;
  ready: number | null;
  unacknowledged: number | null;
  publish: number | null;
  deliver: number | null;
  ack: number | null;
  redeliver: number | null;
}

/** One message of a backlog, decoded from the oslo envelope and redacted. */
export interface PeekedMessage {
  /** 1-based position in the backlog as read. */
  position: number;
  redelivered: boolean;
  routingKey: string;
  exchange: string;
  properties: { contentType: string | null; expiration: string | null; deliveryMode: number | null };
  kind: MessageKind;
  method: string | null;
  namespace: string | null;
  version: string | null;
  msgId: string | null;
  replyQueue: string | null;
  timeout: number | null;
  eventType: string | null;
  context: { requestId: string | null; globalRequestId: string | null; user: string | null; project: string | null };
  /** Redacted and truncated JSON text of the arguments or payload. */
  payload: string;
  payloadTruncated: boolean;
}
