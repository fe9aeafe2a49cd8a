// Pure shaping for queue lists: URL filters, sorting, grouping; replicas and retention in words.
import type { QueueRow, Replication, Retention } from '@/lib/api/schemas';
import { compareNatural, formatDuration } from '@/lib/domain/format';
import { isOneOf, QUEUE_KINDS, QUEUE_SORT_KEYS, type QueueSortKey, type ReplicationState } from '@/lib/domain/vocabulary';
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
  return [...byHost.entries()]
    .sort(([a], [b]) => compareNatural(a, b))
    .map(([host, queues]) => ({ host, queues: [...queues].sort((a, b) => compareNatural(a.name, b.name)) }));
}

/** The rows whose name holds the text, ignoring case: the server's rule, applied to what is loaded. */
export function narrowByName<R extends { name: string }>(rows: R[], text: string): R[] {
  const needle = text.toLowerCase();
  return needle ? rows.filter((r) => r.name.toLowerCase().includes(needle)) : rows;
}

/** What a replicated queue's state is called where a few words fit. */
const REPLICATION_WORDS: Readonly<Record<ReplicationState, string>> = Object.freeze({
  'no-quorum': 'below quorum',
  'no-leader': 'no leader',
  'leader-down': 'electing a leader',
  'member-down': 'replica down',
  complete: 'all replicas up',
  unknown: 'replicas up not known',
});

export interface ReplicaSummary {
  /** "2/3": replicas up of all. */
  text: string;
  words: string;
  tone: 'neutral' | 'amber' | 'red';
  /** Leader, members up and down, quorum: the whole story, for a tooltip. */
  title: string;
}

/** A quorum queue's or a stream's replicas in a few characters, and the rest for a tooltip. */
export function replicaSummary(r: Replication): ReplicaSummary {
  const online = r.online;
  const down = online === null ? [] : r.members.filter((m) => !online.includes(m));
  const tone = r.state === 'no-quorum' || r.state === 'no-leader' ? 'red' : r.state === 'leader-down' || r.state === 'member-down' ? 'amber' : 'neutral';
  const leader = r.leader === null ? 'no leader' : `leader ${r.leader}${r.leaderRunning === false ? ' (its node is down)' : ''}`;
  const up = online === null ? 'which replicas are up is not known' : `up: ${online.join(', ') || 'none'}${down.length ? ` · down: ${down.join(', ')}` : ''}`;
  return {
    text: `${online?.length ?? '?'}/${r.members.length}`,
    words: REPLICATION_WORDS[r.state],
    tone,
    title: `${REPLICATION_WORDS[r.state]} · ${leader} · ${up} · needs ${r.quorum} of ${r.members.length}`,
  };
}

/** "retains 12,345 messages for 1800s (30 min)": what a stream keeps, its messages being retention, not a backlog. */
export function retentionText(r: Retention): string {
  const messages = r.messages === null ? 'retains its messages' : `retains ${r.messages.toLocaleString('en-US')} message${r.messages === 1 ? '' : 's'}`;
  const age = r.maxAge === null ? '' : ` for ${r.maxAge}${r.maxAgeMs !== null && formatDuration(r.maxAgeMs) !== r.maxAge ? ` (${formatDuration(r.maxAgeMs)})` : ''}`;
  const bytes = r.maxLengthBytes === null ? '' : `${age ? ',' : ''} up to ${r.maxLengthBytes.toLocaleString('en-US')} bytes`;
  const segments = r.segments === null ? '' : ` in ${r.segments} segment${r.segments === 1 ? '' : 's'}`;
  return `${messages}${age}${bytes}${segments}`;
}
