// A broker whose management plugin collects no statistics
// (management_agent.disable_metrics_collector = true), a node of its own from
// scripts/cluster.sh: the topology is still read and classified, rates are unknown (null,
// shown as n/a), never zero.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/broker';
import { ManagementClient } from '@/lib/broker/management-client';
import { BrokerReader } from '@/lib/broker/broker-reader';
import { queueRates, readPrometheus } from '@/lib/broker/prometheus-stats';
import { readBroker } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import { serviceList } from '@/lib/domain/services';
import { stateOf } from '@/lib/testing/state';
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
    const state = stateOf((await readBroker(client)).inputs);
    const row = filterQueues(state.topology, { q: 'compute.node-1', vhost: 'nostats', sort: 'name', order: 'asc', page: 1, pageSize: 10 }).items[0]!;
    expect(row).toMatchObject({ name: 'compute.node-1', messagesReady: null, messagesUnacknowledged: null, consumers: null });
    expect(state.health.of(row)).toBe('unknown');
    expect(componentDetail(state, 'nova')?.statsEnabled).toBe(false);
  });

  it('does not call an RPC server ok when it cannot know whether it is consumed', async () => {
    const rows = stateOf((await readBroker(client)).inputs).services.filter((r) => r.vhost === 'nostats');
    expect(rows).toEqual([
      expect.objectContaining({ serverQueue: 'compute.node-1', status: 'unknown', consumers: null, backlog: null, statusReason: expect.stringMatching(/no statistics/) }),
    ]);
    expect(serviceList(rows, { limitPerGroup: 100, status: 'trouble' }).filtered).toBe(0);
  });

  it('takes counts and rates from its Prometheus plugin instead, as exact as the broker counts them', async () => {
    const prometheus = { urls: ['http://127.0.0.1:15695'], counters: true, timeoutMs: 10_000 };
    const first = await readPrometheus(prometheus);
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5694/nostats');
    try {
      const ch = await conn.createConfirmChannel();
      await ch.consume('compute.node-1', (m) => m && ch.ack(m));
      for (let i = 0; i < 20; i++) ch.publish('nova', 'compute.node-1', Buffer.from('{}'));
      await ch.waitForConfirms();
      const key = 'nostats\u0000compute.node-1';
      // The one message waiting from the start, and twenty more, all delivered and acknowledged.
      // Counters move at once; the queue's gauges with its next statistics emission (5 s).
      const { second, rates } = await eventually(async () => {
        const second = await readPrometheus(prometheus);
        const rates = queueRates(first, second);
        const seconds = (second.at - first.at) / 1000;
        const settled = (rates.get(key)?.ack ?? 0) * seconds > 20.5 && second.queues.get(key)?.consumers === 1;
        return settled ? { second, rates } : null;
      }, 20_000);
      const seconds = (second.at - first.at) / 1000;
      const r = rates.get(key)!;
      expect(second.queues.get(key)).toMatchObject({ ready: 0, unacked: 0, consumers: 1 });
      expect(r.publish * seconds).toBeCloseTo(20, 6);
      expect(r.deliver * seconds).toBeCloseTo(21, 6);
      expect(r.ack * seconds).toBeCloseTo(21, 6);
      // The dashboard's reader takes them: counts at once, rates once it has read the counters twice (in the background).
      const reader = new BrokerReader({ client, prometheus, topologyIntervalMs: 60_000, refreshIntervalMs: 1000, requestTimeoutMs: 10_000 });
      const initial = await reader.read();
      expect(buildTopology(initial.inputs).totals.rates).toBeNull();
      const read = await eventually(async () => {
        const r = await reader.read();
        return r.inputs.queues.some((q) => q.rates !== null) ? r : null;
      }, 20_000);
      expect(read.counts).toMatchObject({ source: 'prometheus' });
      const t = buildTopology(read.inputs);
      expect(t.queues.find((x) => x.vhost === 'nostats' && x.name === 'compute.node-1')).toMatchObject({ messagesReady: 0, messagesUnacknowledged: 0, consumers: 1 });
      expect(t.overview).toMatchObject({ statsEnabled: true, ratesMode: 'prometheus plugin' });
      expect(t.totals.rates).not.toBeNull();
    } finally {
      await conn.close();
    }
  });
});
