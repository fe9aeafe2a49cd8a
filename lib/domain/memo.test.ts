import { describe, expect, it } from 'vitest';
import { emptyInputs } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { deepFreeze, perState, perStateKeyed, StateMemo } from './memo';

describe('perState', () => {
  it('computes once per state: the same state gives the same object, another state a new one', () => {
    let computed = 0;
    const totals = perState((s) => ({ queues: s.topology.queues.length, n: ++computed }));
    const a = stateOf(emptyInputs());
    const b = stateOf(emptyInputs());
    expect(totals(a)).toBe(totals(a));
    expect(computed).toBe(1);
    expect(totals(b)).not.toBe(totals(a));
    expect(totals(b)).toEqual({ queues: 0, n: 2 });
    expect(totals(a).n).toBe(1);
  });

  it('keeps a value even when it is null or undefined', () => {
    let computed = 0;
    const nothing = perState(() => {
      computed++;
      return undefined;
    });
    const s = stateOf(emptyInputs());
    nothing(s);
    nothing(s);
    expect(computed).toBe(1);
  });
});

describe('perStateKeyed', () => {
  it('computes once per state and key', () => {
    let computed = 0;
    const page = perStateKeyed(8, (host: string) => host, (_s, host) => ({ host, n: ++computed }));
    const s = stateOf(emptyInputs());
    expect(page(s, 'compute1')).toBe(page(s, 'compute1'));
    expect(page(s, 'compute2')).not.toBe(page(s, 'compute1'));
    expect(computed).toBe(2);
    expect(page(stateOf(emptyInputs()), 'compute1')).not.toBe(page(s, 'compute1'));
  });

  it('keeps at most `max` keys per state, dropping the least recently used', () => {
    let computed = 0;
    const page = perStateKeyed(3, (host: string) => host, (_s, host) => ({ host, n: ++computed }));
    const s = stateOf(emptyInputs());
    const first = page(s, 'a');
    page(s, 'b');
    page(s, 'c');
    page(s, 'a'); // used again: now the most recent
    page(s, 'd'); // drops b
    expect(s.memo.size).toBe(3);
    expect(page(s, 'a')).toBe(first);
    expect(computed).toBe(4);
    page(s, 'b');
    expect(computed).toBe(5);
    for (let i = 0; i < 100; i++) page(s, `host${i}`);
    expect(s.memo.size).toBe(3);
  });
});

describe('StateMemo', () => {
  it('keeps each slot apart', () => {
    const memo = new StateMemo();
    const one = {};
    const two = {};
    expect(memo.once(one, () => 1)).toBe(1);
    expect(memo.once(two, () => 2)).toBe(2);
    expect(memo.once(one, () => 3)).toBe(1);
    expect(memo.keyed(one, 'k', 2, () => 'x')).toBe('x');
    expect(memo.keyed(two, 'k', 2, () => 'y')).toBe('y');
    expect(memo.size).toBe(4);
  });
});

describe('deepFreeze', () => {
  it('freezes every object and array inside', () => {
    const v = deepFreeze({ a: [{ b: 1 }], c: { d: [2] }, e: null });
    expect(Object.isFrozen(v) && Object.isFrozen(v.a) && Object.isFrozen(v.a[0]) && Object.isFrozen(v.c.d)).toBe(true);
    expect(() => (v.a as { b: number }[]).push({ b: 2 })).toThrow(TypeError);
  });
});
