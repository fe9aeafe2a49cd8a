import { describe, expect, it } from 'vitest';
import { readFixture } from '@/lib/testing/fixtures';
import { mapConnection, mapConsumer, mapOverview, mapQueue, mapRates, parseIdleSince } from './mappers';
import { connectionResponse, consumerResponse, overviewResponse, queueResponse } from './schemas';

describe('schemas and mappers on answers captured from a real oslo.messaging', () => {
  it('reads queues, with rates and arguments', () => {
    const raw = queueResponse.array().parse(readFixture('mgmt-queues.json'));
    const queues = raw.map((q) => mapQueue(q, true));
    const fanout = queues.find((q) => q.name.startsWith('compute_fanout_'));
    expect(fanout).toMatchObject({ vhost: '/', type: 'classic', arguments: { 'x-expires': 1800000 } });
    const compute = queues.find((q) => q.name === 'compute');
    expect(compute?.consumers).toBe(1);
    expect(compute?.rates).toEqual({ publish: 0, deliver: 0, ack: 0, redeliver: 0 });
  });

  it('reads the oslo connection name from client properties', () => {
    const conns = connectionResponse.array().parse(readFixture('mgmt-conns.json')).map(mapConnection);
    expect(conns[0]).toMatchObject({
      name: '127.0.0.1:42180 -> 127.0.0.1:5699',
      peerHost: '127.0.0.1',
      peerPort: 42180,
      clientConnectionName: 'rpc_test.py:14496:f5b42fe7-1c77-4ee7-a503-af7f59bd2e7d',
      product: 'py-amqp',
    });
  });

  it('reads consumers with their channel and connection', () => {
    const consumers = consumerResponse.array().parse(readFixture('mgmt-consumers.json')).map(mapConsumer);
    expect(consumers[0]).toMatchObject({
      queue: 'compute',
      channelName: '127.0.0.1:42180 -> 127.0.0.1:5699 (1)',
      connectionName: '127.0.0.1:42180 -> 127.0.0.1:5699',
      ackRequired: true,
    });
  });

  it('accepts a consumer whose channel the broker has not reported yet', () => {
    const c = mapConsumer(consumerResponse.parse({ queue: { name: 'q', vhost: '/' }, consumer_tag: '1', channel_details: {} }));
    expect(c.channelName).toBeNull();
    expect(c.connectionName).toBeNull();
  });

  it('accepts the empty lists RabbitMQ writes for empty objects', () => {
    const c = mapConsumer(consumerResponse.parse({ queue: { name: 'q', vhost: '/' }, consumer_tag: '1', channel_details: [] }));
    expect(c.connectionName).toBeNull();
    const q = mapQueue(queueResponse.parse({ vhost: '/', name: 'q', arguments: [], message_stats: [] }), true);
    expect(q.arguments).toEqual({});
    expect(q.rates).toEqual({ publish: 0, deliver: 0, ack: 0, redeliver: 0 });
    expect(mapConnection(connectionResponse.parse({ name: 'c', client_properties: [] })).clientConnectionName).toBeNull();
  });

  it('reads idle_since in both formats as epoch ms', () => {
    const idle = (idle_since: string | null) => mapQueue(queueResponse.parse({ vhost: '/', name: 'q', idle_since }), true).idleSince;
    expect(idle('2026-01-01T10:02:00.000+00:00')).toBe(Date.parse('2026-01-01T10:02:00Z'));
    expect(idle('2026-01-01 10:04:30')).toBe(Date.parse('2026-01-01T10:04:30Z'));
    expect(idle(null)).toBeNull();
    expect(parseIdleSince('yesterday-ish')).toBeNull();
  });

  it('rejects a queue whose name is not text', () => {
    expect(queueResponse.safeParse({ vhost: '/', name: 42 }).success).toBe(false);
  });
});

describe('rates: unknown is never zero', () => {
  it('is null when the broker collects no statistics', () => {
    expect(mapRates({ publish_details: { rate: 3 } }, false)).toBeNull();
    expect(mapOverview(overviewResponse.parse({ disable_stats: true })).rates).toBeNull();
    expect(mapOverview(overviewResponse.parse({ rates_mode: 'none' })).statsEnabled).toBe(false);
  });

  it('is zero for an object that saw no message on a broker that collects them', () => {
    expect(mapRates(undefined, true)).toEqual({ publish: 0, deliver: 0, ack: 0, redeliver: 0 });
  });

  it('takes deliver from deliver_get', () => {
    expect(mapRates({ deliver_get_details: { rate: 2.5 }, ack_details: { rate: 2 } }, true)).toMatchObject({ deliver: 2.5, ack: 2 });
  });
});
