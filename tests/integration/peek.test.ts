// Reading a backlog on the real broker: a real oslo.messaging client casts and calls to a
// per-server queue whose process stopped consuming; the peek decodes them without showing
// any secret, and the messages stay in the queue, now marked redelivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp, { type ChannelModel } from 'amqplib';
import { ManagementClient } from '@/lib/broker/management-client';
import { PeekRefused, peekQueue } from '@/lib/broker/peek';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { osloCall, stopOsloChildren } from '../helpers/oslo';

const TOKEN = 'gAAAAABmZk9wY2FsbF90b2tlbl90aGF0X211c3RfbmV2ZXJfYmVfc2hvd25fYW55d2hlcmVfMTIzNDU2Nzg5MA';
const PASSWORD = 'hunter2-very-secret';
const CONTEXT = {
  user: 'alice',
  user_id: 'u-alice',
  project_id: 'proj-42',
  request_id: 'req-7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  global_request_id: 'req-00000000-1111-4222-8333-444444444444',
  auth_token: TOKEN,
  roles: ['member'],
};

let vhost: string;
let cloud: CloudHandle;
let conn: ChannelModel;
const client = new ManagementClient({
  baseUrl: MANAGEMENT_URL,
  username: process.env.RABBITMQ_USERNAME ?? 'guest',
  password: process.env.RABBITMQ_PASSWORD ?? 'guest',
  timeoutMs: 20_000,
});

/** Ready messages right now (a passive declare; the management API's counts lag by seconds). */
async function ready(queue: string): Promise<number> {
  const ch = await conn.createChannel();
  try {
    return (await ch.checkQueue(queue)).messageCount;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

const pendingCalls: Promise<unknown>[] = [];

beforeAll(async () => {
  vhost = await createTestVhost('peek');
  cloud = await startCloud(
    parseScenario({
      hosts: [{ name: 'ghost', address: '127.0.1.61', services: ['nova-compute'] }],
      traffic: { notificationConsumer: false },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  // nova-compute on ghost stays connected but no longer takes requests from its queue
  await cloud.process('nova-compute', 'ghost').stopConsuming('compute.ghost');
  conn = await amqp.connect(amqpUrl(vhost));

  const cast = (method: string, args: Record<string, unknown>) =>
    osloCall(vhost, { exchange: 'nova', topic: 'compute', server: 'ghost', method, version: '6.0', args, cast: true, context: CONTEXT });
  expect(await cast('build_and_run_instance', { instance: { uuid: 'i-1' }, admin_password: PASSWORD, request_spec: { nested: { auth_token: TOKEN } } })).toEqual({ ok: true, result: null });
  expect(await cast('build_and_run_instance', { instance: { uuid: 'i-2' }, admin_password: PASSWORD })).toEqual({ ok: true, result: null });
  // a call that waits (long timeout, so its expiration does not drop it while we read); stopped in afterAll
  pendingCalls.push(
    osloCall(vhost, { exchange: 'nova', topic: 'compute', server: 'ghost', method: 'get_console_output', namespace: undefined, version: '6.0', args: { tail_length: 10, token: TOKEN }, timeout: 120, context: CONTEXT }).catch(() => undefined),
  );
  await eventually(async () => (await ready('compute.ghost')) === 3, 30_000, 200);
});

afterAll(async () => {
  await stopOsloChildren();
  await Promise.all(pendingCalls);
  await conn?.close().catch(() => undefined);
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('reading what waits in a queue', () => {
  it('decodes a real oslo client\'s casts and call, shows no secret, and leaves the messages in the queue marked redelivered', async () => {
    const before = await ready('compute.ghost');
    const r = await peekQueue(client, { vhost, name: 'compute.ghost', count: 5, allowQuorum: false });
    expect(r.queue).toEqual({ vhost, name: 'compute.ghost', type: 'classic' });
    expect(r.requested).toBe(5);
    expect(r.messages).toHaveLength(3);
    expect(r.note).toMatch(/requeued|put back/);
    expect(r.note).toMatch(/redelivered/);

    const [c1, c2, call] = r.messages;
    for (const m of [c1, c2]) {
      expect(m).toMatchObject({
        kind: 'cast',
        method: 'build_and_run_instance',
        version: '6.0',
        namespace: null,
        msgId: null,
        replyQueue: null,
        routingKey: 'compute.ghost',
        exchange: 'nova',
        redelivered: false,
        context: { requestId: CONTEXT.request_id, globalRequestId: CONTEXT.global_request_id, user: 'u-alice', project: 'proj-42' },
      });
    }
    expect(JSON.parse(c1!.payload)).toMatchObject({ instance: { uuid: 'i-1' }, admin_password: '***', request_spec: { nested: { auth_token: '***' } } });
    expect(call).toMatchObject({ kind: 'call', method: 'get_console_output', version: '6.0', properties: { expiration: '120000', deliveryMode: 2 } });
    expect(call!.msgId).toMatch(/^[0-9a-f]{32}$/);
    expect(call!.replyQueue).toMatch(/^reply_[0-9a-f]{32}$/);
    expect(JSON.parse(call!.payload)).toEqual({ tail_length: 10, token: '***' });
    expect(r.byMethod).toEqual([
      { method: 'build_and_run_instance', count: 2 },
      { method: 'get_console_output', count: 1 },
    ]);

    const json = JSON.stringify(r);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(TOKEN.slice(0, 30));
    expect(json).not.toContain(PASSWORD);

    // Requeued messages are back; the broker's count lags a moment behind.
    await eventually(async () => (await ready('compute.ghost')) === before, 15_000, 200);
    const again = await peekQueue(client, { vhost, name: 'compute.ghost', count: 2, allowQuorum: false });
    expect(again.messages).toHaveLength(2);
    expect(again.messages.every((m) => m.redelivered)).toBe(true);
    expect(again.messages.map((m) => m.method)).toEqual(['build_and_run_instance', 'build_and_run_instance']);
    // Requeued messages are back; the broker's count lags a moment behind.
    await eventually(async () => (await ready('compute.ghost')) === before, 15_000, 200);
  });

  it('refuses more than 10 messages and a missing queue', async () => {
    const tooMany = await peekQueue(client, { vhost, name: 'compute.ghost', count: 11, allowQuorum: false }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(PeekRefused);
    expect((tooMany as PeekRefused).reason).toBe('bad-count');
    const missing = await peekQueue(client, { vhost, name: 'no-such-queue', count: 1, allowQuorum: false }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PeekRefused);
    expect((missing as PeekRefused).reason).toBe('not-found');
  });

  it('refuses a quorum queue unless allowed, saying that each read counts towards its delivery limit', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('compute.quorum-host', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    ch.sendToQueue('compute.quorum-host', Buffer.from('{"oslo.version": "2.0", "oslo.message": "{\\"method\\": \\"m\\", \\"args\\": {}}"}'), { contentType: 'application/json' });
    await ch.close();
    await eventually(async () => (await ready('compute.quorum-host')) === 1, 10_000, 200);

    const refused = await peekQueue(client, { vhost, name: 'compute.quorum-host', count: 1, allowQuorum: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PeekRefused);
    expect((refused as PeekRefused).reason).toBe('quorum');
    expect((refused as PeekRefused).message).toMatch(/quorum.*delivery-limit/s);

    const allowed = await peekQueue(client, { vhost, name: 'compute.quorum-host', count: 1, allowQuorum: true });
    expect(allowed.queue.type).toBe('quorum');
    expect(allowed.messages[0]).toMatchObject({ kind: 'cast', method: 'm' });
    // Requeued, it is back in the queue; the broker's count lags a moment behind.
    await eventually(async () => (await ready('compute.quorum-host')) === 1, 15_000, 200);
  });
});
