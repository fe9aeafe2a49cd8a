import type { ReactNode } from 'react';
import type { MessageRates } from '@/lib/api/schemas';
import { formatCount, formatRate, RATES_UNAVAILABLE } from './format';

/** Rates object null → "n/a" with an explanation; never 0. */
export function Rate({ rates, field }: { rates: MessageRates | null | undefined; field: keyof MessageRates }) {
  if (!rates) return <NotAvailable />;
  const v = rates[field];
  return <span className={`tabular ${v === 0 ? 'text-neutral-400' : ''}`}>{formatRate(v)}</span>;
}

export function RateValue({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <NotAvailable />;
  return <span className={`tabular ${value === 0 ? 'text-neutral-400' : ''}`}>{formatRate(value)}</span>;
}

export function NotAvailable() {
  return (
    <span className="cursor-help text-neutral-400 underline decoration-dotted underline-offset-2" title={RATES_UNAVAILABLE}>
      n/a
    </span>
  );
}

/** A count; `warnAbove` colours it amber/red when it grows. */
export function Count({ value, warnAbove, alarmAbove }: { value: number | null | undefined; warnAbove?: number; alarmAbove?: number }) {
  if (value === null || value === undefined) return <span className="text-neutral-400">–</span>;
  let cls = value === 0 ? 'text-neutral-400' : '';
  if (alarmAbove !== undefined && value > alarmAbove) cls = 'font-semibold text-red-700';
  else if (warnAbove !== undefined && value > warnAbove) cls = 'font-medium text-amber-700';
  return (
    <span className={`tabular ${cls}`} title={value.toLocaleString('en-US')}>
      {formatCount(value)}
    </span>
  );
}

/** Consumer count; zero is trouble for queues that need a consumer. */
export function Consumers({ value, expectConsumer = true }: { value: number | null | undefined; expectConsumer?: boolean }) {
  if (value === null || value === undefined) return <span className="text-neutral-400">–</span>;
  if (value === 0 && expectConsumer)
    return (
      <span className="tabular font-semibold text-red-700" title="no consumer: messages wait here">
        0
      </span>
    );
  return <span className="tabular">{formatCount(value)}</span>;
}

/** A broker that collects no statistics gives no queue lengths or consumers: n/a, not 0. */
export function NotCounted() {
  return (
    <span className="text-neutral-400" title="the broker collects no statistics (management_agent.disable_metrics_collector)">
      n/a
    </span>
  );
}

/** `shown`, or n/a when the broker collects no statistics. */
export function counted(statsEnabled: boolean, shown: ReactNode): ReactNode {
  return statsEnabled ? shown : <NotCounted />;
}
