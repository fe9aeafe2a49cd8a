// Pure shaping for the message-bus service list: URL filters, and the words for
// idleness, status and a ping's answer. Filtering and grouping are the server's (lib/domain/services).
import type { ProbeResponse } from '@/lib/api/schemas';
import { SERVICE_STATUSES, type ServiceStatus } from '@/lib/domain/vocabulary';
import type { ServicesFilters } from '@/lib/client/links';
import { formatDuration } from '../ui/format';

interface ParamsLike {
  get(name: string): string | null;
}

const STATUS_FILTERS: readonly string[] = [...SERVICE_STATUSES, 'trouble'];

/** Filters from the page URL's query; unknown values are dropped. */
export function parseServicesFilters(sp: ParamsLike): ServicesFilters {
  const f: ServicesFilters = {};
  for (const key of ['component', 'topic', 'vhost', 'q'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  const status = sp.get('status');
  if (status && STATUS_FILTERS.includes(status)) f.status = status as ServicesFilters['status'];
  return f;
}

/** "busy" while the queue is not idle, else "idle 3 min". */
export function lastActivity(idleSince: number | null, now: number): string {
  return idleSince === null ? 'busy' : `idle ${formatDuration(now - idleSince)}`;
}

export const STATUS_STYLE: Record<ServiceStatus, { label: string; cls: string; title: string }> = {
  ok: { label: 'ok', cls: 'bg-emerald-50 text-emerald-700 ring-emerald-200', title: 'consumed, nothing waiting' },
  backlog: { label: 'backlog', cls: 'bg-amber-50 text-amber-800 ring-amber-300', title: 'consumed, but messages wait' },
  stuck: { label: 'stuck', cls: 'bg-red-50 text-red-700 ring-red-300', title: 'takes messages but does not acknowledge them' },
  'not-consuming': { label: 'not consuming', cls: 'bg-red-600 text-white ring-red-600', title: 'its process is connected but does not consume its queue' },
  down: { label: 'down', cls: 'bg-neutral-200 text-red-800 ring-neutral-400', title: 'no consumer and no connected process' },
  unknown: { label: 'unknown', cls: 'bg-neutral-50 text-neutral-600 ring-neutral-300', title: 'the broker collects no statistics: whether it is consumed is not known' },
};


/** What a ping said, in the words shown in the row. */
export function probeText(r: ProbeResponse): { text: string; tone: 'green' | 'red' | 'amber' } {
  if (r.status === 'alive') return { text: `alive · ${r.latencyMs === null ? '?' : Math.round(r.latencyMs)} ms`, tone: 'green' };
  if (r.status === 'timeout') return { text: 'timeout — not consuming', tone: 'red' };
  return { text: r.detail || 'error', tone: 'amber' };
}
