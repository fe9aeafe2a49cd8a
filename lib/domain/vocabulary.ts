// Every closed set of names the product uses, declared once; the types are derived
// from these lists, and the API's schemas, the URL parsers and the pages take them from
// here. Lists that have an order (worst first, most severe first) are in that order.

/** What oslo.messaging made a queue for (lib/domain/classify.ts). */
export const QUEUE_KINDS = ['rpc-topic', 'rpc-server', 'rpc-fanout', 'reply', 'notification', 'other'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** What an exchange is for OpenStack. */
export const EXCHANGE_GROUPS = ['component', 'reply', 'fanout', 'builtin', 'other'] as const;
export type ExchangeGroup = (typeof EXCHANGE_GROUPS)[number];

/** The columns the queue list sorts by. */
export const QUEUE_SORT_KEYS = ['name', 'messagesReady', 'messagesUnacknowledged', 'consumers', 'publish', 'deliver', 'ack', 'redeliver'] as const;
export type QueueSortKey = (typeof QUEUE_SORT_KEYS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** oslo.messaging's notification priorities, the last word of `<topic>.<priority>`. */
export const NOTIFICATION_PRIORITIES = ['audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

/**
 * The diagnosis rules, in the order an operator asks within one severity: which host will not
 * take requests, which process is stuck, what blocks everyone, what a lost broker node took down,
 * what was orphaned, what piles up.
 */
export const RULE_IDS = [
  'rpc-server-unconsumed',
  'consumer-stuck',
  'connection-blocked',
  'clients-refused',
  'node-alarm',
  'quorum-queue-unavailable',
  'quorum-member-down',
  'rpc-topic-unconsumed',
  'orphaned-reply-queue',
  'orphaned-fanout-queue',
  'backlog-growing',
  'notifications-unconsumed',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * A queue's health, worst first (lib/domain/health.ts decides it):
 * - unavailable: its node is down or it crashed, or (a quorum queue) it lost its quorum or has no leader; nothing reaches it
 * - stuck: its consumers take messages and acknowledge none
 * - unconsumed: it needs a consumer, has none, and messages wait
 * - no-consumer: it needs a consumer and has none (nothing waits yet)
 * - backlog: consumed, but messages pile up
 * - unknown: the broker gives no statistics
 * - healthy
 */
export const QUEUE_HEALTHS = ['unavailable', 'stuck', 'unconsumed', 'no-consumer', 'backlog', 'unknown', 'healthy'] as const;
export type QueueHealth = (typeof QUEUE_HEALTHS)[number];

/**
 * How a replicated queue's members stand (lib/domain/replication.ts), worst first:
 * - no-quorum: fewer members up than its quorum (a majority): it takes and gives nothing until nodes return
 * - no-leader: a quorum is up but the broker names no leader
 * - leader-down: the leader the broker last named is on a node that is down; the members up, a
 *   quorum, elect another within seconds (the name is as last read, on the slower topology cadence)
 * - member-down: a member is down; the others carry on, and one more loss may stop it
 * - complete: every member up
 * - unknown: the broker does not say which members are up
 */
export const REPLICATION_STATES = ['no-quorum', 'no-leader', 'leader-down', 'member-down', 'complete', 'unknown'] as const;
export type ReplicationState = (typeof REPLICATION_STATES)[number];

/** An RPC server in the service list, worst first. */
export const SERVICE_STATUSES = ['not-consuming', 'stuck', 'down', 'backlog', 'unknown', 'ok'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** How a process's host was found: a per-server queue it consumes, a queue-manager name, or another process at the same address. */
export const HOST_SOURCES = ['server-queue', 'queue-name', 'address'] as const;
export type HostSource = (typeof HOST_SOURCES)[number];

/** What changed between two refreshes (lib/domain/journal.ts). */
export const JOURNAL_KINDS = [
  'queue-declared',
  'queue-deleted',
  'consumer-gained',
  'consumer-lost',
  'connection-opened',
  'connection-closed',
  'process-appeared',
  'process-gone',
  'node-down',
  'node-up',
  'node-alarm',
  'node-alarm-cleared',
  'policy-changed',
  'finding-raised',
  'finding-resolved',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** What the history keeps a series of (lib/domain/series.ts). */
export const SERIES_SCOPES = ['global', 'component', 'topic', 'queue', 'process', 'host'] as const;
export type SeriesScope = (typeof SERIES_SCOPES)[number];

/** The ranges a chart or the timeline offers, shortest first, and how long each is; `from`/`to` (epoch ms) for any other. */
export const HISTORY_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000, '14d': 14 * 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
export const HISTORY_RANGE_NAMES = Object.freeze(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]);

/** What a binding routes to. */
export const DESTINATION_TYPES = ['queue', 'exchange'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** Who may look (AUTH_MODE): anyone who reaches the dashboard, a RabbitMQ user signed in, or whom a trusted proxy names. */
export const AUTH_MODES = ['none', 'login', 'proxy'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Where a refresh's queue counts come from: every node's Prometheus plugin, or the management API alone. */
export const COUNT_SOURCES = ['prometheus', 'management'] as const;
export type CountSource = (typeof COUNT_SOURCES)[number];

/** always: every cluster is read from start-up, whether anyone looks or not; on-demand: only while someone does. */
export const WATCH_MODES = ['always', 'on-demand'] as const;
export type WatchMode = (typeof WATCH_MODES)[number];

/** The boxes of a topic's flow picture (lib/domain/flow.ts). */
export const FLOW_NODE_KINDS = ['producers', 'exchange', 'queue', 'queue-group', 'process', 'process-group', 'host', 'host-group'] as const;
export type FlowNodeKind = (typeof FLOW_NODE_KINDS)[number];

/** The arrows of a topic's flow picture; `idle`: connected, not consuming. */
export const FLOW_EDGE_KINDS = ['publish', 'route', 'consume', 'idle', 'runs-on'] as const;
export type FlowEdgeKind = (typeof FLOW_EDGE_KINDS)[number];

/** What an RPC ping found: alive (it answered), no answer in time, or a failure on the way. */
export const PROBE_STATUSES = ['alive', 'timeout', 'error'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/** What a message of a backlog is, read from its oslo envelope. */
export const MESSAGE_KINDS = ['call', 'cast', 'notification', 'reply', 'unknown'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * The RabbitMQ versions that take away something an OpenStack cloud may still use, oldest first:
 * 4.0 removes classic queue mirroring; 4.3 denies transient non-exclusive queues, global QoS and queue-master-locator by default.
 */
export const UPGRADE_STOPS = ['4.0', '4.3'] as const;
export type UpgradeStop = (typeof UPGRADE_STOPS)[number];

/**
 * RabbitMQ's release series in the order an in-place upgrade goes through them, one at a time
 * (each upgrades in place from the one before it; 4.3 only from 4.2), from the oldest the product reads.
 */
export const RABBITMQ_SERIES = ['3.10', '3.11', '3.12', '3.13', '4.0', '4.1', '4.2', '4.3'] as const;
export type RabbitmqSeries = (typeof RABBITMQ_SERIES)[number];

/** What the upgrade readiness page checks (lib/domain/upgrade.ts), in the order it tells them. */
export const UPGRADE_CHECK_IDS = ['classic-mirroring', 'transient-queues', 'deprecated-features', 'global-qos', 'queue-master-locator'] as const;
export type UpgradeCheckId = (typeof UPGRADE_CHECK_IDS)[number];

/** A check's outcome, worst first: something to change, the broker does not say, nothing found. */
export const UPGRADE_CHECK_STATUSES = ['to-change', 'not-known', 'clear'] as const;
export type UpgradeCheckStatus = (typeof UPGRADE_CHECK_STATUSES)[number];

/** oslo.messaging's `[oslo_messaging_rabbit]` options that move a service off classic queues, in the order deployments turn them on. */
export const MIGRATION_OPTIONS = ['rabbit_quorum_queue', 'rabbit_transient_quorum_queue', 'rabbit_stream_fanout', 'use_queue_manager'] as const;
export type MigrationOption = (typeof MIGRATION_OPTIONS)[number];

/** Every `[oslo_messaging_rabbit]` option the upgrade advice names. */
export const OSLO_RABBIT_OPTIONS = [...MIGRATION_OPTIONS, 'rabbit_ha_queues'] as const;
export type OsloRabbitOption = (typeof OSLO_RABBIT_OPTIONS)[number];

/** How far a service has taken one migration option: in every queue it concerns, in some, in none, or no queue tells. */
export const ADOPTIONS = ['yes', 'partly', 'no', 'not-known'] as const;
export type Adoption = (typeof ADOPTIONS)[number];

/** What a RabbitMQ policy applies to (`apply-to`). */
export const POLICY_TARGETS = ['queues', 'exchanges', 'all', 'classic_queues', 'quorum_queues', 'streams'] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

/** How far RabbitMQ has taken a deprecated feature away, in the order it goes (`/api/deprecated-features`). */
export const DEPRECATION_PHASES = ['permitted_by_default', 'denied_by_default', 'disconnected', 'removed'] as const;
export type DeprecationPhase = (typeof DEPRECATION_PHASES)[number];

/** The position of a value in one of the ordered lists above: sorting by it puts the first (worst) first. */
export function rankIn<T extends string>(list: readonly T[], value: T): number {
  const i = list.indexOf(value);
  return i < 0 ? list.length : i;
}

/** Whether a string is one of a list's values (for parsing URLs and files). */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
