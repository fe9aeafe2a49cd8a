// What /api/v1 answers. Shared by the route handlers and the browser's hooks,
// so both sides agree on one shape. Plain JSON: no Dates, no Maps.
export type { HistorySample, PeekedMessage, QueueRow, TopicDetail } from '@/lib/domain/types';
import type {
  HistorySample,
  PeekedMessage,
  QueueRow,
  TopicDetail,
  BindingInput,
  Channel,
  ComponentSummary,
  Connection,
  Consumer,
  Exchange,
  ExchangeGroup,
  NodeInput,
  OverviewInput,
  Process,
  ProcessRow,
  Queue,
  QueueGroupSummary,
  QueueKind,
  Totals,
} from '@/lib/domain/types';

/** Freshness of the server's snapshot of the broker; every answer carries it. */
export interface SnapshotStatus {
  /** Epoch ms of the last successful refresh; null before the first one. */
  fetchedAt: number | null;
  /** True when the last refresh failed and what is shown is older. */
  stale: boolean;
  refreshing: boolean;
  /** The last refresh's failure, kept until a refresh succeeds. */
  error: { message: string; request: string | null; since: number } | null;
  refreshIntervalMs: number;
  /** The slow cadence: exchanges, bindings and queue metadata. */
  topology?: { fetchedAt: number | null; refreshIntervalMs: number };
  /** Parts the broker would not give in the last refresh (statistics disabled, a user without the monitoring tag); the rest is good. */
  warnings?: string[];
  /** An offline capture, read-only: when it was taken (fetchedAt is the same). */
  capturedAt?: number;
}

export interface ApiError {
  error: string;
  status: SnapshotStatus | null;
  /** Set when signing in (again) would help: the browser goes to /login. */
  signIn?: boolean;
}

/** Actions that read or write messages on the broker: each off unless the operator configured it. */
export interface ActionStatus {
  enabled: boolean;
  /** Why not, when disabled (e.g. "RABBITMQ_AMQP_URL is not set"). */
  reason: string | null;
}

export interface ClusterInfo {
  id: string;
  /** What operators call it (the id unless configured). */
  name: string;
  /** An offline capture opened read-only: when it was taken; null for a live broker. */
  capturedAt: number | null;
  managementUrl: string;
  status: SnapshotStatus;
  actions: { probe: ActionStatus; peek: ActionStatus & { allowQuorum: boolean } };
}
/** Who the dashboard takes the browser for (GET /api/v1/session; POST signs in, DELETE signs out). */
export interface SessionResponse {
  mode: 'none' | 'login' | 'proxy';
  /** The operator, when the dashboard knows one. */
  user: string | null;
  /** login: the broker's tags of that user, which decide what the broker shows them. */
  tags: string[];
  /** login: when the session ends at the latest. */
  expiresAt: number | null;
}
export interface SignInRequest {
  username: string;
  password: string;
}

/** At a glance, for the page of all clusters (`GET /api/v1/clusters?include=health`). */
export interface ClusterHealth {
  /** Null until the broker was read once. */
  totals: Totals | null;
  statsEnabled: boolean | null;
  findings: Record<Severity, number>;
  /** RPC servers of the service list, by status. */
  services: Partial<Record<ServiceStatus, number>>;
  /** Nodes down or in alarm. */
  nodeAlarms: number;
  /** The broker's name and version, when read. */
  broker: { clusterName: string | null; rabbitmqVersion: string | null } | null;
}

export interface ClustersResponse {
  clusters: (ClusterInfo & { health?: ClusterHealth })[];
}

export interface OverviewResponse {
  status: SnapshotStatus;
  broker: OverviewInput;
  nodes: NodeInput[];
  vhosts: string[];
  totals: Totals;
  components: ComponentSummary[];
  groups: Record<QueueKind, QueueGroupSummary>;
  exchangeGroups: Record<ExchangeGroup, number>;
  history: HistorySample[];
}

export interface QueuesResponse {
  status: SnapshotStatus;
  items: QueueRow[];
  total: number;
  /** Matching the filters, before paging. */
  filtered: number;
  page: number;
  pageSize: number;
  /** What the filters can take, for the filter controls. */
  facets: { components: string[]; hosts: string[]; vhosts: string[] };
}

export interface ArgumentDescription {
  key: string;
  value: unknown;
  /** e.g. "expires after 30 min unused" */
  meaning: string;
}

export interface ConsumerDetail extends Consumer {
  process: Process | null;
  connection: Connection | null;
  channel: Channel | null;
}

export interface QueueDetailResponse {
  status: SnapshotStatus;
  queue: Queue;
  arguments: ArgumentDescription[];
  bindings: BindingInput[];
  consumers: ConsumerDetail[];
  history: HistorySample[];
}

export interface ExchangesResponse {
  status: SnapshotStatus;
  items: Exchange[];
}

export interface ExchangeDetailResponse {
  status: SnapshotStatus;
  exchange: Exchange;
  bindings: BindingInput[];
  queues: QueueRow[];
}

/** GET …/components/{name}/flow?topic=&vhost=&expand=: the picture of one topic, laid out. */
export interface FlowResponse {
  status: SnapshotStatus;
  vhost: string;
  component: string;
  topic: string;
  layout: FlowLayout;
  groups: FlowGraph['groups'];
  /** Every topic of the component, to pick another. */
  topics: { vhost: string; name: string }[];
}

/** GET …/exchanges/{vhost}/{name}/route?key=: where a message with that routing key goes. */
export interface RouteResponse {
  status: SnapshotStatus;
  vhost: string;
  exchange: string;
  routingKey: string;
  /** The exchanges it passes through, the first being the one published to. */
  exchanges: string[];
  notes: string[];
  matchedBindings: number;
  /** Every queue it reaches; `queues` lists the worst 50 of them. */
  queueTotal: number;
  queues: (QueueRow & { through: string[]; bindingKey: string | null })[];
  processes: Record<string, Process>;
}

export interface ComponentDetailResponse {
  status: SnapshotStatus;
  component: ComponentSummary;
  topics: TopicDetail[];
  /** The worst first of them; `notificationQueueTotal` counts all. */
  notificationQueues: QueueRow[];
  notificationQueueTotal: number;
  /** The processes the listed rows name, by id. */
  processes: Record<string, Process>;
  /** Every process consuming any of its queues. */
  processCount: number;
  /** False on a broker that collects no statistics: consumers and lengths are unknown, not 0. */
  statsEnabled: boolean;
}

export interface ProcessesResponse {
  status: SnapshotStatus;
  /** Sorted by binary, host, pid; the first `limit`. */
  items: ProcessRow[];
  total: number;
  /** Matching `q`, before the limit. */
  filtered: number;
}

export interface ProcessDetailResponse {
  status: SnapshotStatus;
  process: Process;
  connections: (Connection & { channelDetails: Channel[] })[];
  consumes: QueueRow[];
  replyQueues: QueueRow[];
}

// ---------------------------------------------------------------- diagnosis

import type { RuleCount } from '@/lib/domain/findings/engine';
import type { Finding, RuleId, Severity } from '@/lib/domain/findings/types';
import type { FlowGraph } from '@/lib/domain/flow';
import type { FlowLayout } from '@/lib/domain/flow-layout';
import type { ServiceList, ServiceStatus } from '@/lib/domain/services';

export interface FindingView extends Finding {
  /** True when it first appeared in the latest refresh. */
  isNew: boolean;
}

export interface ResolvedFinding extends Finding {
  resolvedAt: number;
}

export interface FindingsResponse {
  status: SnapshotStatus;
  /** Most severe first; only those about the asked subject, at most `limit`. */
  findings: FindingView[];
  /** How many matched before the limit. */
  total: number;
  /** Over all findings, whatever was asked. */
  byRule: RuleCount[];
  /** Findings that went away recently, newest first. */
  resolved: ResolvedFinding[];
  counts: Record<Severity, number>;
  rules: { id: RuleId; description: string }[];
  windowMs: number;
}

export interface ServicesResponse extends ServiceList {
  status: SnapshotStatus;
  probe: ActionStatus;
}

export interface ProbeRequest {
  exchange?: string;
  topic: string;
  server: string;
  timeoutMs?: number;
  vhost?: string;
}

export interface ProbeResponse {
  status: 'alive' | 'timeout' | 'error';
  latencyMs: number | null;
  detail: string;
}

export interface PeekResponse {
  queue: { vhost: string; name: string; type: string };
  requested: number;
  messages: PeekedMessage[];
  byMethod: { method: string; count: number }[];
  /** Always said: the messages were requeued and are now marked redelivered. */
  note: string;
}
