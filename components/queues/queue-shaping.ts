// Pure shaping for queue lists: URL filters, grouping, trouble flags.
import type { QueueRow } from '@/lib/api/contract';
import type { QueueKind } from '@/lib/domain/types';
import { QUEUE_SORTS, type QueueListFilters, type QueueSort } from '@/lib/client/links';

export const QUEUE_KINDS: QueueKind[] = ['rpc-topic', 'rpc-server', 'rpc-fanout', 'reply', 'notification', 'other'];

/** oslo queues are useless without a consumer; a zero there is trouble. */
export function needsConsumer(q: Pick<QueueRow, 'kind'>): boolean {
  return q.kind !== 'other';
}

/** Something an operator should look at: no consumer where one is needed, or a backlog. */
export function queueTrouble(q: Pick<QueueRow, 'kind' | 'consumers' | 'messagesReady' | 'messagesUnacknowledged' | 'state'>): 'red' | 'amber' | null {
  const ready = q.messagesReady ?? 0;
  // Its node is down (or it crashed): nothing can reach it until that is fixed.
  if (q.state === 'down' || q.state === 'crashed' || q.state === 'stopped') return 'red';
  if (needsConsumer(q) && q.consumers === 0 && ready > 0) return 'red';
  if (needsConsumer(q) && q.consumers === 0) return 'amber';
  if (ready > 1000) return 'amber';
  return null;
}

const isKind = (s: string): s is QueueKind => (QUEUE_KINDS as string[]).includes(s);
const isSort = (s: string): s is QueueSort => (QUEUE_SORTS as readonly string[]).includes(s);

interface ParamsLike {
  get(name: string): string | null;
}

/** Filters from the page URL's query; unknown values are dropped. */
export function parseQueueFilters(sp: ParamsLike): QueueListFilters {
  const f: QueueListFilters = {};
  const kind = sp.get('kind');
  if (kind && isKind(kind)) f.kind = kind;
  for (const key of ['component', 'host', 'vhost', 'q'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  const sort = sp.get('sort');
  if (sort && isSort(sort)) f.sort = sort;
  const order = sp.get('order');
  if (order === 'asc' || order === 'desc') f.order = order;
  return f;
}

/** The page URL query for filters (stable key order, empty values dropped). */
export function queueFiltersToSearch(f: QueueListFilters): string {
  const sp = new URLSearchParams();
  for (const key of ['kind', 'component', 'host', 'vhost', 'q', 'sort', 'order'] as const) {
    const v = f[key];
    if (v) sp.set(key, v);
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Clicking a column: first descending for numbers (biggest first), ascending for names; again flips. */
export function nextSort(current: QueueListFilters, column: QueueSort): Pick<QueueListFilters, 'sort' | 'order'> {
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
