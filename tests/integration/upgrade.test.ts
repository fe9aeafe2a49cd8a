// Upgrade readiness against the real broker (RabbitMQ 3.10, and 4.0 in the rabbitmq4 project): one
// cloud in two vhosts, one migrated (quorum, transient quorum, stream fanout, queue manager) and one
// not (transient classic queues), a service still asking for mirroring with x-ha-policy, a client
// with a global prefetch, an ha-all policy, which RabbitMQ 4.0 refuses, and a queue-master-locator
// policy and queue argument (deprecated in 4.0, the argument refused by 4.3). Beside the simulated
// services, a real oslo.messaging server in each: the machine's 14.0.3 with its defaults next to
// RabbitMQ 3.10; next to 4.0, Debian 13's 16.1.0 with its defaults, and with every modern option on
// in the migrated vhost (14.0.3 predates them).
import amqp, { type ChannelModel } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '@/lib/api/schemas';
import { upgradeResponse } from '@/lib/api/answers';
import { ManagementClient } from '@/lib/broker/management-client';
import { readBroker } from '@/lib/broker/read-broker';
import { buildTopology } from '@/lib/domain/topology';
import type { BrokerInputs } from '@/lib/domain/types';
import { parseVersion, type UpgradeReadiness, upgradeReadiness } from '@/lib/domain/upgrade';
import { stateOf } from '@/lib/testing/state';
import { type CloudHandle, startCloud } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { admin, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';
import { MODERN_RABBIT_OPTIONS, startOsloServer, stopOsloChildren } from '../helpers/oslo';

const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
const GLOBAL_PREFETCH = 5;
const POLICY = 'ha-all';
const LOCATOR_POLICY = 'locate-reports';
const LOCATOR_QUEUE = 'reports.jobs';

let legacy: string;
let migrated: string;
const clouds: CloudHandle[] = [];
const connections: ChannelModel[] = [];
let haReplyQueue: string;
/** The real oslo servers' own queues, which must be listed before the broker is judged. */
const realServerQueues: { vhost: string; name: string }[] = [];
/** What the broker answered to an ha-* policy: 3.x takes it, 4.0 refuses it. */
let policyAnswer: { status: number; reason: string };
let mirroringRemoved: boolean;
let locatorPolicyAnswer: { status: number; reason: string };
/** 4.3 denies queue-master-locator: it refuses the policy (400) and closes the connection on the argument (541). */
let locatorPermitted: boolean;

/** A cloud of one compute host and one controller, from addresses of its own. */
function smallCloud(name: string, octet: number, layout: Record<string, unknown>) {
  return parseScenario({
    name,
    layout,
    hosts: [{ name: `cmp-${name}`, address: `127.0.13.${octet}`, services: ['nova-compute'] }],
    controllers: [{ name: `ctl-${name}`, address: `127.0.13.${octet + 1}`, services: ['nova-conductor'] }],
    traffic: { notificationConsumer: false },
  });
}

/** The broker as a user allowed only these vhosts would read it: the test's own cloud, nobody else's. */
function onlyVhosts(inputs: BrokerInputs, vhosts: readonly string[]): BrokerInputs {
  const ours = (x: { vhost: string }) => vhosts.includes(x.vhost);
  const conns = inputs.connections.filter(ours);
  const connNames = new Set(conns.map((c) => c.name));
  return {
    ...inputs,
    vhosts: inputs.vhosts.filter((v) => vhosts.includes(v)),
    exchanges: inputs.exchanges.filter(ours),
    queues: inputs.queues.filter(ours),
    bindings: inputs.bindings.filter(ours),
    consumers: inputs.consumers.filter(ours),
    connections: conns,
    channels: inputs.channels.filter((ch) => connNames.has(ch.connectionName)),
    policies: inputs.policies?.filter(ours) ?? null,
  };
}

/** A read once every consumer and connection of ours is listed, and (3.x) the global prefetch is reported. */
function settled(): Promise<BrokerInputs> {
  const processes = clouds.flatMap((c) => c.describe());
  const consumers = processes.reduce((n, p) => n + Object.keys(p.consuming).length, 0) + connections.length;
  return eventually(async () => {
    const inputs = onlyVhosts((await readBroker(client)).inputs, [legacy, migrated]);
    const listed =
      inputs.consumers.length >= consumers &&
      inputs.connections.length >= processes.length + connections.length &&
      realServerQueues.every((q) => inputs.consumers.some((c) => c.vhost === q.vhost && c.queue === q.name));
    const prefetchShown = mirroringRemoved || inputs.channels.some((ch) => ch.globalPrefetchCount === GLOBAL_PREFETCH);
    return listed && prefetchShown ? inputs : null;
  }, 60_000);
}

let inputs: BrokerInputs;
let r: UpgradeReadiness;
/** 3.10, 4.0 or 4.3: the brokers of the suite. */
let series: string | null;

beforeAll(async () => {
  const version = parseVersion((await client.overview()).rabbitmq_version);
  mirroringRemoved = version !== null && version[0] >= 4;
  series = version === null ? null : version.join('.');
  locatorPermitted = version !== null && (version[0] < 4 || (version[0] === 4 && version[1] < 3));
  legacy = await createTestVhost('upgrade-legacy');
  migrated = await createTestVhost('upgrade-migrated');

  const put = await admin.put(
    `/api/policies/${encodeURIComponent(legacy)}/${POLICY}`,
    { pattern: '^(?!amq\\.).*', definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' }, 'apply-to': 'queues', priority: 0 },
    { validateStatus: () => true },
  );
  policyAnswer = { status: put.status, reason: JSON.stringify(put.data ?? '') };
  const locatorPut = await admin.put(
    `/api/policies/${encodeURIComponent(legacy)}/${LOCATOR_POLICY}`,
    { pattern: '^reports\\.', definition: { 'queue-master-locator': 'min-masters' }, 'apply-to': 'queues', priority: 1 },
    { validateStatus: () => true },
  );
  locatorPolicyAnswer = { status: locatorPut.status, reason: JSON.stringify(locatorPut.data ?? '') };

  clouds.push(await startCloud(smallCloud('legacy', 1, {}), { amqpUrl: amqpUrl(legacy), traffic: false }));
  clouds.push(
    await startCloud(smallCloud('migrated', 3, { quorumQueues: true, transientQuorumQueues: true, useQueueManager: true, streamFanout: true, prefetchCount: 10 }), {
      amqpUrl: amqpUrl(migrated),
      traffic: false,
    }),
  );

  // heat-engine with rabbit_ha_queues = true: its reply queue carries x-ha-policy.
  const heat = await amqp.connect(amqpUrl(legacy), { clientProperties: { connection_name: `heat-engine:4242:${randomUUID()}` } });
  connections.push(heat);
  const heatChannel = await heat.createChannel();
  haReplyQueue = `reply_${randomBytes(16).toString('hex')}`;
  await heatChannel.assertQueue(haReplyQueue, { durable: false, autoDelete: false, exclusive: false, arguments: { 'x-expires': 1_800_000, 'x-ha-policy': 'all' } });
  await heatChannel.consume(haReplyQueue, () => {}, { noAck: true });

  // A client of its own sharing one prefetch over its channel's consumers (global QoS).
  const billing = await amqp.connect(amqpUrl(legacy), { clientProperties: { connection_name: 'legacy-billing-worker' } });
  connections.push(billing);
  const billingChannel = await billing.createChannel();
  await billingChannel.prefetch(GLOBAL_PREFETCH, true);
  const own = await billingChannel.assertQueue('', { exclusive: true });
  await billingChannel.consume(own.queue, () => {});

  // A client of its own placing its queue's master with x-queue-master-locator, as written for 3.x.
  if (locatorPermitted) {
    const reports = await amqp.connect(amqpUrl(legacy), { clientProperties: { connection_name: 'reports-worker' } });
    connections.push(reports);
    const reportsChannel = await reports.createChannel();
    await reportsChannel.assertQueue(LOCATOR_QUEUE, { durable: true, arguments: { 'x-queue-master-locator': 'min-masters' } });
    await reportsChannel.consume(LOCATOR_QUEUE, () => {}, { noAck: true });
  }

  await startOsloServer(legacy, 'nova', 'compat', 'py-legacy');
  realServerQueues.push({ vhost: legacy, name: 'compat.py-legacy' });
  if (mirroringRemoved) {
    await startOsloServer(migrated, 'nova', 'compat', 'py-migrated', MODERN_RABBIT_OPTIONS);
    realServerQueues.push({ vhost: migrated, name: 'compat.py-migrated' });
  }

  inputs = await settled();
  r = upgradeReadiness({ topology: buildTopology(inputs), inputs });
});

afterAll(async () => {
  await stopOsloChildren();
  for (const c of connections) await c.close().catch(() => {});
  for (const c of clouds) await c.stop();
  if (legacy) await admin.delete(`/api/policies/${encodeURIComponent(legacy)}/${POLICY}`, { validateStatus: () => true });
  if (legacy) await admin.delete(`/api/policies/${encodeURIComponent(legacy)}/${LOCATOR_POLICY}`, { validateStatus: () => true });
  if (legacy) await deleteTestVhost(legacy);
  if (migrated) await deleteTestVhost(migrated);
});

describe('upgrade readiness of a cloud half migrated, read from the broker', () => {
  it('mirroring: RabbitMQ 3.x lists the ha-* policy and the queues it matches; 4.0 refuses such a policy', () => {
    expect(r.mirroring.removedHere).toBe(mirroringRemoved);
    if (mirroringRemoved) {
      expect(policyAnswer.status).toBe(400);
      expect(policyAnswer.reason).toContain('not recognised policy settings');
      expect(r.mirroring.policies).toEqual([]);
      expect(r.mirroring.summary).toContain('This RabbitMQ has no classic mirroring');
    } else {
      expect(policyAnswer.status).toBeLessThan(300);
      const [policy, ...others] = r.mirroring.policies ?? [];
      expect(others).toEqual([]);
      // Every queue of the legacy vhost is classic, and the pattern spares only amq.* names (the exclusive queue).
      const classic = inputs.queues.filter((q) => q.vhost === legacy && !q.exclusive);
      expect(policy).toMatchObject({ vhost: legacy, name: POLICY, haKeys: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' }, otherKeys: [], matchedQueues: classic.length });
      expect(r.mirroring.summary).toContain('RabbitMQ 4.0 refuses ha-* keys');
    }
  });

  it('mirroring: the service whose queues carry x-ha-policy, on either version (4.0 takes the argument and ignores it)', () => {
    expect(r.mirroring.status).toBe('to-change');
    expect(r.mirroring.haArgumentQueues).toEqual([
      {
        vhost: legacy,
        binary: 'heat-engine',
        component: null,
        count: 1,
        byKind: { reply: 1 },
        options: [
          { name: 'rabbit_ha_queues', value: false },
          { name: 'rabbit_transient_quorum_queue', value: true },
        ],
        examples: [haReplyQueue],
      },
    ]);
  });

  it('transient queues: the legacy vhost\'s services, with the options to set; none in the migrated vhost', () => {
    const byService = Object.fromEntries(r.transientQueues.services.map((s) => [`${s.binary}@${s.vhost}`, s]));
    expect(Object.keys(byService).sort()).toEqual([`heat-engine@${legacy}`, `nova-compute@${legacy}`, `nova-conductor@${legacy}`, `oslo_server.py@${legacy}`]);
    const compute = byService[`nova-compute@${legacy}`]!;
    expect(compute.options.map((o) => o.name)).toEqual(['rabbit_quorum_queue', 'rabbit_transient_quorum_queue']);
    expect(compute.byKind).toMatchObject({ 'rpc-server': 1, 'rpc-fanout': 1, reply: 1 });
    const legacyTransient = inputs.queues.filter((q) => q.vhost === legacy && !q.durable && !q.exclusive).length;
    expect(r.transientQueues.total).toBe(legacyTransient);
  });

  it('deprecated features: not reported by 3.10; 4.0 reports transient non-exclusive queues, explained by that check', () => {
    if (mirroringRemoved) {
      expect(r.deprecatedFeatures.features).toContainEqual(expect.objectContaining({ name: 'transient_nonexcl_queues', explainedBy: 'transient-queues' }));
    } else {
      expect(r.deprecatedFeatures).toMatchObject({ status: 'not-known', features: null, summary: 'This broker does not report them (before 3.13).' });
    }
  });

  it('global QoS: 3.x names the process; RabbitMQ 4 no longer reports it', () => {
    if (mirroringRemoved) {
      expect(r.globalQos).toMatchObject({ status: 'not-known', users: null });
    } else {
      expect(r.globalQos.users).toEqual([expect.objectContaining({ binary: 'legacy-billing-worker', channels: 1, globalPrefetchCount: GLOBAL_PREFETCH })]);
    }
  });

  it('queue-master-locator: the policy with the classic queue it matches, and the client that declared the argument (4.3 refuses both)', () => {
    const check = r.queueMasterLocator;
    if (!locatorPermitted) {
      expect(locatorPolicyAnswer.status).toBe(400);
      expect(locatorPolicyAnswer.reason).toMatch(/queue-master-locator.*not permitted/);
      expect(check).toMatchObject({ status: 'clear', changes: 0, policies: [], queues: [] });
      return;
    }
    expect(locatorPolicyAnswer.status, locatorPolicyAnswer.reason).toBeLessThan(300);
    expect(check).toMatchObject({ status: 'to-change', stop: '4.3', changes: 2 });
    expect(check.policies).toEqual([
      { vhost: legacy, name: LOCATOR_POLICY, pattern: '^reports\\.', applyTo: 'queues', value: 'min-masters', leaderLocator: 'balanced', matchedQueues: 1, examples: [LOCATOR_QUEUE] },
    ]);
    expect(check.queues).toEqual([{ vhost: legacy, binary: 'reports-worker', component: null, count: 1, byKind: { other: 1 }, options: [], examples: [LOCATOR_QUEUE] }]);
    expect(check.remedy).toContain('queue-leader-locator');
  });

  it('per service: the migrated vhost has every option on, the legacy one none', () => {
    const adoption = (binary: string, vhost: string) => {
      const row = r.services.find((s) => s.binary === binary && s.vhost === vhost);
      return row && Object.fromEntries(Object.entries(row.options).map(([o, a]) => [o, a.adoption]));
    };
    for (const binary of ['nova-compute', 'nova-conductor']) {
      expect(adoption(binary, migrated)).toEqual({ rabbit_quorum_queue: 'yes', rabbit_transient_quorum_queue: 'yes', rabbit_stream_fanout: 'yes', use_queue_manager: 'yes' });
      expect(adoption(binary, legacy)).toEqual({ rabbit_quorum_queue: 'no', rabbit_transient_quorum_queue: 'no', rabbit_stream_fanout: 'no', use_queue_manager: 'no' });
    }
  });

  it('a real oslo.messaging server: with its defaults it has moved nowhere and declares a transient fanout queue; with the modern options, everywhere it shows', () => {
    const row = (vhost: string) => r.services.find((s) => s.binary === 'oslo_server.py' && s.vhost === vhost);
    const adoption = (vhost: string) => Object.fromEntries(Object.entries(row(vhost)?.options ?? {}).map(([o, a]) => [o, a.adoption]));
    expect(adoption(legacy)).toMatchObject({ rabbit_quorum_queue: 'no', rabbit_transient_quorum_queue: 'no', rabbit_stream_fanout: 'no' });
    const transient = r.transientQueues.services.find((s) => s.binary === 'oslo_server.py' && s.vhost === legacy);
    expect(transient?.byKind['rpc-fanout']).toBe(1);
    expect(transient?.options.map((o) => o.name)).toContain('rabbit_transient_quorum_queue');
    if (mirroringRemoved) {
      // A server that makes no calls has no reply queue and, with a fanout stream, no fanout queue of its own: nothing says whether it runs the queue manager.
      expect(adoption(migrated)).toEqual({ rabbit_quorum_queue: 'yes', rabbit_transient_quorum_queue: 'yes', rabbit_stream_fanout: 'yes', use_queue_manager: 'not-known' });
      expect(r.transientQueues.services.some((s) => s.binary === 'oslo_server.py' && s.vhost === migrated)).toBe(false);
    }
  });

  it('counts what to change by the version that needs it', () => {
    const transientChanges = r.transientQueues.changes;
    if (series === '3.10') {
      expect(r.nextStop).toBe('4.0');
      expect(r.changes).toEqual({
        before: [
          { stop: '4.0', count: 1 },
          { stop: '4.3', count: transientChanges + 1 + r.queueMasterLocator.changes },
        ],
        now: 0,
        later: 1,
      });
    } else if (series === '4.0') {
      expect(r.nextStop).toBe('4.3');
      expect(r.changes).toEqual({ before: [{ stop: '4.3', count: transientChanges + r.queueMasterLocator.changes }], now: 0, later: 1 });
    } else {
      // 4.3 denies by default what the legacy vhost still declares: past due, nothing ahead.
      expect(r.nextStop).toBeNull();
      expect(r.changes.before).toEqual([]);
      expect(r.changes.now).toBeGreaterThanOrEqual(transientChanges);
      expect(transientChanges).toBeGreaterThan(0);
    }
  });

  it('places the broker on the in-place path 3.10 → … → 4.3, with what each hop left takes away', () => {
    const hops = r.path.hops.map((h) => h.to);
    const ahead = { '3.10': ['3.11', '3.12', '3.13', '4.0', '4.1', '4.2', '4.3'], '4.0': ['4.1', '4.2', '4.3'], '4.3': [] }[series as '3.10' | '4.0' | '4.3'];
    expect({ current: r.path.current, hops }).toEqual({ current: series, hops: ahead });
    for (const stop of r.changes.before) expect(r.path.hops.find((h) => h.to === stop.stop)).toMatchObject({ removes: stop.stop, changes: stop.count });
    expect(r.path.hops.find((h) => h.to === '4.3')?.needs ?? 'khepri_db').toMatch(/khepri_db/);
    // A 3.x cluster is told it cannot jump to 4.3 in place; a 4.x one needs no such warning.
    if (series === '3.10') expect(r.path.note).toMatch(/4\.3 cannot be reached from 3\.10 in place: it upgrades only from 4\.2/);
    else expect(r.path.note).toBeNull();
  });

  it('the API answer is what its schema describes (the browser refuses anything else)', () => {
    const status: api.SnapshotStatus = { fetchedAt: 0, stale: false, refreshing: false, error: null, refreshIntervalMs: 0 };
    const answer = upgradeResponse(stateOf(inputs), status);
    expect(api.upgradeResponse.parse(answer)).toEqual(answer);
    if (locatorPermitted) {
      expect(answer.queueMasterLocator).toMatchObject({ id: 'queue-master-locator', status: 'to-change', policies: [{ name: LOCATOR_POLICY, value: 'min-masters', leaderLocator: 'balanced' }] });
      expect(answer.queueMasterLocator.queues.map((g) => g.binary)).toEqual(['reports-worker']);
    }
  });
});
