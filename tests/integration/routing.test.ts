// The routing tester agrees with the broker: in a vhost of its own, exchanges and bindings
// shaped like oslo.messaging's (and a few that are not), then for each (exchange, routing
// key) of a table a message is really published and the queues that got it are compared
// with what routeMessage computed from the bindings the management API reported.
import amqp, { type ConfirmChannel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { routeMessage } from '@/lib/domain/routing';
import { buildTopology } from '@/lib/domain/topology';
import type { Topology } from '@/lib/domain/types';
import { amqpUrl, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../helpers/broker';

const QUEUES = [
  'compute',
  'compute.host1',
  'compute.host2',
  'compute_fanout_a1',
  'compute_fanout_b2',
  'notifications.info',
  'notifications.error',
  'audit',
  'reply_0f3c',
  'lost',
];

const CASES: [exchange: string, key: string][] = [
  ['nova', 'compute'],
  ['nova', 'compute.host1'],
  ['nova', 'compute.host2'],
  ['nova', 'compute.host3'],
  ['nova', 'notifications.info'],
  ['nova', 'notifications.error'],
  ['nova', 'notifications.warn.extra'],
  ['nova', 'conductor'],
  ['nova', ''],
  ['nova', 'a..b'],
  ['nova', 'x.audit'],
  ['compute_fanout', ''],
  ['compute_fanout', 'whatever.key'],
  ['reply_0f3c', 'reply_0f3c'],
  ['reply_0f3c', 'reply_0f3'],
  ['', 'compute.host1'],
  ['', 'no-such-queue'],
  ['hop', 'compute.host2'],
  ['hop', 'notifications.info'],
  ['with-alternate', 'compute'],
  ['with-alternate', 'anything.else'],
];

let vhost: string;
let connection: ChannelModel;
let channel: ConfirmChannel;
let topology: Topology;

beforeAll(async () => {
  vhost = await createTestVhost('routing');
  connection = await amqp.connect(amqpUrl(vhost));
  channel = await connection.createConfirmChannel();
  await channel.assertExchange('nova', 'topic', { durable: false });
  await channel.assertExchange('compute_fanout', 'fanout', { durable: false, autoDelete: false });
  await channel.assertExchange('reply_0f3c', 'direct', { durable: false, autoDelete: false });
  await channel.assertExchange('hop', 'topic', { durable: false });
  await channel.assertExchange('catch-all', 'fanout', { durable: false });
  await channel.assertExchange('with-alternate', 'direct', { durable: false, alternateExchange: 'catch-all' });
  for (const q of QUEUES) await channel.assertQueue(q, { durable: false });
  // oslo.messaging's: the topic and per-server queues, fanout queues, a notification listener.
  await channel.bindQueue('compute', 'nova', 'compute');
  await channel.bindQueue('compute.host1', 'nova', 'compute.host1');
  await channel.bindQueue('compute.host2', 'nova', 'compute.host2');
  await channel.bindQueue('compute_fanout_a1', 'compute_fanout', 'compute');
  await channel.bindQueue('compute_fanout_b2', 'compute_fanout', 'compute');
  await channel.bindQueue('notifications.info', 'nova', 'notifications.info');
  await channel.bindQueue('notifications.error', 'nova', 'notifications.error');
  await channel.bindQueue('reply_0f3c', 'reply_0f3c', 'reply_0f3c');
  // And patterns no oslo service makes, to hold the matching to the broker's.
  await channel.bindQueue('audit', 'nova', '#.audit');
  await channel.bindQueue('audit', 'nova', 'notifications.*');
  await channel.bindQueue('audit', 'nova', 'a.*.b');
  await channel.bindQueue('compute.host1', 'nova', '#');
  await channel.unbindQueue('compute.host1', 'nova', '#');
  await channel.bindQueue('notifications.error', 'nova', 'notifications.#');
  await channel.bindExchange('nova', 'hop', 'compute.*');
  await channel.bindQueue('compute', 'with-alternate', 'compute');
  await channel.bindQueue('lost', 'catch-all', '');
  const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
  topology = buildTopology((await readBroker(client)).inputs);
});

afterAll(async () => {
  await connection?.close();
  if (vhost) await deleteTestVhost(vhost);
});

/** What the broker did with one message: the queues holding a copy afterwards. */
async function brokerRoutes(exchange: string, key: string): Promise<string[]> {
  channel.publish(exchange, key, Buffer.from('{}'));
  await channel.waitForConfirms();
  const reached: string[] = [];
  for (const q of QUEUES) {
    if ((await channel.checkQueue(q)).messageCount > 0) reached.push(q);
    await channel.purgeQueue(q);
  }
  return reached;
}

describe('the routing tester', () => {
  it('read the bindings the test made', () => {
    expect(topology.bindings.filter((b) => b.vhost === vhost && b.source === 'nova')).toHaveLength(9);
  });

  it.each(CASES)('agrees with the broker on exchange %j, routing key %j', async (exchange, key) => {
    const computed = routeMessage(topology, vhost, exchange, key);
    expect(computed).not.toBeNull();
    const broker = await brokerRoutes(exchange, key);
    expect(computed!.queues.map((q) => q.name).sort()).toEqual(broker.sort());
  });

  it('covers cases where the broker delivers to several queues, to one, and to none', async () => {
    const sizes = new Set<string>();
    for (const [exchange, key] of CASES) {
      const n = routeMessage(topology, vhost, exchange, key)!.queues.length;
      sizes.add(n === 0 ? 'none' : n === 1 ? 'one' : 'several');
    }
    expect([...sizes].sort()).toEqual(['none', 'one', 'several']);
  });
});
