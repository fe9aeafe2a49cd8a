// Faults applied to a running simulated cloud, so the dashboard has each failure to show:
//   not-consuming:<binary>@<host>[:<queue>]   the consumer is cancelled, the connection stays (requests pile up)
//   no-ack:<binary>@<host>[:<queue>]          deliveries are taken and never acked (unacknowledged grows)
//   slow[=<ms>]:<binary>@<host>[:<queue>]     one message per <ms> (default 2000) with prefetch 1 (backlog grows under traffic)
//   kill:<binary>@<host>                      the process dies (its reply and fanout queues linger until x-expires)
// <queue> defaults to the process's first per-server queue (`<topic>.<server>`).
// A process that stopped consuming keeps running its client side: the traffic generator still
// has it call (nova-compute keeps calling its conductor) and still sends requests to it.
import type { CloudHandle } from './cloud';

export const FAULT_KINDS = ['not-consuming', 'no-ack', 'slow', 'kill'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  binary: string;
  host: string;
  /** null: the process's first per-server queue (not used by kill). */
  queue: string | null;
  /** slow only. */
  delayMs: number;
}

export const DEFAULT_SLOW_DELAY_MS = 2000;

/** Parses `<kind>[=<ms>]:<binary>@<host>[:<queue>]`. Host names hold no ':', queue names may. */
export function parseFault(text: string): FaultSpec {
  const usage = `expected <kind>:<binary>@<host>[:<queue>] with kind one of ${FAULT_KINDS.join(', ')} (slow may be slow=<ms>), got "${text}"`;
  const first = text.indexOf(':');
  if (first < 0) throw new Error(usage);
  const kindPart = text.slice(0, first);
  const rest = text.slice(first + 1);
  const [kindName, delay] = kindPart.split('=', 2) as [string, string | undefined];
  if (!(FAULT_KINDS as readonly string[]).includes(kindName)) throw new Error(usage);
  const kind = kindName as FaultKind;
  let delayMs = DEFAULT_SLOW_DELAY_MS;
  if (delay !== undefined) {
    if (kind !== 'slow' || !/^\d+$/.test(delay) || Number(delay) <= 0) throw new Error(`only slow takes a delay (slow=<ms>, ms > 0): "${text}"`);
    delayMs = Number(delay);
  }
  const at = rest.indexOf('@');
  if (at <= 0) throw new Error(usage);
  const binary = rest.slice(0, at);
  const afterAt = rest.slice(at + 1);
  const colon = afterAt.indexOf(':');
  const host = colon < 0 ? afterAt : afterAt.slice(0, colon);
  const queue = colon < 0 ? null : afterAt.slice(colon + 1);
  if (!host || queue === '') throw new Error(usage);
  if (kind === 'kill' && queue !== null) throw new Error(`kill takes no queue: "${text}"`);
  return { kind, binary, host, queue, delayMs };
}

/** Applies one fault; returns a line saying what was done. */
export async function applyFault(cloud: CloudHandle, fault: FaultSpec): Promise<string> {
  const p = cloud.process(fault.binary, fault.host);
  const who = `${fault.binary}@${fault.host}`;
  if (fault.kind === 'kill') {
    await p.kill();
    return `fault: killed ${who} (pid ${p.pid}); its reply and fanout queues stay until x-expires`;
  }
  const queue = fault.queue ?? p.topics[0]?.serverQueue;
  if (!queue) throw new Error(`${who} serves no RPC topic: name the queue (${fault.kind}:${who}:<queue>)`);
  switch (fault.kind) {
    case 'not-consuming':
      await p.stopConsuming(queue);
      return `fault: ${who} stopped consuming ${queue} (still connected, still calling others)`;
    case 'no-ack':
      p.stopAcking(queue);
      return `fault: ${who} takes deliveries from ${queue} and never acks them`;
    case 'slow':
      await p.slowDown(queue, fault.delayMs);
      return `fault: ${who} consumes ${queue} slowly, one message per ${fault.delayMs} ms`;
  }
}
