import 'server-only';
// What the management API answers, as far as we use it. Everything is checked:
// a field of the wrong type is an error that names the request and the field;
// fields we do not use are ignored, fields missing in older brokers are optional.
import { z } from 'zod';

/** RabbitMQ writes an empty Erlang proplist as `[]` where it otherwise writes an object. */
const objectOrEmptyList = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), schema);

const rate = z.object({ rate: z.number() }).partial();
/** `message_stats` as fetched with columns like `message_stats.publish_details.rate`. */
export const messageStatsResponse = objectOrEmptyList(
  z
    .object({
      publish_details: rate,
      deliver_get_details: rate,
      ack_details: rate,
      redeliver_details: rate,
    })
    .partial(),
);

const count = z.number().nullish();
const args = objectOrEmptyList(z.record(z.string(), z.unknown())).nullish();

export const overviewResponse = z.object({
  rabbitmq_version: z.string().nullish(),
  management_version: z.string().nullish(),
  erlang_version: z.string().nullish(),
  cluster_name: z.string().nullish(),
  rates_mode: z.string().nullish(),
  disable_stats: z.boolean().nullish(),
  message_stats: messageStatsResponse.nullish(),
  /** 4.0+: the queue type a declaration without x-queue-type gets (vhost or node default). */
  default_queue_type: z.string().nullish(),
  /** Connections opened and closed, queues declared and created, per second, as the broker rates them. */
  churn_rates: objectOrEmptyList(
    z.object({ connection_created_details: rate, connection_closed_details: rate, queue_declared_details: rate, queue_created_details: rate }).partial(),
  ).nullish(),
});
export type OverviewResponse = z.infer<typeof overviewResponse>;

const sample = z.object({ sample: z.number(), timestamp: z.number() });
const samples = z.object({ samples: z.array(sample).optional() }).partial();
export const overviewHistoryResponse = z.object({
  queue_totals: z
    .object({ messages_ready_details: samples, messages_unacknowledged_details: samples })
    .partial()
    .nullish(),
  message_stats: z
    .object({ publish_details: samples, deliver_get_details: samples, ack_details: samples, redeliver_details: samples })
    .partial()
    .nullish(),
});
export type OverviewHistoryResponse = z.infer<typeof overviewHistoryResponse>;

export const nodeResponse = z.object({
  name: z.string(),
  running: z.boolean().nullish(),
  type: z.string().nullish(),
  mem_alarm: z.boolean().nullish(),
  disk_free_alarm: z.boolean().nullish(),
  partitions: z.array(z.string()).nullish(),
  mem_used: count,
  mem_limit: count,
  fd_used: count,
  fd_total: count,
  uptime: count,
  /** 3.8.? +: put in maintenance mode (`rabbitmq-upgrade drain`): clients are moved off it. */
  being_drained: z.boolean().nullish(),
});
export type NodeResponse = z.infer<typeof nodeResponse>;

export const vhostResponse = z.object({ name: z.string() });

/** `/api/deprecated-features/used` (3.13+): what this broker does now that a coming version removes. */
export const deprecatedFeatureResponse = z.object({
  name: z.string(),
  desc: z.string().nullish(),
  deprecation_phase: z.string().nullish(),
  doc_url: z.string().nullish(),
});
export type DeprecatedFeatureResponse = z.infer<typeof deprecatedFeatureResponse>;

export const policyResponse = z.object({
  vhost: z.string(),
  name: z.string(),
  pattern: z.string(),
  'apply-to': z.string().optional(),
  priority: z.number().optional(),
  definition: z.record(z.string(), z.unknown()).optional(),
});
export type PolicyResponse = z.infer<typeof policyResponse>;

/** Who the credentials belong to; tags are a list since 3.x, a comma-separated string before. */
export const whoamiResponse = z.object({
  name: z.string(),
  tags: z.union([z.array(z.string()), z.string().transform((t) => t.split(',').filter(Boolean))]).default([]),
});

export const exchangeResponse = z.object({
  vhost: z.string(),
  name: z.string(),
  type: z.string(),
  durable: z.boolean().nullish(),
  auto_delete: z.boolean().nullish(),
  internal: z.boolean().nullish(),
  arguments: args,
});
export type ExchangeResponse = z.infer<typeof exchangeResponse>;

export const queueResponse = z.object({
  vhost: z.string(),
  name: z.string(),
  type: z.string().nullish(),
  durable: z.boolean().nullish(),
  auto_delete: z.boolean().nullish(),
  exclusive: z.boolean().nullish(),
  arguments: args,
  node: z.string().nullish(),
  leader: z.string().nullish(),
  /** Quorum queues (3.8+) and streams (4.0; 3.x gives them only with statistics): the nodes holding a replica, and those up. */
  members: z.array(z.string()).nullish(),
  online: z.array(z.string()).nullish(),
  /** Streams: segment files on disk. */
  segments: count,
  state: z.string().nullish(),
  messages_ready: count,
  messages_unacknowledged: count,
  consumers: count,
  idle_since: z.string().nullish(),
  message_stats: messageStatsResponse.nullish(),
});
export type QueueResponse = z.infer<typeof queueResponse>;

export const queueHistoryResponse = z.object({
  messages_ready_details: samples.nullish(),
  messages_unacknowledged_details: samples.nullish(),
  message_stats: z
    .object({ publish_details: samples, deliver_get_details: samples, ack_details: samples, redeliver_details: samples })
    .partial()
    .nullish(),
});
export type QueueHistoryResponse = z.infer<typeof queueHistoryResponse>;

export const bindingResponse = z.object({
  vhost: z.string(),
  source: z.string(),
  destination: z.string(),
  destination_type: z.enum(['queue', 'exchange']),
  routing_key: z.string(),
});
export type BindingResponse = z.infer<typeof bindingResponse>;

export const consumerResponse = z.object({
  queue: z.object({ name: z.string(), vhost: z.string() }),
  consumer_tag: z.string(),
  ack_required: z.boolean().nullish(),
  prefetch_count: count,
  active: z.boolean().nullish(),
  // `{}` for a channel the broker has not reported on yet.
  channel_details: objectOrEmptyList(z.object({ name: z.string().nullish(), connection_name: z.string().nullish() })).nullish(),
});
export type ConsumerResponse = z.infer<typeof consumerResponse>;

/** One queue's consumers (`GET /api/queues/{vhost}/{name}?columns=consumer_details`). */
export const queueConsumersResponse = z.object({ consumer_details: z.array(consumerResponse).nullish() });

export const namedResponse = z.object({ name: z.string() });

const clientProperties = objectOrEmptyList(
  z
    .object({
      connection_name: z.unknown(),
      product: z.unknown(),
      product_version: z.unknown(),
      platform: z.unknown(),
    })
    .partial(),
);

export const connectionResponse = z.object({
  name: z.string(),
  vhost: z.string().nullish(),
  user: z.string().nullish(),
  node: z.string().nullish(),
  peer_host: z.string().nullish(),
  peer_port: count,
  state: z.string().nullish(),
  connected_at: count,
  client_properties: clientProperties.nullish(),
  user_provided_name: z.string().nullish(),
  channels: count,
});
export type ConnectionResponse = z.infer<typeof connectionResponse>;

export const channelResponse = z.object({
  name: z.string(),
  connection_details: objectOrEmptyList(z.object({ name: z.string().nullish() })).nullish(),
  number: count,
  prefetch_count: count,
  /** 3.x only (4.0 dropped global QoS from its answers): a prefetch shared by every consumer of the channel. */
  global_prefetch_count: count,
  state: z.string().nullish(),
  consumer_count: count,
  messages_unacknowledged: count,
  message_stats: messageStatsResponse.nullish(),
});
export type ChannelResponse = z.infer<typeof channelResponse>;

export const pagedResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number(),
    page_count: z.number(),
    total_count: z.number().optional(),
  });

/** One message of `POST /api/queues/{vhost}/{name}/get` (properties is `[]` when the message has none). */
export const getMessageResponse = z.object({
  payload: z.string(),
  payload_encoding: z.enum(['string', 'base64']),
  payload_bytes: z.number().nullish(),
  redelivered: z.boolean(),
  exchange: z.string(),
  routing_key: z.string(),
  message_count: z.number().nullish(),
  properties: objectOrEmptyList(
    z
      .object({
        content_type: z.string(),
        content_encoding: z.string(),
        delivery_mode: z.number(),
        expiration: z.string(),
        headers: z.record(z.string(), z.unknown()),
      })
      .partial(),
  ),
});
export type GetMessageResponse = z.infer<typeof getMessageResponse>;

/** The one queue the peek reads: its type decides whether reading it is allowed. */
export const queueTypeResponse = z.object({
  vhost: z.string(),
  name: z.string(),
  type: z.string().nullish(),
  arguments: args,
  messages: count,
});
