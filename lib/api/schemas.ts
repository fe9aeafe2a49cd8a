// What /api/v1 answers, declared once as schemas: the server builds its answers through the
// mappers in lib/api/map.ts (typed by these), and the browser checks every answer against
// them before a page sees it. The domain's types are not the contract: a field renamed there
// is a compile error in the mapper, never a silent change of the API.
import { z } from 'zod';
import type { FindingSubject as DomainFindingSubject } from '@/lib/domain/findings/types';
import type { JournalSubject as DomainJournalSubject } from '@/lib/domain/journal';
import {
  ADOPTIONS,
  AUTH_MODES,
  COUNT_SOURCES,
  DESTINATION_TYPES,
  EXCHANGE_GROUPS,
  FLOW_EDGE_KINDS,
  FLOW_NODE_KINDS,
  HOST_SOURCES,
  JOURNAL_KINDS,
  MESSAGE_KINDS,
  MIGRATION_OPTIONS,
  OSLO_RABBIT_OPTIONS,
  PROBE_STATUSES,
  QUEUE_HEALTHS,
  QUEUE_KINDS,
  REPLICATION_STATES,
  RULE_IDS,
  SERIES_SCOPES,
  SERVICE_STATUSES,
  SEVERITIES,
  UPGRADE_CHECK_IDS,
  UPGRADE_CHECK_STATUSES,
  RABBITMQ_SERIES,
  UPGRADE_STOPS,
  WATCH_MODES,
} from '@/lib/domain/vocabulary';
import type { Same } from './same';

const text = z.string();
const nullableText = z.string().nullable();
const nullableNumber = z.number().nullable();
/** An object with exactly these keys, each holding a `value`. */
const record = <K extends string, V extends z.ZodType>(keys: readonly K[], value: V) =>
  z.object(Object.fromEntries(keys.map((k) => [k, value])) as { [P in K]: V });

// ---------------------------------------------------------------- status of every answer

export const snapshotStatus = z.object({
  /** Epoch ms of the last successful refresh; null before the first one. */
  fetchedAt: nullableNumber,
  /** True when the last refresh failed and what is shown is older. */
  stale: z.boolean(),
  refreshing: z.boolean(),
  /** The last refresh's failure, kept until a refresh succeeds. */
  error: z.object({ message: text, request: nullableText, since: z.number() }).nullable(),
  /** How often the server refreshes now (0: never, an offline capture); the browser polls at this cadence. */
  refreshIntervalMs: z.number(),
  /** The slow cadence: exchanges, bindings, queue metadata and who consumes. */
  topology: z.object({ fetchedAt: nullableNumber, refreshIntervalMs: z.number() }).optional(),
  /** always: the server reads the broker whether anyone looks or not; on-demand: while someone does. */
  watch: z.enum(WATCH_MODES).optional(),
  /**
   * Where the queue counts came from (the Prometheus plugin, or the management API) and why; when
   * who consumes was last read whole (changes are followed queue by queue in between).
   */
  source: z.object({ counts: z.enum(COUNT_SOURCES), why: text, identityAt: nullableNumber }).optional(),
  /** What this answer lacks: parts the broker would not give (statistics disabled, a user without the monitoring tag), or could not be read for this answer; the rest is good. */
  warnings: z.array(text).optional(),
  /** An offline capture, read-only: when it was taken (fetchedAt is the same). */
  capturedAt: z.number().optional(),
});
export type SnapshotStatus = z.infer<typeof snapshotStatus>;

export const apiError = z.object({
  error: text,
  status: snapshotStatus.nullable(),
  /** Set when signing in (again) would help: the browser goes to /login. */
  signIn: z.boolean().optional(),
});
export type ApiError = z.infer<typeof apiError>;

// ---------------------------------------------------------------- the model's parts

export const messageRates = z.object({ publish: z.number(), deliver: z.number(), ack: z.number(), redeliver: z.number() });
export type MessageRates = z.infer<typeof messageRates>;
const rates = messageRates.nullable();
const backlog = z.object({ ready: z.number(), unacknowledged: z.number() });

export const historySample = z.object({
  t: z.number(),
  ready: nullableNumber,
  unacknowledged: nullableNumber,
  publish: nullableNumber,
  deliver: nullableNumber,
  ack: nullableNumber,
  redeliver: nullableNumber,
});
export type HistorySample = z.infer<typeof historySample>;

export const brokerInfo = z.object({
  rabbitmqVersion: nullableText,
  managementVersion: nullableText,
  erlangVersion: nullableText,
  clusterName: nullableText,
  ratesMode: nullableText,
  statsEnabled: z.boolean(),
  rates,
});

export const node = z.object({
  name: text,
  running: z.boolean(),
  type: nullableText,
  memAlarm: z.boolean(),
  diskFreeAlarm: z.boolean(),
  partitions: z.array(text),
  memUsed: nullableNumber,
  memLimit: nullableNumber,
  fdUsed: nullableNumber,
  fdTotal: nullableNumber,
  uptimeMs: nullableNumber,
  /** In maintenance mode (`rabbitmq-upgrade drain`): clients and quorum queue leaders moved off it; null where the broker does not say. */
  beingDrained: z.boolean().nullable(),
});
export type Node = z.infer<typeof node>;

const queueKind = z.enum(QUEUE_KINDS);
const queueHealth = z.enum(QUEUE_HEALTHS);
const queueRef = z.object({ vhost: text, name: text });

/** A quorum queue's or a stream's replicas (lib/domain/replication.ts): the members up by the node list where it names them. */
export const replication = z.object({
  /** As the broker last named it; null: none elected. */
  leader: nullableText,
  leaderRunning: z.boolean().nullable(),
  members: z.array(text),
  /** Null: neither the node list nor the broker says. */
  online: z.array(text).nullable(),
  quorum: z.number(),
  state: z.enum(REPLICATION_STATES),
});
export type Replication = z.infer<typeof replication>;

/** What a stream keeps: its messages are retention for its readers, not a backlog. */
export const retention = z.object({
  messages: nullableNumber,
  /** x-max-age as declared, e.g. "1800s". */
  maxAge: nullableText,
  maxAgeMs: nullableNumber,
  maxLengthBytes: nullableNumber,
  segments: nullableNumber,
});
export type Retention = z.infer<typeof retention>;

/** A queue as lists show it; `processIds` may be cut short where a list says so, `processCount` counts them all. */
export const queueRow = z.object({
  vhost: text,
  name: text,
  type: text,
  durable: z.boolean(),
  autoDelete: z.boolean(),
  node: nullableText,
  state: nullableText,
  messagesReady: nullableNumber,
  messagesUnacknowledged: nullableNumber,
  consumers: nullableNumber,
  rates,
  /** Since when nothing moved in it (epoch ms); null while messages move. */
  idleSince: nullableNumber,
  kind: queueKind,
  component: nullableText,
  topic: nullableText,
  server: nullableText,
  host: nullableText,
  binary: nullableText,
  processIds: z.array(text),
  processCount: z.number(),
  /** lib/domain/health.ts: what every page colours the queue by. */
  health: queueHealth,
  /** Quorum queues and streams; null for a classic queue or where the broker names no members. */
  replication: replication.nullable(),
  /** Streams only. */
  retention: retention.nullable(),
  /** A stream's entries left by closed channels: not consumers, not in `consumers`. */
  staleConsumers: z.number(),
});
export type QueueRow = z.infer<typeof queueRow>;

export const queue = queueRow.extend({ exclusive: z.boolean(), arguments: z.record(z.string(), z.unknown()) });
export type Queue = z.infer<typeof queue>;

export const exchange = z.object({
  vhost: text,
  name: text,
  type: text,
  durable: z.boolean(),
  autoDelete: z.boolean(),
  internal: z.boolean(),
  arguments: z.record(z.string(), z.unknown()),
  group: z.enum(EXCHANGE_GROUPS),
  component: nullableText,
  bindingCount: z.number(),
});
export type Exchange = z.infer<typeof exchange>;

export const binding = z.object({ vhost: text, source: text, destination: text, destinationType: z.enum(DESTINATION_TYPES), routingKey: text });
export type Binding = z.infer<typeof binding>;

export const consumer = z.object({
  vhost: text,
  queue: text,
  consumerTag: text,
  ackRequired: z.boolean(),
  prefetchCount: z.number(),
  active: z.boolean(),
  channelName: nullableText,
  connectionName: nullableText,
  processId: nullableText,
});
export type Consumer = z.infer<typeof consumer>;

export const connection = z.object({
  name: text,
  vhost: text,
  user: text,
  node: nullableText,
  peerHost: text,
  peerPort: nullableNumber,
  state: text,
  connectedAt: nullableNumber,
  clientConnectionName: nullableText,
  product: nullableText,
  productVersion: nullableText,
  platform: nullableText,
  channels: z.number(),
  processId: nullableText,
  oslo: z.object({ binary: text, pid: z.number(), uuid: text }).nullable(),
});
export type Connection = z.infer<typeof connection>;

export const channel = z.object({
  name: text,
  connectionName: text,
  number: z.number(),
  prefetchCount: z.number(),
  state: nullableText,
  consumerCount: z.number(),
  messagesUnacknowledged: z.number(),
  rates,
  consumers: z.array(queueRef),
});
export type Channel = z.infer<typeof channel>;

const processFields = {
  id: text,
  oslo: z.boolean(),
  binary: nullableText,
  pid: nullableNumber,
  host: nullableText,
  hostSource: z.enum(HOST_SOURCES).nullable(),
  peerHost: text,
  user: text,
  /** Every vhost it is connected in (a cloud with nova cells has several). */
  vhosts: z.array(text),
  rates,
  connectedAt: nullableNumber,
};

export const process = z.object({ ...processFields, connections: z.array(text), consumes: z.array(queueRef), replyQueues: z.array(queueRef) });
export type Process = z.infer<typeof process>;

/** A process as the process list shows it: its lists as counts. */
export const processRow = z.object({ ...processFields, connectionCount: z.number(), consumeCount: z.number(), replyQueueCount: z.number() });
export type ProcessRow = z.infer<typeof processRow>;

export const componentSummary = z.object({
  name: text,
  vhosts: z.array(text),
  topics: z.array(text),
  topicCount: z.number(),
  serverQueueCount: z.number(),
  fanoutQueueCount: z.number(),
  notificationQueueCount: z.number(),
  consumers: z.number(),
  backlog,
  rates,
  /** The worst health of its queues, and how many are in each. */
  health: queueHealth,
  healthCounts: record(QUEUE_HEALTHS, z.number()),
});
export type ComponentSummary = z.infer<typeof componentSummary>;

export const totals = z.object({
  queues: z.number(),
  exchanges: z.number(),
  bindings: z.number(),
  connections: z.number(),
  channels: z.number(),
  consumers: z.number(),
  processes: z.number(),
  backlog,
  rates,
});
export type Totals = z.infer<typeof totals>;

export const queueGroup = z.object({
  count: z.number(),
  withoutConsumer: z.number(),
  messages: z.number(),
  /** The worst health of the group's queues. */
  health: queueHealth,
});
export type QueueGroup = z.infer<typeof queueGroup>;

// ---------------------------------------------------------------- findings and services

const severity = z.enum(SEVERITIES);
const ruleId = z.enum(RULE_IDS);
const serviceStatus = z.enum(SERVICE_STATUSES);

export const findingSubject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue'), vhost: text, name: text }),
  z.object({ type: z.literal('process'), id: text }),
  z.object({ type: z.literal('connection'), name: text, processId: nullableText }),
  z.object({ type: z.literal('node'), name: text }),
]);
export type FindingSubject = z.infer<typeof findingSubject>;
// The subjects are the domain's: neither this nor lib/domain compiles if one changes alone.
const findingSubjectAgrees: Same<FindingSubject, DomainFindingSubject> = true;
void findingSubjectAgrees;

export const finding = z.object({
  /** Stable across refreshes: rule + subject. */
  id: text,
  rule: ruleId,
  severity,
  /** Epoch ms when the dashboard first saw it. */
  since: z.number(),
  subject: findingSubject,
  title: text,
  explanation: text,
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  component: nullableText,
  host: nullableText,
});
export type Finding = z.infer<typeof finding>;

/** True when it first appeared in the latest refresh; how often it was raised in the last 24 h (null: no store to tell). */
export const findingView = finding.extend({ isNew: z.boolean(), raised24h: z.number().nullable().optional() });
export type FindingView = z.infer<typeof findingView>;

export const resolvedFinding = finding.extend({ resolvedAt: z.number() });
export type ResolvedFinding = z.infer<typeof resolvedFinding>;

export const ruleCount = z.object({ rule: ruleId, count: z.number(), severity });
export type RuleCount = z.infer<typeof ruleCount>;

const serviceProcess = z.object({ id: text, binary: nullableText, pid: nullableNumber });
export type ServiceProcessRef = z.infer<typeof serviceProcess>;

export const serviceRow = z.object({
  vhost: text,
  component: nullableText,
  exchange: nullableText,
  topic: text,
  host: text,
  server: text,
  serverQueue: text,
  consumers: nullableNumber,
  processes: z.array(serviceProcess),
  idleProcesses: z.array(serviceProcess),
  fanoutQueue: nullableText,
  backlog: backlog.nullable(),
  rates,
  /** Since when nothing moved in its per-server queue (epoch ms); null while it is busy. */
  idleSince: nullableNumber,
  status: serviceStatus,
  statusReason: text,
  findingIds: z.array(text),
});
export type ServiceRow = z.infer<typeof serviceRow>;

export const serviceGroup = z.object({
  vhost: text,
  component: nullableText,
  topic: text,
  total: z.number(),
  counts: z.partialRecord(serviceStatus, z.number()),
  rows: z.array(serviceRow),
});
export type ServiceGroup = z.infer<typeof serviceGroup>;

// ---------------------------------------------------------------- actions and clusters

export const actionStatus = z.object({
  enabled: z.boolean(),
  /** Why not, when disabled. */
  reason: nullableText,
});
export type ActionStatus = z.infer<typeof actionStatus>;

export const clusterInfo = z.object({
  id: text,
  /** What operators call it (the id unless configured). */
  name: text,
  /** An offline capture opened read-only: when it was taken; null for a live broker. */
  capturedAt: nullableNumber,
  managementUrl: text,
  status: snapshotStatus,
  actions: z.object({ probe: actionStatus, peek: actionStatus.extend({ allowQuorum: z.boolean() }) }),
});
export type ClusterInfo = z.infer<typeof clusterInfo>;

/** At a glance, for the page of all clusters (`GET /api/v1/clusters?include=health`). */
export const clusterHealth = z.object({
  /** Null until the broker was read once. */
  totals: totals.nullable(),
  statsEnabled: z.boolean().nullable(),
  findings: record(SEVERITIES, z.number()),
  /** RPC servers of the service list, by status. */
  services: z.partialRecord(serviceStatus, z.number()),
  /** Nodes down or in alarm. */
  nodeAlarms: z.number(),
  broker: z.object({ clusterName: nullableText, rabbitmqVersion: nullableText }).nullable(),
});
export type ClusterHealth = z.infer<typeof clusterHealth>;

export const clustersResponse = z.object({ clusters: z.array(clusterInfo.extend({ health: clusterHealth.optional() })) });
export type ClustersResponse = z.infer<typeof clustersResponse>;

/** Who the dashboard takes the browser for (GET /api/v1/session; POST signs in, DELETE signs out). */
export const sessionResponse = z.object({
  mode: z.enum(AUTH_MODES),
  /** The operator, when the dashboard knows one. */
  user: nullableText,
  /** login: the broker's tags of that user, which decide what the broker shows them. */
  tags: z.array(text),
  /** login: when the session ends at the latest. */
  expiresAt: nullableNumber,
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export interface SignInRequest {
  username: string;
  password: string;
}

// ---------------------------------------------------------------- pages

export const overviewResponse = z.object({
  status: snapshotStatus,
  broker: brokerInfo,
  nodes: z.array(node),
  vhosts: z.array(text),
  totals,
  components: z.array(componentSummary),
  groups: record(QUEUE_KINDS, queueGroup),
  exchangeGroups: record(EXCHANGE_GROUPS, z.number()),
  history: z.array(historySample),
});
export type OverviewResponse = z.infer<typeof overviewResponse>;

export const queuesResponse = z.object({
  status: snapshotStatus,
  items: z.array(queueRow),
  total: z.number(),
  /** Matching the filters, before paging. */
  filtered: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** What the filters can take, for the filter controls. */
  facets: z.object({ components: z.array(text), hosts: z.array(text), vhosts: z.array(text) }),
});
export type QueuesResponse = z.infer<typeof queuesResponse>;

export const consumerDetail = consumer.extend({ process: process.nullable(), connection: connection.nullable(), channel: channel.nullable() });
export type ConsumerDetail = z.infer<typeof consumerDetail>;

export const queueDetailResponse = z.object({
  status: snapshotStatus,
  queue,
  /** e.g. "expires after 30 min unused" */
  arguments: z.array(z.object({ key: text, value: z.unknown(), meaning: text })),
  bindings: z.array(binding),
  consumers: z.array(consumerDetail),
  /** What a stream's closed channels left in the broker's consumer list (RabbitMQ 3.x, and 4.0 for a minute or two): not consumers. */
  staleConsumers: z.array(consumer),
  history: z.array(historySample),
});
export type QueueDetailResponse = z.infer<typeof queueDetailResponse>;

export const exchangesResponse = z.object({
  status: snapshotStatus,
  /** Matching the filters, by name. */
  items: z.array(exchange),
  /** Every exchange, whatever the filters. */
  total: z.number(),
});
export type ExchangesResponse = z.infer<typeof exchangesResponse>;

export const exchangeDetailResponse = z.object({ status: snapshotStatus, exchange, bindings: z.array(binding), queues: z.array(queueRow) });
export type ExchangeDetailResponse = z.infer<typeof exchangeDetailResponse>;

const flowTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exchange'), vhost: text, name: text }),
  z.object({ type: z.literal('queue'), vhost: text, name: text }),
  z.object({ type: z.literal('process'), id: text }),
  z.object({ type: z.literal('queues'), vhost: text, component: text, host: text.optional() }),
]);
export type FlowTarget = z.infer<typeof flowTarget>;

export const flowNode = z.object({
  id: text,
  kind: z.enum(FLOW_NODE_KINDS),
  label: text,
  detail: nullableText,
  state: queueHealth.nullable(),
  target: flowTarget.nullable(),
  group: nullableText,
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});
export type FlowNode = z.infer<typeof flowNode>;

export const flowEdge = z.object({
  from: text,
  to: text,
  rate: nullableNumber,
  kind: z.enum(FLOW_EDGE_KINDS),
  points: z.array(z.object({ x: z.number(), y: z.number() })),
});
export type FlowEdge = z.infer<typeof flowEdge>;

/** GET …/components/{name}/flow?topic=&vhost=&expand=: the picture of one topic, laid out. */
export const flowResponse = z.object({
  status: snapshotStatus,
  vhost: text,
  component: text,
  topic: text,
  layout: z.object({ width: z.number(), height: z.number(), nodes: z.array(flowNode), edges: z.array(flowEdge) }),
  groups: z.array(z.object({ id: text, label: text, size: z.number(), expanded: z.boolean() })),
  /** Every topic of the component, to pick another. */
  topics: z.array(queueRef),
});
export type FlowResponse = z.infer<typeof flowResponse>;
export type FlowLayout = FlowResponse['layout'];

/** GET …/exchanges/{vhost}/{name}/route?key=: where a message with that routing key goes. */
export const routeResponse = z.object({
  status: snapshotStatus,
  vhost: text,
  exchange: text,
  routingKey: text,
  /** The exchanges it passes through, the first being the one published to. */
  exchanges: z.array(text),
  notes: z.array(text),
  matchedBindings: z.number(),
  /** Every queue it reaches; `queues` lists the worst 50 of them. */
  queueTotal: z.number(),
  queues: z.array(queueRow.extend({ through: z.array(text), bindingKey: nullableText })),
  processes: z.record(z.string(), process),
});
export type RouteResponse = z.infer<typeof routeResponse>;

export const topicDetail = z.object({
  vhost: text,
  name: text,
  sharedQueue: queueRow.nullable(),
  /** The worst first of them (worst health, then the biggest backlog). */
  serverQueues: z.array(queueRow),
  serverQueueTotal: z.number(),
  fanoutQueues: z.array(queueRow),
  fanoutQueueTotal: z.number(),
  consumers: z.number(),
  backlog,
  rates,
});
export type TopicDetail = z.infer<typeof topicDetail>;

export const componentDetailResponse = z.object({
  status: snapshotStatus,
  component: componentSummary,
  topics: z.array(topicDetail),
  /** The worst first of them; `notificationQueueTotal` counts all. */
  notificationQueues: z.array(queueRow),
  notificationQueueTotal: z.number(),
  /** The processes the listed rows name, by id. */
  processes: z.record(z.string(), process),
  /** Every process consuming any of its queues. */
  processCount: z.number(),
  /** False on a broker that collects no statistics: consumers and lengths are unknown, not 0. */
  statsEnabled: z.boolean(),
});
export type ComponentDetailResponse = z.infer<typeof componentDetailResponse>;

export const processesResponse = z.object({
  status: snapshotStatus,
  /** Sorted by binary, host, pid; the first `limit`. */
  items: z.array(processRow),
  total: z.number(),
  /** Matching the filters, before the limit. */
  filtered: z.number(),
  /** Every vhost a process is connected in, for the filter. */
  vhosts: z.array(text),
});
export type ProcessesResponse = z.infer<typeof processesResponse>;

export const processDetailResponse = z.object({
  status: snapshotStatus,
  process,
  connections: z.array(connection.extend({ channelDetails: z.array(channel) })),
  consumes: z.array(queueRow),
  replyQueues: z.array(queueRow),
});
export type ProcessDetailResponse = z.infer<typeof processDetailResponse>;

/** Everything on one host now; empty lists for a host gone or never seen (its history and journal stay). */
export const hostDetailResponse = z.object({
  status: snapshotStatus,
  host: text,
  processes: z.array(processDetailResponse.omit({ status: true })),
  services: z.array(serviceRow),
  otherQueues: z.array(queueRow),
  findings: z.array(findingView),
});
export type HostDetailResponse = z.infer<typeof hostDetailResponse>;

export const findingsResponse = z.object({
  status: snapshotStatus,
  /** Most severe first; only those in the asked scope, at most `limit`. */
  findings: z.array(findingView),
  /** How many matched before the limit. */
  total: z.number(),
  /** Over all findings, whatever was asked. */
  byRule: z.array(ruleCount),
  /** Findings in the asked scope that went away recently, newest first. */
  resolved: z.array(resolvedFinding),
  counts: record(SEVERITIES, z.number()),
  rules: z.array(z.object({ id: ruleId, description: text })),
  windowMs: z.number(),
});
export type FindingsResponse = z.infer<typeof findingsResponse>;

export const servicesResponse = z.object({
  status: snapshotStatus,
  groups: z.array(serviceGroup),
  /** Over every row, whatever the filters: the cloud at a glance. */
  counts: record(SERVICE_STATUSES, z.number()),
  total: z.number(),
  /** Matching the filters. */
  filtered: z.number(),
  /** What the filter controls offer; topics are those of the chosen component. */
  facets: z.object({ components: z.array(text), topics: z.array(text), vhosts: z.array(text) }),
  probe: actionStatus,
});
export type ServicesResponse = z.infer<typeof servicesResponse>;

export interface ProbeRequest {
  exchange?: string;
  topic: string;
  server: string;
  timeoutMs?: number;
  vhost?: string;
}

export const probeResponse = z.object({
  status: z.enum(PROBE_STATUSES),
  latencyMs: nullableNumber,
  detail: text,
});
export type ProbeResponse = z.infer<typeof probeResponse>;

export const peekedMessage = z.object({
  /** 1-based position in the backlog as read. */
  position: z.number(),
  redelivered: z.boolean(),
  routingKey: text,
  exchange: text,
  properties: z.object({ contentType: nullableText, expiration: nullableText, deliveryMode: nullableNumber }),
  kind: z.enum(MESSAGE_KINDS),
  method: nullableText,
  namespace: nullableText,
  version: nullableText,
  msgId: nullableText,
  replyQueue: nullableText,
  timeout: nullableNumber,
  eventType: nullableText,
  context: z.object({ requestId: nullableText, globalRequestId: nullableText, user: nullableText, project: nullableText }),
  /** Redacted and truncated JSON text of the arguments or payload. */
  payload: text,
  payloadTruncated: z.boolean(),
});
export type PeekedMessage = z.infer<typeof peekedMessage>;

export const peekResponse = z.object({
  queue: z.object({ vhost: text, name: text, type: text }),
  requested: z.number(),
  messages: z.array(peekedMessage),
  byMethod: z.array(z.object({ method: text, count: z.number() })),
  /** Always said: the messages were requeued and are now marked redelivered. */
  note: text,
});
export type PeekResponse = z.infer<typeof peekResponse>;

// ---------------------------------------------------------------- what the store remembers

/** The store of history and journal: off (not configured), ok, or unavailable and why (nothing stored is lost). */
export const storeStatus = z.object({
  state: z.enum(['off', 'ok', 'unavailable']),
  /** A file path, or a PostgreSQL URL without credentials. */
  where: nullableText,
  reason: nullableText,
  since: nullableNumber,
});
export type StoreStatus = z.infer<typeof storeStatus>;

const journalSubject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue'), vhost: text, name: text }),
  z.object({ type: z.literal('connection'), name: text }),
  z.object({ type: z.literal('process'), id: text }),
  z.object({ type: z.literal('node'), name: text }),
  z.object({ type: z.literal('policy'), vhost: text, name: text }),
  z.object({ type: z.literal('finding'), id: text, rule: ruleId, about: findingSubject }),
]);
const journalSubjectAgrees: Same<z.infer<typeof journalSubject>, DomainJournalSubject> = true;
void journalSubjectAgrees;

export const journalEntry = z.object({
  at: z.number(),
  kind: z.enum(JOURNAL_KINDS),
  subject: journalSubject,
  host: nullableText,
  binary: nullableText,
  process: nullableText,
  vhost: nullableText,
  queue: nullableText,
  before: nullableText,
  after: nullableText,
});
export type JournalEntry = z.infer<typeof journalEntry>;

export const journalGroup = z.object({
  kind: z.enum([...JOURNAL_KINDS, 'reconnected']),
  binary: nullableText,
  from: z.number(),
  to: z.number(),
  /** Processes for 'reconnected', entries otherwise. */
  count: z.number(),
  /** The group's entries, newest first, at most `JOURNAL_GROUP_ENTRIES`; `more` says how many were left out. */
  entries: z.array(journalEntry),
  more: z.number(),
});
export type JournalGroup = z.infer<typeof journalGroup>;

export const journalResponse = z.object({
  store: storeStatus,
  from: z.number(),
  to: z.number(),
  /** Newest first. */
  groups: z.array(journalGroup),
  /** Entries in the range matching the filters; `truncated` when more were there than one answer reads. */
  total: z.number(),
  truncated: z.boolean(),
});
export type JournalResponse = z.infer<typeof journalResponse>;

export const seriesPoint = z.object({
  t: z.number(),
  ready: nullableNumber,
  unacked: nullableNumber,
  consumers: nullableNumber,
  publish: nullableNumber,
  deliver: nullableNumber,
  ack: nullableNumber,
  redeliver: nullableNumber,
});
export type SeriesPoint = z.infer<typeof seriesPoint>;

export const historyResponse = z.object({
  store: storeStatus,
  scope: z.enum(SERIES_SCOPES),
  key: text,
  from: z.number(),
  to: z.number(),
  /** The resolution read: 5 s, 1 min or 10 min as configured, the finest that holds the range. */
  stepMs: z.number(),
  /** Oldest first. A point of nulls: the dashboard was not watching then (a gap, never zeros). */
  points: z.array(seriesPoint),
  /** The subject's own journal entries in the range, newest first, for marking on the chart. */
  events: z.array(journalEntry),
});
export type HistoryResponse = z.infer<typeof historyResponse>;

// ---------------------------------------------------------------- upgrade readiness

const upgradeStop = z.enum(UPGRADE_STOPS);

/** Where the broker is on the in-place upgrade path 3.10 → … → 4.3, and the hops left. */
export const upgradePath = z.object({
  current: z.enum(RABBITMQ_SERIES).nullable(),
  hops: z.array(z.object({ to: z.enum(RABBITMQ_SERIES), removes: upgradeStop.nullable(), changes: z.number(), needs: text })),
  note: nullableText,
});

/** An `[oslo_messaging_rabbit]` option and the value that fixes what a check found. */
export const optionSetting = z.object({ name: z.enum(OSLO_RABBIT_OPTIONS), value: z.boolean() });
export type OptionSetting = z.infer<typeof optionSetting>;

/** Queues of one service (a binary in a vhost); `binary` null: of no known service (no consumer, a name that does not say). */
export const serviceQueues = z.object({
  vhost: text,
  binary: nullableText,
  component: nullableText,
  count: z.number(),
  byKind: z.partialRecord(queueKind, z.number()),
  /** What to set in that service's configuration; empty for queues oslo.messaging did not declare. */
  options: z.array(optionSetting),
  /** A few of their names. */
  examples: z.array(text),
});
export type ServiceQueues = z.infer<typeof serviceQueues>;

const upgradeCheckFields = {
  status: z.enum(UPGRADE_CHECK_STATUSES),
  /** The version that refuses what the check looks for; null where RabbitMQ names none. */
  stop: upgradeStop.nullable(),
  /** Things to change: a policy, one service's configuration, a client process. */
  changes: z.number(),
  summary: text,
  /** What to do; null when nothing is to be done. */
  remedy: nullableText,
};

export const mirroringPolicy = z.object({
  vhost: text,
  name: text,
  pattern: text,
  applyTo: text,
  priority: z.number(),
  /** What to remove. */
  haKeys: z.record(z.string(), z.unknown()),
  /** What is left once they are gone (nothing: delete the policy). */
  otherKeys: z.array(text),
  /** Classic queues it matches now; null when its pattern is not a regular expression JavaScript reads. */
  matchedQueues: nullableNumber,
  examples: z.array(text),
});
export type MirroringPolicy = z.infer<typeof mirroringPolicy>;

export const mirroringCheck = z.object({
  id: z.literal('classic-mirroring'),
  ...upgradeCheckFields,
  /** Null: the broker's policies were not read. */
  policies: z.array(mirroringPolicy).nullable(),
  /** Queues declared with x-ha-policy (oslo's rabbit_ha_queues = true), per service. */
  haArgumentQueues: z.array(serviceQueues),
  /** This broker has no classic mirroring any more (4.0+). */
  removedHere: z.boolean(),
});

export const transientQueuesCheck = z.object({
  id: z.literal('transient-queues'),
  ...upgradeCheckFields,
  /** Queues neither durable nor exclusive. */
  total: z.number(),
  services: z.array(serviceQueues),
});

export const deprecatedFeature = z.object({
  name: text,
  phase: nullableText,
  docUrl: nullableText,
  /** The check that tells who uses it. */
  explainedBy: z.enum(UPGRADE_CHECK_IDS).nullable(),
});
export type DeprecatedFeature = z.infer<typeof deprecatedFeature>;

export const deprecatedFeaturesCheck = z.object({
  id: z.literal('deprecated-features'),
  ...upgradeCheckFields,
  /** Null: the broker does not report them (before 3.13), or they were not read. */
  features: z.array(deprecatedFeature).nullable(),
});

export const globalQosUser = z.object({
  processId: nullableText,
  binary: nullableText,
  host: nullableText,
  connections: z.array(text),
  channels: z.number(),
  globalPrefetchCount: z.number(),
});
export type GlobalQosUser = z.infer<typeof globalQosUser>;

export const globalQosCheck = z.object({
  id: z.literal('global-qos'),
  ...upgradeCheckFields,
  /** Null: the broker does not report a channel's global prefetch (RabbitMQ 4). */
  users: z.array(globalQosUser).nullable(),
});

export const locatorPolicy = z.object({
  vhost: text,
  name: text,
  pattern: text,
  applyTo: text,
  /** Its queue-master-locator: min-masters, client-local or random. */
  value: text,
  /** What queue-leader-locator takes instead: balanced or client-local; null for a value RabbitMQ never took. */
  leaderLocator: nullableText,
  /** Classic queues it matches now; null when its pattern is not a regular expression JavaScript reads. */
  matchedQueues: nullableNumber,
  examples: z.array(text),
});
export type LocatorPolicy = z.infer<typeof locatorPolicy>;

export const queueMasterLocatorCheck = z.object({
  id: z.literal('queue-master-locator'),
  ...upgradeCheckFields,
  /** Null: the broker's policies were not read. */
  policies: z.array(locatorPolicy).nullable(),
  /** Queues declared with x-queue-master-locator, per service (oslo.messaging never sets it). */
  queues: z.array(serviceQueues),
});

export const optionAdoption = z.object({ adoption: z.enum(ADOPTIONS), migrated: z.number(), of: z.number() });
export type OptionAdoption = z.infer<typeof optionAdoption>;

export const serviceMigration = z.object({
  vhost: text,
  binary: text,
  component: nullableText,
  processes: z.number(),
  options: record(MIGRATION_OPTIONS, optionAdoption),
  transientQueues: z.number(),
});
export type ServiceMigration = z.infer<typeof serviceMigration>;

/** GET …/upgrade: what the coming RabbitMQ versions take away that this cloud uses, per check and per service. */
export const upgradeResponse = z.object({
  status: snapshotStatus,
  rabbitmqVersion: nullableText,
  path: upgradePath,
  /** 4.0+: the type a queue declared without x-queue-type gets. */
  defaultQueueType: nullableText,
  /** The next version that takes something away; null past the last one, or when the version is not known. */
  nextStop: upgradeStop.nullable(),
  changes: z.object({
    /** To change before each coming version, oldest first. */
    before: z.array(z.object({ stop: upgradeStop, count: z.number() })),
    /** Already refused or ignored by this version. */
    now: z.number(),
    /** No version named that refuses it. */
    later: z.number(),
  }),
  mirroring: mirroringCheck,
  transientQueues: transientQueuesCheck,
  deprecatedFeatures: deprecatedFeaturesCheck,
  globalQos: globalQosCheck,
  queueMasterLocator: queueMasterLocatorCheck,
  services: z.array(serviceMigration),
});
export type UpgradeResponse = z.infer<typeof upgradeResponse>;
