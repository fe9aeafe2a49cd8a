// A cloud of 2025–2026 on RabbitMQ 4: a real oslo.messaging 16.1.0 (Debian 13's, run from the
// root scripts/rabbitmq4.sh builds) with every modern option on, beside simulated services with
// the same options. Both understand each other, the dashboard classifies what they declare and
// identifies the processes, takes the shared fanout stream for what it retains (not a backlog),
// and pings the real server. Run against RabbitMQ 4 with OSLO_PYTHON=scripts/oslo16-python
// (vitest.config.ts).
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { probe } from '@/lib/broker/probe';
import { readBroker } from '@/lib/broker/read-broker';
import { evaluateRules, FindingTracker } from '@/lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS, type Finding } from '@/lib/domain/findings/types';
import { queueHealth } from '@/lib/domain/health';
import { buildTopology } from '@/lib/domain/topology';
import type { Topology } from '@/lib/domain/types';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../../helpers/broker';
import { MODERN_RABBIT_OPTIONS, osloCall, startOsloServer, stopOsloChildren } from '../../helpers/oslo';

const USER = process.env.RABBITMQ_USERNAME ?? 'guest';
const PASSWORD = process.env.RABBITMQ_PASSWORD ?? 'guest';

let vhost: string;
let cloud: CloudHandle;
let realServer: ChildProcess;
const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: USER, password: PASSWORD, timeoutMs: 20_000 });

/** The model once the real server's per-server queue has its consumer identified. */
async function topology(): Promise<Topology> {
  return eventually(async () => {
    const t = buildTopology((await readBroker(client)).inputs);
    return t.queues.find((q) => q.vhost === vhost && q.name === 'compat.py-1')?.processIds.length ? t : undefined;
  }, 30_000, 1000);
}

/** What the rules say about this test's vhost, with what the last look remembered (who consumed what). */
function findingsOf(t: Topology, remembered: FindingTracker): Finding[] {
  return evaluateRules({ topology: t, queueHistory: () => [], thresholds: DEFAULT_THRESHOLDS, now: Date.now(), memory: remembered.memory }).filter(
    (f) => f.subject.type === 'queue' && f.subject.vhost === vhost,
  );
}
const tracker = new FindingTracker();

beforeAll(async () => {
  vhost = await createTestVhost('modern');
  cloud = await startCloud(
    parseScenario({
      hosts: [{ name: 'node-1', address: '127.0.1.61', services: ['nova-compute'] }],
      controllers: [{ name: 'ctl-1', address: '127.0.2.61', services: ['nova-conductor'] }],
      layout: { quorumQueues: true, transientQuorumQueues: true, useQueueManager: true, streamFanout: true, prefetchCount: 10 },
      traffic: { notificationConsumer: false },
    }),
    { amqpUrl: amqpUrl(vhost), traffic: false },
  );
  realServer = await startOsloServer(vhost, 'nova', 'compat', 'py-1', MODERN_RABBIT_OPTIONS);
});

afterAll(async () => {
  await stopOsloChildren();
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('oslo.messaging 16.1.0 with quorum queues, transient quorum, the queue manager and stream fanout, on RabbitMQ 4', () => {
  it('raises nothing about the healthy cloud: quorum queues consumed, the stream read', async () => {
    const t = await topology();
    tracker.remember(t, Date.now());
    expect(findingsOf(t, tracker).map((f) => `${f.rule} ${f.subject.type === 'queue' ? f.subject.name : ''}`)).toEqual([]);
  });

  it('answers a simulated call, and the simulator answers its client', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    expect(await conductor.call('nova', 'compat', 'py-1', 'ping', { arg: 16 }, { namespace: 'baseapi', version: '1.1', timeoutMs: 15_000 })).toEqual({
      service: 'compat',
      arg: 16,
    });
    const out = await osloCall(vhost, {
      exchange: 'nova',
      topic: 'compute',
      server: 'node-1',
      method: 'ping',
      namespace: 'baseapi',
      version: '1.1',
      args: { arg: 'from-oslo-16' },
      rabbitOptions: MODERN_RABBIT_OPTIONS,
    });
    expect(out).toEqual({ ok: true, result: { service: 'compute', arg: 'from-oslo-16' } });
  });

  it('classifies what the real server declares: quorum topic and server queues, the shared fanout stream, queue-manager reply names', async () => {
    const t = await topology();
    const queues = t.queues.filter((q) => q.vhost === vhost);
    const byName = (name: string) => queues.find((q) => q.name === name);
    expect(byName('compat')).toMatchObject({ kind: 'rpc-topic', type: 'quorum', topic: 'compat', component: 'nova' });
    expect(byName('compat.py-1')).toMatchObject({ kind: 'rpc-server', type: 'quorum', server: 'py-1', host: 'py-1' });
    expect(byName('compat_fanout')).toMatchObject({ kind: 'rpc-fanout', type: 'stream', topic: 'compat' });
    // The real client's reply queue: reply_<host>:<process>:<n>, quorum and durable (the chroot shares the machine's name).
    const replies = queues.filter((q) => q.name.startsWith(`reply_${hostname()}:`));
    expect(replies.length).toBeGreaterThan(0);
    for (const q of replies) expect(q).toMatchObject({ kind: 'reply', type: 'quorum', durable: true, host: hostname() });
    // The simulator's, named alike.
    expect(byName(cloud.process('nova-compute', 'node-1').replyQueue)).toMatchObject({ kind: 'reply', type: 'quorum', host: 'node-1', binary: 'nova-compute' });

    const process = t.processes.find((p) => p.id === byName('compat.py-1')?.processIds[0]);
    expect(process).toMatchObject({ oslo: true, binary: 'oslo_server.py', pid: realServer.pid, host: 'py-1' });
    expect(process?.consumes.map((q) => q.name)).toEqual(expect.arrayContaining(['compat', 'compat.py-1', 'compat_fanout']));
  });

  it('takes what the fanout stream holds for retention, not a backlog', async () => {
    const conductor = cloud.process('nova-conductor', 'ctl-1');
    for (let i = 0; i < 5; i++) await conductor.fanoutCast('compat', 'echo', { i });
    const t = await eventually(async () => {
      const t = await topology();
      return (t.queues.find((q) => q.vhost === vhost && q.name === 'compat_fanout')?.messagesReady ?? 0) >= 5 ? t : undefined;
    }, 30_000, 1000);
    const stream = t.queues.find((q) => q.vhost === vhost && q.name === 'compat_fanout')!;
    expect(queueHealth(stream, new Set(), DEFAULT_THRESHOLDS)).toBe('healthy');
  });

  it('pings the real server and a simulated one whose reply queues are quorum queues', async () => {
    const url = amqpUrl(vhost);
    const real = await probe(url, { exchange: 'nova', topic: 'compat', server: 'py-1', timeoutMs: 10_000, namespace: 'baseapi', version: '1.1', method: 'ping' });
    expect(real.status, real.detail).toBe('alive');
    const simulated = await probe(url, { exchange: 'nova', topic: 'compute', server: 'node-1', timeoutMs: 10_000 });
    expect(simulated.status, simulated.detail).toBe('alive');
  });

  it('says which server stopped consuming its quorum queue, still connected', async () => {
    tracker.remember(await topology(), Date.now());
    realServer.kill('SIGUSR1');
    const f = await eventually(async () => {
      const t = buildTopology((await readBroker(client)).inputs);
      tracker.remember(t, Date.now());
      return findingsOf(t, tracker).find((x) => x.rule === 'rpc-server-unconsumed' && x.subject.type === 'queue' && x.subject.name === 'compat.py-1');
    }, 30_000, 1000);
    expect(f).toMatchObject({ severity: 'critical', host: 'py-1', component: 'nova' });
    expect(f.title).toMatch(/up but does nothing/);
    expect(String(f.evidence['connected processes'])).toContain(`pid ${realServer.pid}`);
  });
});
