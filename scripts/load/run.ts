// The load test of issue 5: many concurrent clients against the dashboard's API and pages,
// bounded in time and requests, on loopback only (it starts its own dashboard server).
//
//   npm run load -- --hosts 1000 [--clients 50] [--seconds 60] [--max-requests 200000]
//
// Like the benchmark it uses the bench broker and a scale cloud (see npm run bench -- --help
// for --management-url, --cloud none, --keep-cloud, ...), a counting proxy in front of the
// management API, and the dashboard (server.mjs). It prints requests served, errors, latency, the server's
// memory before and after, and the management requests made meanwhile.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, intOption, settledTotals, startScaleCloud, useBroker } from '../bench/cloud-setup';
import { cleanupAll, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked, treeRss } from '../bench/procs';
import { countByPath, refreshesIn, startProxy } from '../bench/proxy';
import { buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from '../bench/server';
import { MB, median, ms, n, percentile } from '../bench/stats';

const ROOT = path.resolve(__dirname, '../..');

function options() {
  const { values } = parseArgs({
    options: {
      ...BROKER_AND_CLOUD_ARGS,
      clients: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '60' },
      'max-requests': { type: 'string', default: '200000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run load -- [--hosts 1000] [--clients 50] [--seconds 60] [--max-requests 200000] [--cloud start|none] [--keep-cloud] [--management-url U --amqp-url U]');
    process.exit(0);
  }
  return {
    hosts: intOption('hosts', values.hosts, 1, 10_000),
    controllers: intOption('controllers', values.controllers, 1, 100),
    clients: intOption('clients', values.clients, 1, 500),
    seconds: intOption('seconds', values.seconds, 1, 600),
    maxRequests: intOption('max-requests', values['max-requests'], 1, 10_000_000),
    ...brokerAndCloudOptions(values),
    traffic: true,
  };
}

interface Sample {
  target: string;
  ms: number;
  status: number;
}

/** What the clients ask, as an operator's browser would: API answers and pages, with real names. */
async function targets(base: string): Promise<string[]> {
  const api = `${base}/api/v1/clusters/default`;
  const get = async <T>(p: string) => (await (await fetch(`${api}${p}`)).json()) as T;
  const servers = await get<{ items: { vhost: string; name: string; host: string | null }[] }>('/queues?kind=rpc-server&pageSize=20');
  const processes = await get<{ items: { id: string }[] }>('/processes?limit=10');
  const overview = await get<{ components: { name: string }[] }>('/overview');
  const q = servers.items[0];
  const host = q?.host ?? 'compute';
  const seg = encodeURIComponent;
  return [
    `${api}/overview`,
    `${api}/findings?limit=0`,
    `${api}/findings`,
    `${api}/queues?pageSize=1000`,
    `${api}/queues?pageSize=1000&page=2`,
    `${api}/queues?q=${seg(host)}&pageSize=1000`,
    `${api}/queues?sort=messagesReady&order=desc&pageSize=100`,
    `${api}/processes`,
    `${api}/processes?q=${seg(host)}`,
    `${api}/services`,
    `${api}/services?status=trouble`,
    `${api}/exchanges`,
    ...overview.components.slice(0, 3).map((c) => `${api}/components/${seg(c.name)}`),
    ...servers.items.slice(0, 5).map((s) => `${api}/queues/${seg(s.vhost)}/${seg(s.name)}`),
    ...processes.items.slice(0, 3).map((p) => `${api}/processes/${seg(p.id)}`),
    `${base}/`,
    `${base}/queues`,
    `${base}/services`,
    `${base}/findings`,
    ...(q ? [`${base}/queues/${seg(q.vhost)}/${seg(q.name)}`] : []),
  ];
}

async function main() {
  const opts = options();
  const stamp = runStamp();
  const dir = path.join(ROOT, `artifacts/load/load-${opts.hosts}h-${stamp}`);
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'load.log');
  const log = fileLogger(logFile);
  installSignalHandlers();
  try {
    const { broker, amqpUrl, source } = useBroker(opts, log, logFile);
    log(`broker ${broker.url} (${source})`);
    if (opts.cloud === 'start') await startScaleCloud(broker, amqpUrl, opts, log, dir);
    const totals = (await settledTotals(broker)).totals;
    log(`broker holds ${JSON.stringify(totals)}`);

    const why = buildNeeded();
    if (why) {
      log(`next build (${why})`);
      await nextBuild(path.join(dir, 'next-build.log'));
    }
    const proxy = await startProxy(broker.url);
    onCleanup('proxy', () => proxy.close());
    const port = await freePort();
    const server = await startDashboard({ port, managementUrl: proxy.url, username: opts.username, password: opts.password, env: {}, log: path.join(dir, 'next-start.log') });
    onCleanup('dashboard', () => stopTracked(server.proc));
    log(`first snapshot after ${ms(await waitForSnapshot(server.url, 600_000))}`);
    const list = await targets(server.url);
    await sleep(2000);

    const rssBefore = treeRss(server.proc.pid).rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(server.proc.pid).rss)), 1000);
    const samples: Sample[] = [];
    const from = Date.now();
    const end = from + opts.seconds * 1000;
    log(`${opts.clients} clients for ${opts.seconds} s over ${list.length} URLs (at most ${n(opts.maxRequests)} requests)`);
    const client = async (c: number) => {
      for (let i = c; Date.now() < end && samples.length < opts.maxRequests; i += opts.clients) {
        const target = list[i % list.length]!;
        const t0 = performance.now();
        let status = 0;
        try {
          const res = await fetch(target, { headers: { 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 0;
        }
        samples.push({ target: target.replace(server.url, ''), ms: performance.now() - t0, status });
      }
    };
    await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
    const to = Date.now();
    clearInterval(sampler);
    await sleep(1000);
    const rssAfter = treeRss(server.proc.pid).rss;

    const errors = samples.filter((s) => s.status !== 200);
    const times = samples.map((s) => s.ms);
    const mgmt = countByPath(proxy.requests, from, to);
    const refreshes = refreshesIn(proxy.requests, from, to);
    const byTarget = new Map<string, number[]>();
    for (const s of samples) {
      const xs = byTarget.get(s.target);
      if (xs) xs.push(s.ms);
      else byTarget.set(s.target, [s.ms]);
    }
    const lines = [
      `# Load: ${opts.clients} clients for ${opts.seconds} s, ${opts.hosts} hosts`,
      '',
      `Broker: ${JSON.stringify(totals)}.`,
      '',
      '| figure | measured |',
      '| --- | --- |',
      `| requests served | ${n(samples.length)} (${n(Math.round((samples.length * 1000) / (to - from)))} per second) |`,
      `| errors (not 200, or no answer in 30 s) | ${n(errors.length)}${errors.length ? `: ${[...new Set(errors.map((e) => `${e.status} ${e.target}`))].slice(0, 5).join('; ')}` : ''} |`,
      `| latency p50 / p99 / max | ${ms(median(times))} / ${ms(percentile(times, 99))} / ${ms(Math.max(...times))} |`,
      `| server RSS before / after / peak | ${MB(rssBefore)} / ${MB(rssAfter)} / ${MB(peak)} |`,
      `| management requests meanwhile | ${n(mgmt.total)} (${refreshes.refreshes} refreshes, ${refreshes.topologyReads} topology reads) |`,
      '',
      '| URL | requests | p50 | p99 |',
      '| --- | --- | --- | --- |',
      ...[...byTarget.entries()].map(([t, xs]) => `| ${t} | ${n(xs.length)} | ${ms(median(xs))} | ${ms(percentile(xs, 99))} |`),
    ];
    const report = lines.join('\n') + '\n';
    writeFileSync(`${dir}.md`, report);
    console.log(`\n${report}`);
    log(`report: ${dir}.md`);
  } finally {
    await cleanupAll(log);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
