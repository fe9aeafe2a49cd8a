// Streams (oslo.messaging's rabbit_stream_fanout: one `<topic>_fanout` stream per topic) keep
// what is published for their readers, up to x-max-age or a size: what a stream holds is what it
// retains, never a backlog, and nobody empties it. And a stream consumer whose channel closed can
// stay in /api/consumers with empty channel_details: RabbitMQ 3.x for good, 4.0.5 for 40 s to 2+
// minutes (measured); the stream's own consumer count includes it for about a minute.
import type { ConsumerInput, QueueInput } from './types';

/** Ready messages waiting for a consumer: none in a stream, whose messages are what it retains. Null where the broker gives no count. */
export function waitingMessages(q: Pick<QueueInput, 'type' | 'messagesReady'>): number | null {
  if (q.type !== 'stream' || q.messagesReady === null) return q.messagesReady;
  return 0;
}

export interface StreamRetention {
  /** What it holds now (the broker's ready count); null without statistics. */
  messages: number | null;
  /** x-max-age as declared, e.g. "1800s"; null: kept until a size limit only. */
  maxAge: string | null;
  /** The same in milliseconds; null where it is not a valid age. */
  maxAgeMs: number | null;
  /** x-max-length-bytes as declared; null: none. */
  maxLengthBytes: number | null;
  /** Segment files on disk; null where the broker does not say (RabbitMQ 3.x). */
  segments: number | null;
}

/** RabbitMQ's x-max-age units: years, months, days, hours, minutes, seconds. */
const AGE_UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  Y: 365 * 86_400_000,
  M: 30 * 86_400_000,
  D: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
});

/** "1800s" → 1,800,000; null for anything RabbitMQ would not take. */
export function parseMaxAge(value: string): number | null {
  const m = /^(\d+)([YMDhms])$/.exec(value);
  return m ? Number(m[1]) * AGE_UNIT_MS[m[2]!]! : null;
}

/** What a stream keeps and for how long, as declared (a policy's max-age is not read here); null for any other queue. */
export function streamRetention(q: Pick<QueueInput, 'type' | 'messagesReady' | 'arguments' | 'segments'>): StreamRetention | null {
  if (q.type !== 'stream') return null;
  const age = q.arguments['x-max-age'];
  const bytes = q.arguments['x-max-length-bytes'];
  const maxAge = typeof age === 'string' ? age : null;
  return {
    messages: q.messagesReady,
    maxAge,
    maxAgeMs: maxAge === null ? null : parseMaxAge(maxAge),
    maxLengthBytes: typeof bytes === 'number' ? bytes : null,
    segments: q.segments ?? null,
  };
}

/**
 * Whether an entry of /api/consumers is not a consumer: a stream's, without its channel, is what
 * a closed channel left. A brand-new channel's consumer also comes without its channel for a few
 * seconds; on a stream the two look the same, and the broker reader asks about such a queue
 * again until its consumers have their channel (lib/broker/broker-reader.ts). On any other queue
 * it is a consumer whose channel is not known yet.
 */
export function isStaleStreamConsumer(c: Pick<ConsumerInput, 'channelName' | 'connectionName'>, queue: Pick<QueueInput, 'type'> | undefined): boolean {
  return queue?.type === 'stream' && c.channelName === null && c.connectionName === null;
}

/**
 * A stream's consumer count without the stale entries. The broker's count includes them for a
 * while, the consumer list for longer (3.x: for good), so the count is neither always nor never
 * theirs: at least what is left once they are taken off, and at least the consumers listed with
 * their channel that the count can hold.
 */
export function consumersWithoutStale(brokerCount: number | null, listedWithChannel: number, stale: number): number | null {
  if (brokerCount === null || stale === 0) return brokerCount;
  return Math.max(brokerCount - stale, Math.min(brokerCount, listedWithChannel));
}
