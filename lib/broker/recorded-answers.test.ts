// What RabbitMQ 3.10.8, 4.0.5 and 4.3.6 really answered about the same objects (recorded by
// `npm run record-answers`, tests/fixtures/broker-answers/), read by the schemas and mappers the
// dashboard uses: where the versions differ, each is read for what it says.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapChannel, mapConsumer, mapDeprecatedFeature, mapNode, mapOverview, mapQueue } from './mappers';
import { channelResponse, consumerResponse, deprecatedFeatureResponse, nodeResponse, overviewResponse, queueResponse } from './schemas';

interface Recorded {
  answers: Record<'overview' | 'nodes' | 'queueMetadata' | 'queueCounts' | 'consumers' | 'channels' | 'deprecatedFeaturesUsed', unknown>;
}

function recorded(version: string) {
  const { answers } = JSON.parse(readFileSync(path.resolve(__dirname, `../../tests/fixtures/broker-answers/rabbitmq-${version}.json`), 'utf8')) as Recorded;
  const queues = (answer: unknown) => queueResponse.array().parse(answer).map((q) => mapQueue(q, true));
  return {
    overview: mapOverview(overviewResponse.parse(answers.overview)),
    nodes: nodeResponse.array().parse(answers.nodes).map(mapNode),
    metadata: queues(answers.queueMetadata),
    counts: queues(answers.queueCounts),
    consumers: consumerResponse.array().parse(answers.consumers).map(mapConsumer),
    channels: channelResponse.array().parse(answers.channels).map((c) => mapChannel(c, true)),
    deprecated: Array.isArray(answers.deprecatedFeaturesUsed) ? deprecatedFeatureResponse.array().parse(answers.deprecatedFeaturesUsed).map(mapDeprecatedFeature) : null,
  };
}

describe.each(['3.10.8', '4.0.5', '4.3.6'])('RabbitMQ %s, as recorded', (version) => {
  const r = recorded(version);
  const four = version.startsWith('4.');
  /** 4.3 no longer lists a stream consumer whose channel closed. */
  const keepsClosedStreamConsumer = !version.startsWith('4.3');
  const node = r.nodes[0]!.name;

  it('says which version it is, and (4.0) the default queue type', () => {
    expect(r.overview.rabbitmqVersion).toBe(version);
    expect(r.overview.defaultQueueType).toBe(four ? 'classic' : null);
  });

  it('gives a quorum queue its leader, members and online members', () => {
    expect(r.metadata.find((q) => q.name === 'compute.node-1')).toMatchObject({ type: 'quorum', leader: node, members: [node], online: [node], node, state: 'running' });
  });

  it('reads a stream as a stream, and its segments where the broker counts them (4.0)', () => {
    const metadata = r.metadata.find((q) => q.name === 'compute_fanout');
    expect(metadata).toMatchObject({ type: 'stream', arguments: { 'x-max-age': '1800s' } });
    // 3.x tells a stream's replicas only with its statistics; 4.0 always, with its leader.
    expect(metadata?.members).toEqual(four ? [node] : undefined);
    if (four) expect(r.counts.find((q) => q.name === 'compute_fanout')?.segments).toBeGreaterThanOrEqual(1);
  });

  it('leaves a classic queue without replicas, whatever x-queue-type the broker adds (4.0 adds classic)', () => {
    const reply = r.metadata.find((q) => q.name.startsWith('reply_'));
    expect(reply).toMatchObject({ type: 'classic', durable: false, exclusive: false });
    expect(reply?.members).toBeUndefined();
    expect(reply?.arguments['x-queue-type']).toBe(four ? 'classic' : undefined);
  });

  it('keeps the stream consumer of a closed channel (3.10, 4.0), without a channel: mapped to none; 4.3 lists only the open one', () => {
    const onStream = r.consumers.filter((c) => c.queue === 'compute_fanout');
    expect(onStream).toHaveLength(keepsClosedStreamConsumer ? 2 : 1);
    expect(onStream.filter((c) => c.channelName === null && c.connectionName === null)).toHaveLength(keepsClosedStreamConsumer ? 1 : 0);
  });

  it('tells a global prefetch on 3.x, and nothing on 4.0, which dropped it from its answers', () => {
    const global = r.channels.find((c) => c.consumerCount === 0);
    expect(global?.globalPrefetchCount).toBe(four ? null : 5);
  });

  it('says (4.0) whether a node is being drained, and what deprecated features are in use', () => {
    expect(r.nodes[0]?.beingDrained).toBe(four ? false : null);
    if (four) expect(r.deprecated?.map((f) => f.name)).toContain('transient_nonexcl_queues');
    else expect(r.deprecated).toBeNull();
  });
});
