// The journal of the topology: what changed between two refreshes, written down with its time,
// its subject and before → after. A refresh keeps a digest of what it saw (only what the journal
// compares), the next one is compared with it; the store keeps every entry, the page groups them.
import type { FindingSubject } from './findings/types';
import { refKey, splitRefKey } from './keys';
import type { ClusterState } from './state';
import type { Topology } from './types';
import type { JournalKind, QueueKind, RuleId } from './vocabulary';

export type JournalSubject =
  | { type: 'queue'; vhost: string; name: string }
  | { type: 'connection'; name: string }
  | { type: 'process'; id: string }
  | { type: 'node'; name: string }
  | { type: 'policy'; vhost: string; name: string }
  | { type: 'finding'; id: string; rule: RuleId; about: FindingSubject };

export interface JournalEntry {
  at: number;
  kind: JournalKind;
  subject: JournalSubject;
  /** What it concerns in OpenStack's terms, where known: for filtering and grouping. */
  host: string | null;
  binary: string | null;
  /** The process (Process.id) it concerns. */
  process: string | null;
  /** The queue it concerns. */
  vhost: string | null;
  queue: string | null;
  /** What it was and what it is now, in words (null where it did not exist). */
  before: string | null;
  after: string | null;
}

interface QueueDigest {
  kind: QueueKind;
  host: string | null;
  consumers: readonly string[];
}
interface ProcessDigest {
  binary: string | null;
  pid: number | null;
  host: string | null;
  /** Its vhost, where it has connections in one only. */
  vhost: string | null;
}
interface ConnectionDigest {
  vhost: string;
  process: string | null;
  peer: string;
  connectedAt: number | null;
}
interface FindingDigest {
  rule: RuleId;
  title: string;
  host: string | null;
  subject: FindingSubject;
}
interface PolicyDigest {
  definition: string;
}

/** What the journal compares of one refresh. */
export interface TopologyDigest {
  at: number;
  /** Who consumes was known (read whole at least once): without it, consumers and connections are not compared. */
  identityKnown: boolean;
  queues: ReadonlyMap<string, QueueDigest>;
  processes: ReadonlyMap<string, ProcessDigest>;
  connections: ReadonlyMap<string, ConnectionDigest>;
  nodes: ReadonlyMap<string, { running: boolean; alarms: readonly string[] }>;
  /** Null where the broker's policies were not read. */
  policies: ReadonlyMap<string, PolicyDigest> | null;
  findings: ReadonlyMap<string, FindingDigest>;
}

function alarmsOf(n: { memAlarm: boolean; diskFreeAlarm: boolean }): string[] {
  return [...(n.memAlarm ? ['memory'] : []), ...(n.diskFreeAlarm ? ['disk'] : [])];
}

/** The queues' part of a digest: the structure's alone, so one map serves every refresh built on it (and compares in one step). */
function queueDigests(topology: Topology): ReadonlyMap<string, QueueDigest> {
  const queues = new Map<string, QueueDigest>();
  for (const q of topology.queues) queues.set(refKey(q.vhost, q.name), { kind: q.kind, host: q.host, consumers: q.processIds });
  return queues;
}

export function digest(state: ClusterState): TopologyDigest {
  const { topology } = state;
  const queues = topology.structure.memo.once(queueDigests, () => queueDigests(topology));
  const processes = new Map<string, ProcessDigest>();
  for (const p of topology.processes) processes.set(p.id, { binary: p.binary, pid: p.pid, host: p.host ?? state.memory.processHost(p.id), vhost: p.vhosts.length === 1 ? p.vhosts[0]! : null });
  const connections = new Map<string, ConnectionDigest>();
  for (const c of topology.connections) connections.set(c.name, { vhost: c.vhost, process: c.processId, peer: c.peerHost, connectedAt: c.connectedAt });
  const nodes = new Map(topology.nodes.map((n) => [n.name, { running: n.running, alarms: alarmsOf(n) }]));
  const policies = state.inputs.policies ? new Map(state.inputs.policies.map((p) => [refKey(p.vhost, p.name), { definition: describePolicy(p) }])) : null;
  const findings = new Map<string, FindingDigest>();
  for (const f of state.findings.open) findings.set(f.id, { rule: f.rule, title: f.title, host: f.host ?? null, subject: f.subject });
  return { at: state.at, identityKnown: state.identityAt !== null || topology.connections.length > 0, queues, processes, connections, nodes, policies, findings };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describePolicy(p: { pattern: string; applyTo: string; priority: number; definition: Record<string, unknown> }): string {
  return `${p.pattern} (${p.applyTo}, priority ${p.priority}): ${JSON.stringify(p.definition)}`;
}

function lived(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** What changed from `before` to `after`, in the order a reader would tell it: nodes, processes, connections, queues, consumers, policies, findings. */
export function journalBetween(before: TopologyDigest, after: TopologyDigest): JournalEntry[] {
  const at = after.at;
  const entries: JournalEntry[] = [];
  const base = { at, host: null, binary: null, process: null, vhost: null, queue: null, before: null, after: null };
  const processOf = (id: string | null) => (id === null ? undefined : (after.processes.get(id) ?? before.processes.get(id)));
  const describeProcess = (id: string | null) => {
    const p = processOf(id);
    return p ? { process: id, binary: p.binary, host: p.host } : { process: id, binary: null, host: null };
  };

  for (const [name, n] of after.nodes) {
    const was = before.nodes.get(name);
    if (!was) continue;
    if (was.running && !n.running) entries.push({ ...base, kind: 'node-down', subject: { type: 'node', name }, before: 'running', after: 'not running' });
    if (!was.running && n.running) entries.push({ ...base, kind: 'node-up', subject: { type: 'node', name }, before: 'not running', after: 'running' });
    for (const alarm of n.alarms)
      if (!was.alarms.includes(alarm)) entries.push({ ...base, kind: 'node-alarm', subject: { type: 'node', name }, before: null, after: `${alarm} alarm` });
    for (const alarm of was.alarms)
      if (!n.alarms.includes(alarm)) entries.push({ ...base, kind: 'node-alarm-cleared', subject: { type: 'node', name }, before: `${alarm} alarm`, after: null });
  }

  if (before.identityKnown && after.identityKnown) {
    for (const [id, p] of after.processes)
      if (!before.processes.has(id)) entries.push({ ...base, kind: 'process-appeared', subject: { type: 'process', id }, process: id, binary: p.binary, host: p.host, vhost: p.vhost, after: id });
    for (const [id, p] of before.processes)
      if (!after.processes.has(id)) entries.push({ ...base, kind: 'process-gone', subject: { type: 'process', id }, process: id, binary: p.binary, host: p.host, vhost: p.vhost, before: id });
    for (const [name, c] of after.connections)
      if (!before.connections.has(name))
        entries.push({ ...base, kind: 'connection-opened', subject: { type: 'connection', name }, ...describeProcess(c.process), vhost: c.vhost, after: `from ${c.peer}` });
    for (const [name, c] of before.connections)
      if (!after.connections.has(name))
        entries.push({
          ...base,
          kind: 'connection-closed',
          subject: { type: 'connection', name },
          ...describeProcess(c.process),
          vhost: c.vhost,
          before: `from ${c.peer}${c.connectedAt !== null ? `, open ${lived(at - c.connectedAt)}` : ''}`,
        });
  }

  const queuesChanged = before.queues !== after.queues;
  for (const [key, q] of queuesChanged ? after.queues : []) {
    if (before.queues.has(key)) continue;
    const { vhost, name } = splitRefKey(key);
    entries.push({ ...base, kind: 'queue-declared', subject: { type: 'queue', vhost, name }, vhost, queue: name, host: q.host, after: q.kind });
  }
  for (const [key, q] of queuesChanged ? before.queues : []) {
    if (after.queues.has(key)) continue;
    const { vhost, name } = splitRefKey(key);
    entries.push({ ...base, kind: 'queue-deleted', subject: { type: 'queue', vhost, name }, vhost, queue: name, host: q.host, before: q.kind });
  }

  if (before.identityKnown && after.identityKnown && queuesChanged) {
    for (const [key, q] of after.queues) {
      const was = before.queues.get(key)?.consumers ?? [];
      if (sameIds(was, q.consumers)) continue;
      const { vhost, name } = splitRefKey(key);
      const subject = { type: 'queue' as const, vhost, name };
      // Sets: a shared topic queue has a consumer per host, a thousand at 1000 hosts.
      const wasSet = new Set(was);
      const nowSet = new Set(q.consumers);
      for (const id of q.consumers)
        if (!wasSet.has(id)) entries.push({ ...base, kind: 'consumer-gained', subject, vhost, queue: name, ...describeProcess(id), host: q.host ?? processOf(id)?.host ?? null, after: id });
      for (const id of was)
        if (!nowSet.has(id)) entries.push({ ...base, kind: 'consumer-lost', subject, vhost, queue: name, ...describeProcess(id), host: q.host ?? processOf(id)?.host ?? null, before: id });
    }
    // A deleted queue's consumers went with it: said by its deletion.
  }

  if (before.policies && after.policies) {
    for (const [key, p] of after.policies) {
      const was = before.policies.get(key);
      if (was?.definition === p.definition) continue;
      const { vhost, name } = splitRefKey(key);
      entries.push({ ...base, kind: 'policy-changed', subject: { type: 'policy', vhost, name }, vhost, before: was?.definition ?? null, after: p.definition });
    }
    for (const [key, p] of before.policies) {
      if (after.policies.has(key)) continue;
      const { vhost, name } = splitRefKey(key);
      entries.push({ ...base, kind: 'policy-changed', subject: { type: 'policy', vhost, name }, vhost, before: p.definition, after: null });
    }
  }

  const aboutFinding = (id: string, f: FindingDigest) => {
    const s = f.subject;
    return {
      subject: { type: 'finding' as const, id, rule: f.rule, about: s },
      host: f.host,
      vhost: s.type === 'queue' ? s.vhost : s.type === 'process' ? (processOf(s.id)?.vhost ?? null) : s.type === 'connection' ? (after.connections.get(s.name) ?? before.connections.get(s.name))?.vhost ?? null : null,
      queue: s.type === 'queue' ? s.name : null,
      process: s.type === 'process' ? s.id : s.type === 'connection' ? s.processId : null,
    };
  };
  for (const [id, f] of after.findings) if (!before.findings.has(id)) entries.push({ ...base, kind: 'finding-raised', ...aboutFinding(id, f), after: f.title });
  for (const [id, f] of before.findings) if (!after.findings.has(id)) entries.push({ ...base, kind: 'finding-resolved', ...aboutFinding(id, f), before: f.title });
  return entries;
}

/** Entries shown as one line: alike (same kind, same binary), each within `windowMs` of the one before. */
export interface JournalGroup {
  /** 'reconnected': processes that went away and came back (with their connections and consumers). */
  kind: JournalKind | 'reconnected';
  binary: string | null;
  from: number;
  to: number;
  /** How many subjects: processes for 'reconnected', entries otherwise. */
  count: number;
  entries: JournalEntry[];
}

const FOLDED_INTO_RECONNECT: ReadonlySet<JournalKind> = new Set(['connection-closed', 'connection-opened', 'consumer-lost', 'consumer-gained', 'process-gone', 'process-appeared']);

/**
 * The journal as a reader takes it in, newest first: a thousand nova-computes reconnecting after a
 * broker restart is one line ("1000 nova-compute processes reconnected between 02:13:05 and
 * 02:13:44"), their closed and opened connections and lost and regained consumers within it.
 */
export function groupJournal(entries: readonly JournalEntry[], windowMs = 60_000): JournalGroup[] {
  const sorted = [...entries].sort((a, b) => a.at - b.at);
  const goneAt = new Map<string, number>();
  const back = new Set<string>();
  for (const e of sorted) {
    if (e.kind === 'process-gone' && e.process) goneAt.set(e.process, e.at);
    if (e.kind === 'process-appeared' && e.process && (goneAt.get(e.process) ?? -Infinity) >= e.at - windowMs) back.add(e.process);
  }
  const groups: JournalGroup[] = [];
  const open = new Map<string, JournalGroup>();
  for (const e of sorted) {
    const reconnect = e.process !== null && back.has(e.process) && FOLDED_INTO_RECONNECT.has(e.kind);
    const kind = reconnect ? 'reconnected' : e.kind;
    const key = `${kind}\u0000${e.binary ?? ''}`;
    let group = open.get(key);
    if (!group || e.at - group.to > windowMs) {
      group = { kind, binary: e.binary, from: e.at, to: e.at, count: 0, entries: [] };
      open.set(key, group);
      groups.push(group);
    }
    group.to = e.at;
    group.entries.push(e);
  }
  for (const g of groups) g.count = g.kind === 'reconnected' ? new Set(g.entries.map((e) => e.process)).size : g.entries.length;
  return groups.sort((a, b) => b.to - a.to || b.from - a.from);
}
