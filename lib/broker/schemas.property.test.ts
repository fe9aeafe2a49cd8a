// Whatever the management API answers, the parsers never throw: zod says yes or no,
// and what it accepts the mappers turn into inputs without failing. Every answer of the
// shape the broker gives (any field it may leave out left out, `[]` for an empty object) is accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapNode, mapOverview, mapQueue } from './mappers';
import { bindingResponse, channelResponse, connectionResponse, consumerResponse, exchangeResponse, nodeResponse, overviewResponse, queueResponse } from './schemas';
import { decodeBacklogMessage } from '@/lib/domain/backlog';

/** Parsed and mapped: whether the schema accepted it. */
type ParseAndMap = (x: unknown) => boolean;
const parser =
  <T>(schema: z.ZodType<T>, map: (t: T) => unknown): ParseAndMap =>
  (x) => {
    const r = schema.safeParse(x);
    if (r.success) map(r.data);
    return r.success;
  };

const text = fc.string();
const nullish = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const count = nullish(fc.nat());
const flag = nullish(fc.boolean());
/** An object with these fields, any of `optional` left out. */
const shaped = (required: Record<string, fc.Arbitrary<unknown>>, optional: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required) });
/** RabbitMQ writes an empty object as `[]`. */
const orEmptyList = <T>(a: fc.Arbitrary<T>) => fc.oneof(fc.constant([]), a);
const rate = shaped({}, { rate: fc.double({ noNaN: true, noDefaultInfinity: true }) });
const messageStats = nullish(orEmptyList(shaped({}, { publish_details: rate, deliver_get_details: rate, ack_details: rate, redeliver_details: rate })));
const args = nullish(orEmptyList(fc.dictionary(text, fc.jsonValue())));

const parsers: [string, ParseAndMap, fc.Arbitrary<unknown>][] = [
  [
    'overview',
    parser(overviewResponse, mapOverview),
    shaped(
      {},
      {
        rabbitmq_version: nullish(text),
        management_version: nullish(text),
        erlang_version: nullish(text),
        cluster_name: nullish(text),
        rates_mode: nullish(text),
        disable_stats: flag,
        message_stats: messageStats,
        default_queue_type: nullish(text),
      },
    ),
  ],
  [
    'node',
    parser(nodeResponse, mapNode),
    shaped(
      { name: text },
      {
        running: flag,
        type: nullish(text),
        mem_alarm: flag,
        disk_free_alarm: flag,
        partitions: nullish(fc.array(text)),
        mem_used: count,
        mem_limit: count,
        fd_used: count,
        fd_total: count,
        uptime: count,
        being_drained: flag,
      },
    ),
  ],
  ['exchange', parser(exchangeResponse, mapExchange), shaped({ vhost: text, name: text, type: text }, { durable: flag, auto_delete: flag, internal: flag, arguments: args })],
  [
    'queue',
    parser(queueResponse, (q) => mapQueue(q, true)),
    shaped(
      { vhost: text, name: text },
      {
        type: nullish(text),
        durable: flag,
        auto_delete: flag,
        exclusive: flag,
        arguments: args,
        node: nullish(text),
        leader: nullish(text),
        members: nullish(fc.array(text)),
        online: nullish(fc.array(text)),
        segments: count,
        state: nullish(text),
        messages_ready: count,
        messages_unacknowledged: count,
        consumers: count,
        idle_since: nullish(fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))),
        message_stats: messageStats,
      },
    ),
  ],
  [
    'binding',
    parser(bindingResponse, mapBinding),
    shaped({ vhost: text, source: text, destination: text, destination_type: fc.constantFrom('queue', 'exchange'), routing_key: text }),
  ],
  [
    'consumer',
    parser(consumerResponse, mapConsumer),
    shaped(
      { queue: shaped({ name: text, vhost: text }), consumer_tag: text },
      {
        ack_required: flag,
        prefetch_count: count,
        active: flag,
        channel_details: nullish(orEmptyList(shaped({}, { name: nullish(text), connection_name: nullish(text) }))),
      },
    ),
  ],
  [
    'connection',
    parser(connectionResponse, mapConnection),
    shaped(
      { name: text },
      {
        vhost: nullish(text),
        user: nullish(text),
        node: nullish(text),
        peer_host: nullish(text),
        peer_port: count,
        state: nullish(text),
        connected_at: count,
        client_properties: nullish(orEmptyList(shaped({}, { connection_name: fc.anything(), product: fc.anything(), product_version: fc.anything(), platform: fc.anything() }))),
        user_provided_name: nullish(text),
        channels: count,
      },
    ),
  ],
  [
    'channel',
    parser(channelResponse, (c) => mapChannel(c, true)),
    shaped(
      { name: text },
      {
        connection_details: nullish(orEmptyList(shaped({}, { name: nullish(text) }))),
        number: count,
        prefetch_count: count,
        global_prefetch_count: count,
        state: nullish(text),
        consumer_count: count,
        messages_unacknowledged: count,
        message_stats: messageStats,
      },
    ),
  ],
];

/** Objects shaped somewhat like the broker's, with fields of the wrong types now and then. */
const brokerish = fc.dictionary(
  fc.constantFrom('name', 'vhost', 'type', 'durable', 'auto_delete', 'arguments', 'messages_ready', 'consumers', 'message_stats', 'client_properties', 'connection_details', 'channel_details', 'queue', 'peer_host', 'state', 'source', 'destination', 'routing_key', 'destination_type', 'running', 'partitions', 'user', 'node', 'connected_at', 'idle_since'),
  fc.anything(),
);

describe('management API parsers on arbitrary answers', () => {
  for (const [what, parseAndMap, valid] of parsers) {
    it(`${what}: never throws`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), brokerish), (answer) => {
          expect(() => parseAndMap(answer)).not.toThrow();
        }),
        { numRuns: 300 },
      );
    });

    it(`${what}: accepts and maps every answer of the shape the broker gives`, () => {
      fc.assert(
        fc.property(valid, (answer) => {
          expect(parseAndMap(answer)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('backlog decoding on arbitrary messages', () => {
  it('never throws, and never shows more than it promises', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.base64String()), fc.constantFrom('string' as const, 'base64' as const), (payload, payloadEncoding) => {
        const m = decodeBacklogMessage(
          { payload, payloadEncoding, payloadBytes: null, redelivered: false, exchange: 'nova', routingKey: 'compute', properties: { contentType: null, expiration: null, deliveryMode: null } },
          1,
          200,
        );
        expect(m.payload.length).toBeLessThanOrEqual(200 + 20);
      }),
      { numRuns: 300 },
    );
  });
});
