// The oslo.messaging wire format (rabbit driver, messaging v2): the envelope, the inner
// messages (call, cast, reply, notification) and the AMQP properties they travel with.
// Pure: no I/O, no clock or randomness unless the caller leaves ids/timestamps out.
// Key order and JSON spacing follow Python's json.dumps so that what we build is
// byte-for-byte what oslo.messaging itself would publish.
import { z } from 'zod';
import type { NotificationPriority } from '@/lib/domain/vocabulary';

export const OSLO_VERSION = '2.0';
/** rabbit_transient_queues_ttl default, seconds (x-expires of reply and fanout queues). */
export const DEFAULT_TRANSIENT_QUEUES_TTL_S = 1800;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The request context as oslo carries it, flattened on the wire as `_context_<key>`. */
export type RequestContext = Record<string, JsonValue>;

export type { NotificationPriority } from '@/lib/domain/vocabulary';

export class OsloDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsloDecodeError';
  }
}

// ---------------------------------------------------------------- JSON as Python writes it

function pyString(s: string): string {
  // json.dumps with ensure_ascii=True: escape control characters and everything beyond ASCII.
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return JSON.stringify(n);
}

/** json.dumps(value) with Python's defaults: separators ', ' and ': ', ensure_ascii. */
export function pyJsonDumps(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    parts.push(`${pyString(k)}: ${pyJsonDumps(v)}`);
  }
  return `{${parts.join(', ')}}`;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OsloDecodeError(`${what} is not JSON: ${(err as Error).message}`);
  }
}

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------- envelope

const EnvelopeSchema = z.object({
  'oslo.version': z.string(),
  'oslo.message': z.string(),
});
export type OsloEnvelope = z.infer<typeof EnvelopeSchema>;

/** The body oslo publishes: {"oslo.version": "2.0", "oslo.message": "<inner JSON text>"}. */
export function encodeEnvelope(inner: JsonObject): string {
  return pyJsonDumps({ 'oslo.version': OSLO_VERSION, 'oslo.message': pyJsonDumps(inner) });
}

/** Parses a body into its inner message. Throws OsloDecodeError for anything that is not an oslo 2.0 envelope. */
export function decodeEnvelope(body: string | Uint8Array): JsonObject {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
  const parsed = EnvelopeSchema.safeParse(parseJson(text, 'body'));
  if (!parsed.success) throw new OsloDecodeError('body is not an oslo envelope (oslo.version / oslo.message missing)');
  const env = parsed.data;
  if (env['oslo.version'] !== OSLO_VERSION) {
    throw new OsloDecodeError(`unsupported oslo.version ${env['oslo.version']}`);
  }
  const inner = parseJson(env['oslo.message'], 'oslo.message');
  if (!isJsonObject(inner)) throw new OsloDecodeError('oslo.message is not a JSON object');
  return inner;
}

// ---------------------------------------------------------------- ids, time, context

/** 32 lowercase hex digits, like Python's uuid.uuid4().hex. */
export function newHexId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '');
}

/** str(datetime.utcnow()) as oslo's notifier writes it: `2026-11-22 02:04:59.045457`. */
export function formatOsloTimestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}.${p(date.getUTCMilliseconds(), 3)}000`
  );
}

export const CONTEXT_PREFIX = '_context_';

function packContext(msg: JsonObject, context: RequestContext | undefined): void {
  for (const [k, v] of Object.entries(context ?? {})) msg[`${CONTEXT_PREFIX}${k}`] = v;
}

function unpackContext(inner: JsonObject): RequestContext {
  const ctx: RequestContext = {};
  for (const [k, v] of Object.entries(inner)) {
    if (k.startsWith(CONTEXT_PREFIX)) ctx[k.slice(CONTEXT_PREFIX.length)] = v;
  }
  return ctx;
}

export const REDACTED = '***';
/** Context keys that may hold live credentials and must never be shown or stored. */
export const SECRET_CONTEXT_KEYS: readonly string[] = ['auth_token', 'auth_token_info', 'service_token'];

/** Replaces the value of every secret key that carries something (null stays null). */
export function redactContext(context: RequestContext): RequestContext {
  const out: RequestContext = { ...context };
  for (const key of SECRET_CONTEXT_KEYS) {
    if (key in out && out[key] !== null && out[key] !== undefined) out[key] = REDACTED;
  }
  return out;
}

/** A context shaped like oslo.context's RequestContext.to_dict(). */
export function makeContext(overrides: Partial<RequestContext> & { request_id?: string } = {}): RequestContext {
  const user = typeof overrides.user === 'string' ? overrides.user : null;
  const project = typeof overrides.project_id === 'string' ? overrides.project_id : null;
  const base: RequestContext = {
    user,
    project_id: project,
    system_scope: null,
    project: project,
    domain: null,
    user_domain: null,
    project_domain: null,
    is_admin: false,
    read_only: false,
    show_deleted: false,
    auth_token: null,
    request_id: `req-${globalThis.crypto.randomUUID()}`,
    global_request_id: null,
    resource_uuid: null,
    roles: [],
    user_identity: `${user ?? '-'} ${project ?? '-'} - - -`,
    is_admin_project: true,
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) base[k] = v;
  return base;
}

// ---------------------------------------------------------------- requests (call / cast)

export interface RequestSpec {
  method: string;
  args?: JsonObject;
  namespace?: string | null;
  version?: string | null;
  context?: RequestContext;
  /** _unique_id; generated when left out. */
  uniqueId?: string;
}

export interface CallSpec extends RequestSpec {
  /** The caller's reply queue (`_reply_q`). */
  replyQueue: string;
  /** _msg_id; generated when left out. */
  msgId?: string;
  /** `_timeout`: oslo's call_monitor_timeout in seconds, null unless set (the call timeout itself travels as `expiration`). */
  callMonitorTimeout?: number | null;
}

function requestHead(spec: RequestSpec): JsonObject {
  const msg: JsonObject = { method: spec.method, args: spec.args ?? {} };
  if (spec.namespace != null) msg.namespace = spec.namespace;
  if (spec.version != null) msg.version = spec.version;
  return msg;
}

/** The inner message of an RPC call, keys in oslo's order. */
export function buildCall(spec: CallSpec): JsonObject {
  const msg = requestHead(spec);
  msg._msg_id = spec.msgId ?? newHexId();
  msg._reply_q = spec.replyQueue;
  msg._timeout = spec.callMonitorTimeout ?? null;
  msg._unique_id = spec.uniqueId ?? newHexId();
  packContext(msg, spec.context);
  return msg;
}

/** The inner message of a cast or fanout cast: no _msg_id, _reply_q, _timeout. */
export function buildCast(spec: RequestSpec): JsonObject {
  const msg = requestHead(spec);
  msg._unique_id = spec.uniqueId ?? newHexId();
  packContext(msg, spec.context);
  return msg;
}

export interface DecodedRequest {
  kind: 'call' | 'cast';
  method: string;
  namespace: string | null;
  /** As sent; null when absent (the dispatcher then assumes '1.0'). */
  version: string | null;
  msgId: string | null;
  replyQueue: string | null;
  /** `_timeout` (call monitor timeout, seconds) or null. */
  timeout: number | null;
  uniqueId: string | null;
  /** `_context_*` with the prefix removed; secrets redacted unless `{redact: false}`. */
  context: RequestContext;
  args: JsonObject;
}

/** Reads an inner request message. Throws OsloDecodeError when it is no request. */
export function decodeRequest(inner: JsonObject, options: { redact?: boolean } = {}): DecodedRequest {
  const method = inner.method;
  if (typeof method !== 'string') throw new OsloDecodeError('request has no method');
  const args = inner.args ?? {};
  if (!isJsonObject(args)) throw new OsloDecodeError('request args is not an object');
  const msgId = typeof inner._msg_id === 'string' ? inner._msg_id : null;
  const replyQueue = typeof inner._reply_q === 'string' ? inner._reply_q : null;
  const context = unpackContext(inner);
  return {
    kind: msgId !== null && replyQueue !== null ? 'call' : 'cast',
    method,
    namespace: typeof inner.namespace === 'string' ? inner.namespace : null,
    version: typeof inner.version === 'string' ? inner.version : null,
    msgId,
    replyQueue,
    timeout: typeof inner._timeout === 'number' ? inner._timeout : null,
    uniqueId: typeof inner._unique_id === 'string' ? inner._unique_id : null,
    context: options.redact === false ? context : redactContext(context),
    args,
  };
}

// ---------------------------------------------------------------- failures

export const DISPATCHER_MODULE = 'oslo_messaging.rpc.dispatcher';

/** A remote exception as oslo's serialize_remote_exception writes it. */
export interface OsloFailure {
  class: string;
  module: string;
  message: string;
  tb: string[];
  args: JsonValue[];
  kwargs: JsonObject;
}

export type DispatcherFailureKind = 'NoSuchMethod' | 'UnsupportedVersion';

/** The failure oslo's RPC dispatcher raises when no endpoint has the method / a compatible version. */
export function buildDispatcherFailure(
  kind: DispatcherFailureKind,
  request: { method: string; version?: string | null },
): OsloFailure {
  const message =
    kind === 'NoSuchMethod'
      ? `Endpoint does not support RPC method ${request.method}`
      : `Endpoint does not support RPC version ${request.version ?? '1.0'}. Attempted method: ${request.method}`;
  const raise =
    kind === 'NoSuchMethod' ? '    raise NoSuchMethod(method)\n' : '    raise UnsupportedVersion(version, method=method)\n';
  return {
    class: kind,
    module: DISPATCHER_MODULE,
    message,
    tb: [
      'Traceback (most recent call last):\n',
      '  File "/usr/lib/python3/dist-packages/oslo_messaging/rpc/server.py", line 165, in _process_incoming\n    res = self.dispatcher.dispatch(message)\n',
      `  File "/usr/lib/python3/dist-packages/oslo_messaging/rpc/dispatcher.py", line 320, in dispatch\n${raise}`,
      `${DISPATCHER_MODULE}.${kind}: ${message}\n`,
    ],
    args: [message],
    kwargs: {},
  };
}

/** Any remote exception, e.g. buildFailure('ValueError', 'builtins', 'bad value'). */
export function buildFailure(className: string, module: string, message: string): OsloFailure {
  return {
    class: className,
    module,
    message,
    tb: ['Traceback (most recent call last):\n', `${module}.${className}: ${message}\n`],
    args: [message],
    kwargs: {},
  };
}

/** The `failure` field of a reply: the failure as a JSON string. */
export function encodeFailure(failure: OsloFailure): string {
  return pyJsonDumps({
    class: failure.class,
    module: failure.module,
    message: failure.message,
    tb: failure.tb,
    args: failure.args,
    kwargs: failure.kwargs,
  });
}

export interface RemoteFailure {
  className: string;
  module: string;
  message: string;
}

const FailureSchema = z.object({ class: z.string(), module: z.string(), message: z.string().optional() });

/** Reads a reply's `failure` string. */
export function decodeFailure(failure: string): RemoteFailure {
  const parsed = FailureSchema.safeParse(parseJson(failure, 'failure'));
  if (!parsed.success) throw new OsloDecodeError('failure has no class/module');
  return { className: parsed.data.class, module: parsed.data.module, message: parsed.data.message ?? '' };
}

// ---------------------------------------------------------------- replies

export interface ReplySpec {
  msgId: string;
  result?: JsonValue;
  failure?: OsloFailure | string | null;
  /** false for the heartbeats a server sends while a call with `_timeout` runs. */
  ending?: boolean;
  uniqueId?: string;
}

export function buildReply(spec: ReplySpec): JsonObject {
  const failure = spec.failure == null ? null : typeof spec.failure === 'string' ? spec.failure : encodeFailure(spec.failure);
  return {
    result: spec.result ?? null,
    failure,
    ending: spec.ending ?? true,
    _msg_id: spec.msgId,
    _unique_id: spec.uniqueId ?? newHexId(),
  };
}

export interface DecodedReply {
  msgId: string;
  result: JsonValue;
  failure: RemoteFailure | null;
  ending: boolean;
  uniqueId: string | null;
}

export function isReply(inner: JsonObject): boolean {
  return typeof inner._msg_id === 'string' && 'result' in inner && !('method' in inner);
}

export function decodeReply(inner: JsonObject): DecodedReply {
  if (typeof inner._msg_id !== 'string') throw new OsloDecodeError('reply has no _msg_id');
  const f = inner.failure;
  if (f != null && typeof f !== 'string') throw new OsloDecodeError('reply failure is not a string');
  return {
    msgId: inner._msg_id,
    result: inner.result ?? null,
    failure: f == null ? null : decodeFailure(f),
    ending: inner.ending !== false,
    uniqueId: typeof inner._unique_id === 'string' ? inner._unique_id : null,
  };
}

// ---------------------------------------------------------------- notifications

export interface NotificationSpec {
  publisherId: string;
  eventType: string;
  priority: NotificationPriority;
  payload: JsonValue;
  context?: RequestContext;
  /** uuid4 with dashes; generated when left out. */
  messageId?: string;
  /** Date or oslo's text form; now when left out. */
  timestamp?: Date | string;
  uniqueId?: string;
}

/** A messagingv2 notification (inner message). */
export function buildNotification(spec: NotificationSpec): JsonObject {
  const ts = spec.timestamp ?? new Date();
  const msg: JsonObject = {
    message_id: spec.messageId ?? globalThis.crypto.randomUUID(),
    publisher_id: spec.publisherId,
    event_type: spec.eventType,
    priority: spec.priority.toUpperCase(),
    payload: spec.payload,
    timestamp: typeof ts === 'string' ? ts : formatOsloTimestamp(ts),
    _unique_id: spec.uniqueId ?? newHexId(),
  };
  packContext(msg, spec.context);
  return msg;
}

/** Routing key (and queue name) of a notification: `<topic>.<priority>`. */
export function notificationRoutingKey(topic: string, priority: NotificationPriority): string {
  return `${topic}.${priority}`;
}

export interface DecodedNotification {
  messageId: string;
  publisherId: string;
  eventType: string;
  priority: string;
  payload: JsonValue;
  timestamp: string;
  context: RequestContext;
}

export function isNotification(inner: JsonObject): boolean {
  return typeof inner.event_type === 'string' && typeof inner.publisher_id === 'string';
}

export function decodeNotification(inner: JsonObject, options: { redact?: boolean } = {}): DecodedNotification {
  const str = (k: string) => {
    const v = inner[k];
    if (typeof v !== 'string') throw new OsloDecodeError(`notification has no ${k}`);
    return v;
  };
  const context = unpackContext(inner);
  return {
    messageId: str('message_id'),
    publisherId: str('publisher_id'),
    eventType: str('event_type'),
    priority: str('priority'),
    payload: inner.payload ?? null,
    timestamp: str('timestamp'),
    context: options.redact === false ? context : redactContext(context),
  };
}

// ---------------------------------------------------------------- AMQP properties

export interface OsloPublishProperties {
  contentType: 'application/json';
  contentEncoding: 'utf-8';
  deliveryMode: 2;
  /** Calls only: the call timeout in milliseconds, as a string. */
  expiration?: string;
}

export type OsloMessageKind = 'call' | 'cast' | 'fanout' | 'reply' | 'notification';

/** What oslo sets on every message; `expiration` only on calls (timeout in ms). */
export function publishProperties(kind: OsloMessageKind, timeoutMs?: number | null): OsloPublishProperties {
  const props: OsloPublishProperties = { contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2 };
  if (kind === 'call' && timeoutMs != null) props.expiration = String(Math.round(timeoutMs));
  return props;
}

// ---------------------------------------------------------------- versions

/** oslo's version_is_compatible(implemented, requested): same major, implemented minor/revision >= requested. */
export function versionIsCompatible(implemented: string, requested: string): boolean {
  const parse = (v: string) => {
    const parts = v.split('.').map((x) => Number(x));
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0] as const;
  };
  const [iMaj, iMin, iRev] = parse(implemented);
  const [rMaj, rMin, rRev] = parse(requested);
  if (iMaj !== rMaj) return false;
  if (iMin !== rMin) return iMin > rMin;
  return iRev >= rRev;
}
