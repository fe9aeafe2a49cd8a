// The picture of one RPC topic, as operators draw it when they explain nova's RPC:
// producers → control exchange (and the topic's fanout exchange) → queues → consumer
// processes → hosts. Queues of the same kind and state are grouped (997 healthy per-server
// queues are one box) until the operator expands a group; each box says its state.
import { groupBy } from './keys';
import { hostOfProcess, type ClusterState } from './state';
import { streamRetention } from './streams';
import type { Process, Queue } from './types';
import { type FlowEdgeKind, type FlowNodeKind, QUEUE_HEALTHS, type QueueHealth } from './vocabulary';

export type FlowTarget =
  | { type: 'exchange'; vhost: string; name: string }
  | { type: 'queue'; vhost: string; name: string }
  | { type: 'process'; id: string }
  | { type: 'queues'; vhost: string; component: string; host?: string };

export interface FlowNode {
  id: string;
  kind: FlowNodeKind;
  label: string;
  /** A second line: counts, rates, what the group holds. */
  detail: string | null;
  /** A queue's or a group's health (lib/domain/health.ts). */
  state: QueueHealth | null;
  /** What clicking opens: a page, or (groups) `expand` to show the members. */
  target: FlowTarget | null;
  /** For a queue group: the id to add to `expand`; for a member of an expanded group: its group. */
  group: string | null;
}

export interface FlowEdge {
  from: string;
  to: string;
  /** Messages per second along it; null when the broker gives no rates. */
  rate: number | null;
  kind: FlowEdgeKind;
}

export interface FlowGraph {
  vhost: string;
  component: string;
  topic: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Groups that could be expanded, and how many members each has. */
  groups: { id: string; label: string; size: number; expanded: boolean }[];
}

const sum = (values: (number | null | undefined)[]): number | null => {
  let total: number | null = null;
  for (const v of values) if (v !== null && v !== undefined) total = (total ?? 0) + v;
  return total;
};

/** Members of an expanded group shown one by one, at most this many (the rest stay a box). */
export const EXPANDED_LIMIT = 40;
/** A queue with more consumers than this links to process groups, not to each process. */
const CONSUMERS_SHOWN = 5;

export function flowGraph(state: ClusterState, vhost: string, component: string, topicName: string, expand: ReadonlySet<string> = new Set()): FlowGraph | null {
  const { topology } = state;
  const { index } = topology;
  const topic = index.topic(vhost, topicName);
  if (!topic || topic.component !== component) return null;
  const stateOf = (q: Queue) => state.health.of(q);
  const hostOf = (p: Process) => hostOfProcess(state, p.id);
  /** Processes still connected although they no longer consume a per-server queue, from the service list. */
  const idleOf = new Map(state.services.filter((r) => r.vhost === vhost && r.idleProcesses.length > 0).map((r) => [r.serverQueue, r.idleProcesses]));

  const nodes = new Map<string, FlowNode>();
  const edges: FlowEdge[] = [];
  const groups: FlowGraph['groups'] = [];
  const add = (n: FlowNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const link = (from: string, to: string, rate: number | null, kind: FlowEdge['kind']) => edges.push({ from, to, rate, kind });

  // Producers: processes publishing in this vhost, by binary (the broker does not say to which exchange).
  const exchangeId = add({ id: `exchange:${component}`, kind: 'exchange', label: component, detail: 'topic exchange', state: null, target: { type: 'exchange', vhost, name: component }, group: null });
  const publishers = groupBy(
    topology.processes.filter((p) => p.vhosts.includes(vhost) && (p.rates?.publish ?? 0) > 0),
    (p) => p.binary ?? 'other',
  );
  for (const [binary, ps] of [...publishers].sort((a, b) => b[1].length - a[1].length).slice(0, 8)) {
    const rate = sum(ps.map((p) => p.rates?.publish));
    link(add({ id: `producers:${binary}`, kind: 'producers', label: `${binary} ×${ps.length}`, detail: 'publishing (to any exchange)', state: null, target: null, group: null }), exchangeId, rate, 'publish');
  }

  const processGroups = new Map<string, Set<string>>();
  /** Consumers of a queue shown one by one, or counted into process groups by binary. */
  const consumersOf = (queueId: string, qs: Queue[], oneByOne: boolean) => {
    const ids = qs.flatMap((q) => q.processIds);
    if (oneByOne && ids.length <= CONSUMERS_SHOWN) {
      const q = qs[0]!;
      const perConsumer = q.rates ? q.rates.deliver / Math.max(1, q.processIds.length) : null;
      for (const p of index.processesOf(q.processIds)) link(queueId, processNode(p), perConsumer, 'consume');
      if (q.kind === 'rpc-server' && q.processIds.length === 0) {
        // The "up but does nothing" case: its process is still connected, but consumes nothing here.
        for (const p of index.processesOf((idleOf.get(q.name) ?? []).map((r) => r.id))) link(queueId, processNode(p), null, 'idle');
      }
      return;
    }
    const byBinary = groupBy(ids, (id) => index.process(id)?.binary ?? 'other');
    const deliver = sum(qs.map((q) => q.rates?.deliver));
    for (const [binary, members] of byBinary) {
      const set = processGroups.get(binary) ?? new Set<string>();
      for (const id of members) set.add(id);
      processGroups.set(binary, set);
      link(queueId, `processes:${binary}`, deliver === null ? null : (deliver * members.length) / ids.length, 'consume');
    }
  };
  const processNode = (p: Process) => {
    const known = nodes.has(`process:${p.id}`);
    const id = add({
      id: `process:${p.id}`,
      kind: 'process',
      label: p.pid !== null ? `${p.binary ?? 'process'}:${p.pid}` : p.id,
      detail: p.host ? `@ ${p.host}` : null,
      state: null,
      target: { type: 'process', id: p.id },
      group: null,
    });
    const host = hostOf(p);
    if (host && !known) link(id, add({ id: `host:${host}`, kind: 'host', label: host, detail: null, state: null, target: { type: 'queues', vhost, component, host }, group: null }), null, 'runs-on');
    return id;
  };

  const queueNode = (q: Queue, group: string | null) =>
    add({
      id: `queue:${q.name}`,
      kind: 'queue',
      label: q.name,
      detail: `${q.consumers ?? '?'} consumer${q.consumers === 1 ? '' : 's'} · ${streamRetention(q) ? `retains ${q.messagesReady ?? '?'}` : `${q.messagesReady ?? '?'} ready`}`,
      state: stateOf(q),
      target: { type: 'queue', vhost, name: q.name },
      group,
    });

  // The shared queue: one box, always.
  const shared = topic.sharedQueue ? index.queue(vhost, topic.sharedQueue) : undefined;
  if (shared) {
    const id = queueNode(shared, null);
    link(exchangeId, id, shared.rates?.publish ?? null, 'route');
    consumersOf(id, [shared], true);
  }

  // Per-server and fanout queues, grouped by state.
  const fanoutExchange = `${topicName}_fanout`;
  const kinds: { kind: 'server' | 'fanout'; names: string[]; from: () => string; label: string }[] = [
    { kind: 'server', names: topic.serverQueues, from: () => exchangeId, label: `${topicName}.<host>` },
    {
      kind: 'fanout',
      names: topic.fanoutQueues,
      from: () =>
        add({ id: `exchange:${fanoutExchange}`, kind: 'exchange', label: fanoutExchange, detail: 'fanout exchange', state: null, target: { type: 'exchange', vhost, name: fanoutExchange }, group: null }),
      label: `${fanoutExchange}_<id>`,
    },
  ];
  for (const { kind, names, from, label } of kinds) {
    const byHealth = groupBy(
      names.map((name) => index.queue(vhost, name)).filter((q): q is Queue => q !== undefined),
      stateOf,
    );
    for (const health of QUEUE_HEALTHS) {
      const qs = (byHealth.get(health) ?? []).sort((a, b) => a.name.localeCompare(b.name));
      if (qs.length === 0) continue;
      const groupId = `${kind}:${health}`;
      const expanded = expand.has(groupId) || qs.length === 1;
      groups.push({ id: groupId, label: `${kind === 'server' ? 'per-server' : 'fanout'} queues, ${health}`, size: qs.length, expanded });
      const source = from();
      const shown = expanded ? qs.slice(0, EXPANDED_LIMIT) : [];
      for (const q of shown) {
        const id = queueNode(q, qs.length > 1 ? groupId : null);
        link(source, id, q.rates?.publish ?? null, 'route');
        consumersOf(id, [q], true);
      }
      const rest = qs.slice(shown.length);
      if (rest.length === 0) continue;
      const id = add({
        id: `queues:${groupId}`,
        kind: 'queue-group',
        label: `${label} ×${rest.length}`,
        detail: `${health}${shown.length ? ` (and ${shown.length} shown)` : ''}`,
        state: health,
        target: null,
        group: groupId,
      });
      link(source, id, sum(rest.map((q) => q.rates?.publish)), 'route');
      consumersOf(id, rest, false);
    }
  }

  // Process groups and the hosts they run on.
  for (const [binary, ids] of processGroups) {
    const id = add({ id: `processes:${binary}`, kind: 'process-group', label: `${binary} ×${ids.size}`, detail: 'processes', state: null, target: null, group: null });
    const hosts = new Set([...ids].map((pid) => hostOfProcess(state, pid)).filter((h): h is string => !!h));
    if (hosts.size > 0)
      link(id, add({ id: `hosts:${binary}`, kind: 'host-group', label: `${hosts.size} host${hosts.size === 1 ? '' : 's'}`, detail: binary, state: null, target: null, group: null }), null, 'runs-on');
  }

  return { vhost, component, topic: topicName, nodes: [...nodes.values()], edges, groups };
}
