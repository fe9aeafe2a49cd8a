// What /api/v1 answers. Shared by the route handlers and the browser's hooks,
// so both sides agree on one shape. Plain JSON: no Dates, no Maps.
import type {
  Backlog,
  BindingInput,
  Channel,
  ComponentSummary,
  Connection,
  Consumer,
  Exchange,
  ExchangeGroup,
  MessageRates,
  NodeInput,
  OverviewInput,
  Process,
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
}

export interface ApiError {
  error: string;
  status: SnapshotStatus | null;
}

export interface ClusterInfo {
  id: string;
  managementUrl: string;
  status: SnapshotStatus;
}
export interface ClustersResponse {
  clusters: ClusterInfo[];
}

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

/** A queue as lists show it. */
export type QueueRow = Omit<Queue, 'arguments' | 'exclusive'>;

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

export interface TopicDetail {
  vhost: string;
  name: string;
  sharedQueue: QueueRow | null;
  serverQueues: QueueRow[];
  fanoutQueues: QueueRow[];
  consumers: number;
  backlog: Backlog;
  rates: MessageRates | null;
}

export interface ComponentDetailResponse {
  status: SnapshotStatus;
  component: ComponentSummary;
  topics: TopicDetail[];
  notificationQueues: QueueRow[];
  /** Processes that consume any of its queues, by id. */
  processes: Record<string, Process>;
}

export interface ProcessesResponse {
  status: SnapshotStatus;
  items: Process[];
}

export interface ProcessDetailResponse {
  status: SnapshotStatus;
  process: Process;
  connections: (Connection & { channelDetails: Channel[] })[];
  consumes: QueueRow[];
  replyQueues: QueueRow[];
}
