// Viewers of the overview without a browser: each asks what the overview page asks
// (its overview and findings every refresh interval, as React Query's refetchInterval
// does) until stopped, starting at phases spread over one interval.
import { median, percentile } from './stats';

export interface ViewersResult {
  viewers: number;
  periodMs: number;
  polls: number;
  failures: number;
  overviewMedianMs: number;
  overviewP95Ms: number;
}

async function timedGet(url: string): Promise<{ ok: boolean; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { headers: { accept: 'application/json', 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return { ok: res.ok, ms: performance.now() - t0 };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
}

/**
 * Starts `viewers` polling every `intervalMs` (phases spread over one interval); `stop()`
 * ends them and says what they saw.
 */
export function startViewers(baseURL: string, viewers: number, intervalMs: number): { stop: () => Promise<ViewersResult> } {
  const api = `${baseURL}/api/v1/clusters/default`;
  const startedAt = Date.now();
  const overviewTimes: number[] = [];
  let polls = 0;
  let failures = 0;
  let stopped = false;
  const viewer = async (phaseMs: number) => {
    await new Promise((r) => setTimeout(r, phaseMs));
    for (let next = Date.now(); !stopped; next += intervalMs) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const [o, f] = await Promise.all([timedGet(`${api}/overview`), timedGet(`${api}/findings`)]);
      polls++;
      overviewTimes.push(o.ms);
      if (!o.ok || !f.ok) failures++;
    }
  };
  const running = Promise.all(Array.from({ length: viewers }, (_, i) => viewer((i * intervalMs) / viewers)));
  return {
    stop: async () => {
      stopped = true;
      await running;
      return {
        viewers,
        periodMs: Date.now() - startedAt,
        polls,
        failures,
        overviewMedianMs: median(overviewTimes),
        overviewP95Ms: percentile(overviewTimes, 95),
      };
    },
  };
}
