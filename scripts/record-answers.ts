// Records what a real RabbitMQ answers about the objects an oslo.messaging cloud of 2025 makes, for
// the schema tests of both versions (lib/broker/recorded-answers.test.ts):
//
//   npm run record-answers                                    # RabbitMQ 3.10 on 127.0.0.1:15672
//   RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15720 RABBITMQ_AMQP_PORT=5710 npm run record-answers   # 4.0
//
// In a vhost of its own (removed afterwards): a classic transient reply-like queue, a quorum server
// queue with a consumer, a stream with a consumer and one whose channel closed (left behind in
// /api/consumers by 3.x and 4.0.5), and a channel with a global prefetch. Each answer is written
// as the dashboard asks for it (the same columns), as the per-vhost endpoints give it, to
// tests/fixtures/broker-answers/rabbitmq-<version>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { COLUMNS } from '@/lib/broker/columns';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '@/tests/helpers/broker';

const OUT = path.resolve(__dirname, '../tests/fixtures/broker-answers');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get(url: string, params: Record<string, string | boolean> = {}): Promise<unknown> {
  const res = await admin.get(url, { params, validateStatus: () => true });
  return res.status === 200 ? res.data : { status: res.status };
}

async function main(): Promise<void> {
  const vhost = await createTestVhost('answers');
  const conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: 'nova-compute:4242:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' } });
  try {
    const ch = await conn.createChannel();
    await ch.assertQueue('reply_0123456789abcdef0123456789abcdef', { durable: false, autoDelete: false, arguments: { 'x-expires': 1_800_000 } });
    await ch.assertQueue('compute.node-1', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.assertQueue('compute_fanout', { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } });
    await ch.prefetch(10, false);
    await ch.consume('compute.node-1', () => undefined);
    const stream = await conn.createChannel();
    await stream.prefetch(10, false);
    await stream.consume('compute_fanout', () => undefined, { arguments: { 'x-stream-offset': 'next' } });
    const left = await conn.createChannel();
    await left.prefetch(10, false);
    await left.consume('compute_fanout', () => undefined, { arguments: { 'x-stream-offset': 'next' } });
    await left.close();
    const global = await conn.createChannel();
    await global.prefetch(5, true);
    for (let i = 0; i < 3; i++) ch.sendToQueue('compute_fanout', Buffer.from(`retained ${i}`));
    await sleep(6000); // statistics are emitted every 5 s

    const v = encodeURIComponent(vhost);
    const answers = {
      overview: await get('/api/overview'),
      nodes: await get('/api/nodes', { columns: COLUMNS.nodes.join(',') }),
      queueMetadata: await get(`/api/queues/${v}`, { columns: COLUMNS.queueMetadata.join(','), disable_stats: true }),
      queueCounts: await get(`/api/queues/${v}`, { columns: COLUMNS.queueCounts.join(',') }),
      consumers: await get(`/api/consumers/${v}`, { columns: COLUMNS.consumers.join(',') }),
      channels: await get(`/api/vhosts/${v}/channels`, { columns: COLUMNS.channels.join(',') }),
      connections: await get(`/api/vhosts/${v}/connections`, { columns: COLUMNS.connections.join(',') }),
      deprecatedFeaturesUsed: await get('/api/deprecated-features/used'),
    };
    const overview = answers.overview as { rabbitmq_version: string };
    const file = path.join(OUT, `rabbitmq-${overview.rabbitmq_version}.json`);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ recordedFrom: MANAGEMENT_URL.replace(/\/\/[^@/]*@/, '//'), vhost, answers }, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await conn.close().catch(() => undefined);
    await deleteTestVhost(vhost);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
