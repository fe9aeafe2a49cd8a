// The dashboard under test: the production build, served by its own server (npm start).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sleep, spawnTracked, type Tracked, withTimeout } from './procs';

const ROOT = path.resolve(__dirname, '../..');
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const SOURCES = ['app', 'components', 'lib', 'next.config.js', 'package.json', 'postcss.config.mjs'];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** Why a build is needed, or null when .next is newer than every source. */
export function buildNeeded(): string | null {
  const id = path.join(ROOT, '.next/BUILD_ID');
  if (!existsSync(id)) return 'no production build (.next/BUILD_ID missing)';
  const built = statSync(id).mtimeMs;
  const newest = Math.max(...SOURCES.filter((s) => existsSync(path.join(ROOT, s))).map((s) => newestMtime(path.join(ROOT, s))));
  return newest > built ? 'sources changed since the last build' : null;
}

export async function nextBuild(log: string): Promise<void> {
  const t = spawnTracked('next build', process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, log, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  const code = await withTimeout(t.exited, 20 * 60_000, 'next build');
  if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${log}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface DashboardServer {
  url: string;
  proc: Tracked;
}

/**
 * How `npm start` starts that checkout's server: the environment and node options its package.json
 * puts before server.mjs (`MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 server.mjs`), so that a
 * bench measures the server as operators run it.
 */
export function asNpmStarts(root: string): { env: Record<string, string>; nodeArgs: string[] } {
  const start: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts?.start ?? 'node server.mjs';
  const words = start.trim().split(/\s+/);
  const node = words.indexOf('node');
  const script = words.indexOf('server.mjs');
  if (node < 0 || script < node) throw new Error(`${root}/package.json: "start" is not [NAME=value ...] node [options] server.mjs: ${start}`);
  const env = Object.fromEntries(words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, nodeArgs: words.slice(node + 1, script) };
}

export async function startDashboard(opts: {
  /** Another checkout's build (to measure an earlier version); this one by default. */
  root?: string;
  port: number;
  /** Node's own options before server.mjs (V8 flags NODE_OPTIONS does not take); by default those of `npm start`. */
  nodeArgs?: string[];
  managementUrl: string;
  username: string;
  password: string;
  env: Record<string, string>;
  log: string;
}): Promise<DashboardServer> {
  const root = opts.root ?? ROOT;
  const npmStart = asNpmStarts(root);
  const proc = spawnTracked('dashboard', process.execPath, [...(opts.nodeArgs ?? npmStart.nodeArgs), path.join(root, 'server.mjs'), '-p', String(opts.port)], {
    cwd: root,
    log: opts.log,
    env: {
      ...process.env,
      ...npmStart.env,
      NEXT_TELEMETRY_DISABLED: '1',
      RABBITMQ_MANAGEMENT_URL: opts.managementUrl,
      RABBITMQ_USERNAME: opts.username,
      RABBITMQ_PASSWORD: opts.password,
      // A store of this run's own, as a dashboard keeps by default; never the demo's.
      HISTORY_STORE: path.join(path.dirname(opts.log), 'history.sqlite'),
      ...opts.env,
    },
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.done) throw new Error(`the dashboard exited early; see ${opts.log}`);
    try {
      const res = await fetch(`${url}/api/v1/clusters`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`the dashboard did not answer within 120 s; see ${opts.log}`);
    await sleep(500);
  }
  return { url, proc };
}

/** Waits until the overview API answers 200 (the first snapshot exists). */
export async function waitForSnapshot(url: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    try {
      const res = await fetch(`${url}/api/v1/clusters/default/overview`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      if (res.ok) return Date.now() - t0;
    } catch {
      /* keep trying */
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`the dashboard had no snapshot after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(1000);
  }
}
