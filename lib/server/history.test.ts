import { describe, expect, it } from 'vitest';
import { buildTopology } from '@/lib/domain/topology';
import { emptyInputs, makeQueue } from '@/lib/testing/builders';
import { mergeBrokerSamples } from '@/lib/broker/mappers';
import { History, withEarlier } from './history';

describe('mergeBrokerSamples', () => {
  it('keeps lengths as values and turns running counters into rates', () => {
    const merged = mergeBrokerSamples(
      { ready: [{ sample: 7, timestamp: 20_000 }, { sample: 5, timestamp: 10_000 }] },
      { publish_details: { samples: [{ sample: 150, timestamp: 20_000 }, { sample: 100, timestamp: 10_000 }] } },
    );
    expect(merged).toEqual([
      { t: 10_000, ready: 5, unacknowledged: null, publish: null, deliver: null, ack: null, redeliver: null },
      { t: 20_000, ready: 7, unacknowledged: null, publish: 5, deliver: null, ack: null, redeliver: null },
    ]);
  });
});

describe('History', () => {
  it('keeps a bounded ring per queue, oldest first, and forgets deleted queues', () => {
    const h = new History(3, 2);
    const at = (ready: number) => buildTopology(emptyInputs({ queues: [makeQueue({ name: 'q', messagesReady: ready })] }));
    h.record(at(1), 1);
    h.record(at(2), 2);
    h.record(at(3), 3);
    expect(h.queueSamples('/', 'q').map((s) => s.ready)).toEqual([2, 3]);
    expect(h.globalSamples().map((s) => s.t)).toEqual([1, 2, 3]);
    h.record(buildTopology(emptyInputs()), 4);
    expect(h.queueSamples('/', 'q')).toEqual([]);
  });

  it('records unknown rates as null, not zero', () => {
    const h = new History(5);
    const inputs = emptyInputs({ queues: [makeQueue({ name: 'q', rates: null })] });
    inputs.overview = { ...inputs.overview, statsEnabled: false, rates: null };
    h.record(buildTopology(inputs), 1);
    expect(h.globalSamples()[0]?.publish).toBeNull();
    expect(h.queueSamples('/', 'q')[0]?.publish).toBeNull();
  });

  it('puts the broker\'s own samples before its first sample', () => {
    const h = new History(5);
    h.seedGlobal([{ t: 1, ready: 9, unacknowledged: 0, publish: null, deliver: null, ack: null, redeliver: null }]);
    h.record(buildTopology(emptyInputs()), 10);
    expect(h.globalSamples().map((s) => s.t)).toEqual([1, 10]);
  });
});

describe('History of queues that come and go', () => {
  it('gives a new queue only the samples taken since it appeared, and rates as the broker gave them', () => {
    const h = new History(10, 3);
    const q = (name: string, ready: number) => makeQueue({ name, messagesReady: ready, rates: { publish: 1.5, deliver: 0.25, ack: 0, redeliver: 0 } });
    h.record(buildTopology(emptyInputs({ queues: [q('old', 1)] })), 100);
    h.record(buildTopology(emptyInputs({ queues: [q('old', 2), q('new', 7)] })), 200);
    h.record(buildTopology(emptyInputs({ queues: [q('old', 3), q('new', 8)] })), 300);
    h.record(buildTopology(emptyInputs({ queues: [q('old', 4), q('new', 9)] })), 400);
    expect(h.queueSamples('/', 'new').map((s) => [s.t, s.ready])).toEqual([[200, 7], [300, 8], [400, 9]]);
    expect(h.queueSamples('/', 'old').map((s) => [s.t, s.ready])).toEqual([[200, 2], [300, 3], [400, 4]]);
    expect(h.queueSamples('/', 'new')[0]).toMatchObject({ publish: 1.5, deliver: 0.25, ack: 0 });
  });

  it('says since when it knows a queue, and starts again for one deleted and declared anew', () => {
    const h = new History(10, 3);
    const at = (names: string[], t: number) => h.record(buildTopology(emptyInputs({ queues: names.map((name) => makeQueue({ name })) })), t);
    at(['old'], 100);
    at(['old', 'new'], 200);
    expect(h.queueFirstSeen('/', 'new')).toBe(200);
    expect(h.queueFirstSeen('/', 'old')).toBe(100);
    at(['old', 'new'], 300);
    expect(h.queueFirstSeen('/', 'old')).toBe(100); // although that sample has left its ring
    at(['old'], 400);
    at(['old', 'new'], 500);
    expect(h.queueFirstSeen('/', 'new')).toBe(500);
    expect(h.queueFirstSeen('/', 'never')).toBeNull();
  });
});

describe('withEarlier', () => {
  const at = (t: number, ready: number) => ({ t, ready, unacknowledged: null, publish: null, deliver: null, ack: null, redeliver: null });
  it("puts samples from elsewhere before the dashboard's own, where those do not reach", () => {
    expect(withEarlier([at(1, 10), at(2, 20), at(3, 30)], [at(3, 31), at(4, 40)]).map((s) => s.ready)).toEqual([10, 20, 31, 40]);
    expect(withEarlier([at(1, 10)], []).map((s) => s.ready)).toEqual([10]);
  });
});
