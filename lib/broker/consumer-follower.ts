// Who consumes, between whole reads: as last read whole (consumers, channels, connections), then
// followed queue by queue from the Prometheus plugin's consumer counts. The queues whose count
// differs from the consumers known of them are asked again one by one, with the connections new to
// them; the connections that lost their consumers are asked whether they are still there. So "which
// process consumes compute.compute03" stays right without re-reading 17k consumers every few seconds.
import { refKey, splitRefKey } from '@/lib/domain/keys';
import { connectionProcessId } from '@/lib/domain/process';
import type { ChannelInput, ConnectionInput, ConsumerInput } from '@/lib/domain/types';
import { AskAgain } from './ask-again';
import { BrokerError } from './errors';
import type { ManagementClient } from './management-client';
import { mapConnection, mapConsumer } from './mappers';
import type { PrometheusReading } from './prometheus-stats';
import type { IdentityRead } from './read-broker';

const REREAD_CONCURRENCY = 8;
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
  }

  /** As last read and followed since. */
  lists(): Pick<IdentityRead, 'consumers' | 'connections' | 'channels'> {
    return { consumers: [...this.consumers.values()].flat(), connections: [...this.connections.values()], channels: [...this.channels.values()] };
  }

  /** Follows the plugin's reading; 'too-many' when more queues changed than are worth asking one by one. */
  async follow(reading: PrometheusReading): Promise<Followed> {
    // A queue gone with its consumers (an exclusive reply queue goes with its connection): their
    // connections are asked about below, like those of a queue that lost its consumers.
    const left = new Set<string>();
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
      if (count === withChannel(this.consumers.get(key))) this.queueAsks.settled(key);
      else if (this.queueAsks.due(key, count, reading.at)) changed.push(key);
    }
    this.queueAsks.keepOnly(reading.queues);
    if (changed.length > this.maxRereads) return 'too-many';
    await eachLimited(changed, REREAD_CONCURRENCY, async (key) => {
      for (const c of this.consumers.get(key) ?? []) if (c.connectionName) left.add(c.connectionName);
      this.queueAsks.asking(key, reading.queues.get(key)?.consumers ?? 0, reading.at);
      const { vhost, name } = splitRefKey(key);
      try {
        const now = ((await this.client.queueConsumers(vhost, name)).consumer_details ?? []).map(mapConsumer);
        if (now.length > 0) this.consumers.set(key, now);
        else this.consumers.delete(key);
      } catch (err) {
        if (!(err instanceof BrokerError && err.kind === 'not-found')) throw err;
        this.consumers.delete(key);
      }
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
