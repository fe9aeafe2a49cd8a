// One counts-only refresh as the server does it between two topology reads: the same exchanges,
// bindings, queue metadata and consumers as the refresh before (the same arrays and objects, as
// lib/broker/broker-reader.ts hands them over), only the queues' counts changed. Timed whole
// (Diagnosis.observe, then the recorder's digest + journal and series) and, on a second
// Diagnosis-like pipeline made of the same calls, part by part.
import { evaluateRules, FindingTracker } from '../../lib/domain/findings/engine';
import { DEFAULT_THRESHOLDS, historyReachMs } from '../../lib/domain/findings/types';
import { digest, journalBetween, type TopologyDigest } from '../../lib/domain/journal';
import { seriesOf } from '../../lib/domain/series';
import { type ClusterState, deriveState } from '../../lib/domain/state';
import { buildStructure, buildTopology, type TopologyStructure } from '../../lib/domain/topology';
import type { BrokerInputs, MessageRates, QueueInput } from '../../lib/domain/types';
import { Diagnosis } from '../../lib/server/diagnosis';
import { History } from '../../lib/server/history';
import type { LiveReading } from '../../lib/server/sources';
import { median } from './stats';

export const COUNTS_PARTS = ['topology', 'history', 'rules', 'state', 'digest+journal', 'series'] as const;
export type CountsPart = (typeof COUNTS_PARTS)[number];

export interface CountsRefreshTiming {
  /** Per refresh, the whole pipeline (ms). */
  total: number[];
  /** Per part, per refresh (ms). */
  parts: Record<CountsPart, number[]>;
}

/** Deterministic pseudo-random numbers, so that before and after see the same refreshes. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The refreshes a counts-only cadence yields: each a new inputs object holding the topology's
 * arrays as they were, new queue objects (metadata as read, counts of this refresh: about one
 * queue in twenty moved by a few messages, as in a healthy cloud: no trend a rule would report), new lists of the same consumers, connections and channels. Rates
 * change every fifth refresh (the plugin's counters are read every 10 s).
 */
export function countsRefreshes(base: BrokerInputs): () => BrokerInputs {
  const next = random(19);
  const ready = base.queues.map((q) => q.messagesReady);
  let rates: MessageRates = { publish: 0.1, deliver: 0.1, ack: 0.1, redeliver: 0 };
  let n = 0;
  return () => {
    if (n++ % 5 === 0) rates = { publish: 0.1 + next(), deliver: 0.1 + next(), ack: 0.1, redeliver: 0 };
    const queues: QueueInput[] = base.queues.map((q, i) => {
      if (next() < 0.05 && q.messagesReady === 0) ready[i] = Math.floor(next() * 4);
      return {
        vhost: q.vhost,
        name: q.name,
        type: q.type,
        durable: q.durable,
        autoDelete: q.autoDelete,
        exclusive: q.exclusive,
        arguments: q.arguments,
        node: q.node,
        state: q.state,
        messagesReady: ready[i] ?? null,
        messagesUnacknowledged: 0,
        consumers: q.consumers,
        rates,
        idleSince: null,
      };
    });
    return { ...base, queues, consumers: [...base.consumers], connections: [...base.connections], channels: [...base.channels] };
  };
}

function reading(inputs: BrokerInputs, at: number): LiveReading {
  return { kind: 'live', inputs, warnings: [], at, topologyAt: null, identityAt: at, counts: { source: 'prometheus', why: 'a bench' }, brokerHistory: null, readMs: 0, topologyIntervalMs: 60_000 };
}

/** The whole pipeline through the server's own Diagnosis, then what the recorder computes before it writes. */
export function timeCountsRefresh(base: BrokerInputs, runs: number): number[] {
  const nextInputs = countsRefreshes(base);
  const diagnosis = new Diagnosis(DEFAULT_THRESHOLDS, 120);
  let at = Date.now();
  let last: TopologyDigest | null = null;
  const refresh = () => {
    const state = diagnosis.observe(reading(nextInputs(), (at += 2000)));
    const now = digest(state);
    if (last) journalBetween(last, now);
    seriesOf(state);
    last = now;
  };
  for (let i = 0; i < 30; i++) refresh(); // a minute of history, and the JIT warmed up; not counted
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    refresh();
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * The same pipeline part by part: the calls Diagnosis.observe makes (kept in step with
 * lib/server/diagnosis.ts), each timed.
 */
export function timeCountsParts(base: BrokerInputs, runs: number): CountsRefreshTiming {
  const nextInputs = countsRefreshes(base);
  const thresholds = DEFAULT_THRESHOLDS;
  const history = new History(120);
  const findings = new FindingTracker(thresholds.graceMs, thresholds.settleMs);
  let at = Date.now();
  let last: TopologyDigest | null = null;
  let structure: TopologyStructure | null = null;
  const parts = Object.fromEntries(COUNTS_PARTS.map((p) => [p, [] as number[]])) as Record<CountsPart, number[]>;
  const total: number[] = [];
  const refresh = (keep: boolean) => {
    const inputs = nextInputs();
    const now = (at += 2000);
    const t: number[] = [performance.now()];
    structure = buildStructure(inputs, structure);
    const topology = buildTopology(inputs, structure);
    t.push(performance.now());
    history.record(topology, now);
    t.push(performance.now());
    const found = evaluateRules({ topology, queueHistory: (vhost, name) => history.queueSamples(vhost, name, now - historyReachMs(thresholds)), thresholds, now, memory: findings.memory });
    findings.update(found, now, (vhost, name) => history.queueFirstSeen(vhost, name));
    findings.remember(topology, now);
    t.push(performance.now());
    const state: ClusterState = deriveState({
      at: now,
      topologyAt: null,
      identityAt: now,
      counts: { source: 'prometheus', why: 'a bench' },
      inputs,
      topology,
      findings: findings.current(),
      memory: findings.memory,
      thresholds,
      warnings: [],
      history: history.viewAt(now),
    });
    t.push(performance.now());
    const d = digest(state);
    if (last) journalBetween(last, d);
    last = d;
    t.push(performance.now());
    seriesOf(state);
    t.push(performance.now());
    if (!keep) return;
    COUNTS_PARTS.forEach((p, i) => parts[p].push(t[i + 1]! - t[i]!));
    total.push(t[t.length - 1]! - t[0]!);
  };
  for (let i = 0; i < 30; i++) refresh(false);
  for (let i = 0; i < runs; i++) refresh(true);
  return { total, parts };
}

export function printCountsRefresh(hosts: number, whole: number[], split: CountsRefreshTiming): void {
  console.log(`counts-only refresh at ${hosts} hosts (inputs → Diagnosis.observe → digest + journal, series), median of ${whole.length}:`);
  console.log(`  whole (Diagnosis.observe + recorder): ${median(whole).toFixed(1)} ms (runs ${whole.map((r) => r.toFixed(0)).join(', ')})`);
  console.log(`  part by part: ${median(split.total).toFixed(1)} ms = ${COUNTS_PARTS.map((p) => `${p} ${median(split.parts[p]).toFixed(1)}`).join(', ')}`);
}
