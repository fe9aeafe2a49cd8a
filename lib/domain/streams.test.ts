import { describe, expect, it } from 'vitest';
import { makeConsumer, makeQueue } from '@/lib/testing/builders';
import { consumersWithoutStale, isStaleStreamConsumer, parseMaxAge, streamRetention, waitingMessages } from './streams';

const stream = makeQueue({ name: 'compute_fanout', type: 'stream', messagesReady: 12_345, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' }, segments: 2 });

describe('waitingMessages', () => {
  it('is the ready count of a queue, none for a stream, unknown where the broker gives no count', () => {
    expect(waitingMessages(makeQueue({ name: 'compute', messagesReady: 7 }))).toBe(7);
    expect(waitingMessages(stream)).toBe(0);
    expect(waitingMessages({ ...stream, messagesReady: null })).toBeNull();
  });
});

describe('parseMaxAge', () => {
  it('reads every unit RabbitMQ takes, and nothing else', () => {
    expect(parseMaxAge('1800s')).toBe(1_800_000);
    expect(parseMaxAge('30m')).toBe(1_800_000);
    expect(parseMaxAge('7D')).toBe(7 * 86_400_000);
    expect(parseMaxAge('1Y')).toBe(365 * 86_400_000);
    expect(parseMaxAge('2M')).toBe(60 * 86_400_000);
    expect(parseMaxAge('1800')).toBeNull();
    expect(parseMaxAge('1.5h')).toBeNull();
  });
});

describe('streamRetention', () => {
  it('tells what a stream keeps and for how long, as declared', () => {
    expect(streamRetention(stream)).toEqual({ messages: 12_345, maxAge: '1800s', maxAgeMs: 1_800_000, maxLengthBytes: null, segments: 2 });
    expect(streamRetention({ ...stream, arguments: { 'x-max-length-bytes': 20_000_000 }, segments: null })).toMatchObject({ maxAge: null, maxAgeMs: null, maxLengthBytes: 20_000_000, segments: null });
  });

  it('is null for any other queue', () => {
    expect(streamRetention(makeQueue({ name: 'compute', type: 'quorum', messagesReady: 3 }))).toBeNull();
  });
});

describe('isStaleStreamConsumer', () => {
  const channelClosed = makeConsumer('compute_fanout', 'c1', { channelName: null, connectionName: null });

  it('is a stream consumer without its channel', () => {
    expect(isStaleStreamConsumer(channelClosed, stream)).toBe(true);
    expect(isStaleStreamConsumer(makeConsumer('compute_fanout', 'c1'), stream)).toBe(false);
  });

  it('is never a consumer of another queue, whose channel is only not known yet', () => {
    expect(isStaleStreamConsumer(channelClosed, makeQueue({ name: 'compute.node-1', type: 'quorum' }))).toBe(false);
    expect(isStaleStreamConsumer(channelClosed, undefined)).toBe(false);
  });
});

describe('consumersWithoutStale', () => {
  it('takes the stale entries off while the broker still counts them', () => {
    expect(consumersWithoutStale(2, 1, 1)).toBe(1);
    expect(consumersWithoutStale(1, 0, 1)).toBe(0);
  });

  it('keeps the consumers listed with their channel once the broker no longer counts the stale ones (RabbitMQ 3.x keeps listing them)', () => {
    expect(consumersWithoutStale(1, 1, 1)).toBe(1);
    expect(consumersWithoutStale(0, 0, 1)).toBe(0);
  });

  it('keeps a consumer the broker counts before its channel is listed', () => {
    expect(consumersWithoutStale(2, 0, 1)).toBe(1);
  });

  it('changes nothing without stale entries, and knows nothing without a count', () => {
    expect(consumersWithoutStale(3, 1, 0)).toBe(3);
    expect(consumersWithoutStale(null, 1, 1)).toBeNull();
  });
});
