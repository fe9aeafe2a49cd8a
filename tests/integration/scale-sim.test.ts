// The scale mode of the simulator, small: its shape on the real broker is the shape of a big cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';
import { computeAddress, computeName, controllerAddress, startScaleCloud, type ScaleCloudHandle } from '@/sim/scale';

const ConnectionResponse = z.object({
  name: z.string(),
  vhost: z.string(),
  peer_host: z.string(),
  user_provided_name: z.string().optional(),
  client_properties: z.object({ connection_name: z.string().optional() }).loose(),
});
const QueueResponse = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) });
const ConsumerResponse = z.object({
  queue: z.object({ name: z.string() }),
  channel_details: z.object({ connection_name: z.string() }),
});

const v = (vhost: string) => encodeURIComponent(vhost);
const connections = async (vhost: string) =>
  z.array(ConnectionResponse).parse((await admin.get(`/api/vhosts/${v(vhost)}/connections`)).data);
const queues = async (vhost: string) => z.array(QueueResponse).parse((await admin.get(`/api/queues/${v(vhost)}`)).data);
const consumers = async (vhost: string) => z.array(ConsumerResponse).parse((await admin.get(`/api/consumers/${v(vhost)}`)).data);

const HOSTS = 5;
const CONTROLLERS = 2;
const AGENT_TOPICS = ['q-agent-notifier-port-update', 'q-agent-notifier-network-delete', 'q-agent-notifier-security_group-update', 'q-agent-notifier-tunnel-update'];
const CONNECTION_NAME = /^([a-z-]+):(\d+):[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX32 = '[0-9a-f]{32}';

describe('startScaleCloud, 5 hosts and 2 controllers', () => {
  let vhost: string;
  let cloud: ScaleCloudHandle | undefined;
  const progress: string[] = [];

  beforeAll(async () => {
    vhost = await createTestVhost('scale');
    cloud = await startScaleCloud({ amqpUrl: amqpUrl(vhost), hosts: HOSTS, controllers: CONTROLLERS, concurrency: 8, progressEvery: 4, log: (l) => progress.push(l) });
  });

  afterAll(async () => {
    await cloud?.stop().catch(() => {});
    await deleteTestVhost(vhost);
  });

  it('counts two processes per host, four per controller and the notification agent, and says so', () => {
    const c = cloud!.counts();
    expect(c).toMatchObject({ hosts: HOSTS, controllers: CONTROLLERS, processes: 2 * HOSTS + 4 * CONTROLLERS + 1, connections: 2 * HOSTS + 4 * CONTROLLERS + 1 });
    expect(progress.filter((l) => /^started \d+\/18 processes/.test(l))).toHaveLength(5); // 4, 8, 12, 16, 18; then the notification agent
    expect(progress.at(-1)).toMatch(new RegExp(`^scale cloud up in vhost ${vhost}: 5 hosts \\+ 2 controllers, 19 connections, ${c.queues} queues, ${c.consumers} consumers in [\\d.]+ s$`));
  });

  it('has per host two named connections from its own loopback address', async () => {
    const conns = await eventually(async () => {
      const list = await connections(vhost);
      return list.length === 2 * HOSTS + 4 * CONTROLLERS + 1 ? list : null;
    });
    for (const c of conns) {
      expect(c.client_properties.connection_name).toMatch(CONNECTION_NAME);
      expect(c.user_provided_name).toBe(c.client_properties.connection_name);
    }
    const byPeer = new Map<string, string[]>();
    for (const c of conns) byPeer.set(c.peer_host, [...(byPeer.get(c.peer_host) ?? []), CONNECTION_NAME.exec(c.client_properties.connection_name ?? '')?.[1] ?? '?']);
    for (let i = 0; i < HOSTS; i++) {
      expect(byPeer.get(computeAddress(i))?.sort()).toEqual(['neutron-openvswitch-agent', 'nova-compute']);
    }
    expect(new Set(Array.from({ length: HOSTS }, (_, i) => computeAddress(i))).size).toBe(HOSTS);
    expect(byPeer.get(controllerAddress(0))?.sort()).toEqual(['ceilometer-agent-notification', 'cinder-scheduler', 'neutron-server', 'nova-conductor', 'nova-scheduler']);
    expect(byPeer.get(controllerAddress(1))?.sort()).toEqual(['cinder-scheduler', 'neutron-server', 'nova-conductor', 'nova-scheduler']);
    expect(byPeer.size).toBe(HOSTS + CONTROLLERS);
  });

  it('declares per host its server, fanout and reply queues, consumed from that host', async () => {
    const [qs, cs, conns] = await eventually(async () => {
      const r = await Promise.all([queues(vhost), consumers(vhost), connections(vhost)]);
      return r[1].length === cloud!.counts().consumers ? r : null;
    });
    const names = new Set(qs.map((q) => q.name));
    const peerOf = new Map(conns.map((c) => [c.name, c.peer_host]));
    const consumedFrom = (queue: string) => cs.filter((c) => c.queue.name === queue).map((c) => peerOf.get(c.channel_details.connection_name));

    for (const shared of ['compute', 'conductor', 'scheduler', 'q-plugin', 'q-reports-plugin', 'cinder-scheduler', ...AGENT_TOPICS]) expect(names).toContain(shared);
    expect(consumedFrom('compute')).toHaveLength(HOSTS);
    for (const t of AGENT_TOPICS) expect(consumedFrom(t)).toHaveLength(HOSTS);

    for (let i = 0; i < HOSTS; i++) {
      const host = computeName(i, HOSTS);
      const address = computeAddress(i);
      expect(consumedFrom(`compute.${host}`)).toEqual([address]);
      for (const t of AGENT_TOPICS) expect(consumedFrom(`${t}.${host}`)).toEqual([address]);
    }
    // one fanout queue per host and topic, one reply queue per process, each consumed from its host, each with x-expires
    const fanout = (topic: string) => qs.filter((q) => new RegExp(`^${topic}_fanout_${HEX32}$`).test(q.name));
    for (const t of ['compute', ...AGENT_TOPICS]) {
      const fq = fanout(t);
      expect(fq).toHaveLength(HOSTS);
      expect(new Set(fq.flatMap((q) => consumedFrom(q.name)))).toEqual(new Set(Array.from({ length: HOSTS }, (_, i) => computeAddress(i))));
      for (const q of fq) expect(q.arguments).toEqual({ 'x-expires': 1_800_000 });
    }
    const replies = qs.filter((q) => new RegExp(`^reply_${HEX32}$`).test(q.name));
    expect(replies).toHaveLength(2 * HOSTS + 4 * CONTROLLERS);
    const replyPeers = replies.flatMap((q) => consumedFrom(q.name));
    for (let i = 0; i < HOSTS; i++) expect(replyPeers.filter((p) => p === computeAddress(i))).toHaveLength(2);

    // per host: 12 queues only it consumes and 17 consumers; the simulator's own counts are the broker's
    for (let i = 0; i < HOSTS; i++) {
      const address = computeAddress(i);
      const own = qs.filter((q) => {
        const peers = consumedFrom(q.name);
        return peers.length > 0 && peers.every((p) => p === address);
      });
      expect(own).toHaveLength(12);
      expect(cs.filter((c) => peerOf.get(c.channel_details.connection_name) === address)).toHaveLength(17);
    }
    expect(qs).toHaveLength(cloud!.counts().queues);
  });

  it('stop() closes every connection', async () => {
    await cloud!.stop();
    expect(cloud!.counts().connections).toBe(0);
    await eventually(async () => (await connections(vhost)).length === 0);
  });
});
