// Quorum queues on a real 3-node RabbitMQ 4.0 cluster (scripts/rabbitmq4.sh cluster): nova's
// compute queues with a replica on every node. One node stopped: each queue still works, one
// warning names the node and what lost a replica there. A second node stopped: below quorum, each
// queue is unavailable, a critical finding per queue. Both started again: all back to normal, as
// the management API alone and as the Prometheus plugins with the management API's metadata see it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerReader } from '@/lib/broker/broker-reader';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { evaluateRules, MemorySnapshot } from '@/lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS, type Finding } from '@/lib/domain/findings/types';
import { queueHealth } from '@/lib/domain/health';
import { buildTopology } from '@/lib/domain/topology';
import type { Queue, Topology } from '@/lib/domain/types';
import { eventually } from '../../helpers/broker';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/rabbitmq4.sh');
const node = (n: number) => `lens-r4c${n}@localhost`;
const VHOST = 'quorum-cluster-test';
const QUEUES = ['compute', 'compute.node-7', 'compute.node-8'];
const auth = { username: 'guest', password: 'guest' };
const admin = axios.create({ baseURL: 'http://127.0.0.1:15721', auth, timeout: 30_000 });
const client = new ManagementClient({ baseUrl: 'http://127.0.0.1:15721', ...auth, timeoutMs: 30_000 });
const rabbitmq4 = (...args: string[]) => execFileSync('bash', [SCRIPT, ...args], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });

async function read(): Promise<Topology> {
  return buildTopology((await readBroker(client)).inputs);
}

const ours = (t: Topology): Queue[] => t.queues.filter((q) => q.vhost === VHOST && QUEUES.includes(q.name));

function quorumFindings(t: Topology): Finding[] {
  return evaluateRules({ topology: t, queueHistory: () => [], thresholds: DEFAULT_THRESHOLDS, now: Date.now(), memory: new MemorySnapshot() }, [
    'quorum-queue-unavailable',
    'quorum-member-down',
  ]).filter((f) => f.subject.type === 'node' || (f.subject.type === 'queue' && f.subject.vhost === VHOST));
}

const health = (q: Queue) => queueHealth(q, new Set(), DEFAULT_THRESHOLDS);

beforeAll(async () => {
  rabbitmq4('cluster', 'start');
  await admin.put(`/api/vhosts/${VHOST}`, {});
  await admin.put(`/api/permissions/${VHOST}/guest`, { configure: '.*', write: '.*', read: '.*' });
  // What nova declares with rabbit_quorum_queue: a durable topic exchange, quorum topic and server queues.
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:5711/${VHOST}`);
  const ch = await conn.createChannel();
  await ch.assertExchange('nova', 'topic', { durable: true });
  for (const q of QUEUES) {
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(q, 'nova', q);
  }
  await conn.close();
}, 300_000);

afterAll(async () => {
  for (const n of [2, 3]) {
    try {
      rabbitmq4('ctl', String(n), 'start_app');
    } catch {
      /* running already, or the cluster never came up */
    }
  }
  await admin.delete(`/api/vhosts/${VHOST}`).catch(() => undefined);
  rabbitmq4('cluster', 'stop');
}, 300_000);

describe('quorum queues on a 3-node RabbitMQ 4.0 cluster', () => {
  it('have a leader and three members online, and nothing to say', async () => {
    const t = await eventually(async () => {
      const t = await read();
      return ours(t).length === QUEUES.length && ours(t).every((q) => q.replication?.online?.length === 3) ? t : null;
    });
    for (const q of ours(t)) {
      expect(q.replication).toMatchObject({ quorum: 2, state: 'complete' });
      expect(q.replication?.members.sort()).toEqual([node(1), node(2), node(3)]);
      expect([node(1), node(2), node(3)]).toContain(q.replication?.leader);
      expect(health(q)).not.toBe('unavailable');
    }
    expect(quorumFindings(t)).toEqual([]);
  });

  it('one node stopped: still a quorum; one warning for that node, naming what lost a replica there', async () => {
    rabbitmq4('ctl', '3', 'stop_app');
    const t = await eventually(async () => {
      const t = await read();
      return t.nodes.find((n) => n.name === node(3))?.running === false && ours(t).every((q) => q.replication?.leader !== node(3)) ? t : null;
    }, 60_000, 1000);
    for (const q of ours(t)) {
      expect(q.replication).toMatchObject({ state: 'member-down', online: expect.arrayContaining([node(1), node(2)]) });
      expect(health(q)).not.toBe('unavailable');
    }
    const found = quorumFindings(t);
    expect(found.map((f) => [f.rule, f.severity, f.subject])).toEqual([['quorum-member-down', 'warning', { type: 'node', name: node(3) }]]);
    expect(found[0]?.title).toMatch(/3 quorum queues/);
    expect(found[0]?.explanation).toMatch(/nova/);
  });

  it('a second node stopped: below quorum, each queue unavailable, a critical finding per queue', async () => {
    rabbitmq4('ctl', '2', 'stop_app');
    const t = await eventually(async () => {
      const t = await read();
      return t.nodes.find((n) => n.name === node(2))?.running === false ? t : null;
    }, 60_000, 1000);
    for (const q of ours(t)) {
      expect(q.replication?.state).toBe('no-quorum');
      expect(health(q)).toBe('unavailable');
    }
    const critical = quorumFindings(t).filter((f) => f.rule === 'quorum-queue-unavailable');
    expect(critical.map((f) => f.subject.type === 'queue' && f.subject.name).sort()).toEqual([...QUEUES].sort());
    for (const f of critical) expect(f.severity).toBe('critical');
  });

  it('both started again: every member back, nothing to say; the plugin-fed reader sees it too', async () => {
    rabbitmq4('ctl', '2', 'start_app');
    rabbitmq4('ctl', '3', 'start_app');
    const t = await eventually(async () => {
      const t = await read();
      return ours(t).every((q) => q.replication?.state === 'complete') ? t : null;
    }, 90_000, 1000);
    expect(quorumFindings(t)).toEqual([]);

    const reader = new BrokerReader({
      client,
      prometheus: { urls: [15731, 15732, 15733].map((port) => `http://127.0.0.1:${port}`) },
      topologyIntervalMs: 60_000,
      refreshIntervalMs: 1000,
      requestTimeoutMs: 10_000,
    });
    const first = buildTopology((await reader.read()).inputs);
    expect((await reader.read()).counts.source).toBe('prometheus');
    expect(ours(first).every((q) => q.replication?.state === 'complete')).toBe(true);
  });
});
