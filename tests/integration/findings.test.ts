// Each diagnosis rule fires on a real broker, through the simulator's faults,
// and stays silent on the healthy cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import type { Finding, RuleId } from '@/lib/domain/findings/types';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import type { ClusterState } from '@/lib/domain/state';
import { Diagnosis } from '@/lib/server/diagnosis';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { loadScenario } from '@/sim/scenario';
import { withMemoryAlarm } from '../helpers/alarm';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';

let vhost: string;
let cloud: CloudHandle;
const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
// A short window so trends show within a test; the grace period as the server's, so the
// broker's lagging statistics of a cloud that just started raise no false alarm. The rules are the server's own.
const diagnosis = new Diagnosis({ ...DEFAULT_THRESHOLDS, windowMs: 6_000, minSamples: 3 }, 120);
let latest: ClusterState;

/** One refresh as the server does it; the findings about this test's vhost. */
async function observe(): Promise<Finding[]> {
  const read = await readBroker(client);
  const at = Date.now();
  latest = diagnosis.observe({ kind: 'live', inputs: read.inputs, warnings: read.warnings, at, topologyAt: at, identityAt: at, counts: { source: 'management', why: 'read by this test' }, brokerHistory: null, readMs: 0, topologyIntervalMs: 60_000 });
  return latest.findings.open.filter((f) => {
    const s = f.subject;
    if (s.type === 'queue') return s.vhost === vhost;
    if (s.type === 'node') return true;
    const processId = s.type === 'process' ? s.id : s.processId;
    return latest.topology.processes.some((p) => p.id === processId && p.vhosts.includes(vhost));
  });
}

/** Observes once a second until a finding of that rule about that queue shows up. */
function firing(rule: RuleId, queue: string, timeoutMs = 60_000): Promise<Finding> {
  return eventually(async () => (await observe()).find((f) => f.rule === rule && f.subject.type === 'queue' && f.subject.name === queue), timeoutMs, 1000);
}

beforeAll(async () => {
  vhost = await createTestVhost('findings');
  const scenario = await loadScenario(path.resolve(__dirname, '../../sim/scenarios/test.json'));
  cloud = await startCloud(scenario, { amqpUrl: amqpUrl(vhost), traffic: false });
});

afterAll(async () => {
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('findings on a real broker', () => {
  it('says nothing about a healthy cloud with traffic flowing', async () => {
    cloud.startTraffic();
    // Until every consumer is known (one per queue each process consumes), then over more than a whole window.
    const consumers = cloud.describe().reduce((n, p) => n + Object.keys(p.consuming).length, 0);
    await eventually(async () => {
      await observe();
      return latest.topology.consumers.filter((c) => c.vhost === vhost).length >= consumers;
    }, 60_000);
    // Longer than the grace period: a lagging statistic would have become a finding by now.
    const seen: Finding[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push(...(await observe()));
      await new Promise((r) => setTimeout(r, 1000));
    }
    cloud.stopTraffic();
    expect(seen.map((f) => `${f.rule} ${JSON.stringify(f.subject)}`)).toEqual([]);
  }, 120_000);

  it('rpc-server-unconsumed: nova-compute on node-1 stays connected, stops consuming, requests wait', async () => {
    const compute = cloud.process('nova-compute', 'node-1');
    await compute.stopConsuming('compute.node-1');
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    for (let i = 0; i < 3; i++) await conductor.cast('nova', 'compute', 'node-1', 'build_and_run_instance', { i });
    const f = await eventually(async () => {
      const found = await firing('rpc-server-unconsumed', 'compute.node-1');
      return found.evidence.waiting === 3 ? found : null;
    });
    expect(f).toMatchObject({ severity: 'critical', host: 'node-1', component: 'nova' });
    expect(f.title).toMatch(/up but does nothing/);
    expect(String(f.evidence['connected processes'])).toContain(String(compute.pid));

    const row = latest.services.find((r) => r.vhost === vhost && r.serverQueue === 'compute.node-1');
    expect(row).toMatchObject({ status: 'not-consuming', host: 'node-1', topic: 'compute', exchange: 'nova' });
    expect(row?.idleProcesses.map((p) => p.pid)).toEqual([compute.pid]);
  });

  it('rpc-topic-unconsumed: the only cinder-scheduler stops consuming its shared queue', async () => {
    await cloud.process('cinder-scheduler', 'ctl-1').stopConsuming('cinder-scheduler');
    const f = await firing('rpc-topic-unconsumed', 'cinder-scheduler');
    expect(f).toMatchObject({ severity: 'critical', component: 'openstack' });
  });

  it('consumer-stuck: cinder-volume takes requests and never acknowledges them', async () => {
    const volume = cloud.process('cinder-volume', 'storage01');
    const queue = 'cinder-volume.storage01@lvm';
    volume.stopAcking(queue);
    const scheduler = cloud.process('cinder-scheduler', 'ctl-1');
    for (let i = 0; i < 4; i++) await scheduler.cast('openstack', 'cinder-volume', 'storage01@lvm', 'create_volume', { i });
    const f = await firing('consumer-stuck', queue, 45_000);
    expect(f).toMatchObject({ severity: 'critical', evidence: { unacknowledged: 4 } });
    expect(f.title).toContain('cinder-volume');
    const row = latest.services.find((r) => r.vhost === vhost && r.serverQueue === queue);
    expect(row?.status).toBe('stuck');
  });

  it('notifications-unconsumed: warnings published that no one listens to', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    for (let i = 0; i < 3; i++) await conductor.notify('warn', 'compute.instance.update', { i });
    const f = await firing('notifications-unconsumed', 'notifications.warn');
    expect(f.evidence.messages).toBeGreaterThanOrEqual(3);
  });

  it('orphaned-reply-queue and orphaned-fanout-queue: the neutron agent on node-1 is killed', async () => {
    const agent = cloud.process('neutron-openvswitch-agent', 'node-1');
    const info = agent.info();
    await agent.kill();
    const reply = await firing('orphaned-reply-queue', info.replyQueue);
    expect(reply.explanation).toMatch(/lost/);
    const fanout = info.topics[0]!.fanoutQueue;
    const orphan = await firing('orphaned-fanout-queue', fanout);
    expect(orphan.evidence['x-expires']).toBe('30 min');
    // Its per-server queues now say the service is down, not idle.
    const down = await firing('rpc-server-unconsumed', info.topics[0]!.serverQueue);
    expect(down.title).toMatch(/is down/);
  });

  it('backlog-growing: nova-conductor consumes too slowly for what is sent to it', async () => {
    await cloud.process('nova-conductor', 'ctl-1').slowDown('conductor', 2000);
    const compute = cloud.process('nova-compute', 'node-1');
    const flood = setInterval(() => void compute.cast('nova', 'conductor', null, 'object_class_action_versions', {}), 150);
    try {
      const f = await firing('backlog-growing', 'conductor', 45_000);
      expect(f.severity).toBe('warning');
      expect(Number(f.evidence['ready now'])).toBeGreaterThan(Number(f.evidence['ready at start']));
    } finally {
      clearInterval(flood);
    }
  });

  it('connection-blocked and node-alarm: a memory alarm blocks the publishers', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    await withMemoryAlarm(async () => {
      // A connection is blocked once it publishes during the alarm; the publish itself waits.
      void conductor.cast('nova', 'compute', 'node-1', 'build_and_run_instance', {}).catch(() => undefined);
      const blocked = await eventually(async () => (await observe()).find((f) => f.rule === 'connection-blocked' && f.subject.type === 'connection' && f.subject.processId !== null && f.title.includes('nova-conductor')), 30_000, 1000);
      // Alarms need no grace period, they do not lag: reported by the very refresh that first saw them.
      expect(blocked.since).toBe(latest.at);
      expect(blocked.severity).toBe('critical');
      expect(String(blocked.evidence.alarms)).toMatch(/memory alarm/);
      const node = (await observe()).find((f) => f.rule === 'node-alarm');
      expect(node?.title).toMatch(/memory alarm/);
    });
  });

  it('lists a finding as resolved once its cause is gone', async () => {
    await admin.delete(`/api/queues/${encodeURIComponent(vhost)}/notifications.warn`);
    await eventually(async () => {
      await observe();
      return latest.findings.resolved.find((f) => f.rule === 'notifications-unconsumed' && f.subject.type === 'queue' && f.subject.vhost === vhost);
    });
    expect((await observe()).some((f) => f.rule === 'notifications-unconsumed')).toBe(false);
  });
});
