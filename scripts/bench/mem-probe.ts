import { ManagementClient } from '../../lib/broker/management-client';
import { readBroker, type TopologyRead } from '../../lib/broker/read-broker';
import { buildTopology } from '../../lib/domain/topology';
const mb = (n: number) => (n / 1048576).toFixed(0);
async function main() {
  const client = new ManagementClient({ baseUrl: process.env.RABBITMQ_MANAGEMENT_URL!, username: 'guest', password: 'guest', timeoutMs: 120_000 });
  let known: TopologyRead | undefined;
  let keep: unknown;
  for (let i = 1; i <= 6; i++) {
    const r = await readBroker(client, i % 4 === 1 ? undefined : known);
    known = r.topology;
    keep = buildTopology(r.inputs);
    const m = process.memoryUsage();
    global.gc?.();
    const g = process.memoryUsage();
    console.log(`refresh ${i}: rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} ext ${mb(m.external)} ab ${mb(m.arrayBuffers)} | after gc rss ${mb(g.rss)} heapUsed ${mb(g.heapUsed)} heapTotal ${mb(g.heapTotal)}`);
  }
  void keep;
}
void main();
