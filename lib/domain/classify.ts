// Name classification: which exchanges and queues are OpenStack's, and what they are.
// oslo.messaging's naming is ambiguous on its own (`compute.node-17` could be a
// notification queue of a topic called `compute` with priority `node-17`), so a
// name is read against witnesses from the rest of the topology: fanout exchanges
// and shared queues prove that a topic exists, control exchanges are recognised by
// the oslo-shaped bindings they carry.
import type { BindingInput, ExchangeInput, QueueClassification, QueueInput } from './types';
import { type ExchangeGroup, NOTIFICATION_PRIORITIES } from './vocabulary';

/** Control exchanges OpenStack projects use by default; cinder and others use the default `openstack`. */
export const KNOWN_CONTROL_EXCHANGES = [
  'openstack',
  'nova',
  'neutron',
  'heat',
  'keystone',
  'glance',
  'ironic',
  'designate',
  'octavia',
  'ceilometer',
  'aodh',
  'barbican',
  'magnum',
  'manila',
  'trove',
  'sahara',
  'zaqar',
  'senlin',
  'watcher',
  'masakari',
  'mistral',
  'swift',
  'cinder',
  'placement',
] as const;

const HEX32 = /^[0-9a-f]{32}$/;
/** use_queue_manager suffix: `<hostname>:<processname>:<counter>`. */
const QUEUE_MANAGER_SUFFIX = /^(.+):([^:]+):(\d+)$/;
const FANOUT_EXCHANGE_SUFFIX = '_fanout';
const FANOUT_QUEUE_INFIX = '_fanout_';
const REPLY_PREFIX = 'reply_';

const knownControlExchanges: ReadonlySet<string> = new Set(KNOWN_CONTROL_EXCHANGES);
const priorities: ReadonlySet<string> = new Set(NOTIFICATION_PRIORITIES);

export function isBuiltinExchange(name: string): boolean {
  return name === '' || name.startsWith('amq.');
}

/** The unique suffix oslo gives reply and fanout queues: 32 hex, or a queue-manager name. */
function parseUniqueSuffix(suffix: string): { host: string | null; binary: string | null } | null {
  if (HEX32.test(suffix)) return { host: null, binary: null };
  const m = QUEUE_MANAGER_SUFFIX.exec(suffix);
  if (m) return { host: m[1] ?? null, binary: m[2] ?? null };
  return null;
}

export function parseReplyName(name: string): { host: string | null; binary: string | null } | null {
  if (!name.startsWith(REPLY_PREFIX)) return null;
  return parseUniqueSuffix(name.slice(REPLY_PREFIX.length));
}

/** `<topic>_fanout_<unique>`; tries every `_fanout_` so topics holding that text still split right. */
export function parseFanoutQueueName(name: string): { topic: string; host: string | null; binary: string | null } | null {
  for (let i = name.indexOf(FANOUT_QUEUE_INFIX); i > 0; i = name.indexOf(FANOUT_QUEUE_INFIX, i + 1)) {
    const unique = parseUniqueSuffix(name.slice(i + FANOUT_QUEUE_INFIX.length));
    if (unique) return { topic: name.slice(0, i), ...unique };
  }
  return null;
}

function fanoutExchangeTopic(name: string): string | null {
  return name.endsWith(FANOUT_EXCHANGE_SUFFIX) && name.length > FANOUT_EXCHANGE_SUFFIX.length
    ? name.slice(0, -FANOUT_EXCHANGE_SUFFIX.length)
    : null;
}

/** The host part of an RPC server name: cinder's `storage01@lvm` runs on `storage01`. */
export function hostOfServer(server: string): string {
  const at = server.indexOf('@');
  return at > 0 ? server.slice(0, at) : server;
}

/** `<prefix>.<priority>` */
function parseNotificationName(name: string): { topic: string; priority: string } | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const priority = name.slice(dot + 1);
  return priorities.has(priority) ? { topic: name.slice(0, dot), priority } : null;
}

/** A component's project name as its binaries carry it: nova-compute → nova; cinder → openstack when that is its exchange. */
export function componentOfBinary(binary: string, components: ReadonlySet<string>): string | null {
  const project = binary.split(/[-_.]/)[0] ?? binary;
  if (components.has(project)) return project;
  if (project === 'cinder' && components.has('openstack')) return 'openstack';
  return null;
}

// ------------------------------------------------------------ whole-vhost classification

export interface VhostTopology {
  exchanges: ExchangeInput[];
  queues: QueueInput[];
  bindings: BindingInput[];
}

export interface VhostClassification {
  exchangeGroup: Map<string, { group: ExchangeGroup; component: string | null }>;
  queue: Map<string, QueueClassification>;
}

const other: QueueClassification = { kind: 'other', component: null, topic: null, server: null, host: null, binary: null };

/**
 * Classifies every exchange and queue of one vhost. Linear in the input: a few
 * passes, each through maps.
 */
export function classifyVhost({ exchanges, queues, bindings }: VhostTopology): VhostClassification {
  const exchangeByName = new Map(exchanges.map((e) => [e.name, e]));
  const queueNames = new Set(queues.map((q) => q.name));

  // Witnesses that a topic exists: its fanout exchange, its fanout queues, its stream fanout queue.
  const fanoutTopics = new Set<string>();
  for (const e of exchanges) {
    const topic = e.type === 'fanout' ? fanoutExchangeTopic(e.name) : null;
    if (topic) fanoutTopics.add(topic);
  }
  for (const q of queues) {
    const fanout = parseFanoutQueueName(q.name);
    if (fanout) fanoutTopics.add(fanout.topic);
    if (q.type === 'stream') {
      const topic = fanoutExchangeTopic(q.name);
      if (topic) fanoutTopics.add(topic);
    }
  }

  // oslo binds every queue it declares on a control exchange with routing key = queue name.
  const selfBoundFrom = new Map<string, string[]>(); // queue name -> exchanges binding it by its own name
  for (const b of bindings) {
    if (b.destinationType !== 'queue' || b.routingKey !== b.destination || isBuiltinExchange(b.source)) continue;
    const source = exchangeByName.get(b.source);
    if (source && source.type !== 'topic') continue;
    const list = selfBoundFrom.get(b.destination) ?? [];
    list.push(b.source);
    selfBoundFrom.set(b.destination, list);
  }

  const looksLikeOsloQueue = (name: string): boolean => {
    if (fanoutTopics.has(name)) return true;
    const dot = name.indexOf('.');
    if (dot > 0 && fanoutTopics.has(name.slice(0, dot))) return true;
    return parseNotificationName(name) !== null;
  };

  const components = new Set<string>();
  for (const e of exchanges) {
    if (e.type === 'topic' && !isBuiltinExchange(e.name) && knownControlExchanges.has(e.name)) components.add(e.name);
  }
  for (const [queue, sources] of selfBoundFrom) {
    if (!looksLikeOsloQueue(queue)) continue;
    for (const s of sources) components.add(s);
  }

  const componentOf = (queue: string): string | null => selfBoundFrom.get(queue)?.find((s) => components.has(s)) ?? null;

  // Topics: fanout witnesses, and dot-less queues a control exchange binds by their own name.
  const topics = new Set(fanoutTopics);
  for (const [queue, sources] of selfBoundFrom) {
    if (!queue.includes('.') && sources.some((s) => components.has(s))) topics.add(queue);
  }
  const topicsLongestFirst = [...topics].sort((a, b) => b.length - a.length);
  const topicComponent = new Map<string, string>();
  for (const topic of topics) {
    const c = queueNames.has(topic) ? componentOf(topic) : null;
    if (c) topicComponent.set(topic, c);
  }

  const classifyQueue = (q: QueueInput): QueueClassification => {
    const reply = parseReplyName(q.name);
    if (reply) {
      return { kind: 'reply', component: null, topic: null, server: null, host: reply.host, binary: reply.binary };
    }
    const fanout = parseFanoutQueueName(q.name);
    if (fanout) {
      return {
        kind: 'rpc-fanout',
        component: topicComponent.get(fanout.topic) ?? null,
        topic: fanout.topic,
        server: null,
        host: fanout.host,
        binary: fanout.binary,
      };
    }
    const streamTopic = fanoutExchangeTopic(q.name);
    if (streamTopic && (q.type === 'stream' || exchangeByName.get(q.name)?.type === 'fanout')) {
      return { ...other, kind: 'rpc-fanout', component: topicComponent.get(streamTopic) ?? null, topic: streamTopic };
    }
    const component = componentOf(q.name);
    if (topics.has(q.name)) {
      return { ...other, kind: 'rpc-topic', component: component ?? topicComponent.get(q.name) ?? null, topic: q.name };
    }
    for (const topic of topicsLongestFirst) {
      if (q.name.length > topic.length + 1 && q.name.startsWith(topic) && q.name[topic.length] === '.') {
        const server = q.name.slice(topic.length + 1);
        return {
          ...other,
          kind: 'rpc-server',
          component: component ?? topicComponent.get(topic) ?? null,
          topic,
          server,
          host: hostOfServer(server),
        };
      }
    }
    const notification = parseNotificationName(q.name);
    if (notification) {
      // A listener such as ceilometer binds one notification queue on every project's exchange: then it is no one component's.
      const owners = new Set(selfBoundFrom.get(q.name)?.filter((s) => components.has(s)));
      return { ...other, kind: 'notification', component: owners.size === 1 ? component : null, topic: notification.topic };
    }
    if (component) {
      // Bound the oslo way on a control exchange, but no shared queue proves its topic.
      const dot = q.name.indexOf('.');
      if (dot > 0) {
        const server = q.name.slice(dot + 1);
        return { ...other, kind: 'rpc-server', component, topic: q.name.slice(0, dot), server, host: hostOfServer(server) };
      }
    }
    return other;
  };

  const queue = new Map<string, QueueClassification>();
  for (const q of queues) queue.set(q.name, classifyQueue(q));

  const exchangeGroup = new Map<string, { group: ExchangeGroup; component: string | null }>();
  for (const e of exchanges) {
    if (isBuiltinExchange(e.name)) exchangeGroup.set(e.name, { group: 'builtin', component: null });
    else if (components.has(e.name)) exchangeGroup.set(e.name, { group: 'component', component: e.name });
    else if (e.type === 'direct' && parseReplyName(e.name) && HEX32.test(e.name.slice(REPLY_PREFIX.length)))
      exchangeGroup.set(e.name, { group: 'reply', component: null });
    else if (e.type === 'fanout' && fanoutExchangeTopic(e.name)) {
      const topic = fanoutExchangeTopic(e.name) ?? '';
      exchangeGroup.set(e.name, { group: 'fanout', component: topicComponent.get(topic) ?? null });
    } else exchangeGroup.set(e.name, { group: 'other', component: null });
  }
  return { exchangeGroup, queue };
}
