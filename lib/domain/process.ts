// Processes: who is behind a connection (oslo.messaging names its connections
// `<binary>:<pid>:<uuid4>`), and how lists match and order them.
import { compareNatural } from './format';
import type { Process } from './types';

const OSLO_CONNECTION_NAME = /^(.+):(\d+):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function parseOsloConnectionName(name: string | null): { binary: string; pid: number; uuid: string } | null {
  if (!name) return null;
  const m = OSLO_CONNECTION_NAME.exec(name);
  if (!m || !m[1] || !m[2] || !m[3]) return null;
  return { binary: m[1], pid: Number(m[2]), uuid: m[3] };
}

export function processId(binary: string, pid: number, peerHost: string): string {
  return `${binary}:${pid}@${peerHost}`;
}

/** The process a connection belongs to: oslo's `<binary>:<pid>:<uuid>` from one peer host; else the connection alone. */
export function connectionProcessId(
  c: { name: string; clientConnectionName: string | null; peerHost: string },
  oslo = parseOsloConnectionName(c.clientConnectionName),
): string {
  return oslo ? processId(oslo.binary, oslo.pid, c.peerHost) : c.name;
}

/** What lists show of a process, in the full model and in the list's rows. */
type ProcessFields = Pick<Process, 'id' | 'binary' | 'pid' | 'host' | 'peerHost' | 'user'>;

/** Case-insensitive match of a process on its visible fields. */
export function processMatches(p: ProcessFields, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [p.id, p.binary, p.host, p.peerHost, p.user, p.pid === null ? null : String(p.pid)].some((f) => f !== null && f.toLowerCase().includes(needle));
}

/** By binary, then host (compute2 before compute10), then pid. */
export function compareProcesses(a: ProcessFields, b: ProcessFields): number {
  return (
    compareNatural(a.binary ?? '~', b.binary ?? '~') ||
    compareNatural(a.host ?? a.peerHost, b.host ?? b.peerHost) ||
    (a.pid ?? 0) - (b.pid ?? 0) ||
    compareNatural(a.id, b.id)
  );
}
