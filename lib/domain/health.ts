// The one judgement of a queue's health, from its numbers and the findings open about
// it, with one set of thresholds. The flow picture, the service list, the queue lists,
// the component cards and the overview colour from it; none decides on its own.
import type { Thresholds } from './findings/types';
import { quorumLost } from './replication';
import { waitingMessages } from './streams';
import type { Queue } from './types';
import { QUEUE_HEALTHS, type QueueHealth, rankIn, type RuleId } from './vocabulary';

/** States in which the broker cannot serve the queue at all (its node is down, it crashed). */
const UNAVAILABLE_STATES: ReadonlySet<string> = new Set(['down', 'crashed', 'stopped']);

type HealthFields = Pick<Queue, 'kind' | 'type' | 'state' | 'consumers' | 'messagesReady' | 'replication'>;

/** oslo.messaging's queues are useless without a consumer; a queue of anything else may rest unconsumed. */
export function needsConsumer(q: Pick<Queue, 'kind'>): boolean {
  return q.kind !== 'other';
}

/**
 * A queue's health. `rules` are the rules of the findings open about it: they tell what the
 * numbers of one refresh cannot (a consumer that acknowledges nothing, a backlog that grows).
 * A quorum queue below its quorum or without a leader serves nothing, whatever its numbers say
 * (they may be older than the node list). A stream retains its messages for its readers: what
 * it holds is never a backlog.
 */
export function queueHealth(q: HealthFields, rules: ReadonlySet<RuleId>, thresholds: Pick<Thresholds, 'backlogMessages'>): QueueHealth {
  if ((q.state !== null && UNAVAILABLE_STATES.has(q.state)) || quorumLost(q)) return 'unavailable';
  if (q.consumers === null) return 'unknown';
  if (rules.has('consumer-stuck')) return 'stuck';
  const ready = waitingMessages(q) ?? 0;
  if (needsConsumer(q) && q.consumers === 0) return ready > 0 ? 'unconsumed' : 'no-consumer';
  if (rules.has('backlog-growing') || ready >= thresholds.backlogMessages) return 'backlog';
  return 'healthy';
}

/** Worst first. */
export function compareHealth(a: QueueHealth, b: QueueHealth): number {
  return rankIn(QUEUE_HEALTHS, a) - rankIn(QUEUE_HEALTHS, b);
}

/** How many queues are in each health, every state present. */
export type HealthCounts = Record<QueueHealth, number>;

export function emptyHealthCounts(): HealthCounts {
  return Object.fromEntries(QUEUE_HEALTHS.map((h) => [h, 0])) as HealthCounts;
}

/** The worst state with a queue in it. */
export function worstOf(counts: HealthCounts): QueueHealth {
  return QUEUE_HEALTHS.find((h) => counts[h] > 0) ?? 'healthy';
}
