// Every process the bench starts is registered here and stopped at the end, on
// failure and on Ctrl-C: each runs in a process group of its own, which is
// signalled by its id (never by name), SIGTERM first, SIGKILL after a grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

export interface Tracked {
  name: string;
  child: ChildProcess;
  pid: number;
  log: string;
  exited: Promise<number | null>;
  done: boolean;
}

const tracked: Tracked[] = [];
const cleanups: { name: string; fn: () => Promise<unknown> }[] = [];

export function spawnTracked(
  name: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: string },
): Tracked {
  const fd = openSync(opts.log, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true, // a process group of its own, so its children go with it
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const t: Tracked = {
    name,
    child,
    pid: child.pid,
    log: opts.log,
    done: false,
    exited: new Promise((resolve) => {
      child.once('exit', (code) => {
        t.done = true;
        resolve(code);
      });
      child.once('error', () => {
        t.done = true;
        resolve(null);
      });
    }),
  };
  tracked.push(t);
  return t;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** No longer this run's to stop (it is left running on purpose). */
export function untrack(t: Tracked): void {
  const i = tracked.indexOf(t);
  if (i >= 0) tracked.splice(i, 1);
  t.child.unref();
}

/** SIGTERM to its group, SIGKILL after `graceMs`. */
export async function stopTracked(t: Tracked, graceMs = 10_000): Promise<void> {
  if (!t.done) {
    signalGroup(t.pid, 'SIGTERM');
    const timedOut = await Promise.race([t.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      signalGroup(t.pid, 'SIGKILL');
      await Promise.race([t.exited, sleep(2000)]);
    }
  }
  // Children that outlived the leader are still in its group.
  signalGroup(t.pid, 'SIGKILL');
  const i = tracked.indexOf(t);
  if (i >= 0) tracked.splice(i, 1);
}

/** Something to undo at the end (a browser, a server socket, the bench broker). Run last-registered first. */
export function onCleanup(name: string, fn: () => Promise<unknown>): () => void {
  const entry = { name, fn };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let cleaning: Promise<void> | null = null;

export function cleanupAll(log: (line: string) => void = console.error): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length || tracked.length) {
      const c = cleanups.pop();
      if (c) {
        try {
          await withTimeout(c.fn(), 60_000, `cleanup ${c.name}`);
        } catch (err) {
          log(`cleanup ${c.name} failed: ${(err as Error).message}`);
        }
        continue;
      }
      const t = tracked[tracked.length - 1]!;
      await stopTracked(t);
    }
  })();
  return cleaning;
}

let installed = false;
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Last resort: whatever is still registered when the process exits is killed synchronously.
  process.once('exit', () => {
    for (const t of tracked) if (!t.done) signalGroup(t.pid, 'SIGKILL');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no result after ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resident memory (bytes) of a process and all its descendants, from /proc. */
export function treeRss(rootPid: number): { rss: number; pids: { pid: number; rss: number; cmd: string }[] } {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(rest[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 64; p = parent.get(p), depth++) if (p === rootPid) return true;
    return false;
  };
  const pids: { pid: number; rss: number; cmd: string }[] = [];
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120);
      pids.push({ pid, rss: kb * 1024, cmd });
    } catch {
      /* gone */
    }
  }
  return { rss: pids.reduce((s, p) => s + p.rss, 0), pids };
}

/** CPU seconds the process has used (utime + stime, /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A run's time stamp for file names: 2026-11-22T06-00-35. */
export function runStamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

/** Prints a line with the time of day and appends it to `file`. */
export function fileLogger(file: string): (line: string) => void {
  return (line) => {
    const l = `[${new Date().toISOString().slice(11, 19)}] ${line}`;
    console.log(l);
    appendFileSync(file, `${l}\n`);
  };
}
