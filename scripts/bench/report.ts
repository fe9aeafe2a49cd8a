// The table of issue 4 and the details behind it, as markdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FilterRun, OverviewBytes, QueueScroll, VisibleRun } from './browser';
import type { CpuPart, HotSpot } from './dashboard-read';
import type { ViewersResult } from './viewers';
import { kB, MB, ms, n } from './stats';

export interface Results {
  options: Record<string, unknown>;
  startedAt: string;
  elapsedMs?: number;
  machine: { nproc: number; memGiB: number; cpuModel: string; kernel: string; node: string; next: string; commit: string; dirty: string[] };
  serverCommit?: string;
  errors: string[];
  brokerSource?: string;
  cloudStartupMs?: number;
  broker?: { url: string; rabbitmq: string; erlang: string; totals: Record<string, number> };
  floor?: {
    median: number;
    runs: number[];
    requests: number;
    typical: {
      ms: number;
      lists: { list: string; cadence: string; requests: number; items: number; wireBytes: number; bytes: number; slowestRequestMs: number; doneMs: number }[];
    };
  };
  dashboard?: { median: number; fetchMedian: number; buildMedian: number; runs: { ms: number; fetchMs: number; buildMs: number }[] };
  build?: { median: number; runs: number[]; inputs: Record<string, number> };
  cpu?: CpuPart[];
  buildProfile?: HotSpot[];
  extra?: {
    countsFloor: { median: number; runs: number[] };
    countsDashboard: { median: number; runs: { ms: number; fetchMs: number; buildMs: number }[] };
    unpagedFloor: { median: number; runs: number[]; lists: { list: string; ms: number; doneMs: number; wireBytes: number; bytes: number; items: number }[] };
  };
  proxyByPath?: { path: string; requests: number; medianMs: number; maxMs: number; wireBytesPerRequest: number; unfinishedOrFailed: number }[];
  refreshFailures?: { total: number; byMessage: Record<string, number> };
  buildMs?: number;
  server?: { firstSnapshotMs: number; refreshIntervalMs: number | null; topologyRefreshMs: number | null; env: Record<string, string> };
  apiSizes?: { path: string; wire: number; decoded: number; ms: number; status: number }[];
  chromium?: string;
  bytes?: OverviewBytes;
  visible?: { median: number; runs: VisibleRun[] };
  rows?: QueueScroll;
  filter?: { median: number; runs: FilterRun[]; apiMedianMs: number };
  viewers?: (ViewersResult & {
    brokerRequests: number;
    perMinute: number;
    byPath: Record<string, number>;
    refreshes: number;
    topologyReads: number;
  })[];
  memory?: {
    rssAfter10: number | null;
    final: number;
    finalRefreshes: number;
    peak: number;
    peakPhase?: string;
    processes: { pid: number; rss: number; cmd: string }[];
    samples: { t: number; rss: number; refreshes: number; phase?: string }[];
  };
  proxyTotals?: { total: number; byPath: Record<string, number> };
}

const verdict = (value: number | null | undefined, limit: number) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value <= limit ? 'met' : '**missed**';

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function mainTable(r: Results): string {
  const hosts = Number(r.options.hosts);
  const floor = r.floor?.median;
  const dash = r.dashboard?.median;
  const ratio = floor && dash ? dash / floor : Number.NaN;
  const kinds = r.bytes?.byKind ?? {};
  const page = (k: string) => (kinds[k] ? `${kB(kinds[k].wire)}` : '0');
  const v1 = r.viewers?.[0];
  const vN = r.viewers?.[1];
  const reqRatio = v1 && vN && v1.brokerRequests > 0 ? vN.brokerRequests / v1.brokerRequests : Number.NaN;
  const mem = r.memory?.rssAfter10 ?? r.memory?.final;
  const rows: string[][] = [
    ['floor: lean raw requests in parallel (node:http), median', 'reported', floor ? ms(floor) : 'n/a', ''],
    [
      `dashboard full refresh (readBroker + buildTopology, both cadences), median of ${r.dashboard?.runs.length ?? 0}`,
      '≤ 1.25 × floor',
      dash ? `${ms(dash)} = ${ratio.toFixed(2)} × floor (fetch ${ms(r.dashboard!.fetchMedian)}, build ${ms(r.dashboard!.buildMedian)})` : 'n/a',
      verdict(ratio, 1.25),
    ],
    ['model build alone (buildTopology on fetched inputs), median', '≤ 250 ms', r.build ? ms(r.build.median) : 'n/a', verdict(r.build?.median, 250)],
    [
      'bytes for the overview: its API answers, as transferred (gzip)',
      '≤ 150 kB',
      r.bytes
        ? `${kB(r.bytes.apiWire)} (${r.bytes.api.map((a) => `${new URL(a.url).pathname.replace('/api/v1/clusters', '').replace('/default', '') || '/clusters'} ${kB(a.wire)}`).join(', ')}); page: JS ${page('script')}, HTML ${page('document')}, CSS ${page('stylesheet')}, fonts ${page('font')}, RSC prefetch ${page('rsc')}`
        : 'n/a',
      verdict(r.bytes?.apiWire, 150_000),
    ],
    ['overview visible in Chromium after navigation, warm snapshot (goto → first card painted), median', '≤ 1.5 s', r.visible ? ms(r.visible.median) : 'n/a', verdict(r.visible?.median, 1500)],
    [
      'queue list with all queues: DOM rows at any time (max while scrolling)',
      '≤ 200',
      r.rows ? `${r.rows.maxRows} (of ${n(r.rows.rowCount)} queues; scrolled to the end: ${r.rows.reachedEnd ? 'yes' : 'no'})` : 'n/a',
      verdict(r.rows?.maxRows, 200),
    ],
    ['typing a filter until the list shows only the matches, all of them (from the last key), median', '≤ 150 ms', r.filter ? ms(r.filter.median) : 'n/a', verdict(r.filter?.median, 150)],
    [
      `management requests per minute, ${vN?.viewers ?? '?'} viewers vs 1`,
      '≤ 1.1 ×',
      v1 && vN ? `${reqRatio.toFixed(2)} × (${n(Math.round(vN.perMinute))} vs ${n(Math.round(v1.perMinute))} per minute)` : 'n/a',
      verdict(reqRatio, 1.1),
    ],
    [
      'server memory (RSS of the next server) after 10 refreshes',
      '≤ 400 MB',
      r.memory ? `${MB(mem ?? Number.NaN)} (${r.memory.finalRefreshes} refreshes: ${MB(r.memory.final)}; peak ${MB(r.memory.peak)})` : 'n/a',
      verdict(mem, 400e6),
    ],
  ];
  return table(['figure', `target at 1000 hosts`, `measured at ${n(hosts)} hosts`, ''], rows);
}

export function writeReport(r: Results, file: string): string {
  const parts: string[] = [];
  const t = r.broker?.totals ?? {};
  parts.push(`# Rabbit Lens benchmark: ${n(Number(r.options.hosts))} hosts`);
  parts.push(
    [
      `Commit ${r.machine.commit}${r.machine.dirty.length ? ` with local changes (${r.machine.dirty.join(', ')})` : ''}${r.serverCommit && r.serverCommit !== r.machine.commit ? `; the server was built at ${r.serverCommit}` : ''}.`,
      `${r.startedAt}; ${r.machine.nproc} CPUs (${r.machine.cpuModel}), ${r.machine.memGiB.toFixed(1)} GiB; Node ${r.machine.node}, Next ${r.machine.next}${r.chromium ? `, Chromium ${r.chromium}` : ''}.`,
      r.broker
        ? `RabbitMQ ${r.broker.rabbitmq} (Erlang ${r.broker.erlang}), ${r.brokerSource}: ${n(t.queues ?? NaN)} queues, ${n(t.exchanges ?? NaN)} exchanges, ${n(t.connections ?? NaN)} connections, ${n(t.channels ?? NaN)} channels, ${n(t.consumers ?? NaN)} consumers.`
        : '',
      r.cloudStartupMs ? `The simulated cloud took ${ms(r.cloudStartupMs)} to start.` : '',
      r.server ? `Dashboard: REFRESH_INTERVAL_MS ${r.server.refreshIntervalMs}, TOPOLOGY_REFRESH_MS ${r.server.topologyRefreshMs}; first snapshot ${ms(r.server.firstSnapshotMs)} after start.` : '',
      r.elapsedMs ? `The run took ${ms(r.elapsedMs)}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  parts.push(mainTable(r));
  if (r.errors.length) parts.push(`**Errors:**\n\n${r.errors.map((e) => `- ${e}`).join('\n')}`);

  if (r.floor) {
    parts.push('## Where a full refresh goes');
    parts.push(
      `Floor runs: ${r.floor.runs.map((x) => ms(x)).join(', ')}. Dashboard runs: ${r.dashboard?.runs.map((x) => `${ms(x.ms)} (build ${ms(x.buildMs)})`).join(', ') ?? 'n/a'}.`,
    );
    parts.push(`Per list, in the floor run closest to its median (${ms(r.floor.typical.ms)}, ${r.floor.requests} requests; lists in parallel, pages 4 at a time after the first):`);
    const cpu = new Map((r.cpu ?? []).map((c) => [c.list, c]));
    parts.push(
      table(
        ['list', 'cadence', 'requests', 'items', 'wire', 'decoded', 'slowest request', 'list done at', 'zod parse', 'mapping'],
        [...r.floor.typical.lists]
          .sort((a, b) => b.doneMs - a.doneMs)
          .map((l) => [
            l.list,
            l.cadence,
            l.requests,
            n(l.items),
            kB(l.wireBytes),
            kB(l.bytes),
            ms(l.slowestRequestMs),
            ms(l.doneMs),
            cpu.get(l.list) ? ms(cpu.get(l.list)!.parseMs) : '–',
            cpu.get(l.list) ? ms(cpu.get(l.list)!.mapMs) : '–',
          ]),
      ),
    );
    if (r.cpu) {
      const parse = r.cpu.reduce((s, c) => s + (Number.isFinite(c.parseMs) ? c.parseMs : 0), 0);
      const map = r.cpu.reduce((s, c) => s + (Number.isFinite(c.mapMs) ? c.mapMs : 0), 0);
      parts.push(`CPU lib/broker spends on these answers beyond the floor: zod ${ms(parse)}, mapping ${ms(map)} (measured apart, on the floor's answers).`);
    }
    if (r.extra) {
      parts.push(
        `Fast cadence only (topology known), what the dashboard asks every refresh: floor ${ms(r.extra.countsFloor.median)}, dashboard ${ms(r.extra.countsDashboard.median)} (runs: floor ${r.extra.countsFloor.runs.map((x) => ms(x)).join(', ')}; dashboard ${r.extra.countsDashboard.runs.map((x) => ms(x.ms)).join(', ')}).`,
      );
      parts.push(
        `Not lib/broker's requests, for comparison: the same lists and columns, each list in one request (no paging): ${ms(r.extra.unpagedFloor.median)} (runs ${r.extra.unpagedFloor.runs.map((x) => ms(x)).join(', ')}).`,
      );
      if (r.extra.unpagedFloor.lists.length)
        parts.push(
          table(
            ['list (unpaged)', 'items', 'wire', 'decoded', 'request'],
            [...r.extra.unpagedFloor.lists].sort((a, b) => b.ms - a.ms).map((l) => [l.list, n(l.items), kB(l.wireBytes), kB(l.bytes), ms(l.ms)]),
          ),
        );
    }
    if (r.build) parts.push(`buildTopology inputs: ${Object.entries(r.build.inputs).map(([k, v]) => `${n(v)} ${k}`).join(', ')}; runs ${r.build.runs.map((x) => ms(x)).join(', ')}.`);
  }

  if (r.buildProfile?.length) {
    parts.push('## Where buildTopology spends its time (V8 sampling profile, self time per build)');
    parts.push(table(['function', 'where', 'self', 'share'], r.buildProfile.map((h) => [h.fn, h.where, ms(h.selfMs), `${Math.round(h.share * 100)} %`])));
  }

  if (r.proxyByPath?.length) {
    parts.push('## Management requests the dashboard server made (through the counting proxy, whole run)');
    if (r.refreshFailures)
      parts.push(
        `Refreshes that failed: ${r.refreshFailures.total}${Object.keys(r.refreshFailures.byMessage).length ? ` (${Object.entries(r.refreshFailures.byMessage).map(([m, c]) => `${c} × "${m}"`).join('; ')})` : ''}.`,
      );
    parts.push(
      table(
        ['path', 'requests', 'median', 'max', 'wire per request', 'unfinished / failed'],
        [...r.proxyByPath].sort((a, b) => b.maxMs - a.maxMs).map((p) => [p.path, p.requests, ms(p.medianMs), ms(p.maxMs), kB(p.wireBytesPerRequest), p.unfinishedOrFailed]),
      ),
    );
  }

  if (r.apiSizes?.length) {
    parts.push('## The dashboard API answers (gzip, as a browser asks)');
    parts.push(table(['GET', 'status', 'wire', 'decoded', 'time'], r.apiSizes.map((a) => [a.path, a.status, kB(a.wire), kB(a.decoded), ms(a.ms)])));
  }

  if (r.bytes) {
    parts.push('## What the browser receives for the overview (empty cache)');
    parts.push(
      table(
        ['kind', 'requests', 'wire', 'decoded'],
        Object.entries(r.bytes.byKind).map(([k, v]) => [k, v.count, kB(v.wire), kB(v.decoded)]),
      ),
    );
    parts.push(
      table(
        ['API answer', 'status', 'encoding', 'wire', 'decoded', 'time'],
        r.bytes.api.map((a) => [new URL(a.url).pathname + new URL(a.url).search, a.status, a.encoding, kB(a.wire), kB(a.decoded), ms(a.ms)]),
      ),
    );
  }

  if (r.visible) {
    parts.push('## Overview visible');
    parts.push(
      table(
        ['run', 'goto → cards painted', 'Playwright saw them', 'navigation start', 'HTML done', 'DOMContentLoaded', 'overview API asked', 'overview API answered', 'cards in DOM', 'next frame'],
        r.visible.runs.map((v, i) => [i + 1, ms(v.ms), ms(v.playwrightMs), ms(v.navigationStartMs), ms(v.htmlMs), ms(v.domContentLoadedMs), ms(v.overviewApiStartMs), ms(v.overviewApiEndMs), ms(v.cardsInDomMs), ms(v.cardsFrameMs)]),
      ),
    );
    parts.push('"goto → cards painted" is the figure: the page\'s navigation start on node\'s clock (counted from the call to goto) plus the page\'s own time to the frame after the first card appeared with a size. "Playwright saw them" is when locator.waitFor returned (it polls at growing intervals, so up to a second late). The columns after "navigation start" count from navigation start, in the page. A new browser context each run: nothing cached.');
  }

  if (r.rows) {
    parts.push('## Queue list');
    parts.push(
      `First rows ${ms(r.rows.firstRowsMs)} after goto; scrolled ${r.rows.steps} screens in ${ms(r.rows.ms)}; max ${r.rows.maxRows} row elements (${r.rows.maxPlaceholders} placeholders at most), max ${n(r.rows.maxDomNodes)} elements in the document.`,
    );
  }
  if (r.filter) {
    parts.push('## Filter typing');
    parts.push(
      table(
        ['typed', 'matches', 'last key → all matches shown', 'last key → first frame of only matches', 'first key → all matches shown', 'fetched after the last key (start–end)'],
        r.filter.runs.map((f) => [f.fragment, f.expected ?? '?', ms(f.ms), ms(f.firstOnlyMatchesMs ?? NaN), ms(f.fromFirstKeyMs), f.fetches.join('; ') || '–']),
      ),
    );
    parts.push(`Keys 40 ms apart. The filtered queue API alone answers in ${ms(r.filter.apiMedianMs)} (median); every key asks the server at once; the URL follows once typing pauses (components/queues/queues-page.tsx).`);
  }
  if (r.viewers) {
    parts.push('## Viewers and management requests');
    parts.push(
      table(
        ['viewers', 'period', 'polls', 'failed', 'overview answer median / p95', 'management requests', 'per minute', 'refreshes', 'topology reads'],
        r.viewers.map((v) => [v.viewers, ms(v.periodMs), v.polls, v.failures, `${ms(v.overviewMedianMs)} / ${ms(v.overviewP95Ms)}`, v.brokerRequests, Math.round(v.perMinute), v.refreshes, v.topologyReads]),
      ),
    );
    const paths = [...new Set(r.viewers.flatMap((v) => Object.keys(v.byPath)))].sort();
    parts.push(table(['management path', ...r.viewers.map((v) => `${v.viewers} viewer(s)`)], paths.map((p) => [p, ...r.viewers!.map((v) => v.byPath[p] ?? 0)])));
  }
  if (r.memory) {
    parts.push('## Server memory');
    parts.push(
      `${r.memory.rssAfter10 !== null ? `${MB(r.memory.rssAfter10)} at the 10th refresh; ` : ''}${MB(r.memory.final)} after ${r.memory.finalRefreshes} refreshes; peak ${MB(r.memory.peak)}${r.memory.peakPhase ? ` (during ${r.memory.peakPhase})` : ''}. Processes: ${r.memory.processes.map((p) => `${p.pid} ${MB(p.rss)} \`${p.cmd}\``).join('; ')}.`,
    );
  }
  const md = `${parts.join('\n\n')}\n`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, md);
  return md;
}
