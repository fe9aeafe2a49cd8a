// The queue lists come whole (cheaper for the broker) until one request of them times out;
// from then on they come in pages, each short. Checked against a stand-in that is slow to
// answer whole lists, and against the real broker that paging gives the same queues.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { amqpUrl, createTestVhost, deleteTestVhost, MANAGEMENT_URL } from '../helpers/broker';

describe('queue lists that time out whole', () => {
  let server: http.Server;
  let base: string;
  const requests: string[] = [];
  const queues = Array.from({ length: 1234 }, (_, i) => ({ vhost: '/', name: `compute.host${i}`, messages_ready: i % 3, consumers: 1 }));

  beforeAll(async () => {
    // Like a broker of 30k queues: the whole list takes longer than the client waits; a page does not.
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${url.pathname}${url.searchParams.has('page') ? ` page ${url.searchParams.get('page')}` : ' whole'}`);
      const page = Number(url.searchParams.get('page') ?? 0);
      if (!page) {
        const t = setTimeout(() => res.end(JSON.stringify(queues)), 2_000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      const size = Number(url.searchParams.get('page_size'));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items: queues.slice((page - 1) * size, page * size), page, page_count: Math.ceil(queues.length / size) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('falls back to pages at once, and asks in pages from then on', async () => {
    const client = new ManagementClient({ baseUrl: base, username: 'u', password: 'p', timeoutMs: 300 });
    expect(client.queuesPaged).toBe(false);
    const first = await client.queueCounts();
    expect(first.map((q) => q.name)).toEqual(queues.map((q) => q.name));
    expect(first[7]).toMatchObject({ messages_ready: 1, consumers: 1 });
    expect(requests).toEqual(['/api/queues whole', '/api/queues page 1', '/api/queues page 2', '/api/queues page 3']);
    expect(client.queuesPaged).toBe(true);
    requests.length = 0;
    expect(await client.queueCounts()).toHaveLength(1234);
    expect(requests.every((r) => r.includes('page'))).toBe(true);
  });
});

describe('queue lists in pages, against the real broker', () => {
  let vhost: string;
  beforeAll(async () => {
    vhost = await createTestVhost('paging');
    const conn = await amqp.connect(amqpUrl(vhost));
    const ch = await conn.createChannel();
    for (let i = 0; i < 520; i++) await ch.assertQueue(`compute.host${i}`, { durable: false });
    await ch.assertQueue('compute', { durable: false, arguments: { 'x-expires': 1_800_000 } });
    await conn.close();
  });
  afterAll(async () => {
    if (vhost) await deleteTestVhost(vhost);
  });

  it('gives the same queues, metadata and counts as one whole request (two pages of this vhost alone)', async () => {
    const whole = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 30_000 });
    const paged = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 30_000, queuePaging: 'always' });
    const mine = <T extends { vhost: string; name: string }>(qs: T[]) => qs.filter((q) => q.vhost === vhost).sort((a, b) => a.name.localeCompare(b.name));
    const [wm, pm] = await Promise.all([whole.queueMetadata(), paged.queueMetadata()]);
    expect(mine(pm)).toEqual(mine(wm));
    expect(mine(pm)).toHaveLength(521);
    expect(mine(pm).find((q) => q.name === 'compute')?.arguments).toEqual({ 'x-expires': 1_800_000 });
    const [wc, pc] = await Promise.all([whole.queueCounts(), paged.queueCounts()]);
    expect(mine(pc).map((q) => [q.name, q.messages_ready ?? null])).toEqual(mine(wc).map((q) => [q.name, q.messages_ready ?? null]));
  });
});
