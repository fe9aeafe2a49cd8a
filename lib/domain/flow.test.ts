import { describe, expect, it } from 'vitest';
import { makeQueue, novaComputeCloud as cloud } from '@/lib/testing/builders';
import { queueFinding, stateOf } from '@/lib/testing/state';
import { flowGraph } from './flow';
import { layoutFlow } from './flow-layout';

describe('flowGraph', () => {
  it('draws producers → exchange → queues → processes → hosts, with each queue in its health', () => {
    const growing = queueFinding('backlog-growing', '/', 'compute.compute0002');
    const g = flowGraph(stateOf(cloud(3, [3]), { findings: [growing] }), '/', 'nova', 'compute')!;
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect(byId.get('exchange:nova')).toMatchObject({ kind: 'exchange', target: { type: 'exchange', name: 'nova' } });
    expect(byId.get('producers:nova-conductor')).toMatchObject({ kind: 'producers', label: 'nova-conductor ×1' });
    expect(g.edges).toContainEqual({ from: 'producers:nova-conductor', to: 'exchange:nova', rate: 12, kind: 'publish' });
    // Three hosts, each per-server queue in a state of its own here: shown one by one.
    expect(byId.get('queue:compute.compute0001')?.state).toBe('healthy');
    expect(byId.get('queue:compute.compute0002')?.state).toBe('backlog');
    expect(byId.get('queue:compute.compute0003')?.state).toBe('no-consumer');
    // Its process is still connected: a dashed "idle" edge says who should be consuming.
    expect(g.edges).toContainEqual(expect.objectContaining({ from: 'queue:compute.compute0003', to: 'process:nova-compute:1003@10.0.0.3', kind: 'idle' }));
    expect(g.edges).toContainEqual(expect.objectContaining({ from: 'process:nova-compute:1001@10.0.0.1', to: 'host:compute0001', kind: 'runs-on' }));
    expect(byId.has('queue:unrelated')).toBe(false);
    // One line from a process to its host, however many of its queues are drawn.
    expect(g.edges.filter((e) => e.from === 'process:nova-compute:1001@10.0.0.1' && e.kind === 'runs-on')).toHaveLength(1);
  });

  it('groups a thousand hosts by state, and shows a group one by one when expanded', () => {
    const state = stateOf(cloud(1000, [17]));
    const g = flowGraph(state, '/', 'nova', 'compute')!;
    expect(g.nodes.length).toBeLessThan(20);
    const healthy = g.nodes.find((n) => n.id === 'queues:server:healthy');
    expect(healthy).toMatchObject({ kind: 'queue-group', label: 'compute.<host> ×999', state: 'healthy', group: 'server:healthy' });
    expect(g.nodes.find((n) => n.id === 'processes:nova-compute')?.label).toBe('nova-compute ×1000');
    // The idle one's host came from the per-server queue it no longer consumes (without memory of it).
    expect(g.nodes.find((n) => n.id === 'hosts:nova-compute')?.label).toBe('999 hosts');
    expect(g.groups).toContainEqual({ id: 'server:no-consumer', label: 'per-server queues, no-consumer', size: 1, expanded: true });

    const open = flowGraph(state, '/', 'nova', 'compute', new Set(['server:healthy']))!;
    expect(open.nodes.filter((n) => n.kind === 'queue' && n.group === 'server:healthy')).toHaveLength(40);
    expect(open.nodes.find((n) => n.id === 'queues:server:healthy')?.label).toBe('compute.<host> ×959');
  });

  it('lays the picture out left to right, every node placed, every edge drawn', () => {
    const g = flowGraph(stateOf(cloud(1000, [17])), '/', 'nova', 'compute')!;
    const layout = layoutFlow(g);
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    expect(x('producers:nova-conductor')).toBeLessThan(x('exchange:nova'));
    expect(x('exchange:nova')).toBeLessThan(x('queues:server:healthy'));
    expect(x('queues:server:healthy')).toBeLessThan(x('processes:nova-compute'));
    expect(x('processes:nova-compute')).toBeLessThan(x('hosts:nova-compute'));
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(layout.width).toBeGreaterThan(0);
  });

  it('says what a fanout stream retains, not that it is ready', () => {
    const inputs = cloud(2);
    inputs.queues.push(makeQueue({ name: 'compute_fanout', type: 'stream', consumers: 2, messagesReady: 5000, arguments: { 'x-queue-type': 'stream' } }));
    const g = flowGraph(stateOf(inputs), '/', 'nova', 'compute', new Set(['fanout:healthy', 'server:healthy']))!;
    expect(g.nodes.find((n) => n.id === 'queue:compute_fanout')).toMatchObject({ detail: '2 consumers · retains 5000', state: 'healthy' });
    expect(g.nodes.find((n) => n.id === 'queue:compute.compute0002')?.detail).toBe('1 consumer · 7 ready');
  });

  it('knows no such topic', () => {
    expect(flowGraph(stateOf(cloud(1)), '/', 'nova', 'conductor')).toBeNull();
  });
});
