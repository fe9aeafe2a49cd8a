// What a request costs on the pages whose answers depend on one state alone (lib/api/answers.ts
// shares them per state: lib/domain/memo.ts): the answer and its JSON, on a state no request
// has read yet (cold: what every request cost before they were shared) and on one already read
// (warm). Each run is a new refresh's state, built as the server builds it (lib/server/diagnosis.ts).
import { flowResponse, hostDetailResponse, servicesResponse, upgradeResponse } from '../../lib/api/answers';
import type { ActionStatus, SnapshotStatus } from '../../lib/api/schemas';
import { DEFAULT_THRESHOLDS } from '../../lib/domain/findings/types';
import type { ClusterState } from '../../lib/domain/state';
import type { BrokerInputs } from '../../lib/domain/types';
import { Diagnosis } from '../../lib/server/diagnosis';
import { median } from './stats';

export interface AnswerTiming {
  request: string;
  /** Per state, the first request's time (ms). */
  cold: number[];
  /** The requests after it on the same state (ms). */
  warm: number[];
  bytes: number;
}

const status: SnapshotStatus = { fetchedAt: 0, stale: false, refreshing: false, error: null, refreshIntervalMs: 2000 };
const probe: ActionStatus = { enabled: false, reason: 'a bench' };

/** The requests timed: what the pages ask, on hosts and topics this cloud has. */
function requests(state: ClusterState): { request: string; answer: (s: ClusterState) => unknown }[] {
  const services = state.services;
  const host = (services.find((r) => r.status !== 'ok') ?? services[0])?.host ?? 'none';
  const topicOf = (component: string) => state.topology.topics.find((t) => t.component === component && t.serverQueues.length > 1);
  const flows = ['nova', 'neutron'].flatMap((c) => {
    const t = topicOf(c);
    return t ? [{ component: c, topic: t.name, vhost: t.vhost }] : [];
  });
  return [
    { request: '/services (25 a group)', answer: (s) => servicesResponse(s, status, { limitPerGroup: 25 }, probe) },
    { request: '/services?q=… (typing a host)', answer: (s) => servicesResponse(s, status, { limitPerGroup: 25, q: host.slice(0, -1) }, probe) },
    { request: '/services?status=trouble', answer: (s) => servicesResponse(s, status, { limitPerGroup: 25, status: 'trouble' }, probe) },
    { request: `/hosts/${host}`, answer: (s) => hostDetailResponse(s, status, host) },
    ...flows.flatMap((f) => [
      { request: `/flow ${f.component}/${f.topic}`, answer: (s: ClusterState) => flowResponse(s, status, f.component, { topic: f.topic, vhost: f.vhost, expand: new Set() }) },
      {
        request: `/flow ${f.component}/${f.topic} expand=server:healthy`,
        answer: (s: ClusterState) => flowResponse(s, status, f.component, { topic: f.topic, vhost: f.vhost, expand: new Set(['server:healthy']) }),
      },
    ]),
    { request: '/upgrade', answer: (s) => upgradeResponse(s, status) },
  ];
}

export function timeAnswers(inputs: BrokerInputs, states: number, warmRuns = 5): AnswerTiming[] {
  const diagnosis = new Diagnosis(DEFAULT_THRESHOLDS, 120);
  let at = Date.now();
  const refresh = () =>
    diagnosis.observe({ kind: 'live', inputs, warnings: [], at: (at += 5000), topologyAt: null, identityAt: null, counts: { source: 'management', why: 'a bench' }, brokerHistory: null, readMs: 0, topologyIntervalMs: 60_000 });
  for (let i = 0; i < 12; i++) refresh(); // a minute of history for the rules
  const list = requests(refresh());
  for (const r of list) JSON.stringify(r.answer(refresh())); // the JIT warmed up; not counted
  const timings: AnswerTiming[] = list.map((r) => ({ request: r.request, cold: [], warm: [], bytes: 0 }));
  const timed = (f: () => unknown) => {
    const t = performance.now();
    const bytes = JSON.stringify(f()).length;
    return { ms: performance.now() - t, bytes };
  };
  for (let i = 0; i < states; i++) {
    const state = refresh();
    list.forEach((r, j) => {
      const t = timings[j]!;
      const cold = timed(() => r.answer(state));
      t.cold.push(cold.ms);
      t.bytes = cold.bytes;
      for (let k = 0; k < warmRuns; k++) t.warm.push(timed(() => r.answer(state)).ms);
    });
  }
  return timings;
}

export function printAnswers(timings: AnswerTiming[]): void {
  console.log('answers shared per state (answer + JSON.stringify; target ≤ 20 ms warm at 1000 hosts):');
  console.log(`  ${'request'.padEnd(70)} ${'cold (before)'.padStart(22)} ${'warm'.padStart(22)}   JSON`);
  const ms = (xs: number[]) => `${median(xs).toFixed(1).padStart(6)} (max ${Math.max(...xs).toFixed(1).padStart(6)})`;
  for (const t of timings) console.log(`  ${t.request.padEnd(70)} ${ms(t.cold).padStart(22)} ${ms(t.warm).padStart(22)}   ${(t.bytes / 1024).toFixed(1)} kB`);
  console.log('  cold: the first request on a refresh\'s state, which computes what it shares (before: every request); warm: the ones after it. Median (max) in ms.');
}
