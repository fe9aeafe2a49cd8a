// How the flow picture looks: colours per state, edge widths per rate.
import type { FlowState } from '@/lib/domain/flow';

export const STATE_STYLE: Record<FlowState, { label: string; fill: string; stroke: string; text: string }> = {
  healthy: { label: 'healthy', fill: '#ecfdf5', stroke: '#34d399', text: '#065f46' },
  backlog: { label: 'backlog', fill: '#fffbeb', stroke: '#f59e0b', text: '#92400e' },
  'no-consumer': { label: 'no consumer', fill: '#fef2f2', stroke: '#dc2626', text: '#991b1b' },
  stuck: { label: 'stuck', fill: '#fee2e2', stroke: '#991b1b', text: '#7f1d1d' },
  unknown: { label: 'unknown (no statistics)', fill: '#f5f5f5', stroke: '#a3a3a3', text: '#404040' },
};

/** 1 px for nothing or unknown, growing with the logarithm of the rate, at most 9 px. */
export function edgeWidth(rate: number | null): number {
  if (rate === null || rate <= 0) return 1;
  return Math.min(9, 1.5 + 2 * Math.log10(1 + rate));
}
