// Every URL the browser builds goes through here: page hrefs and /api paths.
// Names may hold any Unicode, '/', '%', '#', '?', spaces: each one becomes a
// single path segment via encodeURIComponent, never by string concatenation
// elsewhere.
import { exchangeSegment } from '@/lib/api/paths';
import type { FindingSubject, JournalEntry } from '@/lib/api/schemas';
import type { HistoryRange, QueueKind, QueueSortKey, RuleId, SeriesScope, ServiceStatus, SortOrder } from '@/lib/domain/vocabulary';

/** The cluster configured from the environment (without DASHBOARD_CONFIG, the only one). */
export const DEFAULT_CLUSTER = 'default';

const seg = (s: string): string => encodeURIComponent(s);

/** Every page of a cluster lives under `/c/{cluster}`; the link helpers below give the rest of the path. */
export function clusterHref(cluster: string, path = '/'): string {
  return `/c/${seg(cluster)}${path === '/' ? '' : path}`;
}

/** The cluster a page path belongs to, or null (`/`, `/login`, …). */
export function clusterOfPath(pathname: string): string | null {
  const m = /^\/c\/([^/?#]+)/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/** Paths that belong to no cluster: left as they are by inCluster. */
const OUTSIDE_CLUSTERS = /^\/(c|api|login|metrics|_next)(\/|$|\?)/;

/** A page path of the link helpers, placed in a cluster (anything else as it is). */
export function inCluster(cluster: string | null, href: string): string {
  if (cluster === null || !href.startsWith('/') || href.startsWith('//') || OUTSIDE_CLUSTERS.test(href)) return href;
  return href === '/' ? clusterHref(cluster) : `${clusterHref(cluster)}${href}`;
}

// ------------------------------------------------------------------ pages

export function queueHref(vhost: string, name: string): string {
  return `/queues/${seg(vhost)}/${seg(name)}`;
}
export function exchangeHref(vhost: string, name: string, routingKey?: string): string {
  const path = `/exchanges/${seg(vhost)}/${exchangeSegment(name)}`;
  return routingKey === undefined ? path : `${path}?${new URLSearchParams({ key: routingKey })}`;
}
export function processHref(id: string): string {
  return `/processes/${seg(id)}`;
}
export function componentHref(name: string): string {
  return `/components/${seg(name)}`;
}
/** Everything on one hypervisor or controller: every host link leads here. */
export function hostHref(host: string): string {
  return `/hosts/${seg(host)}`;
}

export interface TimelineFilters {
  host?: string;
  binary?: string;
  vhost?: string;
  queue?: string;
  /** Journal kinds, comma separated in the URL. */
  kind?: string[];
  range?: HistoryRange;
  /** A window of its own (epoch ms), e.g. the minutes around a point of a chart. */
  from?: number;
  to?: number;
}

export function timelineHref(f: TimelineFilters = {}): string {
  return `/timeline${query({ host: f.host, binary: f.binary, vhost: f.vhost, queue: f.queue, kind: f.kind?.join(',') || undefined, range: f.range, from: f.from, to: f.to })}`;
}

/** "What changed around here": the journal of the minutes around one moment, narrowed like the chart it came from. */
export function aroundHref(t: number, f: Omit<TimelineFilters, 'from' | 'to' | 'range'> = {}, minutes = 5): string {
  return timelineHref({ ...f, from: t - minutes * 60_000, to: t + minutes * 60_000 });
}

/** What the coming RabbitMQ versions take away that this cloud uses. */
export function upgradeHref(): string {
  return '/upgrade';
}

/** The overview's nodes section. */
export function nodesHref(): string {
  return '/#nodes';
}

export interface FindingsFilters {
  rule?: RuleId;
  q?: string;
  /** A finding id to scroll to and highlight. */
  focus?: string;
}

export function findingsHref(filters: FindingsFilters = {}): string {
  return `/findings${query({ rule: filters.rule, q: filters.q, focus: filters.focus })}`;
}

/** One finding on the findings page. */
export function findingHref(id: string): string {
  return findingsHref({ focus: id });
}

export interface ServicesFilters {
  component?: string;
  topic?: string;
  vhost?: string;
  /** Text on the host. */
  q?: string;
  status?: ServiceStatus | 'trouble';
}

export function servicesHref(filters: ServicesFilters = {}): string {
  return `/services${query({ component: filters.component, topic: filters.topic, vhost: filters.vhost, q: filters.q, status: filters.status })}`;
}

/** Where a finding's subject lives in the dashboard; null when it has no page (a connection of no known process). */
export function subjectHref(subject: FindingSubject): string | null {
  switch (subject.type) {
    case 'queue':
      return queueHref(subject.vhost, subject.name);
    case 'process':
      return processHref(subject.id);
    case 'connection':
      return subject.processId ? processHref(subject.processId) : null;
    case 'node':
      return nodesHref();
  }
}

/** Where a journal entry's subject lives: the queue, the process (of a connection too), the node, the finding's subject. */
export function journalSubjectHref(e: JournalEntry): string | null {
  const s = e.subject;
  switch (s.type) {
    case 'queue':
      return queueHref(s.vhost, s.name);
    case 'process':
      return processHref(s.id);
    case 'connection':
      return e.process ? processHref(e.process) : null;
    case 'node':
      return nodesHref();
    case 'policy':
      return null;
    case 'finding':
      return subjectHref(s.about);
  }
}

export interface QueueListFilters {
  kind?: QueueKind | '';
  component?: string;
  host?: string;
  vhost?: string;
  q?: string;
  sort?: QueueSortKey;
  order?: SortOrder;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** The queue list, pre-filtered (e.g. a component's queues, a host's queues). */
export function queuesHref(filters: QueueListFilters = {}): string {
  return `/queues${query({ ...filters })}`;
}

export function exchangesHref(filters: { q?: string } = {}): string {
  return `/exchanges${query({ q: filters.q })}`;
}

export function processesHref(filters: { q?: string; vhost?: string } = {}): string {
  return `/processes${query({ q: filters.q, vhost: filters.vhost })}`;
}

// ------------------------------------------------------------------ API

const api = (cluster: string) => `/api/v1/clusters/${seg(cluster)}`;

/** What to ask /findings for: a summary (`limit`), or one subject's findings. */
export interface FindingsQuery {
  limit?: number;
  vhost?: string;
  queue?: string;
  process?: string;
}

export const apiPath = {
  session: (): string => '/api/v1/session',
  clusters: (include?: 'health'): string => `/api/v1/clusters${include ? `?include=${include}` : ''}`,
  overview: (cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/overview`,
  capture: (cluster = DEFAULT_CLUSTER, range?: HistoryRange): string => `${api(cluster)}/capture${query({ range })}`,
  exchanges: (f: { group?: string; vhost?: string; q?: string } = {}, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/exchanges${query(f)}`,
  exchange: (vhost: string, name: string, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/exchanges/${seg(vhost)}/${exchangeSegment(name)}`,
  route: (vhost: string, name: string, key: string, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/exchanges/${seg(vhost)}/${exchangeSegment(name)}/route?${new URLSearchParams({ key })}`,
  component: (name: string, cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/components/${seg(name)}`,
  flow: (component: string, f: FlowFilters, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/components/${seg(component)}/flow${query({ topic: f.topic, vhost: f.vhost, expand: f.expand?.join(',') || undefined })}`,
  queues: (f: QueueListFilters & { page?: number; pageSize?: number } = {}, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/queues${query({ ...f })}`,
  queue: (vhost: string, name: string, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/queues/${seg(vhost)}/${seg(name)}`,
  processes: (f: { q?: string; vhost?: string; limit?: number } = {}, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/processes${query({ q: f.q, vhost: f.vhost, limit: f.limit })}`,
  process: (id: string, cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/processes/${seg(id)}`,
  host: (host: string, cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/hosts/${seg(host)}`,
  history: (f: HistoryQuery, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/history${query({ scope: f.scope, key: f.key, range: f.range, from: f.from, to: f.to })}`,
  journal: (f: TimelineFilters, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/journal${query({ host: f.host, binary: f.binary, vhost: f.vhost, queue: f.queue, kind: f.kind?.join(',') || undefined, range: f.range, from: f.from, to: f.to })}`,
  findings: (f: FindingsQuery = {}, cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/findings${query({ ...f })}`,
  services: (f: ServicesFilters & { limitPerGroup?: number } = {}, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/services${query({ component: f.component, topic: f.topic, vhost: f.vhost, q: f.q, status: f.status, limitPerGroup: f.limitPerGroup })}`,
  upgrade: (cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/upgrade`,
  probe: (cluster = DEFAULT_CLUSTER): string => `${api(cluster)}/probe`,
  peek: (vhost: string, name: string, cluster = DEFAULT_CLUSTER): string =>
    `${api(cluster)}/queues/${seg(vhost)}/${seg(name)}/peek`,
};

/** One series of the history: `key` is a queue's `vhost/name` (vhost URL-encoded), a process id, a host, a component or topic name, '' for global. */
export interface HistoryQuery {
  scope: SeriesScope;
  key: string;
  range?: HistoryRange;
  from?: number;
  to?: number;
}

export interface FlowFilters {
  topic?: string;
  vhost?: string;
  /** Queue groups shown one by one. */
  expand?: string[];
}

/** The flow picture of one topic of a component. */
export function flowHref(component: string, f: FlowFilters = {}): string {
  return `/components/${seg(component)}/flow${query({ topic: f.topic, vhost: f.vhost, expand: f.expand?.join(',') || undefined })}`;
}

export function parseFlowFilters(sp: URLSearchParams): FlowFilters {
  return {
    topic: sp.get('topic') ?? undefined,
    vhost: sp.get('vhost') ?? undefined,
    expand: sp.get('expand')?.split(',').filter(Boolean) ?? [],
  };
}

/** The sign-in page, coming back to `next` afterwards. */
export function signInHref(next?: string): string {
  return next && next !== '/' ? `/login?${new URLSearchParams({ next })}` : '/login';
}

/**
 * Where to go after signing in: only a path of this dashboard. Anything else (another site,
 * `//host`, `/\\host`, the sign-in page itself) goes to the overview, so the link cannot be
 * used to send an operator elsewhere.
 */
export function afterSignIn(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, 'http://dashboard.invalid');
    if (url.origin !== 'http://dashboard.invalid' || url.pathname === '/login') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
