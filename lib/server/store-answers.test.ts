import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '@/lib/domain/journal';
import { CapturedMemory } from '@/lib/store/remembered';
import { recallEarlierRun } from './store-answers';

const HOUR = 3600_000;
const NOW = 100 * HOUR;

const consumer = (at: number, kind: 'consumer-gained' | 'consumer-lost', binary: string | null, host: string | null, vhost = '/'): JournalEntry => ({
  at,
  kind,
  subject: { type: 'queue', vhost, name: `q.${host}` },
  host,
  binary,
  process: binary ? `${binary}:1@10.0.0.1` : null,
  vhost,
  queue: `q.${host}`,
  before: null,
  after: null,
});

const finding = (at: number, kind: 'finding-raised' | 'finding-resolved', id: string): JournalEntry => ({
  at,
  kind,
  subject: { type: 'finding', id, rule: 'rpc-server-unconsumed', about: { type: 'queue', vhost: '/', name: 'compute.hv-1' } },
  host: 'hv-1',
  binary: null,
  process: null,
  vhost: '/',
  queue: null,
  before: null,
  after: null,
});

describe('what an earlier run of the dashboard knew, from the journal', () => {
  it('recalls the findings it left open and the services it saw consuming within the day', async () => {
    const memory = new CapturedMemory(
      {
        from: 0,
        to: NOW,
        journal: [
          finding(NOW - 2 * HOUR, 'finding-raised', 'open-one'),
          finding(NOW - 3 * HOUR, 'finding-resolved', 'closed-one'),
          finding(NOW - 4 * HOUR, 'finding-raised', 'closed-one'),
          consumer(NOW - HOUR, 'consumer-lost', 'nova-compute', 'hv-2'),
          consumer(NOW - 5 * HOUR, 'consumer-gained', 'nova-compute', 'hv-1'),
          consumer(NOW - 5 * HOUR, 'consumer-gained', 'cinder-volume', 'st-1', 'cloud'),
          consumer(NOW - 5 * HOUR, 'consumer-gained', null, 'hv-3'),
          consumer(NOW - 30 * HOUR, 'consumer-lost', 'heat-engine', 'ctl-1'),
        ],
        series: [],
      },
      'a capture',
    );
    const earlier = await recallEarlierRun(memory, 'any', NOW);
    expect(earlier?.openSince).toEqual(new Map([['open-one', NOW - 2 * HOUR]]));
    expect(earlier?.servicesSeen).toEqual([
      { vhost: '/', binary: 'nova-compute', hosts: ['hv-1', 'hv-2'], lastSeen: NOW - HOUR },
      { vhost: 'cloud', binary: 'cinder-volume', hosts: ['st-1'], lastSeen: NOW - 5 * HOUR },
    ]);
  });
});
