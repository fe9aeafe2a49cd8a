// Runs a scenario until SIGINT/SIGTERM:
//   npx tsx sim/cli.ts --scenario sim/scenarios/demo.json [--amqp-url amqp://guest:guest@127.0.0.1:5672/] [--vhost X]
//       [--fault <kind>:<binary>@<host>[:<queue>]]...   (kinds: not-consuming, no-ack, slow[=<ms>], kill; see sim/faults.ts)
//       [--fault-after <seconds>]   apply the faults that long after start (the demo: a minute, so its timeline has a story)
//   npx tsx sim/cli.ts --hosts 1000 [...]   the scale mode: see sim/scale-cli.ts
// Creates the vhost through the management API when it is missing
// (RABBITMQ_MANAGEMENT_URL, RABBITMQ_USERNAME, RABBITMQ_PASSWORD; defaults: local broker, guest/guest).
import { parseArgs } from 'node:util';
import { resolveAmqpUrl, startCloud } from './cloud';
import { applyFault, parseFault } from './faults';
import { loadScenario } from './scenario';
import { ensureVhost } from './vhost';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'sim/scenarios/demo.json' },
      'amqp-url': { type: 'string', default: process.env.RABBITMQ_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/' },
      vhost: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      fault: { type: 'string', multiple: true, default: [] },
      'fault-after': { type: 'string', default: '0' },
    },
  });
  // checked before anything starts, so a typo does not leave a half-started cloud
  const faults = values.fault.map(parseFault);
  const faultAfterS = Number(values['fault-after']);
  if (!Number.isFinite(faultAfterS) || faultAfterS < 0) throw new Error(`--fault-after takes seconds (>= 0), got "${values['fault-after']}"`);
  const scenario = await loadScenario(values.scenario);
  const amqpUrl = values['amqp-url'];
  const { vhost } = resolveAmqpUrl(amqpUrl, scenario.vhost, values.vhost);
  if (await ensureVhost(vhost)) console.log(`created vhost ${vhost}`);

  const cloud = await startCloud(scenario, {
    amqpUrl,
    vhost,
    log: (line) => {
      if (!values.quiet || line.startsWith('started ')) console.log(line);
    },
  });
  const applyFaults = async () => {
    for (const f of faults) {
      try {
        console.log(await applyFault(cloud, f));
      } catch (err) {
        console.error(`fault ${f.kind}:${f.binary}@${f.host} failed: ${(err as Error).message}`);
        await cloud.stop();
        process.exit(2);
      }
    }
  };
  if (faultAfterS === 0) await applyFaults();
  else if (faults.length > 0) {
    console.log(`faults in ${faultAfterS} s: ${values.fault.join(', ')}`);
    setTimeout(() => void applyFaults(), faultAfterS * 1000).unref();
  }
  console.log(`cloud "${scenario.name}" running in vhost ${vhost} with ${cloud.processes.length} processes; Ctrl-C to stop`);

  const report = setInterval(() => {
    const t = cloud.traffic;
    console.log(`traffic: ${t.calls} calls (${t.callReplies} answered, ${t.callFailures} failed), ${t.casts} casts, ${t.fanoutCasts} fanouts, ${t.notifications} notifications`);
  }, 30_000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    console.log(`${signal}: stopping`);
    // never hang on a broker that stopped answering
    setTimeout(() => {
      console.error('stop took too long; exiting');
      process.exit(1);
    }, 15_000).unref();
    await cloud.stop();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

// `--hosts N`: the scale mode (sim/scale-cli.ts takes over the command line)
if (process.argv.slice(2).some((a) => a === '--hosts' || a.startsWith('--hosts='))) {
  void import('./scale-cli');
} else {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
