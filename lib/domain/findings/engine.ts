// One engine for every rule: run them, give each finding a stable id, and keep
// when it was first seen and what was resolved, across refreshes.
import { compareNatural } from '../format';
import { refKey } from '../keys';
import type { Topology, TopologyIndex } from '../types';
import { RULE_IDS } from '../vocabulary';
import { sortFindings } from './order';
import { RULES } from './rules';
import type { Finding, FindingSubject, Memory, RuleContext, RuleId, ServiceSeen } from './types';

/** A finding as the latest refresh has it: `isNew` when it first appeared in that refresh. */
export interface OpenFinding extends Finding {
  isNew: boolean;
}

export interface ResolvedFinding extends Finding {
  resolvedAt: number;
}

export function subjectKey(s: FindingSubject): string {
  switch (s.type) {
    case 'queue':
      return `queue:${refKey(s.vhost, s.name)}`;
    case 'process':
      return `process:${s.id}`;
    case 'connection':
      return `connection:${s.processId ?? s.name}`;
    case 'node':
      return `node:${s.name}`;
  }
}

/** Runs the rules (all of them, or those named); `since` is left to the tracker (0 here). */
export function evaluateRules(ctx: RuleContext, ruleIds: readonly RuleId[] = RULE_IDS): Finding[] {
  return ruleIds.flatMap((rule) =>
    RULES[rule].evaluate(ctx).map((draft) => ({ ...draft, rule, id: `${rule}:${subjectKey(draft.subject)}`, since: 0 })),
  );
}

/** What a list of findings can be narrowed to: one vhost, one queue, one process (itself or its connections). */
export interface FindingScope {
  vhost?: string;
  queue?: string;
  process?: string;
}

/** Whether a finding is within the scope; a broker node is in no vhost. */
export function isAbout(f: Pick<Finding, 'subject'>, scope: FindingScope, index: TopologyIndex): boolean {
  const s = f.subject;
  if (scope.queue !== undefined && !(s.type === 'queue' && s.name === scope.queue)) return false;
  if (scope.process !== undefined && !((s.type === 'process' && s.id === scope.process) || (s.type === 'connection' && s.processId === scope.process)))
    return false;
  if (scope.vhost !== undefined && !inVhost(s, scope.vhost, index)) return false;
  return true;
}

function inVhost(s: FindingSubject, vhost: string, index: TopologyIndex): boolean {
  switch (s.type) {
    case 'queue':
      return s.vhost === vhost;
    case 'process':
      return index.process(s.id)?.vhosts.includes(vhost) ?? false;
    case 'connection':
      return index.connection(s.name)?.vhost === vhost;
    case 'node':
      return false;
  }
}

const RESOLVED_KEPT_MS = 30 * 60_000;
const RESOLVED_MAX = 200;

/** How long a service no longer seen consuming is remembered. */
export const SERVICE_KEPT_MS = 24 * 3600_000;

/**
 * What earlier refreshes saw, as of one refresh: its maps are replaced, never changed, by the
 * next refresh, so a state may keep the one it was built with.
 */
export class MemorySnapshot implements Memory {
  constructor(
    /** Queue key (refKey) → the processes that last consumed it. */
    readonly consumersOf: ReadonlyMap<string, readonly string[]> = new Map(),
    /** Process id → the host it last ran on. */
    readonly hostOf: ReadonlyMap<string, string> = new Map(),
    /** refKey(vhost, binary) → where and when that service was last seen consuming. */
    readonly services: ReadonlyMap<string, ServiceSeen> = new Map(),
  ) {}

  lastConsumers = (vhost: string, name: string): readonly string[] => this.consumersOf.get(refKey(vhost, name)) ?? [];
  processHost = (id: string): string | null => this.hostOf.get(id) ?? null;
  servicesSeen = (): readonly ServiceSeen[] => [...this.services.values()];
}

/**
 * What the dashboard remembers between refreshes: when each finding was first
 * seen, which ones went away, who consumed each queue and where each process ran.
 */
export class FindingTracker {
  /** Conditions seen but not yet confirmed: id → when first seen, and when a reading may confirm them. */
  private pending = new Map<string, { firstSeen: number; due: number }>();
  private open = new Map<string, Finding>();
  private resolved: ResolvedFinding[] = [];
  private latestNew = new Set<string>();
  private remembered = new MemorySnapshot();
  /** Findings open when the dashboard last stopped (from the journal): id → since. */
  private recalled = new Map<string, number>();

  /** `graceMs` and `settleMs`: as in Thresholds. */
  constructor(
    private readonly graceMs = 0,
    private readonly settleMs = 0,
  ) {}

  /**
   * What an earlier run of the dashboard left open (id → since): a finding that still holds keeps
   * its real start, and needs no new grace period (it was confirmed then). Those open already
   * take it at once; the others when they are raised again. `services`: those it saw consuming.
   */
  recall(openSince: ReadonlyMap<string, number>, services: readonly ServiceSeen[] = []): void {
    this.recalled = new Map(openSince);
    for (const [id, f] of this.open) {
      const since = this.recalled.get(id);
      if (since !== undefined && since < f.since) this.open.set(id, { ...f, since });
    }
    // The services an earlier run saw consuming (from the journal): what it sees now is newer.
    const before = this.remembered;
    const merged = new Map(before.services);
    for (const s of services) {
      const key = refKey(s.vhost, s.binary);
      if (!merged.has(key)) merged.set(key, s);
    }
    this.remembered = new MemorySnapshot(before.consumersOf, before.hostOf, merged);
  }

  /** Who consumed what and where processes ran, up to the last `remember`. */
  get memory(): MemorySnapshot {
    return this.remembered;
  }

  /** Records who consumes what, where processes run and which services are seen; call after evaluating a refresh. */
  remember(topology: Topology, at: number): void {
    const before = this.remembered;
    const consumersOf = new Map<string, readonly string[]>();
    for (const q of topology.queues) {
      const key = refKey(q.vhost, q.name);
      const last = q.processIds.length > 0 ? q.processIds : before.consumersOf.get(key);
      if (last) consumersOf.set(key, last);
    }
    const hostOf = new Map<string, string>();
    for (const p of topology.processes) {
      const host = p.host ?? before.hostOf.get(p.id);
      if (host) hostOf.set(p.id, host);
    }
    const services = new Map([...before.services].filter(([, s]) => at - s.lastSeen < SERVICE_KEPT_MS));
    const seenNow = new Map<string, { vhost: string; binary: string; hosts: Set<string> }>();
    for (const p of topology.processes) {
      if (!p.binary || p.consumes.length === 0) continue;
      const host = hostOf.get(p.id);
      for (const vhost of new Set(p.consumes.map((q) => q.vhost))) {
        const key = refKey(vhost, p.binary);
        let seen = seenNow.get(key);
        if (!seen) seenNow.set(key, (seen = { vhost, binary: p.binary, hosts: new Set(services.get(key)?.hosts) }));
        if (host) seen.hosts.add(host);
      }
    }
    for (const [key, { vhost, binary, hosts }] of seenNow) {
      const known = services.get(key)?.hosts;
      // Hosts are only ever added: the same count is the same list, kept as it was sorted.
      services.set(key, { vhost, binary, hosts: known && known.length === hosts.size ? known : [...hosts].sort(compareNatural), lastSeen: at });
    }
    this.remembered = new MemorySnapshot(consumersOf, hostOf, services);
  }

  /** `queueKnownSince`: when the dashboard first saw a queue (null: not known to it, nothing to wait for). */
  update(findings: readonly Finding[], now: number, queueKnownSince: (vhost: string, name: string) => number | null = () => null): void {
    const immediate = (rule: RuleId) => RULES[rule].immediate === true;
    const next = new Map<string, Finding>();
    const pending = new Map<string, { firstSeen: number; due: number }>();
    this.latestNew = new Set();
    for (const { startedAt, ...f } of findings) {
      const before = this.open.get(f.id);
      const recalled = before ? undefined : this.recalled.get(f.id);
      const firstSeen = before?.since ?? recalled ?? Math.min(this.pending.get(f.id)?.firstSeen ?? now, startedAt ?? now);
      const known = f.subject.type === 'queue' ? queueKnownSince(f.subject.vhost, f.subject.name) : null;
      const grace = Math.max(this.graceMs, RULES[f.rule].graceMs ?? 0);
      const due = Math.max(firstSeen + grace, known === null ? firstSeen : known + this.settleMs);
      if (!before && recalled === undefined && !immediate(f.rule) && now < due) {
        pending.set(f.id, { firstSeen, due });
        continue;
      }
      if (!before) this.latestNew.add(f.id);
      next.set(f.id, { ...f, since: firstSeen });
    }
    const resolvedNow = [...this.open.values()].filter((f) => !next.has(f.id)).map((f) => ({ ...f, resolvedAt: now }));
    this.resolved = [...resolvedNow.reverse(), ...this.resolved].filter((f) => now - f.resolvedAt < RESOLVED_KEPT_MS && !next.has(f.id)).slice(0, RESOLVED_MAX);
    this.open = next;
    this.pending = pending;
    // What was open before the restart and does not hold now has ended while nobody watched.
    this.recalled.clear();
  }

  /** When the first condition still waiting may be raised: a reading then confirms it or not; null when none waits. */
  confirmationDue(): number | null {
    let due: number | null = null;
    for (const p of this.pending.values()) due = Math.min(due ?? Number.POSITIVE_INFINITY, p.due);
    return due;
  }

  /** The open findings, most severe first, and the recently resolved ones, newest first. */
  current(): { findings: OpenFinding[]; resolved: ResolvedFinding[] } {
    return {
      findings: sortFindings([...this.open.values()]).map((f) => ({ ...f, isNew: this.latestNew.has(f.id) })),
      resolved: this.resolved,
    };
  }

  /** A tracker that knows what an exported one knew (an offline capture's). */
  static restore(state: TrackerState): FindingTracker {
    const t = new FindingTracker();
    t.open = new Map(state.open.map((f) => [f.id, f]));
    t.resolved = state.resolved;
    t.remembered = new MemorySnapshot(new Map(state.consumersOf), new Map(state.hostOf));
    return t;
  }
}

/** What a tracker knows, as plain JSON (an offline capture holds it); conditions still in their grace period are left out. */
export interface TrackerState {
  open: Finding[];
  resolved: ResolvedFinding[];
  /** Queue key (refKey) → the processes that last consumed it. */
  consumersOf: [string, readonly string[]][];
  /** Process id → the host it last ran on. */
  hostOf: [string, string][];
}

/** The tracker's knowledge as of one refresh, for a capture. */
export function exportTracker(open: readonly Finding[], resolved: readonly ResolvedFinding[], memory: MemorySnapshot): TrackerState {
  return {
    open: open.map(({ isNew: _n, ...f }: Finding & { isNew?: boolean }) => f),
    resolved: [...resolved],
    consumersOf: [...memory.consumersOf],
    hostOf: [...memory.hostOf],
  };
}
