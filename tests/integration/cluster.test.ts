// A real 3-node RabbitMQ cluster of its own (scripts/cluster.sh): one node stopped shows as
// down, the queues homed on it are marked, a finding says so, and everything else is still
// read; the node started again, all is back to normal.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerReader, type BrokerReading } from '@/lib/broker/broker-reader';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { evaluateRules, MemorySnapshot } from '@/lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import { buildTopology } from '@/lib/domain/topology';
import type { Topology } from '@/lib/domain/types';
import { eventually } from '../helpers/broker';

const ROOT = path.resolve(__dirname, '../..');
const CLUSTER = path.join(ROOT, 'scripts/cluster.sh');
const C1 = 'lens-c1@localhost';
const C3 = 'lens-c3@localhost';
const VHOST = 'cluster-test';
const ON_C3 = 'compute.on-c3';
const ON_C1 = 'compute.on-c1';
const auth = { username: 'guest', password: 'guest' };
const c1 = axios.create({ baseURL: 'http://127.0.0.1:15701', auth, timeout: 30_000 });
const client = new ManagementClient({ baseUrl: 'http://127.0.0.1:15701', ...auth, timeoutMs: 30_000 });
const cluster = (...args: string[]) => execFileSync('bash', [CLUSTER, ...args], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });

async function read(): Promise<Topology> {
  return buildTopology((await readBroker(client)).inputs);
}

function findings(t: Topology) {
  return evaluateRules({ topology: t, queueHistory: () => [], thresholds: DEFAULT_THRESHOLDS, now: Date.now(), memory: new MemorySnapshot() });
}

beforeAll(async () => {
  cluster('start');
  await c1.put(`/api/vhosts/${VHOST}`, {});
  await c1.put(`/api/permissions/${VHOST}/guest`, { configure: '.*', write: '.*', read: '.*' });
  // A classic queue lives on the node its declaring connection is on.
  for (const [port, queue] of [[5693, ON_C3], [5691, ON_C1]] as const) {
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}/${VHOST}`);
    const ch = await conn.createChannel();
    await ch.assertQueue(queue, { durable: true });
    await ch.sendToQueue(queue, Buffer.from('waiting'), { persistent: true });
    await ch.close();
    await conn.close();
  }
}, 300_000);

afterAll(async () => {
  try {
    cluster('node', '3', 'start_app');
  } catch {
    /* already running, or the cluster never came up */
  }
  await c1.delete(`/api/vhosts/${VHOST}`).catch(() => undefined);
  cluster('stop');
}, 300_000);

describe('a 3-node cluster', () => {
  it('shows three running nodes and where each queue lives', async () => {
    const t = await eventually(async () => {
      const r = await read();
      return r.queues.some((q) => q.name === ON_C3 && q.messagesReady === 1) ? r : null;
    });
    expect(t.nodes.map((n) => [n.name, n.running]).sort()).toEqual([
      [C1, true],
      ['lens-c2@localhost', true],
      [C3, true],
    ]);
    expect(t.queues.find((q) => q.vhost === VHOST && q.name === ON_C3)?.node).toBe(C3);
    expect(findings(t).filter((f) => f.rule === 'node-alarm')).toEqual([]);
  });

  it("counts from every node's Prometheus plugin, each answering for the queues it hosts; a node left out is said", async () => {
    const plugins = [15711, 15712, 15713].map((port) => `http://127.0.0.1:${port}`);
    const reader = (urls: string[]) => new BrokerReader({ client, prometheus: { urls }, topologyIntervalMs: 60_000, refreshIntervalMs: 1000, requestTimeoutMs: 10_000 });
    const ready = (r: BrokerReading, name: string) => r.inputs.queues.find((q) => q.vhost === VHOST && q.name === name)?.messagesReady;
    const all = await eventually(async () => {
      const r = await reader(plugins).read();
      return r.counts.source === 'prometheus' && ready(r, ON_C1) === 1 && ready(r, ON_C3) === 1 ? r : null;
    });
    expect(all.counts.why).toContain('3 nodes');
    // Without node 3's plugin its queues would be missing: the management API counts instead, and says why.
    const partial = await reader(plugins.slice(0, 2)).read();
    expect(partial.counts).toMatchObject({ source: 'management', why: expect.stringContaining(`node ${C3}`) });
    expect(ready(partial, ON_C3)).toBe(1);
  });

  it('one node stopped: it shows as down, its queues are marked, a finding says so, the rest is still read', async () => {
    cluster('node', '3', 'stop_app');
    const t = await eventually(async () => {
      const r = await read();
      return r.nodes.find((n) => n.name === C3)?.running === false ? r : null;
    }, 60_000);
    const onC3 = t.queues.find((q) => q.vhost === VHOST && q.name === ON_C3);
    expect(onC3?.node).toBe(C3);
    expect(onC3?.state).not.toBe('running');
    expect(t.queues.find((q) => q.vhost === VHOST && q.name === ON_C1)).toMatchObject({ node: C1, messagesReady: 1 });
    const node = findings(t).find((f) => f.rule === 'node-alarm' && f.subject.type === 'node' && f.subject.name === C3);
    expect(node?.severity).toBe('critical');
    expect(node?.title).toMatch(/not running/);
    expect(node?.evidence['queues homed or led there']).toBeGreaterThanOrEqual(1);
    expect(String(node?.evidence['for example'])).toContain(ON_C3);
  }, 120_000);

  it('the node started again: back to normal', async () => {
    cluster('node', '3', 'start_app');
    const t = await eventually(async () => {
      const r = await read();
      const q = r.queues.find((x) => x.vhost === VHOST && x.name === ON_C3);
      return r.nodes.every((n) => n.running) && q?.state === 'running' && q.messagesReady !== null ? r : null;
    }, 90_000);
    expect(findings(t).filter((f) => f.rule === 'node-alarm')).toEqual([]);
    expect(t.queues.find((q) => q.vhost === VHOST && q.name === ON_C3)?.messagesReady).toBe(1);
  }, 120_000);
});
