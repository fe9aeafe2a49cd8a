// A cloud's broker inputs made up in-process, shaped like the scale simulator's (sim/scale.ts):
// per compute host a nova-compute and a neutron-openvswitch-agent with oslo.messaging's
// queues (shared, per-server, fanout, reply), controllers running CONTROLLER_SERVICES, a
// notification agent, and an ha-mode policy over every queue. For timing what reads a state
// without a broker (npm run bench:model -- --hosts 1000). Some hosts are in trouble, so
// that the pages have something to say: one in `idle` is connected but does not consume its
// per-server queue, compute0002's per-server queue holds a backlog.
import { COMPUTE_SERVICES, computeAddress, computeName, CONTROLLER_SERVICES, controllerAddress, controllerName } from '../../sim/scale';
import { CONTROL_EXCHANGES, NOTIFICATION_AGENT_BINARY, SERVICES } from '../../sim/services';
import type { BrokerInputs, ConsumerInput, QueueInput } from '../../lib/domain/types';
import { emptyInputs, makeBinding, makeConnection, makeConsumer, makeExchange, makeQueue } from '../../lib/testing/builders';

const hex32 = (i: number) => i.toString(16).padStart(32, '0');
const uuid = (i: number) => {
  const h = hex32(i);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
};

export function syntheticCloud(hosts: number, o: { controllers?: number; idle?: number[] } = {}): BrokerInputs {
  const controllers = o.controllers ?? 3;
  const idle = new Set((o.idle ?? [Math.floor(hosts / 2)]).map((i) => computeName(i, hosts)));
  const inputs = emptyInputs({
    nodes: [{ name: 'rabbit@localhost', running: true, type: 'disc', memAlarm: false, diskFreeAlarm: false, partitions: [], memUsed: 2e9, memLimit: 8e9, fdUsed: 4000, fdTotal: 65536, uptimeMs: 86_400_000 }],
    policies: [{ vhost: '/', name: 'ha-all', pattern: '^(?!amq\\.).*', applyTo: 'queues', priority: 0, definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' } }],
  });
  const queues = new Map<string, QueueInput>();
  const exchanges = new Set<string>();
  const bindings = new Set<string>();
  const queue = (name: string, args: Record<string, unknown> = {}) => {
    if (!queues.has(name)) queues.set(name, makeQueue({ name, arguments: args, rates: { publish: 0.1, deliver: 0.1, ack: 0.1, redeliver: 0 } }));
  };
  const exchange = (name: string, type = 'topic') => {
    if (exchanges.has(name)) return;
    exchanges.add(name);
    inputs.exchanges.push(makeExchange({ name, type, autoDelete: type === 'fanout' }));
  };
  const bind = (source: string, destination: string, key: string) => {
    const k = `${source}\u0000${destination}\u0000${key}`;
    if (bindings.has(k)) return;
    bindings.add(k);
    inputs.bindings.push(makeBinding(source, destination, key));
  };

  let n = 0;
  const process = (host: string, address: string, binary: string, consumesToo: string[] = []) => {
    const k = ++n;
    const spec = SERVICES[binary]; // none for the notification agent: it serves no topic
    const conn = `${address}:${40000 + k} -> 127.0.0.1:5672`;
    inputs.connections.push(makeConnection({ name: conn, peerHost: address, peerPort: 40000 + k, clientConnectionName: `${binary}:${1000 + k}:${uuid(k)}` }));
    const consumed: string[] = [...consumesToo];
    const exchangeName = spec ? CONTROL_EXCHANGES[spec.project] : '';
    for (const t of spec?.topics ?? []) {
      exchange(exchangeName);
      const server = `${t.topic}.${t.server(host)}`;
      const fanout = `${t.topic}_fanout_${hex32(k * 16 + consumed.length)}`;
      queue(t.topic);
      queue(server);
      queue(fanout, { 'x-expires': 1_800_000 });
      exchange(`${t.topic}_fanout`, 'fanout');
      bind(exchangeName, t.topic, t.topic);
      bind(exchangeName, server, server);
      bind(`${t.topic}_fanout`, fanout, t.topic);
      consumed.push(t.topic, fanout);
      if (!idle.has(host) || binary !== 'nova-compute') consumed.push(server);
    }
    const reply = `reply_${hex32(k)}`;
    queue(reply, { 'x-expires': 1_800_000 });
    consumed.push(reply);
    const consumers: ConsumerInput[] = consumed.map((q, i) => makeConsumer(q, conn, { consumerTag: String(i + 1) }));
    inputs.consumers.push(...consumers);
    inputs.channels.push({
      name: `${conn} (1)`,
      connectionName: conn,
      number: 1,
      prefetchCount: 0,
      state: 'running',
      consumerCount: consumers.length,
      messagesUnacknowledged: 0,
      rates: { publish: 0.05, deliver: 0.05, ack: 0.05, redeliver: 0 },
    });
  };

  for (let i = 0; i < hosts; i++) for (const binary of COMPUTE_SERVICES) process(computeName(i, hosts), computeAddress(i), binary);
  const notifications = ['notifications.info', 'versioned_notifications.info'];
  for (const q of notifications) {
    queue(q);
    for (const e of ['nova', 'neutron', 'openstack']) {
      exchange(e);
      bind(e, q, q);
    }
  }
  for (let i = 0; i < controllers; i++) {
    for (const binary of CONTROLLER_SERVICES) process(controllerName(i), controllerAddress(i), binary);
    if (i === 0) process(controllerName(i), controllerAddress(i), NOTIFICATION_AGENT_BINARY, notifications);
  }

  const consumersOf = new Map<string, number>();
  for (const c of inputs.consumers) consumersOf.set(c.queue, (consumersOf.get(c.queue) ?? 0) + 1);
  const backlogged = `compute.${computeName(1, hosts)}`;
  inputs.queues = [...queues.values()].map((q) => ({ ...q, consumers: consumersOf.get(q.name) ?? 0, messagesReady: q.name === backlogged ? 7 : 0 }));
  // The management API lists every queue's binding to the default exchange too.
  for (const q of inputs.queues) inputs.bindings.push(makeBinding('', q.name, q.name));
  return inputs;
}
