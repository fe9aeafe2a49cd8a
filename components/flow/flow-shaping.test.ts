import { describe, expect, it } from 'vitest';
import { edgeWidth } from './flow-shaping';

describe('edgeWidth', () => {
  it('is thin for nothing or unknown, grows with the rate, and stays readable', () => {
    expect(edgeWidth(null)).toBe(1);
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1)).toBeGreaterThan(1);
    expect(edgeWidth(100)).toBeGreaterThan(edgeWidth(10));
    expect(edgeWidth(1e9)).toBe(9);
  });
});
