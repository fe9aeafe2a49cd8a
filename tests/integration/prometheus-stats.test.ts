// Queue statistics from RabbitMQ's Prometheus plugin (the main broker's, port 15692) against the
// management API's on the same queues, and the dashboard reading them instead when told to.
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuesResponse } from '@/lib/api/schemas';
import { ManagementClient } from '@/lib/broker/management-client';
import { readPrometheus } from '@/lib/broker/prometheus-stats';
import { readBroker } from '@/lib/broker/read-broker';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

const PROMETHEUS_URL = process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692';
let vhost: string;
let connection: ChannelModel;
let dashboard: DashboardServer | undefined;

beforeAll(async () => {
  vhost = await createTestVhost('prom');
  connection = await amqp.connect(amqpUrl(vhost));
  const ch = await connection.createConfirmChannel();
  for (const q of ['waiting', 'taken', 'empty']) await ch.assertQueue(q, { durable: false });
  for (let i = 0; i < 3; i++) ch.sendToQueue('waiting', Buffer.from('{}'));
  for (let i = 0; i < 2; i++) ch.sendToQueue('taken', Buffer.from('{}'));
  await ch.waitForConfirms();
  // One consumer with a prefetch of one that never acks: one unacked, one ready.
  const consumer = await connection.createChannel();
  await consumer.prefetch(1);
  await consumer.consume('taken', () => undefined);
});

afterAll(async () => {
  await dashboard?.stop();
  await connection?.close();
  if (vhost) await deleteTestVhost(vhost);
});

type Counts = Record<string, [number | null, number | null, number | null]>;

describe('the Prometheus plugin as a source of queue statistics', () => {
  it('gives the same ready, unacked and consumer counts as the management API on the same queues', async () => {
    const expected: Counts = { waiting: [3, 0, 0], taken: [1, 1, 1], empty: [0, 0, 0] };
    const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
    // The management API's numbers lag a few seconds behind; the plugin's do not.
    const management = await eventually(async () => {
      const counts: Counts = {};
      for (const q of (await readBroker(client)).inputs.queues.filter((q) => q.vhost === vhost))
        counts[q.name] = [q.messagesReady, q.messagesUnacknowledged, q.consumers];
      return Object.keys(expected).every((name) => JSON.stringify(counts[name]) === JSON.stringify(expected[name])) ? counts : null;
    }, 30_000);
    // The gauges alone, as most refreshes read them.
    const reading = await readPrometheus({ urls: [PROMETHEUS_URL], counters: false, timeoutMs: 10_000 });
    expect(reading.counters).toBeNull();
    const prometheus: Counts = {};
    for (const name of Object.keys(expected)) {
      const g = reading.queues.get(`${vhost}\u0000${name}`);
      prometheus[name] = [g?.ready ?? null, g?.unacked ?? null, g?.consumers ?? null];
    }
    expect(prometheus).toEqual(management);
  });

  it('feeds the dashboard whenever it is configured: counts now, rates from the second reading', async () => {
    dashboard = await startDashboard({
      RABBITMQ_MANAGEMENT_URL: MANAGEMENT_URL,
      RABBITMQ_PROMETHEUS_URL: PROMETHEUS_URL,
      REFRESH_INTERVAL_MS: '1000',
    });
    const queues = await eventually(async () => {
      const res = (await (await fetch(`${dashboard!.url}/api/v1/clusters/default/queues?vhost=${encodeURIComponent(vhost)}`)).json()) as QueuesResponse;
      return res.items?.length === 3 && res.items.every((q) => q.rates !== null) ? res : null;
    }, 30_000);
    expect(Object.fromEntries(queues.items.map((q) => [q.name, [q.messagesReady, q.messagesUnacknowledged, q.consumers]]))).toEqual({
      waiting: [3, 0, 0],
      taken: [1, 1, 1],
      empty: [0, 0, 0],
    });
    // The counts from the plugin, the totals' rates from the management API, which has them here.
    const overview = (await (await fetch(`${dashboard.url}/api/v1/clusters/default/overview`)).json()) as { broker: { ratesMode: string }; status: { source?: { counts: string } } };
    expect(overview.status.source?.counts).toBe('prometheus');
    expect(overview.broker.ratesMode).toBe('basic');
  });
});
