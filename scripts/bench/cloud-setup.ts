// A broker and a simulated cloud to measure against, shared by the benchmark (run.ts) and
// the load test (scripts/load.ts): the bench broker unless a broker is given, a scale cloud
// of N hosts on it, and what they leave behind removed at the end.
import { appendFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { type Broker, rawGet } from './floor';
import { onCleanup, sleep, spawnTracked, stopTracked, untrack } from './procs';

const ROOT = path.resolve(__dirname, '../..');
const BENCH_BROKER = path.join(ROOT, 'scripts/bench-broker.sh');

/** The command-line options of a broker and a cloud, for node:util's parseArgs (bench and load). */
export const BROKER_AND_CLOUD_ARGS = {
  hosts: { type: 'string', default: '1000' },
  controllers: { type: 'string', default: '3' },
  'management-url': { type: 'string' },
  'amqp-url': { type: 'string' },
  'prometheus-url': { type: 'string' },
  username: { type: 'string', default: process.env.RABBITMQ_USERNAME ?? 'guest' },
  password: { type: 'string', default: process.env.RABBITMQ_PASSWORD ?? 'guest' },
  'keep-broker': { type: 'boolean', default: false },
  'stop-broker': { type: 'boolean', default: false },
  cloud: { type: 'string', default: 'start' },
  'keep-cloud': { type: 'boolean', default: false },
  vhost: { type: 'string', default: 'openstack' },
} as const;

/** An integer option, checked: at least `min`, and at most `max` when given. */
export function intOption(name: string, raw: string, min = 1, max?: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || (max !== undefined && v > max))
    throw new Error(`--${name} must be an integer ${max === undefined ? `≥ ${min}` : `from ${min} to ${max}`}, got ${raw}`);
  return v;
}

/** The broker and cloud options as parsed by parseArgs with BROKER_AND_CLOUD_ARGS, minus hosts and controllers (each caller bounds those). */
export function brokerAndCloudOptions(values: {
  'management-url'?: string;
  'amqp-url'?: string;
  'prometheus-url'?: string;
  username: string;
  password: string;
  'keep-broker': boolean;
  'stop-broker': boolean;
  cloud: string;
  'keep-cloud': boolean;
  vhost: string;
}) {
  if (values.cloud !== 'start' && values.cloud !== 'none') throw new Error(`--cloud is start or none, got ${values.cloud}`);
  return {
    managementUrl: values['management-url'],
    amqpUrl: values['amqp-url'],
    prometheusUrl: values['prometheus-url'],
    username: values.username,
    password: values.password,
    keepBroker: values['keep-broker'],
    stopBroker: values['stop-broker'],
    cloud: values.cloud as 'start' | 'none',
    keepCloud: values['keep-cloud'],
    vhost: values.vhost,
  };
}

export interface BrokerOptions {
  managementUrl?: string;
  amqpUrl?: string;
  /** The broker's Prometheus plugin (the bench broker's own by default). */
  prometheusUrl?: string;
  username: string;
  password: string;
  keepBroker: boolean;
  stopBroker: boolean;
}

/** The broker given, or the bench broker (started if it is not running, and then stopped at the end unless kept). */
export function useBroker(opts: BrokerOptions, log: (line: string) => void, logFile: string): { broker: Broker; amqpUrl: string; prometheusUrl: string | null; source: string } {
  if (opts.managementUrl) {
    const broker = { url: opts.managementUrl, username: opts.username, password: opts.password };
    return {
      broker,
      amqpUrl: opts.amqpUrl ?? `amqp://${opts.username}:${opts.password}@${new URL(opts.managementUrl).hostname}:5672/`,
      prometheusUrl: opts.prometheusUrl ?? null,
      source: `given: ${opts.managementUrl}`,
    };
  }
  const wasRunning = spawnSync('bash', [BENCH_BROKER, 'status'], { stdio: 'ignore' }).status === 0;
  if (!wasRunning) {
    log('starting the bench broker (scripts/bench-broker.sh start)');
    const r = spawnSync('bash', [BENCH_BROKER, 'start'], { encoding: 'utf8', timeout: 5 * 60_000 });
    appendFileSync(logFile, `${r.stdout}${r.stderr}`);
    if (r.status !== 0) throw new Error(`scripts/bench-broker.sh start failed: ${r.stderr.trim().split('\n').pop()}`);
  }
  if ((!wasRunning && !opts.keepBroker) || opts.stopBroker) {
    onCleanup('bench broker', async () => {
      log('stopping the bench broker');
      spawnSync('bash', [BENCH_BROKER, 'stop'], { stdio: 'ignore', timeout: 3 * 60_000 });
    });
  }
  const env = spawnSync('bash', [BENCH_BROKER, 'env'], { encoding: 'utf8', env: { ...process.env, RABBITMQ_USERNAME: opts.username, RABBITMQ_PASSWORD: opts.password } }).stdout;
  const mgmt = /RABBITMQ_MANAGEMENT_URL=(\S+)/.exec(env)?.[1];
  const amqp = /RABBITMQ_AMQP_URL=(\S+)/.exec(env)?.[1];
  if (!mgmt || !amqp) throw new Error('scripts/bench-broker.sh env said no URLs');
  return {
    broker: { url: mgmt, username: opts.username, password: opts.password },
    amqpUrl: opts.amqpUrl ?? amqp,
    prometheusUrl: opts.prometheusUrl ?? /RABBITMQ_PROMETHEUS_URL=(\S+)/.exec(env)?.[1] ?? null,
    source: `bench broker (scripts/bench-broker.sh), ${wasRunning ? 'already running' : 'started by this run'}`,
  };
}

export interface CloudOptions {
  hosts: number;
  controllers: number;
  vhost: string;
  traffic: boolean;
  keepCloud: boolean;
  username: string;
  password: string;
  /** Faults on request (sim/scale-cli.ts --control-port). */
  controlPort?: number;
}

/** Starts a scale cloud (sim/scale-cli.ts) and waits until it says it runs; stopped at the end unless kept. Its start-up time in ms. */
export async function startScaleCloud(broker: Broker, amqpUrl: string, opts: CloudOptions, log: (line: string) => void, dir: string): Promise<number> {
  const cloudLog = path.join(dir, 'cloud.log');
  log(`starting a cloud of ${opts.hosts} hosts in vhost ${opts.vhost} (log ${cloudLog})`);
  // a vhost this run creates is removed at the end (after the cloud has stopped)
  const vhostPath = `/api/vhosts/${encodeURIComponent(opts.vhost)}`;
  const existed = await rawGet(broker, vhostPath, {}).then(
    () => true,
    () => false,
  );
  if (!existed && !opts.keepCloud) {
    onCleanup('vhost', async () => {
      const status = await httpDelete(broker, vhostPath);
      log(`removed vhost ${opts.vhost} (${status})`);
    });
  }
  const started = Date.now();
  const cloud = spawnTracked(
    'cloud',
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [
      'sim/scale-cli.ts', '--hosts', String(opts.hosts), '--controllers', String(opts.controllers), '--vhost', opts.vhost,
      '--amqp-url', amqpUrl, '--management-url', broker.url, ...(opts.traffic ? ['--traffic'] : []),
      ...(opts.controlPort ? ['--control-port', String(opts.controlPort)] : []),
    ],
    { cwd: ROOT, log: cloudLog, env: { ...process.env, RABBITMQ_USERNAME: opts.username, RABBITMQ_PASSWORD: opts.password } },
  );
  if (opts.keepCloud) {
    untrack(cloud);
    log(`the cloud stays up after this run: process group ${cloud.pid} (kill -TERM -- -${cloud.pid} to stop it)`);
  } else onCleanup('cloud', () => stopTracked(cloud, 150_000));
  const deadline = Date.now() + Math.max(10 * 60_000, opts.hosts * 600);
  while (!/\brunning\b/.test(readFileSync(cloudLog, 'utf8'))) {
    if (cloud.done) throw new Error(`the cloud exited while starting; see ${cloudLog}`);
    if (Date.now() > deadline) throw new Error(`the cloud was not up in time; see ${cloudLog}`);
    await sleep(2000);
  }
  const ms = Date.now() - started;
  log(`cloud up in ${Math.round(ms / 1000)} s`);
  return ms;
}

async function brokerTotals(broker: Broker) {
  const r = await rawGet(broker, '/api/overview', { columns: 'rabbitmq_version,erlang_version,management_version,object_totals' });
  const o = r.body as { rabbitmq_version?: string; erlang_version?: string; object_totals?: Record<string, number> };
  return { rabbitmq: o.rabbitmq_version ?? '?', erlang: o.erlang_version ?? '?', totals: o.object_totals ?? {} };
}

/** The broker's totals once they stop changing (two equal readings 5 s apart, 5 min at most). */
export async function settledTotals(broker: Broker) {
  let last = '';
  let same = 0;
  const deadline = Date.now() + 5 * 60_000;
  while (same < 2 && Date.now() < deadline) {
    const t = (await brokerTotals(broker)).totals;
    const now = `${t.queues}/${t.connections}/${t.consumers}/${t.channels}`;
    same = now === last ? same + 1 : 0;
    last = now;
    if (same < 2) await sleep(5000);
  }
  return brokerTotals(broker);
}

function httpDelete(broker: Broker, p: string): Promise<number> {
  const u = new URL(broker.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: u.hostname, port: u.port, path: `${u.pathname.replace(/\/+$/, '')}${p}`, method: 'DELETE', auth: `${broker.username}:${broker.password}`, timeout: 120_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`DELETE ${p}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}
