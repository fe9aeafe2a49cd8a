// Compatibility with a real oslo.messaging (Debian's python3-oslo.messaging, run with
// /usr/bin/python3): its client calls our simulated servers, our simulated processes call
// its server, and failures travel both ways in the same shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';
import { osloCall, startOsloServer, stopOsloChildren } from '../helpers/oslo';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { RemoteError } from '@/sim/process';
import { parseScenario } from '@/sim/scenario';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import { MANAGEMENT_URL } from '../helpers/broker';

const USER = process.env.RABBITMQ_USERNAME ?? 'guest';
const PASSWORD = process.env.RABBITMQ_PASSWORD ?? 'guest';

const QueueResponse = z.object({ name: z.string(), durable: z.boolean(), auto_delete: z.boolean(), exclusive: z.boolean(), arguments: z.record(z.string(), z.unknown()) });
const ConnectionResponse = z.object({ vhost: z.string(), user_provided_name: z.string().optional() });

describe('compatibility with a real oslo.messaging', () => {
  let vhost: string;
  let cloud: CloudHandle;
  let realServer: ChildProcess;

  beforeAll(async () => {
    vhost = await createTestVhost('compat');
    cloud = await startCloud(
      parseScenario({
        hosts: [{ name: 'node-1', address: '127.0.1.41', services: ['nova-compute'] }],
        controllers: [{ name: 'ctl-1', address: '127.0.2.41', services: ['nova-conductor'] }],
        traffic: { notificationConsumer: false },
      }),
      { amqpUrl: amqpUrl(vhost), traffic: false },
    );
    realServer = await startOsloServer(vhost, 'nova', 'compat', 'py-1');
  });

  afterAll(async () => {
    await stopOsloChildren();
    await cloud?.stop();
    if (vhost) await deleteTestVhost(vhost);
  });

  it('(a) a real oslo client\'s call to a simulated server is answered', async () => {
    const out = await osloCall(vhost, { exchange: 'nova', topic: 'compute', server: 'node-1', method: 'ping', namespace: 'baseapi', version: '1.1', args: { arg: 'from-oslo' } });
    expect(out).toEqual({ ok: true, result: { service: 'compute', arg: 'from-oslo' } });
  });

  it('(a) the real client decodes our NoSuchMethod and UnsupportedVersion failures', async () => {
    const [noSuch, unsupported] = await Promise.all([
      osloCall(vhost, { exchange: 'nova', topic: 'compute', server: 'node-1', method: 'no_such_method_ignore_errors', version: '6.0' }),
      osloCall(vhost, { exchange: 'nova', topic: 'compute', server: 'node-1', method: 'pod_health_probe_method_ignore_errors' }),
    ]);
    expect(noSuch).toEqual({ ok: false, failure: 'NoSuchMethod', message: 'Endpoint does not support RPC method no_such_method_ignore_errors' });
    expect(unsupported).toEqual({
      ok: false,
      failure: 'UnsupportedVersion',
      message: 'Endpoint does not support RPC version 1.0. Attempted method: pod_health_probe_method_ignore_errors',
    });
  });

  it('(b) a simulated call to a real oslo server is answered', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    const pong = await conductor.call('nova', 'compat', 'py-1', 'ping', { arg: 42 }, { namespace: 'baseapi', version: '1.1', timeoutMs: 15_000 });
    expect(pong).toEqual({ service: 'compat', arg: 42 });
    const echo = await conductor.call('nova', 'compat', 'py-1', 'echo', { a: [1, 'é'], b: null }, { version: '1.0', timeoutMs: 15_000 });
    expect(echo).toEqual({ a: [1, 'é'], b: null });
    // the shared topic queue works too
    const shared = await cloud.call('nova-compute@node-1', 'nova', 'compat', null, 'echo', { x: true }, { timeoutMs: 15_000 });
    expect(shared).toEqual({ x: true });
  });

  it('(c) NoSuchMethod and UnsupportedVersion from the real server come back decoded as such', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    const noSuch = await conductor.call('nova', 'compat', 'py-1', 'no_such_method', {}, { version: '1.0', timeoutMs: 15_000 }).catch((e: unknown) => e);
    expect(noSuch).toBeInstanceOf(RemoteError);
    expect((noSuch as RemoteError).failure).toEqual({
      className: 'NoSuchMethod',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC method no_such_method',
    });
    const unsupported = await conductor.call('nova', 'compat', 'py-1', 'echo', {}, { version: '2.0', timeoutMs: 15_000 }).catch((e: unknown) => e);
    expect((unsupported as RemoteError).failure).toEqual({
      className: 'UnsupportedVersion',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC version 2.0. Attempted method: echo',
    });
  });

  it('declares the same queues as the real server (topic, server, fanout) and names connections alike', async () => {
    const qs = z.array(QueueResponse).parse((await admin.get(`/api/queues/${encodeURIComponent(vhost)}`)).data);
    const shape = (name: string) => {
      const q = qs.find((x) => x.name === name);
      expect(q, name).toBeDefined();
      return { durable: q!.durable, auto_delete: q!.auto_delete, exclusive: q!.exclusive, arguments: q!.arguments };
    };
    expect(shape('compute')).toEqual(shape('compat'));
    expect(shape('compute.node-1')).toEqual(shape('compat.py-1'));
    const realFanout = qs.find((q) => /^compat_fanout_[0-9a-f]{32}$/.test(q.name));
    expect(realFanout).toBeDefined();
    expect(shape(cloud.process('nova-compute', 'node-1').topics[0]!.fanoutQueue)).toEqual(shape(realFanout!.name));
    const realReply = qs.filter((q) => /^reply_[0-9a-f]{32}$/.test(q.name)).map((q) => q.name);
    const ourReplies = new Set(cloud.processes.map((p) => p.replyQueue));
    expect(realReply.length).toBeGreaterThan(ourReplies.size);
    const theirs = realReply.find((n) => !ourReplies.has(n))!;
    expect(shape(cloud.process('nova-conductor', 'ctl-1').replyQueue)).toEqual(shape(theirs));

    const conns = await eventually(async () => {
      const all = z.array(ConnectionResponse).parse((await admin.get('/api/connections')).data).filter((c) => c.vhost === vhost);
      return all.some((c) => c.user_provided_name?.startsWith('oslo_server.py:')) ? all : undefined;
    }, 20_000);
    const pattern = /^[^:]+:\d+:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const real = conns.filter((c) => c.user_provided_name?.startsWith('oslo_server.py:'));
    const ours = conns.filter((c) => cloud.processes.some((p) => p.connectionName === c.user_provided_name));
    expect(ours).toHaveLength(cloud.processes.length);
    for (const c of [...real, ...ours]) expect(c.user_provided_name).toMatch(pattern);
  });

  it('classifies what a real oslo server declares and identifies its process: binary, pid, host', async () => {
    const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: USER, password: PASSWORD, timeoutMs: 20_000 });
    const t = await eventually(async () => {
      const t = buildTopology((await readBroker(client)).inputs);
      const q = t.queues.find((x) => x.vhost === vhost && x.name === 'compat.py-1');
      return q?.processIds.length ? t : undefined;
    }, 30_000, 1000);
    const queues = t.queues.filter((q) => q.vhost === vhost);
    const byName = (name: string) => queues.find((q) => q.name === name);
    expect(byName('compat')).toMatchObject({ kind: 'rpc-topic', component: 'nova', topic: 'compat' });
    expect(byName('compat.py-1')).toMatchObject({ kind: 'rpc-server', component: 'nova', topic: 'compat', server: 'py-1', host: 'py-1' });
    const fanout = queues.find((q) => q.name.startsWith('compat_fanout_'));
    expect(fanout).toMatchObject({ kind: 'rpc-fanout', component: 'nova', topic: 'compat' });
    expect(t.exchanges.find((e) => e.vhost === vhost && e.name === 'nova')?.group).toBe('component');
    expect(t.exchanges.find((e) => e.vhost === vhost && e.name === 'compat_fanout')?.group).toBe('fanout');

    const process = t.processes.find((p) => p.id === byName('compat.py-1')?.processIds[0]);
    expect(process).toMatchObject({ oslo: true, binary: 'oslo_server.py', pid: realServer.pid, host: 'py-1', hostSource: 'server-queue' });
    expect(process?.consumes.map((q) => q.name)).toEqual(expect.arrayContaining(['compat', 'compat.py-1', fanout!.name]));
    // Reply queues here come from the real oslo clients and from the simulator alike.
    for (const q of queues.filter((x) => x.name.startsWith('reply_'))) expect(q.kind).toBe('reply');
  });
});
