// A real nova (scripts/nova.sh: Debian's nova, placement and oslo.messaging, three computes with the
// fake driver) in a vhost and databases of its own, and the faults of the seed's story done to one of
// its computes the way they happen: used by the e2e test and by bench:nova-faults.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AxiosInstance } from 'axios';
import pg from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

export interface RealNova {
  vhost: string;
  hosts: readonly string[];
  /** The pid scripts/nova.sh recorded: `nova-conductor`, `nova-scheduler`, `nova-compute-<host>`. */
  pidOf(program: string): number;
  /** Nova's own word on a compute: when it last reported its state (its services table, in UTC). */
  lastReport(host: string): Promise<Date | null>;
  stop(): Promise<void>;
}

export interface RealNovaOptions {
  /** Databases <prefix>_api, _cell0, _cell1, _placement; also the state directory /tmp/<prefix>. */
  prefix: string;
  vhost: string;
  hosts?: readonly string[];
  /** More NOVA_* settings for scripts/nova.sh (NOVA_MGMT_URL, NOVA_AMQP_URL, NOVA_CHROOT, ...). */
  env?: Record<string, string>;
  /** scripts/nova.sh itself, or another script that passes NOVA_* on to it (scripts/forky.sh nova). */
  command?: readonly string[];
}

export async function startRealNova(opts: RealNovaOptions): Promise<RealNova> {
  const hosts = opts.hosts ?? ['compute-1', 'compute-2', 'compute-3'];
  const stateDir = `/tmp/${opts.prefix}`;
  const env = { ...process.env, NOVA_PREFIX: opts.prefix, NOVA_VHOST: opts.vhost, NOVA_HOSTS: hosts.join(' '), NOVA_STATE_DIR: stateDir, ...opts.env };
  const [command = 'bash', ...args] = opts.command ?? ['bash', path.join(ROOT, 'scripts/nova.sh')];
  const nova = (action: string) => run(command, [...args, action], { env, cwd: ROOT, timeout: 600_000, maxBuffer: 16 << 20 });
  try {
    await nova('start');
  } catch (err) {
    const e = err as { stderr?: string };
    await nova('stop').catch(() => undefined);
    throw new Error(`scripts/nova.sh start failed: ${e.stderr?.slice(-3000) ?? String(err)}`);
  }
  return {
    vhost: opts.vhost,
    hosts,
    pidOf: (program) => Number(readFileSync(path.join(stateDir, 'run', `${program}.pid`), 'utf8').trim()),
    async lastReport(host) {
      const client = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: `${opts.prefix}_cell1` });
      await client.connect();
      try {
        const { rows } = await client.query<{ t: Date | null }>(
          "SELECT COALESCE(updated_at, created_at) AT TIME ZONE 'UTC' AS t FROM services WHERE host = $1 AND \"binary\" = 'nova-compute' AND deleted = 0",
          [host],
        );
        return rows[0]?.t ?? null;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await nova('stop');
    },
  };
}

/** The connection that consumes a queue (its first consumer's). */
export async function consumingConnection(admin: AxiosInstance, vhost: string, queue: string): Promise<string> {
  const { data } = await admin.get<{ consumer_details?: { channel_details?: { connection_name?: string } }[] }>(
    `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
  );
  const name = data.consumer_details?.[0]?.channel_details?.connection_name;
  if (!name) throw new Error(`nothing consumes ${queue} in ${vhost}`);
  return name;
}

/**
 * "Up but does nothing": the connection that serves `<topic>.<host>` is closed, and a connection
 * limit on the vhost (as many as it holds without that one) keeps oslo from reconnecting it; the
 * process's other connections (its state reports to the conductor) stay. Returns the closed
 * connection's name.
 */
export async function cutRpcServer(admin: AxiosInstance, vhost: string, queue: string): Promise<string> {
  const connection = await consumingConnection(admin, vhost, queue);
  const { data: open } = await admin.get<unknown[]>(`/api/vhosts/${encodeURIComponent(vhost)}/connections`);
  await admin.put(`/api/vhost-limits/${encodeURIComponent(vhost)}/max-connections`, { value: open.length - 1 });
  await admin.delete(`/api/connections/${encodeURIComponent(connection)}`, { headers: { 'X-Reason': 'test: up but does nothing' } });
  return connection;
}

export async function liftConnectionLimit(admin: AxiosInstance, vhost: string): Promise<void> {
  await admin.delete(`/api/vhost-limits/${encodeURIComponent(vhost)}/max-connections`, { validateStatus: (s) => s < 500 });
}

/** SIGSTOP (frozen: its sockets stay open, nothing reads them), SIGCONT, SIGKILL. */
export const freeze = (pid: number) => process.kill(pid, 'SIGSTOP');
export const thaw = (pid: number) => process.kill(pid, 'SIGCONT');
export const kill = (pid: number) => process.kill(pid, 'SIGKILL');

/** One fault of the seed's story on one compute, and the finding that names it right. */
export interface NovaFault {
  name: 'killed' | 'frozen' | 'up but does nothing';
  host: string;
  queue: string;
  rule: 'rpc-server-unconsumed' | 'consumer-stuck';
  /** The title it must get, the first time. */
  title: RegExp;
  inflict(): Promise<void>;
}

/**
 * The three faults, one per compute, in an order where one does not undo another: killed (all its
 * connections go), frozen (they stay, unread) with a call waiting (`sendCall`, e.g. the dashboard's
 * ping), then up but does nothing (a connection limit counted after the other two).
 */
export function novaFaults(nova: RealNova, admin: AxiosInstance, sendCall: (host: string) => Promise<unknown>): NovaFault[] {
  const [up, frozen, killed] = nova.hosts;
  if (!up || !frozen || !killed) throw new Error('the faults need three computes');
  const pid = (host: string) => nova.pidOf(`nova-compute-${host}`);
  return [
    {
      name: 'killed',
      host: killed,
      queue: `compute.${killed}`,
      rule: 'rpc-server-unconsumed',
      title: new RegExp(`compute on ${killed} is down: no process consumes compute\\.${killed}`),
      inflict: async () => void kill(pid(killed)),
    },
    {
      name: 'frozen',
      host: frozen,
      queue: `compute.${frozen}`,
      rule: 'consumer-stuck',
      title: new RegExp(`nova-compute \\(pid ${pid(frozen)}, [^)]+\\) holds 1 message from compute\\.${frozen} unacknowledged: stuck`),
      async inflict() {
        freeze(pid(frozen));
        await sendCall(frozen);
      },
    },
    {
      name: 'up but does nothing',
      host: up,
      queue: `compute.${up}`,
      rule: 'rpc-server-unconsumed',
      title: new RegExp(`compute on ${up} is up but does nothing: nova-compute is connected and does not consume compute\\.${up}`),
      inflict: async () => void (await cutRpcServer(admin, nova.vhost, `compute.${up}`)),
    },
  ];
}
