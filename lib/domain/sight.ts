// What one operator may see of what the dashboard remembers. The store holds what the configured
// user saw; an operator who signs in sees the broker through their own RabbitMQ user, and of the
// store only what concerns the vhosts that user may read. Decided once per request (lib/server/api.ts),
// applied to everything the request reads (lib/store/narrowed.ts).
import type { JournalEntry } from './journal';
import type { JournalKind } from './vocabulary';

export type Sight = { readonly all: true } | { readonly all: false; readonly vhosts: ReadonlySet<string> };

export const SEES_ALL: Sight = Object.freeze({ all: true });

/**
 * An operator whose user may read every vhost the configured user reads sees everything remembered;
 * one who may read fewer sees those vhosts only.
 */
export function sightOf(own: Iterable<string>, configured: Iterable<string>): Sight {
  const vhosts = new Set(own);
  for (const v of configured) if (!vhosts.has(v)) return { all: false, vhosts };
  return SEES_ALL;
}

export function seesVhost(sight: Sight, vhost: string): boolean {
  return sight.all || sight.vhosts.has(vhost);
}

/** What concerns the broker as a whole (its nodes), not what happens in a vhost. */
const BROKER_WIDE: ReadonlySet<JournalKind> = new Set(['node-down', 'node-up', 'node-alarm', 'node-alarm-cleared']);

/**
 * An entry of one vhost is seen by who may read it; one of no known vhost (a process with
 * connections in several, an entry written before entries carried their vhost) only by who sees
 * everything; the broker's own nodes by all.
 */
export function seesEntry(sight: Sight, entry: Pick<JournalEntry, 'kind' | 'vhost'>): boolean {
  if (sight.all || BROKER_WIDE.has(entry.kind)) return true;
  return entry.vhost !== null && sight.vhosts.has(entry.vhost);
}

/** A process's series is seen by who may read every vhost it has connections in. */
export function seesProcess(sight: Sight, vhosts: readonly string[] | null): boolean {
  if (sight.all) return true;
  return vhosts !== null && vhosts.length > 0 && vhosts.every((v) => sight.vhosts.has(v));
}
