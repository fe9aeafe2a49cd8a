import 'server-only';
// The answers about what the store remembers: a series over a range with its subject's events,
// and the journal grouped for reading. They answer whether the broker is reachable or not. Each
// reads a store already narrowed to what the operator asking may see (lib/store/narrowed.ts).
import type { HistoryResponse, JournalEntry, JournalResponse, StoreStatus } from '@/lib/api/schemas';
import { groupJournal, type JournalEntry as DomainEntry } from '@/lib/domain/journal';
import { SERVICE_KEPT_MS } from '@/lib/domain/findings/engine';
import type { EarlierRun, ServiceSeen } from '@/lib/domain/findings/types';
import { compareNatural } from '@/lib/domain/format';
import { refKey } from '@/lib/domain/keys';
import { queueSeriesKey } from '@/lib/domain/series';
import type { SeriesScope } from '@/lib/domain/vocabulary';
import type { ClusterState } from '@/lib/domain/state';
import type { CapturedTime, Remembered } from '@/lib/store/remembered';
import type { JournalQuery } from '@/lib/store/store';

/** Entries one answer reads at most; a group shows its newest few. */
const MAX_ENTRIES = 20_000;
const ENTRIES_PER_GROUP = 50;
const EVENTS_PER_CHART = 200;

export function storeStatusOf(store: Remembered | null, offReason: string): StoreStatus {
  if (!store) return { state: 'off', where: null, reason: offReason, since: null };
  const s = store.status();
  return s.state === 'ok' ? { state: 'ok', where: s.where, reason: null, since: null } : { state: 'unavailable', where: s.where, reason: s.reason, since: s.since };
}

const toEntry = (e: DomainEntry): JournalEntry => ({
  at: e.at,
  kind: e.kind,
  subject: e.subject,
  host: e.host,
  binary: e.binary,
  process: e.process,
  vhost: e.vhost,
  queue: e.queue,
  before: e.before,
  after: e.after,
});

export async function journalAnswer(
  store: Remembered | null,
  cluster: string,
  query: Omit<JournalQuery, 'limit'>,
  offReason: string,
): Promise<JournalResponse> {
  const read = store ? await store.journal(cluster, { ...query, limit: MAX_ENTRIES + 1 }) : null;
  const entries = (read ?? []).slice(0, MAX_ENTRIES);
  const groups = groupJournal(entries).map((g) => {
    const newest = g.entries.slice(-ENTRIES_PER_GROUP).reverse();
    return { kind: g.kind, binary: g.binary, from: g.from, to: g.to, count: g.count, entries: newest.map(toEntry), more: g.entries.length - newest.length };
  });
  return { store: storeStatusOf(store, offReason), from: query.from, to: query.to, groups, total: entries.length, truncated: (read?.length ?? 0) > MAX_ENTRIES };
}

/** What of the journal concerns one series' subject: marked on its chart. */
function eventsQueryOf(scope: SeriesScope, key: string): Omit<JournalQuery, 'from' | 'to'> | null {
  switch (scope) {
    case 'queue': {
      const slash = key.indexOf('/');
      try {
        return slash < 0 ? null : { vhost: decodeURIComponent(key.slice(0, slash)), queue: key.slice(slash + 1) };
      } catch {
        return null; // not a queue's key: no series, no events
      }
    }
    case 'process':
      return { process: key };
    case 'host':
      return { host: key };
    case 'component':
      return { binaryPrefix: `${key}-`, kinds: ['process-appeared', 'process-gone', 'finding-raised', 'finding-resolved'] };
    case 'global':
      return { kinds: ['node-down', 'node-up', 'node-alarm', 'node-alarm-cleared', 'policy-changed'] };
    case 'topic':
      return null;
  }
}

export async function historyAnswer(
  store: Remembered | null,
  cluster: string,
  query: { scope: SeriesScope; key: string; from: number; to: number },
  offReason: string,
): Promise<HistoryResponse> {
  const { scope, key, from, to } = query;
  const eventsQuery = eventsQueryOf(scope, key);
  const [series, events] = store
    ? await Promise.all([store.series(cluster, scope, key, from, to), eventsQuery ? store.journal(cluster, { ...eventsQuery, from, to, limit: EVENTS_PER_CHART }) : []])
    : [null, null];
  return {
    store: storeStatusOf(store, offReason),
    scope,
    key,
    from,
    to,
    stepMs: series?.stepMs ?? store?.resolutionFor(from, to).stepMs ?? 0,
    points: series?.points ?? [],
    events: (events ?? []).map(toEntry),
  };
}

/** The journal's findings are read this far back: the store keeps nothing older. */
const RECALL_MS = 14 * 86_400_000;

/** What an earlier run of the dashboard knew that the next one's rules need, from the journal; null when the store cannot say. */
export async function recallEarlierRun(store: Remembered, cluster: string, now: number): Promise<EarlierRun | null> {
  const [openSince, servicesSeen] = await Promise.all([recallOpenFindings(store, cluster, now), recallServicesSeen(store, cluster, now)]);
  return openSince && servicesSeen ? { openSince, servicesSeen } : null;
}

/**
 * The services seen consuming within the day (a consumer gained or lost by a process whose binary
 * is known): after a restart of the dashboard and the broker together, what no list shows any more.
 */
async function recallServicesSeen(store: Remembered, cluster: string, now: number): Promise<ServiceSeen[] | null> {
  const entries = await store.journal(cluster, { from: now - SERVICE_KEPT_MS, to: now, kinds: ['consumer-gained', 'consumer-lost'], limit: 100_000 });
  if (!entries) return null;
  const seen = new Map<string, { vhost: string; binary: string; hosts: Set<string>; lastSeen: number }>();
  for (const e of entries) {
    if (!e.binary || !e.vhost) continue;
    const key = refKey(e.vhost, e.binary);
    let s = seen.get(key);
    if (!s) seen.set(key, (s = { vhost: e.vhost, binary: e.binary, hosts: new Set(), lastSeen: e.at }));
    if (e.host) s.hosts.add(e.host);
    s.lastSeen = Math.max(s.lastSeen, e.at);
  }
  return [...seen.values()].map((s) => ({ ...s, hosts: [...s.hosts].sort(compareNatural) }));
}

/** The findings open when the dashboard last stopped, and since when (their last 'raised' with no 'resolved' after it); null when the store cannot say. */
async function recallOpenFindings(store: Remembered, cluster: string, now: number): Promise<Map<string, number> | null> {
  const entries = await store.journal(cluster, { from: now - RECALL_MS, to: now, kinds: ['finding-raised', 'finding-resolved'], limit: 100_000 });
  if (!entries) return null;
  const open = new Map<string, number>();
  const settled = new Set<string>();
  // Newest first: a finding whose last word is 'raised' is open, since the oldest 'raised' of
  // that run (a restart may have written it down again without a 'resolved' between).
  for (const e of entries) {
    if (e.subject.type !== 'finding' || settled.has(e.subject.id)) continue;
    if (e.kind === 'finding-raised') open.set(e.subject.id, e.at);
    else settled.add(e.subject.id);
  }
  return open;
}

/** How often each finding was raised between `from` and `to` (id → times); null when the store cannot say. */
export async function timesRaised(store: Remembered | null, cluster: string, from: number, to: number): Promise<Map<string, number> | null> {
  const entries = store ? await store.journal(cluster, { from, to, kinds: ['finding-raised'], limit: 100_000 }) : null;
  if (!entries) return null;
  const counted = new Map<string, number>();
  for (const e of entries) if (e.subject.type === 'finding') counted.set(e.subject.id, (counted.get(e.subject.id) ?? 0) + 1);
  return counted;
}

/**
 * What a capture carries of the store over [from, to]: the journal, and the history of the
 * broker, every component, topic and host, and the queues with an open finding, at the
 * resolution a chart of that range reads. Null where the store cannot say.
 */
export async function captureTime(store: Remembered, cluster: string, state: ClusterState, from: number, to: number): Promise<CapturedTime | null> {
  const journal = await store.journal(cluster, { from, to, limit: 200_000 });
  if (!journal) return null;
  const { topology } = state;
  const wanted: [SeriesScope, string][] = [['global', '']];
  for (const c of topology.components) wanted.push(['component', c.name]);
  for (const t of new Set(topology.topics.map((t) => t.name))) wanted.push(['topic', t]);
  const hosts = new Set<string>();
  for (const q of topology.queues) if (q.host) hosts.add(q.host);
  for (const p of topology.processes) if (p.host) hosts.add(p.host);
  for (const h of hosts) wanted.push(['host', h]);
  for (const f of state.findings.open) if (f.subject.type === 'queue') wanted.push(['queue', queueSeriesKey(f.subject.vhost, f.subject.name)]);
  const series: CapturedTime['series'] = [];
  for (const [scope, key] of wanted) {
    const answer = await store.series(cluster, scope, key, from, to);
    if (!answer) return null;
    if (answer.points.length) series.push({ scope, key, stepMs: answer.stepMs, points: answer.points });
  }
  return { from, to, journal, series };
}
