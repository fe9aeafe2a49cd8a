// Pure shaping for "What is waiting": the messages a peek read, as table cells.
import type { PeekedMessage } from '@/lib/api/schemas';

export const PEEK_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export const DEFAULT_PEEK_COUNT = 5;

/** A count from a select's value, kept inside 1–10. */
export function peekCount(value: string | number): number {
  const n = Math.trunc(Number(value));
  if (!Number.isFinite(n)) return DEFAULT_PEEK_COUNT;
  return Math.min(10, Math.max(1, n));
}

export interface PeekRow {
  position: number;
  kind: PeekedMessage['kind'];
  /** The method, or the notification's event type. */
  method: string;
  namespaceVersion: string;
  msgId: string;
  replyQueue: string | null;
  timeout: string;
  requestId: string;
  user: string;
  project: string;
  redelivered: boolean;
  payload: string;
  payloadTruncated: boolean;
}

const dash = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '–' : v);

export function peekRow(m: PeekedMessage): PeekRow {
  const nsv = m.namespace || m.version ? `${m.namespace ?? '(default)'} · ${m.version ?? '–'}` : '–';
  return {
    position: m.position,
    kind: m.kind,
    method: dash(m.kind === 'notification' ? (m.eventType ?? m.method) : m.method),
    namespaceVersion: nsv,
    msgId: dash(m.msgId),
    replyQueue: m.replyQueue,
    timeout: timeoutText(m),
    requestId: dash(m.context.requestId ?? m.context.globalRequestId),
    user: dash(m.context.user),
    project: dash(m.context.project),
    redelivered: m.redelivered,
    payload: m.payload,
    payloadTruncated: m.payloadTruncated,
  };
}

/** The call's timeout (its AMQP expiration, ms) and oslo's call-monitor timeout (`_timeout`, s) when set. */
export function timeoutText(m: Pick<PeekedMessage, 'timeout' | 'properties'>): string {
  const parts: string[] = [];
  const exp = m.properties.expiration === null ? NaN : Number(m.properties.expiration);
  if (Number.isFinite(exp)) parts.push(`${trim(exp / 1000)} s`);
  if (m.timeout !== null) parts.push(`monitor ${trim(m.timeout)} s`);
  return parts.length ? parts.join(' · ') : '–';
}

const trim = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Whether a queue can be read here at all, and why not. */
export function peekBlocked(
  queue: { type: string },
  peek: { enabled: boolean; reason: string | null; allowQuorum: boolean } | null,
): string | null {
  if (peek === null) return null;
  if (!peek.enabled) return peek.reason ?? 'reading a backlog is not enabled on this dashboard';
  if (queue.type === 'stream') return 'a stream queue is read by offset, not taken and requeued: this view does not read streams';
  if (queue.type === 'quorum' && !peek.allowQuorum)
    return 'this is a quorum queue: every read counts towards its delivery limit, and reading quorum queues is off (PEEK_ALLOW_QUORUM)';
  return null;
}
