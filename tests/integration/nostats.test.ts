// A broker whose management plugin collects no statistics
// (management_agent.disable_metrics_collector = true), a node of its own from
// scripts/cluster.sh: the topology is still read and classified, rates are unknown (null,
// shown as n/a), never zero.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import { buildServiceRows, serviceList } from '@/lib/domain/services';
import { componentDetail, filterQueues } from '@/lib/domain/views';

const ROOT = path.resolve(__dirname, '../..');
const node = (...args: string[]) => execFileSync('bash', [path.join(ROOT, 'scripts/cluster.sh'), 'nostats', ...args], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
const auth = { username: 'guest', password: 'guest' };
const admin = axios.create({ baseURL: 'http://127.0.0.1:15694', auth, timeout: 30_000 });
const client = new ManagementClient({ baseUrl: 'http://127.0.0.1:15694', ...auth, timeoutMs: 30_000 });

beforeAll(async () => {
  node('start');
  await admin.put('/api/vhosts/nostats', {});
  await admin.put('/api/permissions/nostats/guest', { configure: '.*', write: '.*', read: '.*' });
  const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5694/nostats', { clientProperties: { connection_name: 'nova-compute:77:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' } });
  const ch = await conn.createChannel();
  await ch.assertExchange('nova', 'topic', { durable: false });
  for (const q of ['compute', 'compute.node-1']) {
    await ch.assertQueue(q, { durable: false });
    await ch.bindQueue(q, 'nova', q);
  }
  ch.publish('nova', 'compute.node-1', Buffer.from('{}'));
  await ch.close();
  await conn.close();
}, 300_000);

afterAll(() => {
  node('stop');
}, 120_000);

describe('a broker without statistics', () => {
  it('still shows the topology, classified, with rates unknown rather than zero', async () => {
    const { inputs, warnings } = await readBroker(client);
    expect(inputs.overview.statsEnabled).toBe(false);
    // It refuses consumers and channels outright; the dashboard says so and shows the rest.
    expect(warnings.join('\n')).toMatch(/Stats in management UI are disabled/);
    const t = buildTopology(inputs);
    const server = t.queues.find((q) => q.vhost === 'nostats' && q.name === 'compute.node-1');
    expect(server).toMatchObject({ kind: 'rpc-server', component: 'nova', topic: 'compute', host: 'node-1' });
    expect(server?.rates).toBeNull();
    expect(t.totals.rates).toBeNull();
    expect(t.components.map((c) => c.name)).toContain('nova');
  });

  it('gives queue lengths and consumers as unknown on the queue list, and says the component sums mean nothing', async () => {
    const t = buildTopology((await readBroker(client)).inputs);
    const row = filterQueues(t, { q: 'compute.node-1', vhost: 'nostats', sort: 'name', order: 'asc', page: 1, pageSize: 10 }).items[0];
    expect(row).toMatchObject({ name: 'compute.node-1', messagesReady: null, messagesUnacknowledged: null, consumers: null });
    expect(componentDetail(t, 'nova')?.statsEnabled).toBe(false);
  });

  it('does not call an RPC server ok when it cannot know whether it is consumed', async () => {
    const t = buildTopology((await readBroker(client)).inputs);
    const rows = buildServiceRows(t, [], { lastConsumers: () => [], processHost: () => null }).filter((r) => r.vhost === 'nostats');
    expect(rows).toEqual([
      expect.objectContaining({ serverQueue: 'compute.node-1', status: 'unknown', consumers: null, backlog: null, statusReason: expect.stringMatching(/no statistics/) }),
    ]);
    expect(serviceList(rows, { limitPerGroup: 100, status: 'trouble' }).filtered).toBe(0);
  });
});
