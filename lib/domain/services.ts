// The message-bus service list: for every RPC topic, one row per host, like
// `openstack compute service list` seen from the broker.
import type { Finding, Memory } from './findings/types';
import { serverQueueProcesses } from './findings/service-processes';
import type { Backlog, MessageRates, Process, Topology } from './types';

export type ServiceStatus = 'ok' | 'not-consuming' | 'stuck' | 'down' | 'backlog';

export interface ServiceProcessRef {
  id: string;
  binary: string | null;
  pid: number | null;
}

export interface ServiceRow {
  vhost: string;
  component: string | null;
  /** Control exchange to send a probe through. */
  exchange: string | null;
  topic: string;
  host: string;
  /** The RPC server name (`<topic>.<server>`), e.g. `storage01@lvm`. */
  server: string;
  serverQueue: string;
  consumers: number;
  /** Consuming the per-server queue now. */
  processes: ServiceProcessRef[];
  /** Still connected although not consuming it (the "up but does nothing" case). */
  idleProcesses: ServiceProcessRef[];
  fanoutQueue: string | null;
  backlog: Backlog;
  rates: MessageRates | null;
  /** The broker's idle_since for the per-server queue; null while it is busy. */
  idleSince: string | null;
  status: ServiceStatus;
  /** Why, in a few words. */
  statusReason: string;
  findingIds: string[];
}

const ref = (p: Process): ServiceProcessRef => ({ id: p.id, binary: p.binary, pid: p.pid });

/** One row per per-server queue, with a status read from the findings about it. */
export function buildServiceRows(topology: Topology, findings: Finding[], memory: Memory): ServiceRow[] {
  const processById = new Map(topology.processes.map((p) => [p.id, p]));
  const findingsByQueue = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.subject.type !== 'queue') continue;
    const key = `${f.subject.vhost}\u0000${f.subject.name}`;
    findingsByQueue.set(key, [...(findingsByQueue.get(key) ?? []), f]);
  }
  const fanoutByProcess = new Map<string, string[]>();
  for (const q of topology.queues) {
    if (q.kind !== 'rpc-fanout') continue;
    for (const id of q.processIds) fanoutByProcess.set(id, [...(fanoutByProcess.get(id) ?? []), q.name]);
  }

  return topology.queues
    .filter((q) => q.kind === 'rpc-server' && q.topic && q.server)
    .map((q): ServiceRow => {
      const { consuming, idle } = serverQueueProcesses(topology, memory, q, processById);
      const related = findingsByQueue.get(`${q.vhost}\u0000${q.name}`) ?? [];
      const has = (rule: Finding['rule']) => related.find((f) => f.rule === rule);
      const fanoutQueue =
        [...consuming, ...idle].flatMap((p) => fanoutByProcess.get(p.id) ?? []).find((name) => name.startsWith(`${q.topic}_fanout`)) ?? null;
      let status: ServiceStatus = 'ok';
      let statusReason = `consumed by ${consuming.length === 1 ? consuming[0]?.binary ?? 'one process' : `${consuming.length} processes`}`;
      if (has('rpc-server-unconsumed')) {
        status = idle.length > 0 ? 'not-consuming' : 'down';
        statusReason = idle.length > 0 ? `${idle[0]?.binary ?? 'its process'} is connected but does not consume` : 'no process consumes it';
      } else if (has('consumer-stuck')) {
        status = 'stuck';
        statusReason = 'takes messages, acknowledges none';
      } else if (has('backlog-growing')) {
        status = 'backlog';
        statusReason = 'ready messages growing';
      }
      return {
        vhost: q.vhost,
        component: q.component,
        exchange: q.component,
        topic: q.topic!,
        host: q.host ?? q.server!,
        server: q.server!,
        serverQueue: q.name,
        consumers: q.consumers ?? 0,
        processes: consuming.map(ref),
        idleProcesses: idle.map(ref),
        fanoutQueue,
        backlog: { ready: q.messagesReady ?? 0, unacknowledged: q.messagesUnacknowledged ?? 0 },
        rates: q.rates,
        idleSince: q.idleSince,
        status,
        statusReason,
        findingIds: related.map((f) => f.id),
      };
    })
    .sort((a, b) => (a.component ?? '').localeCompare(b.component ?? '') || a.topic.localeCompare(b.topic) || a.host.localeCompare(b.host) || a.vhost.localeCompare(b.vhost));
}
