import { waitingMessages } from './streams';
import type { Backlog, MessageRates, QueueInput } from './types';

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

/** Messages waiting and unacknowledged; a stream's are what it retains, not waiting (lib/domain/streams.ts). */
export function sumBacklog(items: Iterable<Pick<QueueInput, 'type' | 'messagesReady' | 'messagesUnacknowledged'>>): Backlog {
  const backlog: Backlog = { ready: 0, unacknowledged: 0 };
  for (const q of items) {
    backlog.ready += waitingMessages(q) ?? 0;
    backlog.unacknowledged += q.messagesUnacknowledged ?? 0;
  }
  return backlog;
}
