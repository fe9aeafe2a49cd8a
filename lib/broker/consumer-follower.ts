// Who consumes, between whole reads: as last read whole (consumers, channels, connections), then
// followed queue by queue from the Prometheus plugin's consumer counts. The queues whose count
// differs from the consumers known of them are asked again one by one, with the connections new to
// them; the connections that lost their consumers are asked whether they are still there. So "which
// process consumes compute.compute03" stays right without re-reading 17k consumers every few seconds.
// Where the broker tells what comes and goes (its event exchange), the events are applied as they
// come, and only a consumer on a channel the events did not introduce sends its queue to be asked.
import { refKey, splitRefKey } from '@/lib/domain/keys';
import { connectionProcessId } from '@/lib/domain/process';
import type { ChannelInput, ConnectionInput, ConsumerInput, RefusedConnection } from '@/lib/domain/types';
import { AskAgain } from './ask-again';
import type { BrokerEvent } from './broker-events';
import { BrokerError } from './errors';
import type { ManagementClient } from './management-client';
import { mapConnection, mapConsumer } from './mappers';
import type { PrometheusReading } from './prometheus-stats';
import type { IdentityRead } from './read-broker';

const REREAD_CONCURRENCY = 8;
/** A connection closed this soon after it opened was refused (RabbitMQ 4.3 closes one within ~15 ms of a denied declaration). */
const REFUSED_WITHIN_MS = 1000;
/** Refused connections are told over this last while. */
const REFUSED_KEPT_MS = 60_000;
/** How long the plugin's consumer counts may lag the broker's events: two statistics intervals. */
const PLUGIN_LAG_MS = 10_000;
/** A queue or connection the management API does not yet agree on is asked again after this long, at first. */
const ASK_AGAIN_MS = 4000;
const ASK_AGAIN_MAX_MS = 60_000;

export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function withChannel(consumers: readonly ConsumerInput[] | undefined): number {
  let n = 0;
  for (const c of consumers ?? []) if (c.channelName !== null) n++;
  return n;
}

/** What following found: everything in order, or too much changed at once (read it all again). */
export type Followed = 'followed' | 'too-many';

/** A channel's name is its connection's and its number: "10.0.0.7:41234 -> 10.0.0.1:5672 (1)". */
const connectionOfChannel = (channel: string) => channel.replace(/ \(\d+\)$/, '');

function connectionFromEvent(e: Extract<BrokerEvent, { type: 'connection.created' }>): ConnectionInput {
  const props = e.clientProperties;
  return {
    name: e.name,
    vhost: e.vhost,
    user: e.user,
    node: e.node,
    peerHost: e.peerHost ?? 'unknown',
    peerPort: e.peerPort,
    state: 'running',
    connectedAt: e.connectedAt ?? e.at,
    clientConnectionName: props.connection_name ?? e.userProvidedName,
    product: props.product ?? null,
    productVersion: props.product_version ?? props.version ?? null,
    platform: props.platform ?? null,
    channels: 0,
  };
}

export class ConsumerFollower {
  /** Per queue (refKey). */
  private consumers = new Map<string, ConsumerInput[]>();
  private connections = new Map<string, ConnectionInput>();
  private channels = new Map<string, ChannelInput>();
  /** When it was last read whole; null before. */
  private readAt: number | null = null;
  /**
   * Per queue (refKey), at the plugin's consumer count: when its consumers were asked for. The
   * management API may say less than the plugin for a while (or for good: a stream's consumer
   * left by a closed channel).
   */
  private readonly queueAsks = new AskAgain(ASK_AGAIN_MS, ASK_AGAIN_MAX_MS);
  /** Per connection a known consumer is on, not yet known itself: when it was asked for. */
  private readonly connectionAsks = new AskAgain(ASK_AGAIN_MS, ASK_AGAIN_MAX_MS);
  /** Channels and connections the broker's events introduced: pid → name (whole reads give no pids). */
  private readonly channelPids = new Map<string, string>();
  private readonly connectionPids = new Map<string, string>();
  /** Queues whose plugin count disagrees with the consumers known, since when. */
  private readonly disagreeing = new Map<string, number>();
  /** Queues whose consumers an event changed on a channel it did not introduce: asked by askPlaced(). */
  private readonly unplaced = new Set<string>();
  /** Connections the events saw open in the last REFUSED_WITHIN_MS, by pid; and those closed that soon. */
  private readonly justOpened = new Map<string, { at: number; connection: ConnectionInput }>();
  private refused: { at: number; livedMs: number; connection: ConnectionInput }[] = [];

  constructor(
    private readonly client: ManagementClient,
    /** Queues whose consumers are read one by one in a refresh at most; more, and all are read again. */
    private readonly maxRereads: number,
  ) {}

  /** When who consumes was last read whole; null before the first time. */
  identityAt(): number | null {
    return this.readAt;
  }

  /** Who consumes, read whole just now: following starts again from here. */
  restart(read: IdentityRead, at: number): void {
    this.consumers = new Map();
    for (const c of read.consumers) {
      const key = refKey(c.vhost, c.queue);
      const list = this.consumers.get(key);
      if (list) list.push(c);
      else this.consumers.set(key, [c]);
    }
    this.connections = new Map(read.connections.map((c) => [c.name, c]));
    this.channels = new Map(read.channels.map((c) => [c.name, c]));
    this.readAt = at;
    this.queueAsks.clear();
    this.connectionAsks.clear();
    this.unplaced.clear();
  }

  /**
   * The broker's events, in its order: connections, channels and consumers added and removed as
   * they say. Returns, per queue, connection and consumers list they changed, the broker's time of
   * the last change (`queue:`, `connection:`, `consumers:` + name or refKey).
   */
  applyEvents(events: readonly BrokerEvent[], changedAt: Map<string, number>): void {
    const closedConnections = new Set<string>();
    const closedChannels = new Set<string>();
    /** Consumers gone from a channel the events did not introduce: placed once the batch is applied. */
    const untagged: { key: string; tag: string }[] = [];
    for (const e of events) {
      switch (e.type) {
        case 'connection.created':
          this.connections.set(e.name, connectionFromEvent(e));
          this.justOpened.set(e.pid, { at: e.at, connection: this.connections.get(e.name)! });
          this.connectionPids.set(e.pid, e.name);
          closedConnections.delete(e.name);
          changedAt.set(`connection:${e.name}`, e.at);
          break;
        case 'connection.closed': {
          const opened = this.justOpened.get(e.pid);
          if (opened && e.at - opened.at < REFUSED_WITHIN_MS) this.refused.push({ at: e.at, livedMs: e.at - opened.at, connection: opened.connection });
          this.justOpened.delete(e.pid);
          this.connectionPids.delete(e.pid);
          if (this.connections.delete(e.name)) changedAt.set(`connection:${e.name}`, e.at);
          closedConnections.add(e.name);
          break;
        }
        case 'channel.created': {
          this.channelPids.set(e.pid, e.name);
          const connectionName = this.connectionPids.get(e.connectionPid) ?? connectionOfChannel(e.name);
          this.channels.set(e.name, { name: e.name, connectionName, number: e.number, prefetchCount: 0, state: 'running', consumerCount: 0, messagesUnacknowledged: 0, rates: null });
          closedChannels.delete(e.name);
          break;
        }
        case 'channel.closed': {
          const name = this.channelPids.get(e.pid);
          this.channelPids.delete(e.pid);
          if (name !== undefined) {
            this.channels.delete(name);
            closedChannels.add(name);
          }
          break;
        }
        case 'consumer.created': {
          const key = refKey(e.vhost, e.queue);
          changedAt.set(`consumers:${key}`, e.at);
          const channelName = this.channelPids.get(e.channelPid);
          if (channelName === undefined) {
            this.unplaced.add(key);
            break;
          }
          const consumer: ConsumerInput = {
            vhost: e.vhost,
            queue: e.queue,
            consumerTag: e.consumerTag,
            ackRequired: e.ackRequired,
            prefetchCount: e.prefetchCount,
            active: true,
            channelName,
            connectionName: connectionOfChannel(channelName),
          };
          const list = (this.consumers.get(key) ?? []).filter((c) => !(c.channelName === channelName && c.consumerTag === e.consumerTag));
          this.consumers.set(key, [...list, consumer]);
          break;
        }
        case 'consumer.deleted': {
          const key = refKey(e.vhost, e.queue);
          changedAt.set(`consumers:${key}`, e.at);
          const channelName = this.channelPids.get(e.channelPid);
          if (channelName === undefined) untagged.push({ key, tag: e.consumerTag });
          else this.removeConsumers(key, (c) => c.channelName === channelName && c.consumerTag === e.consumerTag);
          break;
        }
        case 'queue.deleted': {
          const key = refKey(e.vhost, e.name);
          this.consumers.delete(key);
          this.unplaced.delete(key);
          changedAt.set(`queue:${key}`, e.at);
          break;
        }
        case 'queue.created':
          changedAt.set(`queue:${refKey(e.vhost, e.name)}`, e.at);
          break;
        default:
          break;
      }
    }
    if (closedConnections.size > 0 || closedChannels.size > 0) {
      const closed = (c: ConsumerInput) => (c.connectionName !== null && closedConnections.has(c.connectionName)) || (c.channelName !== null && closedChannels.has(c.channelName));
      for (const key of [...this.consumers.keys()]) this.removeConsumers(key, closed);
      for (const [name, ch] of this.channels) if (closedConnections.has(ch.connectionName)) this.channels.delete(name);
    }
    // A consumer on a channel older than the events: its tag alone names it where it is the only one with it (oslo's tags repeat across connections).
    for (const { key, tag } of untagged) {
      const tagged = (this.consumers.get(key) ?? []).filter((c) => c.consumerTag === tag);
      if (tagged.length === 1) this.removeConsumers(key, (c) => c === tagged[0]);
      else if (tagged.length > 1) this.unplaced.add(key);
    }
  }

  /** Clients whose connections the broker closed within a second of opening them, in the minute before `now`. */
  refusedConnections(now: number): RefusedConnection[] {
    for (const [pid, o] of this.justOpened) if (now - o.at >= REFUSED_WITHIN_MS) this.justOpened.delete(pid);
    this.refused = this.refused.filter((r) => now - r.at < REFUSED_KEPT_MS);
    const byClient = new Map<string, RefusedConnection>();
    for (const { at, livedMs, connection: c } of this.refused) {
      // One client: its user, vhost and address, and its name without the part each connection changes (oslo's uuid).
      const key = `${c.vhost}\0${c.user}\0${c.peerHost}\0${(c.clientConnectionName ?? '').replace(/:[0-9a-f-]{32,36}$/i, '')}`;
      const known = byClient.get(key);
      if (known) {
        known.times++;
        known.longestMs = Math.max(known.longestMs, livedMs);
        known.lastAt = Math.max(known.lastAt, at);
        known.clientConnectionName = c.clientConnectionName ?? known.clientConnectionName;
      } else byClient.set(key, { vhost: c.vhost, user: c.user, peerHost: c.peerHost, clientConnectionName: c.clientConnectionName, times: 1, longestMs: livedMs, lastAt: at });
    }
    return [...byClient.values()];
  }

  /** Asks the broker who consumes the queues the events could not place; 'too-many' when more than are worth asking one by one. */
  async askUnplaced(): Promise<Followed> {
    if (this.unplaced.size === 0) return 'followed';
    if (this.unplaced.size > this.maxRereads) {
      this.unplaced.clear();
      return 'too-many';
    }
    const keys = [...this.unplaced];
    this.unplaced.clear();
    const left = new Set<string>();
    await eachLimited(keys, REREAD_CONCURRENCY, async (key) => {
      for (const c of this.consumers.get(key) ?? []) if (c.connectionName) left.add(c.connectionName);
      await this.askQueue(key);
    });
    await this.followConnections(left, this.readAt ?? 0);
    this.channelsOf(keys);
    return 'followed';
  }

  /** The consumers known on a queue with a channel: what the events keep up to date. */
  consumersWithChannel(key: string): number {
    return withChannel(this.consumers.get(key));
  }

  private removeConsumers(key: string, gone: (c: ConsumerInput) => boolean): void {
    const list = this.consumers.get(key);
    if (!list?.some(gone)) return;
    const kept = list.filter((c) => !gone(c));
    if (kept.length > 0) this.consumers.set(key, kept);
    else this.consumers.delete(key);
  }

  private async askQueue(key: string): Promise<void> {
    const { vhost, name } = splitRefKey(key);
    try {
      const now = ((await this.client.queueConsumers(vhost, name)).consumer_details ?? []).map(mapConsumer);
      if (now.length > 0) this.consumers.set(key, now);
      else this.consumers.delete(key);
    } catch (err) {
      if (!(err instanceof BrokerError && err.kind === 'not-found')) throw err;
      this.consumers.delete(key);
    }
  }

  /** As last read and followed since. */
  lists(): Pick<IdentityRead, 'consumers' | 'connections' | 'channels'> {
    return { consumers: [...this.consumers.values()].flat(), connections: [...this.connections.values()], channels: [...this.channels.values()] };
  }

  /**
   * Follows the plugin's reading; 'too-many' when more queues changed than are worth asking one by one.
   * `eventsCover`: the broker's events keep who consumes current, and the plugin's counts lag them: only
   * a disagreement that outlasts that lag is asked about (what no event told, e.g. a stream's consumer on
   * 3.10), a few queues per reading, never the whole.
   */
  async follow(reading: PrometheusReading, eventsCover = false): Promise<Followed> {
    const left = new Set<string>();
    // A queue gone with its consumers (an exclusive reply queue goes with its connection): their
    // connections are asked about below, like those of a queue that lost its consumers. The events
    // say so themselves, and know queues newer than the plugin's list.
    if (!eventsCover)
      for (const [key, consumers] of this.consumers) {
        if (reading.queues.has(key)) continue;
        for (const c of consumers) if (c.connectionName) left.add(c.connectionName);
        this.consumers.delete(key);
      }
    const changed: string[] = [];
    for (const [key, counts] of reading.queues) {
      const count = counts.consumers ?? 0;
      // Only consumers with their channel agree with the count: one without is on a brand-new channel
      // (asked again until the management API knows it, so that it joins its process), or, on a
      // stream, left by a closed channel and not a consumer (lib/domain/streams.ts).
      if (count === withChannel(this.consumers.get(key))) {
        this.queueAsks.settled(key);
        this.disagreeing.delete(key);
        continue;
      }
      const since = this.disagreeing.get(key) ?? reading.at;
      this.disagreeing.set(key, since);
      if ((!eventsCover || reading.at - since >= PLUGIN_LAG_MS) && this.queueAsks.due(key, count, reading.at)) changed.push(key);
    }
    this.queueAsks.keepOnly(reading.queues);
    for (const key of this.disagreeing.keys()) if (!reading.queues.has(key)) this.disagreeing.delete(key);
    if (changed.length > this.maxRereads) {
      if (!eventsCover) return 'too-many';
      changed.length = this.maxRereads;
    }
    await eachLimited(changed, REREAD_CONCURRENCY, async (key) => {
      for (const c of this.consumers.get(key) ?? []) if (c.connectionName) left.add(c.connectionName);
      this.queueAsks.asking(key, reading.queues.get(key)?.consumers ?? 0, reading.at);
      await this.askQueue(key);
    });
    await this.followConnections(left, reading.at);
    this.channelsOf(changed);
    return 'followed';
  }

  private async followConnections(left: ReadonlySet<string>, at: number): Promise<void> {
    const consuming = new Set<string>();
    for (const list of this.consumers.values()) for (const c of list) if (c.connectionName) consuming.add(c.connectionName);
    // A consumer can reach the management API before its connection does: asked again until it has.
    const unknown = new Set([...consuming].filter((name) => !this.connections.has(name)));
    this.connectionAsks.keepOnly(unknown);
    const gone = [...left].filter((name) => !consuming.has(name) && this.connections.has(name));
    const ask = [...[...unknown].filter((name) => this.connectionAsks.due(name, 0, at)), ...gone];
    const closed = await this.askConnections(ask, unknown, at);
    // A process that died closed all its connections at once, those that consume nothing included
    // (oslo's publisher and notifier): asked too, so that it is not taken for one still connected.
    const dead = new Set(closed.map((c) => connectionProcessId(c)));
    const siblings = [...this.connections.values()].filter((c) => dead.has(connectionProcessId(c))).map((c) => c.name);
    await this.askConnections(siblings, unknown, at);
  }

  /** Asks the broker for these connections; answers those it no longer has. */
  private async askConnections(names: readonly string[], unknown: ReadonlySet<string>, at: number): Promise<ConnectionInput[]> {
    const closed: ConnectionInput[] = [];
    await eachLimited(names, REREAD_CONCURRENCY, async (name) => {
      try {
        this.connections.set(name, mapConnection(await this.client.connection(name)));
        this.connectionAsks.settled(name);
      } catch (err) {
        if (!(err instanceof BrokerError && err.kind === 'not-found')) throw err;
        if (unknown.has(name)) {
          this.connectionAsks.asking(name, 0, at);
          return;
        }
        const known = this.connections.get(name);
        if (known) closed.push(known);
        this.connections.delete(name);
        for (const [channel, ch] of this.channels) if (ch.connectionName === name) this.channels.delete(channel);
      }
    });
    return closed;
  }

  /** A channel first seen with a consumer: what the consumer says of it, until the next whole read. */
  private channelsOf(changed: readonly string[]): void {
    for (const key of changed) {
      for (const c of this.consumers.get(key) ?? []) {
        if (!c.channelName || !c.connectionName || this.channels.has(c.channelName)) continue;
        const number = Number(/\((\d+)\)$/.exec(c.channelName)?.[1] ?? 0);
        this.channels.set(c.channelName, {
          name: c.channelName,
          connectionName: c.connectionName,
          number,
          prefetchCount: c.prefetchCount,
          state: null,
          consumerCount: 1,
          messagesUnacknowledged: 0,
          rates: null,
        });
      }
    }
  }
}
