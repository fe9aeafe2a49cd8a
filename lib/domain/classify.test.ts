import { describe, expect, it } from 'vitest';
import { makeBinding, makeExchange, makeQueue, osloServer } from '@/lib/testing/builders';
import { classifyVhost, hostOfServer, parseFanoutQueueName, parseReplyName } from './classify';
import type { BindingInput, ExchangeInput, QueueInput } from './types';

const HEX = '6ce201d022984b21882cc3e0cb6ae581';
const HEX2 = 'f71537bd8db54405a967a1a6fbda959e';

function classify(parts: { exchanges?: ExchangeInput[]; queues?: QueueInput[]; bindings?: BindingInput[] }) {
  return classifyVhost({ exchanges: parts.exchanges ?? [], queues: parts.queues ?? [], bindings: parts.bindings ?? [] });
}

function merge(...parts: { exchanges: ExchangeInput[]; queues: QueueInput[]; bindings: BindingInput[] }[]) {
  const byName = new Map<string, ExchangeInput>();
  for (const p of parts) for (const e of p.exchanges) byName.set(e.name, e);
  return { exchanges: [...byName.values()], queues: parts.flatMap((p) => p.queues), bindings: parts.flatMap((p) => p.bindings) };
}

describe('name parsers', () => {
  it('reads reply queue names, legacy and queue-manager', () => {
    expect(parseReplyName(`reply_${HEX}`)).toEqual({ host: null, binary: null });
    expect(parseReplyName('reply_node1.example.com:nova-compute:2')).toEqual({ host: 'node1.example.com', binary: 'nova-compute' });
    expect(parseReplyName('reply_to_me')).toBeNull();
    expect(parseReplyName('compute')).toBeNull();
  });

  it('reads fanout queue names, including topics that hold _fanout_ themselves', () => {
    expect(parseFanoutQueueName(`compute_fanout_${HEX}`)).toEqual({ topic: 'compute', host: null, binary: null });
    expect(parseFanoutQueueName('compute_fanout_node1.example.com:nova-compute:1')).toEqual({
      topic: 'compute',
      host: 'node1.example.com',
      binary: 'nova-compute',
    });
    expect(parseFanoutQueueName(`a_fanout_b_fanout_${HEX}`)).toEqual({ topic: 'a_fanout_b', host: null, binary: null });
    expect(parseFanoutQueueName('compute_fanout_notunique')).toBeNull();
  });

  it('takes the host of a cinder backend server name', () => {
    expect(hostOfServer('storage01@lvm')).toBe('storage01');
    expect(hostOfServer('node-17')).toBe('node-17');
  });
});

describe('classifyVhost: today\'s layout', () => {
  const nova = osloServer('nova', 'compute', 'node-17', HEX2);
  const cinder = osloServer('openstack', 'cinder-volume', 'storage01@lvm', HEX);
  const topology = merge(nova, cinder, {
    exchanges: [makeExchange({ name: '' , type: 'direct'}), makeExchange({ name: 'amq.topic' }), makeExchange({ name: 'billing', type: 'topic' })],
    queues: [
      makeQueue({ name: `reply_${HEX}`, arguments: { 'x-expires': 1_800_000 } }),
      makeQueue({ name: 'notifications.info' }),
      makeQueue({ name: 'versioned_notifications.error' }),
      makeQueue({ name: 'invoices' }),
    ],
    bindings: [
      makeBinding('nova', 'notifications.info'),
      makeBinding('nova', 'versioned_notifications.error'),
      makeBinding('billing', 'invoices'),
    ],
  });
  const c = classify(topology);

  it('groups exchanges', () => {
    expect(c.exchangeGroup.get('nova')).toEqual({ group: 'component', component: 'nova' });
    expect(c.exchangeGroup.get('openstack')).toEqual({ group: 'component', component: 'openstack' });
    expect(c.exchangeGroup.get('compute_fanout')).toEqual({ group: 'fanout', component: 'nova' });
    expect(c.exchangeGroup.get('cinder-volume_fanout')).toEqual({ group: 'fanout', component: 'openstack' });
    expect(c.exchangeGroup.get('')?.group).toBe('builtin');
    expect(c.exchangeGroup.get('amq.topic')?.group).toBe('builtin');
    expect(c.exchangeGroup.get('billing')?.group).toBe('other');
  });

  it('classifies every kind of queue with its component, topic and server', () => {
    expect(c.queue.get('compute')).toMatchObject({ kind: 'rpc-topic', component: 'nova', topic: 'compute', server: null });
    expect(c.queue.get('compute.node-17')).toMatchObject({ kind: 'rpc-server', component: 'nova', topic: 'compute', server: 'node-17', host: 'node-17' });
    expect(c.queue.get(`compute_fanout_${HEX2}`)).toMatchObject({ kind: 'rpc-fanout', component: 'nova', topic: 'compute' });
    expect(c.queue.get('cinder-volume.storage01@lvm')).toMatchObject({
      kind: 'rpc-server',
      component: 'openstack',
      topic: 'cinder-volume',
      server: 'storage01@lvm',
      host: 'storage01',
    });
    expect(c.queue.get(`reply_${HEX}`)).toMatchObject({ kind: 'reply' });
    expect(c.queue.get('notifications.info')).toMatchObject({ kind: 'notification', component: 'nova', topic: 'notifications' });
    expect(c.queue.get('versioned_notifications.error')).toMatchObject({ kind: 'notification', topic: 'versioned_notifications' });
    expect(c.queue.get('invoices')).toMatchObject({ kind: 'other', component: null });
  });

  it('gives a notification queue bound on several projects\' exchanges to no single component', () => {
    const shared = classify(
      merge(osloServer('nova', 'compute', 'n1', HEX), osloServer('neutron', 'q-plugin', 'c1', HEX2), {
        exchanges: [],
        queues: [makeQueue({ name: 'notifications.info' })],
        bindings: [makeBinding('nova', 'notifications.info'), makeBinding('neutron', 'notifications.info')],
      }),
    );
    expect(shared.queue.get('notifications.info')).toMatchObject({ kind: 'notification', component: null, topic: 'notifications' });
  });

  it('recognises a control exchange by its bindings, not its name', () => {
    const custom = osloServer('acme-cloud', 'compute', 'node-1', HEX);
    const r = classify(custom);
    expect(r.exchangeGroup.get('acme-cloud')).toEqual({ group: 'component', component: 'acme-cloud' });
    expect(r.queue.get('compute.node-1')).toMatchObject({ kind: 'rpc-server', component: 'acme-cloud' });
  });

  it('does not call an application topic exchange a component', () => {
    const r = classify({
      exchanges: [makeExchange({ name: 'shop' })],
      queues: [makeQueue({ name: 'orders' }), makeQueue({ name: 'orders.eu' })],
      bindings: [makeBinding('shop', 'orders'), makeBinding('shop', 'orders.eu')],
    });
    expect(r.exchangeGroup.get('shop')?.group).toBe('other');
    expect(r.queue.get('orders')?.kind).toBe('other');
    expect(r.queue.get('orders.eu')?.kind).toBe('other');
  });
});

describe('classifyVhost: server names that look like something else', () => {
  const odd = ['node-17.example.com', 'info', 'rack#3', 'host 1', 'ħöst-ünïcode', 'a%2Fb', 'x'.repeat(240)];
  for (const server of odd) {
    it(`splits compute.${server.slice(0, 30)} on the known topic`, () => {
      const c = classify(osloServer('nova', 'compute', server, HEX));
      expect(c.queue.get(`compute.${server}`)).toMatchObject({ kind: 'rpc-server', topic: 'compute', server });
    });
  }

  it('prefers the longest known topic', () => {
    const c = classify(merge(osloServer('neutron', 'q-agent-notifier', 'h1', HEX), osloServer('neutron', 'q-agent-notifier.port', 'h1', HEX2)));
    expect(c.queue.get('q-agent-notifier.port.h1')).toMatchObject({ kind: 'rpc-server', topic: 'q-agent-notifier.port', server: 'h1' });
    expect(c.queue.get('q-agent-notifier.h1')).toMatchObject({ kind: 'rpc-server', topic: 'q-agent-notifier', server: 'h1' });
  });

  it('reads a name of 255 bytes', () => {
    const server = 'é'.repeat(122); // 244 bytes
    const name = `compute.${server}`;
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(classify(osloServer('nova', 'compute', server, HEX)).queue.get(name)?.server).toBe(server);
  });
});

describe('classifyVhost: the seed era (legacy reply exchanges, oslo < 10)', () => {
  it('puts reply_<hex> direct exchanges in the reply group', () => {
    const c = classify(
      merge(osloServer('nova', 'compute', 'node-1', HEX2), {
        exchanges: [makeExchange({ name: `reply_${HEX}`, type: 'direct', autoDelete: true })],
        queues: [makeQueue({ name: `reply_${HEX}`, arguments: { 'x-expires': 600_000 } })],
        bindings: [makeBinding(`reply_${HEX}`, `reply_${HEX}`)],
      }),
    );
    expect(c.exchangeGroup.get(`reply_${HEX}`)).toEqual({ group: 'reply', component: null });
    expect(c.queue.get(`reply_${HEX}`)?.kind).toBe('reply');
  });
});

describe('classifyVhost: quorum queues, queue manager and stream fanout (oslo 14.7+)', () => {
  it('classifies queue-manager names and carries their host and binary', () => {
    const base = osloServer('nova', 'compute', 'node1.example.com', HEX);
    const c = classify({
      exchanges: base.exchanges,
      queues: [
        makeQueue({ name: 'compute', type: 'quorum', durable: true }),
        makeQueue({ name: 'compute.node1.example.com', type: 'quorum', durable: true }),
        makeQueue({ name: 'compute_fanout_node1.example.com:nova-compute:1', type: 'quorum', durable: true }),
        makeQueue({ name: 'reply_node1.example.com:nova-compute:2', type: 'quorum', durable: true }),
      ],
      bindings: [
        makeBinding('nova', 'compute'),
        makeBinding('nova', 'compute.node1.example.com'),
        makeBinding('compute_fanout', 'compute_fanout_node1.example.com:nova-compute:1', 'compute'),
      ],
    });
    expect(c.queue.get('compute.node1.example.com')).toMatchObject({ kind: 'rpc-server', server: 'node1.example.com' });
    expect(c.queue.get('compute_fanout_node1.example.com:nova-compute:1')).toMatchObject({
      kind: 'rpc-fanout',
      topic: 'compute',
      host: 'node1.example.com',
      binary: 'nova-compute',
      component: 'nova',
    });
    expect(c.queue.get('reply_node1.example.com:nova-compute:2')).toMatchObject({ kind: 'reply', host: 'node1.example.com', binary: 'nova-compute' });
  });

  it('classifies the stream fanout queue named like its exchange', () => {
    const c = classify({
      exchanges: [makeExchange({ name: 'nova' }), makeExchange({ name: 'compute_fanout', type: 'fanout', autoDelete: true })],
      queues: [
        makeQueue({ name: 'compute' }),
        makeQueue({ name: 'compute_fanout', type: 'stream', durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '1800s' } }),
      ],
      bindings: [makeBinding('nova', 'compute'), makeBinding('compute_fanout', 'compute_fanout', 'compute')],
    });
    expect(c.queue.get('compute_fanout')).toMatchObject({ kind: 'rpc-fanout', topic: 'compute', component: 'nova' });
    expect(c.exchangeGroup.get('compute_fanout')?.group).toBe('fanout');
  });
});
