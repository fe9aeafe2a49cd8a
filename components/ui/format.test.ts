import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatCount, formatDuration, formatRate, percentOf } from './format';

describe('formatCount', () => {
  it('keeps small numbers', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
  });
  it('abbreviates', () => {
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(1000)).toBe('1k');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(3_400_000)).toBe('3.4M');
    expect(formatCount(999_960)).toBe('1M');
  });
  it('shows unknown as a dash', () => {
    expect(formatCount(null)).toBe('–');
    expect(formatCount(undefined)).toBe('–');
  });
});

describe('formatRate', () => {
  it('formats per second', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.04)).toBe('<0.1/s');
    expect(formatRate(3.44)).toBe('3.4/s');
    expect(formatRate(2)).toBe('2/s');
    expect(formatRate(1234)).toBe('1.2k/s');
  });
  it('never turns an unknown rate into 0', () => {
    expect(formatRate(null)).toBe('n/a');
  });
});

describe('formatDuration / formatAge', () => {
  it('is human', () => {
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(5 * 60_000 + 3000)).toBe('5 min');
    expect(formatDuration(3 * 3600_000)).toBe('3 h');
    expect(formatDuration(72 * 3600_000)).toBe('3 d');
    expect(formatDuration(-5)).toBe('0 s');
  });
  it('measures from now', () => {
    expect(formatAge(1_000, 61_000)).toBe('1 min');
    expect(formatAge(null, 1)).toBe('–');
  });
});

describe('formatBytes / percentOf', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GiB');
  });
  it('computes percent', () => {
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(null, 200)).toBeNull();
    expect(percentOf(1, 0)).toBeNull();
  });
});
