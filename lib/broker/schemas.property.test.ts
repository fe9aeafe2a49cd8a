// Whatever the management API answers, the parsers never throw: zod says yes or no,
// and what it accepts the mappers turn into inputs without failing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapNode, mapOverview, mapQueue } from './mappers';
import { bindingResponse, channelResponse, connectionResponse, consumerResponse, exchangeResponse, nodeResponse, overviewResponse, queueResponse } from './schemas';
import { decodeBacklogMessage } from '@/lib/domain/backlog';

const parsers: [string, (x: unknown) => unknown][] = [
  ['overview', (x) => { const r = overviewResponse.safeParse(x); return r.success ? mapOverview(r.data) : null; }],
  ['node', (x) => { const r = nodeResponse.safeParse(x); return r.success ? mapNode(r.data) : null; }],
  ['exchange', (x) => { const r = exchangeResponse.safeParse(x); return r.success ? mapExchange(r.data) : null; }],
  ['queue', (x) => { const r = queueResponse.safeParse(x); return r.success ? mapQueue(r.data, true) : null; }],
  ['binding', (x) => { const r = bindingResponse.safeParse(x); return r.success ? mapBinding(r.data) : null; }],
  ['consumer', (x) => { const r = consumerResponse.safeParse(x); return r.success ? mapConsumer(r.data) : null; }],
  ['connection', (x) => { const r = connectionResponse.safeParse(x); return r.success ? mapConnection(r.data) : null; }],
  ['channel', (x) => { const r = channelResponse.safeParse(x); return r.success ? mapChannel(r.data, true) : null; }],
];

/** Objects shaped somewhat like the broker's, with fields of the wrong types now and then. */
const brokerish = fc.dictionary(
  fc.constantFrom('name', 'vhost', 'type', 'durable', 'auto_delete', 'arguments', 'messages_ready', 'consumers', 'message_stats', 'client_properties', 'connection_details', 'channel_details', 'queue', 'peer_host', 'state', 'source', 'destination', 'routing_key', 'destination_type', 'running', 'partitions', 'user', 'node', 'connected_at', 'idle_since'),
  fc.anything(),
);

describe('management API parsers on arbitrary answers', () => {
  for (const [what, parseAndMap] of parsers) {
    it(`${what}: never throws`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), brokerish), (answer) => {
          expect(() => parseAndMap(answer)).not.toThrow();
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
