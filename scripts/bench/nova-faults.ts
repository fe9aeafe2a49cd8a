// The seed's story on a REAL nova (issue 20): seconds from each fault done to one of its computes to
// the finding that names it, with the dashboard's default settings.
//
//   npm run bench:nova-faults                  # Debian 12's nova 26.2 on the machine's RabbitMQ (3.10)
//   npm run bench:nova-faults -- --rounds 3    # nova started afresh for each round
//   npm run bench:nova-faults -- --stack forky # nova 33 with kolla's options on RabbitMQ 4.3 (scripts/forky.sh)
//
// Faults (tests/helpers/real-nova.ts): killed (SIGKILL), frozen (SIGSTOP, then the dashboard's ping
// waits on its server queue), up but does nothing (its RPC connection closed, a vhost connection
// limit keeps it from coming back). A fault counts as named right only if the first finding raised
// about its queue is the right one. Figures are printed and written to artifacts/bench; nothing is
// asserted.
import axios from 'axios';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FindingsResponse, ServicesResponse } from '@/lib/api/schemas';
import { liftConnectionLimit, novaFaults, type RealNovaOptions, startRealNova } from '../../tests/helpers/real-nova';
import { cleanupAll, fileLogger, installSignalHandlers, onCleanup, runStamp, sleep, stopTracked } from './procs';
import { buildNeeded, freePort, nextBuild, startDashboard, waitForSnapshot } from './server';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '../..');
const STACKS = {
  debian12: { managementUrl: 'http://127.0.0.1:15672', prometheusUrl: 'http://127.0.0.1:15692', amqp: 'amqp://guest:guest@127.0.0.1:5672', command: ['bash', path.join(ROOT, 'scripts/nova.sh')] },
  forky: { managementUrl: 'http://127.0.0.1:15750', prometheusUrl: 'http://127.0.0.1:15760', amqp: 'amqp://guest:guest@127.0.0.1:5740', command: ['bash', path.join(ROOT, 'scripts/forky.sh'), 'nova'] },
} as const;

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '1' }, stack: { type: 'string', default: 'debian12' } } });
  const stack = STACKS[values.stack as keyof typeof STACKS];
  if (!stack) throw new Error(`--stack is one of ${Object.keys(STACKS).join(', ')}`);
  const rounds = Number(values.rounds);
  installSignalHandlers();
  const stamp = `nova-faults-${values.stack}-${runStamp()}`;
  const dir = path.join(ROOT, 'artifacts/bench', stamp);
  mkdirSync(dir, { recursive: true });
  const log = fileLogger(path.join(dir, 'bench.log'));
  if (buildNeeded()) await nextBuild(path.join(dir, 'build.log'));
  const admin = axios.create({ baseURL: stack.managementUrl, auth: { username: 'guest', password: 'guest' }, timeout: 30_000 });
  const results = new Map<string, { seconds: number; right: boolean; title: string }[]>();

  for (let round = 1; round <= rounds; round++) {
    const vhost = `nova-bench-${round}`;
    const options: RealNovaOptions = {
      prefix: `lensnova_bench${values.stack === 'forky' ? '33' : ''}`,
      vhost,
      command: stack.command,
      env: { NOVA_MGMT_URL: stack.managementUrl, NOVA_AMQP_URL: stack.amqp, ...(values.stack === 'forky' ? { NOVA_OSLO_OPTIONS: 'kolla', NOVA_PLACEMENT_PORT: '8779' } : {}) },
    };
    log(`round ${round}: starting nova (${values.stack})`);
    const t0 = Date.now();
    const nova = await startRealNova(options);
    const stopNova = async () => {
      await liftConnectionLimit(admin, vhost);
      await nova.stop();
    };
    const forgetNova = onCleanup('nova', stopNova);
    log(`nova up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const server = await startDashboard({
      port: await freePort(),
      managementUrl: stack.managementUrl,
      username: 'guest',
      password: 'guest',
      env: { RABBITMQ_PROMETHEUS_URL: stack.prometheusUrl, RABBITMQ_AMQP_URL: `${stack.amqp}/${vhost}`, HISTORY_STORE: path.join(dir, `round-${round}.sqlite`) },
      log: path.join(dir, `dashboard-${round}.log`),
    });
    const forgetServer = onCleanup('dashboard', () => stopTracked(server.proc));
    await waitForSnapshot(server.url, 120_000);
    const api = async <T>(p: string, init?: RequestInit) => (await (await fetch(`${server.url}/api/v1/clusters/default${p}`, init)).json()) as T;
    // Healthy first: every compute's server seen consuming.
    for (;;) {
      const rows = (await api<ServicesResponse>(`/services?vhost=${vhost}&topic=compute`)).groups.flatMap((g) => g.rows);
      if (nova.hosts.every((h) => rows.some((r) => r.host === h && r.status === 'ok'))) break;
      await sleep(500);
    }
    const ping = (server: string) =>
      api('/probe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vhost, exchange: 'nova', topic: 'compute', server, timeoutMs: 3000 }) });
    for (const fault of novaFaults(nova, admin, ping)) {
      const at = Date.now();
      await fault.inflict();
      let first: FindingsResponse['findings'][number] | undefined;
      while (!first && Date.now() - at < 180_000) {
        first = (await api<FindingsResponse>(`/findings?vhost=${vhost}&limit=500`)).findings.find((f) => f.subject.type === 'queue' && f.subject.name === fault.queue);
        if (!first) await sleep(250);
      }
      const seconds = (Date.now() - at) / 1000;
      const right = first !== undefined && first.rule === fault.rule && fault.title.test(first.title);
      log(`${fault.name} (${fault.host}): ${first ? `${seconds.toFixed(1)} s, ${right ? 'right' : 'WRONG'}: ${first.title}` : 'not found in 180 s'}`);
      const list = results.get(fault.name) ?? [];
      list.push({ seconds: first ? seconds : Number.NaN, right, title: first?.title ?? '(none)' });
      results.set(fault.name, list);
    }
    forgetServer();
    await stopTracked(server.proc);
    forgetNova();
    await stopNova();
  }

  const lines = [`# Faults on a real nova (${values.stack}), default settings, ${rounds} round(s)`, '| fault | seconds to the finding (each round) | median | named right the first time |', '|---|---|---|---|'];
  for (const [name, list] of results) {
    lines.push(`| ${name} | ${list.map((r) => r.seconds.toFixed(1)).join(', ')} | ${median(list.map((r) => r.seconds)).toFixed(1)} | ${list.filter((r) => r.right).length}/${list.length} |`);
  }
  const text = lines.join('\n');
  console.log(`\n${text}\n`);
  writeFileSync(path.join(ROOT, 'artifacts/bench', `${stamp}.md`), `${text}\n`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
