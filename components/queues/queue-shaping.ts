// Pure shaping for queue lists: URL filters, sorting, grouping.
import type { QueueRow } from '@/lib/api/schemas';
import { isOneOf, QUEUE_KINDS, QUEUE_SORT_KEYS, type QueueSortKey } from '@/lib/domain/vocabulary';
import type { QueueListFilters } from '@/lib/client/links';

interface ParamsLike {
  get(name: string): string | null;
}

/** Filters from the page URL's query; unknown values are dropped. */
export function parseQueueFilters(sp: ParamsLike): QueueListFilters {
  const f: QueueListFilters = {};
  const kind = sp.get('kind');
  if (kind && isOneOf(QUEUE_KINDS, kind)) f.kind = kind;
  for (const key of ['component', 'host', 'vhost', 'q'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  const sort = sp.get('sort');
  if (sort && isOneOf(QUEUE_SORT_KEYS, sort)) f.sort = sort;
  const order = sp.get('order');
  if (order === 'asc' || order === 'desc') f.order = order;
  return f;
}

/** Clicking a column: first descending for numbers (biggest first), ascending for names; again flips. */
export function nextSort(current: QueueListFilters, column: QueueSortKey): Pick<QueueListFilters, 'sort' | 'order'> {
  const currentSort = current.sort ?? 'name';
  const currentOrder = current.order ?? (currentSort === 'name' ? 'asc' : 'desc');
  if (currentSort === column) return { sort: column, order: currentOrder === 'asc' ? 'desc' : 'asc' };
  return { sort: column, order: column === 'name' ? 'asc' : 'desc' };
}

export interface HostGroup {
  host: string;
  queues: QueueRow[];
}

/** Per-server queues grouped by host (or by server name when the host is unknown), hosts sorted naturally. */
export function groupServerQueuesByHost(rows: QueueRow[]): HostGroup[] {
  const byHost = new Map<string, QueueRow[]>();
  for (const q of rows) {
    const host = q.host ?? q.server ?? '(unknown host)';
    const list = byHost.get(host);
    if (list) list.push(q);
    else byHost.set(host, [q]);
  }
  const collator = new Intl.Collator('en', { numeric: true });
  return [...byHost.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([host, queues]) => ({ host, queues: [...queues].sort((a, b) => collator.compare(a.name, b.name)) }));
}

/** The rows whose name holds the text, ignoring case: the server's rule, applied to what is loaded. */
export function narrowByName<R extends { name: string }>(rows: R[], text: string): R[] {
  const needle = text.toLowerCase();
  return needle ? rows.filter((r) => r.name.toLowerCase().includes(needle)) : rows;
}
