import 'server-only';
// The RPC ping, done the way openstack-helm's liveness probes do it: one oslo.messaging call
// to `<topic>.<server>` on the component's control exchange, through a reply queue of its own
// that dies with the connection. A reply, or the dispatcher's NoSuchMethod/UnsupportedVersion,
// means the process on that host takes requests from its queue; silence means it does not.
// Opens one connection per ping and always closes it: nothing is left on the broker.
import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type Message } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  buildCall,
  decodeEnvelope,
  decodeReply,
  encodeEnvelope,
  makeContext,
  newHexId,
  publishProperties,
} from '@/lib/oslo/envelope';
import type { ProbeStatus } from '@/lib/domain/vocabulary';
import { type BrokerTls, tlsOptions } from './tls';

/** What a ping found: alive (it answered, or its dispatcher refused the method, which proves it reads its queue), no answer in time, or a failure on the way. */
export interface ProbeResult {
  status: ProbeStatus;
  latencyMs: number | null;
  detail: string;
}

export interface ProbeOptions {
  /** Default: the vhost of the AMQP URL, else `/`. */
  vhost?: string;
  /** The component's control exchange; must exist (it is never declared). */
  exchange: string;
  topic: string;
  server: string;
  timeoutMs: number;
  /** Default from the topic: see probeTarget(). */
  namespace?: string | null;
  version?: string | null;
  method?: string;
  /** amqps: a private CA, a client certificate. */
  tls?: BrokerTls | null;
}

/** nova's topics whose servers carry nova's BaseRPCAPI (`ping`, namespace `baseapi`, version 1.1). */
export const NOVA_BASEAPI_TOPICS: readonly string[] = ['compute', 'conductor', 'scheduler', 'consoleauth', 'console', 'cert'];

/** The method anything else gets: missing everywhere, so the dispatcher answers NoSuchMethod (logged at debug only, oslo ≥ 11). */
export const IGNORE_ERRORS_METHOD = 'lens_probe_ignore_errors';

export interface ProbeTarget {
  method: string;
  namespace: string | null;
  version: string | null;
}

/** What to call on a topic: nova's ping where nova serves it, a missing `_ignore_errors` method elsewhere. */
export function probeTarget(topic: string): ProbeTarget {
  if (NOVA_BASEAPI_TOPICS.includes(topic)) return { method: 'ping', namespace: 'baseapi', version: '1.1' };
  return { method: IGNORE_ERRORS_METHOD, namespace: null, version: null };
}

/** Failures a live dispatcher sends back when it has no such method or version. */
const DISPATCHER_FAILURES = new Set(['NoSuchMethod', 'UnsupportedVersion']);

/** Why a ping cannot be sent as asked; checked before anything touches the broker. */
export function probeRefusal(opts: Pick<ProbeOptions, 'exchange' | 'topic' | 'server' | 'timeoutMs'>): string | null {
  if (!opts.topic) return 'a topic is required';
  if (!opts.server) return `a server is required: the ping goes to ${opts.topic}.<server>, never to the shared queue ${opts.topic}, where any server would answer`;
  if (`${opts.topic}.${opts.server}` === opts.topic) return `${opts.topic}.${opts.server} is the shared queue`;
  if (!opts.exchange) return 'an exchange is required (the control exchange of the component, e.g. nova)';
  if (opts.exchange.startsWith('amq.')) return `${opts.exchange} is a broker built-in, not a control exchange`;
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) return 'the timeout must be a positive number of milliseconds';
  return null;
}

/** The vhost the URL names (`amqp://h/` and `amqp://h` both mean `/`). */
export function vhostOfAmqpUrl(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : '/';
}

/** Where the URL points, without credentials: safe to show. */
function describeEndpoint(url: URL): string {
  const port = url.port || (url.protocol === 'amqps:' ? '5671' : '5672');
  return `${url.hostname}:${port}`;
}

function withVhost(amqpUrl: string, vhost: string): URL {
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url;
}

/** The broker's reason out of amqplib's message, e.g. `NOT_FOUND - no exchange 'x' in vhost 'y'`. */
function brokerReason(err: Error): string {
  const m = /with message "([^"]*)"/.exec(err.message);
  return m?.[1] ?? err.message;
}

function connectFailure(err: unknown, url: URL, vhost: string): string {
  const e = err as NodeJS.ErrnoException;
  const where = `AMQP at ${describeEndpoint(url)}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach ${where}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${where}: unknown host`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where}: ${e.code}`;
    default:
      break;
  }
  const message = e.message ?? String(err);
  if (/ACCESS.REFUSED|403/.test(message)) return `${where} refused the login (check the user and password of RABBITMQ_AMQP_URL): ${brokerReason(e)}`;
  if (/NOT.ALLOWED|530|Expected ConnectionOpenOk/.test(message)) return `${where}: the user may not use vhost "${vhost}", or it does not exist`;
  if (/timeout|timed out/i.test(message)) return `cannot reach ${where}: connection timed out`;
  return `cannot connect to ${where}: ${message}`;
}

/** A channel-level failure after connecting, said in terms of what the ping tried to do. */
function channelFailure(err: Error, what: { vhost: string; exchange: string; replyQueue: string }): string {
  const reason = brokerReason(err);
  if (/NOT_FOUND|404/.test(err.message) && reason.includes('exchange'))
    return `exchange "${what.exchange}" does not exist in vhost "${what.vhost}" (${reason})`;
  if (/ACCESS_REFUSED|403/.test(err.message)) {
    if (reason.includes('queue'))
      return `the probe's user may not declare its reply queue ${what.replyQueue} in vhost "${what.vhost}" (it needs configure and read permission on reply_.*): ${reason}`;
    return `the probe's user may not publish to exchange "${what.exchange}" in vhost "${what.vhost}" (it needs write permission on it): ${reason}`;
  }
  return `the broker closed the probe's channel: ${reason}`;
}

/**
 * How long a polite close may take before the socket is cut. The broker stops reading a connection
 * it has blocked (memory or disk alarm) once it published, so deleting the reply queue and closing
 * would wait for the alarm to end. Cut, the dashboard holds nothing; the broker drops the connection
 * and its exclusive queue when it reads again.
 */
const CLOSE_LIMIT_MS = 2_000;

async function closeWithin(conn: ChannelModel, ch: Channel | null, channelOpen: boolean, replyQueue: string): Promise<void> {
  const polite = (async () => {
    if (ch && channelOpen) {
      // exclusive, so it dies with the connection anyway; deleting it first is tidier
      await ch.deleteQueue(replyQueue).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    await conn.close().catch(() => undefined);
    return 'closed' as const;
  })();
  const limit = sleepUntil(CLOSE_LIMIT_MS, 'too slow' as const);
  const outcome = await Promise.race([polite, limit.promise]);
  limit.cancel();
  if (outcome === 'too slow') cutSocket(conn);
}

/** amqplib has no public abort; its connection keeps the socket as `stream`. */
function cutSocket(conn: ChannelModel): void {
  (conn.connection as { stream?: { destroy(): void } }).stream?.destroy();
}

function sleepUntil<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** The connection name the broker shows for the ping's connection. */
export function probeConnectionName(): string {
  return `rabbit-lens-probe:${process.pid}:${randomUUID()}`;
}

/**
 * Sends one RPC call to `<topic>.<server>` on `exchange` and waits up to `timeoutMs` for its reply.
 * Never throws: every outcome is a ProbeResult.
 */
export async function probe(amqpUrl: string, opts: ProbeOptions): Promise<ProbeResult> {
  const refusal = probeRefusal(opts);
  if (refusal) return { status: 'error', latencyMs: null, detail: refusal };

  const vhost = opts.vhost ?? vhostOfAmqpUrl(amqpUrl);
  const url = withVhost(amqpUrl, vhost);
  const routingKey = `${opts.topic}.${opts.server}`;
  const defaults = probeTarget(opts.topic);
  const method = opts.method ?? defaults.method;
  const namespace = opts.namespace !== undefined ? opts.namespace : defaults.namespace;
  const version = opts.version !== undefined ? opts.version : defaults.version;
  const replyQueue = `reply_${newHexId()}`;
  const names = { vhost, exchange: opts.exchange, replyQueue };

  // Bounds the connect, and then every step until the call is sent: a broker that stops answering ends the ping too.
  const stepLimitMs = Math.min(Math.max(opts.timeoutMs, 2_000), 15_000);
  let conn: ChannelModel;
  try {
    conn = await amqp.connect(url.toString(), {
      timeout: stepLimitMs,
      clientProperties: { connection_name: probeConnectionName(), product: 'rabbit-lens' },
      ...(opts.tls ? tlsOptions(opts.tls) : {}),
    });
  } catch (err) {
    return { status: 'error', latencyMs: null, detail: connectFailure(err, url, vhost) };
  }

  // Anything the broker does to us asynchronously ends the wait with that outcome.
  let failure: string | null = null;
  let settle: (r: ProbeResult) => void = () => {};
  const failed = new Promise<ProbeResult>((resolve) => {
    settle = resolve;
  });
  let done = false;
  const fail = (detail: string) => {
    if (done) return;
    failure ??= detail;
    settle({ status: 'error', latencyMs: null, detail: failure });
  };
  conn.on('error', (err: Error) => fail(`the connection failed: ${brokerReason(err)}`));
  conn.on('close', () => fail('the broker closed the connection'));
  conn.on('blocked', (reason: string) =>
    fail(`the broker blocks publishing (${reason}): a memory or disk alarm stops every publisher, the services' too`),
  );

  let ch: Channel | null = null;
  let channelOpen = false;
  const setupLimit = setTimeout(
    () => fail(`the broker at ${describeEndpoint(url)} did not set up the ping's channel and reply queue within ${stepLimitMs} ms`),
    stepLimitMs,
  );
  const cleanups: (() => void)[] = [() => clearTimeout(setupLimit)];

  const call = async (): Promise<ProbeResult> => {
    try {
      const channel = await conn.createChannel();
      ch = channel;
      channelOpen = true;
      channel.on('close', () => {
        channelOpen = false;
      });
      channel.on('error', (err: Error) => fail(channelFailure(err, names)));
      channel.on('return', (_msg: Message) =>
        fail(`no queue ${routingKey} is bound on exchange "${opts.exchange}" in vhost "${vhost}": the message was returned unroutable (is the server name right?)`),
      );

      // Passive: the exchange must already exist; a declare with other properties would close the channel (406).
      await channel.checkExchange(opts.exchange);

      await channel.assertQueue(replyQueue, {
        exclusive: true,
        durable: false,
        autoDelete: true,
        arguments: { 'x-expires': opts.timeoutMs + 10_000 },
      });

      const request = buildCall({
        method,
        args: {},
        namespace,
        version,
        replyQueue,
        context: makeContext({ user: 'rabbit-lens', request_id: `req-${randomUUID()}` }),
      });
      const msgId = request._msg_id as string;

      let started = 0;
      const answered = new Promise<ProbeResult>((resolve) => {
        const onMessage = (msg: ConsumeMessage | null) => {
          if (!msg) return fail(`the broker cancelled the consumer on ${replyQueue}`);
          let reply;
          try {
            reply = decodeReply(decodeEnvelope(msg.content));
          } catch {
            return; // not for us
          }
          if (reply.msgId !== msgId || !reply.ending) return; // someone else's, or a call-monitor heartbeat
          const latencyMs = Math.max(0, Math.round(performance.now() - started));
          if (!reply.failure) {
            resolve({ status: 'alive', latencyMs, detail: `${routingKey} answered ${method} in ${latencyMs} ms` });
          } else if (DISPATCHER_FAILURES.has(reply.failure.className)) {
            resolve({
              status: 'alive',
              latencyMs,
              detail: `${routingKey} answered in ${latencyMs} ms (its dispatcher replied ${reply.failure.className}, which proves it takes requests from its queue)`,
            });
          } else {
            resolve({
              status: 'alive',
              latencyMs,
              detail: `${routingKey} answered in ${latencyMs} ms with a remote error ${reply.failure.className}: ${reply.failure.message}`,
            });
          }
        };
        channel.consume(replyQueue, onMessage, { noAck: true, exclusive: true }).catch((err: unknown) => fail(channelFailure(err as Error, names)));
      });

      // The call carries `expiration` = timeout: unanswered, it expires from the server queue instead of lingering.
      const props = publishProperties('call', opts.timeoutMs);
      started = performance.now();
      channel.publish(opts.exchange, routingKey, Buffer.from(encodeEnvelope(request), 'utf8'), {
        ...props,
        mandatory: true,
        headers: {},
      });
      clearTimeout(setupLimit);

      const timeout = sleepUntil<ProbeResult>(opts.timeoutMs, {
        status: 'timeout',
        latencyMs: null,
        detail:
          `no answer from ${routingKey} on exchange "${opts.exchange}" within ${opts.timeoutMs} ms: ` +
          `the service on ${opts.server} is not consuming its queue ${routingKey} (or is too busy to answer); the request expires from the queue`,
      });
      cleanups.push(timeout.cancel);
      return await Promise.race([answered, timeout.promise]);
    } catch (err) {
      // a failed operation (passive declare, queue declare) closes the channel; the 'error' listener may have said it already
      return { status: 'error', latencyMs: null, detail: failure ?? channelFailure(err as Error, names) };
    }
  };

  try {
    return await Promise.race([call(), failed]);
  } finally {
    done = true;
    for (const c of cleanups) c();
    await closeWithin(conn, ch, channelOpen, replyQueue);
  }
}
