// The API's answers (lib/api/schemas.ts), built from one refresh's state: the domain's views
// (lib/domain/views.ts) selected by the request's parameters, and the domain's objects mapped
// into the API's shapes field by field, so that a field the domain renames or drops stops this
// file from compiling instead of changing the API.
import { describeArgument } from '@/lib/domain/arguments';
import { type FindingScope, isAbout, type OpenFinding, type ResolvedFinding as DomainResolved } from '@/lib/domain/findings/engine';
import { countByRule, countBySeverity } from '@/lib/domain/findings/order';
import { RULES } from '@/lib/domain/findings/rules';
import type { Finding as DomainFinding } from '@/lib/domain/findings/types';
import { flowGraph, type FlowGraph } from '@/lib/domain/flow';
import { type FlowLayout as DomainLayout, layoutFlow } from '@/lib/domain/flow-layout';
import { type HealthCounts, worstOf } from '@/lib/domain/health';
import { deepFreeze, perState, perStateKeyed } from '@/lib/domain/memo';
import { filterServices, orderServices, type ServiceGroup as DomainServiceGroup, type ServiceFilter, type ServiceRow as DomainServiceRow } from '@/lib/domain/services';
import type { ClusterState } from '@/lib/domain/state';
import { streamRetention } from '@/lib/domain/streams';
import type * as d from '@/lib/domain/types';
import * as upgrade from '@/lib/domain/upgrade';
import {
  componentDetail,
  DETAIL_LIMITS,
  exchangeDetail,
  exchangeGroupCounts,
  filterExchanges,
  filterQueues,
  hostDetail,
  listProcesses,
  nodeInTrouble,
  processDetail,
  type ProcessView,
  type QueueFilter,
  queueDetail,
  queueFacets,
  routeView,
} from '@/lib/domain/views';
import { type ExchangeGroup, MIGRATION_OPTIONS, type MigrationOption, QUEUE_KINDS, type QueueHealth, type QueueKind, RULE_IDS } from '@/lib/domain/vocabulary';
import type * as api from './schemas';

// ---------------------------------------------------------------- the model's parts, field by field

function toRates(r: d.MessageRates | null): api.MessageRates | null {
  return r === null ? null : { publish: r.publish, deliver: r.deliver, ack: r.ack, redeliver: r.redeliver };
}

const toRef = (r: d.QueueRef) => ({ vhost: r.vhost, name: r.name });

function toHistorySample(s: d.HistorySample): api.HistorySample {
  return { t: s.t, ready: s.ready, unacknowledged: s.unacknowledged, publish: s.publish, deliver: s.deliver, ack: s.ack, redeliver: s.redeliver };
}

function toBrokerInfo(o: d.OverviewInput): api.OverviewResponse['broker'] {
  return {
    rabbitmqVersion: o.rabbitmqVersion,
    managementVersion: o.managementVersion,
    erlangVersion: o.erlangVersion,
    clusterName: o.clusterName,
    ratesMode: o.ratesMode,
    statsEnabled: o.statsEnabled,
    rates: toRates(o.rates),
  };
}

function toNode(n: d.NodeInput): api.Node {
  return {
    name: n.name,
    running: n.running,
    type: n.type,
    memAlarm: n.memAlarm,
    diskFreeAlarm: n.diskFreeAlarm,
    partitions: [...n.partitions],
    memUsed: n.memUsed,
    memLimit: n.memLimit,
    fdUsed: n.fdUsed,
    fdTotal: n.fdTotal,
    uptimeMs: n.uptimeMs,
    beingDrained: n.beingDrained ?? null,
  };
}

function toTotals(t: d.Totals): api.Totals {
  return {
    queues: t.queues,
    exchanges: t.exchanges,
    bindings: t.bindings,
    connections: t.connections,
    channels: t.channels,
    consumers: t.consumers,
    processes: t.processes,
    backlog: { ready: t.backlog.ready, unacknowledged: t.backlog.unacknowledged },
    rates: toRates(t.rates),
  };
}

function toReplication(r: d.Replication | null): api.Replication | null {
  if (r === null) return null;
  return { leader: r.leader, leaderRunning: r.leaderRunning, members: [...r.members], online: r.online === null ? null : [...r.online], quorum: r.quorum, state: r.state };
}

function toRetention(q: d.Queue): api.Retention | null {
  const r = streamRetention(q);
  return r === null ? null : { messages: r.messages, maxAge: r.maxAge, maxAgeMs: r.maxAgeMs, maxLengthBytes: r.maxLengthBytes, segments: r.segments };
}

/** A queue as lists show it, with at most `maxProcesses` of its processes named. */
function toQueueRow(q: d.Queue, health: QueueHealth, maxProcesses = Number.POSITIVE_INFINITY): api.QueueRow {
  return {
    vhost: q.vhost,
    name: q.name,
    type: q.type,
    durable: q.durable,
    autoDelete: q.autoDelete,
    node: q.node,
    state: q.state,
    messagesReady: q.messagesReady,
    messagesUnacknowledged: q.messagesUnacknowledged,
    consumers: q.consumers,
    rates: toRates(q.rates),
    idleSince: q.idleSince,
    kind: q.kind,
    component: q.component,
    topic: q.topic,
    server: q.server,
    host: q.host,
    binary: q.binary,
    processIds: q.processIds.length > maxProcesses ? q.processIds.slice(0, maxProcesses) : [...q.processIds],
    processCount: q.processIds.length,
    health,
    replication: toReplication(q.replication),
    retention: toRetention(q),
    staleConsumers: q.staleConsumers,
  };
}

function toQueue(q: d.Queue, health: QueueHealth): api.Queue {
  return { ...toQueueRow(q, health), exclusive: q.exclusive, arguments: q.arguments };
}

function toExchange(e: d.Exchange): api.Exchange {
  return {
    vhost: e.vhost,
    name: e.name,
    type: e.type,
    durable: e.durable,
    autoDelete: e.autoDelete,
    internal: e.internal,
    arguments: e.arguments,
    group: e.group,
    component: e.component,
    bindingCount: e.bindingCount,
  };
}

function toBinding(b: d.BindingInput): api.Binding {
  return { vhost: b.vhost, source: b.source, destination: b.destination, destinationType: b.destinationType, routingKey: b.routingKey };
}

function toConsumer(c: d.Consumer): api.Consumer {
  return {
    vhost: c.vhost,
    queue: c.queue,
    consumerTag: c.consumerTag,
    ackRequired: c.ackRequired,
    prefetchCount: c.prefetchCount,
    active: c.active,
    channelName: c.channelName,
    connectionName: c.connectionName,
    processId: c.processId,
  };
}

function toConnection(c: d.Connection): api.Connection {
  return {
    name: c.name,
    vhost: c.vhost,
    user: c.user,
    node: c.node,
    peerHost: c.peerHost,
    peerPort: c.peerPort,
    state: c.state,
    connectedAt: c.connectedAt,
    clientConnectionName: c.clientConnectionName,
    product: c.product,
    productVersion: c.productVersion,
    platform: c.platform,
    channels: c.channels,
    processId: c.processId,
    oslo: c.oslo === null ? null : { binary: c.oslo.binary, pid: c.oslo.pid, uuid: c.oslo.uuid },
  };
}

function toChannel(c: d.Channel): api.Channel {
  return {
    name: c.name,
    connectionName: c.connectionName,
    number: c.number,
    prefetchCount: c.prefetchCount,
    state: c.state,
    consumerCount: c.consumerCount,
    messagesUnacknowledged: c.messagesUnacknowledged,
    rates: toRates(c.rates),
    consumers: c.consumers.map(toRef),
  };
}

function processFields(p: d.Process) {
  return {
    id: p.id,
    oslo: p.oslo,
    binary: p.binary,
    pid: p.pid,
    host: p.host,
    hostSource: p.hostSource,
    peerHost: p.peerHost,
    user: p.user,
    vhosts: [...p.vhosts],
    rates: toRates(p.rates),
    connectedAt: p.connectedAt,
  };
}

function toProcess(p: d.Process): api.Process {
  return { ...processFields(p), connections: [...p.connections], consumes: p.consumes.map(toRef), replyQueues: p.replyQueues.map(toRef) };
}

function toProcessRow(p: d.Process): api.ProcessRow {
  return { ...processFields(p), connectionCount: p.connections.length, consumeCount: p.consumes.length, replyQueueCount: p.replyQueues.length };
}

/** Processes by id, as pages look them up. */
function toProcessMap(processes: readonly d.Process[]): Record<string, api.Process> {
  return Object.fromEntries(processes.map((p) => [p.id, toProcess(p)]));
}

function toComponent(c: d.ComponentSummary, health: { health: QueueHealth; counts: HealthCounts }): api.ComponentSummary {
  return {
    name: c.name,
    vhosts: [...c.vhosts],
    topics: [...c.topics],
    topicCount: c.topicCount,
    serverQueueCount: c.serverQueueCount,
    fanoutQueueCount: c.fanoutQueueCount,
    notificationQueueCount: c.notificationQueueCount,
    consumers: c.consumers,
    backlog: { ready: c.backlog.ready, unacknowledged: c.backlog.unacknowledged },
    rates: toRates(c.rates),
    health: health.health,
    healthCounts: { ...health.counts },
  };
}

function toFinding(f: DomainFinding): api.Finding {
  return {
    id: f.id,
    rule: f.rule,
    severity: f.severity,
    since: f.since,
    subject: { ...f.subject },
    title: f.title,
    explanation: f.explanation,
    evidence: { ...f.evidence },
    component: f.component ?? null,
    host: f.host ?? null,
  };
}

function toFindingView(f: OpenFinding): api.FindingView {
  return { ...toFinding(f), isNew: f.isNew };
}

function toResolvedFinding(f: DomainResolved): api.ResolvedFinding {
  return { ...toFinding(f), resolvedAt: f.resolvedAt };
}

function toServiceRow(r: DomainServiceRow): api.ServiceRow {
  const ref = (p: DomainServiceRow['processes'][number]) => ({ id: p.id, binary: p.binary, pid: p.pid });
  return {
    vhost: r.vhost,
    component: r.component,
    exchange: r.exchange,
    topic: r.topic,
    host: r.host,
    server: r.server,
    serverQueue: r.serverQueue,
    consumers: r.consumers,
    processes: r.processes.map(ref),
    idleProcesses: r.idleProcesses.map(ref),
    fanoutQueue: r.fanoutQueue,
    backlog: r.backlog === null ? null : { ready: r.backlog.ready, unacknowledged: r.backlog.unacknowledged },
    rates: toRates(r.rates),
    idleSince: r.idleSince,
    status: r.status,
    statusReason: r.statusReason,
    findingIds: [...r.findingIds],
  };
}

function toServiceGroup(g: DomainServiceGroup): api.ServiceGroup {
  return { vhost: g.vhost, component: g.component, topic: g.topic, total: g.total, counts: { ...g.counts }, rows: g.rows.map(toServiceRow) };
}

function toFlowLayout(l: DomainLayout): api.FlowLayout {
  return {
    width: l.width,
    height: l.height,
    nodes: l.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.label,
      detail: n.detail,
      state: n.state,
      target: n.target,
      group: n.group,
      x: n.x,
      y: n.y,
      width: n.width,
      height: n.height,
    })),
    edges: l.edges.map((e) => ({ from: e.from, to: e.to, rate: e.rate, kind: e.kind, points: e.points.map((p) => ({ x: p.x, y: p.y })) })),
  };
}

function toFlowGroups(groups: FlowGraph['groups']): api.FlowResponse['groups'] {
  return groups.map((g) => ({ id: g.id, label: g.label, size: g.size, expanded: g.expanded }));
}

export function toPeekedMessage(m: d.PeekedMessage): api.PeekedMessage {
  return {
    position: m.position,
    redelivered: m.redelivered,
    routingKey: m.routingKey,
    exchange: m.exchange,
    properties: { contentType: m.properties.contentType, expiration: m.properties.expiration, deliveryMode: m.properties.deliveryMode },
    kind: m.kind,
    method: m.method,
    namespace: m.namespace,
    version: m.version,
    msgId: m.msgId,
    replyQueue: m.replyQueue,
    timeout: m.timeout,
    eventType: m.eventType,
    context: { requestId: m.context.requestId, globalRequestId: m.context.globalRequestId, user: m.context.user, project: m.context.project },
    payload: m.payload,
    payloadTruncated: m.payloadTruncated,
  };
}

// ---------------------------------------------------------------- the answers

// What depends on one state alone is computed by the first request that needs it and shared,
// frozen, by every later one on that state (lib/domain/memo.ts); a request adds its own status.
/** Per state, the most recently asked: hosts' pages, and flow pictures (a topic with some groups expanded). */
const KEPT = { hosts: 16, flows: 16 } as const;
const serviceOrder = perState((state) => orderServices(state.services));

export function overviewResponse(state: ClusterState, status: api.SnapshotStatus): api.OverviewResponse {
  const t = state.topology;
  const groups = Object.fromEntries(
    QUEUE_KINDS.map((k) => {
      const g = t.groups[k];
      return [k, { count: g.count, withoutConsumer: g.withoutConsumer, messages: g.messages, health: worstOf(state.health.byKind[k]) }];
    }),
  ) as Record<QueueKind, api.QueueGroup>;
  return {
    status,
    broker: toBrokerInfo(t.overview),
    nodes: t.nodes.map(toNode),
    vhosts: [...t.vhosts],
    totals: toTotals(t.totals),
    components: t.components.map((c) => toComponent(c, state.health.component(c.name))),
    groups,
    exchangeGroups: exchangeGroupCounts(t.exchanges),
    history: state.history.global.map(toHistorySample),
  };
}

export function queuesResponse(state: ClusterState, status: api.SnapshotStatus, filter: QueueFilter): api.QueuesResponse {
  const { items, filtered, total } = filterQueues(state.topology, filter);
  return {
    status,
    items: items.map((q) => toQueueRow(q, state.health.of(q))),
    filtered,
    total,
    page: filter.page,
    pageSize: filter.pageSize,
    facets: queueFacets(state.topology),
  };
}

/** One queue, who consumes it, and its history: the broker's own samples where the dashboard's do not reach. */
export function queueDetailResponse(
  state: ClusterState,
  status: api.SnapshotStatus,
  vhost: string,
  name: string,
  history: (own: readonly d.HistorySample[]) => d.HistorySample[],
): api.QueueDetailResponse | null {
  const detail = queueDetail(state.topology, vhost, name);
  if (!detail) return null;
  const { queue } = detail;
  return {
    status,
    queue: toQueue(queue, state.health.of(queue)),
    arguments: Object.entries(queue.arguments).map(([key, value]) => ({ key, value, meaning: describeArgument(key, value) })),
    bindings: detail.bindings.map(toBinding),
    consumers: detail.consumers.map((c) => ({
      ...toConsumer(c.consumer),
      process: c.process ? toProcess(c.process) : null,
      connection: c.connection ? toConnection(c.connection) : null,
      channel: c.channel ? toChannel(c.channel) : null,
    })),
    staleConsumers: detail.staleConsumers.map(toConsumer),
    history: history(state.history.queue(vhost, name)).map(toHistorySample),
  };
}

export function exchangesResponse(state: ClusterState, status: api.SnapshotStatus, f: { group?: ExchangeGroup; vhost?: string; q?: string }): api.ExchangesResponse {
  return { status, items: filterExchanges(state.topology, f).map(toExchange), total: state.topology.exchanges.length };
}

export function exchangeDetailResponse(state: ClusterState, status: api.SnapshotStatus, vhost: string, name: string): api.ExchangeDetailResponse | null {
  const detail = exchangeDetail(state.topology, vhost, name);
  if (!detail) return null;
  return {
    status,
    exchange: toExchange(detail.exchange),
    bindings: detail.bindings.map(toBinding),
    queues: detail.queues.map((q) => toQueueRow(q, state.health.of(q))),
  };
}

export function routeResponse(state: ClusterState, status: api.SnapshotStatus, vhost: string, exchange: string, key: string): api.RouteResponse | null {
  const view = routeView(state, vhost, exchange, key);
  if (!view) return null;
  return {
    status,
    vhost: view.vhost,
    exchange: view.exchange,
    routingKey: view.routingKey,
    exchanges: view.exchanges,
    notes: view.notes,
    matchedBindings: view.matchedBindings,
    queueTotal: view.queueTotal,
    queues: view.queues.map((r) => ({
      ...toQueueRow(r.queue, state.health.of(r.queue), DETAIL_LIMITS.processesPerQueue),
      through: r.through,
      bindingKey: r.bindingKey,
    })),
    processes: toProcessMap(view.processes),
  };
}

export function componentResponse(state: ClusterState, status: api.SnapshotStatus, name: string): api.ComponentDetailResponse | null {
  const view = componentDetail(state, name);
  if (!view) return null;
  const row = (q: d.Queue) => toQueueRow(q, state.health.of(q), DETAIL_LIMITS.processesPerQueue);
  return {
    status,
    component: toComponent(view.component, state.health.component(name)),
    topics: view.topics.map((t) => ({
      vhost: t.vhost,
      name: t.name,
      sharedQueue: t.sharedQueue ? row(t.sharedQueue) : null,
      serverQueues: t.serverQueues.map(row),
      serverQueueTotal: t.serverQueueTotal,
      fanoutQueues: t.fanoutQueues.map(row),
      fanoutQueueTotal: t.fanoutQueueTotal,
      consumers: t.consumers,
      backlog: { ready: t.backlog.ready, unacknowledged: t.backlog.unacknowledged },
      rates: toRates(t.rates),
    })),
    notificationQueues: view.notificationQueues.map(row),
    notificationQueueTotal: view.notificationQueueTotal,
    processes: toProcessMap(view.processes),
    processCount: view.processCount,
    statsEnabled: view.statsEnabled,
  };
}

export function flowResponse(
  state: ClusterState,
  status: api.SnapshotStatus,
  component: string,
  q: { topic: string; vhost?: string; expand: ReadonlySet<string> },
): api.FlowResponse | null {
  const body = flowBody(state, component, q.topic, q.vhost, q.expand);
  return body && { status, ...body };
}

/** Laid out once per state and picture: dagre takes tens of milliseconds at a thousand hosts. */
const flowBody = perStateKeyed(
  KEPT.flows,
  (component: string, topic: string, vhost: string | undefined, expand: ReadonlySet<string>) => JSON.stringify([component, topic, vhost ?? null, [...expand].sort()]),
  (state, component, topic, vhost, expand): Omit<api.FlowResponse, 'status'> | null => {
    const topics = state.topology.topics.filter((t) => t.component === component).map((t) => ({ vhost: t.vhost, name: t.name }));
    const inVhost = vhost ?? topics.find((t) => t.name === topic)?.vhost;
    const graph = inVhost ? flowGraph(state, inVhost, component, topic, expand) : null;
    if (!graph) return null;
    return deepFreeze({ vhost: graph.vhost, component, topic, layout: toFlowLayout(layoutFlow(graph)), groups: toFlowGroups(graph.groups), topics });
  },
);

export function processesResponse(state: ClusterState, status: api.SnapshotStatus, f: { q?: string; vhost?: string; limit: number }): api.ProcessesResponse {
  const { items, filtered, total } = listProcesses(state.topology, f);
  const vhosts = new Set(state.topology.processes.flatMap((p) => p.vhosts));
  return { status, items: items.map(toProcessRow), filtered, total, vhosts: [...vhosts].sort() };
}

export function processDetailResponse(state: ClusterState, status: api.SnapshotStatus, id: string): api.ProcessDetailResponse | null {
  const view = processDetail(state.topology, id);
  return view ? { status, ...toProcessDetail(state, view) } : null;
}

function toProcessDetail(state: ClusterState, view: ProcessView): Omit<api.ProcessDetailResponse, 'status'> {
  const row = (q: d.Queue) => toQueueRow(q, state.health.of(q));
  return {
    process: toProcess(view.process),
    connections: view.connections.map((c) => ({ ...toConnection(c.connection), channelDetails: c.channels.map(toChannel) })),
    consumes: view.consumes.map(row),
    replyQueues: view.replyQueues.map(row),
  };
}

export function hostDetailResponse(state: ClusterState, status: api.SnapshotStatus, host: string): api.HostDetailResponse {
  return { status, ...hostBody(state, host) };
}

const hostBody = perStateKeyed(
  KEPT.hosts,
  (host: string) => host,
  (state, host): Omit<api.HostDetailResponse, 'status'> => {
    const view = hostDetail(state, host);
    const row = (q: d.Queue) => toQueueRow(q, state.health.of(q));
    return deepFreeze({
      host,
      processes: view.processes.map((p) => toProcessDetail(state, p)),
      services: view.services.map(toServiceRow),
      otherQueues: view.otherQueues.map(row),
      findings: view.findings.map(toFindingView),
    });
  },
);

/** The findings in a scope (a vhost, a queue, a process), the most severe first, at most `limit`; counts over all of them. */
export function findingsResponse(state: ClusterState, status: api.SnapshotStatus, q: FindingScope & { limit?: number }): api.FindingsResponse {
  const { open, resolved } = state.findings;
  const scope: FindingScope = { vhost: q.vhost, queue: q.queue, process: q.process };
  const inScope = <F extends Parameters<typeof isAbout>[0]>(f: F) => isAbout(f, scope, state.topology.index);
  const matching = open.filter(inScope);
  return {
    status,
    findings: (q.limit === undefined ? matching : matching.slice(0, q.limit)).map(toFindingView),
    total: matching.length,
    byRule: countByRule(open),
    // A summary (`limit`) has no use for what went away.
    resolved: q.limit === undefined ? resolved.filter(inScope).map(toResolvedFinding) : [],
    counts: countBySeverity(open),
    rules: RULE_IDS.map((id) => ({ id, description: RULES[id].description })),
    windowMs: state.thresholds.windowMs,
  };
}

export function servicesResponse(state: ClusterState, status: api.SnapshotStatus, f: ServiceFilter, probe: api.ActionStatus): api.ServicesResponse {
  const list = filterServices(serviceOrder(state), f);
  return {
    status,
    groups: list.groups.map(toServiceGroup),
    counts: list.counts,
    total: list.total,
    filtered: list.filtered,
    facets: list.facets,
    probe,
  };
}

// ---------------------------------------------------------------- upgrade readiness

function toServiceQueues(g: upgrade.ServiceQueues): api.ServiceQueues {
  return {
    vhost: g.vhost,
    binary: g.binary,
    component: g.component,
    count: g.count,
    byKind: { ...g.byKind },
    options: g.options.map((o) => ({ name: o.name, value: o.value })),
    examples: [...g.examples],
  };
}

function upgradeCheckFields(c: upgrade.UpgradeCheckBase) {
  return { status: c.status, stop: c.stop, changes: c.changes, summary: c.summary, remedy: c.remedy };
}

function toMirroringPolicy(p: upgrade.MirroringPolicy): api.MirroringPolicy {
  return {
    vhost: p.vhost,
    name: p.name,
    pattern: p.pattern,
    applyTo: p.applyTo,
    priority: p.priority,
    haKeys: { ...p.haKeys },
    otherKeys: [...p.otherKeys],
    matchedQueues: p.matchedQueues,
    examples: [...p.examples],
  };
}

function toLocatorPolicy(p: upgrade.LocatorPolicy): api.LocatorPolicy {
  return {
    vhost: p.vhost,
    name: p.name,
    pattern: p.pattern,
    applyTo: p.applyTo,
    value: p.value,
    leaderLocator: p.leaderLocator,
    matchedQueues: p.matchedQueues,
    examples: [...p.examples],
  };
}

function toServiceMigration(s: upgrade.ServiceMigration): api.ServiceMigration {
  const adoption = (o: MigrationOption) => ({ adoption: s.options[o].adoption, migrated: s.options[o].migrated, of: s.options[o].of });
  return {
    vhost: s.vhost,
    binary: s.binary,
    component: s.component,
    processes: s.processes,
    options: Object.fromEntries(MIGRATION_OPTIONS.map((o) => [o, adoption(o)])) as api.ServiceMigration['options'],
    transientQueues: s.transientQueues,
  };
}

export function upgradeResponse(state: ClusterState, status: api.SnapshotStatus): api.UpgradeResponse {
  return { status, ...upgradeBody(state) };
}

const upgradeBody = perState((state): Omit<api.UpgradeResponse, 'status'> => {
  const r = upgrade.upgradeReadiness(state);
  return deepFreeze({
    rabbitmqVersion: r.rabbitmqVersion,
    path: { current: r.path.current, hops: r.path.hops.map((h) => ({ to: h.to, removes: h.removes, changes: h.changes, needs: h.needs })), note: r.path.note },
    defaultQueueType: r.defaultQueueType,
    nextStop: r.nextStop,
    changes: { before: r.changes.before.map((b) => ({ stop: b.stop, count: b.count })), now: r.changes.now, later: r.changes.later },
    mirroring: {
      id: r.mirroring.id,
      ...upgradeCheckFields(r.mirroring),
      policies: r.mirroring.policies?.map(toMirroringPolicy) ?? null,
      haArgumentQueues: r.mirroring.haArgumentQueues.map(toServiceQueues),
      removedHere: r.mirroring.removedHere,
    },
    transientQueues: {
      id: r.transientQueues.id,
      ...upgradeCheckFields(r.transientQueues),
      total: r.transientQueues.total,
      services: r.transientQueues.services.map(toServiceQueues),
    },
    deprecatedFeatures: {
      id: r.deprecatedFeatures.id,
      ...upgradeCheckFields(r.deprecatedFeatures),
      features: r.deprecatedFeatures.features?.map((f) => ({ name: f.name, phase: f.phase, docUrl: f.docUrl, explainedBy: f.explainedBy })) ?? null,
    },
    globalQos: {
      id: r.globalQos.id,
      ...upgradeCheckFields(r.globalQos),
      users:
        r.globalQos.users?.map((u) => ({
          processId: u.processId,
          binary: u.binary,
          host: u.host,
          connections: [...u.connections],
          channels: u.channels,
          globalPrefetchCount: u.globalPrefetchCount,
        })) ?? null,
    },
    queueMasterLocator: {
      id: r.queueMasterLocator.id,
      ...upgradeCheckFields(r.queueMasterLocator),
      policies: r.queueMasterLocator.policies?.map(toLocatorPolicy) ?? null,
      queues: r.queueMasterLocator.queues.map(toServiceQueues),
    },
    services: r.services.map(toServiceMigration),
  });
});

/** A cluster at a glance, for the page of all clusters; what is not known yet is null. */
export function clusterHealth(state: ClusterState | null): api.ClusterHealth {
  const services: api.ClusterHealth['services'] = {};
  for (const [s, n] of Object.entries(state?.serviceCounts ?? {})) if (n > 0) services[s as keyof typeof services] = n;
  return {
    totals: state ? toTotals(state.topology.totals) : null,
    statsEnabled: state?.topology.overview.statsEnabled ?? null,
    findings: countBySeverity(state?.findings.open ?? []),
    services,
    nodeAlarms: state?.topology.nodes.filter(nodeInTrouble).length ?? 0,
    broker: state ? { clusterName: state.topology.overview.clusterName, rabbitmqVersion: state.topology.overview.rabbitmqVersion } : null,
  };
}

/** What the list of clusters says of one: what the server knows of it, not how it is read. */
export interface ClusterFacts {
  id: string;
  name: string;
  capturedAt(): number | null;
  managementUrl(): string;
  status(): api.SnapshotStatus;
  actions: { status: api.ClusterInfo['actions'] };
}

export function clusterInfo(cluster: ClusterFacts): api.ClusterInfo {
  return {
    id: cluster.id,
    name: cluster.name,
    capturedAt: cluster.capturedAt(),
    managementUrl: cluster.managementUrl(),
    status: cluster.status(),
    actions: cluster.actions.status,
  };
}
