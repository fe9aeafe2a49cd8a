// A cloud of the size of a real one, for benchmarks: N compute hosts, each running nova-compute
// and neutron-openvswitch-agent (two processes, so two AMQP connections from the host's own
// loopback address), plus controllers running nova-conductor, nova-scheduler, neutron-server
// and cinder-scheduler, and a ceilometer-like notification agent. Same SimProcess and service
// catalog as every other scenario; only the size and the parallel start-up differ.
//
// Per compute host (oslo.messaging defaults):
//   nova-compute               consumes compute, compute.<host>, compute_fanout_<hex>, reply_<hex>
//   neutron-openvswitch-agent  consumes, for each of q-agent-notifier-port-update, -network-delete,
//                              -security_group-update and -tunnel-update: <topic>, <topic>.<host>,
//                              <topic>_fanout_<hex>; plus reply_<hex>
// = 12 queues of its own, 2 connections, 17 consumers; the shared queues exist once.
import { startCloud, type CloudHandle } from './cloud';
import type { Logger } from './process';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario';

export const CONTROLLER_SERVICES = ['nova-conductor', 'nova-scheduler', 'neutron-server', 'cinder-scheduler'] as const;
export const COMPUTE_SERVICES = ['nova-compute', 'neutron-openvswitch-agent'] as const;

/** At most 254 × 256 compute hosts fit in 127.1.0.0/16. */
export const MAX_SCALE_HOSTS = 254 * 256;

export interface ScaleCloudOptions {
  /** AMQP URL; the vhost is `vhost`, else the URL's path, else `/`. */
  amqpUrl: string;
  vhost?: string;
  /** Compute hosts. */
  hosts: number;
  /** Controller hosts, each running CONTROLLER_SERVICES (default 3). */
  controllers?: number;
  /** Processes connecting and declaring at once (default 64). */
  concurrency?: number;
  /** Processes closing at once in stop() (default 64). */
  stopConcurrency?: number;
  /** Gentle traffic, a few messages per second over the whole cloud (default false: none). */
  traffic?: boolean;
  /** Progress (every `progressEvery` processes), the final line, and any process's errors. */
  log?: Logger;
  /** Default 500. */
  progressEvery?: number;
  /** oslo.messaging options, as in a scenario (default: oslo's defaults). */
  layout?: ScenarioInput['layout'];
  /** Aborting it stops the start-up and closes whatever started. */
  signal?: AbortSignal;
}

export interface ScaleCounts {
  hosts: number;
  controllers: number;
  /** Processes = AMQP connections the simulator holds. */
  processes: number;
  connections: number;
  /** Distinct queues the processes consume (shared queues once). */
  queues: number;
  consumers: number;
}

export interface ScaleCloudHandle extends CloudHandle {
  /** What the simulator holds right now (open connections, their queues and consumers). */
  counts(): ScaleCounts;
  /** Milliseconds from the call to the cloud being up. */
  readonly startupMs: number;
}

/** `compute0001`, `compute0002`, ... (at least 4 digits, more when there are more hosts). */
export function computeName(index: number, hosts: number): string {
  return `compute${String(index + 1).padStart(Math.max(4, String(hosts).length), '0')}`;
}

export function controllerName(index: number): string {
  return `controller${String(index + 1).padStart(2, '0')}`;
}

/** Compute host i → 127.1.(i / 254).(i % 254 + 1): one loopback address per host. */
export function computeAddress(index: number): string {
  return `127.1.${Math.floor(index / 254)}.${(index % 254) + 1}`;
}

/** Controller i → 127.2.(i / 254).(i % 254 + 1). */
export function controllerAddress(index: number): string {
  return `127.2.${Math.floor(index / 254)}.${(index % 254) + 1}`;
}

/** The scenario behind a scale cloud. Traffic, when on, stays at a few messages per second. */
export function scaleScenario(opts: Pick<ScaleCloudOptions, 'hosts' | 'controllers' | 'traffic' | 'layout' | 'vhost'>): Scenario {
  const hosts = opts.hosts;
  const controllers = opts.controllers ?? 3;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_SCALE_HOSTS) throw new Error(`hosts must be an integer from 1 to ${MAX_SCALE_HOSTS}, got ${hosts}`);
  if (!Number.isInteger(controllers) || controllers < 1 || controllers > 254) throw new Error(`controllers must be an integer from 1 to 254, got ${controllers}`);
  const traffic = opts.traffic ?? false;
  return parseScenario({
    name: `scale-${hosts}`,
    vhost: opts.vhost ?? '/',
    layout: opts.layout ?? {},
    hosts: Array.from({ length: hosts }, (_, i) => ({ name: computeName(i, hosts), address: computeAddress(i), services: [...COMPUTE_SERVICES] })),
    controllers: Array.from({ length: controllers }, (_, i) => ({ name: controllerName(i), address: controllerAddress(i), services: [...CONTROLLER_SERVICES] })),
    traffic: {
      // about 3 messages a second in all; a fanout cast reaches every agent (one message per host)
      callsPerSecond: traffic ? 1 : 0,
      castsPerSecond: traffic ? 0.5 : 0,
      fanoutCastsPerSecond: traffic ? 0.02 : 0,
      notificationsPerSecond: traffic ? 1 : 0,
      notificationConsumer: true,
    },
  });
}

/** Counts from the processes' own view (what they declared and consume). */
export function countsOf(cloud: CloudHandle, hosts: number, controllers: number): ScaleCounts {
  const open = cloud.processes.filter((p) => !p.isClosed);
  const queues = new Set<string>();
  let consumers = 0;
  for (const p of open) {
    const consuming = Object.keys(p.info().consuming);
    consumers += consuming.length;
    for (const q of consuming) queues.add(q);
  }
  return { hosts, controllers, processes: cloud.processes.length, connections: open.length, queues: queues.size, consumers };
}

export async function startScaleCloud(options: ScaleCloudOptions): Promise<ScaleCloudHandle> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const controllers = options.controllers ?? 3;
  const every = Math.max(1, options.progressEvery ?? 500);
  const scenario = scaleScenario({ ...options, controllers });
  const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

  const cloud = await startCloud(scenario, {
    amqpUrl: options.amqpUrl,
    ...(options.vhost !== undefined ? { vhost: options.vhost } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    concurrency: options.concurrency ?? 64,
    stopConcurrency: options.stopConcurrency ?? 64,
    traffic: options.traffic ?? false,
    // one line per process is too many here; errors and warnings still go through
    log: (line) => {
      if (!line.startsWith('started ')) log(line);
    },
    onProgress: (started, total) => {
      if (started % every === 0 || started === total) log(`started ${started}/${total} processes in ${seconds()} s`);
    },
  });
  const startupMs = performance.now() - t0;
  const handle: ScaleCloudHandle = Object.assign(Object.create(cloud) as CloudHandle, {
    counts: () => countsOf(cloud, options.hosts, controllers),
    startupMs,
  });
  const c = handle.counts();
  log(
    `scale cloud up in vhost ${cloud.vhost}: ${c.hosts} hosts + ${c.controllers} controllers, ${c.connections} connections, ` +
      `${c.queues} queues, ${c.consumers} consumers in ${(startupMs / 1000).toFixed(1)} s`,
  );
  return handle;
}
