import { describe, expect, it } from 'vitest';
import type { QueueRow, Replication } from '@/lib/api/schemas';
import { queuesHref } from '@/lib/client/links';
import { groupServerQueuesByHost, nextSort, parseQueueFilters, narrowByName, replicaSummary, retentionText } from './queue-shaping';

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
  replication: null,
  retention: null,
  staleConsumers: 0,
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

describe('replicaSummary', () => {
  const three = ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'];
  const r = (o: Partial<Replication>): Replication => ({ leader: 'rabbit@n1', leaderRunning: true, members: three, online: three, quorum: 2, state: 'complete', ...o });

  it('says replicas up of all, quietly while all are up', () => {
    expect(replicaSummary(r({}))).toEqual({
      text: '3/3',
      words: 'all replicas up',
      tone: 'neutral',
      title: 'all replicas up · leader rabbit@n1 · up: rabbit@n1, rabbit@n2, rabbit@n3 · needs 2 of 3',
    });
  });

  it('warns of a replica down, alarms below quorum, and names who is down', () => {
    expect(replicaSummary(r({ online: ['rabbit@n1', 'rabbit@n2'], state: 'member-down' }))).toMatchObject({ text: '2/3', tone: 'amber', title: expect.stringContaining('down: rabbit@n3') });
    expect(replicaSummary(r({ online: ['rabbit@n2', 'rabbit@n3'], leaderRunning: false, state: 'leader-down' }))).toMatchObject({ words: 'electing a leader', title: expect.stringContaining('leader rabbit@n1 (its node is down)') });
    expect(replicaSummary(r({ online: ['rabbit@n1'], state: 'no-quorum' }))).toMatchObject({ text: '1/3', words: 'below quorum', tone: 'red' });
    expect(replicaSummary(r({ leader: null, leaderRunning: null, state: 'no-leader' }))).toMatchObject({ tone: 'red', title: expect.stringContaining('no leader') });
  });

  it('says when it does not know who is up', () => {
    expect(replicaSummary(r({ online: null, state: 'unknown' }))).toMatchObject({ text: '?/3', tone: 'neutral', words: 'replicas up not known' });
  });
});

describe('retentionText', () => {
  it('tells what a stream retains, for how long and in how many segments', () => {
    expect(retentionText({ messages: 12_345, maxAge: '1800s', maxAgeMs: 1_800_000, maxLengthBytes: null, segments: 2 })).toBe('retains 12,345 messages for 1800s (30 min) in 2 segments');
    expect(retentionText({ messages: 1, maxAge: null, maxAgeMs: null, maxLengthBytes: 20_000_000, segments: null })).toBe('retains 1 message up to 20,000,000 bytes');
    expect(retentionText({ messages: null, maxAge: '7D', maxAgeMs: 7 * 86_400_000, maxLengthBytes: 5000, segments: 1 })).toBe('retains its messages for 7D (7 d), up to 5,000 bytes in 1 segment');
  });
});
