// Words and order, one way everywhere: finding texts, queue arguments, the pages' ages and lists.

const UNITS: readonly (readonly [number, string])[] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/** "1 queue", "3 queues", "2 policies", "1,000 processes". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Names in natural order, as operators number hosts: compute2 before compute10. */
export const compareNatural: (a: string, b: string) => number = new Intl.Collator('en', { numeric: true }).compare;

/**
 * 1800000 → "30 min"; 90000 → "1.5 min"; 303000 → "5 min"; 12345 → "12 s"; 500 → "500 ms".
 * Rounded down (an age of 59 s is not yet a minute), to a tenth below ten of a unit; never negative.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms <= 0) return '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  for (const [size, unit] of UNITS) {
    if (ms >= size) {
      const n = ms / size;
      return `${n >= 10 ? Math.floor(n) : Math.floor(n * 10) / 10} ${unit}`;
    }
  }
  return `${Math.floor(ms / 1000)} s`;
}
