import { describe, expect, it } from 'vitest';
import type { BrokerInputs, HistorySample, NodeInput, QueueInput } from '../types';
import { emptyInputs, makeConnection, makeConsumer, makeQueue, osloServer } from '@/lib/testing/builders';
import { buildTopology } from '../topology';
import { evaluateRules, FindingTracker } from './engine';
import { DEFAULT_THRESHOLDS, type Memory, type RuleId } from './types';

const HEX = '0123456789abcdef0123456789abcdef';
const NOW = 1_000_000;
const noMemory: Memory = { lastConsumers: () => [], processHost: () => null, servicesSeen: () => [] };
const computeConn = makeConnection({ name: 'c1', peerHost: '10.0.0.7', clientConnectionName: 'nova-compute:4242:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' });

/** A healthy nova-compute on node-7: consumes its shared, per-server, fanout and reply queues. */
function healthy(overrides: (inputs: BrokerInputs) => void = () => undefined): BrokerInputs {
  const nova = osloServer('nova', 'compute', 'node-7', HEX);
  const inputs = emptyInputs({
    ...nova,
    queues: [
      ...nova.queues.map((q) => ({ ...q, consumers: 1 })),
      makeQueue({ name: `reply_${HEX}`, consumers: 1, arguments: { 'x-expires': 1_800_000 } }),
    ],
    connections: [computeConn],
    consumers: ['compute', 'compute.node-7', `compute_fanout_${HEX}`, `reply_${HEX}`].map((q) => makeConsumer(q, 'c1')),
  });
  overrides(inputs);
  return inputs;
}

function queue(inputs: BrokerInputs, name: string, patch: Partial<QueueInput>) {
  inputs.queues = inputs.queues.map((q) => (q.name === name ? { ...q, ...patch } : q));
}

function dropConsumer(inputs: BrokerInputs, name: string) {
  queue(inputs, name, { consumers: 0 });
  inputs.consumers = inputs.consumers.filter((c) => c.queue !== name);
}

function run(inputs: BrokerInputs, opts: { history?: Record<string, HistorySample[]>; memory?: Memory; only?: RuleId } = {}) {
  return evaluateRules(
    {
      topology: buildTopology(inputs),
      queueHistory: (_v, name) => opts.history?.[name] ?? [],
      thresholds: DEFAULT_THRESHOLDS,
      now: NOW,
      memory: opts.memory ?? noMemory,
    },
    opts.only ? [opts.only] : undefined,
  );
}

const sample = (t: number, ready: number, unacknowledged: number, ack: number): HistorySample => ({
  t, ready, unacknowledged, publish: 1, deliver: ack, ack, redeliver: 0,
});

describe('a healthy cloud', () => {
  it('has no finding at all', () => {
    const steady = [0, 15_000, 30_000, 45_000, 60_000].map((dt) => sample(NOW - 60_000 + dt, 0, 0, 1));
    expect(run(healthy(), { history: { 'compute.node-7': steady, compute: steady } })).toEqual([]);
  });
});

describe('rpc-server-unconsumed', () => {
  it('says the process is up but does nothing when it is still connected', () => {
    const inputs = healthy((i) => {
      dropConsumer(i, 'compute.node-7');
      queue(i, 'compute.node-7', { messagesReady: 4 });
    });
    const [f, ...rest] = run(inputs, { only: 'rpc-server-unconsumed' });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'rpc-server-unconsumed',
      severity: 'critical',
      subject: { type: 'queue', vhost: '/', name: 'compute.node-7' },
      host: 'node-7',
      component: 'nova',
      evidence: { waiting: 4 },
    });
    expect(f?.title).toMatch(/up but does nothing/);
    expect(f?.explanation).toMatch(/still connected/);
    expect(f?.explanation).toMatch(/openstack compute service list/);
  });

  it('finds the idle process through what earlier refreshes remembered', () => {
    const inputs = healthy((i) => {
      // Cancelled on every queue: nothing in this snapshot ties the process to node-7.
      for (const q of ['compute', 'compute.node-7', `compute_fanout_${HEX}`]) dropConsumer(i, q);
      i.connections = [{ ...computeConn, clientConnectionName: 'nova-computed:4242:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' }];
    });
    const id = 'nova-computed:4242@10.0.0.7';
    const memory: Memory = { lastConsumers: (_v, n) => (n === 'compute.node-7' ? [id] : []), processHost: () => 'node-7', servicesSeen: () => [] };
    expect(run(inputs, { only: 'rpc-server-unconsumed' })[0]?.title).toMatch(/is down/);
    expect(run(inputs, { only: 'rpc-server-unconsumed', memory })[0]?.title).toMatch(/up but does nothing/);
  });

  it('says the service is down when no process of it is connected', () => {
    const inputs = healthy((i) => {
      dropConsumer(i, 'compute.node-7');
      i.connections = [];
      i.consumers = [];
    });
    const [f] = run(inputs, { only: 'rpc-server-unconsumed' });
    expect(f?.title).toMatch(/down/);
    expect(f?.severity).toBe('warning'); // nothing waiting yet
  });
});

describe('rpc-topic-unconsumed', () => {
  it('fires for a shared topic queue without consumer', () => {
    const inputs = healthy((i) => {
      dropConsumer(i, 'compute');
      queue(i, 'compute', { messagesReady: 2 });
    });
    const found = run(inputs, { only: 'rpc-topic-unconsumed' });
    expect(found.map((f) => f.subject)).toEqual([{ type: 'queue', vhost: '/', name: 'compute' }]);
    expect(found[0]?.evidence.waiting).toBe(2);
  });
});

describe('consumer-stuck', () => {
  const inputs = healthy((i) => queue(i, 'compute.node-7', { messagesUnacknowledged: 5, rates: { publish: 1, deliver: 0, ack: 0, redeliver: 0 } }));
  const window = [0, 20_000, 40_000, 60_000].map((dt, k) => sample(NOW - 60_000 + dt, 0, 2 + k, 0));

  it('fires when unacknowledged messages stay and no ack comes over the window', () => {
    const [f] = run(inputs, { only: 'consumer-stuck', history: { 'compute.node-7': window } });
    expect(f).toMatchObject({ severity: 'critical', subject: { name: 'compute.node-7' }, evidence: { unacknowledged: 5 } });
    expect(f?.title).toMatch(/nova-compute/);
  });

  it('stays silent when the last sample carries an ack', () => {
    const acked = window.map((s, k) => (k === 3 ? { ...s, ack: 0.2 } : s));
    expect(run(inputs, { only: 'consumer-stuck', history: { 'compute.node-7': acked } })).toEqual([]);
  });

  it('names a frozen oslo server after a few seconds: oslo acknowledges a request the moment it takes it', () => {
    const held = (ms: number) => [0, ms / 2, ms].map((dt) => sample(NOW - ms + dt, 0, 1, 0));
    expect(run(inputs, { only: 'consumer-stuck', history: { 'compute.node-7': held(DEFAULT_THRESHOLDS.heldMs - 1000) } })).toEqual([]);
    const [f] = run(inputs, { only: 'consumer-stuck', history: { 'compute.node-7': held(DEFAULT_THRESHOLDS.heldMs) } });
    expect(f?.title).toMatch(/nova-compute \(pid 4242.*holds 5 messages from compute.node-7 unacknowledged: stuck/);
    expect(f?.evidence['held for (s)']).toBe(6);
  });

  it('gives a notification listener, which acknowledges only once handled, the whole window', () => {
    const listener = healthy((i) => {
      i.queues.push(makeQueue({ name: 'notifications.info', consumers: 1, messagesUnacknowledged: 3, rates: { publish: 1, deliver: 0, ack: 0, redeliver: 0 } }));
      i.consumers.push(makeConsumer('notifications.info', 'c1'));
    });
    const short = [0, 10_000, 20_000].map((dt) => sample(NOW - 20_000 + dt, 0, 3, 0));
    expect(run(listener, { only: 'consumer-stuck', history: { 'notifications.info': short } })).toEqual([]);
    expect(run(listener, { only: 'consumer-stuck', history: { 'notifications.info': window } })).toHaveLength(1);
  });

  it('cannot judge without rates and says nothing', () => {
    const noRates = healthy((i) => queue(i, 'compute.node-7', { messagesUnacknowledged: 5, rates: null }));
    expect(run(noRates, { only: 'consumer-stuck', history: { 'compute.node-7': window } })).toEqual([]);
  });
});

describe('backlog-growing', () => {
  const inputs = healthy((i) => queue(i, 'compute', { messagesReady: 40 }));
  it('fires when ready messages rise over the window on a consumed queue', () => {
    const rising = [0, 20_000, 40_000, 60_000].map((dt, k) => sample(NOW - 60_000 + dt, 10 * (k + 1), 0, 1));
    const [f] = run(inputs, { only: 'backlog-growing', history: { compute: rising } });
    expect(f).toMatchObject({ severity: 'warning', evidence: { 'ready at start': 10, 'ready now': 40 } });
  });

  it('stays silent for a backlog that is draining or flat', () => {
    const draining = [0, 20_000, 40_000, 60_000].map((dt, k) => sample(NOW - 60_000 + dt, k === 3 ? 5 : 40, 0, 1));
    expect(run(inputs, { only: 'backlog-growing', history: { compute: draining } })).toEqual([]);
    const flat = [0, 20_000, 40_000, 60_000].map((dt) => sample(NOW - 60_000 + dt, 40, 0, 1));
    expect(run(inputs, { only: 'backlog-growing', history: { compute: flat } })).toEqual([]);
  });
});

describe('orphaned-reply-queue and orphaned-fanout-queue', () => {
  it('fire for reply and fanout queues without consumer, with their expiry', () => {
    const inputs = healthy((i) => {
      dropConsumer(i, `reply_${HEX}`);
      dropConsumer(i, `compute_fanout_${HEX}`);
      queue(i, `compute_fanout_${HEX}`, { messagesReady: 3 });
    });
    const reply = run(inputs, { only: 'orphaned-reply-queue' });
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatchObject({ severity: 'info', evidence: { 'x-expires': '30 min' } });
    expect(reply[0]?.explanation).toMatch(/lost/);
    const fanout = run(inputs, { only: 'orphaned-fanout-queue' });
    expect(fanout[0]).toMatchObject({ severity: 'warning', evidence: { messages: 3 } });
  });

  it('leaves a stream fanout queue alone: it has no consumer of its own to lose', () => {
    const inputs = healthy((i) => i.queues.push(makeQueue({ name: 'compute_fanout', type: 'stream', consumers: 0 })));
    expect(run(inputs, { only: 'orphaned-fanout-queue' })).toEqual([]);
  });
});

describe('notifications-unconsumed', () => {
  it('fires for a notification queue with messages and no consumer, not for an empty one', () => {
    const inputs = healthy((i) => {
      i.queues.push(makeQueue({ name: 'notifications.info', messagesReady: 120 }), makeQueue({ name: 'notifications.error', messagesReady: 0 }));
      i.bindings.push(
        { vhost: '/', source: 'nova', destination: 'notifications.info', destinationType: 'queue', routingKey: 'notifications.info' },
        { vhost: '/', source: 'nova', destination: 'notifications.error', destinationType: 'queue', routingKey: 'notifications.error' },
      );
    });
    const found = run(inputs, { only: 'notifications-unconsumed' });
    expect(found.map((f) => f.subject)).toEqual([{ type: 'queue', vhost: '/', name: 'notifications.info' }]);
  });
});

const node = (patch: Partial<NodeInput>): NodeInput => ({
  name: 'rabbit@a', running: true, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: 100 * 2 ** 20, memLimit: 200 * 2 ** 20, fdUsed: 1, fdTotal: 10, uptimeMs: 1, ...patch,
});

describe('connection-blocked', () => {
  it('fires once per process with the alarm behind it', () => {
    const inputs = healthy((i) => {
      i.connections = [
        { ...computeConn, state: 'blocked' },
        makeConnection({ name: 'c2', peerHost: '10.0.0.7', state: 'blocked', clientConnectionName: 'nova-compute:4242:11111111-7bad-4af4-84f1-7fba0c68b74b' }),
      ];
      i.nodes = [node({ memAlarm: true })];
    });
    const found = run(inputs, { only: 'connection-blocked' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'critical', evidence: { connections: 2, alarms: 'memory alarm on rabbit@a' } });
  });
});

describe('node-alarm', () => {
  it('fires for memory and disk alarms, a node down and a partition', () => {
    const inputs = healthy((i) => {
      i.nodes = [node({ name: 'rabbit@a', memAlarm: true }), node({ name: 'rabbit@b', running: false }), node({ name: 'rabbit@c', partitions: ['rabbit@a'] }), node({ name: 'rabbit@d' })];
    });
    const found = run(inputs, { only: 'node-alarm' });
    expect(found.map((f) => f.subject)).toEqual([
      { type: 'node', name: 'rabbit@a' },
      { type: 'node', name: 'rabbit@b' },
      { type: 'node', name: 'rabbit@c' },
    ]);
    expect(found[0]?.title).toMatch(/memory alarm/);
    expect(found[1]?.title).toMatch(/not running/);
  });
});

describe('quorum queues on a three-node cluster', () => {
  const THREE = ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'];
  /** nova-compute on node-7 and node-8 with quorum RPC queues (oslo's rabbit_quorum_queue), led from n1, and the topic's fanout stream. */
  function quorumCloud(patch: { down?: string[]; nodes?: NodeInput[] } = {}, overrides: (inputs: BrokerInputs) => void = () => undefined): BrokerInputs {
    return healthy((i) => {
      i.queues.push(makeQueue({ name: 'compute.node-8', consumers: 1 }));
      i.bindings.push({ vhost: '/', source: 'nova', destination: 'compute.node-8', destinationType: 'queue', routingKey: 'compute.node-8' });
      i.queues = i.queues.map((q) =>
        q.name.startsWith('compute') && !q.name.startsWith('compute_fanout')
          ? { ...q, type: 'quorum', durable: true, node: 'rabbit@n1', leader: 'rabbit@n1', members: THREE, online: THREE }
          : q,
      );
      i.queues.push(makeQueue({ name: 'compute_fanout', type: 'stream', durable: true, consumers: 1, leader: 'rabbit@n1', members: THREE, online: THREE }));
      i.nodes = patch.nodes ?? THREE.map((name) => node({ name, running: !(patch.down ?? []).includes(name) }));
      overrides(i);
    });
  }

  it('raises nothing while every replica is up', () => {
    expect(run(quorumCloud(), { only: 'quorum-member-down' })).toEqual([]);
    expect(run(quorumCloud(), { only: 'quorum-queue-unavailable' })).toEqual([]);
  });

  it('one node down: one warning for that node, with how many queues of which service have no margin left; no finding per queue', () => {
    const inputs = quorumCloud({ down: ['rabbit@n3'] });
    expect(run(inputs, { only: 'quorum-queue-unavailable' })).toEqual([]);
    const [f, ...rest] = run(inputs, { only: 'quorum-member-down' });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: { type: 'node', name: 'rabbit@n3' },
      evidence: { 'quorum queues with a replica there': 3, 'with no margin left': 3, 'led from there': 0, 'by service': 'nova: compute.<host> ×2, compute ×1' },
    });
    expect(f?.title).toBe('3 quorum queues lost their replica on rabbit@n3: one more node down and they stop');
    expect(f?.explanation).toMatch(/Broker node rabbit@n3 is down/);
    expect(f?.explanation).toMatch(/do not stop, drain or upgrade another broker node/);
    expect(f?.explanation).toMatch(/rabbitmq-queues shrink rabbit@n3/);
    // The node itself has its own finding.
    expect(run(inputs, { only: 'node-alarm' }).map((x) => x.subject)).toEqual([{ type: 'node', name: 'rabbit@n3' }]);
  });

  it('the leader\'s node down with a quorum left: a leader being elected, told in the node\'s warning, not a queue down', () => {
    const inputs = quorumCloud({ down: ['rabbit@n1'] });
    expect(run(inputs, { only: 'quorum-queue-unavailable' })).toEqual([]);
    const [f] = run(inputs, { only: 'quorum-member-down' });
    expect(f).toMatchObject({ subject: { name: 'rabbit@n1' }, evidence: { 'led from there': 3 } });
    expect(f?.explanation).toMatch(/elect a new leader/);
  });

  it('tells queues with a margin left apart from those without (five replicas)', () => {
    const five = [...THREE, 'rabbit@n4', 'rabbit@n5'];
    const inputs = quorumCloud({ nodes: five.map((name) => node({ name, running: name !== 'rabbit@n5' })) }, (i) => {
      i.queues = i.queues.map((q) => (q.name === 'compute' ? { ...q, members: five, online: five } : q));
    });
    const [f] = run(inputs, { only: 'quorum-member-down' });
    expect(f?.title).toBe('1 quorum queue lost its replica on rabbit@n5');
    expect(f?.evidence['with no margin left']).toBe(0);
  });

  it('two nodes down: every quorum queue is down, one critical finding each, in OpenStack terms; no warning for them', () => {
    const inputs = quorumCloud({ down: ['rabbit@n2', 'rabbit@n3'] });
    const found = run(inputs, { only: 'quorum-queue-unavailable' });
    expect(found.map((f) => f.subject.type === 'queue' && f.subject.name).sort()).toEqual(['compute', 'compute.node-7', 'compute.node-8']);
    const server = found.find((f) => f.subject.type === 'queue' && f.subject.name === 'compute.node-7');
    expect(server).toMatchObject({
      severity: 'critical',
      host: 'node-7',
      component: 'nova',
      evidence: { 'replicas up': 'rabbit@n1', 'needed (quorum)': 2 },
    });
    expect(server?.title).toBe('Quorum queue compute.node-7 is down (1 of 3 replicas up, 2 needed): requests to compute on node-7 are not delivered');
    expect(server?.explanation).toMatch(/MessagingTimeout/);
    expect(server?.explanation).toMatch(/openstack compute service list/);
    expect(server?.explanation).toMatch(/Bring back the broker nodes rabbit@n2, rabbit@n3/);
    expect(run(inputs, { only: 'quorum-member-down' })).toEqual([]);
  });

  it('no leader although a quorum is up: critical, with where to look', () => {
    const inputs = quorumCloud({}, (i) => queue(i, 'compute', { leader: null }));
    const [f, ...rest] = run(inputs, { only: 'quorum-queue-unavailable' });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subject: { name: 'compute' }, evidence: { leader: 'none elected' } });
    expect(f?.title).toBe('Quorum queue compute has no leader: calls to any compute server are not delivered');
    expect(f?.explanation).toMatch(/rabbitmq-queues quorum_status --vhost \/ compute/);
  });

  it('without the node list, reads the replicas up from what the broker said', () => {
    const inputs = quorumCloud({ nodes: [] }, (i) => {
      i.queues = i.queues.map((q) => (q.type === 'quorum' ? { ...q, online: ['rabbit@n1', 'rabbit@n2'] } : q));
    });
    const [f] = run(inputs, { only: 'quorum-member-down' });
    expect(f).toMatchObject({ subject: { name: 'rabbit@n3' }, evidence: { 'quorum queues with a replica there': 3 } });
    expect(f?.explanation).toMatch(/monitoring tag/);
  });

  it('does not judge the fanout stream: its readers may read on from a replica', () => {
    const inputs = quorumCloud({ down: ['rabbit@n2', 'rabbit@n3'] });
    expect(run(inputs).some((f) => f.subject.type === 'queue' && f.subject.name === 'compute_fanout')).toBe(false);
  });
});

describe('FindingTracker', () => {
  it('keeps since across refreshes, marks new ones and lists resolved ones', () => {
    const t = new FindingTracker();
    const inputs = healthy((i) => dropConsumer(i, `reply_${HEX}`));
    t.update(run(inputs), 1000);
    expect(t.current().findings).toMatchObject([{ rule: 'orphaned-reply-queue', since: 1000, isNew: true }]);
    t.update(run(inputs), 2000);
    expect(t.current().findings).toMatchObject([{ since: 1000, isNew: false }]);
    t.update(run(healthy()), 3000);
    expect(t.current().findings).toEqual([]);
    expect(t.current().resolved).toMatchObject([{ rule: 'orphaned-reply-queue', since: 1000, resolvedAt: 3000 }]);
  });

  it('reports a condition only once it has lasted the grace period, alarms at once', () => {
    const t = new FindingTracker(10_000);
    const orphan = run(healthy((i) => dropConsumer(i, `reply_${HEX}`)));
    expect(t.confirmationDue()).toBeNull();
    t.update(orphan, 1000);
    expect(t.current().findings).toEqual([]);
    expect(t.confirmationDue()).toBe(11_000); // when a reading would confirm it
    t.update([], 2000); // gone before it lasted: a lagging statistic, never reported nor resolved
    expect(t.confirmationDue()).toBeNull();
    t.update(orphan, 3000);
    t.update(orphan, 12_000);
    expect(t.current().findings).toEqual([]);
    t.update(orphan, 13_000);
    expect(t.current().findings).toMatchObject([{ rule: 'orphaned-reply-queue', since: 3000, isNew: true }]);
    expect(t.confirmationDue()).toBeNull();
    expect(t.current().resolved).toEqual([]);
    const alarm = run(healthy((i) => (i.nodes = [node({ memAlarm: true })])), { only: 'node-alarm' });
    t.update([...orphan, ...alarm], 14_000);
    expect(t.current().findings.map((f) => f.rule)).toEqual(['node-alarm', 'orphaned-reply-queue']);
  });

  it('counts the grace period from when a condition began, where the rule read it from history', () => {
    const t = new FindingTracker(2000);
    const stuck = healthy((i) => queue(i, 'compute.node-7', { messagesUnacknowledged: 1, rates: { publish: 0, deliver: 0, ack: 0, redeliver: 0 } }));
    const held = [0, 2000, 4000, 6000].map((dt) => sample(NOW - 6000 + dt, 0, 1, 0));
    const found = run(stuck, { only: 'consumer-stuck', history: { 'compute.node-7': held } });
    expect(found[0]?.startedAt).toBe(NOW - 6000);
    t.update(found, NOW);
    expect(t.current().findings).toMatchObject([{ rule: 'consumer-stuck', since: NOW - 6000 }]);
    expect(t.current().findings[0]).not.toHaveProperty('startedAt');
  });

  it('says nothing about a queue known for less than the settle time, whose first statistics predate its consumer', () => {
    const t = new FindingTracker(2000, 5000);
    const orphan = run(healthy((i) => dropConsumer(i, `reply_${HEX}`)));
    const knownSince = (at: number | null) => () => at;
    // First seen at 10 s: past its grace at 12 s, still held until the queue has been known for 5 s.
    t.update(orphan, 10_000, knownSince(10_000));
    expect(t.confirmationDue()).toBe(15_000);
    t.update(orphan, 12_000, knownSince(10_000));
    expect(t.current().findings).toEqual([]);
    t.update(orphan, 15_000, knownSince(10_000));
    expect(t.current().findings).toMatchObject([{ rule: 'orphaned-reply-queue', since: 10_000 }]);
    // A queue known long before: the grace alone.
    const old = new FindingTracker(2000, 5000);
    old.update(orphan, 10_000, knownSince(null));
    old.update(orphan, 12_000, knownSince(null));
    expect(old.current().findings).toHaveLength(1);
    // What an earlier run left open is not held again.
    const recalled = new FindingTracker(2000, 5000);
    recalled.recall(new Map([[orphan[0]!.id, 500]]));
    recalled.update(orphan, 10_000, knownSince(10_000));
    expect(recalled.current().findings).toMatchObject([{ since: 500 }]);
  });

  it('keeps the real start of what an earlier run left open, with no new grace period', () => {
    const orphan = run(healthy((i) => dropConsumer(i, `reply_${HEX}`)));
    const id = orphan[0]!.id;
    // Recalled before the first refresh: raised at once, since when it was first raised.
    const early = new FindingTracker(10_000);
    early.recall(new Map([[id, 500]]));
    early.update(orphan, 60_000);
    expect(early.current().findings).toMatchObject([{ id, since: 500 }]);
    // Recalled after it was raised again: it takes the earlier start.
    const late = new FindingTracker();
    late.update(orphan, 60_000);
    late.recall(new Map([[id, 500]]));
    expect(late.current().findings).toMatchObject([{ id, since: 500 }]);
    // What does not hold on the first refresh ended while nobody watched: raised later, it starts anew.
    const ended = new FindingTracker();
    ended.recall(new Map([[id, 500]]));
    ended.update([], 60_000);
    ended.update(orphan, 70_000);
    expect(ended.current().findings).toMatchObject([{ id, since: 70_000 }]);
  });

  it('remembers who consumed a queue and where a process ran', () => {
    const t = new FindingTracker();
    t.remember(buildTopology(healthy()), NOW);
    const first = t.memory;
    expect(first.lastConsumers('/', 'compute.node-7')).toEqual(['nova-compute:4242@10.0.0.7']);
    expect(first.processHost('nova-compute:4242@10.0.0.7')).toBe('node-7');
    t.remember(buildTopology(healthy((i) => dropConsumer(i, 'compute.node-7'))), NOW);
    expect(t.memory.lastConsumers('/', 'compute.node-7')).toEqual(['nova-compute:4242@10.0.0.7']);
    t.remember(buildTopology(healthy((i) => (i.queues = i.queues.filter((q) => q.name !== 'compute.node-7')))), NOW);
    expect(t.memory.lastConsumers('/', 'compute.node-7')).toEqual([]);
    // What a refresh's state kept is never changed by the refreshes after it.
    expect(first.lastConsumers('/', 'compute.node-7')).toEqual(['nova-compute:4242@10.0.0.7']);
  });
});

describe('clients-refused', () => {
  const refusing = { connectionsOpened: 0.6, connectionsClosed: 0.6, queuesDeclared: 0.6, queuesCreated: 0 };
  /** Nothing connected any more, as on a 4.3 that refuses every declaration of oslo's defaults. */
  const refused = (version: string, churn = refusing) =>
    emptyInputs({ overview: { ...emptyInputs().overview, rabbitmqVersion: version, churn }, nodes: [node({})] });
  const remembered: Memory = {
    ...noMemory,
    servicesSeen: () => [
      { vhost: '/', binary: 'nova-compute', hosts: ['node-7', 'node-8'], lastSeen: NOW - 60_000 },
      { vhost: '/', binary: 'nova-conductor', hosts: ['ctl-1'], lastSeen: NOW - 60_000 },
    ],
  };

  it('names the loop on RabbitMQ 4.3, with the services seen before and gone now, and both ways out', () => {
    const [f] = run(refused('4.3.6'), { only: 'clients-refused', memory: remembered });
    expect(f?.title).toBe(
      'RabbitMQ 4.3.6 refuses what clients declare: connections opened and closed again and again, queues declared and not created — nova-compute, nova-conductor no longer consume anything',
    );
    expect(f?.evidence).toMatchObject({ 'connections opened (per min)': 36, 'queues declared (per min)': 36, 'queues created (per min)': 0 });
    expect(f?.evidence['no longer consuming']).toBe('nova-compute on node-7, node-8 (vhost /); nova-conductor on ctl-1 (vhost /)');
    expect(f?.explanation).toMatch(/rabbit_transient_quorum_queue = true and rabbit_quorum_queue = true/);
    expect(f?.explanation).toMatch(/deprecated_features\.permit\.transient_nonexcl_queues = true/);
  });

  it('leaves out a service that still consumes, and says so when it remembers none', () => {
    const stillThere = healthy((i) => {
      i.overview = { ...i.overview, rabbitmqVersion: '4.3.6', churn: refusing };
      i.nodes = [node({})];
    });
    const [f] = run(stillThere, { only: 'clients-refused', memory: { ...remembered, servicesSeen: () => remembered.servicesSeen().filter((s) => s.binary === 'nova-compute') } });
    expect(f?.title).not.toMatch(/no longer consume/);
    expect(run(refused('4.3.6'), { only: 'clients-refused' })[0]?.evidence['no longer consuming']).toMatch(/none remembered/);
  });

  it('says nothing on 3.x, nor when declarations create queues, nor on a quiet broker', () => {
    expect(run(refused('3.13.7'), { only: 'clients-refused', memory: remembered })).toEqual([]);
    expect(run(refused('4.3.6', { ...refusing, queuesCreated: 0.5 }), { only: 'clients-refused' })).toEqual([]);
    expect(run(refused('4.3.6', { ...refusing, connectionsOpened: 0.05 }), { only: 'clients-refused' })).toEqual([]);
  });

  it('names what an earlier run of the dashboard saw, when the broker and the dashboard restarted together', () => {
    const t = new FindingTracker();
    t.recall(new Map(), [{ vhost: '/', binary: 'nova-compute', hosts: ['node-7'], lastSeen: NOW - 600_000 }]);
    t.remember(buildTopology(refused('4.3.6')), NOW);
    const [f] = run(refused('4.3.6'), { only: 'clients-refused', memory: t.memory });
    expect(f?.evidence['no longer consuming']).toBe('nova-compute on node-7 (vhost /)');
    // What this run sees is newer than what it recalls: recalled later, the journal's word does not replace it.
    const seen = new FindingTracker();
    seen.remember(buildTopology(healthy()), NOW);
    seen.recall(new Map(), [{ vhost: '/', binary: 'nova-compute', hosts: ['gone-1'], lastSeen: NOW - 600_000 }]);
    expect(seen.memory.servicesSeen().find((s) => s.binary === 'nova-compute')).toMatchObject({ lastSeen: NOW });
  });

  it('waits out a reconnect wave: half a minute before it is a finding', () => {
    const t = new FindingTracker(2000);
    const found = run(refused('4.3.6'), { only: 'clients-refused' });
    t.update(found, NOW);
    t.update(found, NOW + 20_000);
    expect(t.current().findings).toEqual([]);
    t.update(found, NOW + 30_000);
    expect(t.current().findings.map((f) => f.rule)).toEqual(['clients-refused']);
  });
});
