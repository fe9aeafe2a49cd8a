// The RPC ping against the real broker: simulated services, a real oslo.messaging server,
// a process that stopped consuming, and the ways a ping cannot even be sent. After each
// case nothing of the probe may remain: no reply queue, no connection.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { probe } from '@/lib/broker/probe';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { admin, AMQP_HOST, AMQP_PORT, amqpUrl, createTestVhost, declaredArguments, deleteTestVhost, eventually } from '../helpers/broker';
import { withMemoryAlarm } from '../helpers/alarm';
import { startOsloServer, stopOsloChildren } from '../helpers/oslo';

const QueueResponse = z.object({ name: z.string() });
const ConnectionResponse = z.object({ vhost: z.string(), user_provided_name: z.string().optional(), client_properties: z.object({ connection_name: z.string().optional() }).optional() });

let vhost: string;
let cloud: CloudHandle;
let queuesBefore: string[];

async function queueNames(): Promise<string[]> {
  return z
    .array(QueueResponse)
    .parse((await admin.get(`/api/queues/${encodeURIComponent(vhost)}`, { params: { columns: 'name' } })).data)
    .map((q) => q.name)
    .sort();
}

async function probeConnections(): Promise<string[]> {
  const all = z.array(ConnectionResponse).parse((await admin.get('/api/connections')).data);
  return all
    .map((c) => c.user_provided_name ?? c.client_properties?.connection_name ?? '')
    .filter((n) => n.startsWith(`rabbit-lens-probe:${process.pid}:`));
}

/** Nothing of the probe is left: the queues are what they were and no probe connection of ours remains. */
async function assertNothingLeft(): Promise<void> {
  await eventually(async () => {
    const [queues, conns] = await Promise.all([queueNames(), probeConnections()]);
    const extra = queues.filter((q) => !queuesBefore.includes(q));
    return extra.length === 0 && conns.length === 0;
  }, 10_000, 250);
}

beforeAll(async () => {
  vhost = await createTestVhost('probe');
  cloud = await startCloud(
    parseScenario({
      hosts: [
        { name: 'node-1', address: '127.0.1.51', services: ['nova-compute', 'neutron-openvswitch-agent'] },
        { name: 'node-2', address: '127.0.1.52', services: ['nova-compute'] },
        { name: 'storage01', address: '127.0.1.53', services: ['cinder-volume'] },
      ],
      controllers: [{ name: 'ctl-1', address: '127.0.2.51', services: ['nova-conductor'] }],
      traffic: { notificationConsumer: false },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  await startOsloServer(vhost, 'nova', 'compat', 'py-1');
});

afterAll(async () => {
  await stopOsloChildren();
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('the RPC ping', () => {
  beforeAll(async () => {
    queuesBefore = await queueNames();
  });
  afterEach(async () => {
    await assertNothingLeft();
  });

  it('finds a healthy nova-compute alive: ping in baseapi 1.1 on compute.<host>, with its latency', async () => {
    const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 5_000 });
    expect(r.status).toBe('alive');
    expect(r.latencyMs).toEqual(expect.any(Number));
    expect(r.latencyMs!).toBeLessThan(5_000);
    expect(r.detail).toContain('compute.node-1');
  });

  it('finds the nova-conductor alive on conductor.<host>', async () => {
    const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'conductor', server: 'ctl-1', timeoutMs: 5_000 });
    expect(r.status).toBe('alive');
  });

  it('finds a neutron agent and cinder-volume alive through NoSuchMethod on an _ignore_errors method', async () => {
    const agent = await probe(amqpUrl(vhost), { exchange: 'neutron', topic: 'q-agent-notifier-tunnel-update', server: 'node-1', timeoutMs: 5_000 });
    expect(agent.status).toBe('alive');
    expect(agent.detail).toMatch(/NoSuchMethod|UnsupportedVersion/);
    const volume = await probe(amqpUrl(vhost), { exchange: 'openstack', topic: 'cinder-volume', server: 'storage01@lvm', timeoutMs: 5_000 });
    expect(volume.status).toBe('alive');
    expect(volume.latencyMs).toEqual(expect.any(Number));
  });

  it('finds a real oslo.messaging server alive (ping, and a missing _ignore_errors method)', async () => {
    const ping = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compat', server: 'py-1', timeoutMs: 10_000, method: 'ping', namespace: 'baseapi', version: '1.1' });
    expect(ping).toMatchObject({ status: 'alive' });
    expect(ping.detail).not.toMatch(/NoSuchMethod/);
    const missing = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compat', server: 'py-1', timeoutMs: 10_000 });
    expect(missing.status).toBe('alive');
    expect(missing.detail).toMatch(/NoSuchMethod|UnsupportedVersion/);
  });

  it('times out on a process that stays connected but stopped consuming its server queue; the request expires', async () => {
    const compute = cloud.process('nova-compute', 'node-2');
    await compute.stopConsuming('compute.node-2');
    const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: 'node-2', timeoutMs: 800 });
    expect(r.status).toBe('timeout');
    expect(r.latencyMs).toBeNull();
    expect(r.detail).toMatch(/not consuming its queue compute\.node-2/);
    // the call carried expiration = timeout: it does not linger in the server queue
    await eventually(async () => {
      const q = (await admin.get(`/api/queues/${encodeURIComponent(vhost)}/compute.node-2`)).data as { messages?: number };
      return q.messages === 0;
    }, 15_000, 500);
  });

  it('while it waits: one named connection and one exclusive reply queue with x-expires, both gone after', async () => {
    const compute = cloud.process('nova-compute', 'node-2');
    if (compute.info().consuming['compute.node-2']) await compute.stopConsuming('compute.node-2');
    const pending = probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: 'node-2', timeoutMs: 8_000 });
    const seen = await eventually(async () => {
      const [conns, queues] = await Promise.all([
        probeConnections(),
        admin.get(`/api/queues/${encodeURIComponent(vhost)}`).then((r) => r.data as { name: string; exclusive: boolean; arguments: Record<string, unknown> }[]),
      ]);
      const reply = queues.find((q) => /^reply_[0-9a-f]{32}$/.test(q.name) && !queuesBefore.includes(q.name));
      return conns.length === 1 && reply ? { conns, reply } : undefined;
    }, 7_500, 100);
    expect(seen.conns[0]).toMatch(/^rabbit-lens-probe:\d+:[0-9a-f-]{36}$/);
    expect(seen.reply.exclusive).toBe(true);
    expect(declaredArguments(seen.reply.arguments)).toEqual({ 'x-expires': 18_000 });
    expect((await pending).status).toBe('timeout');
  });

  it('says that a memory alarm blocks publishing instead of waiting for the alarm to end', async () => {
    // The broker stops reading a connection it blocked: a polite close would wait for the alarm to end.
    // The socket is cut; the broker lets go of the connection once it reads again (afterEach: nothing left).
    await withMemoryAlarm(async () => {
      const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 10_000 });
      expect(r.status).toBe('error');
      expect(r.detail).toMatch(/the broker blocks publishing \(.+\): a memory or disk alarm/);
    });
  });

  it('refuses a server queue that does not exist (the message comes back unroutable)', async () => {
    const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: 'no-such-host', timeoutMs: 3_000 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/no queue compute\.no-such-host is bound on exchange "nova"/);
  });

  it('errors on an exchange that does not exist, without declaring it', async () => {
    const r = await probe(amqpUrl(vhost), { exchange: 'no-such-exchange', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/exchange "no-such-exchange" does not exist/);
    const exchanges = (await admin.get(`/api/exchanges/${encodeURIComponent(vhost)}`)).data as { name: string }[];
    expect(exchanges.map((e) => e.name)).not.toContain('no-such-exchange');
  });

  it('refuses the shared queue and an empty server before touching the broker', async () => {
    const r = await probe(amqpUrl(vhost), { exchange: 'nova', topic: 'compute', server: '', timeoutMs: 3_000 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/never to the shared queue compute/);
  });

  it('errors on an unreachable AMQP port', async () => {
    const r = await probe(`amqp://guest:guest@127.0.0.1:1/${encodeURIComponent(vhost)}`, { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/cannot reach AMQP at 127\.0\.0\.1:1/);
    expect(r.detail).not.toContain('guest:guest');
  });

  it('errors on wrong credentials, without showing them', async () => {
    const r = await probe(`amqp://nobody:wrong-secret@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}`, { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/refused the login/);
    expect(r.detail).not.toContain('wrong-secret');
  });

  describe('with a user that may not write', () => {
    const user = `probe-ro-${process.pid}`;
    const password = 'probe-ro-pass';
    const url = () => `amqp://${user}:${password}@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}`;

    beforeAll(async () => {
      await admin.put(`/api/users/${user}`, { password, tags: '' });
    });
    afterAll(async () => {
      await admin.delete(`/api/users/${user}`, { validateStatus: () => true });
    });

    it('errors when the user may declare its reply queue but not publish to the exchange', async () => {
      await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { configure: '^reply_.*', write: '^reply_.*', read: '.*' });
      const r = await probe(url(), { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
      expect(r.status).toBe('error');
      expect(r.detail).toMatch(/may not publish to exchange "nova"/);
    });

    it('errors when the user may not declare a queue at all', async () => {
      await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { configure: '^$', write: '^$', read: '.*' });
      const r = await probe(url(), { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
      expect(r.status).toBe('error');
      expect(r.detail).toMatch(/may not declare its reply queue/);
    });

    it('errors when the user has no access to the vhost', async () => {
      await admin.delete(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { validateStatus: () => true });
      const r = await probe(url(), { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 3_000 });
      expect(r.status).toBe('error');
      expect(r.detail).toMatch(/may not use vhost|refused/);
    });
  });
});
