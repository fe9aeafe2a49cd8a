// The whole read path against the real broker: a simulated cloud in a vhost of
// its own, read through the management API, classified and joined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import type { Topology } from '@/lib/domain/types';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { loadScenario } from '@/sim/scenario';
import { admin, amqpUrl, createTestVhost, declaredArguments, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';

let vhost: string;
let cloud: CloudHandle;
const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });

async function read(): Promise<Topology> {
  const { inputs } = await readBroker(client);
  return buildTopology(inputs);
}

/**
 * A read once the broker lists every connection and every consumer the simulator holds (its
 * statistics lag behind new ones; under load a connection can be listed after its consumers).
 */
function settled(): Promise<Topology> {
  const expected = cloud.describe().reduce((n, p) => n + Object.keys(p.consuming).length, 0);
  return eventually(async () => {
    const t = await read();
    const listed = t.consumers.filter((c) => c.vhost === vhost).length >= expected && t.connections.filter((c) => c.vhost === vhost).length >= cloud.processes.length;
    return listed ? t : null;
  });
}
const inVhost = <T extends { vhost: string }>(items: readonly T[]) => items.filter((i) => i.vhost === vhost);

beforeAll(async () => {
  vhost = await createTestVhost('topology');
  const scenario = await loadScenario(path.resolve(__dirname, '../../sim/scenarios/test.json'));
  cloud = await startCloud(scenario, { amqpUrl: amqpUrl(vhost), traffic: false });
});

afterAll(async () => {
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('a simulated cloud read through the management API', () => {
  it('sorts exchanges into component, fanout and builtin groups', async () => {
    const t = await settled();
    const groups = Object.fromEntries(inVhost(t.exchanges).map((e) => [e.name, e.group]));
    expect(groups).toMatchObject({ nova: 'component', neutron: 'component', openstack: 'component', compute_fanout: 'fanout', '': 'builtin' });
    expect(inVhost(t.exchanges).filter((e) => e.group === 'other')).toEqual([]);
  });

  it('traces compute.node-1 to the nova-compute process with its pid, host and address', async () => {
    const t = await eventually(async () => {
      const t = await read();
      return t.queues.find((q) => q.vhost === vhost && q.name === 'compute.node-1')?.processIds.length ? t : null;
    });
    const queue = t.queues.find((q) => q.vhost === vhost && q.name === 'compute.node-1');
    expect(queue).toMatchObject({ kind: 'rpc-server', component: 'nova', topic: 'compute', server: 'node-1', host: 'node-1' });
    const sim = cloud.process('nova-compute', 'node-1');
    const process = t.processes.find((p) => p.id === queue?.processIds[0]);
    expect(process).toMatchObject({ oslo: true, binary: 'nova-compute', pid: sim.pid, host: 'node-1', peerHost: sim.address });
    const connection = t.connections.find((c) => c.name === process?.connections[0]);
    expect(connection?.clientConnectionName).toBe(sim.connectionName);
  });

  it('classifies the cinder per-server queue with its backend and names the host', async () => {
    const t = await settled();
    const q = t.queues.find((x) => x.vhost === vhost && x.kind === 'rpc-server' && x.topic === 'cinder-volume');
    expect(q).toMatchObject({ component: 'openstack', server: 'storage01@lvm', host: 'storage01' });
    const p = t.processes.find((x) => x.binary === 'cinder-volume' && x.vhosts.includes(vhost));
    expect(p?.host).toBe('storage01');
  });

  it('gives every simulated process a host', async () => {
    const t = await settled();
    const ours = t.processes.filter((p) => p.vhosts.includes(vhost));
    expect(ours.length).toBe(cloud.processes.length);
    for (const p of ours) expect(p.host, p.id).not.toBeNull();
  });

  it('shows rates while messages flow, and the backlog that piles up', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    await compute.stopConsuming('compute.node-1');
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    // Casts: calls carry their timeout as a per-message TTL and would expire in the queue.
    let sent = 0;
    const flow = setInterval(() => {
      sent++;
      void conductor.cast('nova', 'compute', 'node-1', 'refresh_instance_security_rules', { sent });
    }, 100);
    try {
      const q = await eventually(async () => {
        const t = await read();
        const q = t.queues.find((x) => x.vhost === vhost && x.name === 'compute.node-1');
        // The management API counts the cancelled consumer by its statistics interval: wait for that too.
        return q && (q.messagesReady ?? 0) >= 5 && (q.rates?.publish ?? 0) > 0 && q.consumers === 0 ? q : null;
      }, 45_000, 1000);
      expect(q.rates?.deliver).toBe(0);
    } finally {
      clearInterval(flow);
    }
    const nova = (await read()).components.find((c) => c.name === 'nova');
    expect(nova?.backlog.ready).toBeGreaterThanOrEqual(5);
  });
});

describe('two cadences', () => {
  it('reads counts against a known topology, and shows a queue that appeared since with what it knows', async () => {
    const first = await readBroker(client);
    await admin.put(`/api/queues/${encodeURIComponent(vhost)}/late-arrival`, { arguments: { 'x-expires': 600_000 } });
    const second = await eventually(async () => {
      const r = await readBroker(client, first.topology);
      return r.inputs.queues.some((q) => q.vhost === vhost && q.name === 'late-arrival') ? r : null;
    });
    expect(second.topology).toBe(first.topology);
    expect(second.topologyBehind).toBe(true);
    expect(second.inputs.bindings).toHaveLength(first.inputs.bindings.length);
    const fresh = await readBroker(client);
    expect(fresh.topologyBehind).toBe(false);
    expect(declaredArguments(fresh.inputs.queues.find((q) => q.vhost === vhost && q.name === 'late-arrival')?.arguments)).toEqual({ 'x-expires': 600_000 });
  });
});

describe('a read-only monitoring user', () => {
  const user = `monitor-${Date.now()}`;
  beforeAll(async () => {
    await admin.put(`/api/users/${user}`, { password: 'monitor-pass', tags: 'monitoring' });
    await admin.put(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, { configure: '^$', write: '^$', read: '.*' });
  });
  afterAll(async () => {
    await admin.delete(`/api/users/${user}`, { validateStatus: () => true });
  });

  it('is enough to read the whole topology', async () => {
    const monitor = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: user, password: 'monitor-pass', timeoutMs: 20_000 });
    const { inputs, warnings } = await readBroker(monitor);
    expect(warnings).toEqual([]);
    const t = buildTopology(inputs);
    expect(t.nodes.length).toBeGreaterThan(0);
    expect(t.queues.some((q) => q.vhost === vhost && q.kind === 'rpc-server')).toBe(true);
    expect(t.processes.some((p) => p.vhosts.includes(vhost) && p.binary === 'nova-compute')).toBe(true);
  });

  it('is refused with a clear message when the password is wrong', async () => {
    const wrong = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: user, password: 'nope', timeoutMs: 20_000 });
    await expect(readBroker(wrong)).rejects.toThrow(/refused the credentials \(401\)/);
  });
});
