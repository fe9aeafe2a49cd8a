import { describe, expect, it } from 'vitest';
import { makeConnection, makeConsumer, novaComputeCloud } from '@/lib/testing/builders';
import { queueFinding, stateOf } from '@/lib/testing/state';
import { digest, groupJournal, journalBetween } from './journal';
import type { BrokerInputs } from './types';

const T0 = Date.parse('2026-11-28T02:13:00Z');
const at = (inputs: BrokerInputs, seconds: number, findings = [] as ReturnType<typeof queueFinding>[]) => digest(stateOf(inputs, { at: T0 + seconds * 1000, findings }));
const kinds = (entries: { kind: string }[]) => entries.map((e) => e.kind);

describe('the journal', () => {
  it('writes nothing when nothing changed', () => {
    const cloud = novaComputeCloud(3);
    expect(journalBetween(at(cloud, 0), at(cloud, 5))).toEqual([]);
  });

  it('says which process stopped consuming which queue, on which host, when', () => {
    const before = novaComputeCloud(3);
    const after = novaComputeCloud(3, [2]);
    const entries = journalBetween(at(before, 0), at(after, 5));
    expect(entries).toEqual([
      expect.objectContaining({
        at: T0 + 5000,
        kind: 'consumer-lost',
        subject: { type: 'queue', vhost: '/', name: 'compute.compute0002' },
        host: 'compute0002',
        binary: 'nova-compute',
        process: 'nova-compute:1002@10.0.0.2',
        before: 'nova-compute:1002@10.0.0.2',
        after: null,
      }),
    ]);
    expect(kinds(journalBetween(at(after, 5), at(before, 10)))).toEqual(['consumer-gained']);
  });

  it('a process killed: its connection closed (with how long it lived), the process gone, its consumers lost', () => {
    const before = novaComputeCloud(2);
    const after = structuredClone(before);
    after.connections = after.connections.filter((c) => c.name !== 'conn-2');
    after.consumers = after.consumers.filter((c) => c.connectionName !== 'conn-2');
    const entries = journalBetween(at(before, 0), at(after, 3600));
    expect(kinds(entries).sort()).toEqual(['connection-closed', 'consumer-lost', 'consumer-lost', 'consumer-lost', 'process-gone']);
    const closed = entries.find((e) => e.kind === 'connection-closed')!;
    // Each in the vhost it happened in: an operator who may read only some vhosts is shown only theirs.
    expect(closed).toMatchObject({ subject: { type: 'connection', name: 'conn-2' }, binary: 'nova-compute', host: 'compute0002', vhost: '/' });
    expect(entries.find((e) => e.kind === 'process-gone')).toMatchObject({ process: 'nova-compute:1002@10.0.0.2', vhost: '/' });
    expect(closed.before).toMatch(/^from 10\.0\.0\.2, open \d+ d$/);
    expect(entries.filter((e) => e.kind === 'consumer-lost').map((e) => e.queue).sort()).toEqual([
      'compute',
      'compute.compute0002',
      'compute_fanout_00000000000000000000000000000002',
    ]);
  });

  it('queues declared and deleted, with their kind', () => {
    const before = novaComputeCloud(1);
    const after = novaComputeCloud(2);
    after.queues = after.queues.filter((q) => q.name !== 'unrelated');
    const entries = journalBetween(at(before, 0), at(after, 5));
    const queues = entries.filter((e) => e.kind.startsWith('queue-')).map((e) => [e.kind, e.queue, e.before ?? e.after]);
    expect(queues).toEqual([
      ['queue-declared', 'compute.compute0002', 'rpc-server'],
      ['queue-declared', 'compute_fanout_00000000000000000000000000000002', 'rpc-fanout'],
      ['queue-deleted', 'unrelated', 'other'],
    ]);
  });

  it('a node that goes down, raises an alarm, comes back', () => {
    const node = { name: 'rabbit@a', running: true, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: null, memLimit: null, fdUsed: null, fdTotal: null, uptimeMs: null };
    const up = novaComputeCloud(1);
    up.nodes = [node];
    const down = { ...up, nodes: [{ ...node, running: false }] };
    const alarm = { ...up, nodes: [{ ...node, memAlarm: true }] };
    expect(kinds(journalBetween(at(up, 0), at(down, 5)))).toEqual(['node-down']);
    expect(kinds(journalBetween(at(down, 5), at(alarm, 10)))).toEqual(['node-up', 'node-alarm']);
    expect(journalBetween(at(alarm, 10), at(up, 15))).toEqual([expect.objectContaining({ kind: 'node-alarm-cleared', before: 'memory alarm' })]);
  });

  it('policies changed, where they could be read', () => {
    const policy = { vhost: '/', name: 'ha', pattern: '^(?!amq\\.).*', applyTo: 'queues', priority: 0, definition: { 'ha-mode': 'all' } };
    const before = { ...novaComputeCloud(1), policies: [policy] };
    const after = { ...before, policies: [{ ...policy, definition: { 'ha-mode': 'exactly', 'ha-params': 2 } }] };
    const [changed] = journalBetween(at(before, 0), at(after, 5));
    expect(changed).toMatchObject({ kind: 'policy-changed', subject: { type: 'policy', vhost: '/', name: 'ha' } });
    expect(changed!.before).toContain('"ha-mode":"all"');
    expect(changed!.after).toContain('"ha-params":2');
    expect(journalBetween(at(before, 0), at({ ...after, policies: null }, 5))).toEqual([]);
  });

  it('findings raised and resolved, with their rule and subject', () => {
    const cloud = novaComputeCloud(2);
    const f = { ...queueFinding('rpc-server-unconsumed', '/', 'compute.compute0002', 'critical'), host: 'compute0002' };
    const raised = journalBetween(at(cloud, 0), at(cloud, 5, [f]));
    expect(raised).toEqual([
      expect.objectContaining({ kind: 'finding-raised', subject: expect.objectContaining({ type: 'finding', rule: 'rpc-server-unconsumed' }), host: 'compute0002', queue: 'compute.compute0002', after: f.title }),
    ]);
    expect(kinds(journalBetween(at(cloud, 5, [f]), at(cloud, 10)))).toEqual(['finding-resolved']);
  });

  it('compares no consumers or connections before who consumes was read', () => {
    const none = novaComputeCloud(2);
    const unread = { ...none, consumers: [], connections: [], channels: [] };
    expect(journalBetween(at(unread, 0), at(none, 5)).filter((e) => !e.kind.startsWith('queue-'))).toEqual([]);
  });

  it('a connection opened by a process already known', () => {
    const before = novaComputeCloud(1);
    const after = structuredClone(before);
    after.connections.push(makeConnection({ name: 'conn-1b', peerHost: '10.0.0.1', clientConnectionName: 'nova-compute:1001:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' }));
    after.consumers.push(makeConsumer('compute', 'conn-1b', { consumerTag: '2' }));
    const entries = journalBetween(at(before, 0), at(after, 5));
    expect(entries).toEqual([expect.objectContaining({ kind: 'connection-opened', binary: 'nova-compute', process: 'nova-compute:1001@10.0.0.1', vhost: '/', after: 'from 10.0.0.1' })]);
  });

  it('a process of several vhosts: its own entries name none, its connections each their own', () => {
    const before = novaComputeCloud(1);
    const after = structuredClone(before);
    after.connections.push(makeConnection({ name: 'conn-1b', vhost: 'cell2', peerHost: '10.0.0.1', clientConnectionName: 'nova-compute:1001:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' }));
    const gone = structuredClone(after);
    gone.connections = gone.connections.filter((c) => c.peerHost !== '10.0.0.1');
    gone.consumers = [];
    const entries = journalBetween(at(after, 0), at(gone, 5));
    expect(entries.filter((e) => e.kind === 'connection-closed').map((e) => e.vhost).sort()).toEqual(['/', 'cell2']);
    expect(entries.find((e) => e.kind === 'process-gone')).toMatchObject({ vhost: null });
  });
});

describe('the journal, grouped', () => {
  it('a thousand nova-computes reconnecting after a broker restart is one line, its thousands of entries within', () => {
    const cloud = novaComputeCloud(1000);
    const gone = { ...cloud, connections: cloud.connections.filter((c) => !c.name.startsWith('conn-')), consumers: [], channels: cloud.channels };
    const entries = [...journalBetween(at(cloud, 5), at(gone, 10)), ...journalBetween(at(gone, 10), at(cloud, 44))];
    expect(entries.length).toBeGreaterThan(8000);
    const groups = groupJournal(entries);
    const reconnected = groups.find((g) => g.kind === 'reconnected')!;
    expect(reconnected).toMatchObject({ binary: 'nova-compute', count: 1000, from: T0 + 10_000, to: T0 + 44_000 });
    // What is left: the compute host's per-server queues' entries are all folded in; nothing else changed.
    expect(groups.filter((g) => g !== reconnected)).toEqual([]);
  });

  it('alike entries further apart than the window are separate lines, newest first', () => {
    const before = novaComputeCloud(3);
    const idle = (hosts: number[]) => novaComputeCloud(3, hosts);
    const entries = [...journalBetween(at(before, 0), at(idle([1]), 5)), ...journalBetween(at(idle([1]), 5), at(idle([1, 2]), 300))];
    const groups = groupJournal(entries);
    expect(groups.map((g) => [g.kind, g.count, g.from])).toEqual([
      ['consumer-lost', 1, T0 + 300_000],
      ['consumer-lost', 1, T0 + 5000],
    ]);
  });
});
