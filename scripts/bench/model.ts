// The model build alone, for working on it without a cloud running: reads the broker once
// (or a saved capture, or makes up a cloud), then times buildTopology, a refresh's whole state
// and the answers shared per state, and prints where the build spends its time.
//   npm run bench:model -- --save artifacts/bench/inputs-1000h.json.gz   # read the broker (RABBITMQ_* env), save
//   npm run bench:model -- --inputs artifacts/bench/inputs-1000h.json.gz [--runs 15]
//   npm run bench:model -- --hosts 1000     # no broker: a cloud shaped like the scale simulator's (synthetic.ts)
//   npm run bench:model -- --hosts 1000 --counts-only   # only a counts-only refresh's pipeline (counts-refresh.ts)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ManagementClient } from '../../lib/broker/management-client';
import { readBroker } from '../../lib/broker/read-broker';
import type { BrokerInputs } from '../../lib/domain/types';
import { printAnswers, timeAnswers } from './answers';
import { printCountsRefresh, timeCountsParts, timeCountsRefresh } from './counts-refresh';
import { buildAlone, profileBuild, stateAlone } from './dashboard-read';
import { syntheticCloud } from './synthetic';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inputs: { type: 'string' }, save: { type: 'string' }, hosts: { type: 'string' }, runs: { type: 'string', default: '15' }, 'counts-only': { type: 'boolean', default: false } } });
  let inputs: BrokerInputs;
  if (values.hosts) {
    inputs = syntheticCloud(Number(values.hosts));
    if (values.save) writeFileSync(values.save, gzipSync(JSON.stringify(inputs)));
  } else if (values.inputs) {
    inputs = JSON.parse(gunzipSync(readFileSync(values.inputs)).toString('utf8')) as BrokerInputs;
  } else {
    const client = new ManagementClient({
      baseUrl: process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672',
      username: process.env.RABBITMQ_USERNAME ?? 'guest',
      password: process.env.RABBITMQ_PASSWORD ?? 'guest',
      timeoutMs: 120_000,
    });
    inputs = (await readBroker(client)).inputs;
    if (values.save) writeFileSync(values.save, gzipSync(JSON.stringify(inputs)));
  }
  const n = (k: keyof BrokerInputs) => (Array.isArray(inputs[k]) ? (inputs[k] as unknown[]).length : 1);
  console.log(`inputs: ${n('queues')} queues, ${n('bindings')} bindings, ${n('consumers')} consumers, ${n('connections')} connections, ${n('channels')} channels`);
  const countsRefresh = () => printCountsRefresh(Number(values.hosts ?? 0), timeCountsRefresh(inputs, Number(values.runs)), timeCountsParts(inputs, Number(values.runs)));
  if (values['counts-only']) return countsRefresh();
  const build = buildAlone(inputs, Number(values.runs));
  console.log(`buildTopology: median ${build.median.toFixed(0)} ms (runs ${build.runs.map((r) => r.toFixed(0)).join(', ')})`);
  const state = stateAlone(inputs, Number(values.runs));
  console.log(`a refresh's whole state (model, history, rules, health, services): median ${state.median.toFixed(0)} ms (runs ${state.runs.map((r) => r.toFixed(0)).join(', ')})`);
  for (const h of await profileBuild(inputs)) console.log(`  ${h.selfMs.toFixed(1).padStart(7)} ms ${(h.share * 100).toFixed(0).padStart(3)} %  ${h.fn}  ${h.where}`);
  printAnswers(timeAnswers(inputs, Math.min(Number(values.runs), 7)));
  countsRefresh();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
