// The broker's event feed (rabbitmq_event_exchange) against a real broker with the plugin: what
// clients do in a vhost of the test's own arrives typed and in order; the feed's own queues and
// connection never do; an overflow of its queue and a reconnect are told once; a user without the
// permissions is told which one it lacks; a stopped feed leaves nothing behind.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BrokerEvent } from '@/lib/broker/broker-events';
import { EventFeed, type EventFeedOptions } from '@/lib/broker/event-feed';
import { admin, AMQP_HOST, AMQP_PORT, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';

const FEED_PREFIX = 'rabbit-lens-events:';
let vhost: string;
const feeds: EventFeed[] = [];
const users: string[] = [];

interface Fed {
  feed: EventFeed;
  events: BrokerEvent[];
  lost: string[];
}

function follow(opts: Partial<EventFeedOptions> = {}): Fed {
  const fed: Fed = { feed: null as unknown as EventFeed, events: [], lost: [] };
  fed.feed = new EventFeed({
    amqpUrl: amqpUrl(vhost),
    onEvents: (batch) => fed.events.push(...batch),
    onLost: (why) => fed.lost.push(why),
    ...opts,
  });
  feeds.push(fed.feed);
  fed.feed.start();
  return fed;
}

const live = (feed: EventFeed) => eventually(async () => feed.status().state === 'live', 20_000, 100);

const ConnectionRow = z.object({ name: z.string(), client_properties: z.object({ connection_name: z.string().optional() }).partial().or(z.array(z.never())).optional() });
const QueueRow = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  owner_pid_details: z.object({ name: z.string().optional() }).partial().or(z.array(z.never())).optional(),
});

/** The feeds' connections on the broker (their client-provided names start with the feed's prefix). */
async function feedConnections(): Promise<string[]> {
  const rows = z.array(ConnectionRow).parse((await admin.get('/api/connections', { params: { columns: 'name,client_properties' } })).data);
  return rows.filter((c) => !Array.isArray(c.client_properties) && c.client_properties?.connection_name?.startsWith(`${FEED_PREFIX}${process.pid}:`)).map((c) => c.name);
}

/** The queues in "/" owned by one of these connections (3.10 says the owner only when asked for one queue). */
async function queuesOf(connections: string[]) {
  const names = z.array(z.object({ name: z.string(), exclusive: z.boolean().optional() })).parse((await admin.get('/api/queues/%2F', { params: { columns: 'name,exclusive' } })).data);
  const rows = await Promise.all(
    names
      .filter((q) => q.exclusive)
      .map(async (q) => {
        const r = await admin.get(`/api/queues/%2F/${encodeURIComponent(q.name)}`, { validateStatus: () => true });
        return r.status === 200 ? QueueRow.parse(r.data) : null;
      }),
  );
  return rows.filter((q): q is z.infer<typeof QueueRow> => q !== null && !Array.isArray(q.owner_pid_details) && connections.includes(q.owner_pid_details?.name ?? ''));
}

async function createUser(perms: { configure: string; write: string; read: string }): Promise<{ user: string; password: string; url: string }> {
  const user = `lens-events-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  users.push(user);
  await admin.put(`/api/users/${user}`, { password, tags: '' });
  await admin.put(`/api/permissions/%2F/${user}`, perms);
  return { user, password, url: `amqp://${user}:${password}@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}` };
}

beforeAll(async () => {
  const exchange = await admin.get('/api/exchanges/%2F/amq.rabbitmq.event', { validateStatus: () => true });
  if (exchange.status === 404)
    throw new Error(
      `the broker at ${MANAGEMENT_URL} has no exchange amq.rabbitmq.event in vhost "/": these tests need the rabbitmq_event_exchange plugin (rabbitmq-plugins enable rabbitmq_event_exchange)`,
    );
  vhost = await createTestVhost('events');
});

afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.stop()));
});

afterAll(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.stop()));
  for (const user of users) await admin.delete(`/api/users/${user}`, { validateStatus: (s) => s < 500 });
  if (vhost) await deleteTestVhost(vhost);
});

describe('the event feed', () => {
  it('hands over what clients do, in order, typed; never its own events; and leaves no queue behind when stopped', async () => {
    const { feed, events } = follow();
    await live(feed);
    expect(feed.status()).toMatchObject({ state: 'live', why: null, lost: 0 });

    // its own queues: the event queue, bounded, dead-lettering into the overflow queue
    const own = await eventually(async () => {
      const qs = await queuesOf(await feedConnections());
      return qs.length === 2 ? qs : null;
    }, 10_000, 200);
    const eventQueue = own.find((q) => q.arguments?.['x-overflow'] === 'drop-head')!;
    const overflowQueue = own.find((q) => q !== eventQueue)!;
    expect(eventQueue.arguments).toMatchObject({ 'x-max-length': 100_000, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': overflowQueue.name });
    expect(overflowQueue.arguments).toMatchObject({ 'x-max-length': 1 });
    expect(eventQueue.name).toMatch(/^amq\.gen-/);

    const name = `nova-compute:${process.pid}:${randomUUID()}`;
    const conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: name } });
    const ch = await conn.createChannel();
    await ch.assertQueue('compute.hv-1', { durable: true, arguments: { 'x-expires': 600_000 } }); // durable: 4.3 may deny transient ones
    const { consumerTag } = await ch.consume('compute.hv-1', () => undefined);
    await ch.cancel(consumerTag);
    await ch.deleteQueue('compute.hv-1');
    await conn.close();
    await admin.put(`/api/policies/${encodeURIComponent(vhost)}/lens-events-policy`, { pattern: '^nothing$', definition: { 'max-length': 10 }, 'apply-to': 'queues' });

    await eventually(
      async () =>
        events.some((e) => e.type === 'policy.set' && e.vhost === vhost) && events.some((e) => e.type === 'connection.closed' && e.userProvidedName === name),
      10_000,
      100,
    );
    const at = (match: (e: BrokerEvent) => boolean) => {
      const i = events.findIndex(match);
      expect(i, 'an expected event').toBeGreaterThanOrEqual(0);
      return i;
    };
    const iConn = at((e) => e.type === 'connection.created' && e.userProvidedName === name);
    const created = events[iConn] as Extract<BrokerEvent, { type: 'connection.created' }>;
    expect(created).toMatchObject({ vhost, user: 'guest', port: AMQP_PORT, protocol: 'AMQP 0-9-1', clientProperties: { connection_name: name } });
    expect(created.peerHost).toBe(AMQP_HOST === 'localhost' ? '127.0.0.1' : AMQP_HOST);
    const iChannel = at((e) => e.type === 'channel.created' && e.connectionPid === created.pid);
    const channel = events[iChannel] as Extract<BrokerEvent, { type: 'channel.created' }>;
    expect(channel).toMatchObject({ vhost, user: 'guest', number: 1 });
    const iQueue = at((e) => e.type === 'queue.created' && e.vhost === vhost && e.name === 'compute.hv-1');
    expect(events[iQueue]).toMatchObject({ durable: true, arguments: { 'x-expires': 600_000 } });
    const iConsumer = at((e) => e.type === 'consumer.created' && e.consumerTag === consumerTag);
    expect(events[iConsumer]).toMatchObject({ vhost, queue: 'compute.hv-1', channelPid: channel.pid, ackRequired: true });
    const iCancel = at((e) => e.type === 'consumer.deleted' && e.consumerTag === consumerTag);
    expect(events[iCancel]).toMatchObject({ vhost, queue: 'compute.hv-1', channelPid: channel.pid });
    const iDeleted = at((e) => e.type === 'queue.deleted' && e.vhost === vhost && e.name === 'compute.hv-1');
    const iClosed = at((e) => e.type === 'connection.closed' && e.pid === created.pid);
    expect(events[iClosed]).toMatchObject({ userProvidedName: name, name: created.name });
    const iPolicy = at((e) => e.type === 'policy.set' && e.vhost === vhost);
    expect(events[iPolicy]).toMatchObject({ name: 'lens-events-policy' });
    // in the order the client did it (connection.closed comes after close-ok, so the policy may come before it)
    const order = [iConn, iChannel, iQueue, iConsumer, iCancel, iDeleted, iClosed];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const i of [...order, iPolicy]) expect(Math.abs(events[i]!.at - Date.now())).toBeLessThan(60_000);

    // nothing about itself
    const ownNames = own.map((q) => q.name);
    expect(events.filter((e) => (e.type === 'consumer.created' || e.type === 'consumer.deleted') && ownNames.includes(e.queue))).toEqual([]);
    expect(events.filter((e) => (e.type === 'queue.created' || e.type === 'queue.deleted') && ownNames.includes(e.name))).toEqual([]);
    expect(events.filter((e) => (e.type === 'connection.created' || e.type === 'connection.closed') && e.userProvidedName?.startsWith(FEED_PREFIX))).toEqual([]);
    expect(feed.status().received).toBe(events.length);

    await feed.stop();
    expect(feed.status().state).toBe('stopped');
    await eventually(async () => {
      const [conns, left] = await Promise.all([feedConnections(), queuesOf(ownNames)]);
      const still = await Promise.all(ownNames.map((q) => admin.get(`/api/queues/%2F/${encodeURIComponent(q)}`, { validateStatus: () => true })));
      return conns.length === 0 && left.length === 0 && still.every((r) => r.status === 404);
    }, 10_000, 200);
  });

  it('an overflow of its queue (the owner too slow) is told once, and the feed keeps going', async () => {
    const done = path.join(os.tmpdir(), `lens-events-burst-${randomUUID()}`);
    let blocked = false;
    const fed = follow({
      maxLength: 20,
      onEvents: (batch) => {
        fed.events.push(...batch);
        if (blocked) return;
        blocked = true;
        // The owner stops everything (the event loop) until the burst is over: nothing is acked meanwhile.
        const cell = new Int32Array(new SharedArrayBuffer(4));
        const end = Date.now() + 40_000;
        while (!existsSync(done) && Date.now() < end) Atomics.wait(cell, 0, 0, 20);
        Atomics.wait(cell, 0, 0, 1000);
      },
    });
    await live(fed.feed);

    // 1500 channels opened and closed by another process: 3000 events, far more than the prefetch and the queue hold
    const amqplib = createRequire(import.meta.url).resolve('amqplib');
    const burst = `
      const amqp = require(${JSON.stringify(amqplib)});
      const fs = require('fs');
      (async () => {
        const c = await amqp.connect(process.env.BURST_URL, { clientProperties: { connection_name: 'burst' } });
        for (let i = 0; i < 1500; i++) { const ch = await c.createChannel(); await ch.close(); }
        await c.close();
        fs.writeFileSync(process.env.BURST_DONE, 'done');
      })().catch((e) => { fs.writeFileSync(process.env.BURST_DONE, 'failed: ' + e.message); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', burst], { env: { ...process.env, BURST_URL: amqpUrl(vhost), BURST_DONE: done }, stdio: 'inherit' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      expect(await exited).toBe(0);
      expect(readFileSync(done, 'utf8')).toBe('done');
      await eventually(async () => fed.lost.length > 0, 20_000, 100);
    } finally {
      rmSync(done, { force: true });
    }
    expect(fed.lost[0]).toMatch(/^the event queue overflowed \(at least \d+ events dropped; it holds 20\)/);
    const channels = fed.events.filter((e) => e.type === 'channel.created' && e.vhost === vhost).length;
    expect(channels).toBeGreaterThan(0);
    expect(channels).toBeLessThan(1500);

    // still live: what happens next arrives
    const name = `after-overflow:${randomUUID()}`;
    const conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: name } });
    await conn.close();
    await eventually(async () => fed.events.some((e) => e.type === 'connection.closed' && e.userProvidedName === name), 10_000, 100);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fed.lost).toHaveLength(1);
    expect(fed.feed.status()).toMatchObject({ state: 'live', lost: 1 });
  });

  it('its connection closed by the broker: unavailable with the reason, back by itself, and tells that events were missed', async () => {
    const fed = follow();
    await live(fed.feed);
    const [connection] = await eventually(async () => {
      const c = await feedConnections();
      return c.length === 1 ? c : null;
    }, 10_000, 200);
    await admin.delete(`/api/connections/${encodeURIComponent(connection!)}`, { headers: { 'X-Reason': 'lens events test' } });
    await eventually(async () => fed.feed.status().state === 'unavailable', 10_000, 50);
    expect(fed.feed.status().why).toMatch(/lens events test/);
    await live(fed.feed);
    expect(fed.lost).toHaveLength(1);
    expect(fed.lost[0]).toMatch(/^the event feed reconnected after \d+ s away \(.*lens events test.*\): events in between were missed$/);

    const name = `after-reconnect:${randomUUID()}`;
    const conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: name } });
    await conn.close();
    await eventually(async () => fed.events.some((e) => e.type === 'connection.created' && e.userProvidedName === name), 10_000, 100);
  });

  it('a user that may not read amq.rabbitmq.event: unavailable, naming the permission and how to grant it', async () => {
    const { user, password, url } = await createUser({ configure: '^amq\\.gen-.*', write: '^(amq\\.gen-.*|amq\\.default)$', read: '^amq\\.gen-.*' });
    const fed = follow({ amqpUrl: url });
    await eventually(async () => fed.feed.status().state === 'unavailable', 20_000, 100);
    const { why } = fed.feed.status();
    expect(why).toContain(`user "${user}" lacks the read permission on exchange amq.rabbitmq.event in vhost "/"`);
    expect(why).toContain(`rabbitmqctl set_permissions -p / '${user}'`);
    expect(why).not.toContain(password);
    expect(await feedConnections()).toHaveLength(0); // it gave up this attempt and retries later
    expect(fed.events).toEqual([]);
  });

  it('a user that may not dead-letter (no write on amq.default): live, warning that an overflow would go unnoticed', async () => {
    const { user, url } = await createUser({ configure: '^amq\\.gen-.*', write: '^amq\\.gen-.*', read: '^(amq\\.gen-.*|amq\\.rabbitmq\\.event)$' });
    const fed = follow({ amqpUrl: url });
    await live(fed.feed);
    expect(fed.feed.status().why).toMatch(new RegExp(`^live, but an overflow of its queue would go unnoticed: user "${user}" lacks the write permission on amq\\.default`));
    const own = await eventually(async () => {
      const qs = await queuesOf(await feedConnections());
      return qs.length === 1 ? qs : null;
    }, 10_000, 200);
    expect(own[0]!.arguments).not.toHaveProperty('x-dead-letter-exchange');
    await admin.put(`/api/policies/${encodeURIComponent(vhost)}/lens-events-blind`, { pattern: '^nothing$', definition: { 'max-length': 1 }, 'apply-to': 'queues' });
    await eventually(async () => fed.events.some((e) => e.type === 'policy.set' && e.name === 'lens-events-blind'), 10_000, 100);
  });

  it('a wrong password or no broker at all: said so, without the password', async () => {
    const wrong = follow({ amqpUrl: `amqp://guest:not-the-password@${AMQP_HOST}:${AMQP_PORT}/` });
    const nobody = follow({ amqpUrl: `amqp://guest:secret-pw@127.0.0.1:1/` });
    await eventually(async () => wrong.feed.status().state === 'unavailable' && nobody.feed.status().state === 'unavailable', 20_000, 100);
    expect(wrong.feed.status().why).toMatch(/refused the login of user "guest"/);
    expect(wrong.feed.status().why).not.toContain('not-the-password');
    expect(nobody.feed.status().why).toBe('cannot reach AMQP at 127.0.0.1:1: connection refused');
  });
});
