import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '@/lib/domain/journal';
import { queueSeriesKey, type SeriesPoint, vhostSeriesKey } from '@/lib/domain/series';
import { SEES_ALL, sightOf } from '@/lib/domain/sight';
import { narrowed } from './narrowed';
import { CapturedMemory, type CapturedTime } from './remembered';

const entry = (kind: JournalEntry['kind'], vhost: string | null, host: string): JournalEntry => ({
  at: 1000,
  kind,
  subject: { type: 'node', name: host },
  host,
  binary: null,
  process: null,
  vhost,
  queue: null,
  before: null,
  after: null,
});
const point = (t: number, consumers: number | null): { t: number } & SeriesPoint => ({ t, ready: 0, unacked: 0, consumers, publish: null, deliver: null, ack: null, redeliver: null });

const time: CapturedTime = {
  from: 0,
  to: 10_000,
  journal: [entry('consumer-lost', 'cell1', 'hv-1'), entry('consumer-lost', 'cell2', 'hv-2'), entry('connection-closed', null, 'hv-2'), entry('node-down', null, 'rabbit@a')],
  series: [
    { scope: 'global', key: '', stepMs: 5000, points: [point(0, 9), point(5000, 10)] },
    { scope: 'global', key: vhostSeriesKey('cell1', ''), stepMs: 5000, points: [point(0, 3), point(5000, 4)] },
    { scope: 'global', key: vhostSeriesKey('cell2', ''), stepMs: 5000, points: [point(0, 6), point(5000, null)] },
    { scope: 'global', key: vhostSeriesKey('cell3', ''), stepMs: 5000, points: [point(0, 1), point(5000, 1)] },
    { scope: 'queue', key: queueSeriesKey('cell2', 'compute.hv-2'), stepMs: 5000, points: [point(0, 1)] },
    { scope: 'process', key: 'nova-compute:1@10.0.0.2', stepMs: 5000, points: [point(0, 3)] },
  ],
};
const memory = new CapturedMemory(time, 'a test');
const processVhosts = (id: string) => (id === 'nova-compute:1@10.0.0.2' ? ['cell2'] : null);

describe('what is remembered, as an operator may see it', () => {
  it('is all of it for who sees everything', async () => {
    expect(narrowed(memory, SEES_ALL, processVhosts)).toBe(memory);
  });

  const cell1 = narrowed(memory, sightOf(['cell1'], ['cell1', 'cell2', 'cell3']), processVhosts);
  const cells12 = narrowed(memory, sightOf(['cell1', 'cell2'], ['cell1', 'cell2', 'cell3']), processVhosts);

  it("a journal of their vhosts and the broker's nodes", async () => {
    const seen = await cell1.journal('c', { from: 0, to: 10_000 });
    expect(seen?.map((e) => `${e.kind} ${e.host}`)).toEqual(['consumer-lost hv-1', 'node-down rabbit@a']);
    expect(await cell1.journal('c', { from: 0, to: 10_000, vhost: 'cell2' })).toEqual([]);
  });

  it("the broker's sums made of their vhosts' parts", async () => {
    expect((await cell1.series('c', 'global', '', 0, 10_000))?.points.map((p) => p.consumers)).toEqual([3, 4]);
    expect((await cells12.series('c', 'global', '', 0, 10_000))?.points.map((p) => p.consumers)).toEqual([9, 4]);
  });

  it("no queue or process of another vhost", async () => {
    expect((await cell1.series('c', 'queue', queueSeriesKey('cell2', 'compute.hv-2'), 0, 10_000))?.points).toEqual([]);
    expect((await cells12.series('c', 'queue', queueSeriesKey('cell2', 'compute.hv-2'), 0, 10_000))?.points).toHaveLength(1);
    expect((await cell1.series('c', 'process', 'nova-compute:1@10.0.0.2', 0, 10_000))?.points).toEqual([]);
    expect((await cells12.series('c', 'process', 'nova-compute:1@10.0.0.2', 0, 10_000))?.points).toHaveLength(1);
  });
});
