import 'server-only';
// From one reading of a source to the state of that refresh: the model is built, the
// reading joins the history, the rules run over it and the tracker keeps what they found
// and what it saw. What is remembered between refreshes lives here; the states it yields
// never change.
import { evaluateRules, FindingTracker } from '@/lib/domain/findings/engine';
import { historyReachMs, type EarlierRun, type Thresholds } from '@/lib/domain/findings/types';
import { type ClusterState, deriveState } from '@/lib/domain/state';
import { buildStructure, buildTopology, type TopologyStructure } from '@/lib/domain/topology';
import { History } from './history';
import type { CapturedReading, LiveReading } from './sources';

export class Diagnosis {
  private readonly history: History;
  private findings: FindingTracker;
  /** The last refresh's structure: kept by the next while the topology and who consumes are as they were. */
  private structure: TopologyStructure | null = null;

  constructor(
    private readonly thresholds: Readonly<Thresholds>,
    historySamples: number,
  ) {
    this.history = new History(historySamples);
    this.findings = new FindingTracker(thresholds.graceMs, thresholds.settleMs);
  }

  /** A live broker's reading: everything is judged anew, with what earlier refreshes saw. */
  observe(reading: LiveReading): ClusterState {
    this.structure = buildStructure(reading.inputs, this.structure);
    const topology = buildTopology(reading.inputs, this.structure);
    if (reading.brokerHistory) this.history.seedGlobal(reading.brokerHistory);
    this.history.record(topology, reading.at);
    const found = evaluateRules({
      topology,
      // Only what the rules judge: materialising every queue's whole ring costs more than the rules.
      queueHistory: (vhost, name) => this.history.queueSamples(vhost, name, reading.at - historyReachMs(this.thresholds)),
      thresholds: this.thresholds,
      now: reading.at,
      memory: this.findings.memory,
    });
    this.findings.update(found, reading.at, (vhost, name) => this.history.queueFirstSeen(vhost, name));
    this.findings.remember(topology, reading.at);
    return this.state(reading, topology);
  }

  /** What an earlier run left open (id → since, from the journal), and the services it saw. */
  recall({ openSince, servicesSeen }: EarlierRun): void {
    this.findings.recall(openSince, servicesSeen);
  }

  /** When a reading would confirm (or clear) a condition seen but not yet lasting its grace period; null when none waits. */
  confirmationDue(): number | null {
    return this.findings.confirmationDue();
  }

  /** An offline capture: its findings and memory as they were when it was taken, nothing judged again. */
  restore(reading: CapturedReading): ClusterState {
    const topology = buildTopology(reading.inputs);
    this.findings = FindingTracker.restore(reading.tracker);
    this.history.seedGlobal(reading.history);
    return this.state(reading, topology);
  }

  private state(reading: LiveReading | CapturedReading, topology: ReturnType<typeof buildTopology>): ClusterState {
    return deriveState({
      at: reading.at,
      topologyAt: reading.topologyAt,
      identityAt: reading.kind === 'live' ? reading.identityAt : null,
      counts: reading.kind === 'live' ? reading.counts : null,
      inputs: reading.inputs,
      topology,
      findings: this.findings.current(),
      memory: this.findings.memory,
      thresholds: this.thresholds,
      warnings: reading.warnings,
      history: this.history.viewAt(reading.at),
    });
  }
}
