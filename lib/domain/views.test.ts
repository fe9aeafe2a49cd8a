import { describe, expect, it } from 'vitest';
import { emptyInputs, makeQueue, osloServer } from '@/lib/testing/builders';
import { describeArgument } from './arguments';
import { buildTopology } from './topology';
import { componentDetail, filterQueues, type QueueFilter } from './views';

const nova = osloServer('nova', 'compute', 'node-1', '0123456789abcdef0123456789abcdef');
const t = buildTopology(
  emptyInputs({
    ...nova,
    queues: [
      ...nova.queues.map((q) => (q.name === 'compute.node-1' ? { ...q, messagesReady: 40 } : q)),
      makeQueue({ name: 'zeta', messagesReady: 5, rates: { publish: 9, deliver: 0, ack: 0, redeliver: 0 } }),
      makeQueue({ name: 'unknown-rates', rates: null }),
    ],
  }),
);
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
    const d = componentDetail(t, 'nova');
    expect(d?.topics).toHaveLength(1);
    expect(d?.topics[0]).toMatchObject({ name: 'compute', sharedQueue: { name: 'compute' }, backlog: { ready: 40, unacknowledged: 0 } });
    expect(d?.topics[0]?.serverQueues.map((q) => q.host)).toEqual(['node-1']);
    expect(d?.topics[0]?.fanoutQueues).toHaveLength(1);
    expect(componentDetail(t, 'glance')).toBeNull();
  });
});

describe('describeArgument', () => {
  it('says queue arguments in human terms', () => {
    expect(describeArgument('x-expires', 1_800_000)).toBe('expires after 30 min unused');
    expect(describeArgument('x-queue-type', 'quorum')).toBe('quorum queue');
    expect(describeArgument('x-something', { a: 1 })).toBe('{"a":1}');
  });
});
