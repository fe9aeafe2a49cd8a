// The resolutions history is kept at, and which one a chart of a range reads.
export interface Resolution {
  stepMs: number;
  keepMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 5 s for an hour, 1 min for a day, 10 min for 14 days. */
export const DEFAULT_RESOLUTIONS: readonly Resolution[] = [
  { stepMs: 5000, keepMs: HOUR },
  { stepMs: MINUTE, keepMs: DAY },
  { stepMs: 10 * MINUTE, keepMs: 14 * DAY },
];

/** The start of the bucket of `stepMs` that holds `at`. */
export const bucketOf = (at: number, stepMs: number): number => Math.floor(at / stepMs) * stepMs;

/** The finest resolution that still holds the range's start at `now` and gives at most ~1500 points. */
export function resolutionFor(resolutions: readonly Resolution[], now: number, from: number, to: number): Resolution {
  const fits = resolutions.filter((r) => now - r.keepMs <= from + r.stepMs && (to - from) / r.stepMs <= 1500);
  return fits[0] ?? resolutions.at(-1)!;
}
