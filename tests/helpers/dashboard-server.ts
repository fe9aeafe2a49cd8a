// The built dashboard (server.mjs, as `npm start` runs it) as a process of a test's own, with the environment
// the test gives it: another user, a fault proxy in front of the broker, ...
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface DashboardServer {
  url: string;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Closes the pipes its log is read from, as a log reader that goes away does. */
  closeLog(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts it and waits until its API answers (any status: the broker may be failing on purpose). */
export async function startDashboard(env: Record<string, string>, timeoutMs = 60_000): Promise<DashboardServer> {
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('no production build: run `npx next build` first (scripts/test.sh does)');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'server.mjs'), '-p', String(port)], {
    cwd: ROOT,
    // Loopback only, whatever AUTH_MODE a test sets; a store of its own unless a test names one.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', HISTORY_STORE: path.join(mkdtempSync(path.join(tmpdir(), 'lens-dashboard-')), 'history.sqlite'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard exited (${child.exitCode}): ${output}`);
    const res = await fetch(`${url}/api/v1/clusters`).catch(() => null);
    if (res) break;
    if (Date.now() > deadline) throw new Error(`the dashboard did not start in ${timeoutMs} ms: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => output,
    closeLog: () => {
      child.stdout.destroy();
      child.stderr.destroy();
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
