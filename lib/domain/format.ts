// Durations in words, one way everywhere: finding texts, queue arguments and the pages' ages.

const UNITS: readonly (readonly [number, string])[] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/**
 * 1800000 → "30 min"; 90000 → "1.5 min"; 303000 → "5 min"; 12345 → "12 s"; 500 → "500 ms".
 * Rounded down (an age of 59 s is not yet a minute), to a tenth below ten of a unit; never negative.
 */
/** "1 queue", "3 queues", "2 policies". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

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
