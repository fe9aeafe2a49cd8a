import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '@/lib/domain/journal';
import { CapturedMemory } from './remembered';

const entry = (at: number, kind: JournalEntry['kind'], host: string, binary = 'nova-compute'): JournalEntry => ({
  at,
  kind,
  subject: { type: 'queue', vhost: '/', name: `compute.${host}` },
  host,
  binary,
  process: `${binary}:1@10.0.0.1`,
  vhost: '/',
  queue: `compute.${host}`,
  before: null,
  after: null,
});

describe("a capture's journal and history, read as the store is", () => {
  const memory = new CapturedMemory(
    {
      from: 1000,
      to: 9000,
      journal: [entry(8000, 'consumer-gained', 'hv-2'), entry(5000, 'consumer-lost', 'hv-1'), entry(2000, 'queue-declared', 'hv-1', 'neutron-server')],
      series: [{ scope: 'global', key: '', stepMs: 60_000, points: [{ t: 1000, ready: 1, unacked: 0, consumers: 2, publish: 0, deliver: 0, ack: 0, redeliver: 0 }, { t: 7000, ready: 3, unacked: 0, consumers: 2, publish: 0, deliver: 0, ack: 0, redeliver: 0 }] }],
    },
    'the capture x.json.gz',
  );

  it('filters the journal as the store does, newest first', async () => {
    expect((await memory.journal('any', { from: 0, to: 10_000, host: 'hv-1' })).map((e) => e.at)).toEqual([5000, 2000]);
    expect((await memory.journal('any', { from: 0, to: 10_000, kinds: ['consumer-lost', 'consumer-gained'] })).map((e) => e.at)).toEqual([8000, 5000]);
    expect((await memory.journal('any', { from: 0, to: 10_000, binaryPrefix: 'neutron-' })).map((e) => e.kind)).toEqual(['queue-declared']);
    expect(await memory.journal('any', { from: 6000, to: 7000 })).toEqual([]);
  });

  it('answers a series within the range, at its resolution; nothing for one it does not hold', async () => {
    expect(await memory.series('any', 'global', '', 5000, 9000)).toMatchObject({ stepMs: 60_000, points: [{ t: 7000, ready: 3 }] });
    expect(await memory.series('any', 'host', 'hv-1', 0, 9000)).toEqual({ stepMs: 60_000, points: [] });
    expect(memory.status()).toEqual({ state: 'ok', where: 'the capture x.json.gz' });
  });
});
