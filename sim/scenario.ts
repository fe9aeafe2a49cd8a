// A scenario: which hosts run which OpenStack services, how oslo.messaging is configured
// (the layout) and how much traffic flows. Validated with zod; every field has a default.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CONTROL_EXCHANGES, SERVICE_BINARIES, type Project } from './services';

const loopback = z
  .string()
  .regex(/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'a 127.x.y.z loopback address')
  .refine((a) => a.split('.').every((p) => Number(p) <= 255), 'octets must be 0-255');

export const HostSchema = z.object({
  name: z.string().min(1).regex(/^[A-Za-z0-9._@#-]+$/, 'a host name (letters, digits, . _ @ # -)'),
  address: loopback.optional(),
  services: z.array(z.enum(SERVICE_BINARIES as [string, ...string[]])).min(1),
});

export const LayoutSchema = z
  .object({
    /** Pre-Train (oslo.messaging < 10): replies through a `reply_<hex>` direct exchange bound to the reply queue. */
    legacyReplyExchanges: z.boolean().default(false),
    /** rabbit_quorum_queue: topic and server queues (and notification queues) are quorum and durable; control exchanges durable. */
    quorumQueues: z.boolean().default(false),
    /** rabbit_transient_quorum_queue: reply and fanout queues are quorum and durable. */
    transientQuorumQueues: z.boolean().default(false),
    /** use_queue_manager: reply_<host>:<binary>:<n> and <topic>_fanout_<host>:<binary>:<n>. */
    useQueueManager: z.boolean().default(false),
    /** rabbit_stream_fanout: one stream queue `<topic>_fanout` per topic. Needs transientQuorumQueues and prefetchCount > 0, like oslo. */
    streamFanout: z.boolean().default(false),
    /** rabbit_transient_queues_ttl, seconds (x-expires / stream x-max-age); 0 disables. */
    transientQueuesTtl: z.number().int().min(0).default(1800),
    /** rabbit_qos_prefetch_count; 0 = no basic.qos. */
    prefetchCount: z.number().int().min(0).default(0),
  })
  .superRefine((l, ctx) => {
    if (l.streamFanout && !l.transientQuorumQueues) {
      ctx.addIssue({ code: 'custom', message: 'streamFanout needs transientQuorumQueues (oslo: rabbit_stream_fanout need rabbit_transient_quorum_queue)' });
    }
    if (l.streamFanout && l.prefetchCount <= 0) {
      ctx.addIssue({ code: 'custom', message: 'streamFanout needs prefetchCount > 0 (oslo: rabbit_stream_fanout need rabbit_qos_prefetch_count)' });
    }
  });

export const TrafficSchema = z.object({
  /** RPC calls per second over the whole cloud. */
  callsPerSecond: z.number().min(0).default(1),
  castsPerSecond: z.number().min(0).default(0.5),
  fanoutCastsPerSecond: z.number().min(0).default(0.1),
  notificationsPerSecond: z.number().min(0).default(1),
  /** A ceilometer-like agent consumes the notification queues. */
  notificationConsumer: z.boolean().default(true),
  /** Call timeout (rpc_response_timeout), seconds. */
  callTimeout: z.number().positive().default(60),
});

export const ScenarioSchema = z
  .object({
    name: z.string().default('scenario'),
    vhost: z.string().min(1).default('/'),
    layout: LayoutSchema.prefault({}),
    /** Override a project's control exchange (a deployment may). */
    controlExchanges: z.partialRecord(z.enum(Object.keys(CONTROL_EXCHANGES) as [Project, ...Project[]]), z.string().min(1)).default({}),
    hosts: z.array(HostSchema).default([]),
    controllers: z.array(HostSchema).default([]),
    traffic: TrafficSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    // Sets, not indexOf: a scale scenario has thousands of hosts
    const firstRepeat = (items: string[]) => {
      const seen = new Set<string>();
      return items.find((x) => (seen.has(x) ? true : (seen.add(x), false)));
    };
    const dup = firstRepeat([...s.hosts, ...s.controllers].map((h) => h.name));
    if (dup) ctx.addIssue({ code: 'custom', message: `host ${dup} is listed twice`, path: ['hosts'] });
    const dupAddr = firstRepeat(resolveHosts(s).map((h) => h.address));
    if (dupAddr) ctx.addIssue({ code: 'custom', message: `address ${dupAddr} is used by two hosts`, path: ['hosts'] });
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Layout = z.output<typeof LayoutSchema>;
export type HostConfig = z.output<typeof HostSchema>;

export interface ResolvedHost {
  name: string;
  address: string;
  role: 'host' | 'controller';
  services: string[];
}

/** Default addresses: hosts[i] → 127.0.1.(i+1), controllers[i] → 127.0.2.(i+1); past 254, the next odd/even third octet. */
export function defaultAddress(role: 'host' | 'controller', index: number): string {
  const base = role === 'host' ? 1 : 2;
  const third = base + 2 * Math.floor(index / 254);
  return `127.0.${third}.${(index % 254) + 1}`;
}

export function resolveHosts(s: Pick<Scenario, 'hosts' | 'controllers'>): ResolvedHost[] {
  return [
    ...s.hosts.map((h, i) => ({ name: h.name, address: h.address ?? defaultAddress('host', i), role: 'host' as const, services: h.services })),
    ...s.controllers.map((h, i) => ({ name: h.name, address: h.address ?? defaultAddress('controller', i), role: 'controller' as const, services: h.services })),
  ];
}

export function controlExchange(s: Pick<Scenario, 'controlExchanges'>, project: Project): string {
  return s.controlExchanges[project] ?? CONTROL_EXCHANGES[project];
}

export function parseScenario(input: unknown): Scenario {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) throw new Error(`invalid scenario: ${z.prettifyError(r.error)}`);
  return r.data;
}

export async function loadScenario(file: string): Promise<Scenario> {
  return parseScenario(JSON.parse(await readFile(file, 'utf8')));
}
