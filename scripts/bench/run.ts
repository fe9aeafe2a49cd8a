// The benchmark of issue 4: one run, one broker, every figure of the table.
//
//   npm run bench -- --hosts 1000
//
// By default it starts the bench broker (scripts/bench-broker.sh, AMQP 5680, management 15680)
// unless it is already up, starts a scale cloud of --hosts compute hosts on it (sim/scale-cli.ts),
// measures, and stops what it started (see --help). Numbers are printed and written to a
// markdown file (and a JSON file beside it), never asserted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { QueuesResponse } from '../../lib/api/schemas';
import { filterTyping, launchBrowser, overviewBytes, overviewVisible, queueListRows } from './browser';
import { buildAlone, cpuParts, dashboardClient, dashboardCountsRefresh, dashboardRefresh, profileBuild, topologyOf } from './dashboard-read';
import { type Broker, COUNTS_REFRESH, floorRefresh, FULL_REFRESH_UNPAGED, type FloorRun, TOPOLOGY_LISTS } from './floor';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, intOption, settledTotals, startScaleCloud, useBroker } from './cloud-setup';
import { countByPath, type CountingProxy, refreshesIn, startProxy } from './proxy';
import { type Results, writeReport } from './report';
import { buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from './server';
import { cleanupAll, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked, treeRss, withTimeout } from './procs';
import { median } from './stats';
import { startViewers } from './viewers';

const ROOT = path.resolve(__dirname, '../..');
/** The page polls at the server's cadence: REFRESH_INTERVAL_MS, 2 s by default. */
const PAGE_REFRESH_MS = 2000;

const HELP = `npm run bench -- [options]

  --hosts N                compute hosts of the simulated cloud (default 1000)
  --controllers N          controller hosts (default 3)
  --management-url URL     a broker of your own instead of the bench broker (then --amqp-url too)
  --amqp-url URL           AMQP URL for the simulated cloud
  --username U --password P  management API user (default guest/guest or RABBITMQ_USERNAME/PASSWORD)
  --keep-broker            leave the bench broker running if this run started it
  --stop-broker            stop the bench broker at the end even if it was already running
  --cloud start|none       start a scale cloud (default) or measure what is on the broker already
  --keep-cloud             leave the cloud running after the run (then --cloud none next time)
  --no-traffic             the cloud sends no messages (default: a few per second)
  --vhost V                the cloud's vhost (default openstack)
  --runs N                 runs of each timed figure (default 5)
  --build auto|always|never  next build when sources are newer than .next (default auto)
  --refresh-ms MS          the dashboard's REFRESH_INTERVAL_MS (default: its own default)
  --topology-refresh-ms MS the dashboard's TOPOLOGY_REFRESH_MS (default: its own default)
  --request-timeout-ms MS  the dashboard's REQUEST_TIMEOUT_MS (default: its own default)
  --poll-ms MS             a viewer's poll interval (default ${PAGE_REFRESH_MS}: the server's default cadence, which the page follows)
  --viewers N              concurrent viewers (default 20)
  --viewer-seconds S       each viewer window, rounded to whole refresh intervals (default: as many intervals as fit in 480 s, 4–16)
  --skip a,b               skip parts: fetch, browser, viewers
  --out FILE               markdown report (default artifacts/bench/bench-<hosts>h-<time>.md)
`;

function parse() {
  const { values } = parseArgs({
    options: {
      ...BROKER_AND_CLOUD_ARGS,
      'no-traffic': { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
      build: { type: 'string', default: 'auto' },
      'refresh-ms': { type: 'string' },
      'topology-refresh-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'poll-ms': { type: 'string', default: String(PAGE_REFRESH_MS) },
      viewers: { type: 'string', default: '20' },
      'viewer-seconds': { type: 'string' },
      skip: { type: 'string', default: '' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (!['auto', 'always', 'never'].includes(values.build)) throw new Error(`--build is auto, always or never, got ${values.build}`);
  const skip = new Set(values.skip.split(',').map((x) => x.trim()).filter(Boolean));
  for (const x of skip) if (!['fetch', 'browser', 'viewers'].includes(x)) throw new Error(`--skip takes fetch, browser, viewers; got ${x}`);
  return {
    ...brokerAndCloudOptions(values),
    hosts: intOption('hosts', values.hosts),
    controllers: intOption('controllers', values.controllers),
    traffic: !values['no-traffic'],
    runs: intOption('runs', values.runs),
    build: values.build as 'auto' | 'always' | 'never',
    refreshMs: values['refresh-ms'] === undefined ? undefined : intOption('refresh-ms', values['refresh-ms'], 1000),
    topologyRefreshMs: values['topology-refresh-ms'] === undefined ? undefined : intOption('topology-refresh-ms', values['topology-refresh-ms'], 1000),
    requestTimeoutMs: values['request-timeout-ms'] === undefined ? undefined : intOption('request-timeout-ms', values['request-timeout-ms'], 500),
    pollMs: intOption('poll-ms', values['poll-ms'], 100),
    viewers: intOption('viewers', values.viewers),
    viewerMs: values['viewer-seconds'] === undefined ? undefined : intOption('viewer-seconds', values['viewer-seconds']) * 1000,
    skip,
    out: values.out,
  };
}

type Options = ReturnType<typeof parse>;

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const nextVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/next/package.json'), 'utf8')) as { version: string }).version;
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    memGiB: os.totalmem() / 2 ** 30,
    cpuModel: model,
    kernel: os.release(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'app', 'components', 'lib', 'next.config.js', 'package.json']).split('\n').filter(Boolean),
    node: process.version,
    next: nextVersion,
  };
}

/** GET a dashboard URL as a browser would (gzip asked), counting the bytes on the wire. */
function wireSize(url: string): Promise<{ wire: number; decoded: number; ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { headers: { 'accept-encoding': 'gzip, deflate', accept: 'application/json' }, timeout: 60_000 }, (res) => {
      let wire = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        wire += c.length;
        chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        let decoded = body.length;
        try {
          if (enc === 'gzip') decoded = gunzipSync(body).length;
        } catch {
          /* keep the wire size */
        }
        resolve({ wire, decoded, ms: performance.now() - t0, status: res.statusCode ?? 0 });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

/** Per management path, over the whole run: how many, how long, how big. */
function proxyStats(proxy: CountingProxy) {
  const by = new Map<string, { n: number; times: number[]; bytes: number; errors: number }>();
  for (const r of proxy.requests) {
    const key = r.path === '/api/queues' ? (r.query.includes('disable_stats=true') ? '/api/queues (metadata)' : '/api/queues (counts)') : r.path;
    const e = by.get(key) ?? { n: 0, times: [], bytes: 0, errors: 0 };
    e.n++;
    if (r.endedAt !== null) e.times.push(r.endedAt - r.startedAt);
    e.bytes += r.bytes;
    if (r.status >= 400 || r.status === 0) e.errors++;
    by.set(key, e);
  }
  return [...by.entries()].map(([path, e]) => ({
    path,
    requests: e.n,
    medianMs: median(e.times),
    maxMs: Math.max(...e.times, 0),
    wireBytesPerRequest: e.bytes / e.n,
    unfinishedOrFailed: e.errors + (e.n - e.times.length),
  }));
}

async function main() {
  const opts = parse();
  const stamp = runStamp();
  const out = path.resolve(opts.out ?? path.join(ROOT, `artifacts/bench/bench-${opts.hosts}h-${stamp}.md`));
  const dir = path.join(path.dirname(out), path.basename(out, '.md'));
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'bench.log');
  const log = fileLogger(logFile);
  installSignalHandlers();
  const results: Results = { options: { ...opts, skip: [...opts.skip] }, startedAt: new Date().toISOString(), machine: machine(), errors: [] };
  const fail = (part: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    results.errors.push(`${part}: ${message}`);
    log(`FAILED ${part}: ${message}`);
  };
  const t0 = Date.now();

  try {
    // ------------------------------------------------------------ broker and cloud
    const { broker, amqpUrl, source } = useBroker(opts, log, logFile);
    results.brokerSource = source;
    log(`broker ${broker.url}`);
    if (opts.cloud === 'start') results.cloudStartupMs = await startScaleCloud(broker, amqpUrl, opts, log, dir);
    const b = await settledTotals(broker);
    results.broker = { url: broker.url, rabbitmq: b.rabbitmq, erlang: b.erlang, totals: b.totals };
    log(`RabbitMQ ${b.rabbitmq}: ${JSON.stringify(b.totals)}`);

    // ------------------------------------------------------------ floor, dashboard refresh, build
    if (!opts.skip.has('fetch')) {
      try {
        const client = dashboardClient(broker);
        const floors: FloorRun[] = [];
        const dash: { ms: number; fetchMs: number; buildMs: number }[] = [];
        let inputs: Awaited<ReturnType<typeof dashboardRefresh>>['inputs'] | null = null;
        // alternate which goes first, so the broker's own list cache favours neither
        for (let i = 0; i < opts.runs; i++) {
          const order = i % 2 === 0 ? ['floor', 'dashboard'] : ['dashboard', 'floor'];
          for (const which of order) {
            await sleep(1000);
            try {
              if (which === 'floor') {
                const f = await withTimeout(floorRefresh(broker), 300_000, 'floor refresh');
                floors.push(f);
                log(`floor run ${i + 1}: ${Math.round(f.ms)} ms (${f.requests.length} requests)`);
              } else {
                const d = await withTimeout(dashboardRefresh(client), 300_000, 'dashboard refresh');
                dash.push({ ms: d.ms, fetchMs: d.fetchMs, buildMs: d.buildMs });
                inputs = d.inputs;
                log(`dashboard run ${i + 1}: ${Math.round(d.ms)} ms (fetch ${Math.round(d.fetchMs)}, build ${Math.round(d.buildMs)})`);
              }
            } catch (err) {
              fail(`${which} run ${i + 1}`, err);
            }
          }
        }
        if (floors.length === 0 || dash.length === 0) throw new Error('no successful run to report');
        const floorMedian = median(floors.map((f) => f.ms));
        // the run closest to the median, for the per-list breakdown
        const typical = [...floors].sort((a, b) => Math.abs(a.ms - floorMedian) - Math.abs(b.ms - floorMedian))[0]!;
        results.floor = {
          median: floorMedian,
          runs: floors.map((f) => f.ms),
          requests: typical.requests.length,
          typical: {
            ms: typical.ms,
            lists: Object.entries(typical.listMs).map(([list, ms]) => {
              const rs = typical.requests.filter((r) => r.list === list);
              return {
                list,
                cadence: TOPOLOGY_LISTS.has(list) ? 'topology' : 'counts',
                requests: rs.length,
                items: rs.reduce((s, r) => s + r.items, 0),
                wireBytes: rs.reduce((s, r) => s + r.wireBytes, 0),
                bytes: rs.reduce((s, r) => s + r.bytes, 0),
                slowestRequestMs: Math.max(...rs.map((r) => r.ms)),
                doneMs: ms,
              };
            }),
          },
        };
        results.dashboard = {
          median: median(dash.map((d) => d.ms)),
          fetchMedian: median(dash.map((d) => d.fetchMs)),
          buildMedian: median(dash.map((d) => d.buildMs)),
          runs: dash,
        };
        if (inputs) {
          const built = buildAlone(inputs, Math.max(opts.runs, 7));
          results.build = {
            median: built.median,
            runs: built.runs,
            inputs: {
              queues: inputs.queues.length,
              exchanges: inputs.exchanges.length,
              bindings: inputs.bindings.length,
              consumers: inputs.consumers.length,
              connections: inputs.connections.length,
              channels: inputs.channels.length,
            },
          };
          log(`build alone: median ${Math.round(built.median)} ms`);
        }
        try {
          results.cpu = cpuParts(typical.lists);
        } catch (err) {
          fail('CPU parts', err);
        }
        if (inputs) {
          try {
            results.buildProfile = await profileBuild(inputs);
          } catch (err) {
            fail('build profile', err);
          }
        }

        // for comparison: the fast cadence alone, and the same lists unpaged
        const extra = Math.min(3, opts.runs);
        const countsFloor: number[] = [];
        const countsDash: { ms: number; fetchMs: number; buildMs: number }[] = [];
        const unpaged: FloorRun[] = [];
        try {
          const known = await withTimeout(topologyOf(client), 300_000, 'topology read');
          for (let i = 0; i < extra; i++) {
            await sleep(1000);
            countsFloor.push((await withTimeout(floorRefresh(broker, COUNTS_REFRESH), 300_000, 'counts floor')).ms);
            await sleep(1000);
            countsDash.push(await withTimeout(dashboardCountsRefresh(client, known), 300_000, 'counts refresh'));
            log(`counts only, run ${i + 1}: floor ${Math.round(countsFloor[i]!)} ms, dashboard ${Math.round(countsDash[i]!.ms)} ms`);
          }
          for (let i = 0; i < extra; i++) {
            await sleep(1000);
            unpaged.push(await withTimeout(floorRefresh(broker, FULL_REFRESH_UNPAGED), 300_000, 'unpaged floor'));
            log(`unpaged floor run ${i + 1}: ${Math.round(unpaged[i]!.ms)} ms`);
          }
        } catch (err) {
          fail('counts-only / unpaged runs', err);
        }
        const unpagedTypical = [...unpaged].sort((a, b) => a.ms - b.ms)[Math.floor(unpaged.length / 2)];
        results.extra = {
          countsFloor: { median: median(countsFloor), runs: countsFloor },
          countsDashboard: { median: median(countsDash.map((d) => d.ms)), runs: countsDash },
          unpagedFloor: {
            median: median(unpaged.map((u) => u.ms)),
            runs: unpaged.map((u) => u.ms),
            lists: unpagedTypical
              ? Object.entries(unpagedTypical.listMs).map(([list, doneMs]) => {
                  const r = unpagedTypical.requests.find((x) => x.list === list)!;
                  return { list, ms: r.ms, doneMs, wireBytes: r.wireBytes, bytes: r.bytes, items: r.items };
                })
              : [],
          },
        };
      } catch (err) {
        fail('floor / dashboard refresh', err);
      }
    }

    // ------------------------------------------------------------ the dashboard server
    if (!opts.skip.has('browser') || !opts.skip.has('viewers')) {
      const why = opts.build === 'always' ? 'asked for' : opts.build === 'auto' ? buildNeeded() : null;
      results.serverCommit = git(['rev-parse', '--short', 'HEAD']);
      if (why) {
        log(`next build (${why}) at ${results.serverCommit}`);
        const tb = Date.now();
        await nextBuild(path.join(dir, 'next-build.log'));
        results.buildMs = Date.now() - tb;
        log(`built in ${Math.round(results.buildMs / 1000)} s`);
      }
      const proxy: CountingProxy = await startProxy(broker.url);
      onCleanup('proxy', () => proxy.close());
      const port = await freePort();
      const env: Record<string, string> = {};
      if (opts.refreshMs) env.REFRESH_INTERVAL_MS = String(opts.refreshMs);
      if (opts.topologyRefreshMs) env.TOPOLOGY_REFRESH_MS = String(opts.topologyRefreshMs);
      if (opts.requestTimeoutMs) env.REQUEST_TIMEOUT_MS = String(opts.requestTimeoutMs);
      log(`dashboard on :${port}, management API through the counting proxy ${proxy.url}`);
      const server = await startDashboard({ port, managementUrl: proxy.url, username: opts.username, password: opts.password, env, log: path.join(dir, 'next-start.log') });
      onCleanup('dashboard', () => stopTracked(server.proc));
      const firstMs = await waitForSnapshot(server.url, 600_000);
      log(`first snapshot after ${Math.round(firstMs)} ms`);
      const status = ((await (await fetch(`${server.url}/api/v1/clusters`)).json()) as { clusters: { status: { refreshIntervalMs: number; topology?: { refreshIntervalMs: number } } }[] }).clusters[0]?.status;
      results.server = {
        firstSnapshotMs: firstMs,
        refreshIntervalMs: status?.refreshIntervalMs ?? null,
        topologyRefreshMs: status?.topology?.refreshIntervalMs ?? null,
        env,
      };

      // memory, sampled all along; refreshes counted at the proxy
      const completedRefreshes = () => proxy.requests.filter((r) => r.path === '/api/consumers' && r.endedAt !== null).length;
      const samples: { t: number; rss: number; refreshes: number; phase: string }[] = [];
      let phase = 'first snapshot';
      const sampler = setInterval(() => samples.push({ t: Date.now() - t0, rss: treeRss(server.proc.pid).rss, refreshes: completedRefreshes(), phase }), 1000);
      onCleanup('rss sampler', async () => clearInterval(sampler));

      // the API answers, as a browser gets them (gzip)
      const api = `${server.url}/api/v1/clusters/default`;
      phase = 'API sizes';
      results.apiSizes = [];
      for (const p of ['/api/v1/clusters', '/overview', '/findings', '/queues?pageSize=1000', '/processes', '/exchanges', '/services', '/components/nova']) {
        const u = p.startsWith('/api') ? `${server.url}${p}` : `${api}${p}`;
        try {
          const r = await wireSize(u);
          results.apiSizes.push({ path: p.startsWith('/api') ? p : `…/default${p}`, ...r });
        } catch (err) {
          fail(`GET ${p}`, err);
        }
      }

      // ---------------------------------------------------------- browser
      if (!opts.skip.has('browser')) {
        let browser: Browser | null = null;
        try {
          browser = await launchBrowser();
          const b = browser;
          onCleanup('chromium', () => b.close());
          results.chromium = browser.version();
          const base = server.url;
          phase = 'browser: overview';
          try {
            results.bytes = await withTimeout(overviewBytes(browser, base), 120_000, 'overview bytes');
            log(`overview API bytes ${Math.round(results.bytes.apiWire / 1000)} kB`);
          } catch (err) {
            fail('overview bytes', err);
          }
          try {
            results.visible = await withTimeout(overviewVisible(browser, base, opts.runs), 300_000, 'overview visible');
            log(`overview visible: median ${Math.round(results.visible.median)} ms`);
          } catch (err) {
            fail('overview visible', err);
          }
          phase = 'browser: queue list';
          try {
            results.rows = await withTimeout(queueListRows(browser, base, 120_000), 240_000, 'queue list rows');
            log(`queue list: max ${results.rows.maxRows} rows (scrolled ${results.rows.steps} steps, end ${results.rows.reachedEnd})`);
          } catch (err) {
            fail('queue list rows', err);
          }
          phase = 'browser: filter';
          try {
            // fragments that match a few queues each: the servers of some per-server queues
            const q = (await (await fetch(`${api}/queues?kind=rpc-server&pageSize=1000`)).json()) as QueuesResponse;
            const servers = [...new Set(q.items.map((x) => x.server).filter((x): x is string => Boolean(x)))];
            const pick = Array.from({ length: Math.min(opts.runs, servers.length) }, (_, i) => servers[Math.floor(((i + 0.5) * servers.length) / Math.min(opts.runs, servers.length))]!);
            if (pick.length === 0) throw new Error('no per-server queue to filter for');
            const apiTimes: number[] = [];
            const fragments: { fragment: string; expected: number }[] = [];
            for (const f of pick) {
              const t = performance.now();
              const answer = (await (await fetch(`${api}/queues?q=${encodeURIComponent(f)}&pageSize=1000`)).json()) as QueuesResponse;
              apiTimes.push(performance.now() - t);
              fragments.push({ fragment: f, expected: Math.min(answer.filtered, 20) });
            }
            const typed = await withTimeout(filterTyping(browser, base, fragments), 300_000, 'filter typing');
            results.filter = { ...typed, apiMedianMs: median(apiTimes) };
            log(`filter: median ${Math.round(typed.median)} ms after the last key`);
          } catch (err) {
            fail('filter typing', err);
          }
        } catch (err) {
          fail('browser', err);
        } finally {
          await browser?.close().catch(() => undefined);
        }
      }

      // ---------------------------------------------------------- viewers
      if (!opts.skip.has('viewers')) {
        try {
          const windows: NonNullable<Results['viewers']> = [];
          const effectiveInterval = async () =>
            ((await (await fetch(`${server.url}/api/v1/clusters`)).json()) as { clusters: { status: { refreshIntervalMs: number } }[] }).clusters[0]?.status
              .refreshIntervalMs ?? 5000;
          const refreshStarts = () => proxy.requests.filter((r) => r.path === '/api/overview').map((r) => r.startedAt);
          for (const n of [1, opts.viewers]) {
            // start clean: nothing in flight at the broker
            for (let i = 0; i < 300 && proxy.requests.some((r) => r.endedAt === null); i++) await sleep(200);
            phase = `${n} viewer(s)`;
            const viewers = startViewers(server.url, n, opts.pollMs);
            // Count from the start of a refresh over whole refresh intervals, so that both
            // windows hold the same number of refresh cycles whatever their phase.
            const before = refreshStarts().length;
            for (let i = 0; i < 3000 && refreshStarts().length === before; i++) await sleep(100);
            const start = refreshStarts()[before] ?? Date.now();
            const interval = await effectiveInterval();
            const cycles = opts.viewerMs ? Math.max(1, Math.round(opts.viewerMs / interval)) : Math.max(4, Math.min(16, Math.floor(480_000 / interval)));
            const windowMs = cycles * interval;
            // [start − 100 ms, start + (cycles − ½) intervals): the refreshes starting at 0, 1, … cycles − 1 intervals, with room for drift
            const from = start - 100;
            const to = start + windowMs - interval / 2;
            log(`${n} viewer(s): counting ${cycles} refresh intervals of ${Math.round(interval / 1000)} s from a refresh start (${Math.round(windowMs / 1000)} s)`);
            await sleep(to - Date.now());
            const v = await viewers.stop();
            const counted = countByPath(proxy.requests, from, to);
            const r = refreshesIn(proxy.requests, from, to);
            windows.push({ ...v, periodMs: windowMs, brokerRequests: counted.total, perMinute: (counted.total * 60_000) / windowMs, byPath: counted.byPath, ...r });
            log(`${n} viewer(s): ${counted.total} management requests (${r.refreshes} refreshes, ${r.topologyReads} topology reads)`);
          }
          results.viewers = windows;
        } catch (err) {
          fail('viewers', err);
        }
      }

      // ---------------------------------------------------------- memory
      phase = 'end';
      try {
        // bounded: on a slow broker the server stretches its interval, and 10 refreshes may take long
      for (let i = 0; i < 150 && completedRefreshes() < 11; i++) {
          await fetch(`${api}/overview`).then((r) => r.arrayBuffer()).catch(() => undefined);
          await sleep(2000);
        }
        await sleep(1500);
        const now = treeRss(server.proc.pid);
        samples.push({ t: Date.now() - t0, rss: now.rss, refreshes: completedRefreshes(), phase });
        const at10 = samples.find((x) => x.refreshes >= 10);
        const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a), samples[0]!);
        results.memory = {
          rssAfter10: at10?.rss ?? null,
          final: now.rss,
          finalRefreshes: completedRefreshes(),
          peak: peak.rss,
          peakPhase: `${peak.phase}, ${peak.refreshes} refreshes done`,
          processes: now.pids,
          samples: samples.filter((_, i) => i % 5 === 0),
        };
        log(`server RSS: ${Math.round(now.rss / 1e6)} MB after ${completedRefreshes()} refreshes (peak ${Math.round(results.memory.peak / 1e6)} MB)`);
      } catch (err) {
        fail('memory', err);
      }
      clearInterval(sampler);
      results.proxyTotals = countByPath(proxy.requests, 0, Number.MAX_SAFE_INTEGER);
      results.proxyByPath = proxyStats(proxy);
      writeFileSync(path.join(dir, 'management-requests.jsonl'), proxy.requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const serverLog = readFileSync(path.join(dir, 'next-start.log'), 'utf8');
      const failures = serverLog.split('\n').filter((l) => l.includes('refresh failed'));
      const byMessage: Record<string, number> = {};
      for (const f of failures) byMessage[f.replace(/^.*refresh failed: /, '')] = (byMessage[f.replace(/^.*refresh failed: /, '')] ?? 0) + 1;
      results.refreshFailures = { total: failures.length, byMessage };
    }
  } catch (err) {
    fail('run', err);
  } finally {
    results.elapsedMs = Date.now() - t0;
    try {
      const md = writeReport(results, out);
      writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify(results, null, 2));
      console.log(`\n${md}`);
      log(`report: ${out} (and ${path.basename(out.replace(/\.md$/, '.json'))}; logs in ${dir})`);
    } catch (err) {
      console.error(`could not write the report: ${(err as Error).message}`);
    }
    await cleanupAll((l) => log(l));
  }
  process.exit(results.errors.length ? 1 : 0);
}

void main();
