// One value per refresh: what the broker looked like at one time, with everything the
// dashboard concluded from it. Built once when a refresh lands (deriveState), never
// changed afterwards; every route, /metrics and every capture reads one of these, and two
// consecutive ones can be compared.
import { exportTracker, type MemorySnapshot, type OpenFinding, type ResolvedFinding, type TrackerState } from './findings/engine';
import type { Thresholds } from './findings/types';
import { emptyHealthCounts, type HealthCounts, queueHealth, worstOf } from './health';
import { VhostIndex } from './keys';
import { StateMemo } from './memo';
import { buildServiceRows, countByStatus, type ServiceRow } from './services';
import type { BrokerInputs, HistorySample, Queue, Topology } from './types';
import { type CountSource, QUEUE_KINDS, type QueueHealth, type QueueKind, type RuleId, type ServiceStatus } from './vocabulary';

export interface ClusterState {
  /** When the broker was read (epoch ms). */
  readonly at: number;
  /** When its exchanges, bindings and queue metadata were read, where they are read less often. */
  readonly topologyAt: number | null;
  /** When who consumes was last read whole (followed queue by queue in between). */
  readonly identityAt: number | null;
  /** Where the queue counts came from, and why that source (null: an offline capture). */
  readonly counts: CountsOrigin | null;
  /** The broker's answers as mapped: what an offline capture holds. */
  readonly inputs: BrokerInputs;
  readonly topology: Topology;
  readonly findings: FindingsState;
  /** Who consumed what and where processes ran, as of this refresh. */
  readonly memory: MemorySnapshot;
  readonly services: readonly ServiceRow[];
  readonly serviceCounts: Readonly<Record<ServiceStatus, number>>;
  readonly health: HealthState;
  readonly thresholds: Readonly<Thresholds>;
  /** Parts the broker would not give in this refresh; the rest is good. */
  readonly warnings: readonly string[];
  readonly history: HistoryView;
  /** What requests computed from this state alone, kept for the next ones (lib/domain/memo.ts). */
  readonly memo: StateMemo;
}

export interface CountsOrigin {
  source: CountSource;
  why: string;
}

export interface FindingsState {
  /** Most severe first. */
  readonly open: readonly OpenFinding[];
  /** Newest first. */
  readonly resolved: readonly ResolvedFinding[];
  /** The open findings about one queue. */
  aboutQueue(vhost: string, name: string): readonly OpenFinding[];
}

export interface HealthState {
  of(queue: Queue): QueueHealth;
  /** Over the queues of one component (its shared, per-server, fanout and notification queues). */
  component(name: string): { health: QueueHealth; counts: HealthCounts };
  /** Over the queues of each kind. */
  readonly byKind: Readonly<Record<QueueKind, HealthCounts>>;
}

export interface HistoryView {
  /** Totals over time, oldest first. */
  readonly global: readonly HistorySample[];
  /** One queue's samples up to this refresh, oldest first. */
  queue(vhost: string, name: string): readonly HistorySample[];
}

export interface StateParts {
  at: number;
  topologyAt: number | null;
  identityAt: number | null;
  counts: CountsOrigin | null;
  inputs: BrokerInputs;
  topology: Topology;
  findings: { findings: OpenFinding[]; resolved: ResolvedFinding[] };
  memory: MemorySnapshot;
  thresholds: Readonly<Thresholds>;
  warnings: readonly string[];
  history: HistoryView;
}

const noRules: ReadonlySet<RuleId> = new Set();
const noFindings: readonly OpenFinding[] = Object.freeze([]);

/** Everything a refresh concludes, computed once: health per queue and component, the service list. */
export function deriveState(parts: StateParts): ClusterState {
  const { topology, thresholds } = parts;
  const open = parts.findings.findings;

  const aboutQueue = new VhostIndex<OpenFinding[]>();
  const rulesOf = new VhostIndex<Set<RuleId>>();
  for (const f of open) {
    if (f.subject.type !== 'queue') continue;
    const { vhost, name } = f.subject;
    const list = aboutQueue.get(vhost, name);
    if (list) list.push(f);
    else aboutQueue.set(vhost, name, [f]);
    const rules = rulesOf.get(vhost, name);
    if (rules) rules.add(f.rule);
    else rulesOf.set(vhost, name, new Set([f.rule]));
  }

  const healthOf = new Map<Queue, QueueHealth>();
  const byKind = Object.fromEntries(QUEUE_KINDS.map((k) => [k, emptyHealthCounts()])) as Record<QueueKind, HealthCounts>;
  const byComponent = new Map<string, HealthCounts>();
  for (const q of topology.queues) {
    const h = queueHealth(q, rulesOf.get(q.vhost, q.name) ?? noRules, thresholds);
    healthOf.set(q, h);
    byKind[q.kind][h]++;
    // The same queues a component's summary counts (lib/domain/topology.ts: buildComponents).
    if (q.component && q.kind !== 'reply' && q.kind !== 'other') {
      let counts = byComponent.get(q.component);
      if (!counts) byComponent.set(q.component, (counts = emptyHealthCounts()));
      counts[h]++;
    }
  }
  const health: HealthState = {
    of: (q) => healthOf.get(q) ?? 'unknown',
    component: (name) => {
      const counts = byComponent.get(name) ?? emptyHealthCounts();
      return { health: worstOf(counts), counts };
    },
    byKind,
  };

  const services = buildServiceRows(topology, {
    memory: parts.memory,
    health: health.of,
    findingIds: (vhost, name) => (aboutQueue.get(vhost, name) ?? []).map((f) => f.id),
  });

  return Object.freeze({
    at: parts.at,
    topologyAt: parts.topologyAt,
    identityAt: parts.identityAt,
    counts: parts.counts,
    inputs: parts.inputs,
    topology,
    findings: Object.freeze({
      open,
      resolved: parts.findings.resolved,
      aboutQueue: (vhost: string, name: string) => aboutQueue.get(vhost, name) ?? noFindings,
    }),
    memory: parts.memory,
    services,
    serviceCounts: countByStatus(services),
    health,
    thresholds,
    warnings: parts.warnings,
    history: parts.history,
    memo: new StateMemo(),
  });
}

/** A process's host: where it runs now, or where it last ran (it stopped consuming its per-server queue). */
export function hostOfProcess(state: ClusterState, id: string): string | null {
  return state.topology.index.process(id)?.host ?? state.memory.processHost(id);
}

/** What the findings tracker knew at this refresh, for an offline capture. */
export function trackerOf(state: ClusterState): TrackerState {
  return exportTracker(state.findings.open, state.findings.resolved, state.memory);
}
