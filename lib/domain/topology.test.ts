import { describe, expect, it } from 'vitest';
import {
  bindingResponse,
  channelResponse,
  connectionResponse,
  consumerResponse,
  exchangeResponse,
  queueResponse,
} from '@/lib/broker/schemas';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapQueue } from '@/lib/broker/mappers';
import { emptyInputs, makeConnection, makeConsumer, makeQueue, osloServer } from '@/lib/testing/builders';
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
    expect(t.groups['rpc-server']).toEqual({ count: 1, withoutConsumer: 1, messages: 0 });
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
});
