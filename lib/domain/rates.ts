import type { Backlog, MessageRates } from './types';

export const ZERO_RATES: MessageRates = { publish: 0, deliver: 0, ack: 0, redeliver: 0 };

/** Sums rates; unknown (null) parts are skipped, and all-unknown stays unknown. */
export function sumRates(items: Iterable<MessageRates | null>): MessageRates | null {
  let sum: MessageRates | null = null;
  for (const r of items) {
    if (!r) continue;
    sum ??= { ...ZERO_RATES };
    sum.publish += r.publish;
    sum.deliver += r.deliver;
    sum.ack += r.ack;
    sum.redeliver += r.redeliver;
  }
  return sum;
}

export function sumBacklog(items: Iterable<{ messagesReady: number | null; messagesUnacknowledged: number | null }>): Backlog {
  const backlog: Backlog = { ready: 0, unacknowledged: 0 };
  for (const q of items) {
    backlog.ready += q.messagesReady ?? 0;
    backlog.unacknowledged += q.messagesUnacknowledged ?? 0;
  }
  return backlog;
}
