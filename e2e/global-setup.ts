// A living simulated cloud in a vhost of its own for the whole e2e run; removed afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCloud } from '../sim/cloud';
import { loadScenario } from '../sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost } from '../tests/helpers/broker';
import { CLOUD_INFO_FILE, type E2eCloud } from './cloud-info';

export default async function globalSetup() {
  const vhost = await createTestVhost('e2e');
  // E2E_SCENARIO: another cloud (the RabbitMQ 4 run takes the modern-options one).
  const scenario = await loadScenario(path.resolve(__dirname, '..', process.env.E2E_SCENARIO ?? 'sim/scenarios/demo.json'));
  const cloud = await startCloud(scenario, { amqpUrl: amqpUrl(vhost), traffic: true });
  const info: E2eCloud = { vhost, processes: cloud.describe() };
  mkdirSync(path.dirname(CLOUD_INFO_FILE), { recursive: true });
  writeFileSync(CLOUD_INFO_FILE, JSON.stringify(info, null, 2));
  return async () => {
    await cloud.stop();
    await deleteTestVhost(vhost);
  };
}
