import 'server-only';
// What the rabbitmq_event_exchange plugin publishes on `amq.rabbitmq.event`: one message per event,
// its routing key the kind (`consumer.created`), its details in the headers. Only the kinds we use
// are read; unknown header keys are ignored (4.x adds some). Everything is hostile input: a client
// chooses its connection name and client properties, so values are capped, never evaluated, and a
// header that does not parse makes the event null, never a throw.
import { z } from 'zod';

export type BrokerEvent =
  | { type: 'consumer.created'; at: number; vhost: string; queue: string; channelPid: string; consumerTag: string; ackRequired: boolean; prefetchCount: number; exclusive: boolean }
  | { type: 'consumer.deleted'; at: number; vhost: string; queue: string; channelPid: string; consumerTag: string }
  | { type: 'channel.created'; at: number; pid: string; name: string; connectionPid: string; number: number; vhost: string; user: string }
  | { type: 'channel.closed'; at: number; pid: string }
  | {
      type: 'connection.created';
      at: number;
      pid: string;
      name: string;
      vhost: string;
      user: string;
      node: string | null;
      peerHost: string | null;
      peerPort: number | null;
      host: string | null;
      port: number | null;
      userProvidedName: string | null;
      clientProperties: Record<string, string>;
      connectedAt: number | null;
      protocol: string | null;
    }
  | { type: 'connection.closed'; at: number; pid: string; name: string; userProvidedName: string | null }
  | { type: 'queue.created'; at: number; vhost: string; name: string; durable: boolean; autoDelete: boolean; exclusive: boolean; arguments: Record<string, string | number | boolean> }
  | { type: 'queue.deleted'; at: number; vhost: string; name: string }
  | { type: 'policy.set' | 'policy.cleared'; at: number; vhost: string; name: string }
  | { type: 'vhost.created' | 'vhost.deleted'; at: number; name: string };

/** The routing keys the feed binds: every kind above, nothing else. */
export const BROKER_EVENT_BINDINGS: readonly string[] = ['consumer.*', 'channel.*', 'connection.*', 'queue.*', 'policy.*', 'vhost.*'];

/** Longest text kept of one value (a name, a client property). */
export const MAX_TEXT = 1024;
/** Client properties or queue arguments kept per event. */
export const MAX_PROPERTIES = 64;
/**
 * Table entries looked at, and the characters read of them in all: 3.10 takes ~4 KB of client
 * properties (its frame size before tuning), which ~p writes in up to 4 characters a byte.
 */
const MAX_ENTRIES = 256;
const MAX_TABLE_CHARS = 1024 * 1024;

const cap = (s: string): string => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

const text = z.string().transform(cap);
const optionalText = z.string().transform(cap).nullish().catch(null);
const optionalNumber = z.number().nullish().catch(null);
/** A table as the plugin writes it: an array of Erlang terms, one per entry (anything else: no entries). */
const termList = z.array(z.unknown()).nullish().catch(null);

const consumerCreated = z.object({
  vhost: text,
  queue: text,
  channel: text,
  consumer_tag: text,
  ack_required: z.boolean().catch(true),
  prefetch_count: z.number().catch(0),
  exclusive: z.boolean().catch(false),
});
const consumerDeleted = z.object({ vhost: text, queue: text, channel: text, consumer_tag: text });
const channelCreated = z.object({
  pid: text,
  connection: text,
  vhost: text,
  name: text.catch(''),
  number: z.number().catch(0),
  user: text.catch(''),
});
const channelClosed = z.object({ pid: text });
const connectionCreated = z.object({
  pid: text,
  name: text,
  vhost: text.catch(''),
  user: text.catch(''),
  node: optionalText,
  peer_host: optionalText,
  peer_port: optionalNumber,
  host: optionalText,
  port: optionalNumber,
  user_provided_name: optionalText,
  client_properties: termList,
  connected_at: optionalNumber,
  protocol: optionalText,
});
const connectionClosed = z.object({ pid: text, name: text, user_provided_name: optionalText, client_properties: termList });
const queueCreated = z.object({
  vhost: text,
  name: text,
  durable: z.boolean().catch(false),
  auto_delete: z.boolean().catch(false),
  exclusive: z.boolean().catch(false),
  arguments: termList,
});
const inVhost = z.object({ vhost: text, name: text });
const vhostEvent = z.object({ name: text });
const stamped = z.object({ timestamp_in_ms: z.number().positive() });

/**
 * When an event happened, without `timestamp_in_ms` (old brokers): the AMQP `timestamp` property,
 * seconds (microseconds before RabbitMQ 3.6, milliseconds never, but accepted), else `now`.
 */
export function fallbackTime(timestamp: unknown, now: number): number {
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp <= 0) return now;
  if (timestamp > 1e14) return Math.round(timestamp / 1000);
  if (timestamp > 1e11) return timestamp;
  return timestamp * 1000;
}

/** The event the plugin sent, typed; null for a kind we do not use or headers that do not parse. Never throws. */
export function parseBrokerEvent(routingKey: string, headers: unknown, fallbackAt: number): BrokerEvent | null {
  try {
    return parse(routingKey, headers, fallbackAt);
  } catch {
    return null;
  }
}

function parse(routingKey: string, headers: unknown, fallbackAt: number): BrokerEvent | null {
  const stamp = stamped.safeParse(headers);
  const at = stamp.success ? stamp.data.timestamp_in_ms : fallbackAt;
  switch (routingKey) {
    case 'consumer.created': {
      const r = consumerCreated.safeParse(headers);
      if (!r.success) return null;
      const h = r.data;
      return {
        type: routingKey,
        at,
        vhost: h.vhost,
        queue: h.queue,
        channelPid: h.channel,
        consumerTag: h.consumer_tag,
        ackRequired: h.ack_required,
        prefetchCount: h.prefetch_count,
        exclusive: h.exclusive,
      };
    }
    case 'consumer.deleted': {
      const r = consumerDeleted.safeParse(headers);
      if (!r.success) return null;
      return { type: routingKey, at, vhost: r.data.vhost, queue: r.data.queue, channelPid: r.data.channel, consumerTag: r.data.consumer_tag };
    }
    case 'channel.created': {
      const r = channelCreated.safeParse(headers);
      if (!r.success) return null;
      const h = r.data;
      return { type: routingKey, at, pid: h.pid, name: h.name, connectionPid: h.connection, number: h.number, vhost: h.vhost, user: h.user };
    }
    case 'channel.closed': {
      const r = channelClosed.safeParse(headers);
      return r.success ? { type: routingKey, at, pid: r.data.pid } : null;
    }
    case 'connection.created': {
      const r = connectionCreated.safeParse(headers);
      if (!r.success) return null;
      const h = r.data;
      const props = readTable(h.client_properties);
      return {
        type: routingKey,
        at,
        pid: h.pid,
        name: h.name,
        vhost: h.vhost,
        user: h.user,
        node: h.node ?? null,
        peerHost: erlangAddress(h.peer_host),
        peerPort: h.peer_port ?? null,
        host: erlangAddress(h.host),
        port: h.port ?? null,
        userProvidedName: h.user_provided_name || props.connectionName,
        clientProperties: Object.fromEntries(Object.entries(props.values).map(([k, v]) => [k, String(v)])),
        connectedAt: h.connected_at ?? null,
        protocol: erlangProtocol(h.protocol),
      };
    }
    case 'connection.closed': {
      const r = connectionClosed.safeParse(headers);
      if (!r.success) return null;
      const h = r.data;
      return { type: routingKey, at, pid: h.pid, name: h.name, userProvidedName: h.user_provided_name || readTable(h.client_properties).connectionName };
    }
    case 'queue.created': {
      const r = queueCreated.safeParse(headers);
      if (!r.success) return null;
      const h = r.data;
      return {
        type: routingKey,
        at,
        vhost: h.vhost,
        name: h.name,
        durable: h.durable,
        autoDelete: h.auto_delete,
        exclusive: h.exclusive,
        arguments: readTable(h.arguments).values,
      };
    }
    case 'queue.deleted':
    case 'policy.set':
    case 'policy.cleared': {
      const r = inVhost.safeParse(headers);
      return r.success ? { type: routingKey, at, vhost: r.data.vhost, name: r.data.name } : null;
    }
    case 'vhost.created':
    case 'vhost.deleted': {
      const r = vhostEvent.safeParse(headers);
      return r.success ? { type: routingKey, at, name: r.data.name } : null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- Erlang terms, as the plugin prints them

/** `{127,0,0,1}` → 127.0.0.1; `{0,0,0,0,0,0,0,1}` → ::1; IPv4-mapped IPv6 → the dotted quad (as the management API shows it). */
export function erlangAddress(raw: string | null | undefined): string | null {
  if (raw == null || raw === '' || raw === 'undefined') return null;
  const m = /^\{(\d{1,5}(?:,\d{1,5}){3}|\d{1,5}(?:,\d{1,5}){7})\}$/.exec(raw);
  if (!m) return raw; // already text, or a shape we do not know: kept as is
  const parts = m[1]!.split(',').map(Number);
  if (parts.length === 4) return parts.every((p) => p <= 255) ? parts.join('.') : raw;
  if (parts.some((p) => p > 0xffff)) return raw;
  if (parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff)
    return [parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff].join('.');
  return ipv6(parts);
}

/** RFC 5952: lowercase hex, the longest run of two or more zero groups (the first of equals) as `::`. */
function ipv6(groups: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** `{0,9,1}` → AMQP 0-9-1 (the management API's words); `{'MQTT',"3.1.1"}` → MQTT 3.1.1; anything else kept. */
function erlangProtocol(raw: string | null | undefined): string | null {
  if (!raw) return null;
  if (raw === '{0,9,1}') return 'AMQP 0-9-1';
  if (raw === '{0,8,0}') return 'AMQP 0-8';
  const m = /^\{'?([A-Za-z0-9 ._-]{1,32})'?,"([0-9.]{1,16})"\}$/.exec(raw);
  return m ? `${m[1]} ${m[2]}` : raw;
}

type Scalar = string | number | boolean;

/** The scalar entries of a table the plugin printed as `{<<"key">>,type,Value}` strings; tables, arrays and anything unreadable are skipped. */
export function readTable(entries: readonly unknown[] | null | undefined): { values: Record<string, Scalar>; connectionName: string | null } {
  const kept: [string, Scalar][] = [];
  let connectionName: string | null = null;
  let budget = MAX_TABLE_CHARS;
  for (const entry of (entries ?? []).slice(0, MAX_ENTRIES)) {
    if (typeof entry !== 'string' || entry.length > budget) continue;
    budget -= entry.length;
    const parsed = readEntry(entry);
    if (!parsed) continue;
    // a hostile client may hide its connection_name behind many properties: it is looked for in every entry
    if (parsed[0] === 'connection_name' && typeof parsed[1] === 'string' && connectionName === null) connectionName = parsed[1];
    if (kept.length < MAX_PROPERTIES) kept.push(parsed);
  }
  // fromEntries defines own properties: a key `__proto__` is data, not a prototype
  return { values: Object.fromEntries(kept), connectionName };
}

const INTEGER_TYPES = new Set(['signedint', 'long', 'short', 'byte', 'unsignedbyte', 'unsignedshort', 'unsignedint', 'timestamp']);
const FLOAT_TYPES = new Set(['float', 'double']);

/** One `{<<"key">>,type,Value}`: [key, value], or null when it is not a scalar we read. */
function readEntry(term: string): [string, Scalar] | null {
  const r = new TermReader(term);
  if (!r.eat('{')) return null;
  const key = r.binary();
  if (key === null || !r.eat(',')) return null;
  const type = r.atom();
  if (type === null || !r.eat(',')) return null;
  let value: Scalar | null;
  if (type === 'longstr') value = r.binary();
  else if (type === 'bool') {
    const a = r.atom();
    value = a === 'true' ? true : a === 'false' ? false : null;
  } else if (INTEGER_TYPES.has(type)) value = r.number(false);
  else if (FLOAT_TYPES.has(type)) value = r.number(true);
  else return null;
  if (value === null || !r.eat('}') || !r.atEnd()) return null;
  return [cap(key), typeof value === 'string' ? cap(value) : value];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', v: '\v', b: '\b', f: '\f', e: '\x1b', s: ' ', d: '\x7f' };

/** A cursor over one term as io_lib's ~p writes it; every method returns null (and may leave the cursor anywhere) when the text is not what it reads. */
class TermReader {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i === this.s.length;
  }

  eat(token: string): boolean {
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }

  atom(): string | null {
    const m = /^[a-z][A-Za-z0-9_@]{0,63}/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) return null;
    this.i += m[0].length;
    return m[0];
  }

  /** An integer, or with `float` also Erlang's `1.5`, `1.0e10`; null when not finite. */
  number(float: boolean): number | null {
    const m = (float ? /^-?\d{1,32}(?:\.\d{1,32}(?:e[+-]?\d{1,4})?)?/ : /^-?\d{1,32}/).exec(this.s.slice(this.i, this.i + 80));
    if (!m) return null;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) return null;
    this.i += m[0].length;
    return n;
  }

  /** `<<"text">>`, `<<"text"/utf8>>`, `<<110,195,182>>` or a mix of segments: the bytes as UTF-8 (invalid bytes as U+FFFD, as amqplib decodes a header). */
  binary(): string | null {
    if (!this.eat('<<')) return null;
    if (this.eat('>>')) return '';
    const bytes: number[] = [];
    for (;;) {
      if (this.s[this.i] === '"') {
        if (!this.string(bytes)) return null;
        this.eat('/utf8');
      } else {
        const n = this.number(false);
        if (n === null || n < 0 || n > 255) return null;
        bytes.push(n);
      }
      if (this.eat('>>')) break;
      if (!this.eat(',')) return null;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  /** A quoted segment into `bytes`: its text as UTF-8 (amqplib decoded the header so), an escape as the one byte it stands for. */
  private string(bytes: number[]): boolean {
    const s = this.s;
    let i = this.i + 1;
    let plain = i;
    const flush = (end: number) => {
      for (const b of Buffer.from(s.slice(plain, end), 'utf8')) bytes.push(b);
    };
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') {
        flush(i);
        this.i = i + 1;
        return true;
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      flush(i);
      const e = s[i + 1];
      if (e === undefined) return false;
      const octal = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
      const hex = e === 'x' ? /^(?:\{([0-9a-fA-F]{1,2})\}|([0-9a-fA-F]{2}))/.exec(s.slice(i + 2, i + 6)) : null;
      if (octal) {
        const code = parseInt(octal[0], 8);
        if (code > 255) return false;
        bytes.push(code);
        i += 1 + octal[0].length;
      } else if (hex) {
        bytes.push(parseInt(hex[1] ?? hex[2]!, 16));
        i += 2 + hex[0].length;
      } else if (e === 'x') {
        return false;
      } else if (ESCAPES[e] !== undefined) {
        bytes.push(ESCAPES[e].charCodeAt(0));
        i += 2;
      } else {
        // `\"`, `\\`: the character itself, taken as text by the next flush
        plain = i + 1;
        i += 2;
        continue;
      }
      plain = i;
    }
    return false;
  }
}
