// Quorum queues and streams in a real browser, on whichever broker the run reads (3.10 and 4.0):
// a quorum server queue says its type, replicas and leader in the list and on its page; the
// shared fanout stream says what it retains (not a backlog), that offsets are not reported, and
// keeps the consumer its closed channel left behind apart from its consumers.
import amqp, { type ChannelModel } from 'amqplib';
import { expect, test, type Page } from '@playwright/test';
import type { OverviewResponse, QueueDetailResponse } from '../lib/api/schemas';
import { apiPath, queueHref, queuesHref } from '../lib/client/links';
import { amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { SCREENSHOTS } from './cloud-info';

const SERVER = 'compute.r-1';
const STREAM = 'compute_fanout';
let vhost: string;
let conn: ChannelModel | undefined;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test.beforeAll(async () => {
  vhost = await createTestVhost('replicas');
  conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: 'nova-compute:4343:0f1e2d3c-4b5a-4697-a8b9-cadbecfd0e1f' } });
  const ch = await conn.createChannel();
  // What nova declares with rabbit_quorum_queue and rabbit_stream_fanout.
  await ch.assertExchange('nova', 'topic', { durable: true });
  for (const q of ['compute', SERVER]) {
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(q, 'nova', q);
  }
  await ch.assertExchange(STREAM, 'fanout', { durable: true, autoDelete: true });
  await ch.assertQueue(STREAM, { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } });
  await ch.bindQueue(STREAM, STREAM, 'compute');
  for (let i = 0; i < 120; i++) ch.publish(STREAM, '', Buffer.from(`fanout ${i}`));
  await ch.prefetch(10, false);
  await ch.consume(SERVER, (m) => m && ch.ack(m));
  for (const keep of [true, false]) {
    const reader = await conn.createChannel();
    await reader.prefetch(10, false);
    await reader.consume(STREAM, (m) => m && reader.ack(m), { arguments: { 'x-stream-offset': 'next' } });
    if (!keep) await reader.close();
  }
});

test.afterAll(async () => {
  await conn?.close().catch(() => undefined);
  if (vhost) await deleteTestVhost(vhost);
});

test('a quorum queue and a fanout stream: replicas, retention, and what a closed channel left', async ({ page, request }) => {
  test.setTimeout(330_000);
  const overview = (await (await request.get(apiPath.overview())).json()) as OverviewResponse;
  const threeTen = overview.broker?.rabbitmqVersion?.startsWith('3.') ?? false;

  await page.goto(queuesHref({ vhost, q: 'compute' }));
  const serverRow = page.getByRole('row').filter({ hasText: SERVER });
  await expect(serverRow).toContainText(/quorum\s*1\/1/, { timeout: 60_000 });
  const streamRow = page.getByRole('row').filter({ hasText: STREAM });
  await expect(streamRow).toContainText('retains 120', { timeout: 60_000 });
  await shot(page, 'queues-replicas');

  await page.goto(queueHref(vhost, SERVER));
  await expect(page.getByTestId('replicas')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/1\/1 up, 1 needed/)).toBeVisible();

  // The stream's page: once the whole read has the closed channel's entry (the broker's topology cadence).
  const detail = async () => (await (await request.get(apiPath.queue(vhost, STREAM))).json()) as QueueDetailResponse;
  await expect.poll(async () => (await detail()).queue.consumers, { timeout: 120_000 }).toBe(1);
  await page.goto(queueHref(vhost, STREAM));
  await expect(page.getByTestId('stream-retention')).toContainText('1800s');
  await expect(page.getByTestId('stream-offsets')).toBeVisible();
  const answer = await detail();
  expect(answer.consumers).toHaveLength(1);
  if (threeTen) {
    // 3.10 lists the entry on and off until the connection closes (gone for seconds after the close, then
    // back), and the dashboard reads it with the whole read, every minute here: within two of them.
    await expect.poll(async () => (await detail()).staleConsumers.length, { timeout: 150_000 }).toBe(1);
    await expect(page.getByTestId('stale-consumers')).toContainText('Left by a closed channel (1)', { timeout: 30_000 });
  } else if (answer.staleConsumers.length > 0) {
    // 4.0.5 drops it after 40 s to a few minutes.
    await expect(page.getByTestId('stale-consumers')).toContainText('Left by a closed channel (1)');
  }
  await shot(page, 'queue-stream');
});
