import 'server-only';
// One full read of the broker: every list in parallel, mapped into domain inputs.
import type { BrokerInputs } from '@/lib/domain/types';
import { BrokerError } from './errors';
import type { ManagementClient } from './management-client';
import {
  mapBinding,
  mapChannel,
  mapConnection,
  mapConsumer,
  mapExchange,
  mapNode,
  mapOverview,
  mapQueue,
  statsEnabled,
} from './mappers';

export interface BrokerRead {
  inputs: BrokerInputs;
  /** Parts the broker would not give (e.g. nodes without the monitoring tag); the rest is still good. */
  warnings: string[];
}

/** Lists that a restricted user or a broker without stats may refuse; the rest of the picture still stands. */
async function optional<T>(promise: Promise<T[]>, warnings: string[]): Promise<T[]> {
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

export async function readBroker(client: ManagementClient): Promise<BrokerRead> {
  const warnings: string[] = [];
  const [overview, nodes, vhosts, exchanges, queues, bindings, consumers, connections, channels] = await Promise.all([
    client.overview(),
    optional(client.nodes(), warnings),
    client.vhosts(),
    client.exchanges(),
    client.queues(),
    client.bindings(),
    optional(client.consumers(), warnings),
    client.connections(),
    client.channels(),
  ]);
  const enabled = statsEnabled(overview);
  return {
    warnings,
    inputs: {
      overview: mapOverview(overview),
      nodes: nodes.map(mapNode),
      vhosts: vhosts.map((v) => v.name),
      exchanges: exchanges.map(mapExchange),
      queues: queues.map((q) => mapQueue(q, enabled)),
      bindings: bindings.map(mapBinding),
      consumers: consumers.map(mapConsumer),
      connections: connections.map(mapConnection),
      channels: channels.map((ch) => mapChannel(ch, enabled)),
    },
  };
}
