// One engine for every rule: run them, give each finding a stable id, and keep
// when it was first seen and what was resolved, across refreshes.
import { RULES } from './rules';
import type { Finding, FindingSubject, Memory, Rule, RuleContext, RuleId, Severity } from './types';
import type { Topology } from '../types';

export const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];

/**
 * Within a severity, what an operator asks first: which host will not take
 * requests, which process is stuck, what blocks everyone, what was orphaned,
 * what piles up.
 */
export const RULE_PRIORITY: RuleId[] = [
  'rpc-server-unconsumed',
  'consumer-stuck',
  'connection-blocked',
  'node-alarm',
  'rpc-topic-unconsumed',
  'orphaned-reply-queue',
  'orphaned-fanout-queue',
  'backlog-growing',
  'notifications-unconsumed',
];
const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);
const priority = (r: RuleId) => {
  const i = RULE_PRIORITY.indexOf(r);
  return i < 0 ? RULE_PRIORITY.length : i;
};

/** How many findings there are of each severity (all severities, zeros included). */
export function countBySeverity(findings: Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export interface RuleCount {
  rule: RuleId;
  count: number;
  /** The most severe of its findings. */
  severity: Severity;
}

/** How many findings each rule has, most severe rules first. */
export function countByRule(findings: Pick<Finding, 'rule' | 'severity'>[]): RuleCount[] {
  const by = new Map<RuleId, RuleCount>();
  for (const f of findings) {
    const c = by.get(f.rule);
    if (!c) by.set(f.rule, { rule: f.rule, count: 1, severity: f.severity });
    else {
      c.count++;
      if (rank(f.severity) < rank(c.severity)) c.severity = f.severity;
    }
  }
  return [...by.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || priority(a.rule) - priority(b.rule));
}

export function subjectKey(s: FindingSubject): string {
  switch (s.type) {
    case 'queue':
      return `queue:${s.vhost}\u0000${s.name}`;
    case 'process':
      return `process:${s.id}`;
    case 'connection':
      return `connection:${s.processId ?? s.name}`;
    case 'node':
      return `node:${s.name}`;
  }
}

/** Runs the rules; `since` is left to the tracker (0 here). */
export function evaluateRules(ctx: Omit<RuleContext, 'memory'> & { memory: Memory }, rules: readonly Rule[] = RULES): Finding[] {
  return rules.flatMap((rule) =>
    rule.evaluate(ctx).map((draft) => ({ ...draft, rule: rule.id, id: `${rule.id}:${subjectKey(draft.subject)}`, since: 0 })),
  );
}

/** The most severe first; within a severity by RULE_PRIORITY, then the longest-standing first. */
export function sortFindings<T extends Pick<Finding, 'severity' | 'rule' | 'since' | 'id'>>(findings: T[]): T[] {
  return [...findings].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || priority(a.rule) - priority(b.rule) || a.since - b.since || a.id.localeCompare(b.id),
  );
}

/** Findings about one queue, or about one process (itself or its connections). */
export function isAbout(f: Pick<Finding, 'subject'>, about: { vhost?: string; queue?: string; process?: string }): boolean {
  const s = f.subject;
  if (about.queue !== undefined) return s.type === 'queue' && s.name === about.queue && (about.vhost === undefined || s.vhost === about.vhost);
  if (about.process !== undefined) return (s.type === 'process' && s.id === about.process) || (s.type === 'connection' && s.processId === about.process);
  return true;
}

const RESOLVED_KEPT_MS = 30 * 60_000;
const RESOLVED_MAX = 200;

/**
 * What the dashboard remembers between refreshes: when each finding was first
 * seen, which ones went away, who consumed each queue and where each process ran.
 */
export class FindingTracker implements Memory {
  /** Conditions seen but not yet lasting the grace period: id → first seen. */
  private pending = new Map<string, number>();
  private open = new Map<string, Finding>();
  private resolved: (Finding & { resolvedAt: number })[] = [];
  private latestNew = new Set<string>();
  private consumersOf = new Map<string, string[]>();
  private hostOf = new Map<string, string>();
  private readonly immediateRules = new Set(RULES.filter((r) => r.immediate).map((r) => r.id));

  constructor(private readonly graceMs = 0) {}

  lastConsumers = (vhost: string, name: string): string[] => this.consumersOf.get(`${vhost}\u0000${name}`) ?? [];
  processHost = (id: string): string | null => this.hostOf.get(id) ?? null;

  /** Records who consumes what and where processes run; call after evaluating a refresh. */
  remember(topology: Topology): void {
    const queues = new Set<string>();
    for (const q of topology.queues) {
      const key = `${q.vhost}\u0000${q.name}`;
      queues.add(key);
      if (q.processIds.length > 0) this.consumersOf.set(key, [...q.processIds]);
    }
    for (const key of this.consumersOf.keys()) if (!queues.has(key)) this.consumersOf.delete(key);
    const processes = new Set<string>();
    for (const p of topology.processes) {
      processes.add(p.id);
      if (p.host) this.hostOf.set(p.id, p.host);
    }
    for (const id of this.hostOf.keys()) if (!processes.has(id)) this.hostOf.delete(id);
  }

  update(findings: Finding[], now: number): void {
    const next = new Map<string, Finding>();
    const pending = new Map<string, number>();
    this.latestNew = new Set();
    for (const f of findings) {
      const before = this.open.get(f.id);
      const firstSeen = before?.since ?? this.pending.get(f.id) ?? now;
      if (!before && !this.immediateRules.has(f.rule) && now - firstSeen < this.graceMs) {
        pending.set(f.id, firstSeen);
        continue;
      }
      if (!before) this.latestNew.add(f.id);
      next.set(f.id, { ...f, since: firstSeen });
    }
    for (const [id, f] of this.open) if (!next.has(id)) this.resolved.unshift({ ...f, resolvedAt: now });
    this.resolved = this.resolved.filter((f) => now - f.resolvedAt < RESOLVED_KEPT_MS && !next.has(f.id)).slice(0, RESOLVED_MAX);
    this.open = next;
    this.pending = pending;
  }

  current() {
    return {
      findings: sortFindings([...this.open.values()]).map((f) => ({ ...f, isNew: this.latestNew.has(f.id) })),
      resolved: this.resolved,
    };
  }

  /** What it knows, as plain JSON (for an offline capture); conditions still in their grace period are left out. */
  export(): TrackerState {
    return {
      open: [...this.open.values()],
      resolved: this.resolved,
      consumersOf: [...this.consumersOf],
      hostOf: [...this.hostOf],
    };
  }

  /** A tracker that knows what an exported one knew. */
  static restore(state: TrackerState): FindingTracker {
    const t = new FindingTracker();
    t.open = new Map(state.open.map((f) => [f.id, f]));
    t.resolved = state.resolved;
    t.consumersOf = new Map(state.consumersOf);
    t.hostOf = new Map(state.hostOf);
    return t;
  }
}

export interface TrackerState {
  open: Finding[];
  resolved: (Finding & { resolvedAt: number })[];
  /** Queue key (`vhost\u0000name`) → the processes that last consumed it. */
  consumersOf: [string, string[]][];
  /** Process id → the host it last ran on. */
  hostOf: [string, string][];
}
