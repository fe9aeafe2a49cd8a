// The dashboard's own refresh, in this process: lib/broker's readBroker (axios, zod,
// mappers) with no known topology, i.e. a refresh that re-reads the topology too,
// then lib/domain's buildTopology. Also the CPU parts on answers already fetched.
// Needs the react-server condition (package.json's bench script gives it) for 'server-only'.
import { ManagementClient } from '../../lib/broker/management-client';
import { mapBinding, mapChannel, mapConnection, mapConsumer, mapExchange, mapQueue } from '../../lib/broker/mappers';
import { readBroker, readTopology, type TopologyRead } from '../../lib/broker/read-broker';
import { Session } from 'node:inspector/promises';
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
import { buildTopology } from '../../lib/domain/topology';
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
      const file = f.url.replace(/^.*\/(lib|node_modules)\//, '$1/');
      const key = `${f.functionName || '(anonymous)'}\u0000${file}:${f.lineNumber + 1}`;
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

export interface CpuPart {
  list: string;
  items: number;
  parseMs: number;
  mapMs: number;
}

type Item = Record<string, unknown>;
const SCHEMAS: Record<string, { schema: z.ZodType; paged: boolean; map?: (x: never) => unknown }> = {
  vhosts: { schema: vhostResponse.array(), paged: false },
  exchanges: { schema: pagedResponse(exchangeResponse), paged: true, map: mapExchange },
  bindings: { schema: bindingResponse.array(), paged: false, map: mapBinding },
  'queues (metadata)': { schema: pagedResponse(queueResponse), paged: true },
  overview: { schema: overviewResponse, paged: false },
  nodes: { schema: nodeResponse.array(), paged: false },
  'queues (counts)': { schema: pagedResponse(queueResponse), paged: true, map: (q: z.infer<typeof queueResponse>) => mapQueue(q, true) },
  consumers: { schema: consumerResponse.array(), paged: false, map: mapConsumer },
  connections: { schema: pagedResponse(connectionResponse), paged: true, map: mapConnection },
  channels: { schema: pagedResponse(channelResponse), paged: true, map: (c: z.infer<typeof channelResponse>) => mapChannel(c, true) },
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
    for (let r = 0; r < runs; r++) {
      let parsed: unknown[] = [];
      const t0 = performance.now();
      for (const answer of l.answers) parsed.push(spec.schema.parse(answer));
      const t1 = performance.now();
      const flat: Item[] = spec.paged ? parsed.flatMap((p) => (p as { items: Item[] }).items) : Array.isArray(parsed[0]) ? (parsed[0] as Item[]) : [];
      items = spec.paged || Array.isArray(parsed[0]) ? flat.length : 1;
      if (spec.map) for (const x of flat) (spec.map as (x: Item) => unknown)(x);
      const t2 = performance.now();
      parseTimes.push(t1 - t0);
      mapTimes.push(t2 - t1);
      parsed = [];
    }
    return { list: l.list, items, parseMs: median(parseTimes), mapMs: spec.map ? median(mapTimes) : 0 };
  });
}
