// The simulator on the real broker: what it declares must be what oslo.messaging declares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { z } from 'zod';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { MessagingTimeout, RemoteError } from '@/sim/process';
import { loadScenario, parseScenario, type ScenarioInput } from '@/sim/scenario';

// ------------------------------------------------------------ management API shapes (only what we read)

const ExchangeResponse = z.object({ name: z.string(), type: z.string(), durable: z.boolean(), auto_delete: z.boolean() });
const QueueResponse = z.object({
  name: z.string(),
  durable: z.boolean(),
  auto_delete: z.boolean(),
  arguments: z.record(z.string(), z.unknown()),
  type: z.string().optional(),
  messages: z.number().optional(),
});
const BindingResponse = z.object({ source: z.string(), destination: z.string(), destination_type: z.string(), routing_key: z.string() });
const ConnectionResponse = z.object({
  name: z.string(),
  vhost: z.string(),
  peer_host: z.string(),
  user_provided_name: z.string().optional(),
  client_properties: z.object({ connection_name: z.string().optional(), product: z.string().optional() }).loose(),
});
const ConsumerResponse = z.object({
  queue: z.object({ name: z.string() }),
  consumer_tag: z.string(),
  ack_required: z.boolean(),
  arguments: z.record(z.string(), z.unknown()),
  channel_details: z.object({ connection_name: z.string() }),
});

const v = (vhost: string) => encodeURIComponent(vhost);
const exchanges = async (vhost: string) => z.array(ExchangeResponse).parse((await admin.get(`/api/exchanges/${v(vhost)}`)).data);
const queues = async (vhost: string) => z.array(QueueResponse).parse((await admin.get(`/api/queues/${v(vhost)}`)).data);
const bindings = async (vhost: string) => z.array(BindingResponse).parse((await admin.get(`/api/bindings/${v(vhost)}`)).data);
const connections = async (vhost: string) =>
  z.array(ConnectionResponse).parse((await admin.get('/api/connections')).data).filter((c) => c.vhost === vhost);
const consumers = async (vhost: string) => z.array(ConsumerResponse).parse((await admin.get(`/api/consumers/${v(vhost)}`)).data);

const HEX32 = /^[0-9a-f]{32}$/;
const CONNECTION_NAME = /^([a-z-]+):(\d+):([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/;

const vhosts: string[] = [];
const clouds: CloudHandle[] = [];
async function freshVhost(): Promise<string> {
  const vhost = await createTestVhost('sim');
  vhosts.push(vhost);
  return vhost;
}
async function start(input: ScenarioInput, vhost: string): Promise<CloudHandle> {
  const cloud = await startCloud(parseScenario(input), { amqpUrl: amqpUrl(vhost), traffic: false });
  clouds.push(cloud);
  return cloud;
}

afterAll(async () => {
  for (const c of clouds) await c.stop().catch(() => {});
  for (const vh of vhosts) await deleteTestVhost(vh);
});

const SMALL = (layout: ScenarioInput['layout']): ScenarioInput => ({
  layout,
  hosts: [{ name: 'node-1', address: '127.0.1.31', services: ['nova-compute'] }],
  controllers: [{ name: 'ctl-1', address: '127.0.2.31', services: ['nova-conductor'] }],
  traffic: { callsPerSecond: 0, castsPerSecond: 0, fanoutCastsPerSecond: 0, notificationsPerSecond: 0, notificationConsumer: false },
});

describe('test.json, default layout (oslo.messaging defaults)', () => {
  let vhost: string;
  let cloud: CloudHandle;

  beforeAll(async () => {
    vhost = await freshVhost();
    const scenario = await loadScenario(path.resolve(__dirname, '../../sim/scenarios/test.json'));
    cloud = await start(scenario, vhost);
  });

  it('starts one process per host and service, plus the notification agent', () => {
    expect(cloud.vhost).toBe(vhost);
    expect(cloud.describe().map((p) => `${p.binary}@${p.host}`).sort()).toEqual(
      [
        'ceilometer-agent-notification@ctl-1',
        'cinder-scheduler@ctl-1',
        'cinder-volume@storage01',
        'neutron-openvswitch-agent@node-1',
        'neutron-server@ctl-1',
        'nova-compute@node-1',
        'nova-conductor@ctl-1',
      ].sort(),
    );
    const pids = cloud.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(pids.length);
  });

  it('declares the control exchanges (topic, not durable, not auto-delete) and fanout exchanges (auto-delete)', async () => {
    const ex = await exchanges(vhost);
    const byName = new Map(ex.map((e) => [e.name, e]));
    for (const name of ['nova', 'neutron', 'openstack']) {
      expect(byName.get(name)).toMatchObject({ type: 'topic', durable: false, auto_delete: false });
    }
    expect(byName.has('cinder')).toBe(false);
    for (const name of ['compute_fanout', 'conductor_fanout', 'cinder-volume_fanout', 'q-plugin_fanout', 'q-agent-notifier-port-update_fanout']) {
      expect(byName.get(name)).toMatchObject({ type: 'fanout', durable: false, auto_delete: true });
    }
    // modern replies go through the default exchange: no reply_ exchanges
    expect(ex.filter((e) => e.name.startsWith('reply_'))).toEqual([]);
  });

  it('declares topic, server, fanout, reply and notification queues with oslo arguments', async () => {
    const qs = await queues(vhost);
    const byName = new Map(qs.map((q) => [q.name, q]));
    for (const name of ['compute', 'compute.node-1', 'conductor', 'conductor.ctl-1', 'cinder-volume', 'cinder-volume.storage01@lvm', 'q-plugin.ctl-1', 'q-reports-plugin', 'notifications.info']) {
      expect(byName.get(name), name).toMatchObject({ durable: false, auto_delete: false, arguments: {} });
    }
    const fanouts = qs.filter((q) => q.name.startsWith('compute_fanout_'));
    expect(fanouts).toHaveLength(1);
    expect(fanouts[0]!.name.slice('compute_fanout_'.length)).toMatch(HEX32);
    expect(fanouts[0]).toMatchObject({ durable: false, auto_delete: false, arguments: { 'x-expires': 1800000 } });
    const replies = qs.filter((q) => q.name.startsWith('reply_'));
    // every process but the notification agent has its reply queue
    expect(replies).toHaveLength(cloud.processes.length - 1);
    for (const r of replies) {
      expect(r.name.slice('reply_'.length)).toMatch(HEX32);
      expect(r.arguments).toEqual({ 'x-expires': 1800000 });
    }
  });

  it('binds like oslo: control exchange → <topic>, <topic>.<server>; <topic>_fanout → fanout queue with key <topic>', async () => {
    const bs = await bindings(vhost);
    const has = (source: string, destination: string, key: string) =>
      bs.some((b) => b.source === source && b.destination === destination && b.routing_key === key && b.destination_type === 'queue');
    expect(has('nova', 'compute', 'compute')).toBe(true);
    expect(has('nova', 'compute.node-1', 'compute.node-1')).toBe(true);
    expect(has('openstack', 'cinder-volume.storage01@lvm', 'cinder-volume.storage01@lvm')).toBe(true);
    expect(has('neutron', 'q-reports-plugin', 'q-reports-plugin')).toBe(true);
    expect(has('nova', 'notifications.info', 'notifications.info')).toBe(true);
    const compute = cloud.process('nova-compute', 'node-1');
    expect(has('compute_fanout', compute.topics[0]!.fanoutQueue, 'compute')).toBe(true);
    // reply queues: the default exchange's implicit binding only
    expect(bs.filter((b) => b.destination === compute.replyQueue).map((b) => b.source)).toEqual(['']);
  });

  it('gives each process its own connection named <binary>:<pid>:<uuid4>, from its host address', async () => {
    const conns = await eventually(async () => {
      const cs = await connections(vhost);
      return cs.length === cloud.processes.length ? cs : undefined;
    }, 20_000);
    for (const p of cloud.processes) {
      const mine = conns.filter((c) => c.user_provided_name === p.connectionName);
      expect(mine, p.connectionName).toHaveLength(1);
      const [, binary, pid] = CONNECTION_NAME.exec(p.connectionName) ?? [];
      expect(binary).toBe(p.binary);
      expect(Number(pid)).toBe(p.pid);
      expect(mine[0]!.client_properties.connection_name).toBe(p.connectionName);
      expect(mine[0]!.client_properties.product).toBe('py-amqp');
      expect(mine[0]!.peer_host).toBe(p.address);
    }
    expect(cloud.process('nova-compute', 'node-1').address).toBe('127.0.1.21');
    expect(cloud.process('nova-conductor', 'ctl-1').address).toBe('127.0.2.21');
  });

  it('consumes each per-server queue, with acks, from the connection of the process that serves it', async () => {
    const conns = await connections(vhost);
    const cons = await eventually(async () => {
      const cs = await consumers(vhost);
      return cs.some((c) => c.queue.name === 'cinder-volume.storage01@lvm') && cs.some((c) => c.queue.name === 'compute.node-1') ? cs : undefined;
    }, 20_000);
    for (const p of cloud.processes) {
      for (const t of p.topics) {
        const onServerQueue = cons.filter((c) => c.queue.name === t.serverQueue);
        expect(onServerQueue, t.serverQueue).toHaveLength(1);
        const c = onServerQueue[0]!;
        expect(c.ack_required).toBe(true);
        const conn = conns.find((x) => x.name === c.channel_details.connection_name);
        expect(conn?.user_provided_name).toBe(p.connectionName);
      }
    }
    // consumer tags are per-connection counters, "1", "2", ...
    const compute = cloud.process('nova-compute', 'node-1');
    expect(compute.info().consuming).toMatchObject({ compute: '1', 'compute.node-1': '2', [compute.topics[0]!.fanoutQueue]: '3', [compute.replyQueue]: '4' });
  });

  it('answers a call from one process to another process\'s <topic>.<server>', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    const result = await conductor.call('nova', 'compute', 'node-1', 'ping', { arg: 'hello' }, { namespace: 'baseapi', version: '1.1', timeoutMs: 10_000 });
    expect(result).toEqual({ service: 'compute', arg: 'hello' });
    const viaHelper = await cloud.call('cinder-scheduler@ctl-1', 'openstack', 'cinder-volume', 'storage01@lvm', 'create_volume', { volume: {} }, { version: '3.0', timeoutMs: 10_000 });
    expect(viaHelper).toBeNull();
    const report = await cloud.call('neutron-openvswitch-agent@node-1', 'neutron', 'q-reports-plugin', null, 'report_state', {}, { version: '1.2', timeoutMs: 10_000 });
    expect(report).toBe('alive');
  });

  it('answers unknown methods with NoSuchMethod and wrong versions with UnsupportedVersion, like the oslo dispatcher', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    const noSuch = await conductor.call('nova', 'compute', 'node-1', 'no_such_method_ignore_errors', {}, { version: '6.0', timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(noSuch).toBeInstanceOf(RemoteError);
    expect((noSuch as RemoteError).failure).toEqual({
      className: 'NoSuchMethod',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC method no_such_method_ignore_errors',
    });
    const unsupported = await conductor.call('nova', 'compute', 'node-1', 'pod_health_probe_method_ignore_errors', {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect((unsupported as RemoteError).failure.className).toBe('UnsupportedVersion');
    expect((unsupported as RemoteError).failure.message).toBe('Endpoint does not support RPC version 1.0. Attempted method: pod_health_probe_method_ignore_errors');
  });

  it('publishes notifications to <topic>.<priority> that the notification agent consumes', async () => {
    const agent = cloud.process('ceilometer-agent-notification', 'ctl-1');
    const before = agent.stats.notificationsConsumed;
    await cloud.process('nova-compute', 'node-1').notify('info', 'compute.instance.update', { instance_id: 'x' }, { topics: ['notifications'] });
    await eventually(async () => agent.stats.notificationsConsumed > before, 10_000, 100);
  });

  it('fanout casts reach every server of the topic', async () => {
    const agents = cloud.processes.filter((p) => p.binary === 'neutron-openvswitch-agent');
    expect(agents).toHaveLength(1);
    const before = agents.map((a) => a.stats.requestsReceived);
    await cloud.process('neutron-server', 'ctl-1').fanoutCast('q-agent-notifier-port-update', 'port_update', { port: {} }, { version: '1.7' });
    await eventually(async () => agents.every((a, i) => a.stats.requestsReceived > before[i]!), 10_000, 100);
  });

  it('stopConsuming leaves the server queue without consumer while the connection stays; calls then time out', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    await compute.stopConsuming('compute.node-1');
    expect(compute.info().consuming['compute.node-1']).toBeUndefined();
    await eventually(async () => {
      const cs = await consumers(vhost);
      return !cs.some((c) => c.queue.name === 'compute.node-1') && cs.some((c) => c.queue.name === 'compute');
    }, 20_000);
    expect((await connections(vhost)).some((c) => c.user_provided_name === compute.connectionName)).toBe(true);
    const err = await cloud
      .call('nova-conductor@ctl-1', 'nova', 'compute', 'node-1', 'ping', { arg: null }, { namespace: 'baseapi', version: '1.1', timeoutMs: 1500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessagingTimeout);
  });

  it('runs traffic: calls are answered', async () => {
    const traffic = await start(
      {
        hosts: [{ name: 'node-9', address: '127.0.1.39', services: ['nova-compute', 'neutron-openvswitch-agent'] }],
        controllers: [{ name: 'ctl-9', address: '127.0.2.39', services: ['nova-conductor', 'neutron-server'] }],
        traffic: { callsPerSecond: 20, castsPerSecond: 10, fanoutCastsPerSecond: 5, notificationsPerSecond: 10, callTimeout: 5 },
      },
      vhost,
    );
    expect(traffic.trafficRunning).toBe(false);
    traffic.startTraffic();
    expect(traffic.trafficRunning).toBe(true);
    await eventually(async () => traffic.traffic.callReplies >= 5 && traffic.traffic.notifications >= 3 && traffic.traffic.casts >= 2, 15_000, 200);
    traffic.stopTraffic();
    expect(traffic.trafficRunning).toBe(false);
    expect(traffic.traffic.errors).toBe(0);
  });

  it('stop() closes every connection; fanout queues go (oslo deletes them on close), shared queues stay', async () => {
    const fanoutQueue = cloud.process('nova-compute', 'node-1').topics[0]!.fanoutQueue;
    for (const c of clouds.splice(0)) await c.stop();
    await eventually(async () => (await connections(vhost)).length === 0, 20_000);
    const names = (await queues(vhost)).map((q) => q.name);
    expect(names).toContain('compute');
    expect(names).toContain('compute.node-1');
    expect(names).not.toContain(fanoutQueue);
  });
});

describe('legacy layout (pre-Train): reply_ direct exchanges', () => {
  let vhost: string;
  let cloud: CloudHandle;
  beforeAll(async () => {
    vhost = await freshVhost();
    cloud = await start(SMALL({ legacyReplyExchanges: true }), vhost);
  });

  it('declares a reply_<hex> direct exchange bound to the reply queue, and replies through it', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    const rq = conductor.replyQueue;
    expect(rq.slice('reply_'.length)).toMatch(HEX32);
    const ex = (await exchanges(vhost)).find((e) => e.name === rq);
    expect(ex).toMatchObject({ type: 'direct', durable: false, auto_delete: true });
    const bs = await bindings(vhost);
    expect(bs.some((b) => b.source === rq && b.destination === rq && b.routing_key === rq)).toBe(true);
    expect((await queues(vhost)).find((q) => q.name === rq)?.arguments).toEqual({ 'x-expires': 1800000 });
    const result = await conductor.call('nova', 'compute', 'node-1', 'ping', { arg: 1 }, { namespace: 'baseapi', version: '1.1', timeoutMs: 10_000 });
    expect(result).toEqual({ service: 'compute', arg: 1 });
  });
});

describe('quorum queues + transient quorum + queue manager', () => {
  let vhost: string;
  let cloud: CloudHandle;
  beforeAll(async () => {
    vhost = await freshVhost();
    cloud = await start(SMALL({ quorumQueues: true, transientQuorumQueues: true, useQueueManager: true }), vhost);
  });

  it('makes topic and server queues quorum and durable, the control exchange durable', async () => {
    const qs = new Map((await queues(vhost)).map((q) => [q.name, q]));
    for (const name of ['compute', 'compute.node-1', 'conductor', 'conductor.ctl-1']) {
      expect(qs.get(name), name).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'quorum' } });
    }
    expect((await exchanges(vhost)).find((e) => e.name === 'nova')).toMatchObject({ type: 'topic', durable: true, auto_delete: false });
    expect((await exchanges(vhost)).find((e) => e.name === 'compute_fanout')).toMatchObject({ type: 'fanout', durable: true, auto_delete: true });
  });

  it('names fanout and reply queues <host>:<binary>:<n> with one counter per process, quorum with x-expires', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    expect(compute.topics[0]!.fanoutQueue).toBe('compute_fanout_node-1:nova-compute:1');
    expect(compute.replyQueue).toBe('reply_node-1:nova-compute:2');
    expect(cloud.process('nova-conductor', 'ctl-1').replyQueue).toBe('reply_ctl-1:nova-conductor:2');
    const qs = new Map((await queues(vhost)).map((q) => [q.name, q]));
    for (const name of ['compute_fanout_node-1:nova-compute:1', 'reply_node-1:nova-compute:2']) {
      expect(qs.get(name), name).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'quorum', 'x-expires': 1800000 } });
    }
    const result = await compute.call('nova', 'conductor', 'ctl-1', 'ping', { arg: null }, { namespace: 'baseapi', version: '1.1', timeoutMs: 10_000 });
    expect(result).toEqual({ service: 'conductor', arg: null });
  });

  it('keeps the fanout queues on a clean stop (queue manager names are reused)', async () => {
    await cloud.stop();
    const names = (await queues(vhost)).map((q) => q.name);
    expect(names).toContain('compute_fanout_node-1:nova-compute:1');
  });
});

describe('stream fanout', () => {
  let vhost: string;
  let cloud: CloudHandle;
  beforeAll(async () => {
    vhost = await freshVhost();
    cloud = await start(SMALL({ transientQuorumQueues: true, streamFanout: true, prefetchCount: 10 }), vhost);
  });

  it('rejects streamFanout without transient quorum or prefetch, like oslo', () => {
    expect(() => parseScenario({ layout: { streamFanout: true } })).toThrow(/transientQuorumQueues/);
    expect(() => parseScenario({ layout: { streamFanout: true, transientQuorumQueues: true } })).toThrow(/prefetchCount/);
  });

  it('declares one stream queue named exactly <topic>_fanout with x-max-age 1800s, consumed with x-stream-offset', async () => {
    const q = (await queues(vhost)).find((x) => x.name === 'compute_fanout');
    expect(q).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } });
    expect((await queues(vhost)).filter((x) => x.name.startsWith('compute_fanout_'))).toEqual([]);
    const cons = await eventually(async () => {
      const cs = (await consumers(vhost)).filter((c) => c.queue.name === 'compute_fanout');
      return cs.length === 1 ? cs : undefined;
    }, 20_000);
    expect(cons[0]!.arguments).toEqual({ 'x-stream-offset': 'last' });
    const bs = await bindings(vhost);
    expect(bs.some((b) => b.source === 'compute_fanout' && b.destination === 'compute_fanout' && b.routing_key === 'compute')).toBe(true);
  });

  it('delivers a fanout cast through the stream', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    const before = compute.stats.requestsReceived;
    await cloud.process('nova-conductor', 'ctl-1').fanoutCast('compute', 'refresh_instance_security_rules', {}, { version: '6.0' });
    await eventually(async () => compute.stats.requestsReceived > before, 10_000, 100);
  });
});
