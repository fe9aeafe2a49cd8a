// What is waiting in a queue: messages read from its backlog, decoded as oslo.messaging
// calls, casts, replies and notifications, with every secret replaced by `***`.
// Pure: the raw messages come from the management API's "get messages" (lib/broker/peek.ts).
import type { PeekedMessage } from './types';
import {
  CONTEXT_PREFIX,
  decodeEnvelope,
  decodeNotification,
  decodeReply,
  decodeRequest,
  isNotification,
  isReply,
  REDACTED,
  type JsonObject,
  type JsonValue,
  type RequestContext,
} from '@/lib/oslo/envelope';

/** At most this many messages are read at once. */
export const PEEK_MAX_COUNT = 10;
export const PEEK_DEFAULT_COUNT = 5;
/** Characters of payload JSON kept per message. */
export const PAYLOAD_MAX_CHARS = 4096;

export const PEEK_NOTE =
  'Read with the management API\'s "get messages" in ack_requeue_true mode: each message was taken and put back. ' +
  'They are still in the queue, in the same order, but are now marked redelivered (and on a quorum queue each read counts towards the delivery limit).';

/** One message as the management API returned it, mapped at the edge. */
export interface RawBacklogMessage {
  payload: string;
  payloadEncoding: 'string' | 'base64';
  /** Size before the broker's truncation. */
  payloadBytes: number | null;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
  properties: { contentType: string | null; expiration: string | null; deliveryMode: number | null };
}

// ---------------------------------------------------------------- redaction

const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password', 'passwd', 'pass', 'pwd', 'passphrase',
  'token', 'tokens', 'secret', 'secrets', 'credential', 'credentials', 'creds',
  'key', 'keys', 'apikey', 'privatekey', 'cookie', 'signature', 'authorization',
]);
const SECRET_FRAGMENTS = ['password', 'passwd', 'token', 'secret', 'credential', 'apikey', 'privkey', 'privatekey'] as const;

/** A key whose value must never be shown: password, token, secret, credential, key… in any case or spelling. */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (SECRET_FRAGMENTS.some((f) => lower.includes(f))) return true;
  // words of snake_case, kebab-case, dotted and camelCase keys
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((w) => SECRET_WORDS.has(w));
}

const FERNET = /gAAAAA[A-Za-z0-9_-]{20,}/;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./;
const AUTH_SCHEME = /^\s*(bearer|basic|token|negotiate)\s+\S{8,}/i;
const PKI_TOKEN = /MII[A-Za-z0-9+/=]{100,}/;
/** A bare run of 40+ base64/hex characters with letters and digits: a bearer token or key, not an id (uuids are 32/36). */
const LONG_OPAQUE = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;

/** A string value that looks like a credential whatever its key: Fernet/JWT/PKI tokens, `Bearer …`, long opaque strings. */
export function looksLikeSecret(value: string): boolean {
  if (FERNET.test(value) || JWT.test(value) || AUTH_SCHEME.test(value) || PKI_TOKEN.test(value)) return true;
  // ids joined by dashes (req-<uuid>, host names) have only short runs; a random token has a long one
  return LONG_OPAQUE.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && /[A-Za-z0-9+/]{32,}/.test(value);
}

/** `scheme://user:password@host` → `scheme://user:***@host` (transport URLs, connection strings). */
function redactUrlPasswords(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@/\s]+@/gi, `$1${REDACTED}@`);
}

function redactString(value: string): string {
  if (looksLikeSecret(value)) return REDACTED;
  return redactUrlPasswords(value);
}

/** Recursively replaces secrets: values under secret-looking keys and token-looking strings anywhere. null stays null. */
export function redactValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactValue(v);
    }
    return out;
  }
  return value;
}

/** Free text that is not JSON: tokens inside it are cut out. */
export function redactText(text: string): string {
  return redactUrlPasswords(text)
    .replace(new RegExp(FERNET.source, 'g'), REDACTED)
    .replace(new RegExp(`${JWT.source}[A-Za-z0-9_-]*`, 'g'), REDACTED)
    .replace(new RegExp(PKI_TOKEN.source, 'g'), REDACTED)
    .replace(/\b(bearer|basic|token)\s+\S{8,}/gi, `$1 ${REDACTED}`)
    .replace(/((?:password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^"'\s,;&}]+/gi, `$1${REDACTED}`);
}

// ---------------------------------------------------------------- decoding

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function contextSummary(ctx: RequestContext): PeekedMessage['context'] {
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = str(ctx[k]);
      if (v !== null) return redactString(v);
    }
    return null;
  };
  return {
    requestId: pick('request_id'),
    globalRequestId: pick('global_request_id'),
    user: pick('user_id', 'user', 'user_name'),
    project: pick('project_id', 'project', 'tenant', 'tenant_id', 'project_name'),
  };
}

function contextOf(inner: JsonObject): RequestContext {
  const ctx: RequestContext = {};
  for (const [k, v] of Object.entries(inner)) if (k.startsWith(CONTEXT_PREFIX)) ctx[k.slice(CONTEXT_PREFIX.length)] = v;
  return ctx;
}

/** The body as text, or null when it is binary. */
function bodyText(raw: RawBacklogMessage): string | null {
  if (raw.payloadEncoding === 'string') return raw.payload;
  try {
    const bytes = Uint8Array.from(atob(raw.payload), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function payloadText(value: JsonValue, maxChars: number): { payload: string; truncated: boolean } {
  const text = JSON.stringify(redactValue(value), null, 2) ?? 'null';
  return text.length > maxChars ? { payload: text.slice(0, maxChars), truncated: true } : { payload: text, truncated: false };
}

type Decoded = Pick<PeekedMessage, 'kind' | 'method' | 'namespace' | 'version' | 'msgId' | 'replyQueue' | 'timeout' | 'eventType' | 'context'> & {
  body: JsonValue;
};

const NO_CONTEXT: PeekedMessage['context'] = { requestId: null, globalRequestId: null, user: null, project: null };
const EMPTY: Omit<Decoded, 'kind' | 'body'> = {
  method: null,
  namespace: null,
  version: null,
  msgId: null,
  replyQueue: null,
  timeout: null,
  eventType: null,
  context: NO_CONTEXT,
};

/** An inner oslo message (or an un-enveloped one, as oslo before 2.0 sent): request, reply or notification. */
function decodeInner(inner: JsonObject): Decoded | null {
  try {
    if (isNotification(inner)) {
      const n = decodeNotification(inner);
      return { ...EMPTY, kind: 'notification', eventType: n.eventType, context: contextSummary(n.context), body: n.payload };
    }
    if (isReply(inner)) {
      const r = decodeReply(inner);
      const body: JsonObject = { result: r.result, failure: r.failure ? { class: r.failure.className, module: r.failure.module, message: r.failure.message } : null, ending: r.ending };
      return { ...EMPTY, kind: 'reply', msgId: r.msgId, body };
    }
    if (typeof inner.method === 'string') {
      const q = decodeRequest(inner);
      return {
        kind: q.kind,
        method: q.method,
        namespace: q.namespace,
        version: q.version,
        msgId: q.msgId,
        replyQueue: q.replyQueue,
        timeout: q.timeout,
        eventType: null,
        context: contextSummary(contextOf(inner)),
        body: q.args,
      };
    }
  } catch {
    return null;
  }
  return null;
}

/** Decodes one message of a backlog into what the page shows, secrets redacted. */
export function decodeBacklogMessage(raw: RawBacklogMessage, position: number, maxChars = PAYLOAD_MAX_CHARS): PeekedMessage {
  const brokerTruncated = raw.payloadBytes !== null && raw.payloadEncoding === 'string' && raw.payloadBytes > new TextEncoder().encode(raw.payload).length;
  const common = {
    position,
    redelivered: raw.redelivered,
    routingKey: raw.routingKey,
    exchange: raw.exchange,
    properties: raw.properties,
  };
  const text = bodyText(raw);
  if (text === null) {
    const bytes = raw.payloadBytes ?? Math.floor((raw.payload.length * 3) / 4);
    return { ...common, ...EMPTY, kind: 'unknown', payload: `(binary body, ${bytes} bytes)`, payloadTruncated: brokerTruncated };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  let decoded: Decoded | null = null;
  if (isObject(parsed)) {
    if ('oslo.message' in parsed) {
      try {
        decoded = decodeInner(decodeEnvelope(text));
      } catch {
        decoded = null;
      }
    } else {
      decoded = decodeInner(parsed);
    }
  }
  if (decoded) {
    const { body, ...fields } = decoded;
    const p = payloadText(body, maxChars);
    return { ...common, ...fields, payload: p.payload, payloadTruncated: p.truncated || brokerTruncated };
  }
  if (parsed !== undefined) {
    const p = payloadText(parsed as JsonValue, maxChars);
    return { ...common, ...EMPTY, kind: 'unknown', payload: p.payload, payloadTruncated: p.truncated || brokerTruncated };
  }
  const redacted = redactText(text);
  const cut = redacted.length > maxChars;
  return { ...common, ...EMPTY, kind: 'unknown', payload: cut ? redacted.slice(0, maxChars) : redacted, payloadTruncated: cut || brokerTruncated };
}

/** What a message is counted under: its method, its event type, or its kind. */
export function methodLabel(m: Pick<PeekedMessage, 'kind' | 'method' | 'eventType'>): string {
  if (m.method) return m.method;
  if (m.eventType) return m.eventType;
  return m.kind === 'reply' ? '(reply)' : '(not an oslo message)';
}

/** Messages per method over what was read, most frequent first, then by name. */
export function countByMethod(messages: readonly Pick<PeekedMessage, 'kind' | 'method' | 'eventType'>[]): { method: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(methodLabel(m), (counts.get(methodLabel(m)) ?? 0) + 1);
  return [...counts.entries()]
    .map(([method, count]) => ({ method, count }))
    .sort((a, b) => b.count - a.count || a.method.localeCompare(b.method));
}

/** Decodes a whole read: messages in order, 1-based positions, counts by method. */
export function decodeBacklog(raw: readonly RawBacklogMessage[]): { messages: PeekedMessage[]; byMethod: { method: string; count: number }[] } {
  const messages = raw.map((m, i) => decodeBacklogMessage(m, i + 1));
  return { messages, byMethod: countByMethod(messages) };
}

/** Why reading a backlog is refused: a count out of range, a stream, a quorum queue where that is not allowed. */
export type PeekRefusalReason = 'bad-count' | 'stream' | 'quorum';

/** Why a peek of this queue is refused, or null: 1–10 messages; never a stream; quorum queues only when allowed. */
export function peekRefusal(opts: { allowQuorum: boolean; queueType: string; count: number }): { reason: PeekRefusalReason; message: string } | null {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > PEEK_MAX_COUNT) return { reason: 'bad-count', message: `count must be 1 to ${PEEK_MAX_COUNT}` };
  if (opts.queueType === 'stream')
    return { reason: 'stream', message: 'a stream queue cannot be read this way (messages are not removed by consumers; read it with a stream offset)' };
  if (opts.queueType === 'quorum' && !opts.allowQuorum)
    return {
      reason: 'quorum',
      message:
        'this is a quorum queue: every message read is returned to the queue, and each return counts towards its delivery-limit ' +
        '(20 by default on RabbitMQ 4), after which the message is dropped or dead-lettered',
    };
  return null;
}
