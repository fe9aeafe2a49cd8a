// Shaping the server's history samples for the charts. Pure.
import type { HistorySample } from '@/lib/api/schemas';

export interface ChartPoint extends HistorySample {
  /** Clock label, e.g. "14:05:10". */
  label: string;
}

export function toChartPoints(history: HistorySample[]): ChartPoint[] {
  return [...history]
    .sort((a, b) => a.t - b.t)
    .map((s) => ({ ...s, label: clock(s.t) }));
}

function clock(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** True when no sample carries any rate: the broker collects none. */
export function hasNoRates(history: HistorySample[]): boolean {
  return history.length > 0 && history.every((s) => s.publish === null && s.deliver === null && s.ack === null && s.redeliver === null);
}
