// A real oslo.messaging (Debian's python3-oslo.messaging, run with /usr/bin/python3) for the
// integration tests: its RPC server (tests/compat/oslo_server.py) and client (oslo_client.py).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { z } from 'zod';
import { AMQP_HOST, AMQP_PORT } from './broker';

export const PYTHON = process.env.OSLO_PYTHON ?? '/usr/bin/python3';
const COMPAT = path.resolve(__dirname, '../compat');
const USER = process.env.RABBITMQ_USERNAME ?? 'guest';
const PASSWORD = process.env.RABBITMQ_PASSWORD ?? 'guest';

const children = new Set<ChildProcess>();
const killAll = (signal: NodeJS.Signals) => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
};
// even if the runner dies before afterAll
process.on('exit', () => killAll('SIGKILL'));

/** Stops every python child this helper started (SIGTERM, then SIGKILL after 5 s). */
export async function stopOsloChildren(): Promise<void> {
  const all = [...children];
  await Promise.all(
    all.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const hard = setTimeout(() => c.kill('SIGKILL'), 5_000);
          c.once('exit', () => {
            clearTimeout(hard);
            resolve();
          });
          c.stdin?.end();
          c.kill('SIGTERM');
        }),
    ),
  );
  children.clear();
}

export function transportUrl(vhost: string, user = USER, password = PASSWORD): string {
  return `rabbit://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}`;
}

export function spawnPython(script: string, args: string[]): ChildProcess {
  const child = spawn(PYTHON, [path.join(COMPAT, script), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // A process group of its own: oslo's queue manager (use_queue_manager) reads /proc/<its group>/stat,
    // which is not there when the group's leader has exited (a runner started in the background).
    detached: true,
    env: { ...process.env, PYTHONWARNINGS: 'ignore', PYTHONUNBUFFERED: '1' },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export const ClientOutcome = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), failure: z.string(), message: z.string() }),
  z.object({ ok: z.literal(false), timeout: z.literal(true) }),
]);
export type ClientOutcome = z.infer<typeof ClientOutcome>;

export interface ClientCall {
  exchange: string;
  topic: string;
  server?: string;
  method: string;
  namespace?: string;
  version?: string;
  args?: Record<string, unknown>;
  timeout?: number;
  /** cast instead of call (no reply expected). */
  cast?: boolean;
  /** The request context to send instead of the default one. */
  context?: Record<string, unknown>;
  /** [oslo_messaging_rabbit] options, `name=value`. */
  rabbitOptions?: readonly string[];
}

/**
 * What kolla-ansible (2025.1) and openstack-helm (2026) turn on: quorum queues for every queue,
 * the queue manager's names, one stream per fanout topic, a prefetch (oslo.messaging 14.7+).
 */
export const MODERN_RABBIT_OPTIONS = [
  'rabbit_quorum_queue=true',
  'rabbit_transient_quorum_queue=true',
  'use_queue_manager=true',
  'rabbit_stream_fanout=true',
  'rabbit_qos_prefetch_count=10',
] as const;

const rabbitArgs = (options: readonly string[]) => options.flatMap((o) => ['--rabbit', o]);

/** Runs tests/compat/oslo_client.py once and parses its JSON line. */
export async function osloCall(vhost: string, call: ClientCall): Promise<ClientOutcome> {
  const args = ['--url', transportUrl(vhost), '--exchange', call.exchange, '--topic', call.topic, '--method', call.method, '--args', JSON.stringify(call.args ?? {}), '--timeout', String(call.timeout ?? 10)];
  if (call.server) args.push('--server', call.server);
  if (call.namespace) args.push('--namespace', call.namespace);
  if (call.version) args.push('--version', call.version);
  if (call.cast) args.push('--cast');
  if (call.context) args.push('--context', JSON.stringify(call.context));
  args.push(...rabbitArgs(call.rabbitOptions ?? []));
  const child = spawnPython('oslo_client.py', args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end();
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line) throw new Error(`oslo_client.py exited ${code}: ${stderr.slice(-2000)}`);
  return ClientOutcome.parse(JSON.parse(line));
}

/** Starts tests/compat/oslo_server.py and waits for its READY line. */
export async function startOsloServer(vhost: string, exchange: string, topic: string, server: string, rabbitOptions: readonly string[] = []): Promise<ChildProcess> {
  const child = spawnPython('oslo_server.py', ['--url', transportUrl(vhost), '--exchange', exchange, '--topic', topic, '--server', server, ...rabbitArgs(rabbitOptions)]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oslo_server.py not ready after 45 s: ${stderr.slice(-2000)}`)), 45_000);
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oslo_server.py exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
  return child;
}
