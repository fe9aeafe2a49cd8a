// A refresh's state built from inputs alone, for tests of what reads one (views, the flow
// picture, the API's answers): no history, and the findings and memory a test hands in.
import { MemorySnapshot, type OpenFinding, subjectKey } from '@/lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS, type Finding } from '@/lib/domain/findings/types';
import { type ClusterState, deriveState } from '@/lib/domain/state';
import { buildTopology } from '@/lib/domain/topology';
import type { BrokerInputs } from '@/lib/domain/types';

export function stateOf(inputs: BrokerInputs, o: { findings?: Finding[]; memory?: MemorySnapshot; at?: number } = {}): ClusterState {
  const findings: OpenFinding[] = (o.findings ?? []).map((f) => ({ ...f, isNew: false }));
  return deriveState({
    at: o.at ?? 0,
    topologyAt: null,
    identityAt: null,
    counts: null,
    inputs,
    topology: buildTopology(inputs),
    findings: { findings, resolved: [] },
    memory: o.memory ?? new MemorySnapshot(),
    thresholds: DEFAULT_THRESHOLDS,
    warnings: [],
    history: { global: [], queue: () => [] },
  });
}

/** A finding about a queue, as a rule would raise it. */
export function queueFinding(rule: Finding['rule'], vhost: string, name: string, severity: Finding['severity'] = 'warning'): Finding {
  return {
    id: `${rule}:${subjectKey({ type: 'queue', vhost, name })}`,
    rule,
    severity,
    since: 0,
    subject: { type: 'queue', vhost, name },
    title: `${rule} on ${name}`,
    explanation: '',
    evidence: {},
  };
}
