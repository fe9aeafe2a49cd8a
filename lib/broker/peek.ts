import 'server-only';
// "What is waiting": the first few messages of a queue's backlog, read through the management
// API in its requeueing mode and decoded as oslo.messaging messages with secrets redacted.
// Reading is not a peek: the broker takes each message and puts it back, marked redelivered.
import { decodeBacklog, peekRefusal, PEEK_NOTE, type RawBacklogMessage } from '@/lib/domain/backlog';
import type { PeekedMessage } from '@/lib/domain/types';
import { BrokerError, PeekRefused } from './errors';
import type { ManagementClient } from './management-client';
import type { GetMessageResponse } from './schemas';

export { PeekRefused };

export interface PeekResult {
  queue: { vhost: string; name: string; type: string };
  requested: number;
  messages: PeekedMessage[];
  byMethod: { method: string; count: number }[];
  /** Always said: the messages were requeued and are now marked redelivered. */
  note: string;
}

export function toRawBacklogMessage(m: GetMessageResponse): RawBacklogMessage {
  const p = m.properties;
  return {
    payload: m.payload,
    payloadEncoding: m.payload_encoding,
    payloadBytes: m.payload_bytes ?? null,
    redelivered: m.redelivered,
    exchange: m.exchange,
    routingKey: m.routing_key,
    properties: { contentType: p.content_type ?? null, expiration: p.expiration ?? null, deliveryMode: p.delivery_mode ?? null },
  };
}

export interface PeekOptions {
  vhost: string;
  name: string;
  count: number;
  allowQuorum: boolean;
}

/** Reads (and requeues) up to `count` messages of a queue. Throws PeekRefused when refused or the queue is missing. */
export async function peekQueue(client: ManagementClient, opts: PeekOptions): Promise<PeekResult> {
  let type: string;
  try {
    const q = await client.queue(opts.vhost, opts.name);
    type = q.type ?? (q.arguments?.['x-queue-type'] as string | undefined) ?? 'classic';
  } catch (err) {
    if (err instanceof BrokerError && err.kind === 'not-found') throw new PeekRefused('not-found', `queue "${opts.name}" in vhost "${opts.vhost}" not found`);
    throw err;
  }
  const refusal = peekRefusal({ allowQuorum: opts.allowQuorum, queueType: type, count: opts.count });
  if (refusal) throw new PeekRefused(refusal.reason, refusal.message);

  let raw: GetMessageResponse[];
  try {
    raw = await client.getMessages(opts.vhost, opts.name, opts.count);
  } catch (err) {
    if (err instanceof BrokerError && err.kind === 'not-found') throw new PeekRefused('not-found', `queue "${opts.name}" in vhost "${opts.vhost}" not found`);
    throw err;
  }
  const { messages, byMethod } = decodeBacklog(raw.map(toRawBacklogMessage));
  return {
    queue: { vhost: opts.vhost, name: opts.name, type },
    requested: opts.count,
    messages,
    byMethod,
    note: messages.length === 0 ? `The queue had no message ready to read. ${PEEK_NOTE}` : PEEK_NOTE,
  };
}
