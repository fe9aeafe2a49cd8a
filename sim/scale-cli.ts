// A cloud of N compute hosts until SIGINT/SIGTERM (see sim/scale.ts for its shape):
//   npx tsx sim/scale-cli.ts --hosts 1000 [--controllers 3] [--concurrency 64] [--traffic]
//       [--amqp-url amqp://guest:guest@127.0.0.1:5672/] [--vhost X] [--management-url http://127.0.0.1:15672]
//   (`npx tsx sim/cli.ts --hosts 1000 ...` runs this too.)
//   --control-port N: faults on request, for benchmarks: POST http://127.0.0.1:N/fault with a body such as
//   `not-consuming:nova-compute@compute0500` or `kill:nova-compute@compute0501` (sim/faults.ts); the
//   answer says what was done and when it began (epoch ms).
// Against the benchmark broker: eval "$(bash scripts/bench-broker.sh env)"; npx tsx sim/scale-cli.ts --hosts 1000
// The vhost is created through the management API when missing (--management-url, else
// RABBITMQ_MANAGEMENT_URL; RABBITMQ_USERNAME, RABBITMQ_PASSWORD).
import http from 'node:http';
import { parseArgs } from 'node:util';
import { resolveAmqpUrl } from './cloud';
import { applyFault, parseFault } from './faults';
import { startScaleCloud, type ScaleCloudHandle } from './scale';
import { ensureVhost } from './vhost';

const positiveInt = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return n;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string' },
      controllers: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '64' },
      traffic: { type: 'boolean', default: false },
      'amqp-url': { type: 'string', default: process.env.RABBITMQ_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/' },
      vhost: { type: 'string' },
      'management-url': { type: 'string' },
      // how long SIGINT/SIGTERM may take before we exit anyway
      'stop-timeout': { type: 'string', default: '300' },
      'control-port': { type: 'string' },
    },
  });
  if (values.hosts === undefined) throw new Error('--hosts N is required');
  const hosts = positiveInt('hosts', values.hosts);
  const controllers = positiveInt('controllers', values.controllers);
  const concurrency = positiveInt('concurrency', values.concurrency);
  const stopTimeoutMs = positiveInt('stop-timeout', values['stop-timeout']) * 1000;
  const amqpUrl = values['amqp-url'];
  const { vhost } = resolveAmqpUrl(amqpUrl, '/', values.vhost);
  if (await ensureVhost(vhost, values['management-url'])) console.log(`created vhost ${vhost}`);

  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const abort = new AbortController();
  let cloud: ScaleCloudHandle | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // never hang on a broker that stopped answering
    setTimeout(() => {
      console.error(`stop took more than ${stopTimeoutMs / 1000} s; exiting`);
      process.exit(1);
    }, stopTimeoutMs).unref();
    if (!cloud) {
      // still starting: startScaleCloud closes what started and rejects; main's catch exits
      log(`${signal}: aborting the start-up`);
      abort.abort(new Error(`${signal} during start-up`));
      return;
    }
    const n = cloud.counts().connections;
    log(`${signal}: closing ${n} connections`);
    const t0 = performance.now();
    await cloud.stop();
    log(`stopped ${n} connections in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  log(`starting ${hosts} hosts + ${controllers} controllers (${2 * hosts + 4 * controllers + 1} processes, ${concurrency} at a time) in vhost ${vhost}`);
  cloud = await startScaleCloud({ amqpUrl, vhost, hosts, controllers, concurrency, traffic: values.traffic, log, signal: abort.signal });
  if (stopping) {
    // a signal landed between the last process and here
    await cloud.stop();
    process.exit(0);
  }
  if (values['control-port'] !== undefined) listenForFaults(cloud, positiveInt('control-port', values['control-port']), log);
  log(`running${values.traffic ? ' with traffic' : ', no traffic'}; Ctrl-C to stop`);
  if (values.traffic) {
    const c = cloud;
    setInterval(() => {
      const t = c.traffic;
      log(`traffic: ${t.calls} calls (${t.callReplies} answered, ${t.callFailures} failed), ${t.casts} casts, ${t.fanoutCasts} fanouts, ${t.notifications} notifications`);
    }, 30_000);
  }
}

/** POST /fault <spec>: applies it, answers `{ at, done }` (at: when it began, epoch ms). */
function listenForFaults(cloud: ScaleCloudHandle, port: number, log: (line: string) => void): void {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const answer = (status: number, value: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method !== 'POST' || req.url !== '/fault') return answer(404, { error: 'POST /fault only' });
      let fault;
      try {
        fault = parseFault(body.trim());
      } catch (err) {
        return answer(400, { error: (err as Error).message });
      }
      const at = Date.now(); // before: the fault counts from the moment it began
      applyFault(cloud, fault).then(
        (done) => {
          log(done);
          answer(200, { at, done });
        },
        (err: unknown) => answer(500, { error: (err as Error).message }),
      );
    });
  });
  server.listen(port, '127.0.0.1', () => log(`faults on request: POST http://127.0.0.1:${port}/fault`));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
