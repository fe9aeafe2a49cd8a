// Since when each queue has been idle. The Prometheus plugin does not say it: the dashboard does,
// from what it saw move (messages in or out, or its lengths changing) from one refresh to the next.
import type { MessageRates, QueueInput } from '@/lib/domain/types';

export class IdleTracker {
  /** Per queue (refKey): when the dashboard last saw it move, and its gauges then. */
  private readonly activity = new Map<string, { at: number; ready: number | null; unacked: number | null }>();

  /** Null while it moves; before it was ever seen to move, idle since it was first read. */
  idleSince(key: string, q: Pick<QueueInput, 'messagesReady' | 'messagesUnacknowledged' | 'rates'>, at: number): number | null {
    const before = this.activity.get(key);
    const r: MessageRates | null = q.rates;
    const moved = (r !== null && r.publish + r.deliver + r.ack + r.redeliver > 0) || (before !== undefined && (before.ready !== q.messagesReady || before.unacked !== q.messagesUnacknowledged));
    const since = moved || !before ? at : before.at;
    this.activity.set(key, { at: since, ready: q.messagesReady, unacked: q.messagesUnacknowledged });
    return moved ? null : since;
  }

  /** Deleted queues are forgotten. */
  keepOnly(keys: { has(key: string): boolean }): void {
    for (const key of this.activity.keys()) if (!keys.has(key)) this.activity.delete(key);
  }
}
