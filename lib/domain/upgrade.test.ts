import { describe, expect, it } from 'vitest';
import { emptyInputs, makeBinding, makeConnection, makeConsumer, makeExchange, makeQueue } from '@/lib/testing/builders';
import { buildTopology } from './topology';
import type { BrokerInputs, ChannelInput, PolicyInput, QueueInput } from './types';
import { parseVersion, upgradeReadiness } from './upgrade';

const UUID = '5720bf7e-7bad-4af4-84f1-7fba0c68b74b';
const hex = (c: string) => c.repeat(32);

const quorum = (name: string, o: Partial<QueueInput> = {}) => makeQueue({ name, type: 'quorum', durable: true, ...o });
const transient = (name: string, o: Partial<QueueInput> = {}) => makeQueue({ name, durable: false, ...o });
const haAll = { 'x-ha-policy': 'all' };

const channel = (connectionName: string, globalPrefetchCount: number | null | undefined): ChannelInput => ({
  name: `${connectionName} (1)`,
  connectionName,
  number: 1,
  prefetchCount: 0,
  state: 'running',
  consumerCount: 1,
  messagesUnacknowledged: 0,
  rates: null,
  ...(globalPrefetchCount === undefined ? {} : { globalPrefetchCount }),
});

const policy = (name: string, pattern: string, definition: Record<string, unknown>, applyTo = 'all'): PolicyInput => ({ vhost: '/', name, pattern, applyTo, priority: 0, definition });

/**
 * One vhost, three stages of migration:
 * - nova-conductor on ctl1 moved entirely: quorum topic and server queues, a quorum reply queue with a queue-manager
 *   name, the compute topic's stream fanout;
 * - nova-compute half-way: cmp1 as the conductor, cmp2 still on transient classic queues with 32-hex names;
 * - neutron-openvswitch-agent not at all, and with rabbit_ha_queues (x-ha-policy) on; net2's server queue lost its consumer.
 * Besides: a nova-api that only publishes, a reply queue whose process is gone, and a client of its own (billing-worker)
 * with a transient queue and a global prefetch.
 */
function mixedCloud(o: { version?: string | null; global?: 'reported' | 'not-reported'; policies?: PolicyInput[] | null; deprecated?: BrokerInputs['deprecatedFeatures'] } = {}): BrokerInputs {
  const agentTopic = 'q-agent-notifier-port-update';
  const queues = [
    quorum('conductor'),
    quorum('conductor.ctl1'),
    makeQueue({ name: 'conductor_fanout', type: 'stream', durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } }),
    quorum('reply_ctl1:nova-conductor:1'),
    quorum('compute'),
    quorum('compute.cmp1'),
    makeQueue({ name: 'compute_fanout', type: 'stream', durable: true }),
    quorum('reply_cmp1:nova-compute:1'),
    transient('compute.cmp2'),
    transient(`compute_fanout_${hex('2')}`, { arguments: { 'x-expires': 1_800_000 } }),
    transient(`reply_${hex('a')}`, { arguments: { 'x-expires': 1_800_000 } }),
    transient(agentTopic, { arguments: haAll }),
    transient(`${agentTopic}.net1`, { arguments: haAll }),
    transient(`${agentTopic}.net2`),
    transient(`${agentTopic}_fanout_${hex('3')}`, { arguments: { ...haAll, 'x-expires': 1_800_000 } }),
    transient(`reply_${hex('b')}`, { arguments: { ...haAll, 'x-expires': 1_800_000 } }),
    transient(`reply_${hex('c')}`, { arguments: { 'x-expires': 1_800_000 } }),
    transient('billing.jobs'),
    transient('amq.gen-JzTY20BRgKO-HjmUJj0wLg', { exclusive: true }),
  ];
  const consumed: Record<string, string[]> = {
    'c-ctl1': ['conductor', 'conductor.ctl1', 'conductor_fanout', 'reply_ctl1:nova-conductor:1'],
    'c-cmp1': ['compute', 'compute.cmp1', 'compute_fanout', 'reply_cmp1:nova-compute:1'],
    'c-cmp2': ['compute', 'compute.cmp2', `compute_fanout_${hex('2')}`, `reply_${hex('a')}`],
    'c-net1': [agentTopic, `${agentTopic}.net1`, `${agentTopic}_fanout_${hex('3')}`, `reply_${hex('b')}`],
    'c-billing': ['billing.jobs', 'amq.gen-JzTY20BRgKO-HjmUJj0wLg'],
  };
  const oslo = (name: string, binary: string, pid: number, peerHost: string) => makeConnection({ name, peerHost, clientConnectionName: `${binary}:${pid}:${UUID}` });
  const inputs = emptyInputs({
    exchanges: [
      makeExchange({ name: 'nova', durable: true }),
      makeExchange({ name: 'neutron' }),
      makeExchange({ name: 'conductor_fanout', type: 'fanout', autoDelete: true }),
      makeExchange({ name: 'compute_fanout', type: 'fanout', autoDelete: true }),
      makeExchange({ name: `${agentTopic}_fanout`, type: 'fanout', autoDelete: true }),
    ],
    queues,
    bindings: [
      ...['conductor', 'conductor.ctl1', 'compute', 'compute.cmp1', 'compute.cmp2'].map((q) => makeBinding('nova', q)),
      ...[agentTopic, `${agentTopic}.net1`, `${agentTopic}.net2`].map((q) => makeBinding('neutron', q)),
      makeBinding('conductor_fanout', 'conductor_fanout', 'conductor'),
      makeBinding('compute_fanout', 'compute_fanout', 'compute'),
      makeBinding('compute_fanout', `compute_fanout_${hex('2')}`, 'compute'),
      makeBinding(`${agentTopic}_fanout`, `${agentTopic}_fanout_${hex('3')}`, agentTopic),
    ],
    connections: [
      oslo('c-ctl1', 'nova-conductor', 11, '10.0.0.11'),
      oslo('c-cmp1', 'nova-compute', 21, '10.0.0.21'),
      oslo('c-cmp2', 'nova-compute', 22, '10.0.0.22'),
      oslo('c-net1', 'neutron-openvswitch-agent', 31, '10.0.0.31'),
      oslo('c-api', 'nova-api', 41, '10.0.0.41'),
      makeConnection({ name: 'c-billing', peerHost: '10.0.0.99', clientConnectionName: 'billing-worker', product: 'amqplib' }),
    ],
    consumers: Object.entries(consumed).flatMap(([conn, names]) => names.map((q) => makeConsumer(q, conn))),
    channels: ['c-ctl1', 'c-cmp1', 'c-cmp2', 'c-net1', 'c-api', 'c-billing'].map((c) =>
      channel(c, o.global === 'not-reported' ? undefined : c === 'c-billing' ? 10 : 0),
    ),
    policies:
      o.policies === undefined
        ? [
            policy('ha-all', '^(?!amq\\.).*', { 'ha-mode': 'all', 'ha-sync-mode': 'automatic', 'max-length': 100_000 }),
            policy('ha-two-nocase', '(?i)^q-', { 'ha-mode': 'exactly', 'ha-params': 2 }, 'queues'),
            policy('ttl', '^notifications', { 'message-ttl': 60_000 }),
          ]
        : o.policies,
    deprecatedFeatures: o.deprecated,
  });
  inputs.overview = { ...inputs.overview, rabbitmqVersion: o.version === undefined ? '3.10.8' : o.version };
  return inputs;
}

const readiness = (inputs: BrokerInputs) => upgradeReadiness({ topology: buildTopology(inputs), inputs });

describe('upgrade readiness of a cloud half migrated, on RabbitMQ 3.10', () => {
  const r = readiness(mixedCloud());

  it('lists the policies with ha-* keys, what they would keep, and the classic queues they match', () => {
    expect(r.mirroring.status).toBe('to-change');
    expect(r.mirroring.removedHere).toBe(false);
    expect(r.mirroring.policies?.map((p) => p.name)).toEqual(['ha-all', 'ha-two-nocase']);
    const all = r.mirroring.policies![0]!;
    expect(all.haKeys).toEqual({ 'ha-mode': 'all', 'ha-sync-mode': 'automatic' });
    expect(all.otherKeys).toEqual(['max-length']);
    // Every classic queue of the vhost but the exclusive one; quorum queues and streams were never mirrored.
    expect(all.matchedQueues).toBe(10);
    expect(all.examples).toEqual(['compute.cmp2', `compute_fanout_${hex('2')}`, `reply_${hex('a')}`]);
    expect(r.mirroring.summary).toContain('RabbitMQ 4.0 refuses ha-* keys');
  });

  it('says when a policy pattern is not one JavaScript reads, rather than matching nothing', () => {
    expect(r.mirroring.policies![1]).toMatchObject({ name: 'ha-two-nocase', matchedQueues: null, examples: [] });
  });

  it('tells x-ha-policy queues per service, with the options that replace it', () => {
    expect(r.mirroring.haArgumentQueues).toEqual([
      {
        vhost: '/',
        binary: 'neutron-openvswitch-agent',
        component: 'neutron',
        count: 4,
        byKind: { 'rpc-topic': 1, 'rpc-server': 1, 'rpc-fanout': 1, reply: 1 },
        options: [
          { name: 'rabbit_ha_queues', value: false },
          { name: 'rabbit_quorum_queue', value: true },
          { name: 'rabbit_transient_quorum_queue', value: true },
        ],
        examples: ['q-agent-notifier-port-update', 'q-agent-notifier-port-update.net1', `q-agent-notifier-port-update_fanout_${hex('3')}`],
      },
    ]);
  });

  it('names the services still declaring transient queues, how many, and what to set; the rest as clients not known', () => {
    const t = r.transientQueues;
    expect(t.status).toBe('to-change');
    expect(t.total).toBe(10);
    expect(t.services.map((s) => [s.binary, s.count, s.options.map((o) => o.name)])).toEqual([
      // net2's server queue has no consumer: its topic's servers own it.
      ['neutron-openvswitch-agent', 5, ['rabbit_quorum_queue', 'rabbit_transient_quorum_queue']],
      ['nova-compute', 3, ['rabbit_quorum_queue', 'rabbit_transient_quorum_queue']],
      ['billing-worker', 1, []],
      [null, 1, ['rabbit_transient_quorum_queue']],
    ]);
    expect(t.services[3]!.examples).toEqual([`reply_${hex('c')}`]);
    expect(t.changes).toBe(4);
  });

  it('says this broker does not report deprecated features', () => {
    expect(r.deprecatedFeatures).toMatchObject({ status: 'not-known', features: null, changes: 0, summary: 'This broker does not report them (before 3.13).' });
  });

  it('names the process behind a channel with a global prefetch', () => {
    expect(r.globalQos.status).toBe('to-change');
    expect(r.globalQos.users).toEqual([{ processId: 'c-billing', binary: 'billing-worker', host: null, connections: ['c-billing'], channels: 1, globalPrefetchCount: 10 }]);
  });

  it('shows per service how far it moved: all of it, part of it, none of it, or nothing to tell', () => {
    const row = (binary: string) => {
      const s = r.services.find((x) => x.binary === binary)!;
      return Object.fromEntries(Object.entries(s.options).map(([o, a]) => [o, `${a.adoption} ${a.migrated}/${a.of}`]));
    };
    expect(r.services.map((s) => [s.binary, s.component, s.processes, s.transientQueues])).toEqual([
      ['neutron-openvswitch-agent', 'neutron', 1, 5],
      ['nova-api', 'nova', 1, 0],
      ['nova-compute', 'nova', 2, 3],
      ['nova-conductor', 'nova', 1, 0],
    ]);
    expect(row('nova-conductor')).toEqual({
      rabbit_quorum_queue: 'yes 2/2',
      // Its reply queue, and the fanout stream (oslo refuses stream fanout without transient quorum).
      rabbit_transient_quorum_queue: 'yes 2/2',
      rabbit_stream_fanout: 'yes 1/1',
      use_queue_manager: 'yes 1/1',
    });
    expect(row('nova-compute')).toEqual({
      rabbit_quorum_queue: 'partly 2/3',
      rabbit_transient_quorum_queue: 'partly 2/4',
      rabbit_stream_fanout: 'partly 1/2',
      use_queue_manager: 'partly 1/3',
    });
    expect(row('neutron-openvswitch-agent')).toEqual({
      rabbit_quorum_queue: 'no 0/3',
      rabbit_transient_quorum_queue: 'no 0/2',
      rabbit_stream_fanout: 'no 0/1',
      use_queue_manager: 'no 0/2',
    });
    expect(row('nova-api')).toEqual({
      rabbit_quorum_queue: 'not-known 0/0',
      rabbit_transient_quorum_queue: 'not-known 0/0',
      rabbit_stream_fanout: 'not-known 0/0',
      use_queue_manager: 'not-known 0/0',
    });
  });

  it('counts what to change before 4.0, before 4.3, and what no version refuses', () => {
    expect(r.nextStop).toBe('4.0');
    expect(r.changes).toEqual({
      before: [
        { stop: '4.0', count: 2 },
        { stop: '4.3', count: 5 },
      ],
      now: 0,
      later: 1,
    });
  });
});

describe('upgrade readiness on RabbitMQ 4.0', () => {
  const deprecated = [{ name: 'transient_nonexcl_queues', phase: 'permitted_by_default', docUrl: 'https://blog.rabbitmq.com/posts/2021/08/4.0-deprecation-announcements/' }];
  // RabbitMQ 4.0 refuses ha-* policy keys (400 on PUT): no such policy can be there.
  const r = readiness(mixedCloud({ version: '4.0.5', global: 'not-reported', policies: [], deprecated }));

  it('says mirroring is gone here, and still names the services asking for it', () => {
    expect(r.mirroring).toMatchObject({ removedHere: true, policies: [], status: 'to-change' });
    expect(r.mirroring.summary).toMatch(/^This RabbitMQ has no classic mirroring .* 4 queues still ask for mirroring with x-ha-policy/);
    expect(r.mirroring.haArgumentQueues.map((g) => g.binary)).toEqual(['neutron-openvswitch-agent']);
  });

  it('lists the deprecated features the broker reports, each with the check that explains it, counted once', () => {
    expect(r.deprecatedFeatures.features).toEqual([{ ...deprecated[0], explainedBy: 'transient-queues' }]);
    expect(r.deprecatedFeatures).toMatchObject({ status: 'to-change', changes: 0 });
  });

  it('says global QoS is not known where the broker no longer reports it', () => {
    expect(r.globalQos).toMatchObject({ status: 'not-known', users: null, changes: 0 });
  });

  it('looks ahead to 4.3 only', () => {
    expect(r.nextStop).toBe('4.3');
    expect(r.changes).toEqual({ before: [{ stop: '4.3', count: 4 }], now: 0, later: 1 });
  });

  it('reads the default queue type where the broker gives it', () => {
    const inputs = mixedCloud({ version: '4.0.5', global: 'not-reported', policies: [] });
    inputs.overview = { ...inputs.overview, defaultQueueType: 'quorum' };
    expect(readiness(inputs).defaultQueueType).toBe('quorum');
    expect(r.defaultQueueType).toBeNull();
  });
});

describe('upgrade readiness, other brokers', () => {
  it('a cloud fully migrated on 4.0: mirroring gone, nothing transient, nothing deprecated', () => {
    const inputs = mixedCloud({ version: '4.0.5', global: 'not-reported', policies: [], deprecated: [] });
    inputs.queues = inputs.queues.filter((q) => q.durable || q.exclusive);
    const r = readiness(inputs);
    expect(r.mirroring.status).toBe('clear');
    expect(r.mirroring.summary).toContain('has no classic mirroring');
    expect(r.transientQueues.status).toBe('clear');
    expect(r.deprecatedFeatures.status).toBe('clear');
    expect(r.changes).toEqual({ before: [{ stop: '4.3', count: 0 }], now: 0, later: 0 });
  });

  it('on 4.3 what is left is past due: denied by default, there by configuration', () => {
    const r = readiness(mixedCloud({ version: '4.3.0', global: 'not-reported', policies: [], deprecated: [{ name: 'global_qos', phase: 'denied_by_default', docUrl: null }] }));
    expect(r.nextStop).toBeNull();
    expect(r.transientQueues.summary).toContain('deprecated_features.permit.transient_nonexcl_queues');
    // The broker says a client uses global QoS, though no channel tells which.
    expect(r.globalQos).toMatchObject({ status: 'to-change', changes: 1, users: null });
    expect(r.changes).toEqual({ before: [], now: 5, later: 1 });
  });

  it('a broker of unknown version: every stop ahead, none named next', () => {
    const r = readiness(mixedCloud({ version: null }));
    expect(r.nextStop).toBeNull();
    expect(r.changes.before.map((b) => b.stop)).toEqual(['4.0', '4.3']);
    expect(r.deprecatedFeatures.summary).toContain('could not be read');
  });

  it('policies not read: mirroring not known unless a queue asks for it, or the version has none', () => {
    const inputs = mixedCloud({ policies: null });
    inputs.queues = inputs.queues.filter((q) => !('x-ha-policy' in q.arguments));
    expect(readiness(inputs).mirroring).toMatchObject({ status: 'not-known', policies: null, changes: 0 });
    inputs.overview = { ...inputs.overview, rabbitmqVersion: '4.0.5' };
    expect(readiness(inputs).mirroring).toMatchObject({ status: 'clear', policies: null, changes: 0 });
  });

  it('a policy for exchanges or quorum queues matches no queue it could mirror', () => {
    const r = readiness(mixedCloud({ policies: [policy('ha-x', '.*', { 'ha-mode': 'all' }, 'exchanges'), policy('ha-q', '.*', { 'ha-mode': 'all' }, 'quorum_queues')] }));
    expect(r.mirroring.policies?.map((p) => p.matchedQueues)).toEqual([0, 0]);
  });

  it('a notification listener is not of the component whose notifications it reads', () => {
    const inputs = mixedCloud();
    inputs.queues.push(transient('notifications.info'));
    inputs.bindings.push(makeBinding('nova', 'notifications.info'));
    inputs.connections.push(makeConnection({ name: 'c-ceilo', peerHost: '10.0.0.51', clientConnectionName: `ceilometer-agent-notification:51:${UUID}` }));
    inputs.consumers.push(makeConsumer('notifications.info', 'c-ceilo'));
    const r = readiness(inputs);
    const listener = r.services.find((s) => s.binary === 'ceilometer-agent-notification');
    expect(listener).toMatchObject({ component: null, transientQueues: 1, options: { rabbit_quorum_queue: { adoption: 'no', migrated: 0, of: 1 } } });
    expect(r.transientQueues.services.find((s) => s.binary === 'ceilometer-agent-notification')).toMatchObject({ component: null, options: [{ name: 'rabbit_quorum_queue', value: true }] });
  });

  it('no channel open: no global QoS in use, whatever the version', () => {
    const inputs = mixedCloud({ version: '4.0.5' });
    inputs.channels = [];
    expect(readiness(inputs).globalQos.status).toBe('clear');
  });
});

describe('queue-master-locator', () => {
  const locatorPolicy = policy('locate', '^billing\\.', { 'queue-master-locator': 'min-masters', 'max-length': 1000 }, 'queues');

  it('lists a policy with the key, its replacement and the classic queues it matches', () => {
    const r = readiness(mixedCloud({ policies: [locatorPolicy] }));
    expect(r.queueMasterLocator.policies).toEqual([
      { vhost: '/', name: 'locate', pattern: '^billing\\.', applyTo: 'queues', value: 'min-masters', leaderLocator: 'balanced', matchedQueues: 1, examples: ['billing.jobs'] },
    ]);
    expect(r.queueMasterLocator).toMatchObject({ status: 'to-change', stop: '4.3', changes: 1, queues: [] });
    expect(r.queueMasterLocator.summary).toContain('1 policy sets queue-master-locator, matching 1 classic queue.');
    expect(r.queueMasterLocator.summary).toContain('denied by default in 4.3');
    expect(r.queueMasterLocator.remedy).toContain('replace queue-master-locator with queue-leader-locator');
    expect(r.queueMasterLocator.remedy).toContain('min-masters and random become balanced, client-local stays client-local');
    // One more change before 4.3 than the same cloud without the policy.
    expect(r.changes.before).toContainEqual({ stop: '4.3', count: 6 });
  });

  it('groups queues declared with x-queue-master-locator under the client that consumes them, with no oslo option', () => {
    const inputs = mixedCloud({ policies: [] });
    inputs.queues.push(makeQueue({ name: 'billing.reports', durable: true, arguments: { 'x-queue-master-locator': 'client-local' } }));
    inputs.consumers.push(makeConsumer('billing.reports', 'c-billing'));
    const r = readiness(inputs);
    expect(r.queueMasterLocator.queues).toEqual([{ vhost: '/', binary: 'billing-worker', component: null, count: 1, byKind: { other: 1 }, options: [], examples: ['billing.reports'] }]);
    expect(r.queueMasterLocator).toMatchObject({ status: 'to-change', changes: 1, policies: [] });
    expect(r.queueMasterLocator.summary).toContain('1 queue was declared with x-queue-master-locator by 1 client (not oslo.messaging');
    expect(r.queueMasterLocator.remedy).toContain('declare x-queue-leader-locator instead of x-queue-master-locator');
  });

  it('nothing found: clear', () => {
    const r = readiness(mixedCloud());
    expect(r.queueMasterLocator).toMatchObject({ status: 'clear', changes: 0, policies: [], queues: [], remedy: null });
    expect(r.queueMasterLocator.summary).toBe('No policy sets queue-master-locator and no queue was declared with x-queue-master-locator.');
  });

  it('policies not read: not known, unless a queue carries the argument', () => {
    const inputs = mixedCloud({ policies: null });
    expect(readiness(inputs).queueMasterLocator).toMatchObject({ status: 'not-known', policies: null, changes: 0 });
    inputs.queues.push(makeQueue({ name: 'billing.reports', durable: true, arguments: { 'x-queue-master-locator': 'random' } }));
    expect(readiness(inputs).queueMasterLocator).toMatchObject({ status: 'to-change', policies: null, changes: 1 });
  });

  it('on 4.3 it is past due: denied here, and the deprecated feature is explained by this check', () => {
    const deprecated = [{ name: 'queue_master_locator', phase: 'denied_by_default', docUrl: null }];
    const r = readiness(mixedCloud({ version: '4.3.6', global: 'not-reported', policies: [locatorPolicy], deprecated }));
    expect(r.queueMasterLocator.summary).toContain('This version denies queue_master_locator by default');
    expect(r.deprecatedFeatures.features).toEqual([{ ...deprecated[0], explainedBy: 'queue-master-locator' }]);
    expect(r.deprecatedFeatures.changes).toBe(0);
    // Transient queues (4 services) and this policy.
    expect(r.changes).toEqual({ before: [], now: 5, later: 1 });
  });
});

describe('parseVersion', () => {
  it('reads major and minor of what RabbitMQ reports', () => {
    expect(parseVersion('3.10.8')).toEqual([3, 10]);
    expect(parseVersion('4.1.0-beta.2')).toEqual([4, 1]);
    expect(parseVersion('3.13.7+1.g1234')).toEqual([3, 13]);
    expect(parseVersion(null)).toBeNull();
    expect(parseVersion('unknown')).toBeNull();
  });
});

describe('the in-place upgrade path', () => {
  const pathAt = (version: string | null) => upgradeReadiness({ topology: buildTopology(mixedCloud({ version })), inputs: mixedCloud({ version }) }).path;

  it('takes a 3.10 cluster one series at a time, counts before 4.0 and 4.3, and says 4.3 is out of reach in place', () => {
    const r = upgradeReadiness({ topology: buildTopology(mixedCloud()), inputs: mixedCloud() });
    expect(r.path.current).toBe('3.10');
    expect(r.path.hops.map((h) => h.to)).toEqual(['3.11', '3.12', '3.13', '4.0', '4.1', '4.2', '4.3']);
    expect(r.path.hops.filter((h) => h.removes !== null).map((h) => [h.to, h.changes])).toEqual(r.changes.before.map((b) => [b.stop, b.count]));
    expect(r.path.hops[1]?.needs).toMatch(/3\.11\.18/);
    expect(r.path.note).toMatch(/cannot be reached from 3\.10 in place: it upgrades only from 4\.2.*3\.10 → 3\.11 → 3\.12 → 3\.13 → 4\.0 → 4\.1 → 4\.2 → 4\.3/);
  });

  it('leaves a 4.2 cluster one hop, which needs Khepri; none past 4.3', () => {
    expect(pathAt('4.2.1')).toMatchObject({ current: '4.2', hops: [{ to: '4.3', removes: '4.3', needs: expect.stringMatching(/khepri_db/) }], note: null });
    expect(pathAt('4.3.6')).toEqual({ current: '4.3', hops: [], note: null });
    expect(pathAt('4.4.0')).toEqual({ current: null, hops: [], note: null });
  });

  it('sends a cluster older than 3.10 to 3.10 first, and says so when the version is not known', () => {
    expect(pathAt('3.8.9')).toMatchObject({ current: null, hops: [], note: expect.stringMatching(/older than 3\.10/) });
    expect(pathAt(null).note).toMatch(/did not say its version/);
  });
});
