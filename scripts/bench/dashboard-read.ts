// The dashboard's own refresh, in this process: lib/broker's readBroker (axios, zod,
// mappers) with no known topology, i.e. a refresh that re-reads the topology too,
// then lib/domain's buildTopology. Also the CPU parts on answers already fetched.
// Needs the react-server condition (package.json's bench script gives it) for 'server-only'.
import { ManagementClient } from '../../lib/broker/management-client';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapQueue } from '../../lib/broker/mappers';
import { readBroker, readTopology, type TopologyRead } from '../../lib/broker/read-broker';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import {
  bindingResponse,
  channelResponse,
  connectionResponse,
  consumerResponse,
  exchangeResponse,
  nodeResponse,
  overviewResponse,
  pagedResponse,
  queueResponse,
  vhostResponse,
} from '../../lib/broker/schemas';
import type { BrokerInputs } from '../../lib/domain/types';
import { DEFAULT_THRESHOLDS } from '../../lib/domain/findings/types';
import { buildTopology } from '../../lib/domain/topology';
import { Diagnosis } from '../../lib/server/diagnosis';
import type { z } from 'zod';
import type { Broker, RawList } from './floor';
import { median } from './stats';

export interface DashboardRun {
  ms: number;
  fetchMs: number;
  buildMs: number;
  inputs: BrokerInputs;
}

export function dashboardClient(broker: Broker): ManagementClient {
  return new ManagementClient({ baseUrl: broker.url, username: broker.username, password: broker.password, timeoutMs: 120_000 });
}

export async function dashboardRefresh(client: ManagementClient): Promise<DashboardRun> {
  const t0 = performance.now();
  const read = await readBroker(client);
  const t1 = performance.now();
  buildTopology(read.inputs);
  const t2 = performance.now();
  return { ms: t2 - t0, fetchMs: t1 - t0, buildMs: t2 - t1, inputs: read.inputs };
}

/** A refresh on the fast cadence: the topology is given, only the counts are read (then the build). */
export async function dashboardCountsRefresh(client: ManagementClient, known: TopologyRead): Promise<Omit<DashboardRun, 'inputs'>> {
  const t0 = performance.now();
  const read = await readBroker(client, known);
  const t1 = performance.now();
  buildTopology(read.inputs);
  const t2 = performance.now();
  return { ms: t2 - t0, fetchMs: t1 - t0, buildMs: t2 - t1 };
}

export function topologyOf(client: ManagementClient): Promise<TopologyRead> {
  return readTopology(client);
}

export interface HotSpot {
  fn: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Where buildTopology spends its time: V8's sampling profiler over `runs` builds, self time per function. */
export async function profileBuild(inputs: BrokerInputs, runs = 5): Promise<HotSpot[]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let i = 0; i < runs; i++) buildTopology(inputs);
    const { profile } = await session.post('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const node = byId.get(id);
      if (!node) return;
      const f = node.callFrame;
      // tsx hands V8 minified code: map the position back through its source map (--enable-source-maps)
      let where = `${f.url}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      try {
        const entry = (f.url ? findSourceMap(f.url)?.findEntry(f.lineNumber, f.columnNumber) : undefined) as
          | { originalSource?: string; originalLine?: number }
          | undefined;
        if (entry?.originalSource !== undefined && entry.originalLine !== undefined) where = `${entry.originalSource}:${entry.originalLine + 1}`;
      } catch {
        /* no map: keep the generated position */
      }
      const key = `${f.functionName || '(anonymous)'}\u0000${where.replace(/^.*\/(lib|node_modules|scripts)\//, '$1/')}`;
      self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    return [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => {
        const [fn, where] = k.split('\u0000') as [string, string];
        return { fn, where, selfMs: v / runs, share: v / total };
      });
  } finally {
    session.disconnect();
  }
}

export function buildAlone(inputs: BrokerInputs, runs: number): { median: number; runs: number[] } {
  buildTopology(inputs); // warm up the JIT once, not counted
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    buildTopology(inputs);
    times.push(performance.now() - t);
  }
  return { median: median(times), runs: times };
}

/**
 * A whole refresh's state from inputs already read: the model, the history, the rules, the
 * health of every queue and the service list (lib/server/diagnosis.ts), as each refresh does it,
 * refreshes 5 s apart; timed once a minute of history is there for the rules to judge.
 */
export function stateAlone(inputs: BrokerInputs, runs: number): { median: number; runs: number[] } {
  const diagnosis = new Diagnosis(DEFAULT_THRESHOLDS, 120);
  let at = Date.now();
  const observe = () => diagnosis.observe({ kind: 'live', inputs, warnings: [], at: (at += 5000), topologyAt: null, identityAt: null, counts: { source: 'management', why: 'a bench' }, brokerHistory: null, readMs: 0, topologyIntervalMs: 60_000 });
  for (let i = 0; i < 12; i++) observe(); // a minute of history, and the JIT warmed up; not counted
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    observe();
    times.push(performance.now() - t);
  }
  return { median: median(times), runs: times };
}

export interface CpuPart {
  list: string;
  items: number;
  parseMs: number;
  mapMs: number;
}

type Item = Record<string, unknown>;
/** Item schema per list; an answer is a page ({items}) or the whole list (an array), as lib/broker asked for it. */
const SCHEMAS: Record<string, { item: z.ZodType; single?: boolean; map?: (x: never) => unknown }> = {
  vhosts: { item: vhostResponse },
  exchanges: { item: exchangeResponse, map: mapExchange },
  bindings: { item: bindingResponse, map: mapBinding },
  'queues (metadata)': { item: queueResponse },
  overview: { item: overviewResponse, single: true },
  nodes: { item: nodeResponse },
  'queues (counts)': { item: queueResponse, map: (q: z.infer<typeof queueResponse>) => mapQueue(q, true) },
  consumers: { item: consumerResponse, map: mapConsumer },
  connections: { item: connectionResponse, map: mapConnection },
  channels: { item: channelResponse, map: (c: z.infer<typeof channelResponse>) => mapChannel(c, true) },
};

/**
 * What lib/broker spends in CPU per list on top of the floor: zod's safeParse of each
 * answer and the mapping into domain inputs (median of `runs`). These run on the one
 * event loop as answers arrive, so they add to the refresh wherever they cannot hide
 * behind a slower request.
 */
export function cpuParts(lists: RawList[], runs = 5): CpuPart[] {
  return lists.map((l) => {
    const spec = SCHEMAS[l.list];
    if (!spec) return { list: l.list, items: 0, parseMs: Number.NaN, mapMs: Number.NaN };
    const parseTimes: number[] = [];
    const mapTimes: number[] = [];
    let items = 0;
    const schemas = l.answers.map((a) => (spec.single ? spec.item : Array.isArray(a) ? spec.item.array() : pagedResponse(spec.item)));
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const parsed = l.answers.map((answer, i) => schemas[i]!.parse(answer));
      const t1 = performance.now();
      const flat: Item[] = spec.single ? [] : parsed.flatMap((p) => (Array.isArray(p) ? (p as Item[]) : (p as { items: Item[] }).items));
      items = spec.single ? 1 : flat.length;
      if (spec.map) for (const x of flat) (spec.map as (x: Item) => unknown)(x);
      const t2 = performance.now();
      parseTimes.push(t1 - t0);
      mapTimes.push(t2 - t1);
    }
    return { list: l.list, items, parseMs: median(parseTimes), mapMs: spec.map ? median(mapTimes) : 0 };
  });
}
