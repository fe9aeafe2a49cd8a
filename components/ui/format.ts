// Number, rate, age and size formatting for dense operator tables. Pure.
import { formatDuration } from '@/lib/domain/format';

export { formatDuration };

/** 950 → "950", 1234 → "1.2k", 3_400_000 → "3.4M"; null → "–". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs < 1000) return sign + (Number.isInteger(abs) ? String(abs) : abs.toFixed(1));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = abs / size;
      const s = v >= 100 ? Math.round(v).toString() : trimZero(v.toFixed(1));
      // 999.95k rounds to "1000k": move up a unit
      if (s === '1000' && unit !== 'T') return formatCount(sign === '-' ? -size * 1000 : size * 1000);
      return `${sign}${s}${unit}`;
    }
  }
  return String(n);
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Messages per second: 0 → "0/s", 0.04 → "<0.1/s", 3.44 → "3.4/s", 1234 → "1.2k/s". */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || Number.isNaN(r)) return 'n/a';
  if (r === 0) return '0/s';
  if (Math.abs(r) < 0.1) return '<0.1/s';
  if (Math.abs(r) < 1000) return `${trimZero(r.toFixed(1))}/s`;
  return `${formatCount(r)}/s`;
}

/** Age of an epoch-ms timestamp relative to now. */
export function formatAge(epochMs: number | null | undefined, now: number): string {
  if (epochMs === null || epochMs === undefined) return '–';
  return formatDuration(now - epochMs);
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : trimZero(v.toFixed(1))} ${units[i]}`;
}

/** Percent of a limit, or null. */
export function percentOf(used: number | null, limit: number | null): number | null {
  if (used === null || limit === null || limit <= 0) return null;
  return (used / limit) * 100;
}

export const RATES_UNAVAILABLE = 'rates unavailable: the broker collects no message statistics';

/** Every digit, grouped: "12,056" where an operator compares exact counts. */
export function formatExact(n: number): string {
  return n.toLocaleString('en-US');
}
