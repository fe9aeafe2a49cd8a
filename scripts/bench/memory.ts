// What the server's memory is made of: several dashboards side by side on one cloud, each started
// with its own node options, their RSS every 30 s and their CPU (issue 19). They read the same broker at once, so
// compare them with each other, not with a dashboard alone (bench:watch's unattended phase).
//
//   npm run bench:memory -- --hosts 1000 --minutes 12 --variant default= --variant cap192=--max-old-space-size=192
//
// A variant is name=node options: Node's command-line options for that dashboard alone, V8's flags
// included (NODE_OPTIONS takes only a few of those), and NAME=value words for its environment
// (MALLOC_ARENA_MAX=2); each has its own store. name@DIR= runs the
// build of another checkout (an earlier version, built there), as bench:watch's --app. Broker and cloud as bench:watch
// (--cloud none --keep-broker to use one left running). Figures are printed and written to artifacts/bench.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BROKER_AND_CLOUD_ARGS, brokerAndCloudOptions, intOption, settledTotals, startScaleCloud, useBroker } from './cloud-setup';
import { cleanupAll, cpuSeconds, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked, treeRss } from './procs';
import { asNpmStarts, buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from './server';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '../..');

function npmStartText(app: string | undefined): string {
  const { env, nodeArgs } = asNpmStarts(app ?? ROOT);
  return [...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...nodeArgs].join(' ') || 'no node options';
}

async function main() {
  const { values } = parseArgs({ options: { ...BROKER_AND_CLOUD_ARGS, minutes: { type: 'string', default: '12' }, variant: { type: 'string', multiple: true, default: ['default='] } } });
  const opts = { ...brokerAndCloudOptions(values), hosts: intOption('hosts', values.hosts), controllers: intOption('controllers', values.controllers), minutes: intOption('minutes', values.minutes) };
  const variants = values.variant.map((v) => {
    const eq = v.indexOf('=');
    if (eq < 1) throw new Error(`--variant is name=node options, got ${v}`);
    const [name = '', app] = v.slice(0, eq).split('@');
    return { name, app: app ? path.resolve(app) : undefined, nodeOptions: v.slice(eq + 1).trim() };
  });
  installSignalHandlers();
  const stamp = `memory-${opts.hosts}h-${runStamp()}`;
  const dir = path.join(ROOT, 'artifacts/bench', stamp);
  mkdirSync(dir, { recursive: true });
  const log = fileLogger(path.join(dir, 'bench.log'));
  const why = buildNeeded();
  if (why) await nextBuild(path.join(dir, 'build.log'));
  const { broker, amqpUrl, prometheusUrl } = useBroker(opts, log, path.join(dir, 'broker.log'));
  if (opts.cloud === 'start') await startScaleCloud(broker, amqpUrl, { ...opts, traffic: true }, log, dir);
  const totals = await settledTotals(broker);
  const lines = [`# ${opts.hosts} hosts: ${totals.totals.queues} queues, ${totals.totals.consumers} consumers (RabbitMQ ${totals.rabbitmq}); ${variants.length} dashboards side by side, ${opts.minutes} min`];

  const servers = [];
  for (const v of variants) {
    const env: Record<string, string> = { HISTORY_STORE: path.join(dir, `${v.name}.sqlite`), ...(prometheusUrl ? { RABBITMQ_PROMETHEUS_URL: prometheusUrl } : {}) };
    const words = v.nodeOptions ? v.nodeOptions.split(/\s+/) : [];
    const isEnv = (w: string) => /^[A-Z_][A-Z0-9_]*=/.test(w);
    for (const w of words.filter(isEnv)) env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
    const nodeArgs = words.length ? words.filter((w) => !isEnv(w)) : undefined;
    const server = await startDashboard({ root: v.app, port: await freePort(), nodeArgs, managementUrl: broker.url, username: broker.username, password: broker.password, env, log: path.join(dir, `${v.name}.log`) });
    onCleanup(`dashboard ${v.name}`, () => stopTracked(server.proc));
    servers.push({ ...v, server, rss: [] as number[] });
  }
  for (const s of servers) await waitForSnapshot(s.server.url, 600_000);
  const t0 = Date.now();
  const cpu0 = servers.map((s) => cpuSeconds(s.server.proc.pid));
  while (Date.now() - t0 < opts.minutes * 60_000) {
    await sleep(30_000);
    for (const s of servers) s.rss.push(treeRss(s.server.proc.pid).rss / 2 ** 20);
    log(servers.map((s) => `${s.name} ${s.rss.at(-1)!.toFixed(0)} MB`).join(', '));
  }
  const minutes = (Date.now() - t0) / 60_000;
  servers.forEach((s, i) => {
    const cpu = (cpuSeconds(s.server.proc.pid) - cpu0[i]!) / minutes;
    // The issue's measure: the median of each 10-minute window (20 samples).
    const windows = Array.from({ length: Math.ceil(s.rss.length / 20) }, (_, w) => median(s.rss.slice(w * 20, w * 20 + 20)).toFixed(0));
    lines.push(
      `${s.name} (${s.app ? `${s.app}, ` : ''}${s.nodeOptions || `as its npm start: ${npmStartText(s.app)}`}): RSS median ${median(s.rss).toFixed(0)} MB, ${Math.min(...s.rss).toFixed(0)}–${Math.max(...s.rss).toFixed(0)} MB over ${s.rss.length} samples; ` +
        `10-min medians ${windows.join(', ')} MB; CPU ${cpu.toFixed(1)} s/min`,
    );
  });
  console.log(lines.join('\n'));
  writeFileSync(path.join(ROOT, 'artifacts/bench', `${stamp}.md`), `${lines.join('\n\n')}\n`);
}

main()
  .catch((err: unknown) => {
    console.error(`[bench:memory] ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
