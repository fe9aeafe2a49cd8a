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
 * take requests, which process is stuck, what blocks everyone, what was orphaned, what piles up.
 */
export const RULE_IDS = [
  'rpc-server-unconsumed',
  'consumer-stuck',
  'connection-blocked',
  'node-alarm',
  'rpc-topic-unconsumed',
  'orphaned-reply-queue',
  'orphaned-fanout-queue',
  'backlog-growing',
  'notifications-unconsumed',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * A queue's health, worst first (lib/domain/health.ts decides it):
 * - unavailable: its node is down or it crashed; nothing reaches it
 * - stuck: its consumers take messages and acknowledge none
 * - unconsumed: it needs a consumer, has none, and messages wait
 * - no-consumer: it needs a consumer and has none (nothing waits yet)
 * - backlog: consumed, but messages pile up
 * - unknown: the broker gives no statistics
 * - healthy
 */
export const QUEUE_HEALTHS = ['unavailable', 'stuck', 'unconsumed', 'no-consumer', 'backlog', 'unknown', 'healthy'] as const;
export type QueueHealth = (typeof QUEUE_HEALTHS)[number];

/** An RPC server in the service list, worst first. */
export const SERVICE_STATUSES = ['not-consuming', 'stuck', 'down', 'backlog', 'unknown', 'ok'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** How a process's host was found: a per-server queue it consumes, a queue-manager name, or another process at the same address. */
export const HOST_SOURCES = ['server-queue', 'queue-name', 'address'] as const;
export type HostSource = (typeof HOST_SOURCES)[number];

/** What a finding is about. */
export const SUBJECT_TYPES = ['queue', 'process', 'connection', 'node'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** The position of a value in one of the ordered lists above: sorting by it puts the first (worst) first. */
export function rankIn<T extends string>(list: readonly T[], value: T): number {
  const i = list.indexOf(value);
  return i < 0 ? list.length : i;
}

/** Whether a string is one of a list's values (for parsing URLs and files). */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
