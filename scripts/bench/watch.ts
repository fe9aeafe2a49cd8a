// The figures of always watching, on a cloud of the size you care about (issues 12 and 21):
//
//   npm run bench:watch -- --hosts 1000                     # this build, always watching, following the broker's events, no viewer
//   npm run bench:watch -- --hosts 1000 --app /path/to/old --viewer --without-plugin   # an older build, read while a page polls
//   npm run bench:watch -- --hosts 1000 --without-events    # this build polling only (BROKER_EVENTS=off)
//
// On the bench broker (scripts/bench-broker.sh, with its Prometheus and event exchange plugins) and a scale
// cloud (scripts/bench/scale-cloud.ts: sim/scale-cli.ts with faults on request, its pids and queue names
// stable so that the cloud started again is the same processes on the same queues), one phase after
// another (--phases, in this order). The dashboard is given the broker's AMQP URL (RABBITMQ_AMQP_URL):
// a build of issue 21 follows the broker's events (rabbitmq_event_exchange) as its user, an older one
// only configures its ping with it. Whether its status says the events are live (status.events of
// GET /api/v1/clusters; absent in older builds) is printed at the first state, after the cpu phase and
// after the burst.
//
//   cpu         the broker's CPU seconds per minute: the cloud alone, then with the dashboard watching; the
//               dashboard's own CPU seconds per minute (its process tree) and RSS over the same window, and
//               how old the counts it shows are then (its status polled every second)
//   quiet       findings raised on the healthy cloud over --quiet-minutes (each one is a false alarm)
//   detect      seconds from one nova-compute stopping to consume its server queue (connection kept), and
//               from one being killed, to /findings reporting rpc-server-unconsumed for its host; --trials each.
//               After each, the journal's consumer-lost entry for compute.<host>: |its time − the fault's|
//               (the fault's time as the simulator answers it: `at`, when it began)
//   burst       every connection of the broker closed at once (rabbitmqctl close_all_connections --global,
//               as a broker restart does; the dashboard's own too), the cloud started again at once (the same
//               processes and queues, --burst-concurrency at a time): findings raised from then until
//               --burst-minutes after the dashboard caught up (each a false alarm) and how long each stayed open,
//               how long until it shows the cloud's consumers again (the broker's settled total less those of
//               vhost /, where the dashboard's own are; --burst-wait-minutes at most), its RSS and CPU meanwhile
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
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, intOption, settledTotals, startScaleCloudProcess, useBroker } from './cloud-setup';
import { cleanupAll, cpuSeconds, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked, treeCpuSeconds, treeRss } from './procs';
import { FULL_REFRESH, floorRefresh, rawGet } from './floor';
import { buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from './server';
import { median, percentile } from './stats';

const ROOT = path.resolve(__dirname, '../..');
const PHASES = ['cpu', 'quiet', 'detect', 'burst', 'fresh', 'unattended', 'restart'] as const;
const CLOUD_ENTRY = 'scripts/bench/scale-cloud.ts';
type Phase = (typeof PHASES)[number];

function options() {
  const { values } = parseArgs({
    options: {
      ...BROKER_AND_CLOUD_ARGS,
      app: { type: 'string', default: ROOT },
      viewer: { type: 'boolean', default: false },
      'without-plugin': { type: 'boolean', default: false },
      // BROKER_EVENTS=off: a build of issue 21 polling only, for comparison.
      'without-events': { type: 'boolean', default: false },
      phases: { type: 'string', default: PHASES.join(',') },
      'refresh-ms': { type: 'string' },
      'grace-ms': { type: 'string' },
      // The dashboard's node options alone (e.g. --max-old-space-size=256), to see what its memory is made of.
      'node-options': { type: 'string' },
      'cpu-minutes': { type: 'string', default: '2' },
      'quiet-minutes': { type: 'string', default: '10' },
      'fresh-minutes': { type: 'string', default: '10' },
      'burst-minutes': { type: 'string', default: '2' },
      'burst-concurrency': { type: 'string', default: '64' },
      // How long the burst waits for the dashboard to show the consumers again before it gives up.
      'burst-wait-minutes': { type: 'string', default: '10' },
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
    withoutEvents: values['without-events'],
    phases,
    refreshMs: values['refresh-ms'],
    nodeOptions: values['node-options'],
    graceMs: values['grace-ms'],
    cpuMinutes: Number(values['cpu-minutes']),
    quietMinutes: Number(values['quiet-minutes']),
    freshMinutes: Number(values['fresh-minutes']),
    burstMinutes: Number(values['burst-minutes']),
    burstConcurrency: intOption('burst-concurrency', values['burst-concurrency']),
    burstWaitMinutes: Number(values['burst-wait-minutes']),
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

/** The cluster's status as GET /api/v1/clusters answers it; `events` only from builds that follow the broker's events (issue 21). */
interface ClusterStatus {
  fetchedAt: number | null;
  stale: boolean;
  events?: { state: string; why: string | null; since: number; liveSince: number | null; lost: number };
}

async function clusterStatus(base: string): Promise<ClusterStatus> {
  return (await json<{ clusters: { status: ClusterStatus }[] }>(`${base}/api/v1/clusters`)).clusters[0]!.status;
}

function describeEvents(s: ClusterStatus): string {
  const e = s.events;
  if (!e) return "no status.events (this build does not follow the broker's events)";
  const at = (t: number) => new Date(t).toISOString().slice(11, 19);
  return `events ${e.state}${e.liveSince !== null ? ` since ${at(e.liveSince)}` : ''}${e.why ? ` (${e.why})` : ''}; lost ${e.lost}`;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const execFileAsync = promisify(execFile);

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
  const cloudOptions = { ...opts, traffic: true, controlPort: opts.controlPort, entry: CLOUD_ENTRY };
  let cloud = opts.cloud === 'start' ? await startScaleCloudProcess(broker, amqpUrl, cloudOptions, log, dir) : null;
  const totals = await settledTotals(broker);
  say(`# ${opts.hosts} hosts: ${totals.totals.queues} queues, ${totals.totals.connections} connections, ${totals.totals.consumers} consumers (RabbitMQ ${totals.rabbitmq})`);
  const commit = (() => {
    try {
      return readFileSync(path.join(opts.app, '.git/HEAD'), 'utf8').trim();
    } catch {
      return null;
    }
  })();
  say(
    `dashboard: ${opts.app === ROOT ? 'this build' : opts.app}${commit && /^[0-9a-f]{40}$/.test(commit) ? ` (${commit.slice(0, 7)})` : ''}${opts.withoutPlugin ? ', management API only' : ''}` +
      `${opts.withoutEvents ? ', BROKER_EVENTS=off' : ''}${opts.viewer ? ', with a viewer polling every 5 s' : ', nobody looking'}; RABBITMQ_AMQP_URL ${amqpUrl.replace(/\/\/[^@]*@/, '//…@')}`,
  );

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

  // The AMQP URL: a build of issue 21 follows the broker's events as its user; an older one configures its ping with it.
  const env: Record<string, string> = { RABBITMQ_AMQP_URL: amqpUrl, ...(prometheusUrl && !opts.withoutPlugin ? { RABBITMQ_PROMETHEUS_URL: prometheusUrl } : {}) };
  if (opts.withoutEvents) env.BROKER_EVENTS = 'off';
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
  say(`first state after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; ${describeEvents(await clusterStatus(base))}`);
  await sleep(30_000); // past the grace period of whatever the start-up looked like
  say(`30 s later: ${describeEvents(await clusterStatus(base))}`);

  if (opts.phases.includes('cpu')) {
    // The dashboard's own CPU and RSS over the same window, and how old the counts it shows are meanwhile (its status, every second).
    const dashboardPid = server.proc.pid;
    const b0 = cpuSeconds(pid);
    const d0 = treeCpuSeconds(dashboardPid);
    const t0 = Date.now();
    const until = t0 + opts.cpuMinutes * 60_000;
    const rss: number[] = [];
    const ages: number[] = [];
    const states = new Map<string, number>();
    let stale = 0;
    while (Date.now() < until) {
      const tick = Date.now();
      rss.push(treeRss(dashboardPid).rss);
      try {
        const s = await clusterStatus(base);
        if (s.fetchedAt !== null) ages.push(Date.now() - s.fetchedAt);
        if (s.stale) stale++;
        const state = s.events?.state ?? 'absent';
        states.set(state, (states.get(state) ?? 0) + 1);
      } catch (err) {
        log(`status: ${(err as Error).message}`);
      }
      await sleep(Math.max(0, Math.min(1000 - (Date.now() - tick), until - Date.now())));
    }
    const minutes = (Date.now() - t0) / 60_000;
    const watching = (cpuSeconds(pid) - b0) / minutes;
    const own = (treeCpuSeconds(dashboardPid) - d0) / minutes;
    say(`broker CPU with the dashboard: ${watching.toFixed(1)} s per minute (${idleCpu === null ? '' : `${(watching - idleCpu).toFixed(1)} s per minute more than the cloud alone`})`);
    say(
      `dashboard over the same ${minutes.toFixed(1)} min: CPU ${own.toFixed(1)} s per minute (its process tree), RSS ${mb(median(rss))} (median), ${mb(Math.max(...rss))} at most; ` +
        `counts shown ${(median(ages) / 1000).toFixed(1)} s old (median), ${(percentile(ages, 95) / 1000).toFixed(1)} s (95th percentile), ${(Math.max(...ages) / 1000).toFixed(1)} s at most, stale in ${stale} of ${ages.length} looks; ` +
        `events: ${[...states].map(([k, n]) => `${k} in ${n}`).join(', ')} of the looks`,
    );
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
    interface JournalEntry {
      at: number;
      kind: string;
      queue: string | null;
      host: string | null;
    }
    // The journal's consumer-lost entry for the host's server queue, once written (the store is written after each refresh): its time − the fault's, in s.
    const journalOffset = async (host: string, at: number): Promise<number> => {
      const queue = `compute.${host}`;
      const url = `${api}/journal?vhost=${encodeURIComponent(opts.vhost)}&queue=${encodeURIComponent(queue)}&kind=consumer-lost&range=15m`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answer = await json<{ groups: { entries: JournalEntry[] }[]; store?: unknown }>(url);
        const entries = answer.groups.flatMap((g) => g.entries).filter((e) => e.kind === 'consumer-lost' && e.queue === queue && e.at >= at - 60_000);
        if (entries.length) {
          const nearest = entries.reduce((a, b) => (Math.abs(a.at - at) <= Math.abs(b.at - at) ? a : b));
          return (nearest.at - at) / 1000;
        }
        if (Date.now() > deadline) {
          log(`no consumer-lost entry for ${queue} after 60 s: ${JSON.stringify(answer).slice(0, 500)}`);
          return Number.NaN;
        }
        await sleep(1000);
      }
    };
    const signed = (x: number) => (Number.isNaN(x) ? 'none' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`);
    for (const kind of ['not-consuming', 'kill'] as const) {
      const times: number[] = [];
      const offsets: number[] = [];
      for (let i = 0; i < opts.trials; i++) {
        const host = computeName(Math.floor(((kind === 'kill' ? 2 * i + 1 : 2 * i) + 0.5) * (opts.hosts / (2 * opts.trials))), opts.hosts);
        const at = await fault(`${kind}:nova-compute@${host}`);
        times.push(await detected(host, at));
        offsets.push(await journalOffset(host, at));
        log(`${kind} ${host}: ${times.at(-1)} s; journal's consumer-lost ${signed(offsets.at(-1)!)} s from the fault`);
      }
      const what = kind === 'kill' ? 'a nova-compute killed' : 'a nova-compute that stopped consuming (connection kept)';
      say(`time to detect, ${what}: ${times.map((t) => t.toFixed(1)).join(', ')} s (median ${median(times).toFixed(1)} s)`);
      const found = offsets.filter((x) => !Number.isNaN(x)).map(Math.abs);
      say(
        `the journal's consumer-lost of compute.<host> − the fault's time, ${what}: ${offsets.map(signed).join(', ')} s` +
          (found.length ? ` (|median| ${median(found).toFixed(2)} s, at most ${Math.max(...found).toFixed(2)} s)` : ''),
      );
    }
  }

  if (opts.phases.includes('burst')) {
    if (!cloud || opts.managementUrl) say('burst: skipped (it needs the bench broker and a cloud this run started)');
    else {
      const dashboardPid = server.proc.pid;
      const shown = async () => (await json<{ totals: { consumers: number } }>(`${api}/overview`)).totals.consumers;
      const pre = await settledTotals(broker);
      const preShown = await shown();
      // Consumers of vhost / (a build that follows the events consumes its own two queues there, and may not count them).
      const own = async () => (await rawGet(broker, '/api/consumers/%2F', {}).then((r) => (r.body as unknown[]).length, () => 0));
      const ownBefore = await own();
      const openBefore = new Set((await json<{ findings: Finding[] }>(`${api}/findings`)).findings.map((f) => f.id));
      const rssBefore = treeRss(dashboardPid).rss;
      interface Sample {
        t: number;
        consumers: number | null;
        stale: boolean | null;
        events: string | null;
        /** Why the events are not live, as the status says. */
        why: string | null;
        age: number | null;
        rss: number;
      }
      const samples: Sample[] = [];
      const raised = new Map<string, Finding & { t: number; lastOpen: number }>();
      const t0 = Date.now();
      const b0 = cpuSeconds(pid);
      const d0 = treeCpuSeconds(dashboardPid);
      let sampling = true;
      const sampler = (async () => {
        for (let n = 0; sampling; n++) {
          const tick = Date.now();
          const [consumers, st] = await Promise.all([shown().catch(() => null), clusterStatus(base).catch(() => null)]);
          samples.push({ t: tick - t0, consumers, stale: st?.stale ?? null, events: st ? (st.events?.state ?? 'absent') : null, why: st?.events?.why ?? null, age: st?.fetchedAt ? Date.now() - st.fetchedAt : null, rss: treeRss(dashboardPid).rss });
          if (n % 2 === 0) {
            const f = await json<{ findings: Finding[]; resolved: (Finding & { resolvedAt: number })[] }>(`${api}/findings`).catch(() => ({ findings: [], resolved: [] }));
            // Also those raised and resolved between two looks (the answer's recently resolved).
            const now = Date.now() - t0;
            for (const x of [...f.findings, ...f.resolved.filter((r) => r.resolvedAt >= t0)])
              if (!openBefore.has(x.id) && !raised.has(x.id)) raised.set(x.id, { ...x, t: now, lastOpen: now });
            for (const x of f.findings) {
              const r = raised.get(x.id);
              if (r) r.lastOpen = now;
            }
          }
          await sleep(Math.max(0, 1000 - (Date.now() - tick)));
        }
      })();
      const connectionsBefore = pre.totals.connections ?? 0;
      const closed = await execFileAsync('bash', [path.join(ROOT, 'scripts/bench-broker.sh'), 'ctl', 'close_all_connections', '--global', 'burst'], { timeout: 300_000 }).then(
        (r) => `${r.stdout}${r.stderr}`.trim(),
        (err: Error) => `failed: ${err.message}`,
      );
      const closedAt = Date.now() - t0;
      log(`burst: close_all_connections --global took ${closedAt} ms${closed ? `: ${closed.split('\n').slice(-3).join(' / ')}` : ''}`);
      // The simulator does not reconnect: its processes are started again, on the same queues (scripts/bench/scale-cloud.ts).
      cloud.forget();
      await stopTracked(cloud.proc, 5000);
      cloud = await startScaleCloudProcess(broker, amqpUrl, { ...cloudOptions, logName: 'cloud-burst.log', concurrency: opts.burstConcurrency }, log, dir);
      const upAt = Date.now() - t0;
      const post = await settledTotals(broker);
      const ownAfter = await own();
      // Caught up: showing at least the broker's consumers outside vhost / (those of the cloud).
      const target = (post.totals.consumers ?? 0) - ownAfter;
      log(`burst: cloud up again at ${(upAt / 1000).toFixed(1)} s; the broker settled at ${post.totals.consumers} consumers (${ownAfter} in vhost /), ${post.totals.connections} connections; the dashboard should show ${target}`);
      // Caught up: the first look after its lowest count that shows the target again (--burst-wait-minutes at most).
      const caughtUp = () => {
        const after = samples.filter((x) => x.t >= closedAt && x.consumers !== null);
        if (!after.length) return null;
        const low = after.reduce((a, b) => (b.consumers! < a.consumers! ? b : a));
        return { low, back: after.find((x) => x.t >= low.t && x.consumers! >= target) ?? null };
      };
      const deadline = Date.now() + opts.burstWaitMinutes * 60_000;
      while (!caughtUp()?.back && Date.now() < deadline) await sleep(1000);
      const caught = caughtUp();
      // Not caught up: the window ends now, --burst-wait-minutes after the cloud was up.
      const end = caught?.back ? Math.max(upAt, caught.back.t) + opts.burstMinutes * 60_000 : Date.now() - t0;
      while (Date.now() - t0 < end) await sleep(1000);
      sampling = false;
      await sampler;
      const minutes = (Date.now() - t0) / 60_000;
      const brokerCpu = (cpuSeconds(pid) - b0) / minutes;
      const ownCpu = (treeCpuSeconds(dashboardPid) - d0) / minutes;
      const rssAfter = treeRss(dashboardPid).rss;
      const still = new Set((await json<{ findings: Finding[] }>(`${api}/findings`)).findings.map((f) => f.id));
      const last = samples.at(-1);
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      say(
        `burst: every connection closed at once (${connectionsBefore} before; close_all_connections --global took ${s(closedAt)}${closed.startsWith('failed') ? `, ${closed}` : ''}), ` +
          `the cloud started again (${opts.burstConcurrency} processes at a time) and up ${s(upAt)} after the burst began; the broker settled at ${post.totals.consumers} consumers`,
      );
      say(
        caught?.back
          ? `burst: the dashboard caught up ${s(caught.back.t)} after the burst began (${s(caught.back.t - upAt)} after the cloud was up): ${caught.back.consumers} consumers shown, ${target} expected (the broker's ${post.totals.consumers}, ${ownAfter} of them in vhost /; before the burst the broker had ${pre.totals.consumers}, ${ownBefore} in /, and the dashboard showed ${preShown}); lowest shown ${caught.low.consumers} at ${s(caught.low.t)}; ${last?.consumers ?? 'nothing'} at the end`
          : `burst: the dashboard did not catch up in ${opts.burstWaitMinutes} min after the cloud was up: it shows ${last?.consumers ?? 'nothing'} consumers, ${target} expected (lowest ${caught?.low.consumers ?? '?'})`,
      );
      const byRule = new Map<string, number>();
      for (const f of raised.values()) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      const beforeUp = [...raised.values()].filter((f) => f.t < upAt).length;
      const openFor = [...raised.values()].map((f) => f.lastOpen - f.t);
      say(
        `burst: findings raised from the burst until ${caught?.back ? `${opts.burstMinutes} min after the dashboard caught up` : 'it gave up waiting'} (${s(end)}): ${raised.size}` +
          (raised.size
            ? ` (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}; ${beforeUp} while the cloud was starting again, ${raised.size - beforeUp} after; ` +
              `open for ${s(median(openFor))} (median), ${s(Math.max(...openFor))} at most, as seen every 2 s; ${[...raised.keys()].filter((id) => still.has(id)).length} still open at the end; for example ${[...raised.values()]
                .slice(0, 5)
                .map((f) => `${f.title} at ${s(f.t)}`)
                .join('; ')})`
            : ''),
      );
      const ages = samples.map((x) => x.age).filter((x): x is number => x !== null);
      // The events' states in the order seen, each with when it was first seen after the burst began.
      const eventStates = samples
        .filter((x, i) => x.events !== null && x.events !== samples.slice(0, i).findLast((y) => y.events !== null)?.events)
        .map((x) => `${x.events} at ${s(x.t)}${x.why ? ` (${x.why})` : ''}`)
        .join(' → ');
      say(
        `burst: dashboard RSS ${mb(rssBefore)} before, ${mb(Math.max(...samples.map((x) => x.rss)))} at most, ${mb(rssAfter)} at the end; CPU ${ownCpu.toFixed(1)} s per minute over the ${minutes.toFixed(1)} min (broker ${brokerCpu.toFixed(1)}); ` +
          `counts shown up to ${s(Math.max(...ages))} old, stale in ${samples.filter((x) => x.stale).length} of ${samples.length} looks, no answer in ${samples.filter((x) => x.consumers === null).length}; events states seen: ${eventStates || 'none'}; now ${describeEvents(await clusterStatus(base))}`,
      );
      writeFileSync(path.join(dir, 'burst.json'), JSON.stringify({ t0, closedAt, upAt, target, preShown, ownBefore, ownAfter, pre: pre.totals, post: post.totals, samples, raised: [...raised.values()] }, null, 1));
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
