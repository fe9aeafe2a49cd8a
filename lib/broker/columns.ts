import 'server-only';
// The fields we read from each list endpoint; the management API returns only these.
const rateColumns = (prefix: string) =>
  ['publish', 'deliver_get', 'ack', 'redeliver'].map((s) => `${prefix}message_stats.${s}_details.rate`);

export const COLUMNS = {
  nodes: ['name', 'running', 'type', 'mem_alarm', 'disk_free_alarm', 'partitions', 'mem_used', 'mem_limit', 'fd_used', 'fd_total', 'uptime', 'being_drained'],
  vhosts: ['name'],
  exchanges: ['vhost', 'name', 'type', 'durable', 'auto_delete', 'internal', 'arguments'],
  /** What a queue is: read with disable_stats, on the slow topology cadence. */
  queueMetadata: ['vhost', 'name', 'type', 'durable', 'auto_delete', 'exclusive', 'arguments', 'node', 'leader', 'members', 'online', 'state'],
  /** How a queue is doing: on every refresh. */
  queueCounts: [
    'vhost', 'name', 'node', 'leader', 'members', 'online', 'segments', 'state', 'messages_ready', 'messages_unacknowledged', 'consumers', 'idle_since',
    ...rateColumns(''),
  ],
  bindings: ['vhost', 'source', 'destination', 'destination_type', 'routing_key'],
  consumers: [
    'queue.name', 'queue.vhost', 'consumer_tag', 'ack_required', 'prefetch_count', 'active',
    'channel_details.name', 'channel_details.connection_name',
  ],
  connections: [
    'name', 'vhost', 'user', 'node', 'peer_host', 'peer_port', 'state', 'connected_at', 'user_provided_name', 'channels',
    'client_properties.connection_name', 'client_properties.product', 'client_properties.product_version', 'client_properties.platform',
  ],
  channels: [
    'name', 'connection_details.name', 'number', 'prefetch_count', 'global_prefetch_count', 'state', 'consumer_count', 'messages_unacknowledged',
    ...rateColumns(''),
  ],
} as const;
