// A service that starts while the dashboard watches: its new queues' first statistics are taken
// when they are declared, before it consumes them, and say 0 consumers for a while (about 1 s in
// the Prometheus plugin, up to 5 s in the management API). Read as the server reads (the plugin's
// counts, the management API for who consumes), with no grace period at all, nothing is said about
// them; once it really stops consuming, it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import type { Finding } from '@/lib/domain/findings/types';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import { Diagnosis } from '@/lib/server/diagnosis';
import { brokerSource } from '@/lib/server/sources';
import { startCloud, type CloudHandle } from '@/sim/cloud';
import { parseScenario } from '@/sim/scenario';
import { amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';

const PROMETHEUS_URL = process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692';
const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
const source = brokerSource({ client, prometheus: { urls: [PROMETHEUS_URL] }, topologyIntervalMs: 60_000, refreshIntervalMs: 250, requestTimeoutMs: 10_000 });
const diagnosis = new Diagnosis({ ...DEFAULT_THRESHOLDS, graceMs: 0 }, 120);
let vhost: string;
let cloud: CloudHandle | undefined;

/** What the dashboard says about this test's vhost after one more refresh, and the raw consumer count of the server queue. */
async function observe(): Promise<{ findings: Finding[]; counted: number | null }> {
  const reading = await source.load();
  const state = diagnosis.observe(reading);
  const counted = reading.inputs.queues.find((q) => q.vhost === vhost && q.name === 'compute.nq-1')?.consumers ?? null;
  return { findings: state.findings.open.filter((f) => f.subject.type === 'queue' && f.subject.vhost === vhost), counted };
}

beforeAll(async () => {
  vhost = await createTestVhost('newq');
  await observe();
});

afterAll(async () => {
  await cloud?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe('a service that starts while the dashboard watches', () => {
  it('raises nothing about its new queues while their first statistics say nobody consumes them, and what is true once it stops', async () => {
    const watching = (async () => {
      const seen: { counted: number | null; findings: string[] }[] = [];
      const until = Date.now() + 8000;
      while (Date.now() < until) {
        const { findings, counted } = await observe();
        seen.push({ counted, findings: findings.map((f) => `${f.rule} ${f.subject.type === 'queue' ? f.subject.name : ''}`) });
        await new Promise((r) => setTimeout(r, 250));
      }
      return seen;
    })();
    cloud = await startCloud(
      parseScenario({
        hosts: [{ name: 'nq-1', address: '127.0.9.1', services: ['nova-compute'] }],
        controllers: [{ name: 'nq-ctl', address: '127.0.9.2', services: ['nova-conductor'] }],
        traffic: { notificationConsumer: false },
      }),
      { amqpUrl: amqpUrl(vhost), traffic: false },
    );
    const seen = await watching;
    // Watched from before its queues were declared (beforeAll) until they were counted with their consumer.
    expect(seen.at(-1)?.counted).toBe(1);
    expect(seen.flatMap((s) => s.findings)).toEqual([]);

    await cloud.process('nova-compute', 'nq-1').stopConsuming('compute.nq-1');
    const found = await eventually(async () => (await observe()).findings.find((f) => f.rule === 'rpc-server-unconsumed'), 30_000, 250);
    expect(found.subject).toMatchObject({ type: 'queue', name: 'compute.nq-1' });
    expect(found.title).toMatch(/up but does nothing/);
  });
});
