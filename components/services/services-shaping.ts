// Pure shaping for the message-bus service list: URL filters, grouping rows
// by component and topic, and the words for idleness, status and a ping's answer.
import type { ProbeResponse } from '@/lib/api/contract';
import type { ServiceRow, ServiceStatus } from '@/lib/domain/services';
import type { ServicesFilters } from '@/lib/client/links';
import { formatDuration } from '../ui/format';

interface ParamsLike {
  get(name: string): string | null;
}

export function parseServicesFilters(sp: ParamsLike): ServicesFilters {
  const f: ServicesFilters = {};
  for (const key of ['component', 'topic', 'vhost', 'q'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  return f;
}

/** Rows matching the filters: component and topic and vhost exactly, `q` as text in the host or server name. */
export function filterServiceRows(rows: ServiceRow[], f: ServicesFilters): ServiceRow[] {
  const needle = (f.q ?? '').trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.component || r.component === f.component) &&
      (!f.topic || r.topic === f.topic) &&
      (!f.vhost || r.vhost === f.vhost) &&
      (!needle || r.host.toLowerCase().includes(needle) || r.server.toLowerCase().includes(needle)),
  );
}

export interface ServiceGroup {
  key: string;
  vhost: string;
  component: string | null;
  topic: string;
  rows: ServiceRow[];
  /** Rows by status, for the group's header. */
  counts: Partial<Record<ServiceStatus, number>>;
}

const collator = new Intl.Collator('en', { numeric: true });

/** One table per (vhost, component, topic); groups by component then topic, hosts in natural order. */
export function groupServiceRows(rows: ServiceRow[]): ServiceGroup[] {
  const groups = new Map<string, ServiceGroup>();
  for (const r of rows) {
    const key = `${r.vhost}\u0000${r.component ?? ''}\u0000${r.topic}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, vhost: r.vhost, component: r.component, topic: r.topic, rows: [], counts: {} };
      groups.set(key, g);
    }
    g.rows.push(r);
    g.counts[r.status] = (g.counts[r.status] ?? 0) + 1;
  }
  const list = [...groups.values()];
  for (const g of list) g.rows.sort((a, b) => collator.compare(a.host, b.host) || collator.compare(a.server, b.server));
  return list.sort(
    (a, b) =>
      collator.compare(a.component ?? '\uffff', b.component ?? '\uffff') || collator.compare(a.topic, b.topic) || collator.compare(a.vhost, b.vhost),
  );
}

/** The distinct values of a field, sorted, for a filter's options (the current value kept even when absent). */
export function facet(rows: ServiceRow[], pick: (r: ServiceRow) => string | null, current?: string): string[] {
  const set = new Set<string>();
  for (const r of rows) {
    const v = pick(r);
    if (v) set.add(v);
  }
  if (current) set.add(current);
  return [...set].sort(collator.compare);
}

/** "busy" while the broker reports no idle_since, else "idle 3 min" (or the broker's text when it cannot be read). */
export function lastActivity(idleSince: string | null, now: number): string {
  if (idleSince === null) return 'busy';
  const t = parseIdleSince(idleSince);
  if (t === null) return `idle since ${idleSince}`;
  return `idle ${formatDuration(now - t)}`;
}

/**
 * RabbitMQ's idle_since: "2024-05-01T10:20:30.123+00:00" on recent versions,
 * "2024-05-01 10:20:30" (UTC) on older ones. Epoch ms, or null.
 */
export function parseIdleSince(s: string): number | null {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export const STATUS_STYLE: Record<ServiceStatus, { label: string; cls: string; title: string }> = {
  ok: { label: 'ok', cls: 'bg-emerald-50 text-emerald-700 ring-emerald-200', title: 'consumed, nothing waiting' },
  backlog: { label: 'backlog', cls: 'bg-amber-50 text-amber-800 ring-amber-300', title: 'consumed, but messages wait' },
  stuck: { label: 'stuck', cls: 'bg-red-50 text-red-700 ring-red-300', title: 'takes messages but does not acknowledge them' },
  'not-consuming': { label: 'not consuming', cls: 'bg-red-600 text-white ring-red-600', title: 'its process is connected but does not consume its queue' },
  down: { label: 'down', cls: 'bg-neutral-200 text-red-800 ring-neutral-400', title: 'no consumer and no connected process' },
};

export const STATUS_ORDER: ServiceStatus[] = ['not-consuming', 'stuck', 'down', 'backlog', 'ok'];

/** What a ping said, in the words shown in the row. */
export function probeText(r: ProbeResponse): { text: string; tone: 'green' | 'red' | 'amber' } {
  if (r.status === 'alive') return { text: `alive · ${r.latencyMs === null ? '?' : Math.round(r.latencyMs)} ms`, tone: 'green' };
  if (r.status === 'timeout') return { text: 'timeout — not consuming', tone: 'red' };
  return { text: r.detail || 'error', tone: 'amber' };
}
