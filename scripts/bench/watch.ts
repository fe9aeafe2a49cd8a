// The figures of always watching, on a cloud of the size you care about (issue 12):
//
//   npm run bench:watch -- --hosts 1000                     # this build, always watching, no viewer
//   npm run bench:watch -- --hosts 1000 --app /path/to/old --viewer --without-plugin   # an older build, read while a page polls
//
// On the bench broker (scripts/bench-broker.sh, with its Prometheus plugin) and a scale cloud
// (sim/scale-cli.ts with faults on request), one phase after another (--phases, in this order):
//
//   cpu         the broker's CPU seconds per minute: the cloud alone, then with the dashboard watching
//   quiet       findings raised on the healthy cloud over --quiet-minutes (each one is a false alarm)
//   detect      seconds from one nova-compute stopping to consume its server queue (connection kept), and
//               from one being killed, to /findings reporting rpc-server-unconsumed for its host; --trials each
//   fresh       how old the counts shown are, polled every second over --fresh-minutes; refreshes that failed
//   unattended  --unattended-minutes with nobody looking: server RSS, open sockets, refresh errors, every 30 s;
//               findings raised meanwhile (false alarms), every 2 s
//   restart     --trials times, alternately: a lean read of the lists the dashboard reads at start (the floor),
//               then the dashboard stopped and started again on its store, timed from start to its first state
//
// Figures are printed and written to a markdown file (artifacts/bench/watch-…); nothing is asserted.
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { computeName } from '../../sim/scale';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, intOption, settledTotals, startScaleCloud, useBroker } from './cloud-setup';
import { cleanupAll, cpuSeconds, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked, treeRss } from './procs';
import { FULL_REFRESH, floorRefresh } from './floor';
import { buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from './server';
import { median, percentile } from './stats';

const ROOT = path.resolve(__dirname, '../..');
const PHASES = ['cpu', 'quiet', 'detect', 'fresh', 'unattended', 'restart'] as const;
type Phase = (typeof PHASES)[number];

function options() {
  const { values } = parseArgs({
    options: {
      ...BROKER_AND_CLOUD_ARGS,
      app: { type: 'string', default: ROOT },
      viewer: { type: 'boolean', default: false },
      'without-plugin': { type: 'boolean', default: false },
      phases: { type: 'string', default: PHASES.join(',') },
      'refresh-ms': { type: 'string' },
      'grace-ms': { type: 'string' },
      // The dashboard's node options alone (e.g. --max-old-space-size=256), to see what its memory is made of.
      'node-options': { type: 'string' },
      'cpu-minutes': { type: 'string', default: '2' },
      'quiet-minutes': { type: 'string', default: '10' },
      'fresh-minutes': { type: 'string', default: '10' },
      'unattended-minutes': { type: 'string', default: '60' },
      trials: { type: 'string', default: '3' },
      'control-port': { type: 'string', default: '15799' },
      out: { type: 'string' },
    },
  });
  const phases = values.phases.split(',').filter(Boolean) as Phase[];
  for (const p of phases) if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--phases takes ${PHASES.join(', ')}; got ${p}`);
  return {
    ...brokerAndCloudOptions(values),
    hosts: intOption('hosts', values.hosts),
    controllers: intOption('controllers', values.controllers),
    app: path.resolve(values.app),
    viewer: values.viewer,
    withoutPlugin: values['without-plugin'],
    phases,
    refreshMs: values['refresh-ms'],
    nodeOptions: values['node-options'],
    graceMs: values['grace-ms'],
    cpuMinutes: Number(values['cpu-minutes']),
    quietMinutes: Number(values['quiet-minutes']),
    freshMinutes: Number(values['fresh-minutes']),
    unattendedMinutes: Number(values['unattended-minutes']),
    trials: intOption('trials', values.trials),
    controlPort: intOption('control-port', values['control-port']),
    out: values.out,
  };
}

function brokerPid(): number {
  const dir = process.env.BENCH_DIR ?? '/tmp/lens-bench';
  const file = readdirSync(dir).find((f) => f.endsWith('.pid'));
  if (!file) throw new Error(`no pid file in ${dir}: is the bench broker running?`);
  return Number(readFileSync(path.join(dir, file), 'utf8').trim());
}

/** Open sockets of a process (its /proc/<pid>/fd links to socket:[…]). */
function sockets(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

interface Finding {
  id: string;
  rule: string;
  severity: string;
  host?: string | null;
  title: string;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** The dashboard's own counters, from /metrics: refreshes by outcome, broker errors. */
async function ownCounters(base: string): Promise<{ ok: number; failed: number; errors: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
  return {
    ok: sum(/^rabbit_lens_refresh_duration_seconds_count\{[^}]*outcome="ok"[^}]*\} (\S+)$/gm),
    failed: sum(/^rabbit_lens_refresh_duration_seconds_count\{[^}]*outcome="failed"[^}]*\} (\S+)$/gm),
    errors: sum(/^rabbit_lens_broker_errors_total\{[^}]*\} (\S+)$/gm),
  };
}

async function main() {
  const opts = options();
  installSignalHandlers();
  const stamp = `watch-${opts.hosts}h-${runStamp()}`;
  const dir = path.join(ROOT, 'artifacts/bench', stamp);
  (await import('node:fs')).mkdirSync(dir, { recursive: true });
  const log = fileLogger(path.join(dir, 'bench.log'));
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };

  if (opts.app === ROOT) {
    const why = buildNeeded();
    if (why) {
      log(`building first: ${why}`);
      await nextBuild(path.join(dir, 'build.log'));
    }
  }
  const { broker, amqpUrl, prometheusUrl, source } = useBroker(opts, log, path.join(dir, 'broker.log'));
  log(`broker: ${source}; plugin ${prometheusUrl ?? 'none'}`);
  if (opts.cloud === 'start') await startScaleCloud(broker, amqpUrl, { ...opts, traffic: true, controlPort: opts.controlPort }, log, dir);
  const totals = await settledTotals(broker);
  say(`# ${opts.hosts} hosts: ${totals.totals.queues} queues, ${totals.totals.connections} connections, ${totals.totals.consumers} consumers (RabbitMQ ${totals.rabbitmq})`);
  say(`dashboard: ${opts.app === ROOT ? 'this build' : opts.app}${opts.withoutPlugin ? ', management API only' : ''}${opts.viewer ? ', with a viewer polling every 5 s' : ', nobody looking'}`);

  const pid = brokerPid();
  const cpuRate = async (minutes: number) => {
    const c0 = cpuSeconds(pid);
    await sleep(minutes * 60_000);
    return (cpuSeconds(pid) - c0) / minutes;
  };
  let idleCpu: number | null = null;
  if (opts.phases.includes('cpu')) {
    idleCpu = await cpuRate(opts.cpuMinutes);
    say(`broker CPU, the cloud alone: ${idleCpu.toFixed(1)} s per minute`);
  }

  const env: Record<string, string> = { ...(prometheusUrl && !opts.withoutPlugin ? { RABBITMQ_PROMETHEUS_URL: prometheusUrl } : {}) };
  if (opts.refreshMs) env.REFRESH_INTERVAL_MS = opts.refreshMs;
  if (opts.graceMs) env.FINDINGS_GRACE_MS = opts.graceMs;
  if (opts.nodeOptions) {
    env.NODE_OPTIONS = opts.nodeOptions;
    say(`dashboard's node options: ${opts.nodeOptions}`);
  }
  const port = await freePort();
  const startedAt = Date.now();
  const start = (log: string) => startDashboard({ root: opts.app, port, managementUrl: broker.url, username: broker.username, password: broker.password, env, log: path.join(dir, log) });
  let server = await start('dashboard.log');
  onCleanup('dashboard', () => stopTracked(server.proc));
  const base = server.url;
  const api = `${base}/api/v1/clusters/default`;
  // The old way reads only while someone looks: a page polling every 5 s.
  let viewing = true;
  const viewer = opts.viewer
    ? (async () => {
        while (viewing) {
          await fetch(`${api}/findings?limit=0`).catch(() => undefined);
          await sleep(5000);
        }
      })()
    : null;
  await waitForSnapshot(base, 600_000);
  say(`first state after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  await sleep(30_000); // past the grace period of whatever the start-up looked like

  if (opts.phases.includes('cpu')) {
    const watching = await cpuRate(opts.cpuMinutes);
    say(`broker CPU with the dashboard: ${watching.toFixed(1)} s per minute (${idleCpu === null ? '' : `${(watching - idleCpu).toFixed(1)} s per minute more than the cloud alone`})`);
  }

  if (opts.phases.includes('quiet')) {
    const seen = new Map<string, Finding>();
    const until = Date.now() + opts.quietMinutes * 60_000;
    while (Date.now() < until) {
      for (const f of (await json<{ findings: Finding[] }>(`${api}/findings`)).findings) if (!seen.has(f.id)) seen.set(f.id, f);
      await sleep(2000);
    }
    say(`findings on the healthy cloud over ${opts.quietMinutes} min: ${seen.size}${seen.size ? ` (${[...seen.values()].map((f) => `${f.rule}: ${f.title}`).join('; ')})` : ''}`);
  }

  if (opts.phases.includes('detect')) {
    const fault = async (spec: string) => {
      const res = await fetch(`http://127.0.0.1:${opts.controlPort}/fault`, { method: 'POST', body: spec });
      const body = (await res.json()) as { at?: number; done?: string; error?: string };
      if (!res.ok || body.at === undefined) throw new Error(`fault ${spec}: ${body.error ?? res.status}`);
      log(body.done ?? '');
      return body.at;
    };
    const detected = async (host: string, since: number) => {
      for (;;) {
        const { findings } = await json<{ findings: Finding[] }>(`${api}/findings`);
        if (findings.some((f) => f.rule === 'rpc-server-unconsumed' && f.host === host)) return (Date.now() - since) / 1000;
        if (Date.now() - since > 300_000) return Number.NaN;
        await sleep(200);
      }
    };
    for (const kind of ['not-consuming', 'kill'] as const) {
      const times: number[] = [];
      for (let i = 0; i < opts.trials; i++) {
        const host = computeName(Math.floor(((kind === 'kill' ? 2 * i + 1 : 2 * i) + 0.5) * (opts.hosts / (2 * opts.trials))), opts.hosts);
        const at = await fault(`${kind}:nova-compute@${host}`);
        times.push(await detected(host, at));
        log(`${kind} ${host}: ${times.at(-1)} s`);
      }
      say(`time to detect, ${kind === 'kill' ? 'a nova-compute killed' : 'a nova-compute that stopped consuming (connection kept)'}: ${times.map((t) => t.toFixed(1)).join(', ')} s (median ${median(times).toFixed(1)} s)`);
    }
  }

  if (opts.phases.includes('fresh')) {
    const ages: number[] = [];
    const before = await ownCounters(base);
    const until = Date.now() + opts.freshMinutes * 60_000;
    let stale = 0;
    while (Date.now() < until) {
      const { clusters } = await json<{ clusters: { status: { fetchedAt: number | null; stale: boolean } }[] }>(`${base}/api/v1/clusters`);
      const s = clusters[0]!.status;
      if (s.fetchedAt !== null) ages.push(Date.now() - s.fetchedAt);
      if (s.stale) stale++;
      await sleep(1000);
    }
    const after = await ownCounters(base);
    say(
      `counts shown over ${opts.freshMinutes} min: ${(median(ages) / 1000).toFixed(1)} s old (median), ${(percentile(ages, 95) / 1000).toFixed(1)} s (95th percentile), ${(Math.max(...ages) / 1000).toFixed(1)} s at most; ` +
        `${after.ok - before.ok} refreshes, ${after.failed - before.failed} failed, ${after.errors - before.errors} broker errors, stale in ${stale} of ${ages.length} looks`,
    );
  }

  if (opts.phases.includes('unattended')) {
    const samples: { minute: number; rss: number; sockets: number; failed: number; ok: number }[] = [];
    const start = Date.now();
    const first = await ownCounters(base);
    // Findings are looked up every 2 s as in the quiet phase (the API, not a page: nobody looks), so this is also an hour of false alarms.
    const raised = new Map<string, Finding>();
    const findingsBefore = new Set((await json<{ findings: Finding[] }>(`${api}/findings`)).findings.map((f) => f.id));
    let nextSample = 0;
    while (Date.now() - start < opts.unattendedMinutes * 60_000) {
      for (const f of (await json<{ findings: Finding[] }>(`${api}/findings`)).findings) if (!findingsBefore.has(f.id) && !raised.has(f.id)) raised.set(f.id, f);
      if (Date.now() >= nextSample) {
        const c = await ownCounters(base);
        samples.push({ minute: (Date.now() - start) / 60_000, rss: treeRss(server.proc.pid).rss, sockets: sockets(server.proc.pid), failed: c.failed - first.failed, ok: c.ok - first.ok });
        nextSample = Date.now() + 30_000;
      }
      await sleep(2000);
    }
    say(`findings raised on the healthy cloud over the ${opts.unattendedMinutes} min: ${raised.size}${raised.size ? ` (${[...raised.values()].map((f) => `${f.rule}: ${f.title}`).join('; ')})` : ''}`);
    const settled = samples.filter((s) => s.minute >= 10);
    const ref = median(settled.slice(0, 4).map((s) => s.rss));
    const spread = settled.map((s) => (s.rss - ref) / ref);
    const last = samples.at(-1)!;
    say(
      `${opts.unattendedMinutes} min unattended: RSS ${(ref / 2 ** 20).toFixed(0)} MB at 10 min, within ${(Math.min(...spread) * 100).toFixed(1)} % … +${(Math.max(...spread) * 100).toFixed(1)} % after; ` +
        `open sockets ${Math.min(...samples.map((s) => s.sockets))}–${Math.max(...samples.map((s) => s.sockets))} (first ${samples[0]!.sockets}, last ${last.sockets}); ${last.ok} refreshes, ${last.failed} failed`,
    );
    writeFileSync(path.join(dir, 'unattended.json'), JSON.stringify(samples, null, 1));
  }

  if (opts.phases.includes('restart')) {
    // With the plugin, the counts are its; the management API is asked for everything else.
    const lists = env.RABBITMQ_PROMETHEUS_URL ? FULL_REFRESH.filter((s) => s.list !== 'queues (counts)') : FULL_REFRESH;
    const floors: number[] = [];
    const firsts: number[] = [];
    for (let i = 0; i < opts.trials; i++) {
      floors.push((await floorRefresh(broker, lists)).ms);
      await stopTracked(server.proc);
      const t0 = Date.now();
      server = await start(`dashboard-restart-${i + 1}.log`);
      await waitForSnapshot(server.url, 600_000);
      firsts.push(Date.now() - t0);
      log(`restart ${i + 1}: floor ${Math.round(floors.at(-1)!)} ms, first state ${firsts.at(-1)} ms after start`);
      await sleep(10_000);
    }
    const ms = (xs: number[]) => xs.map((x) => `${(x / 1000).toFixed(1)}`).join(', ');
    say(
      `first state after a restart: ${ms(firsts)} s (median ${(median(firsts) / 1000).toFixed(1)} s); a lean read of the same lists (${lists.map((s) => s.list).join(', ')}): ` +
        `${ms(floors)} s (median ${(median(floors) / 1000).toFixed(1)} s); ${(median(firsts) / median(floors)).toFixed(2)} ×`,
    );
  }

  viewing = false;
  await viewer;
  const out = opts.out ?? path.join(ROOT, 'artifacts/bench', `${stamp}.md`);
  writeFileSync(out, `${lines.join('\n\n')}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, out)} (logs in ${path.relative(ROOT, dir)})`);
}

main()
  .catch((err: unknown) => {
    console.error(`[bench:watch] ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
