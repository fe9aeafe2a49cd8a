// Hostile names and client properties, created on the real broker, are shown as inert
// text: no script of theirs runs, on any page that shows them, and every page carries a
// content security policy that would stop one if escaping ever failed.
import amqp, { type ChannelModel } from 'amqplib';
import { expect, test, type Page } from '@playwright/test';
import type { QueuesResponse } from '../lib/api/schemas';
import { exchangeHref, processHref, queueHref, queuesHref } from '../lib/client/links';
import { amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { SCREENSHOTS } from './cloud-info';

const api = '/api/v1/clusters/default';
const HOSTILE_QUEUE = `<img src=x onerror="window.__pwned=1">-"><script>window.__pwned=2</script>`;
const HOSTILE_EXCHANGE = 'javascript:window.__pwned=3//';
const HOSTILE_BINARY = `<svg onload="window.__pwned=4">`;
const PID = 4242;
let vhost: string;
let connection: ChannelModel | undefined;

test.beforeAll(async ({ request }) => {
  test.setTimeout(90_000);
  vhost = await createTestVhost('hostile');
  connection = await amqp.connect(amqpUrl(vhost), {
    clientProperties: {
      connection_name: `${HOSTILE_BINARY}:${PID}:5720bf7e-7bad-4af4-84f1-7fba0c68b74b`,
      product: 'javascript:window.__pwned=5',
      platform: `"><img src=x onerror=window.__pwned=6>`,
      information: { deep: { deeper: { deepest: '<script>window.__pwned=7</script>'.repeat(50) } } },
    },
  });
  const ch = await connection.createChannel();
  await ch.assertExchange(HOSTILE_EXCHANGE, 'topic', { durable: false });
  await ch.assertQueue(HOSTILE_QUEUE, { durable: false });
  await ch.bindQueue(HOSTILE_QUEUE, HOSTILE_EXCHANGE, HOSTILE_QUEUE);
  await ch.consume(HOSTILE_QUEUE, () => undefined, { noAck: false });
  // Wait until the dashboard's snapshot has the queue and its consumer's process.
  await expect
    .poll(
      async () => {
        const body = (await (await request.get(`${api}/queues?${new URLSearchParams({ vhost, q: 'onerror' })}`)).json()) as QueuesResponse;
        return body.items.find((q) => q.name === HOSTILE_QUEUE)?.processIds[0] ?? null;
      },
      { timeout: 45_000 },
    )
    .not.toBeNull();
});

test.afterAll(async () => {
  await connection?.close().catch(() => undefined);
  if (vhost) await deleteTestVhost(vhost);
});

/** Fails the test if any script of the page's content runs, or a dialog opens. */
async function watch(page: Page): Promise<{ dialogs: string[] }> {
  const seen = { dialogs: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    (window as unknown as { __pwned: number }).__pwned = 0;
  });
  return seen;
}

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned: number }).__pwned);

test('hostile names and client properties are shown as text, and nothing of theirs runs', async ({ page, request }) => {
  const seen = await watch(page);
  const processId = `${HOSTILE_BINARY}:${PID}@127.0.0.1`;

  const response = await page.goto(queuesHref({ vhost, q: 'onerror' }));
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('link', { name: HOSTILE_QUEUE })).toBeVisible();

  await page.goto(queueHref(vhost, HOSTILE_QUEUE));
  await expect(page.getByRole('heading', { name: HOSTILE_QUEUE })).toBeVisible();
  await expect(page.getByText(HOSTILE_EXCHANGE).first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/hostile-queue.png`, fullPage: true });

  await page.goto(exchangeHref(vhost, HOSTILE_EXCHANGE));
  await expect(page.getByRole('link', { name: HOSTILE_QUEUE }).first()).toBeVisible();

  await page.goto(processHref(processId));
  await expect(page.getByText(HOSTILE_BINARY).first()).toBeVisible();
  await expect(page.getByText('javascript:window.__pwned=5').first()).toBeVisible();
  // A link never points at a javascript: URL, whatever a name says.
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/hostile-process.png`, fullPage: true });

  expect(await pwned(page)).toBe(0);
  expect(seen.dialogs).toEqual([]);
  // The API answers JSON that no browser would run either.
  const apiAnswer = await request.get(`${api}/queues?${new URLSearchParams({ vhost })}`);
  expect(apiAnswer.headers()['content-type']).toMatch(/^application\/json/);
  expect(apiAnswer.headers()['content-security-policy']).toContain("default-src 'none'");
});

test('odd but legal names round-trip through URLs and pages, in an odd vhost', async ({ page, request }) => {
  test.setTimeout(90_000);
  const oddVhost = await createTestVhost(`odd/ v%#?"'ü`);
  const names = ['a/b', '50%', '#hash', 'what?', 'with space', `"double" 'single'`, 'ünïcødé ☃', `${'ü'.repeat(100)}${'x'.repeat(55)}`];
  expect(Buffer.byteLength(names.at(-1)!)).toBe(255);
  const conn = await amqp.connect(amqpUrl(oddVhost));
  try {
    const ch = await conn.createChannel();
    await ch.assertExchange('ex/%#? ü', 'topic', { durable: false });
    for (const name of names) {
      await ch.assertQueue(name, { durable: false });
      await ch.bindQueue(name, 'ex/%#? ü', 'rk');
    }
    await expect
      .poll(async () => ((await (await request.get(`${api}/queues?${new URLSearchParams({ vhost: oddVhost, pageSize: '100' })}`)).json()) as QueuesResponse).filtered, {
        timeout: 45_000,
      })
      .toBe(names.length);
    for (const name of names) {
      await page.goto(queueHref(oddVhost, name));
      await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
      await page.reload();
      await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
      await expect(page.getByText(oddVhost).first()).toBeVisible();
    }
    await page.goto(exchangeHref(oddVhost, 'ex/%#? ü'));
    for (const name of names) await expect(page.getByRole('link', { name, exact: true }).first()).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/odd-names-exchange.png`, fullPage: true });
  } finally {
    await conn.close().catch(() => undefined);
    await deleteTestVhost(oddVhost);
  }
});
