import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bindingResponse,
  channelResponse,
  connectionResponse,
  consumerResponse,
  exchangeResponse,
  nodeResponse,
  queueResponse,
} from '@/lib/broker/schemas';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapNode, mapQueue } from '@/lib/broker/mappers';
import { emptyInputs, makeConnection, makeConsumer, makeExchange, makeQueue, osloServer } from '@/lib/testing/builders';
import { readFixture } from '@/lib/testing/fixtures';
import { buildTopology } from './topology';

function fixtureTopology() {
  return buildTopology(
    emptyInputs({
      exchanges: exchangeResponse.array().parse(readFixture('mgmt-exchanges.json')).map(mapExchange),
      queues: queueResponse.array().parse(readFixture('mgmt-queues.json')).map((q) => mapQueue(q, true)),
      bindings: bindingResponse.array().parse(readFixture('mgmt-bindings.json')).map(mapBinding),
      consumers: consumerResponse.array().parse(readFixture('mgmt-consumers.json')).map(mapConsumer),
      connections: connectionResponse.array().parse(readFixture('mgmt-conns.json')).map(mapConnection),
      channels: channelResponse.array().parse(readFixture('mgmt-channels.json')).map((c) => mapChannel(c, true)),
    }),
  );
}

describe('buildTopology on a real oslo.messaging RPC server (captured)', () => {
  const t = fixtureTopology();

  it('classifies its queues', () => {
    const kinds = Object.fromEntries(t.queues.map((q) => [q.name, q.kind]));
    expect(kinds).toMatchObject({
      compute: 'rpc-topic',
      'compute.host1': 'rpc-server',
      'notifications.info': 'notification',
      'versioned_notifications.error': 'notification',
    });
    expect(t.queues.filter((q) => q.kind === 'rpc-fanout')).toHaveLength(2);
    expect(t.queues.filter((q) => q.kind === 'reply')).toHaveLength(1);
  });

  it('groups its exchanges', () => {
    const groups = Object.fromEntries(t.exchanges.map((e) => [e.name, e.group]));
    expect(groups).toMatchObject({ nova: 'component', compute_fanout: 'fanout', '': 'builtin', 'amq.topic': 'builtin' });
  });

  it('traces the per-server queue consumer to its process: binary, pid and host', () => {
    const server = t.queues.find((q) => q.name === 'compute.host1');
    expect(server?.processIds).toHaveLength(1);
    const p = t.processes.find((x) => x.id === server?.processIds[0]);
    expect(p).toMatchObject({ oslo: true, binary: 'rpc_test.py', pid: 14496, host: 'host1', hostSource: 'server-queue', peerHost: '127.0.0.1' });
    expect(p?.consumes.map((q) => q.name)).toEqual(expect.arrayContaining(['compute', 'compute.host1']));
  });

  it('sums a component', () => {
    const nova = t.components.find((c) => c.name === 'nova');
    expect(nova).toMatchObject({ topics: ['compute'], serverQueueCount: 1, fanoutQueueCount: 2, notificationQueueCount: 4 });
  });
});

describe('buildTopology: processes and hosts', () => {
  const HEX = '0123456789abcdef0123456789abcdef';
  const nova = osloServer('nova', 'compute', 'node-7', HEX);
  const compute = makeConnection({ name: '10.0.0.7:5001 -> 10.0.0.1:5672', peerHost: '10.0.0.7', clientConnectionName: 'nova-compute:4242:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' });
  const computeSend = makeConnection({ name: '10.0.0.7:5002 -> 10.0.0.1:5672', peerHost: '10.0.0.7', clientConnectionName: 'nova-compute:4242:11111111-7bad-4af4-84f1-7fba0c68b74b' });
  const agent = makeConnection({ name: '10.0.0.7:5003 -> 10.0.0.1:5672', peerHost: '10.0.0.7', clientConnectionName: 'neutron-openvswitch-agent:99:22222222-7bad-4af4-84f1-7fba0c68b74b' });
  const elsewhere = makeConnection({ name: '10.0.0.9:5003 -> 10.0.0.1:5672', peerHost: '10.0.0.9', clientConnectionName: 'nova-api:7:33333333-7bad-4af4-84f1-7fba0c68b74b' });
  const monitor = makeConnection({ name: '10.0.0.50:6000 -> 10.0.0.1:5672', peerHost: '10.0.0.50', clientConnectionName: null, product: 'prometheus-exporter' });
  const t = buildTopology(
    emptyInputs({
      ...nova,
      queues: [...nova.queues, makeQueue({ name: `reply_${HEX}`, arguments: { 'x-expires': 1_800_000 } })],
      connections: [compute, computeSend, agent, elsewhere, monitor],
      consumers: [makeConsumer('compute', compute.name), makeConsumer('compute.node-7', compute.name), makeConsumer(`reply_${HEX}`, computeSend.name)],
    }),
  );
  const byBinary = (b: string) => t.processes.find((p) => p.binary === b);

  it('groups the connections of one binary and pid at one address into one process', () => {
    expect(byBinary('nova-compute')?.connections).toHaveLength(2);
    expect(byBinary('nova-compute')?.id).toBe('nova-compute:4242@10.0.0.7');
    expect(byBinary('nova-compute')?.replyQueues.map((q) => q.name)).toEqual([`reply_${HEX}`]);
  });

  it('names the host from the per-server queue, and the neighbours at the same address', () => {
    expect(byBinary('nova-compute')).toMatchObject({ host: 'node-7', hostSource: 'server-queue' });
    expect(byBinary('neutron-openvswitch-agent')).toMatchObject({ host: 'node-7', hostSource: 'address' });
    expect(byBinary('nova-api')?.host).toBeNull();
  });

  it('shows a connection that is not an oslo client as what it is', () => {
    expect(byBinary('prometheus-exporter')).toMatchObject({ oslo: false, pid: null, peerHost: '10.0.0.50' });
  });

  it('gives the reply queue the component of its process', () => {
    expect(t.queues.find((q) => q.kind === 'reply')?.component).toBe('nova');
  });

  it('counts groups without consumer', () => {
    expect(t.groups['rpc-fanout']).toEqual({ count: 1, withoutConsumer: 1, messages: 0 });
    // compute.node-7 is counted 0 but has a consumer listed: consumed
    expect(t.groups['rpc-server']).toEqual({ count: 1, withoutConsumer: 0, messages: 0 });
  });
});

describe('buildTopology: rates', () => {
  it('keeps rates unknown when the broker collects none', () => {
    const inputs = emptyInputs({ queues: [makeQueue({ name: 'q', rates: null })] });
    inputs.overview = { ...inputs.overview, statsEnabled: false, rates: null };
    const t = buildTopology(inputs);
    expect(t.totals.rates).toBeNull();
  });
});

describe('buildTopology: joins', () => {
  const conn = makeConnection({ name: 'c1', vhost: 'a', clientConnectionName: 'nova-compute:1:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' });
  const t = buildTopology(
    emptyInputs({
      vhosts: ['a', 'b'],
      queues: [makeQueue({ name: 'work', vhost: 'a' }), makeQueue({ name: 'work', vhost: 'b' })],
      connections: [conn],
      consumers: [
        makeConsumer('work', conn.name, { vhost: 'a', consumerTag: '1' }),
        makeConsumer('work', conn.name, { vhost: 'a', consumerTag: '2' }),
      ],
    }),
  );

  it('joins a process to a queue once, however many consumers it has on it', () => {
    const queue = t.queues.find((q) => q.vhost === 'a' && q.name === 'work');
    expect(queue?.processIds).toEqual(['nova-compute:1@10.0.0.1']);
    expect(t.processes[0]?.consumes).toEqual([{ vhost: 'a', name: 'work' }]);
    expect(t.consumers.map((c) => c.processId)).toEqual(['nova-compute:1@10.0.0.1', 'nova-compute:1@10.0.0.1']);
  });

  it('keeps a queue of the same name in another vhost apart', () => {
    expect(t.queues.find((q) => q.vhost === 'b' && q.name === 'work')?.processIds).toEqual([]);
  });

  it('counts at least the consumers listed: a busy RabbitMQ 3.10 may count 0 while it lists them', () => {
    const counted = (consumers: number | null) =>
      buildTopology(
        emptyInputs({
          vhosts: ['a'],
          queues: [makeQueue({ name: 'work', vhost: 'a', consumers })],
          connections: [conn],
          consumers: [makeConsumer('work', conn.name, { vhost: 'a', consumerTag: '1' }), makeConsumer('work', conn.name, { vhost: 'a', consumerTag: '2' })],
        }),
      ).queues[0]?.consumers;
    expect(counted(0)).toBe(2);
    expect(counted(3)).toBe(3);
    // without statistics the broker counts nothing: still unknown
    expect(counted(null)).toBeNull();
  });
});

describe('buildTopology: streams', () => {
  const HEX = '0123456789abcdef0123456789abcdef';
  const nova = osloServer('nova', 'compute', 'node-7', HEX);
  const compute = makeConnection({ name: 'c1', clientConnectionName: 'nova-compute:4242:5720bf7e-7bad-4af4-84f1-7fba0c68b74b' });
  const fanout = makeQueue({ name: 'compute_fanout', type: 'stream', durable: true, consumers: 2, messagesReady: 5000, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } });
  const channelClosed = { channelName: null, connectionName: null };
  const t = buildTopology(
    emptyInputs({
      ...nova,
      exchanges: [...nova.exchanges, makeExchange({ name: 'compute_fanout', type: 'fanout', durable: true })],
      queues: [...nova.queues.map((q) => ({ ...q, consumers: 1, messagesReady: 3 })), fanout],
      connections: [compute],
      consumers: [
        makeConsumer('compute', compute.name),
        // A brand-new channel: its consumer is one, the channel not known yet.
        makeConsumer('compute.node-7', compute.name, channelClosed),
        makeConsumer('compute_fanout', compute.name, { active: false }),
        makeConsumer('compute_fanout', compute.name, { consumerTag: '2', ...channelClosed }),
      ],
    }),
  );
  const stream = t.queues.find((q) => q.name === 'compute_fanout')!;

  it('does not take what a closed channel left on a stream for a consumer: not listed, not counted, kept apart', () => {
    expect(stream).toMatchObject({ kind: 'rpc-fanout', consumers: 1, staleConsumers: 1, processIds: ['nova-compute:4242@10.0.0.1'] });
    expect(t.index.consumersOf('/', 'compute_fanout')).toHaveLength(1);
    expect(t.index.staleConsumersOf('/', 'compute_fanout')).toMatchObject([{ consumerTag: '2', channelName: null, processId: null }]);
    expect(t.consumers.filter((c) => c.queue === 'compute_fanout')).toHaveLength(1);
    expect(t.totals.consumers).toBe(3);
  });

  it('keeps a consumer whose channel is not known yet on any other queue', () => {
    const server = t.queues.find((q) => q.name === 'compute.node-7');
    expect(server).toMatchObject({ consumers: 1, staleConsumers: 0 });
    expect(t.index.consumersOf('/', 'compute.node-7')).toMatchObject([{ channelName: null }]);
    expect(t.index.staleConsumersOf('/', 'compute.node-7')).toEqual([]);
  });

  it('leaves what a stream retains out of every backlog', () => {
    expect(t.totals.backlog.ready).toBe(9);
    expect(t.topics.find((x) => x.name === 'compute')?.backlog.ready).toBe(9);
    expect(t.components.find((c) => c.name === 'nova')?.backlog.ready).toBe(9);
    expect(t.groups['rpc-fanout'].messages).toBe(3);
    // The queue itself still says what it holds.
    expect(stream.messagesReady).toBe(5000);
  });
});

describe('buildTopology: replicas', () => {
  const node = (name: string, running: boolean) => ({
    name, running, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: null, memLimit: null, fdUsed: null, fdTotal: null, uptimeMs: null,
  });
  const members = ['rabbit@n1', 'rabbit@n2', 'rabbit@n3'];
  const t = buildTopology(
    emptyInputs({
      nodes: [node('rabbit@n1', true), node('rabbit@n2', true), node('rabbit@n3', false)],
      queues: [
        makeQueue({ name: 'compute', type: 'quorum', node: 'rabbit@n1', leader: 'rabbit@n1', members, online: members }),
        makeQueue({ name: 'reply_x', type: 'classic' }),
      ],
    }),
  );

  it('judges a quorum queue\'s members against the node list, and keeps what the broker said', () => {
    expect(t.queues.find((q) => q.name === 'compute')).toMatchObject({
      leader: 'rabbit@n1',
      members,
      online: members,
      replication: { online: ['rabbit@n1', 'rabbit@n2'], quorum: 2, state: 'member-down' },
    });
  });

  it('gives a classic queue none', () => {
    expect(t.queues.find((q) => q.name === 'reply_x')).toMatchObject({ replication: null, leader: null, members: null });
  });
});

describe.each(['3.10.8', '4.0.5'])('buildTopology on what RabbitMQ %s answered (recorded)', (version) => {
  const { answers } = JSON.parse(readFileSync(path.resolve(__dirname, `../../tests/fixtures/broker-answers/rabbitmq-${version}.json`), 'utf8')) as {
    answers: Record<'overview' | 'nodes' | 'queueMetadata' | 'queueCounts' | 'consumers' | 'channels' | 'connections', unknown>;
  };
  const metadata = new Map(queueResponse.array().parse(answers.queueMetadata).map((q) => [q.name, q]));
  // As lib/broker/read-broker.ts reads them: what each queue is, with its counts over it.
  const queues = queueResponse.array().parse(answers.queueCounts).map((q) => mapQueue({ ...metadata.get(q.name)!, ...q }, true));
  const t = buildTopology(
    emptyInputs({
      nodes: nodeResponse.array().parse(answers.nodes).map(mapNode),
      queues,
      consumers: consumerResponse.array().parse(answers.consumers).map(mapConsumer),
      connections: connectionResponse.array().parse(answers.connections).map(mapConnection),
      channels: channelResponse.array().parse(answers.channels).map((c) => mapChannel(c, true)),
    }),
  );
  const fanout = t.queues.find((q) => q.name === 'compute_fanout')!;

  it('lists the consumer of the stream\'s open channel, and apart the entry its closed channel left', () => {
    expect(t.index.consumersOf(fanout.vhost, fanout.name)).toHaveLength(1);
    expect(t.index.staleConsumersOf(fanout.vhost, fanout.name)).toHaveLength(1);
    expect(fanout.staleConsumers).toBe(1);
    expect(fanout.processIds).toHaveLength(1);
  });

  it('counts the stream\'s consumers without it where the broker counted it (4.0: 2 for one consumer)', () => {
    expect(fanout.consumers).toBe(version.startsWith('4.') ? 1 : null);
  });

  it('sees the single-node quorum queue complete, led from its node', () => {
    const node = t.nodes[0]!.name;
    expect(t.queues.find((q) => q.name === 'compute.node-1')?.replication).toEqual({ leader: node, leaderRunning: true, members: [node], online: [node], quorum: 1, state: 'complete' });
  });
});
