// How a queue's health (lib/domain/health.ts) looks, everywhere: rows, cards, the flow picture.
// Pages only colour it; they never decide it.
import type { QueueHealth } from '@/lib/domain/vocabulary';

export type Tone = 'red' | 'amber' | 'grey' | 'green';

export const HEALTH_STYLE: Record<QueueHealth, { label: string; title: string; tone: Tone; fill: string; stroke: string; text: string }> = {
  unavailable: { label: 'unavailable', title: 'its node is down or it crashed: nothing reaches it', tone: 'red', fill: '#fee2e2', stroke: '#7f1d1d', text: '#7f1d1d' },
  stuck: { label: 'stuck', title: 'its consumers take messages and acknowledge none', tone: 'red', fill: '#fee2e2', stroke: '#991b1b', text: '#7f1d1d' },
  unconsumed: { label: 'unconsumed', title: 'no consumer, and messages wait', tone: 'red', fill: '#fef2f2', stroke: '#dc2626', text: '#991b1b' },
  'no-consumer': { label: 'no consumer', title: 'nothing consumes it (nothing waits yet)', tone: 'amber', fill: '#fff7ed', stroke: '#ea580c', text: '#9a3412' },
  backlog: { label: 'backlog', title: 'consumed, but messages pile up', tone: 'amber', fill: '#fffbeb', stroke: '#f59e0b', text: '#92400e' },
  unknown: { label: 'unknown', title: 'the broker collects no statistics', tone: 'grey', fill: '#f5f5f5', stroke: '#a3a3a3', text: '#404040' },
  healthy: { label: 'healthy', title: 'consumed, nothing piling up', tone: 'green', fill: '#ecfdf5', stroke: '#34d399', text: '#065f46' },
};

/** The background of a table row or card in trouble; nothing for the rest. */
export function rowTint(health: QueueHealth): string {
  const tone = HEALTH_STYLE[health].tone;
  return tone === 'red' ? 'bg-red-50/70' : tone === 'amber' ? 'bg-amber-50/60' : '';
}

/** The border of a card, by the worst health it holds. */
export function borderTint(health: QueueHealth): string {
  const tone = HEALTH_STYLE[health].tone;
  return tone === 'red' ? 'border-red-300' : tone === 'amber' ? 'border-amber-300' : 'border-neutral-200';
}

const TONE_CLASS: Record<Tone, string> = {
  red: 'bg-red-50 text-red-700 ring-red-200',
  amber: 'bg-amber-50 text-amber-800 ring-amber-200',
  grey: 'bg-neutral-50 text-neutral-600 ring-neutral-300',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
};

export function HealthBadge({ health }: { health: QueueHealth }) {
  const s = HEALTH_STYLE[health];
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-px text-[11px] font-medium leading-4 ring-1 ring-inset ${TONE_CLASS[s.tone]}`}
      title={s.title}
      data-health={health}
    >
      {s.label}
    </span>
  );
}
