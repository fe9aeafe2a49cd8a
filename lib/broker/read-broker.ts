import 'server-only';
// Reading the management API in parts on their own cadences. The topology (vhosts, exchanges,
// bindings, what each queue is) changes slowly and is the costly part (bindings are one
// unpaginated request); who consumes (consumers, channels, connections) changes when processes
// come and go; the counts (lengths, rates, consumers per queue) change all the time. Each part's
// lists are fetched in parallel. lib/broker/broker-reader.ts decides what is read when.
import type { BindingInput, BrokerInputs, ChannelInput, ConnectionInput, ConsumerInput, DeprecatedFeatureInput, ExchangeInput, PolicyInput } from '@/lib/domain/types';
import { refKey } from '@/lib/domain/keys';
import { BrokerError } from './errors';
import type { ManagementClient } from './management-client';
import {
  mapBinding,
  mapChannel,
  mapConnection,
  mapConsumer,
  mapDeprecatedFeature,
  mapExchange,
  mapNode,
  mapOverview,
  mapPolicy,
  mapQueue,
  statsEnabled,
} from './mappers';
import type { QueueResponse } from './schemas';

export interface TopologyRead {
  vhosts: string[];
  /** Mapped once per topology read and shared by every refresh until the next one. */
  exchanges: ExchangeInput[];
  bindings: BindingInput[];
  /** Queue metadata by vhost and name, merged with each refresh's counts. */
  queues: Map<string, QueueResponse>;
  /** Null: the broker refused this user the list. */
  policies: PolicyInput[] | null;
  /** Null: the broker has no such list (before 3.13) or refused it. */
  deprecatedFeatures: DeprecatedFeatureInput[] | null;
}

export interface BrokerRead {
  inputs: BrokerInputs;
  /** Parts the broker would not give (e.g. nodes without the monitoring tag); the rest is still good. */
  warnings: string[];
  /** The topology this read used: pass it back to skip re-reading it until it is due. */
  topology: TopologyRead;
  /** Queues appeared since that topology was read (their bindings are not known yet). */
  topologyBehind: boolean;
}


/** Lists that a restricted user or a broker without stats may refuse; the rest of the picture still stands. */
export async function optional<T>(promise: Promise<T[]>, warnings: string[]): Promise<T[]> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof BrokerError && (err.kind === 'forbidden' || err.kind === 'http')) {
      warnings.push(err.message);
      return [];
    }
    throw err;
  }
}

export async function readTopology(client: ManagementClient): Promise<TopologyRead> {
  const [vhosts, exchanges, bindings, queues, policies, deprecatedFeatures] = await Promise.all([
    client.vhosts(),
    client.exchanges(),
    client.bindings(),
    client.queueMetadata(),
    client.policies().then(
      (list) => list.map(mapPolicy),
      (err: unknown) => {
        if (err instanceof BrokerError && (err.kind === 'unauthorized' || err.kind === 'forbidden')) return null;
        throw err;
      },
    ),
    client.deprecatedFeaturesUsed().then(
      (list) => list.map(mapDeprecatedFeature),
      (err: unknown) => {
        // Before 3.13 there is no such list: 3.10 answers 404, or 406 to a client that accepts JSON only.
        if (err instanceof BrokerError && (err.kind === 'not-found' || err.httpStatus === 406 || err.kind === 'unauthorized' || err.kind === 'forbidden')) return null;
        throw err;
      },
    ),
  ]);
  return {
    vhosts: vhosts.map((v) => v.name),
    exchanges: exchanges.map(mapExchange),
    bindings: bindings.map(mapBinding),
    queues: new Map(queues.map((q) => [refKey(q.vhost, q.name), q])),
    policies,
    deprecatedFeatures,
  };
}

/** Who consumes: every consumer, channel and connection, mapped. */
export interface IdentityRead {
  consumers: ConsumerInput[];
  connections: ConnectionInput[];
  channels: ChannelInput[];
}

/** `enabled`: whether the broker collects message rates (the channels' rates), when that is known. */
export async function readIdentity(client: ManagementClient, enabled: boolean | Promise<boolean>, warnings: string[]): Promise<IdentityRead> {
  const [consumers, connections, channels, stats] = await Promise.all([
    optional(client.consumers(), warnings),
    client.connections(),
    // A broker without statistics refuses /api/channels (and /api/consumers) with a 400: the rest still stands.
    optional(client.channels(), warnings),
    enabled,
  ]);
  return { consumers: consumers.map(mapConsumer), connections: connections.map(mapConnection), channels: channels.map((ch) => mapChannel(ch, stats)) };
}

/**
 * Everything from the management API alone: the counts, who consumes, and the topology too
 * unless a recent one is given. A queue newer than the given topology is still shown, with the
 * metadata it has yet.
 */
export async function readBroker(client: ManagementClient, known?: TopologyRead): Promise<BrokerRead> {
  const warnings: string[] = [];
  const overviewRead = client.overview();
  const [topology, overview, nodes, queues, identity] = await Promise.all([
    known ?? readTopology(client),
    overviewRead,
    optional(client.nodes(), warnings),
    client.queueCounts(),
    readIdentity(client, overviewRead.then(statsEnabled), warnings),
  ]);
  const enabled = statsEnabled(overview);
  return {
    warnings,
    topology,
    topologyBehind: queues.some((q) => !topology.queues.has(refKey(q.vhost, q.name))),
    inputs: {
      overview: mapOverview(overview),
      nodes: nodes.map(mapNode),
      vhosts: topology.vhosts,
      exchanges: topology.exchanges,
      queues: queues.map((q) => mapQueue(Object.assign({}, topology.queues.get(refKey(q.vhost, q.name)), q), enabled)),
      bindings: topology.bindings,
      policies: topology.policies,
      deprecatedFeatures: topology.deprecatedFeatures,
      ...identity,
    },
  };
}
