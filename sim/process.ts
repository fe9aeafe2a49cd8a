// One simulated OpenStack process: ONE AMQP connection with one channel, declaring and
// consuming exactly what oslo.messaging's rabbit driver would (kombu/py-amqp client
// properties, connection_name `<binary>:<pid>:<uuid4>`, connected from its host's
// loopback address), answering RPC requests like oslo's dispatcher and acting as a client.
import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  buildCall,
  buildCast,
  buildDispatcherFailure,
  buildNotification,
  buildReply,
  decodeEnvelope,
  decodeReply,
  decodeRequest,
  encodeEnvelope,
  makeContext,
  newHexId,
  notificationRoutingKey,
  publishProperties,
  versionIsCompatible,
  type DecodedRequest,
  type JsonObject,
  type JsonValue,
  type NotificationPriority,
  type OsloMessageKind,
  type RemoteFailure,
  type RequestContext,
} from '@/lib/oslo/envelope';
import type { Layout } from './scenario';
import type { EndpointSpec, ServedTopic, TopicSpec } from './services';

export type Logger = (line: string) => void;

export interface ProcessConfig {
  /** AMQP URL including the vhost. */
  amqpUrl: string;
  binary: string;
  host: string;
  /** Loopback address the connection comes from (net.connect localAddress). */
  address: string;
  pid: number;
  layout: Layout;
  /** Control exchange of this process's project (the RPC server's exchange and notification exchange). */
  controlExchange: string;
  /** RPC topics served; empty for a pure client or a notification consumer. */
  topics: TopicSpec[];
  /** Declare and consume a reply queue (default true; a pure notification consumer has none). */
  replyQueue?: boolean;
  log?: Logger;
}

export interface CallOptions {
  namespace?: string | null;
  version?: string | null;
  /** rpc_response_timeout in ms: the call's `expiration` and how long we wait. Default 60 000. */
  timeoutMs?: number;
  context?: RequestContext;
}

export interface ServedTopicInfo extends ServedTopic {
  exchange: string;
  sharedQueue: string;
  serverQueue: string;
  fanoutExchange: string;
  fanoutQueue: string;
}

export interface ProcessInfo {
  binary: string;
  host: string;
  address: string;
  pid: number;
  connectionName: string;
  controlExchange: string;
  topics: ServedTopicInfo[];
  replyQueue: string;
  /** Queues this process consumes, with their consumer tags. */
  consuming: Record<string, string>;
}

export interface ProcessStats {
  requestsReceived: number;
  repliesSent: number;
  callsSent: number;
  castsSent: number;
  notificationsSent: number;
  notificationsConsumed: number;
  returned: number;
}

/** A failure the remote server sent back instead of a result. */
export class RemoteError extends Error {
  constructor(readonly failure: RemoteFailure) {
    super(`${failure.module}.${failure.className}: ${failure.message}`);
    this.name = 'RemoteError';
  }
}

/** No reply within the timeout (oslo's MessagingTimeout). */
export class MessagingTimeout extends Error {
  constructor(readonly msgId: string, timeoutMs: number) {
    super(`Timed out waiting for a reply to message ID ${msgId} after ${timeoutMs} ms`);
    this.name = 'MessagingTimeout';
  }
}

interface PendingCall {
  resolve: (v: JsonValue) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** The argument oslo's _get_queue_arguments builds. */
export function queueArguments(opts: { quorum: boolean; ttlSeconds: number; stream?: boolean }): Record<string, unknown> {
  if (opts.stream) {
    const args: Record<string, unknown> = { 'x-queue-type': 'stream' };
    if (opts.ttlSeconds > 0) args['x-max-age'] = `${opts.ttlSeconds}s`;
    return args;
  }
  const args: Record<string, unknown> = {};
  if (opts.quorum) args['x-queue-type'] = 'quorum';
  if (opts.ttlSeconds > 0) args['x-expires'] = opts.ttlSeconds * 1000;
  return args;
}

/** oslo's Connection.durable: amqp_durable_queues or rabbit_quorum_queue. */
export function controlExchangeDurable(layout: Layout): boolean {
  return layout.quorumQueues;
}

export class SimProcess {
  readonly binary: string;
  readonly host: string;
  readonly address: string;
  readonly pid: number;
  readonly connectionName: string;
  readonly controlExchange: string;
  readonly layout: Layout;
  readonly stats: ProcessStats = {
    requestsReceived: 0,
    repliesSent: 0,
    callsSent: 0,
    castsSent: 0,
    notificationsSent: 0,
    notificationsConsumed: 0,
    returned: 0,
  };

  private conn: ChannelModel | null = null;
  private ch: Channel | null = null;
  private readonly log: Logger;
  private readonly topicSpecs: TopicSpec[];
  private served: ServedTopicInfo[] = [];
  private replyQ = '';
  private tagCounter = 0;
  private qmCounter = 0;
  private readonly consumers = new Map<string, string>(); // queue → consumer tag
  private readonly pending = new Map<string, PendingCall>();
  private readonly declaredExchanges = new Set<string>();
  private readonly declaredNotificationQueues = new Set<string>();
  private readonly ackDisabled = new Set<string>();
  /** What each consumed queue's deliveries go to, so a fault can re-consume it differently. */
  private readonly handlers = new Map<string, { onMessage: (msg: ConsumeMessage) => void; args?: Record<string, unknown> }>();
  private readonly slowTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  private constructor(private readonly cfg: ProcessConfig) {
    this.binary = cfg.binary;
    this.host = cfg.host;
    this.address = cfg.address;
    this.pid = cfg.pid;
    this.connectionName = `${cfg.binary}:${cfg.pid}:${randomUUID()}`;
    this.controlExchange = cfg.controlExchange;
    this.layout = cfg.layout;
    this.topicSpecs = cfg.topics;
    this.log = cfg.log ?? (() => {});
  }

  /** Connects, declares and consumes everything the process serves, plus its reply queue. */
  static async start(cfg: ProcessConfig): Promise<SimProcess> {
    const p = new SimProcess(cfg);
    try {
      await p.connect();
      for (const t of p.topicSpecs) await p.listen(t);
      if (cfg.replyQueue !== false) await p.declareReplyQueue();
    } catch (err) {
      await p.kill().catch(() => {});
      throw err;
    }
    return p;
  }

  get replyQueue(): string {
    return this.replyQ;
  }

  get topics(): ServedTopicInfo[] {
    return this.served.map((s) => ({ ...s }));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  info(): ProcessInfo {
    return {
      binary: this.binary,
      host: this.host,
      address: this.address,
      pid: this.pid,
      connectionName: this.connectionName,
      controlExchange: this.controlExchange,
      topics: this.topics,
      replyQueue: this.replyQ,
      consuming: Object.fromEntries(this.consumers),
    };
  }

  // ---------------------------------------------------------------- setup

  private channel(): Channel {
    if (!this.ch || this.closed) throw new Error(`${this.connectionName}: not connected`);
    return this.ch;
  }

  private async connect(): Promise<void> {
    // SocketOptions extends tls.ConnectionOptions; net.connect reads localAddress from the same object.
    const socketOptions = {
      localAddress: this.address,
      clientProperties: {
        product: 'py-amqp',
        product_version: '5.1.1',
        capabilities: {
          authentication_failure_close: true,
          'connection.blocked': true,
          consumer_cancel_notify: true,
        },
        connection_name: this.connectionName,
      },
    } as amqp.SocketOptions;
    const url = new URL(this.cfg.amqpUrl);
    // Heartbeat: heartbeat_timeout_threshold 60 s.
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '60');
    this.conn = await amqp.connect(url.toString(), socketOptions);
    this.conn.on('error', (err: Error) => this.log(`${this.connectionName}: connection error: ${err.message}`));
    this.conn.on('close', () => {
      if (!this.closed) this.log(`${this.connectionName}: connection closed by the broker`);
      this.closed = true;
      this.failPending(new Error('connection closed'));
    });
    this.ch = await this.conn.createChannel();
    this.ch.on('error', (err: Error) => this.log(`${this.connectionName}: channel error: ${err.message}`));
    this.ch.on('return', (msg: ConsumeMessage) => {
      // mandatory reply to a reply queue that no longer exists: oslo logs and drops it
      this.stats.returned++;
      this.log(`${this.connectionName}: reply to ${msg.fields.routingKey} returned unroutable`);
    });
    if (this.layout.prefetchCount > 0) await this.ch.prefetch(this.layout.prefetchCount, false);
  }

  /** The unique part of a fanout/reply queue name: uuid hex, or `<host>:<binary>:<n>` with use_queue_manager. */
  private uniqueSuffix(): string {
    if (this.layout.useQueueManager) {
      this.qmCounter++;
      return `${this.host}:${this.binary}:${this.qmCounter}`;
    }
    return newHexId();
  }

  private async declareExchange(name: string, type: 'topic' | 'fanout' | 'direct', durable: boolean, autoDelete: boolean): Promise<void> {
    await this.channel().assertExchange(name, type, { durable, autoDelete, internal: false, arguments: {} });
    this.declaredExchanges.add(name);
  }

  private async declareControlExchange(name: string): Promise<void> {
    if (this.declaredExchanges.has(name)) return;
    await this.declareExchange(name, 'topic', controlExchangeDurable(this.layout), false);
  }

  private async consume(queue: string, onMessage: (msg: ConsumeMessage) => void, args?: Record<string, unknown>): Promise<string> {
    const tag = String(++this.tagCounter);
    const opts: Options.Consume = { consumerTag: tag, noAck: false, exclusive: false };
    if (args) opts.arguments = args;
    await this.channel().consume(
      queue,
      (msg) => {
        if (!msg) {
          // consumer cancelled by the broker (queue deleted, failover)
          this.consumers.delete(queue);
          this.log(`${this.connectionName}: consumer ${tag} on ${queue} cancelled by the broker`);
          return;
        }
        onMessage(msg);
      },
      opts,
    );
    this.consumers.set(queue, tag);
    this.handlers.set(queue, args ? { onMessage, args } : { onMessage });
    return tag;
  }

  private ack(queue: string, msg: ConsumeMessage): void {
    if (this.ackDisabled.has(queue) || this.closed) return;
    this.channel().ack(msg);
  }

  /** oslo's listen(target): topic queue, server queue, fanout queue, all consumed on this channel. */
  private async listen(spec: TopicSpec): Promise<void> {
    const ch = this.channel();
    const layout = this.layout;
    const exchange = this.controlExchange;
    const server = spec.server(this.host);
    const servedTopic: ServedTopic = { topic: spec.topic, server, binary: this.binary, host: this.host };
    const durable = controlExchangeDurable(layout);
    const topicArgs = queueArguments({ quorum: layout.quorumQueues, ttlSeconds: 0 });

    await this.declareControlExchange(exchange);
    const sharedQueue = spec.topic;
    const serverQueue = `${spec.topic}.${server}`;
    for (const q of [sharedQueue, serverQueue]) {
      await ch.assertQueue(q, { durable, autoDelete: false, exclusive: false, arguments: topicArgs });
      await ch.bindQueue(q, exchange, q);
    }

    const fanoutExchange = `${spec.topic}_fanout`;
    const fanoutDurable = layout.transientQuorumQueues || layout.streamFanout;
    const fanoutQueue = layout.streamFanout ? fanoutExchange : `${spec.topic}_fanout_${this.uniqueSuffix()}`;
    await this.declareExchange(fanoutExchange, 'fanout', fanoutDurable, true);
    await ch.assertQueue(fanoutQueue, {
      durable: fanoutDurable,
      autoDelete: false,
      exclusive: false,
      arguments: queueArguments({ quorum: layout.transientQuorumQueues, ttlSeconds: layout.transientQueuesTtl, stream: layout.streamFanout }),
    });
    await ch.bindQueue(fanoutQueue, fanoutExchange, spec.topic);

    const handler = (queue: string) => (msg: ConsumeMessage) => this.onRequest(queue, msg, spec.endpoints, servedTopic);
    await this.consume(sharedQueue, handler(sharedQueue));
    await this.consume(serverQueue, handler(serverQueue));
    await this.consume(fanoutQueue, handler(fanoutQueue), layout.streamFanout ? { 'x-stream-offset': 'last' } : undefined);

    this.served.push({ ...servedTopic, exchange, sharedQueue, serverQueue, fanoutExchange, fanoutQueue });
  }

  /** oslo's declare_direct_consumer for `reply_<unique>` (plus the legacy reply exchange). */
  private async declareReplyQueue(): Promise<void> {
    const ch = this.channel();
    const layout = this.layout;
    const name = `reply_${this.uniqueSuffix()}`;
    const args = queueArguments({ quorum: layout.transientQuorumQueues, ttlSeconds: layout.transientQueuesTtl });
    if (layout.legacyReplyExchanges) {
      // oslo.messaging < 10: a direct exchange named like the queue, durable false, auto_delete true
      await this.declareExchange(name, 'direct', false, true);
      await ch.assertQueue(name, { durable: false, autoDelete: false, exclusive: false, arguments: args });
      await ch.bindQueue(name, name, name);
    } else {
      await ch.assertQueue(name, { durable: layout.transientQuorumQueues, autoDelete: false, exclusive: false, arguments: args });
    }
    this.replyQ = name;
    await this.consume(name, (msg) => this.onReply(name, msg));
  }

  // ---------------------------------------------------------------- server side

  private onRequest(queue: string, msg: ConsumeMessage, endpoints: EndpointSpec[], served: ServedTopic): void {
    // oslo acks as soon as it takes the message, then dispatches
    this.ack(queue, msg);
    this.stats.requestsReceived++;
    let req: DecodedRequest;
    try {
      req = decodeRequest(decodeEnvelope(msg.content));
    } catch (err) {
      this.log(`${this.connectionName}: dropping undecodable message on ${queue}: ${(err as Error).message}`);
      return;
    }
    const outcome = dispatch(endpoints, req, served);
    if (req.kind !== 'call' || !req.msgId || !req.replyQueue) return;
    const reply =
      outcome.kind === 'result'
        ? buildReply({ msgId: req.msgId, result: outcome.result })
        : buildReply({ msgId: req.msgId, failure: buildDispatcherFailure(outcome.kind, { method: req.method, version: req.version }) });
    this.publishReply(req.replyQueue, reply);
  }

  private publishReply(replyQueue: string, reply: JsonObject): void {
    if (this.closed) return;
    const body = Buffer.from(encodeEnvelope(reply), 'utf8');
    const props = { ...publishProperties('reply'), headers: {} };
    if (this.layout.legacyReplyExchanges) {
      // pre-Train: to the reply_ exchange named like the queue
      this.channel().publish(replyQueue, replyQueue, body, props);
    } else {
      this.channel().publish('', replyQueue, body, { ...props, mandatory: true });
    }
    this.stats.repliesSent++;
  }

  // ---------------------------------------------------------------- client side

  private onReply(queue: string, msg: ConsumeMessage): void {
    this.ack(queue, msg);
    let reply;
    try {
      reply = decodeReply(decodeEnvelope(msg.content));
    } catch (err) {
      this.log(`${this.connectionName}: undecodable reply: ${(err as Error).message}`);
      return;
    }
    if (!reply.ending) return; // call-monitor heartbeat
    const pending = this.pending.get(reply.msgId);
    if (!pending) {
      // oslo: "No calling threads waiting for msg_id"
      return;
    }
    this.pending.delete(reply.msgId);
    clearTimeout(pending.timer);
    if (reply.failure) pending.reject(new RemoteError(reply.failure));
    else pending.resolve(reply.result);
  }

  private publish(exchange: string, routingKey: string, inner: JsonObject, kind: OsloMessageKind, timeoutMs?: number): void {
    const props = publishProperties(kind, timeoutMs);
    this.channel().publish(exchange, routingKey, Buffer.from(encodeEnvelope(inner), 'utf8'), { ...props, headers: {} });
  }

  /**
   * An RPC call to `<topic>.<server>` (or `<topic>` when server is null) on `exchange`.
   * Resolves with the result; rejects with RemoteError or MessagingTimeout.
   */
  async call(exchange: string, topic: string, server: string | null, method: string, args: JsonObject = {}, opts: CallOptions = {}): Promise<JsonValue> {
    if (!this.replyQ) throw new Error(`${this.connectionName} has no reply queue`);
    await this.declareControlExchange(exchange);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const inner = buildCall({
      method,
      args,
      namespace: opts.namespace ?? null,
      version: opts.version ?? null,
      replyQueue: this.replyQ,
      context: opts.context ?? makeContext(),
    });
    const msgId = inner._msg_id as string;
    const result = new Promise<JsonValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msgId);
        reject(new MessagingTimeout(msgId, timeoutMs));
      }, timeoutMs);
      this.pending.set(msgId, { resolve, reject, timer });
    });
    this.publish(exchange, server === null ? topic : `${topic}.${server}`, inner, 'call', timeoutMs);
    this.stats.callsSent++;
    return result;
  }

  async cast(exchange: string, topic: string, server: string | null, method: string, args: JsonObject = {}, opts: Omit<CallOptions, 'timeoutMs'> = {}): Promise<void> {
    await this.declareControlExchange(exchange);
    const inner = buildCast({ method, args, namespace: opts.namespace ?? null, version: opts.version ?? null, context: opts.context ?? makeContext() });
    this.publish(exchange, server === null ? topic : `${topic}.${server}`, inner, 'cast');
    this.stats.castsSent++;
  }

  /** A fanout cast: to the `<topic>_fanout` exchange with routing key ''. */
  async fanoutCast(topic: string, method: string, args: JsonObject = {}, opts: Omit<CallOptions, 'timeoutMs'> = {}): Promise<void> {
    const name = `${topic}_fanout`;
    if (!this.declaredExchanges.has(name)) {
      await this.declareExchange(name, 'fanout', this.layout.transientQuorumQueues || this.layout.streamFanout, true);
    }
    const inner = buildCast({ method, args, namespace: opts.namespace ?? null, version: opts.version ?? null, context: opts.context ?? makeContext() });
    this.publish(name, '', inner, 'fanout');
    this.stats.castsSent++;
  }

  /**
   * A messagingv2 notification on the control exchange, routing key `<topic>.<priority>`.
   * Like oslo, the publisher declares the `<topic>.<priority>` queue bound with the same key.
   */
  async notify(priority: NotificationPriority, eventType: string, payload: JsonValue, opts: { topics?: string[]; context?: RequestContext; publisherId?: string } = {}): Promise<void> {
    const exchange = this.controlExchange;
    await this.declareControlExchange(exchange);
    const inner = buildNotification({
      publisherId: opts.publisherId ?? `${this.served[0]?.topic ?? this.binary}.${this.host}`,
      eventType,
      priority,
      payload,
      context: opts.context ?? makeContext(),
    });
    for (const topic of opts.topics ?? ['notifications']) {
      const key = notificationRoutingKey(topic, priority);
      await this.ensureNotificationQueue(exchange, key);
      // each copy gets its own _unique_id, as oslo sends one message per topic
      this.publish(exchange, key, { ...inner, _unique_id: newHexId() }, 'notification');
      this.stats.notificationsSent++;
    }
  }

  private async ensureNotificationQueue(exchange: string, key: string): Promise<void> {
    const id = `${exchange}\u0000${key}`;
    if (this.declaredNotificationQueues.has(id)) return;
    const durable = controlExchangeDurable(this.layout);
    await this.channel().assertQueue(key, { durable, autoDelete: false, exclusive: false, arguments: queueArguments({ quorum: this.layout.quorumQueues, ttlSeconds: 0 }) });
    await this.channel().bindQueue(key, exchange, key);
    this.declaredNotificationQueues.add(id);
  }

  /** A notification listener (ceilometer-like): binds and consumes `<topic>.<priority>` on an exchange, acking after handling. */
  async consumeNotifications(exchange: string, topic: string, priority: NotificationPriority): Promise<string> {
    await this.declareControlExchange(exchange);
    const key = notificationRoutingKey(topic, priority);
    await this.ensureNotificationQueue(exchange, key);
    if (this.consumers.has(key)) return key;
    await this.consume(key, (msg) => {
      this.stats.notificationsConsumed++;
      this.ack(key, msg);
    });
    return key;
  }

  // ---------------------------------------------------------------- faults and shutdown

  /** Cancels the consumer on a queue while the connection stays up (a per-server queue left without consumer). */
  async stopConsuming(queue: string): Promise<void> {
    const tag = this.consumers.get(queue);
    if (!tag) throw new Error(`${this.connectionName} does not consume ${queue}`);
    await this.channel().cancel(tag);
    this.consumers.delete(queue);
  }

  /** Keeps taking deliveries from a queue but never acks them (unacked grows). */
  stopAcking(queue: string): void {
    this.ackDisabled.add(queue);
  }

  /**
   * A slow consumer: re-consumes `queue` with a prefetch of 1 and handles (and acks) each delivery
   * only after `delayMs`, so it takes one message per delay and a backlog grows under traffic.
   */
  async slowDown(queue: string, delayMs: number): Promise<void> {
    const tag = this.consumers.get(queue);
    const handler = this.handlers.get(queue);
    if (!tag || !handler) throw new Error(`${this.connectionName} does not consume ${queue}`);
    if (!(delayMs > 0)) throw new Error(`slowDown needs a positive delay, got ${delayMs}`);
    const ch = this.channel();
    await ch.cancel(tag);
    this.consumers.delete(queue);
    // basic.qos with global=false limits the consumers created after it; restore it for later ones
    await ch.prefetch(1, false);
    const slow = (msg: ConsumeMessage) => {
      const timer = setTimeout(() => {
        this.slowTimers.delete(timer);
        if (!this.closed) handler.onMessage(msg);
      }, delayMs);
      this.slowTimers.add(timer);
    };
    await this.consume(queue, slow, handler.args);
    this.handlers.set(queue, handler.args ? { onMessage: handler.onMessage, args: handler.args } : { onMessage: handler.onMessage });
    await ch.prefetch(this.layout.prefetchCount, false);
    this.log(`${this.connectionName}: consuming ${queue} slowly, one message per ${delayMs} ms`);
  }

  private failPending(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  /**
   * A clean stop like oslo's Connection.close(): cancels consumers, deletes its fanout queues
   * (unless stream/queue-manager layouts keep them), closes the connection.
   * Reply queues are left to x-expires, as oslo does.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const ch = this.ch;
    const graceful = async () => {
      if (!ch) return;
      for (const tag of this.consumers.values()) await ch.cancel(tag).catch(() => {});
      this.consumers.clear();
      if (!this.layout.streamFanout && !this.layout.useQueueManager) {
        for (const s of this.served) await ch.deleteQueue(s.fanoutQueue).catch(() => {});
      }
    };
    try {
      // a broker that went away mid-way (vhost deleted, connection forced closed) must not hang the stop
      await withTimeout(graceful(), 5_000);
    } catch {
      // fall through to kill()
    } finally {
      await this.kill();
    }
  }

  /** The process dies: the connection goes, nothing is cleaned up (its queues remain until x-expires). */
  async kill(): Promise<void> {
    const conn = this.conn;
    this.closed = true;
    for (const t of this.slowTimers) clearTimeout(t);
    this.slowTimers.clear();
    this.failPending(new Error(`${this.connectionName} stopped`));
    this.conn = null;
    this.ch = null;
    if (conn) await withTimeout(conn.close(), 5_000).catch(() => {});
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export type DispatchOutcome = { kind: 'result'; result: JsonValue } | { kind: 'NoSuchMethod' } | { kind: 'UnsupportedVersion' };

/** oslo's RPCDispatcher: endpoints whose namespace and version match are searched for the method. */
export function dispatch(endpoints: EndpointSpec[], req: Pick<DecodedRequest, 'method' | 'namespace' | 'version' | 'args'>, served: ServedTopic): DispatchOutcome {
  const version = req.version ?? '1.0';
  let foundCompatible = false;
  for (const ep of endpoints) {
    if (ep.namespace !== req.namespace) continue;
    if (!versionIsCompatible(ep.version, version)) continue;
    const method = Object.hasOwn(ep.methods, req.method) ? ep.methods[req.method] : undefined;
    if (method) return { kind: 'result', result: method(req.args, served) };
    foundCompatible = true;
  }
  return foundCompatible ? { kind: 'NoSuchMethod' } : { kind: 'UnsupportedVersion' };
}
