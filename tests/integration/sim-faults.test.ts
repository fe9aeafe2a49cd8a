// The simulator's faults on the real broker: a slow consumer lets a backlog grow, a process that
// stopped consuming keeps calling others, notifications nobody consumes fill their queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp, { type ChannelModel } from 'amqplib';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { applyFault, parseFault } from '@/sim/faults';
import { parseScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';

let vhost: string;
let cloud: CloudHandle;
let conn: ChannelModel;

async function queueState(queue: string): Promise<{ messages: number; consumers: number }> {
  const ch = await conn.createChannel();
  try {
    const q = await ch.checkQueue(queue);
    return { messages: q.messageCount, consumers: q.consumerCount };
  } finally {
    await ch.close().catch(() => undefined);
  }
}

beforeAll(async () => {
  vhost = await createTestVhost('faults');
  cloud = await startCloud(
    parseScenario({
      hosts: [
        { name: 'node-1', address: '127.0.1.71', services: ['nova-compute'] },
        { name: 'node-2', address: '127.0.1.72', services: ['nova-compute'] },
      ],
      controllers: [{ name: 'ctl-1', address: '127.0.2.71', services: ['nova-conductor'] }],
      traffic: { notificationConsumer: false, callsPerSecond: 0, castsPerSecond: 0, fanoutCastsPerSecond: 0, notificationsPerSecond: 0, callTimeout: 5 },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  conn = await amqp.connect(amqpUrl(vhost));
});

afterAll(async () => {
  await conn?.close().catch(() => undefined);
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('simulator faults', () => {
  it('slow: one message per delay, with a prefetch of 1, so a backlog builds up and drains slowly', async () => {
    await applyFault(cloud, parseFault('slow=400:nova-compute@node-1'));
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    for (let i = 0; i < 6; i++) await conductor.cast('nova', 'compute', 'node-1', 'build_and_run_instance', {}, { version: '6.0' });
    const early = await eventually(async () => {
      const s = await queueState('compute.node-1');
      return s.consumers === 1 && s.messages >= 3 ? s : undefined;
    }, 2_000, 50);
    expect(early.messages).toBeGreaterThanOrEqual(3);
    // it still answers, just late
    const started = Date.now();
    await expect(conductor.call('nova', 'compute', 'node-1', 'ping', {}, { namespace: 'baseapi', version: '1.1', timeoutMs: 10_000 })).resolves.toEqual({ service: 'compute', arg: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400 * 5);
    expect((await queueState('compute.node-1')).messages).toBe(0);
  });

  it('not-consuming: the process stays connected, requests to it pile up, and it keeps calling its conductor', async () => {
    const line = await applyFault(cloud, parseFault('not-consuming:nova-compute@node-2'));
    expect(line).toContain('compute.node-2');
    const compute = cloud.process('nova-compute', 'node-2');
    expect(compute.isClosed).toBe(false);
    expect((await queueState('compute.node-2')).consumers).toBe(0);

    // the traffic generator still uses it as a caller, and still sends requests to it
    cloud.scenario.traffic.callsPerSecond = 40;
    cloud.scenario.traffic.castsPerSecond = 40;
    const callsBefore = compute.stats.callsSent;
    cloud.startTraffic();
    try {
      await eventually(async () => compute.stats.callsSent > callsBefore && (await queueState('compute.node-2')).messages > 0, 10_000, 100);
    } finally {
      cloud.stopTraffic();
      cloud.scenario.traffic.callsPerSecond = 0;
      cloud.scenario.traffic.castsPerSecond = 0;
    }
    // its reply queue still works: its own calls are answered
    await expect(compute.call('nova', 'conductor', null, 'object_class_action_versions', {}, { version: '3.0', timeoutMs: 5_000 })).resolves.toEqual({});
  });

  it('notifications with nobody consuming them fill their queue', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    for (let i = 0; i < 3; i++) await compute.notify('info', 'compute.instance.update', { i });
    await eventually(async () => (await queueState('notifications.info')).messages === 3, 5_000, 100);
    expect((await queueState('notifications.info')).consumers).toBe(0);
  });

  it('no-ack and kill, as the CLI applies them', async () => {
    expect(await applyFault(cloud, parseFault('no-ack:nova-conductor@ctl-1:conductor'))).toContain('never acks');
    const conductorQ = await queueState('conductor');
    expect(conductorQ.consumers).toBe(1);
    expect(await applyFault(cloud, parseFault('kill:nova-compute@node-1'))).toContain('killed');
    expect(cloud.process('nova-compute', 'node-1').isClosed).toBe(true);
    await expect(applyFault(cloud, parseFault('slow:nova-compute@nowhere'))).rejects.toThrow(/no nova-compute on nowhere/);
  });
});
