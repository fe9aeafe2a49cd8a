import { describe, expect, it } from 'vitest';
import { AskAgain } from './ask-again';

describe('asking the management API again', () => {
  it('asks at once, then after 4, 8, 16 s in one state, never less often than the maximum, and never stops', () => {
    const asks = new AskAgain(4000, 20_000);
    const askedAt: number[] = [];
    for (let t = 0; t <= 80_000; t += 1000) {
      if (!asks.due('compute.host1', 1, t)) continue;
      asks.asking('compute.host1', 1, t);
      askedAt.push(t);
    }
    expect(askedAt).toEqual([0, 4000, 12_000, 28_000, 48_000, 68_000]);
  });

  it('starts again when the state changes or the answer agreed', () => {
    const asks = new AskAgain(4000, 60_000);
    asks.asking('q', 1, 0);
    asks.asking('q', 1, 4000);
    expect(asks.due('q', 1, 9000)).toBe(false);
    expect(asks.due('q', 2, 9000)).toBe(true);
    asks.settled('q');
    expect(asks.due('q', 1, 9000)).toBe(true);
    asks.asking('q', 1, 9000);
    asks.keepOnly(new Set(['other']));
    expect(asks.due('q', 1, 9001)).toBe(true);
  });
});
