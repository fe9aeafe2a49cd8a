// Objects named within a vhost (queues, exchanges) are one thing per (vhost, name): the one
// key for them, and the lookups built on it.

/** The map key of an object named within a vhost. */
export function refKey(vhost: string, name: string): string {
  return `${vhost}\u0000${name}`;
}

/** The (vhost, name) a refKey was made of. */
export function splitRefKey(key: string): { vhost: string; name: string } {
  const at = key.indexOf('\u0000');
  return { vhost: key.slice(0, at), name: key.slice(at + 1) };
}

/**
 * Values found by (vhost, name) without building a key string per lookup: the names come from
 * the broker's answers, and V8 hashes each string only once.
 */
export class VhostIndex<T> {
  private readonly byVhost = new Map<string, Map<string, T>>();

  set(vhost: string, name: string, value: T): void {
    let names = this.byVhost.get(vhost);
    if (!names) this.byVhost.set(vhost, (names = new Map()));
    names.set(name, value);
  }

  get(vhost: string, name: string): T | undefined {
    return this.byVhost.get(vhost)?.get(name);
  }

  has(vhost: string, name: string): boolean {
    return this.byVhost.get(vhost)?.has(name) ?? false;
  }
}

export function groupBy<T, K = string>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
