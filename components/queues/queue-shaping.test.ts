import { describe, expect, it } from 'vitest';
import type { QueueRow } from '@/lib/api/schemas';
import { queuesHref } from '@/lib/client/links';
import { groupServerQueuesByHost, nextSort, parseQueueFilters, narrowByName } from './queue-shaping';

const makeRow = (o: Partial<QueueRow> = {}): QueueRow => ({
  vhost: '/',
  name: 'compute.node-1',
  type: 'classic',
  durable: false,
  autoDelete: false,
  node: 'rabbit@a',
  state: 'running',
  messagesReady: 0,
  messagesUnacknowledged: 0,
  consumers: 1,
  rates: null,
  idleSince: null,
  kind: 'rpc-server',
  component: 'nova',
  topic: 'compute',
  server: 'node-1',
  host: 'node-1',
  binary: null,
  processIds: [],
  processCount: 0,
  health: 'healthy',
  ...o,
});

describe('parseQueueFilters', () => {
  it('reads back what the queue list link wrote, names with odd characters included', () => {
    const f = { kind: 'rpc-server', component: 'nova', host: 'storage01@lvm#pool', vhost: '/', q: 'a b%2F?', sort: 'messagesReady', order: 'desc' } as const;
    expect(parseQueueFilters(new URL(queuesHref(f), 'http://dashboard.invalid').searchParams)).toEqual(f);
  });
  it('drops unknown values', () => {
    expect(parseQueueFilters(new URLSearchParams('kind=bogus&sort=evil&order=up&q='))).toEqual({});
  });
  it('links to the bare list for no filters', () => {
    expect(queuesHref({})).toBe('/queues');
  });
});

describe('nextSort', () => {
  it('sorts numbers biggest first, then flips', () => {
    expect(nextSort({}, 'messagesReady')).toEqual({ sort: 'messagesReady', order: 'desc' });
    expect(nextSort({ sort: 'messagesReady', order: 'desc' }, 'messagesReady')).toEqual({ sort: 'messagesReady', order: 'asc' });
    expect(nextSort({}, 'name')).toEqual({ sort: 'name', order: 'desc' });
    expect(nextSort({ sort: 'consumers' }, 'name')).toEqual({ sort: 'name', order: 'asc' });
  });
});

describe('groupServerQueuesByHost', () => {
  it('groups by host with natural order, falling back to the server name', () => {
    const groups = groupServerQueuesByHost([
      makeRow({ name: 'compute.node-10', host: 'node-10' }),
      makeRow({ name: 'compute.node-2', host: 'node-2' }),
      makeRow({ name: 'conductor.node-2', host: 'node-2' }),
      makeRow({ name: 'x.srv', host: null, server: 'srv' }),
      makeRow({ name: 'y', host: null, server: null }),
    ]);
    expect(groups.map((g) => g.host)).toEqual(['(unknown host)', 'node-2', 'node-10', 'srv']);
    expect(groups[1]?.queues.map((q) => q.name)).toEqual(['compute.node-2', 'conductor.node-2']);
  });
});

describe('narrowByName', () => {
  it('keeps the rows whose name holds the text, ignoring case, like the server', () => {
    const rows = [{ name: 'compute.Node-1' }, { name: 'conductor' }, { name: 'reply_ab' }];
    expect(narrowByName(rows, 'node').map((r) => r.name)).toEqual(['compute.Node-1']);
    expect(narrowByName(rows, '')).toBe(rows);
  });
});
