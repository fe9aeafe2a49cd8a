// What happens to each new snapshot: it joins the history, the rules run over
// it, and the tracker keeps what they found and what it saw.
import { evaluateRules, FindingTracker } from '@/lib/domain/findings/engine';
import type { Thresholds } from '@/lib/domain/findings/types';
import type { Topology } from '@/lib/domain/types';
import { History } from './history';

export class Diagnosis {
  readonly history: History;
  readonly findings: FindingTracker;

  constructor(
    readonly thresholds: Thresholds,
    historySamples: number,
  ) {
    this.history = new History(historySamples);
    this.findings = new FindingTracker(thresholds.graceMs);
  }

  observe(topology: Topology, at: number): void {
    this.history.record(topology, at);
    const found = evaluateRules({
      topology,
      queueHistory: (vhost, name) => this.history.queueSamples(vhost, name),
      thresholds: this.thresholds,
      now: at,
      memory: this.findings,
    });
    this.findings.update(found, at);
    this.findings.remember(topology);
  }
}
