import 'server-only';
// The broker's own account of what changes (rabbitmq_event_exchange): a queue of the feed's own,
// bound to `amq.rabbitmq.event` in vhost "/", consumed and handed to the owner in batches. When
// events may have been missed (its queue overflowed, or it was away) the owner is told, and reads
// everything again. Nothing the broker or a client sends can make it throw; it never logs.
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { brokerReason, unreachable } from './amqp-failure';
import { BROKER_EVENT_BINDINGS, type BrokerEvent, fallbackTime, parseBrokerEvent } from './broker-events';

export interface EventFeedOptions {
  /** The configured AMQP URL; the feed connects to the same broker and user but vhost "/" (the exchange lives there). */
  amqpUrl: string;
  /** Events in broker order, batched (what arrived within ~50 ms, at most 5000 per batch). */
  onEvents: (batch: BrokerEvent[]) => void;
  /** Events may have been missed: the owner must reconcile with a whole read (after overflow, after a reconnect). */
  onLost: (why: string) => void;
  /** The bound of its own queue (default 100_000). */
  maxLength?: number;
  now?: () => number;
  /** Passed to amqplib's connect (TLS: ca, cert, key, rejectUnauthorized, as tlsOptions() gives them). */
  socketOptions?: object;
}

/** `unavailable` holds while it retries, with the reason of the last failure. */
export type EventFeedState = 'connecting' | 'live' | 'unavailable' | 'stopped';

export interface EventFeedStatus {
  state: EventFeedState;
  /** Why it is unavailable; when live, a warning or null. Never holds credentials. */
  why: string | null;
  since: number;
  liveSince: number | null;
  /** Events handed to onEvents. */
  received: number;
  /** Times onLost was called. */
  lost: number;
}

const EXCHANGE = 'amq.rabbitmq.event';
const DEFAULT_MAX_LENGTH = 100_000;
const PREFETCH = 1000;
/** Acked before the batch is handed over, so a batch may grow past the prefetch. */
const ACK_EVERY = 250;
const BATCH_MS = 50;
const BATCH_MAX = 5000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** From connect to consuming: a broker that stops answering ends the attempt. */
const SETUP_LIMIT_MS = 30_000;
const CLOSE_LIMIT_MS = 2000;
/** Disabling the plugin deletes the exchange, which removes the binding silently: looked for this often. */
const EXCHANGE_CHECK_MS = 15_000;
/** An overflow is told once the drops have stopped this long, or this long after the first. */
const OVERFLOW_QUIET_MS = 250;
const OVERFLOW_TELL_MAX_MS = 5000;
const OWN_KEPT = 64;

const PLUGIN_OFF = 'the rabbitmq_event_exchange plugin is not enabled: rabbitmq-plugins enable rabbitmq_event_exchange';

type Step = 'channel' | 'check' | 'overflow queue' | 'event queue' | 'bind' | 'consume';

interface Session {
  conn: ChannelModel;
  ch: Channel | null;
  /** Why the connection or the working channel failed, as the broker said. */
  connWhy: string | null;
  chWhy: string | null;
  unacked: number;
  last: ConsumeMessage | null;
  watchdog: NodeJS.Timeout | null;
}

export class EventFeed {
  private readonly now: () => number;
  private readonly maxLength: number;
  /** The connection name the broker shows; its events are the feed's own. */
  private readonly name = `rabbit-lens-events:${process.pid}:${randomUUID()}`;
  private st: EventFeedStatus;
  private started = false;
  private stopped = false;
  /** Bumped by every failure and by stop(): callbacks of an older attempt do nothing. */
  private gen = 0;
  private session: Session | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  /** Set when a live period ended: the next live tells the owner what it missed. */
  private downSince: number | null = null;
  private pending: BrokerEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private dropped = 0;
  private overflowQuiet: NodeJS.Timeout | null = null;
  private overflowMax: NodeJS.Timeout | null = null;
  private readonly ownQueues: string[] = [];
  private readonly ownChannels: string[] = [];
  private readonly ownConnections: string[] = [];

  constructor(private readonly o: EventFeedOptions) {
    this.now = o.now ?? Date.now;
    this.maxLength = Number.isInteger(o.maxLength) && o.maxLength! > 0 ? o.maxLength! : DEFAULT_MAX_LENGTH;
    this.st = { state: 'connecting', why: null, since: this.now(), liveSince: null, received: 0, lost: 0 };
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.connect();
  }

  /** Closes everything; its queues go with its connection. The owner hears nothing more. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.gen++;
    this.clearTimers();
    this.pending = [];
    this.setState('stopped', null);
    const s = this.session;
    this.session = null;
    if (s) await closeWithin(s);
  }

  status(): EventFeedStatus {
    return { ...this.st };
  }

  // ------------------------------------------------------------------ connecting

  private connect(): void {
    this.retryTimer = null;
    const gen = ++this.gen;
    void this.attempt(gen).catch((err: unknown) => this.fail(gen, `the event feed failed: ${String(err)}`));
  }

  private async attempt(gen: number): Promise<void> {
    let url: URL;
    try {
      url = feedUrl(this.o.amqpUrl);
    } catch {
      return this.fail(gen, 'the AMQP URL is not valid');
    }
    const who = describe(url);
    const limit = setTimeout(() => this.fail(gen, `the broker at ${who.endpoint} did not set up the event queue within ${SETUP_LIMIT_MS / 1000} s`), SETUP_LIMIT_MS);
    limit.unref();
    try {
      let conn: ChannelModel;
      try {
        conn = await amqp.connect(url.toString(), {
          timeout: 15_000,
          ...(this.o.socketOptions ?? {}),
          // its own name, by which it knows its own connection's events
          clientProperties: { connection_name: this.name, product: 'rabbit-lens' },
        });
      } catch (err) {
        return this.fail(gen, redact(connectFailure(err, who), url));
      }
      const s: Session = { conn, ch: null, connWhy: null, chWhy: null, unacked: 0, last: null, watchdog: null };
      if (gen !== this.gen) return void closeWithin(s);
      this.session = s;
      conn.on('error', (err: Error) => {
        s.connWhy ??= redact(`the connection failed: ${brokerReason(err)}`, url);
      });
      conn.on('close', (err?: Error) => {
        // a forced close (320: management, rabbitmqctl) comes as close(err), with no error event
        if (err) s.connWhy ??= redact(`the broker at ${who.endpoint} closed the connection: ${brokerReason(err)}`, url);
        this.fail(gen, s.connWhy ?? `the broker at ${who.endpoint} closed the connection`);
      });

      let step: Step = 'channel';
      let warning: string | null = null;
      try {
        let ch = await this.channel(s);
        step = 'check';
        await ch.checkExchange(EXCHANGE);
        step = 'overflow queue';
        // classic whatever the vhost's default queue type (4.x): max-length with drop-head and dead-lettering as 3.x has them
        const own = { exclusive: true, autoDelete: true, durable: false };
        const overflow = (await ch.assertQueue('', { ...own, arguments: { 'x-queue-type': 'classic', 'x-max-length': 1 } })).queue;
        this.own(this.ownQueues, overflow);
        step = 'event queue';
        const limits = { 'x-queue-type': 'classic', 'x-max-length': this.maxLength, 'x-overflow': 'drop-head' };
        let overflowQueue: string | null = overflow;
        let queue: string;
        try {
          queue = (await ch.assertQueue('', { ...own, arguments: { ...limits, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': overflow } })).queue;
        } catch (err) {
          if (!/ACCESS.REFUSED|403/.test(String((err as Error)?.message))) throw err;
          // Dead-lettering needs read on the queue and write on amq.default: without them, run blind to overflow.
          warning = overflowWarning(err as Error, who.user);
          ch = await this.channel(s);
          await ch.deleteQueue(overflow);
          overflowQueue = null;
          queue = (await ch.assertQueue('', { ...own, arguments: limits })).queue;
        }
        this.own(this.ownQueues, queue);
        step = 'bind';
        for (const key of BROKER_EVENT_BINDINGS) await ch.bindQueue(queue, EXCHANGE, key);
        step = 'consume';
        await ch.prefetch(PREFETCH);
        if (overflowQueue) await ch.consume(overflowQueue, (m) => this.onOverflow(gen, m), { noAck: true });
        // noAck false: the prefetch keeps what the broker has not handed over in the queue, where its
        // bound and the overflow detection apply (with noAck it would pile up unbounded in this process).
        await ch.consume(queue, (m) => this.onMessage(gen, m), { noAck: false });
      } catch (err) {
        return this.fail(gen, s.connWhy ?? redact(explain(step, err, who.user), url));
      }
      if (gen !== this.gen) return;
      const ch = s.ch!;
      // amqplib closes the channels before it says why the connection closed: that reason is waited for
      ch.on('close', () => setImmediate(() => this.fail(gen, s.chWhy ?? s.connWhy ?? 'the broker closed the event feed\u2019s channel')));
      s.watchdog = setInterval(() => void ch.checkExchange(EXCHANGE).catch(() => undefined), EXCHANGE_CHECK_MS);
      s.watchdog.unref();
      this.goLive(warning);
    } finally {
      clearTimeout(limit);
    }
  }

  /** A channel whose failure is recorded as the session's reason (an error event with no listener would throw). */
  private async channel(s: Session): Promise<Channel> {
    const ch = await s.conn.createChannel();
    ch.on('error', (err: Error) => {
      if (s.ch === ch) s.chWhy = explain('check', err, describeUser(this.o.amqpUrl));
    });
    s.ch = ch;
    s.chWhy = null;
    return ch;
  }

  private goLive(warning: string | null): void {
    const now = this.now();
    this.retryMs = RETRY_FIRST_MS;
    this.st.liveSince = now;
    const lastWhy = this.st.why;
    this.setState('live', warning);
    if (this.downSince !== null) {
      const away = Math.max(0, Math.round((now - this.downSince) / 1000));
      this.downSince = null;
      this.tellLost(`the event feed reconnected after ${away} s away (${lastWhy ?? 'the connection was lost'}): events in between were missed`);
    }
  }

  private fail(gen: number, why: string): void {
    if (gen !== this.gen || this.stopped) return;
    this.gen++;
    const wasLive = this.st.state === 'live';
    this.flush();
    this.clearTimers();
    const s = this.session;
    this.session = null;
    if (s) void closeWithin(s);
    if (wasLive) this.downSince ??= this.now();
    this.setState('unavailable', why);
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  // ------------------------------------------------------------------ events

  private onMessage(gen: number, msg: ConsumeMessage | null): void {
    try {
      if (gen !== this.gen || !this.session) return;
      if (!msg) return this.fail(gen, 'the broker cancelled the event feed\u2019s consumer (its queue was deleted)');
      const s = this.session;
      s.unacked++;
      s.last = msg;
      const event = parseBrokerEvent(msg.fields.routingKey, msg.properties.headers, fallbackTime(msg.properties.timestamp, this.now()));
      if (event && !this.isOwn(event)) this.pending.push(event);
      if (s.unacked >= ACK_EVERY) ack(s);
      if (this.pending.length >= BATCH_MAX) this.flush();
      else if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => this.flush(), BATCH_MS);
        this.flushTimer.unref();
      }
    } catch {
      // nothing goes back into amqplib
    }
  }

  /** A message on the overflow queue: an event the event queue dropped (drop-head dead-letters it). */
  private onOverflow(gen: number, msg: ConsumeMessage | null): void {
    if (gen !== this.gen || !msg) return;
    this.dropped++;
    if (this.overflowQuiet) clearTimeout(this.overflowQuiet);
    this.overflowQuiet = setTimeout(() => this.tellOverflow(), OVERFLOW_QUIET_MS);
    this.overflowQuiet.unref();
    if (!this.overflowMax) {
      this.overflowMax = setTimeout(() => this.tellOverflow(), OVERFLOW_TELL_MAX_MS);
      this.overflowMax.unref();
    }
  }

  private tellOverflow(): void {
    this.clearOverflow();
    const n = this.dropped;
    this.dropped = 0;
    if (n === 0 || this.stopped) return;
    this.flush();
    this.tellLost(`the event queue overflowed (at least ${n} events dropped; it holds ${this.maxLength}): events were missed`);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.st.received += batch.length;
      try {
        this.o.onEvents(batch);
      } catch {
        // the owner's failure is the owner's
      }
    }
    if (this.session) ack(this.session);
  }

  private tellLost(why: string): void {
    this.st.lost++;
    try {
      this.o.onLost(why);
    } catch {
      // the owner's failure is the owner's
    }
  }

  /** Events the feed's own connection causes: its queues, their consumers, their channels, itself. */
  private isOwn(e: BrokerEvent): boolean {
    switch (e.type) {
      case 'consumer.created':
      case 'consumer.deleted': {
        const own = e.vhost === '/' && this.ownQueues.includes(e.queue);
        if (own) this.own(this.ownChannels, e.channelPid);
        return own;
      }
      case 'queue.created':
      case 'queue.deleted':
        return e.vhost === '/' && this.ownQueues.includes(e.name);
      case 'channel.created':
        return this.ownConnections.includes(e.connectionPid);
      case 'channel.closed':
        return this.ownChannels.includes(e.pid);
      case 'connection.created':
      case 'connection.closed': {
        const own = e.userProvidedName === this.name;
        if (own) this.own(this.ownConnections, e.pid);
        return own;
      }
      default:
        return false;
    }
  }

  private own(list: string[], item: string): void {
    if (list.includes(item)) return;
    list.push(item);
    if (list.length > OWN_KEPT) list.shift();
  }

  // ------------------------------------------------------------------ state

  private setState(state: EventFeedState, why: string | null): void {
    if (state !== this.st.state) this.st.since = this.now();
    this.st.state = state;
    this.st.why = why;
  }

  private clearOverflow(): void {
    if (this.overflowQuiet) clearTimeout(this.overflowQuiet);
    if (this.overflowMax) clearTimeout(this.overflowMax);
    this.overflowQuiet = this.overflowMax = null;
  }

  private clearTimers(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.flushTimer = this.retryTimer = null;
    this.clearOverflow();
    this.dropped = 0;
    if (this.session?.watchdog) clearInterval(this.session.watchdog);
  }
}

function ack(s: Session): void {
  if (!s.last || s.unacked === 0 || !s.ch) return;
  try {
    s.ch.ack(s.last, true);
  } catch {
    // a closed channel: its unacked messages are gone with it
  }
  s.unacked = 0;
}

/** Polite close, then the socket cut: a broker under a memory alarm may never answer. */
async function closeWithin(s: Session): Promise<void> {
  if (s.watchdog) clearInterval(s.watchdog);
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      (s.conn.connection as { stream?: { destroy(): void } }).stream?.destroy();
      resolve();
    }, CLOSE_LIMIT_MS);
    timer.unref();
  });
  await Promise.race([s.conn.close().catch(() => undefined), cut]);
  clearTimeout(timer);
}

// ------------------------------------------------------------------ operator words

/** The configured URL, in vhost "/". */
function feedUrl(amqpUrl: string): URL {
  const url = new URL(amqpUrl);
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') throw new Error('not an AMQP URL');
  url.pathname = '/%2F';
  return url;
}

function describe(url: URL): { endpoint: string; user: string } {
  const port = url.port || (url.protocol === 'amqps:' ? '5671' : '5672');
  return { endpoint: `${url.hostname}:${port}`, user: decodeURIComponent(url.username) || 'guest' };
}

function describeUser(amqpUrl: string): string {
  try {
    return describe(new URL(amqpUrl)).user;
  } catch {
    return 'guest';
  }
}

/** No error text may carry the password (amqplib's never do; this makes sure). */
function redact(text: string, url: URL): string {
  const password = url.password ? [url.password, decodeURIComponent(url.password)] : [];
  return password.reduce((t, p) => (p.length > 0 ? t.split(p).join('***') : t), text);
}


const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function grantLine(user: string): string {
  return `rabbitmqctl set_permissions -p / ${shellQuote(user)} '^amq\\.gen-.*' '^(amq\\.gen-.*|amq\\.default)$' '^(amq\\.gen-.*|amq\\.rabbitmq\\.event)$' (this replaces its permissions in "/": merge in any it needs there)`;
}

function connectFailure(err: unknown, who: { endpoint: string; user: string }): string {
  const e = err as NodeJS.ErrnoException;
  const where = `AMQP at ${who.endpoint}`;
  const away = unreachable(e, where);
  if (away) return away;
  const message = e?.message ?? String(err);
  if (/ACCESS.REFUSED|403/.test(message)) return `${where} refused the login of user "${who.user}" (wrong user or password): ${brokerReason(e)}`;
  if (/NOT.ALLOWED|530|Expected ConnectionOpenOk/.test(message))
    return `user "${who.user}" may not use vhost "/", where the event exchange lives: ${grantLine(who.user)}`;
  if (/timeout|timed out/i.test(message)) return `cannot reach ${where}: connection timed out`;
  if (/certificate|TLS|SSL|self.signed/i.test(message) || /CERT|SSL/.test(e?.code ?? '')) return `TLS with ${where} failed: ${message}`;
  return `cannot connect to ${where}: ${message}`;
}

/** What a refused step means, in terms of the plugin and the permissions of the user in vhost "/". */
function explain(step: Step, err: unknown, user: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = brokerReason(err);
  if (/NOT_FOUND|404/.test(message) && reason.includes(EXCHANGE)) return `${PLUGIN_OFF} (${reason})`;
  if (/ACCESS.REFUSED|403/.test(message)) {
    const lacks = (permission: string, on: string, why: string) =>
      `user "${user}" lacks the ${permission} permission on ${on} in vhost "/" (${why}): ${grantLine(user)}`;
    if (step === 'overflow queue' || step === 'event queue') return lacks('configure', 'its own amq.gen-* queues', 'to declare its event queue');
    // RabbitMQ 4 refuses the passive check of the exchange saying "configure access", while read is what is missing.
    if ((step === 'bind' || step === 'check') && reason.includes(`exchange '${EXCHANGE}'`)) return lacks('read', `exchange ${EXCHANGE}`, 'to bind its queue to it');
    if (step === 'bind') return lacks('write', 'its own amq.gen-* queues', `to bind them to ${EXCHANGE}`);
    if (step === 'consume') return lacks('read', 'its own amq.gen-* queues', 'to consume them');
    return `the broker refused the event feed (${reason}): ${grantLine(user)}`;
  }
  if (step === 'channel' || step === 'check') return `the broker closed the event feed\u2019s channel: ${reason}`;
  return `the broker refused the event feed\u2019s ${step}: ${reason}`;
}

function overflowWarning(err: Error, user: string): string {
  const onDefault = brokerReason(err).includes("'amq.default'");
  const lacking = onDefault ? 'the write permission on amq.default' : 'the read permission on its own amq.gen-* queues';
  return `live, but an overflow of its queue would go unnoticed: user "${user}" lacks ${lacking} in vhost "/", which dead-lettering dropped events needs: ${grantLine(user)}`;
}
