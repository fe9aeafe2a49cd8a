// The answers about quorum queues and streams, built from what RabbitMQ 4.0.5 really answered
// (tests/fixtures/broker-answers/) and checked by the schemas the browser checks them with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapChannel, mapConnection, mapConsumer, mapNode, mapOverview, mapQueue } from '@/lib/broker/mappers';
import { channelResponse, connectionResponse, consumerResponse, nodeResponse, overviewResponse as brokerOverview, queueResponse } from '@/lib/broker/schemas';
import { emptyInputs } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { overviewResponse, queueDetailResponse, queuesResponse } from './answers';
import * as api from './schemas';

const { answers } = JSON.parse(readFileSync(path.resolve(__dirname, '../../tests/fixtures/broker-answers/rabbitmq-4.0.5.json'), 'utf8')) as {
  answers: Record<'overview' | 'nodes' | 'queueMetadata' | 'queueCounts' | 'consumers' | 'channels' | 'connections', unknown>;
};
const metadata = new Map(queueResponse.array().parse(answers.queueMetadata).map((q) => [q.name, q]));
const state = stateOf(
  emptyInputs({
    overview: mapOverview(brokerOverview.parse(answers.overview)),
    nodes: nodeResponse.array().parse(answers.nodes).map(mapNode),
    queues: queueResponse.array().parse(answers.queueCounts).map((q) => mapQueue({ ...metadata.get(q.name)!, ...q }, true)),
    consumers: consumerResponse.array().parse(answers.consumers).map(mapConsumer),
    connections: connectionResponse.array().parse(answers.connections).map(mapConnection),
    channels: channelResponse.array().parse(answers.channels).map((c) => mapChannel(c, true)),
  }),
);
const vhost = state.topology.queues[0]!.vhost;
const status: api.SnapshotStatus = { fetchedAt: 0, stale: false, refreshing: false, error: null, refreshIntervalMs: 2000 };
const detail = (name: string) => api.queueDetailResponse.parse(queueDetailResponse(state, status, vhost, name, (own) => [...own]));

describe('answers about a RabbitMQ 4 cloud (recorded)', () => {
  it('a stream: what it retains, its one consumer, and apart what a closed channel left', () => {
    const d = detail('compute_fanout');
    expect(d.queue).toMatchObject({ type: 'stream', consumers: 1, staleConsumers: 1, retention: { messages: 3, maxAge: '1800s', maxAgeMs: 1_800_000, segments: 1 } });
    expect(d.consumers).toHaveLength(1);
    expect(d.staleConsumers).toMatchObject([{ channelName: null, connectionName: null, processId: null }]);
  });

  it('a quorum queue: its leader and replicas, nothing of a stream', () => {
    const node = state.topology.nodes[0]!.name;
    expect(detail('compute.node-1').queue).toMatchObject({ replication: { leader: node, members: [node], online: [node], quorum: 1, state: 'complete' }, retention: null, staleConsumers: 0 });
  });

  it('the queue list and the overview, nodes with whether they are drained', () => {
    const list = api.queuesResponse.parse(queuesResponse(state, status, { sort: 'name', order: 'asc', page: 1, pageSize: 100 }));
    expect(list.items.find((q) => q.name.startsWith('reply_'))).toMatchObject({ replication: null, retention: null });
    expect(api.overviewResponse.parse(overviewResponse(state, status)).nodes[0]?.beingDrained).toBe(false);
  });
});
