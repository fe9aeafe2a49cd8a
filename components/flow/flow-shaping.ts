// How the flow picture's edges look (its boxes are coloured by health: components/ui/health.tsx).

/** 1 px for nothing or unknown, growing with the logarithm of the rate, at most 9 px. */
export function edgeWidth(rate: number | null): number {
  if (rate === null || rate <= 0) return 1;
  return Math.min(9, 1.5 + 2 * Math.log10(1 + rate));
}
