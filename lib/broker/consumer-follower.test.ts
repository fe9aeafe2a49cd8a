import { describe, expect, it } from 'vitest';
import { refKey } from '@/lib/domain/keys';
import type { ConsumerInput } from '@/lib/domain/types';
import type { BrokerEvent } from './broker-events';
import { ConsumerFollower } from './consumer-follower';
import type { ManagementClient } from './management-client';

const CONN = '10.0.0.7:41000 -> 10.0.0.1:5672';
const OLD_CONN = '10.0.0.8:42000 -> 10.0.0.1:5672';

/** A client whose one question (a queue's consumers) is counted and answered from `consumers`. */
function fakeClient(consumers: Record<string, ConsumerInput[]> = {}) {
  const asked: string[] = [];
  const client = {
    async queueConsumers(vhost: string, name: string) {
      asked.push(name);
      return {
        consumer_details: (consumers[name] ?? []).map((c) => ({
          consumer_tag: c.consumerTag,
          queue: { name: c.queue, vhost: c.vhost },
          channel_details: { name: c.channelName, connection_name: c.connectionName },
          ack_required: true,
          prefetch_count: 0,
          active: true,
        })),
      };
    },
    async connection(name: string) {
      asked.push(`connection ${name}`);
      return { name, vhost: '/', user: 'nova', peer_host: '10.0.0.8', client_properties: {} };
    },
  } as unknown as ManagementClient;
  return { client, asked };
}

const consumer = (queue: string, tag: string, connection: string, channel = 1): ConsumerInput => ({
  vhost: '/',
  queue,
  consumerTag: tag,
  ackRequired: true,
  prefetchCount: 0,
  active: true,
  channelName: `${connection} (${channel})`,
  connectionName: connection,
});

const connectionCreated = (at: number, name = CONN, pid = '<c1>', client = 'nova-compute:4242:0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'): BrokerEvent => ({
  type: 'connection.created',
  at,
  pid,
  name,
  vhost: '/',
  user: 'nova',
  node: 'rabbit@r1',
  peerHost: '10.0.0.7',
  peerPort: 41000,
  host: '10.0.0.1',
  port: 5672,
  userProvidedName: client,
  clientProperties: { connection_name: client, product: 'py-amqp' },
  connectedAt: at,
  protocol: '{0,9,1}',
});

/** A follower that last read whole a nova-compute on an older connection consuming two queues, with oslo's repeating tags. */
function follower(client: ManagementClient) {
  const f = new ConsumerFollower(client, 50);
  f.restart(
    {
      consumers: [consumer('compute.hv-8', '1', OLD_CONN), consumer('compute', '2', OLD_CONN), consumer('compute', '2', '10.0.0.9:43000 -> 10.0.0.1:5672')],
      connections: [OLD_CONN, '10.0.0.9:43000 -> 10.0.0.1:5672'].map((name) => ({
        name,
        vhost: '/',
        user: 'nova',
        node: null,
        peerHost: name.split(':')[0]!,
        peerPort: null,
        state: 'running',
        connectedAt: null,
        clientConnectionName: null,
        product: null,
        productVersion: null,
        platform: null,
        channels: 1,
      })),
      channels: [],
    },
    1000,
  );
  return f;
}

describe('following who consumes by the broker’s events', () => {
  it('adds and removes consumers on the channels the events introduced, with the broker’s times', async () => {
    const { client, asked } = fakeClient();
    const f = follower(client);
    const changed = new Map<string, number>();
    f.applyEvents(
      [
        connectionCreated(2000),
        { type: 'channel.created', at: 2001, pid: '<ch1>', name: `${CONN} (1)`, connectionPid: '<c1>', number: 1, vhost: '/', user: 'nova' },
        { type: 'consumer.created', at: 2002, vhost: '/', queue: 'compute.hv-7', channelPid: '<ch1>', consumerTag: '1', ackRequired: true, prefetchCount: 0, exclusive: false },
      ],
      changed,
    );
    expect(f.consumersWithChannel(refKey('/', 'compute.hv-7'))).toBe(1);
    expect(f.lists().connections.find((c) => c.name === CONN)).toMatchObject({ clientConnectionName: 'nova-compute:4242:0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0', peerHost: '10.0.0.7', product: 'py-amqp' });
    expect(changed.get(`consumers:${refKey('/', 'compute.hv-7')}`)).toBe(2002);

    f.applyEvents([{ type: 'consumer.deleted', at: 3000, vhost: '/', queue: 'compute.hv-7', channelPid: '<ch1>', consumerTag: '1' }], changed);
    expect(f.consumersWithChannel(refKey('/', 'compute.hv-7'))).toBe(0);
    expect(await f.askUnplaced()).toBe('followed');
    expect(asked).toEqual([]);
  });

  it('places a consumer of an older channel by its tag where it is the only one with it, and asks the broker where it is not', async () => {
    const { client, asked } = fakeClient({ compute: [consumer('compute', '2', '10.0.0.9:43000 -> 10.0.0.1:5672')] });
    const f = follower(client);
    f.applyEvents(
      [
        { type: 'consumer.deleted', at: 2000, vhost: '/', queue: 'compute.hv-8', channelPid: '<old>', consumerTag: '1' },
        { type: 'consumer.deleted', at: 2000, vhost: '/', queue: 'compute', channelPid: '<old>', consumerTag: '2' },
      ],
      new Map(),
    );
    expect(f.consumersWithChannel(refKey('/', 'compute.hv-8'))).toBe(0);
    // Two consumers of the topic queue share oslo's tag "2": the broker is asked.
    expect(f.consumersWithChannel(refKey('/', 'compute'))).toBe(2);
    expect(await f.askUnplaced()).toBe('followed');
    // …and whether the connection that lost its consumers is still there.
    expect(asked).toEqual(['compute', `connection ${OLD_CONN}`]);
    expect(f.consumersWithChannel(refKey('/', 'compute'))).toBe(1);
  });

  it('drops the consumers and channels of a closed connection, and of a deleted queue', () => {
    const { client } = fakeClient();
    const f = follower(client);
    const changed = new Map<string, number>();
    f.applyEvents([{ type: 'connection.closed', at: 5000, pid: '<unknown>', name: OLD_CONN, userProvidedName: null }], changed);
    expect(f.consumersWithChannel(refKey('/', 'compute.hv-8'))).toBe(0);
    expect(f.consumersWithChannel(refKey('/', 'compute'))).toBe(1);
    f.applyEvents([{ type: 'queue.deleted', at: 6000, vhost: '/', name: 'compute' }], changed);
    expect(f.consumersWithChannel(refKey('/', 'compute'))).toBe(0);
    expect(changed.get(`queue:${refKey('/', 'compute')}`)).toBe(6000);
  });

  it('tells a client closed within milliseconds again and again, and not one that lived', () => {
    const { client } = fakeClient();
    const f = follower(client);
    const events: BrokerEvent[] = [];
    for (let k = 0; k < 4; k++) {
      const at = 10_000 + k * 3000;
      const name = `10.0.0.7:${41000 + k} -> 10.0.0.1:5672`;
      events.push(connectionCreated(at, name, `<r${k}>`, `nova-compute:4242:${k}f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0`));
      events.push({ type: 'connection.closed', at: at + 15, pid: `<r${k}>`, name, userProvidedName: null });
    }
    events.push(connectionCreated(20_000, 'lived', '<l>', 'nova-conductor:7:1f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'));
    events.push({ type: 'connection.closed', at: 25_000, pid: '<l>', name: 'lived', userProvidedName: null });
    f.applyEvents(events, new Map());
    expect(f.refusedConnections(26_000)).toEqual([
      { vhost: '/', user: 'nova', peerHost: '10.0.0.7', clientConnectionName: 'nova-compute:4242:3f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0', times: 4, longestMs: 15, lastAt: 19_015 },
    ]);
    // A minute later they are no longer told.
    expect(f.refusedConnections(90_000)).toEqual([]);
  });
});
