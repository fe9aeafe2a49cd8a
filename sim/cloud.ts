// A living simulated cloud: one SimProcess per (host, service) of the scenario, plus a
// ceilometer-like notification agent, and traffic timers that make them talk.
import type { JsonObject, JsonValue, NotificationPriority } from '@/lib/oslo/envelope';
import { SimProcess, type CallOptions, type Logger, type ProcessInfo } from './process';
import { controlExchange, resolveHosts, type ResolvedHost, type Scenario } from './scenario';
import { NOTIFICATION_AGENT_BINARY, serviceSpec, type Project, type RequestSpecTemplate, type ServiceSpec } from './services';

export interface CloudOptions {
  /** AMQP URL. The vhost is options.vhost, else the URL's path, else scenario.vhost. */
  amqpUrl: string;
  vhost?: string;
  log?: Logger;
  /** Start the traffic timers right away (default true). */
  traffic?: boolean;
  /** Random source for traffic and pids (default Math.random). */
  random?: () => number;
  /**
   * How many processes connect and declare at once (default 1: one after another). Controllers
   * still all start before the hosts. `processes` keeps the scenario's order whatever this is.
   */
  concurrency?: number;
  /** Called each time a process is up, with how many are up and how many the scenario has. */
  onProgress?: (started: number, total: number) => void;
  /**
   * How many processes close at once in stop() (default: all). Thousands at once flood the broker
   * and each one's clean close (cancel, delete its fanout queues) times out into a kill.
   */
  stopConcurrency?: number;
  /** Aborting it stops the start-up: no new process starts, those started are closed, startCloud rejects. */
  signal?: AbortSignal;
}

export interface TrafficStats {
  calls: number;
  callReplies: number;
  callFailures: number;
  casts: number;
  fanoutCasts: number;
  notifications: number;
  errors: number;
}

export interface SimulatedProcess {
  process: SimProcess;
  service: ServiceSpec | null;
  hostRole: ResolvedHost['role'];
}

export interface CloudHandle {
  readonly scenario: Scenario;
  readonly vhost: string;
  readonly amqpUrl: string;
  readonly processes: SimProcess[];
  readonly traffic: TrafficStats;
  /** The process running `binary` on `host`; throws when there is none. */
  process(binary: string, host: string): SimProcess;
  /** Plain descriptions of every process (binary, pid, host, address, connection name, queues). */
  describe(): ProcessInfo[];
  /** An RPC call made by `from` (a process, or "<binary>@<host>"). */
  call(from: SimProcess | string, exchange: string, topic: string, server: string | null, method: string, args?: JsonObject, opts?: CallOptions): Promise<JsonValue>;
  /** The control exchange of a project in this scenario. */
  exchangeOf(project: Project): string;
  startTraffic(): void;
  stopTraffic(): void;
  readonly trafficRunning: boolean;
  /** Stops traffic and closes every connection cleanly. Queues without x-expires stay. */
  stop(): Promise<void>;
}

/** amqpUrl with the vhost to use, by the precedence documented on CloudOptions. */
export function resolveAmqpUrl(amqpUrl: string, scenarioVhost: string, vhost?: string): { url: string; vhost: string } {
  const u = new URL(amqpUrl);
  const fromPath = u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined;
  const chosen = vhost ?? fromPath ?? scenarioVhost;
  u.pathname = `/${encodeURIComponent(chosen)}`;
  return { url: u.toString(), vhost: chosen };
}

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(random() * items.length) % items.length];
}

export async function startCloud(scenario: Scenario, options: CloudOptions): Promise<CloudHandle> {
  const log = options.log ?? (() => {});
  const random = options.random ?? Math.random;
  const { url, vhost } = resolveAmqpUrl(options.amqpUrl, scenario.vhost, options.vhost);
  const hosts = resolveHosts(scenario);
  const usedPids = new Set<number>();
  const newPid = () => {
    for (;;) {
      const pid = 1000 + Math.floor(random() * 4_000_000) % 60_000;
      if (!usedPids.has(pid)) {
        usedPids.add(pid);
        return pid;
      }
    }
  };

  const sims: SimulatedProcess[] = [];
  const traffic: TrafficStats = { calls: 0, callReplies: 0, callFailures: 0, casts: 0, fanoutCasts: 0, notifications: 0, errors: 0 };
  const timers: NodeJS.Timeout[] = [];
  const exchangeOf = (project: Project) => controlExchange(scenario, project);

  const stopAll = async () => {
    for (const t of timers.splice(0)) clearInterval(t);
    await runBounded(sims, options.stopConcurrency ?? sims.length, (s) => s.process.close().catch(() => {}));
  };

  try {
    // controllers first: computes and agents call them as soon as they are up
    const controllers = hosts.filter((h) => h.role === 'controller');
    const computes = hosts.filter((h) => h.role === 'host');
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    const total = hosts.reduce((n, h) => n + h.services.length, 0);
    let started = 0;
    for (const group of [controllers, computes]) {
      const jobs = group.flatMap((host) => host.services.map((binary) => ({ host, binary })));
      // one slot per job: the started processes keep the scenario's order
      const slots: (SimulatedProcess | undefined)[] = new Array<SimulatedProcess | undefined>(jobs.length);
      try {
        await runBounded(jobs, concurrency, async ({ host, binary }, i) => {
          options.signal?.throwIfAborted();
          const service = serviceSpec(binary);
          const process = await SimProcess.start({
            amqpUrl: url,
            binary,
            host: host.name,
            address: host.address,
            pid: newPid(),
            layout: scenario.layout,
            controlExchange: exchangeOf(service.project),
            topics: service.topics,
            log,
          });
          slots[i] = { process, service, hostRole: host.role };
          started++;
          log(`started ${binary} on ${host.name} (${host.address}) pid ${process.pid} as ${process.connectionName}`);
          options.onProgress?.(started, total);
        });
      } finally {
        // on failure too, so stopAll closes whatever did start
        for (const s of slots) if (s) sims.push(s);
      }
    }

    options.signal?.throwIfAborted();
    if (scenario.traffic.notificationConsumer) {
      const where = hosts.find((h) => h.role === 'controller') ?? hosts[0];
      if (where) {
        const agent = await SimProcess.start({
          amqpUrl: url,
          binary: NOTIFICATION_AGENT_BINARY,
          host: where.name,
          address: where.address,
          pid: newPid(),
          layout: scenario.layout,
          controlExchange: 'ceilometer',
          topics: [],
          replyQueue: false,
          log,
        });
        sims.push({ process: agent, service: null, hostRole: where.role });
        const subscriptions = new Set<string>();
        for (const s of sims) {
          if (!s.service) continue;
          for (const topic of s.service.notificationTopics) {
            for (const prio of ['info', 'error'] as NotificationPriority[]) {
              const key = `${exchangeOf(s.service.project)}|${topic}|${prio}`;
              if (subscriptions.has(key)) continue;
              subscriptions.add(key);
              await agent.consumeNotifications(exchangeOf(s.service.project), topic, prio);
            }
          }
        }
        log(`started ${NOTIFICATION_AGENT_BINARY} on ${where.name} (${where.address}) pid ${agent.pid} as ${agent.connectionName}`);
      }
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  const processes = sims.map((s) => s.process);
  const withService = sims.filter((s): s is SimulatedProcess & { service: ServiceSpec } => s.service !== null);

  /** A server name for `<topic>.<server>`: one live process serving the topic. */
  const serverFor = (topic: string): string | undefined => {
    const servers = processes.filter((p) => !p.isClosed).flatMap((p) => p.topics.filter((t) => t.topic === topic).map((t) => t.server));
    return pick(servers, random);
  };

  const fire = async (kind: 'call' | 'cast' | 'fanout' | 'notification') => {
    const live = withService.filter((s) => !s.process.isClosed);
    if (kind === 'notification') {
      const candidates = live.filter((s) => s.service.notifications.length > 0);
      const s = pick(candidates, random);
      const n = s && pick(s.service.notifications, random);
      if (!s || !n) return;
      await s.process.notify(n.priority, n.eventType, n.payload(), { topics: s.service.notificationTopics });
      traffic.notifications++;
      return;
    }
    const listOf = (svc: ServiceSpec): RequestSpecTemplate[] => (kind === 'call' ? svc.calls : kind === 'cast' ? svc.casts : svc.fanouts);
    const s = pick(
      live.filter((c) => listOf(c.service).length > 0),
      random,
    );
    const t = s && pick(listOf(s.service), random);
    if (!s || !t) return;
    const exchange = exchangeOf(t.project);
    const opts = { namespace: t.namespace ?? null, version: t.version ?? null };
    if (kind === 'fanout') {
      await s.process.fanoutCast(t.topic, t.method, t.args(), opts);
      traffic.fanoutCasts++;
      return;
    }
    let server: string | null = null;
    if (t.target === 'server') {
      server = serverFor(t.topic) ?? null;
      if (server === null) return;
    }
    if (kind === 'cast') {
      await s.process.cast(exchange, t.topic, server, t.method, t.args(), opts);
      traffic.casts++;
      return;
    }
    traffic.calls++;
    try {
      await s.process.call(exchange, t.topic, server, t.method, t.args(), { ...opts, timeoutMs: scenario.traffic.callTimeout * 1000 });
      traffic.callReplies++;
    } catch {
      traffic.callFailures++;
    }
  };

  const handle: CloudHandle = {
    scenario,
    vhost,
    amqpUrl: url,
    processes,
    traffic,
    process(binary, host) {
      const p = processes.find((x) => x.binary === binary && x.host === host);
      if (!p) throw new Error(`no ${binary} on ${host}`);
      return p;
    },
    describe: () => processes.map((p) => p.info()),
    call(from, exchange, topic, server, method, args = {}, opts = {}) {
      let p: SimProcess;
      if (typeof from === 'string') {
        // "<binary>@<host>": binaries never hold '@', so split at the first one
        const i = from.indexOf('@');
        if (i < 0) throw new Error(`expected "<binary>@<host>", got ${from}`);
        p = handle.process(from.slice(0, i), from.slice(i + 1));
      } else p = from;
      return p.call(exchange, topic, server, method, args, opts);
    },
    exchangeOf,
    startTraffic() {
      if (timers.length > 0) return;
      const rates: ['call' | 'cast' | 'fanout' | 'notification', number][] = [
        ['call', scenario.traffic.callsPerSecond],
        ['cast', scenario.traffic.castsPerSecond],
        ['fanout', scenario.traffic.fanoutCastsPerSecond],
        ['notification', scenario.traffic.notificationsPerSecond],
      ];
      for (const [kind, rate] of rates) {
        if (rate <= 0) continue;
        timers.push(
          setInterval(() => {
            fire(kind).catch((err: unknown) => {
              traffic.errors++;
              log(`traffic ${kind} failed: ${(err as Error).message}`);
            });
          }, Math.max(10, Math.round(1000 / rate))),
        );
      }
    },
    stopTraffic() {
      for (const t of timers.splice(0)) clearInterval(t);
    },
    get trafficRunning() {
      return timers.length > 0;
    },
    stop: stopAll,
  };

  if (options.traffic !== false) handle.startTraffic();
  return handle;
}

/**
 * Runs fn over items with at most `limit` at a time. After the first failure no new item
 * starts; the ones under way finish, then that first error is thrown.
 */
export async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const i = next++;
      try {
        await fn(items[i] as T, i);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
