// The store at 1000 hosts, always watching: what the scale simulator's cloud (with traffic) gives
// the history and the journal, refresh by refresh, written as the dashboard writes it (the write's
// time per refresh), then 14 days of those refreshes written at a faster clock (disk per day and
// for 14 days, a queue's 24 h chart, a host's 24 h timeline, opening the full store).
//   npm run bench:store -- [--hosts 1000] [--record-minutes 5] [--days 14] [--location postgres://...]
//   npm run bench:store -- --synthetic [--hosts 1000] [--days 14]   (no broker: a pessimistic made-up churn)
//
// The replay: the recorded refreshes in a loop, their journal entries at the replay's clock, and
// once a day a broker restart (every nova-compute reconnects: thousands of entries). Days older
// than the last are written every 10 min, the last day every minute, its last hour every 5 s:
// each resolution gets exactly the rows it would have had (a bucket holds its first point).
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ManagementClient } from '../../lib/broker/management-client';
import { DEFAULT_THRESHOLDS } from '../../lib/domain/findings/types';
import { digest, journalBetween, type JournalEntry, type TopologyDigest } from '../../lib/domain/journal';
import { seriesOf, type SeriesPoint } from '../../lib/domain/series';
import type { SeriesScope } from '../../lib/domain/vocabulary';
import { createCluster } from '../../lib/server/cluster';
import { brokerSource } from '../../lib/server/sources';
import { HistoryStore } from '../../lib/store/store';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, startScaleCloud, useBroker } from './cloud-setup';
import { cleanupAll, installSignalHandlers, sleep } from './procs';

const { values } = parseArgs({
  options: {
    ...BROKER_AND_CLOUD_ARGS,
    days: { type: 'string', default: '14' },
    'record-minutes': { type: 'string', default: '5' },
    location: { type: 'string' },
    synthetic: { type: 'boolean', default: false },
  },
});
const hosts = Number(values.hosts);
const days = Number(values.days);
const dir = mkdtempSync(path.join(tmpdir(), 'lens-bench-store-'));
const location = values.location ?? path.join(dir, 'history.sqlite');

interface Refresh {
  series: Map<SeriesScope, Map<string, SeriesPoint>>;
  entries: JournalEntry[];
}

const host = (i: number) => `compute${String(i).padStart(4, '0')}`;
const QUEUES_PER_HOST = 12;
const TOPICS = ['compute', 'conductor', 'scheduler', 'q-agent-notifier-port-update', 'q-plugin', 'l3_agent', 'dhcp_agent', 'cinder-volume', 'notifications.info'];

let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const round = (n: number) => Math.round(n * 100) / 100;

function series(tick: number): Map<SeriesScope, Map<string, SeriesPoint>> {
  const point = (busy: boolean, base: number): SeriesPoint =>
    busy
      ? { ready: Math.floor(random() * 3), unacked: Math.floor(random() * 2), consumers: 1, publish: round(base * random()), deliver: round(base * random()), ack: round(base * random()), redeliver: 0 }
      : { ready: 0, unacked: 0, consumers: 1, publish: 0, deliver: 0, ack: 0, redeliver: 0 };
  const queues = new Map<string, SeriesPoint>();
  for (let h = 1; h <= hosts; h++)
    for (let q = 0; q < QUEUES_PER_HOST; q++) {
      const busy = q === 0 || (h + q + tick) % 50 === 0 || random() < 0.02;
      queues.set(`openstack/${TOPICS[q % TOPICS.length]}.${host(h)}.${q}`, point(busy, 2));
    }
  const processes = new Map<string, SeriesPoint>();
  for (let h = 1; h <= hosts; h++) {
    processes.set(`nova-compute:${1000 + h}@10.0.${h >> 8}.${h & 255}`, point(random() < 0.3, 1));
    processes.set(`neutron-openvswitch-agent:${5000 + h}@10.0.${h >> 8}.${h & 255}`, point(random() < 0.3, 1));
  }
  const sums = (keys: readonly string[]) => new Map(keys.map((k) => [k, point(true, 50)]));
  return new Map<SeriesScope, Map<string, SeriesPoint>>([
    ['global', sums([''])],
    ['component', sums(['nova', 'neutron', 'cinder', 'openstack'])],
    ['topic', sums(TOPICS)],
    ['queue', queues],
    ['process', processes],
    ['host', new Map(Array.from({ length: hosts }, (_, i) => [host(i + 1), point(random() < 0.2, 1)]))],
  ]);
}

function entries(at: number, restart: boolean, tick: number): JournalEntry[] {
  const base = { at, vhost: 'openstack', before: null, after: null };
  const lost = (h: number, kind: 'consumer-lost' | 'consumer-gained'): JournalEntry => ({
    ...base,
    kind,
    subject: { type: 'queue', vhost: 'openstack', name: `compute.${host(h)}` },
    host: host(h),
    binary: 'nova-compute',
    process: `nova-compute:${1000 + h}@10.0.${h >> 8}.${h & 255}`,
    queue: `compute.${host(h)}`,
  });
  if (!restart) return [lost((tick % hosts) + 1, tick % 2 ? 'consumer-lost' : 'consumer-gained')];
  const all: JournalEntry[] = [];
  for (let h = 1; h <= hosts; h++) {
    const process = `nova-compute:${1000 + h}@10.0.${h >> 8}.${h & 255}`;
    all.push({ ...base, kind: 'connection-closed', subject: { type: 'connection', name: `10.0.0.${h}:4${h} -> 10.1.0.1:5672` }, host: host(h), binary: 'nova-compute', process, queue: null, vhost: null });
    all.push({ ...base, kind: 'connection-opened', subject: { type: 'connection', name: `10.0.0.${h}:5${h} -> 10.1.0.1:5672` }, host: host(h), binary: 'nova-compute', process, queue: null, vhost: null });
    for (let q = 0; q < 3; q++) all.push(lost(h, 'consumer-lost'), lost(h, 'consumer-gained'));
  }
  return all;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
const size = () => (location.startsWith('postgres') ? NaN : readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0));

/**
 * Records what a live cloud gives the store: the dashboard's own pipeline in this process (the
 * cluster always watched, counts from the plugin), each refresh's journal and history written to a
 * store as the dashboard does, one at a time. The write's time per refresh is the figure.
 */
async function recordLive(minutes: number): Promise<Refresh[]> {
  const opts = brokerAndCloudOptions(values);
  const log = (line: string) => console.error(line);
  const { broker, amqpUrl, prometheusUrl } = useBroker(opts, log, path.join(dir, 'broker.log'));
  if (opts.cloud === 'start') await startScaleCloud(broker, amqpUrl, { ...opts, hosts, controllers: Number(values.controllers), traffic: true }, log, dir);
  const client = new ManagementClient({ baseUrl: broker.url, username: broker.username, password: broker.password, timeoutMs: 60_000 });
  const cluster = createCluster({
    id: 'bench',
    name: 'bench',
    managementUrl: broker.url,
    source: brokerSource({ client, topologyIntervalMs: 60_000, refreshIntervalMs: 2000, requestTimeoutMs: 60_000, prometheus: prometheusUrl ? { urls: [prometheusUrl] } : null }),
    actions: { probe: { enabled: false, reason: 'bench' }, peek: { enabled: false, reason: 'bench' } },
    thresholds: DEFAULT_THRESHOLDS,
    historySamples: 120,
    refreshIntervalMs: 2000,
    topologyIntervalMs: 60_000,
    watch: 'always',
  });
  const store = new HistoryStore({ location: path.join(dir, 'live.sqlite') });
  await store.open();
  const recorded: Refresh[] = [];
  const writeMs: number[] = [];
  const computeMs: number[] = [];
  const rows: number[] = [];
  let last: TopologyDigest | null = null;
  let queued: Parameters<typeof digest>[0] | null = null;
  let writing = false;
  let recording = false;
  const drain = async () => {
    if (writing) return;
    writing = true;
    while (queued) {
      const state = queued;
      queued = null;
      const began = performance.now();
      const now = digest(state);
      const entries = last ? journalBetween(last, now) : [];
      const series = seriesOf(state);
      const computed = performance.now();
      const result = await store.write('bench', state.at, series, entries);
      const wrote = performance.now();
      last = now;
      if (!result.ok) throw new Error(`write failed: ${JSON.stringify(store.status())}`);
      if (!recording) continue;
      computeMs.push(computed - began);
      writeMs.push(wrote - computed);
      rows.push(result.rows);
      recorded.push({ series, entries });
    }
    writing = false;
  };
  cluster.subscribe((event) => {
    if (event.outcome !== 'ok') return;
    queued = event.state;
    void drain();
  });
  await cluster.refresh();
  // Past the first whole read and the first writes of every series.
  await sleep(90_000);
  recording = true;
  const from = Date.now();
  await sleep(minutes * 60_000);
  recording = false;
  const state = cluster.latest()!;
  console.log(`# live: ${hosts} hosts, ${state.topology.queues.length} queues, ${state.topology.processes.length} processes, ${[...seriesOf(state).values()].reduce((n, m) => n + m.size, 0)} series; ${recorded.length} refreshes in ${((Date.now() - from) / 60_000).toFixed(1)} min`);
  console.log(`journal and points of a refresh: median ${median(computeMs).toFixed(1)} ms, p95 ${p95(computeMs).toFixed(1)} ms (the dashboard's work, not the store's)`);
  console.log(`store write per refresh: median ${median(writeMs).toFixed(1)} ms, p95 ${p95(writeMs).toFixed(1)} ms, max ${Math.max(...writeMs).toFixed(1)} ms (target ≤ 50 ms); rows per refresh: median ${median(rows)}, p95 ${p95(rows)}`);
  console.log(`journal entries in the recording: ${recorded.reduce((n, r) => n + r.entries.length, 0)}`);
  await store.close();
  return recorded;
}

/** A pessimistic made-up churn, without a broker. */
function synthetic(count: number): Refresh[] {
  return Array.from({ length: count }, (_, tick) => ({ series: series(tick), entries: entries(0, false, tick) }));
}

/** A broker restart's journal: every nova-compute reconnects. */
function restartEntries(at: number): JournalEntry[] {
  return entries(at, true, 0);
}

async function main(): Promise<void> {
  installSignalHandlers();
  const recorded = values.synthetic ? synthetic(150) : await recordLive(Number(values['record-minutes']));
  await cleanupAll(() => undefined);
  const DAY = 86_400_000;
  const end = Date.parse('2026-11-28T00:00:00Z');
  const start = end - days * DAY;
  let now = start;
  const store = new HistoryStore({ location, now: () => now });
  await store.open();
  const writeMs: number[] = [];
  const lastHourMs: number[] = [];
  let tick = 0;
  let rows = 0;
  let sizeAfterFirstDay = NaN;
  const t0 = performance.now();
  for (now = start; now < end; tick++) {
    const left = end - now;
    const step = left > DAY ? 600_000 : left > 3_600_000 ? 60_000 : 5000;
    const restart = tick > 0 && Math.floor(now / DAY) !== Math.floor((now - step) / DAY);
    const refresh = recorded[tick % recorded.length]!;
    const journal = [...refresh.entries.map((e) => ({ ...e, at: now })), ...(restart ? restartEntries(now) : [])];
    const began = performance.now();
    const result = await store.write('default', now, refresh.series, journal);
    const ms = performance.now() - began;
    if (!result.ok) throw new Error(`write failed: ${JSON.stringify(store.status())}`);
    rows += result.rows;
    writeMs.push(ms);
    if (step === 5000) lastHourMs.push(ms);
    if (Number.isNaN(sizeAfterFirstDay) && now - start >= DAY) sizeAfterFirstDay = size();
    now += step;
  }
  await store.prune(now);
  const total = size();
  console.log(`# replay: ${days} days written at a faster clock (${location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}), from ${recorded.length} ${values.synthetic ? 'made-up' : 'recorded'} refreshes in a loop`);
  console.log(`${tick} writes, ${rows} rows, in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`write per refresh at 5 s (the last hour): median ${median(lastHourMs).toFixed(1)} ms, p95 ${p95(lastHourMs).toFixed(1)} ms, max ${Math.max(...lastHourMs).toFixed(1)} ms (target ≤ 50 ms)`);
  if (!Number.isNaN(total)) console.log(`disk: ${(sizeAfterFirstDay / 2 ** 20).toFixed(0)} MB after the first day (at 10 min); ${(total / 2 ** 20).toFixed(0)} MB for ${days} days (target ≤ 1 GB)`);
  await store.close();

  // Opening the full store as a restarted dashboard would, and what an operator asks of it.
  const opened = performance.now();
  const again = new HistoryStore({ location, now: () => now });
  await again.open();
  const first = await again.write('default', now, recorded[0]!.series, []);
  console.log(`opening the full store and its first write (every series again): ${(performance.now() - opened).toFixed(0)} ms (target ≤ 5 s; ok ${first.ok})`);
  const queueKeys = [...(recorded[0]!.series.get('queue')?.keys() ?? [])].filter((k) => /\/compute\./.test(k));
  const hostKeys = [...(recorded[0]!.series.get('host')?.keys() ?? [])];
  const chart: number[] = [];
  const timeline: number[] = [];
  let points = 0;
  let events = 0;
  for (let i = 0; i < 5; i++) {
    const q = queueKeys[(i * 37) % queueKeys.length] ?? `openstack/compute.${host(1 + i * 37)}.0`;
    const h = hostKeys[(i * 37) % hostKeys.length] ?? host(1 + i * 37);
    let t = performance.now();
    points = (await again.series('default', 'queue', q, now - DAY, now))!.points.length;
    chart.push(performance.now() - t);
    t = performance.now();
    events = (await again.journal('default', { from: now - DAY, to: now, host: h }))!.length;
    timeline.push(performance.now() - t);
  }
  console.log(`a queue's 24 h chart: median ${median(chart).toFixed(1)} ms (${points} points; target ≤ 300 ms)`);
  console.log(`a host's 24 h timeline: median ${median(timeline).toFixed(1)} ms (${events} entries; target ≤ 300 ms)`);
  await again.close();
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
    // The cluster's timers and the broker's sockets would keep the process alive.
    process.exit();
  });
