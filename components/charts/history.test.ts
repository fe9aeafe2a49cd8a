import { describe, expect, it } from 'vitest';
import { hasNoRates, toChartPoints } from './history';

const sample = (t: number, publish: number | null = 1) => ({ t, ready: 1, unacknowledged: 0, publish, deliver: publish, ack: publish, redeliver: publish });

describe('toChartPoints', () => {
  it('sorts by time and labels', () => {
    const pts = toChartPoints([sample(2000), sample(1000)]);
    expect(pts.map((p) => p.t)).toEqual([1000, 2000]);
    expect(pts[0]?.label).toMatch(/^\d\d:\d\d:\d\d$/);
  });
});

describe('hasNoRates', () => {
  it('is true only when every rate is null', () => {
    expect(hasNoRates([sample(1, null), sample(2, null)])).toBe(true);
    expect(hasNoRates([sample(1, null), sample(2, 0)])).toBe(false);
    expect(hasNoRates([])).toBe(false);
  });
});
