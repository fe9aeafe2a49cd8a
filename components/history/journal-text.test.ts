import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalGroup } from '@/lib/api/schemas';
import { describeEntry, describeGroup, toneOf } from './journal-text';
import { span, tickFormat } from './time';

const lost: JournalEntry = {
  at: Date.UTC(2026, 10, 28, 2, 13, 5),
  kind: 'consumer-lost',
  subject: { type: 'queue', vhost: '/', name: 'compute.compute03' },
  host: 'compute03',
  binary: 'nova-compute',
  process: 'nova-compute:4242@10.0.0.13',
  vhost: '/',
  queue: 'compute.compute03',
  before: 'nova-compute:4242@10.0.0.13',
  after: null,
};

const group = (g: Partial<JournalGroup>): JournalGroup => ({ kind: 'consumer-lost', binary: 'nova-compute', from: lost.at, to: lost.at, count: 1, entries: [lost], more: 0, ...g });

describe('the journal in words', () => {
  it('names the process by binary, pid and host', () => {
    expect(describeEntry(lost)).toBe('compute.compute03 lost its consumer nova-compute (4242) on compute03');
  });

  it('says a group of one as its entry, a larger one as how many of what', () => {
    expect(describeGroup(group({}))).toBe(describeEntry(lost));
    expect(describeGroup(group({ kind: 'reconnected', count: 1000, entries: [lost], more: 2999 }))).toBe('nova-compute: 1,000 processes reconnected');
    expect(describeGroup(group({ kind: 'node-down', binary: null, count: 2 }))).toBe('2 nodes went down');
  });

  it('says a policy change with before and after', () => {
    const e: JournalEntry = { ...lost, kind: 'policy-changed', subject: { type: 'policy', vhost: '/', name: 'ha' }, before: 'a', after: 'b' };
    expect(describeEntry(e)).toBe('policy ha changed: a → b');
    expect(describeEntry({ ...e, before: null })).toBe('policy ha set: b');
    expect(describeEntry({ ...e, after: null })).toBe('policy ha removed');
  });

  it('colours losses red and returns green', () => {
    expect(toneOf('consumer-lost')).toBe('red');
    expect(toneOf('consumer-gained')).toBe('green');
    expect(toneOf('reconnected')).toBe('amber');
  });

  it('formats ticks by the span they cover, and a group by when it started and ended', () => {
    const t = new Date(2026, 10, 28, 2, 13, 5).getTime();
    expect(tickFormat(15 * 60_000)(t)).toBe('02:13:05');
    expect(tickFormat(6 * 3_600_000)(t)).toBe('02:13');
    expect(tickFormat(7 * 86_400_000)(t)).toBe('Nov 28 02:13');
    expect(span(t, t + 39_000, t)).toBe('between 02:13:05 and 02:13:44');
    expect(span(t, t, t)).toBe('at 02:13:05');
  });
});
