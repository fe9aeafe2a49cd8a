import { describe, expect, it } from 'vitest';
import { emptyInputs, makeConnection, makeConsumer, makeQueue, osloServer } from '@/lib/testing/builders';
import { describeArgument } from './arguments';
import { stateOf } from '@/lib/testing/state';
import { buildTopology } from './topology';
import { componentDetail, filterExchanges, filterQueues, listProcesses, queueDetail, type QueueFilter } from './views';

const nova = osloServer('nova', 'compute', 'node-1', '0123456789abcdef0123456789abcdef');
const inputs = emptyInputs({
  ...nova,
  queues: [
    ...nova.queues.map((q) => (q.name === 'compute.node-1' ? { ...q, messagesReady: 40 } : q)),
    makeQueue({ name: 'zeta', messagesReady: 5, rates: { publish: 9, deliver: 0, ack: 0, redeliver: 0 } }),
    makeQueue({ name: 'unknown-rates', rates: null }),
  ],
});
const t = buildTopology(inputs);
const base: QueueFilter = { sort: 'name', order: 'asc', page: 1, pageSize: 100 };

describe('filterQueues', () => {
  it('filters by kind, component, host and name', () => {
    expect(filterQueues(t, { ...base, kind: 'rpc-server' }).items.map((q) => q.name)).toEqual(['compute.node-1']);
    expect(filterQueues(t, { ...base, component: 'nova' }).filtered).toBe(3);
    expect(filterQueues(t, { ...base, host: 'node-1' }).items.map((q) => q.name)).toEqual(['compute.node-1']);
    expect(filterQueues(t, { ...base, q: 'ZET' }).items.map((q) => q.name)).toEqual(['zeta']);
  });

  it('sorts by backlog and rates, unknown rates last', () => {
    expect(filterQueues(t, { ...base, sort: 'messagesReady', order: 'desc' }).items[0]?.name).toBe('compute.node-1');
    const byPublish = filterQueues(t, { ...base, sort: 'publish', order: 'desc' }).items.map((q) => q.name);
    expect(byPublish[0]).toBe('zeta');
    expect(byPublish.at(-1)).toBe('unknown-rates');
  });

  it('pages', () => {
    const page2 = filterQueues(t, { ...base, pageSize: 2, page: 2 });
    expect(page2.items).toHaveLength(2);
    expect(page2.filtered).toBe(5);
    expect(page2.total).toBe(5);
  });
});

describe('componentDetail', () => {
  it('lists each topic with its shared, per-server and fanout queues', () => {
    const d = componentDetail(stateOf(inputs), 'nova');
    expect(d?.topics).toHaveLength(1);
    expect(d?.topics[0]).toMatchObject({ name: 'compute', sharedQueue: { name: 'compute' }, backlog: { ready: 40, unacknowledged: 0 } });
    expect(d?.topics[0]?.serverQueues.map((q) => q.host)).toEqual(['node-1']);
    expect(d?.topics[0]?.fanoutQueues).toHaveLength(1);
    expect(componentDetail(stateOf(inputs), 'glance')).toBeNull();
  });

  it('lists the worst queues of a big topic first, cuts at the limit and says how many there are', () => {
    const hosts = Array.from({ length: 30 }, (_, i) => `node-${i}`);
    const servers = hosts.map((h, i) => osloServer('nova', 'compute', h, i.toString(16).padStart(32, '0')));
    const connections = hosts.map((h) => makeConnection({ name: `conn-${h}`, clientConnectionName: `nova-compute:1:5720bf7e-7bad-4af4-84f1-7fba0c68b74b`, peerHost: h }));
    const big = stateOf(
      emptyInputs({
        exchanges: servers[0]!.exchanges,
        bindings: servers.flatMap((x) => x.bindings),
        queues: [
          ...new Map(servers.flatMap((x) => x.queues).map((q) => [q.name, q])).values(),
        ].map((q) => ({ ...q, consumers: q.name === 'compute.node-7' ? 0 : 1, messagesReady: q.name === 'compute.node-3' ? 9 : 0 })),
        connections,
        consumers: hosts.flatMap((h) => [makeConsumer('compute', `conn-${h}`), ...(h === 'node-7' ? [] : [makeConsumer(`compute.${h}`, `conn-${h}`)])]),
      }),
    );
    const d = componentDetail(big, 'nova', { queues: 4, processesPerQueue: 2 })!;
    const topic = d.topics[0]!;
    expect(topic.serverQueueTotal).toBe(30);
    expect(topic.serverQueues.map((q) => q.name)).toEqual(['compute.node-7', 'compute.node-3', 'compute.node-0', 'compute.node-1']);
    expect(topic.sharedQueue?.processIds).toHaveLength(30);
    expect(d.processCount).toBe(30);
    // Only the processes the listed rows name, at most two of each.
    expect(d.processes.length).toBeLessThanOrEqual(2 + 4);
  });
});

describe('describeArgument', () => {
  it('says queue arguments in human terms', () => {
    expect(describeArgument('x-expires', 1_800_000)).toBe('expires after 30 min unused');
    expect(describeArgument('x-queue-type', 'quorum')).toBe('quorum queue');
    expect(describeArgument('x-something', { a: 1 })).toBe('{"a":1}');
  });
});

describe('listProcesses', () => {
  const hosts = ['compute10', 'compute2', 'compute1'];
  const topo = buildTopology(
    emptyInputs({
      connections: hosts.map((h, i) =>
        makeConnection({ name: `c${i}`, peerHost: `10.0.0.${i}`, clientConnectionName: `nova-compute:${100 + i}:5720bf7e-7bad-4af4-84f1-7fba0c68b74b` }),
      ),
      queues: hosts.map((h) => makeQueue({ name: `compute.${h}` })),
      consumers: hosts.map((h, i) => makeConsumer(`compute.${h}`, `c${i}`)),
      exchanges: osloServer('nova', 'compute', 'x', '0'.repeat(32)).exchanges,
      bindings: hosts.map((h) => osloServer('nova', 'compute', h, '0'.repeat(32)).bindings[1]!),
    }),
  );

  it('sorts by host in natural order and cuts at the limit', () => {
    const list = listProcesses(topo, { limit: 2 });
    expect(list).toMatchObject({ total: 3, filtered: 3 });
    expect(list.items.map((p) => p.host)).toEqual(['compute1', 'compute2']);
  });

  it('filters on any visible field', () => {
    expect(listProcesses(topo, { q: 'COMPUTE10', limit: 10 }).items.map((p) => p.pid)).toEqual([100]);
    expect(listProcesses(topo, { q: '10.0.0.2', limit: 10 }).filtered).toBe(1);
  });
});

describe('the filters lists take, applied by the server', () => {
  it('exchanges: by group, vhost, and text in the name, type, vhost or component', () => {
    const names = (f: Parameters<typeof filterExchanges>[1]) => filterExchanges(t, f).map((e) => e.name);
    expect(names({ group: 'fanout' })).toEqual(['compute_fanout']);
    expect(names({ q: 'FANOUT' })).toEqual(['compute_fanout']);
    expect(names({ q: 'topic' })).toEqual(['nova']);
    expect(names({ vhost: 'elsewhere' })).toEqual([]);
  });

  it('processes: by the vhosts they are connected in', () => {
    const cells = buildTopology(
      emptyInputs({
        vhosts: ['cell1', 'cell2'],
        connections: [
          makeConnection({ name: 'a', vhost: 'cell1', clientConnectionName: 'nova-compute:1:5720bf7e-7bad-4af4-84f1-7fba0c68b74b', peerHost: '10.0.0.1' }),
          makeConnection({ name: 'b', vhost: 'cell2', clientConnectionName: 'nova-compute:2:5720bf7e-7bad-4af4-84f1-7fba0c68b74b', peerHost: '10.0.0.2' }),
          makeConnection({ name: 'c', vhost: 'cell1', clientConnectionName: 'nova-compute:2:5720bf7e-7bad-4af4-84f1-7fba0c68b74b', peerHost: '10.0.0.2' }),
        ],
      }),
    );
    expect(cells.processes.find((p) => p.pid === 2)?.vhosts).toEqual(['cell2', 'cell1']);
    expect(listProcesses(cells, { vhost: 'cell1', limit: 10 }).items.map((p) => p.pid)).toEqual([1, 2]);
    expect(listProcesses(cells, { vhost: 'cell2', limit: 10 }).items.map((p) => p.pid)).toEqual([2]);
  });
});

describe('a stream among the queues', () => {
  const withStream = emptyInputs({
    ...nova,
    queues: [
      ...nova.queues.map((q) => ({ ...q, consumers: 1, messagesReady: q.name === 'compute.node-1' ? 40 : q.name.startsWith('compute_fanout_') ? 5 : 0 })),
      makeQueue({ name: 'compute_fanout', type: 'stream', consumers: 1, messagesReady: 90_000, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } }),
    ],
    connections: [makeConnection({ name: 'c1', clientConnectionName: 'nova-compute:1:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' })],
    consumers: [
      makeConsumer('compute_fanout', 'c1'),
      makeConsumer('compute_fanout', 'c1', { consumerTag: '2', channelName: null, connectionName: null }),
    ],
  });

  it('sorts by ready messages with the queues where nothing waits: it retains what it holds', () => {
    const byReady = filterQueues(buildTopology(withStream), { ...base, sort: 'messagesReady', order: 'desc' }).items.map((q) => q.name);
    expect(byReady[0]).toBe('compute.node-1');
    expect(byReady.indexOf('compute_fanout')).toBeGreaterThan(0);
  });

  it('comes after the queues with a backlog on a component\'s page', () => {
    const topic = componentDetail(stateOf(withStream), 'nova')!.topics[0]!;
    expect(topic.fanoutQueues.map((q) => q.name)).toEqual([`compute_fanout_0123456789abcdef0123456789abcdef`, 'compute_fanout']);
    expect(topic.backlog.ready).toBe(45);
  });

  it('shows on its page its one consumer, and apart what a closed channel left', () => {
    const d = queueDetail(buildTopology(withStream), '/', 'compute_fanout')!;
    expect(d.queue.consumers).toBe(1);
    expect(d.consumers.map((c) => c.consumer.consumerTag)).toEqual(['1']);
    expect(d.staleConsumers.map((c) => c.consumerTag)).toEqual(['2']);
  });
});
